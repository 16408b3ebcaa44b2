"""Two people editing one criterion in the admin: the second save is told
when the first was made, and nothing of it is written, its reported values
included. The plan loader raises the version of what it changes, so a form
opened before a load cannot undo it either.

Forms are read from the page and posted back as a browser would
(tests/html_forms.py), hidden version included."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from fremdrift.planfiles.services import plan_load
from fremdrift.plans.admin import CriterionAdmin
from fremdrift.plans.models import Criterion, ReportedValue

from ..accounts.verified import log_in_verified
from ..html_forms import form_data

IDENT = "bf-lektiecafe-boern"
FORM = "criterion_form"
CONFLICT_START = "En anden har gemt en ændring kl."


def _admin(username: str) -> Client:
    client = Client()
    log_in_verified(
        client,
        User.objects.create_superuser(username=username, password="x-" + username),
    )
    return client


def _page(criterion: Criterion) -> str:
    return f"/admin/plans/criterion/{criterion.pk}/change/"


def _opened(client: Client, criterion: Criterion) -> dict[str, list[str]]:
    response = client.get(_page(criterion))
    assert response.status_code == 200
    return form_data(response.content.decode(), FORM)


def _edited(
    form: dict[str, list[str]], *, text: str, first_value: str
) -> dict[str, list[str]]:
    """The form with a new text and a new value in the first reported
    value's row."""
    return {**form, "text": [text], "reported_values-0-value": [first_value]}


def _hhmm(criterion: Criterion) -> str:
    criterion.refresh_from_db()
    assert criterion.changed_at is not None
    return timezone.localtime(criterion.changed_at).strftime("%H:%M")


@pytest.fixture
def criterion(mini) -> Criterion:  # type: ignore[no-untyped-def]
    return Criterion.objects.get(plan=mini, ident=IDENT)


@pytest.mark.django_db
def test_the_change_form_carries_the_version_hidden(criterion: Criterion) -> None:
    form = _opened(_admin("ada"), criterion)
    assert form["opened_version"] == ["0"]


@pytest.mark.django_db
def test_the_second_of_two_admin_saves_is_refused_and_the_first_kept(
    criterion: Criterion,
) -> None:
    ada, bo = _admin("ada"), _admin("bo")
    ada_form, bo_form = _opened(ada, criterion), _opened(bo, criterion)
    first_value = ReportedValue.objects.filter(criterion=criterion).order_by("order")

    saved = ada.post(
        _page(criterion), _edited(ada_form, text="Ada's tekst", first_value="41")
    )
    assert saved.status_code == 302
    refused = bo.post(
        _page(criterion), _edited(bo_form, text="Bos tekst", first_value="99")
    )

    assert refused.status_code == 409
    page = refused.content.decode()
    assert f"{CONFLICT_START} {_hhmm(criterion)}, efter du åbnede siden." in page
    assert "Genindlæs siden for at se ændringen" in page
    criterion.refresh_from_db()
    assert criterion.text == "Ada's tekst"
    assert criterion.version == 1
    # The inline row of the refused save is not written either.
    assert first_value.first().value == Decimal("41")  # type: ignore[union-attr]


@pytest.mark.django_db
def test_after_a_reload_the_second_person_can_save(criterion: Criterion) -> None:
    ada, bo = _admin("ada"), _admin("bo")
    stale = _opened(bo, criterion)
    ada.post(
        _page(criterion),
        _edited(_opened(ada, criterion), text="Ada's tekst", first_value="41"),
    )
    assert bo.post(_page(criterion), stale).status_code == 409

    fresh = _opened(bo, criterion)
    assert fresh["text"] == ["Ada's tekst"]
    assert fresh["opened_version"] == ["1"]
    saved = bo.post(_page(criterion), {**fresh, "text": ["Bos tekst"]})
    assert saved.status_code == 302
    criterion.refresh_from_db()
    assert (criterion.text, criterion.version) == ("Bos tekst", 2)


@pytest.mark.django_db
def test_a_post_without_the_version_is_refused(criterion: Criterion) -> None:
    ada = _admin("ada")
    form = _opened(ada, criterion)
    del form["opened_version"]
    response = ada.post(_page(criterion), {**form, "text": ["Uden version"]})
    assert response.status_code == 409
    criterion.refresh_from_db()
    assert criterion.text == "100 unikke børn deltager"


@pytest.mark.django_db
def test_a_plan_load_that_changes_a_criterion_refuses_forms_opened_before(
    mini_folder, mini, criterion: Criterion
) -> None:
    ada = _admin("ada")
    before = _opened(ada, criterion)
    plan_load(folder=mini_folder)  # the same folder: nothing changes
    criterion.refresh_from_db()
    assert criterion.version == 0

    plan_yaml = mini_folder / "plan.yaml"
    plan_yaml.write_text(
        plan_yaml.read_text().replace(
            '{period: "2023", value: 70}', '{period: "2023", value: 75}'
        )
    )
    plan_load(folder=mini_folder)
    criterion.refresh_from_db()
    assert criterion.version == 1
    response = ada.post(_page(criterion), {**before, "text": ["Ada's tekst"]})
    assert response.status_code == 409
    criterion.refresh_from_db()
    assert criterion.text == "100 unikke børn deltager"
    assert Criterion.objects.get(plan=mini, ident="bf-fravaer").version == 0


def _waiting_for_a_lock() -> bool:
    """Whether another connection is waiting for a row lock (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return bool(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_two_admin_saves_at_the_same_moment(
    mini, criterion: Criterion, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ada's save has claimed the criterion and not yet committed when
    Bo's arrives. On PostgreSQL, Bo's save passes the form's check (Ada's
    change is not committed) and waits on the row in its conditional
    update; once Ada commits, the update finds no row at the version Bo
    opened, and Bo is refused. SQLite's test database (in memory, shared
    cache) refuses a second writer outright instead of making it wait, so
    there Bo's save comes right after Ada's commit: the sequential case."""
    ada, bo = _admin("ada"), _admin("bo")
    ada_form, bo_form = _opened(ada, criterion), _opened(bo, criterion)
    claimed, release = threading.Event(), threading.Event()
    answers: dict[str, int] = {}
    save_related = CriterionAdmin.save_related

    def held(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        save_related(self, request, form, formsets, change)
        if threading.current_thread().name == "ada":
            claimed.set()
            assert release.wait(30)

    monkeypatch.setattr(CriterionAdmin, "save_related", held)

    def post(name: str, client: Client, form: dict[str, list[str]]) -> None:
        try:
            answers[name] = client.post(_page(criterion), form).status_code
        finally:
            connections.close_all()

    first = threading.Thread(
        target=post,
        name="ada",
        args=("ada", ada, _edited(ada_form, text="Ada's tekst", first_value="41")),
    )
    second = threading.Thread(
        target=post,
        name="bo",
        args=("bo", bo, _edited(bo_form, text="Bos tekst", first_value="99")),
    )
    first.start()
    assert claimed.wait(30)
    if connection.vendor == "postgresql":
        second.start()
        for _ in range(300):
            if _waiting_for_a_lock():
                break
            threading.Event().wait(0.05)
        else:
            pytest.fail("Bo's save never waited for Ada's")
        release.set()
    else:
        release.set()
        first.join(30)
        second.start()
    first.join(30)
    second.join(30)

    assert answers == {"ada": 302, "bo": 409}
    criterion.refresh_from_db()
    assert (criterion.text, criterion.version) == ("Ada's tekst", 1)
    value = ReportedValue.objects.filter(criterion=criterion).order_by("order")[0]
    assert value.value == Decimal("41")
