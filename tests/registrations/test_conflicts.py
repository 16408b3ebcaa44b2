"""Two people saving the same session's attendance: the second is told when
the first saved (409, in place for htmx), nothing of theirs is written,
and the list they see is the saved one. The same holds for a session saved
in the admin with its attendance rows, and for a list opened before a
registrations import; a save that changes nothing is never refused.

Forms are read from the page and posted back as a browser would
(tests/html_forms.py), hidden version included."""

from __future__ import annotations

import re
import threading
import urllib.request
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fremdrift.accounts.services import membership_grant
from fremdrift.audit.models import AccessLogEntry
from fremdrift.base.versioning import VersionConflict
from fremdrift.plans.models import Activity
from fremdrift.registrations import services
from fremdrift.registrations.bulk_import import registrations_import
from fremdrift.registrations.models import Attendance, Course, Participant, Session

from ..accounts.verified import log_in_verified
from ..html_forms import form_data
from . import personas
from .factories import enrol, participant
from .test_browser import CHROMIUM, phone  # noqa: F401  (a fixture)
from .test_bulk_import import ROWS, _workbook

FORM = "fremmoede"


@pytest.fixture
def cafe(mini) -> Activity:  # type: ignore[no-untyped-def]
    personas.keep_running(mini)
    return mini.activities.select_related("plan").get(slug="lektiecafe")


@pytest.fixture
def course(cafe: Activity) -> Course:
    return personas.running_course(cafe)


@pytest.fixture
def children(cafe: Activity, course: Course) -> list[Participant]:
    return [
        enrol(course, participant(cafe, initials=name)).participant
        for name in ("Ali", "Bo", "Cy")
    ]


@pytest.fixture
def session(course: Course) -> Session:
    return Session.objects.create(
        activity=course.activity, course=course, date=timezone.localdate()
    )


@pytest.fixture
def alice(cafe: Activity) -> User:
    return personas.alice(cafe)


@pytest.fixture
def anna(cafe: Activity) -> User:
    """A second member of the café's staff."""
    person = personas.user("anna")
    membership_grant(user=person, plan=cafe.plan, role="staff", activities=[cafe])
    return person


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(session: Session) -> str:
    activity = session.activity
    return reverse(
        "registrations:session",
        args=[activity.plan.slug, activity.slug, session.pk],
    )


def _opened(client: Client, session: Session) -> dict[str, list[str]]:
    response = client.get(_page(session))
    assert response.status_code == 200
    return form_data(response.content.decode(), FORM)


def _ticking(form: dict[str, list[str]], *people: Participant) -> dict[str, object]:
    """The opened form with exactly ``people`` ticked."""
    return {**form, "present": [str(p.pk) for p in people]}


def _present(session: Session) -> set[int]:
    return set(session.attendance.values_list("participant_id", flat=True))


def _hhmm(session: Session) -> str:
    session.refresh_from_db()
    assert session.changed_at is not None
    return timezone.localtime(session.changed_at).strftime("%H:%M")


def _written_by(user: User) -> list[str]:
    return list(
        AccessLogEntry.objects.filter(username=user.username)
        .exclude(action=AccessLogEntry.Action.VIEW)
        .values_list("action", flat=True)
    )


@pytest.mark.django_db
def test_the_attendance_form_carries_the_session_version(
    alice: User, session: Session, children: list[Participant]
) -> None:
    client = _client(alice)
    assert _opened(client, session)["version"] == ["0"]
    client.post(_page(session), _ticking(_opened(client, session), children[0]))
    assert _opened(client, session)["version"] == ["1"]


@pytest.mark.django_db
def test_the_second_of_two_saves_is_refused_and_the_first_kept(
    alice: User, anna: User, session: Session, children: list[Participant]
) -> None:
    ali, bo, cy = children
    alice_client, anna_client = _client(alice), _client(anna)
    alice_form, anna_form = (
        _opened(alice_client, session),
        _opened(anna_client, session),
    )

    saved = alice_client.post(_page(session), _ticking(alice_form, ali, bo))
    assert saved.status_code == 302
    refused = anna_client.post(_page(session), _ticking(anna_form, cy))

    assert refused.status_code == 409
    page = refused.content.decode()
    assert (
        "Fremmødet blev ikke gemt: en anden har gemt fremmødet "
        f"kl. {_hhmm(session)}, efter du åbnede siden." in page
    )
    assert _present(session) == {ali.pk, bo.pk}
    assert _written_by(anna) == []
    # The list shown is the saved one, at the version it is at now.
    shown = form_data(page, FORM)
    assert sorted(shown["present"]) == sorted([str(ali.pk), str(bo.pk)])
    assert shown["version"] == ["1"]


@pytest.mark.django_db
def test_htmx_gets_the_refusal_in_place(
    alice: User, anna: User, session: Session, children: list[Participant]
) -> None:
    ali, _bo, cy = children
    alice_client, anna_client = _client(alice), _client(anna)
    anna_form = _opened(anna_client, session)
    alice_client.post(
        _page(session),
        _ticking(_opened(alice_client, session), ali),
        HTTP_HX_REQUEST="true",
    )
    refused = anna_client.post(
        _page(session), _ticking(anna_form, cy), HTTP_HX_REQUEST="true"
    )
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "<html" not in text
    assert 'role="alert"' in text and "en anden har gemt fremmødet" in text
    shown = form_data(text, FORM)
    assert (shown["version"], shown["present"]) == (["1"], [str(ali.pk)])
    assert _present(session) == {ali.pk}


@pytest.mark.django_db
def test_the_list_shown_with_the_refusal_can_be_saved(
    alice: User, anna: User, session: Session, children: list[Participant]
) -> None:
    ali, bo, cy = children
    alice_client, anna_client = _client(alice), _client(anna)
    anna_form = _opened(anna_client, session)
    alice_client.post(_page(session), _ticking(_opened(alice_client, session), ali))
    refused = anna_client.post(_page(session), _ticking(anna_form, cy))
    again = form_data(refused.content.decode(), FORM)
    # Anna ticks Cy again on the list that now shows Ali.
    saved = anna_client.post(
        _page(session), {**again, "present": [*again["present"], str(cy.pk)]}
    )
    assert saved.status_code == 302
    assert _present(session) == {ali.pk, cy.pk}
    assert bo.pk not in _present(session)


@pytest.mark.django_db
def test_a_double_tap_is_not_a_conflict(
    alice: User, session: Session, children: list[Participant]
) -> None:
    client = _client(alice)
    form = _ticking(_opened(client, session), *children)
    assert client.post(_page(session), form).status_code == 302
    # The same post again, from the same page: it changes nothing.
    assert client.post(_page(session), form).status_code == 302
    assert _present(session) == {c.pk for c in children}
    session.refresh_from_db()
    assert session.version == 1


@pytest.mark.django_db
def test_a_post_without_a_version_saves_nothing(
    alice: User, session: Session, children: list[Participant]
) -> None:
    client = _client(alice)
    form = _ticking(_opened(client, session), children[0])
    del form["version"]
    response = client.post(_page(session), form)
    assert response.status_code == 400
    assert "fordi siden var forældet" in response.content.decode()
    assert _present(session) == set()


@pytest.mark.django_db
def test_the_service_refuses_a_stale_version_and_writes_nothing(
    alice: User, session: Session, children: list[Participant]
) -> None:
    ali, bo, _cy = children
    services.session_attendance_set(
        session=session, participant_ids=[ali.pk], user=alice, version=0
    )
    assert session.version == 1
    logged = AccessLogEntry.objects.count()
    with pytest.raises(VersionConflict) as refused:
        services.session_attendance_set(
            session=Session.objects.get(pk=session.pk),
            participant_ids=[bo.pk],
            user=alice,
            version=0,
        )
    assert refused.value.version == 1
    assert refused.value.when == f"kl. {_hhmm(session)}"
    assert _present(session) == {ali.pk}
    assert AccessLogEntry.objects.count() == logged
    session.refresh_from_db()
    assert session.version == 1


@pytest.mark.django_db
def test_a_save_without_a_version_raises_it_for_the_lists_open_elsewhere(
    alice: User, session: Session, children: list[Participant]
) -> None:
    """A program that sends no version (the API without one) is not
    checked, but its change still refuses a list opened before it."""
    client = _client(alice)
    form = _opened(client, session)
    services.session_attendance_set(
        session=session, participant_ids=[children[0].pk], user=alice
    )
    assert client.post(_page(session), _ticking(form, children[1])).status_code == 409
    assert _present(session) == {children[0].pk}


@pytest.mark.django_db
def test_a_session_saved_in_the_admin_with_its_attendance_is_refused_as_a_whole(
    alice: User, session: Session, children: list[Participant]
) -> None:
    ali, bo, cy = children
    Attendance.objects.create(session=session, participant=ali)
    staff_form = _opened(_client(alice), session)
    ada, bo_admin = Client(), Client()
    for client, name in ((ada, "ada"), (bo_admin, "bo-admin")):
        log_in_verified(client, User.objects.create_superuser(name, password="x"))
    page = f"/admin/registrations/session/{session.pk}/change/"
    ada_form = form_data(ada.get(page).content.decode(), "session_form")
    bo_form = form_data(bo_admin.get(page).content.decode(), "session_form")
    assert ada_form["opened_version"] == ["0"]

    # Ada adds Bo to the attendance and sets a theme.
    saved = ada.post(
        page,
        {
            **ada_form,
            "theme": ["Brøker"],
            "attendance-TOTAL_FORMS": ["2"],
            "attendance-1-participant": [str(bo.pk)],
            "attendance-1-session": [str(session.pk)],
        },
    )
    assert saved.status_code == 302
    # Bo, from the form opened before, changes the theme and removes Ali.
    refused = bo_admin.post(
        page, {**bo_form, "theme": ["Dansk"], "attendance-0-DELETE": ["on"]}
    )
    assert refused.status_code == 409
    assert "En anden har gemt en ændring kl." in refused.content.decode()
    session.refresh_from_db()
    assert (session.theme, session.version) == ("Brøker", 1)
    assert _present(session) == {ali.pk, bo.pk}
    # The staff page opened before Ada's save is refused too.
    response = _client(alice).post(_page(session), _ticking(staff_form, cy))
    assert response.status_code == 409
    assert _present(session) == {ali.pk, bo.pk}


@pytest.mark.django_db
def test_a_registrations_import_refuses_lists_opened_before(
    mini, alice: User, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    cafe = mini.activities.get(slug="lektiecafe")
    membership_grant(user=alice, plan=mini, role="staff", activities=[cafe])
    registrations_import(plan=mini, path=_workbook(mini, tmp_path, ROWS))
    imported = Session.objects.get(activity=cafe, theme="Matematik")
    client = _client(alice)
    form = _opened(client, imported)
    version = imported.version

    registrations_import(plan=mini, path=_workbook(mini, tmp_path, ROWS))
    imported.refresh_from_db()
    assert imported.version == version  # nothing changed: no new version

    more = {
        **ROWS,
        "fremmøde": [
            *ROWS["fremmøde"],
            ["lektiecafe", "Forår 2023", "2023-02-06", "P-003"],
        ],
    }
    registrations_import(plan=mini, path=_workbook(mini, tmp_path, more))
    imported.refresh_from_db()
    assert imported.version == version + 1
    assert client.post(_page(imported), _ticking(form)).status_code == 409
    assert len(_present(imported)) == 3


# -- at the same moment ---------------------------------------------------------


def _in_thread(
    name: str, work: Callable[[], object], results: dict[str, object]
) -> threading.Thread:
    def run() -> None:
        try:
            results[name] = work()
        except VersionConflict as conflict:
            results[name] = conflict
        finally:
            connections.close_all()

    return threading.Thread(target=run, name=name)


def _waiting_for_a_lock() -> bool:
    """Whether another connection waits for a row lock (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return bool(cursor.fetchone()[0])


def _until_waiting() -> None:
    for _ in range(300):
        if _waiting_for_a_lock():
            return
        threading.Event().wait(0.05)
    pytest.fail("the second save never waited for the first")


@pytest.mark.django_db(transaction=True)
def test_a_save_arriving_while_another_commits_waits_and_is_refused(
    alice: User, anna: User, session: Session, children: list[Participant]
) -> None:
    """Alice's save has claimed the session and written her list, and not
    yet committed, when Anna's arrives with the same version. On
    PostgreSQL, Anna's conditional update waits for Alice's row lock,
    then finds the raised version: refused, with nothing of hers written.
    SQLite's test database (in memory, shared cache) refuses a second
    writer outright instead of making it wait, so there Anna's save starts
    right after Alice's commit: the sequential case."""
    ali, bo, cy = children
    claimed, release = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def alice_saves() -> object:
        with transaction.atomic():
            change = services.session_attendance_set(
                session=Session.objects.get(pk=session.pk),
                participant_ids=[ali.pk, bo.pk],
                user=alice,
                version=0,
            )
            claimed.set()
            assert release.wait(30)
        return change

    def anna_saves() -> object:
        return services.session_attendance_set(
            session=Session.objects.get(pk=session.pk),
            participant_ids=[cy.pk],
            user=anna,
            version=0,
        )

    first = _in_thread("alice", alice_saves, results)
    second = _in_thread("anna", anna_saves, results)
    first.start()
    assert claimed.wait(30)
    if connection.vendor == "postgresql":
        second.start()
        _until_waiting()
        release.set()
    else:
        release.set()
        first.join(30)
        second.start()
    first.join(30)
    second.join(30)

    assert isinstance(results["alice"], services.AttendanceChange)
    refused = results["anna"]
    assert isinstance(refused, VersionConflict)
    assert refused.version == 1
    assert _present(session) == {ali.pk, bo.pk}
    assert _written_by(anna) == []


@pytest.mark.django_db(transaction=True)
def test_of_four_saves_from_the_same_version_exactly_one_is_kept(
    alice: User, session: Session, children: list[Participant]
) -> None:
    """Four phones post at once (a barrier lets them go together on
    PostgreSQL; on SQLite's in-memory test database, one after another):
    one list is saved, the three others are refused, and the session holds
    exactly the saved one."""
    people = [*children, participant(session.activity, initials="Di")]
    for person in people[3:]:
        enrol(session.course, person)  # type: ignore[arg-type]
    together = connection.vendor == "postgresql"
    barrier = threading.Barrier(len(people))
    results: dict[str, object] = {}

    def saving(person: Participant) -> Callable[[], object]:
        def work() -> object:
            if together:
                barrier.wait(30)
            return services.session_attendance_set(
                session=Session.objects.get(pk=session.pk),
                participant_ids=[person.pk],
                user=alice,
                version=0,
            )

        return work

    threads = [_in_thread(str(p.pk), saving(p), results) for p in people]
    for thread in threads:
        thread.start()
        if not together:
            thread.join(30)
    for thread in threads:
        thread.join(30)

    saved = [k for k, v in results.items() if isinstance(v, services.AttendanceChange)]
    refused = [k for k, v in results.items() if isinstance(v, VersionConflict)]
    assert len(saved) == 1 and len(refused) == len(people) - 1
    assert _present(session) == {int(saved[0])}
    session.refresh_from_db()
    assert session.version == 1


# -- on a phone -------------------------------------------------------------------


@pytest.fixture
def two_phones(mini) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Alice's and Anna's café with a session of Ali and Bo; built before
    the browser starts (see test_browser.cafe_course)."""
    personas.keep_running(mini)
    cafe = mini.activities.select_related("plan").get(slug="lektiecafe")
    personas.alice(cafe)
    anna = personas.user("anna")
    membership_grant(user=anna, plan=mini, role="staff", activities=[cafe])
    course = personas.running_course(cafe)
    ali, bo = (
        enrol(course, participant(cafe, initials=n)).participant for n in ("Ali", "Bo")
    )
    session = Session.objects.create(
        activity=cafe, course=course, date=timezone.localdate()
    )
    return {
        "page": _page(session),
        "session": session.pk,
        "anna": anna.pk,
        "ali": ali.pk,
        "bo": bo.pk,
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
def test_on_a_phone_the_refusal_replaces_the_list_in_place(
    live_server, two_phones: dict[str, object], request: pytest.FixtureRequest
) -> None:  # type: ignore[no-untyped-def]
    """htmx swaps in the 409 answer (base.html's responseHandling): the
    message, the list as Anna saved it, and the version to save on."""
    page = request.getfixturevalue("phone")  # after two_phones
    urllib.request.urlopen(f"{live_server.url}/konto/log-ind/", timeout=60).close()
    page.goto(f"{live_server.url}{two_phones['page']}")
    page.get_by_label("Brugernavn").fill("alice")
    page.get_by_label("Adgangskode").fill(personas.PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(re.compile(r"/moedegange/\d+/$"))
    page.get_by_text("Ali", exact=True).click()

    # Anna saves Bo from her phone while Alice's list is open (in a thread
    # of its own: its database connection is closed when it is done).
    def anna_saves() -> object:
        return services.session_attendance_set(
            session=Session.objects.get(pk=two_phones["session"]),
            participant_ids=[two_phones["bo"]],
            user=User.objects.get(pk=two_phones["anna"]),
            version=0,
        )

    results: dict[str, object] = {}
    anna = _in_thread("anna", anna_saves, results)
    anna.start()
    anna.join(30)
    assert isinstance(results["anna"], services.AttendanceChange)

    page.get_by_role("button", name="Gem fremmøde").click()
    page.get_by_text("Fremmødet blev ikke gemt: en anden har gemt fremmødet").wait_for()
    box = 'input[name="present"][value="{}"]'
    assert page.locator(box.format(two_phones["bo"])).is_checked()
    assert not page.locator(box.format(two_phones["ali"])).is_checked()
    assert page.locator('input[name="version"]').get_attribute("value") == "1"

    page.get_by_text("Ali", exact=True).click()
    page.get_by_role("button", name="Gem fremmøde").click()
    page.get_by_text("Fremmødet er gemt: 2 til stede.").wait_for()
