"""Small things on the staff pages: one label for an enrolment's outcome
on the course and the attendance page, unique ids on the enrolment page,
evidence choices in words, a saved file's date once, and the English
pages in English."""

from __future__ import annotations

import datetime
import re
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fremdrift.evidence.forms import EvidenceForm
from fremdrift.evidence.models import Evidence
from fremdrift.registrations.models import Session

from . import personas
from .factories import course as make_course
from .factories import enrol, participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def cafe(mini):  # type: ignore[no-untyped-def]
    personas.keep_running(mini)
    return mini.activities.select_related("plan").get(slug="lektiecafe")


@pytest.fixture
def autumn(cafe):  # type: ignore[no-untyped-def]
    return make_course(
        cafe,
        "2025-08-11",
        "2025-12-19",
        name="Efterår",
        completion_rule="min_sessions",
        completion_value=10,
    )


@pytest.fixture
def client(cafe) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(personas.alice(cafe))
    return client


def url(name: str, activity, *args) -> str:  # type: ignore[no-untyped-def]
    return reverse(
        f"registrations:{name}", args=[activity.plan.slug, activity.slug, *args]
    )


def _moved_away(cafe, autumn):  # type: ignore[no-untyped-def]
    enrol(
        autumn,
        participant(cafe, initials="Ali"),
        outcome="moved_away",
        end=datetime.date(2025, 10, 1),
    )
    return Session.objects.create(
        activity=cafe, course=autumn, date=datetime.date(2025, 9, 2)
    )


def test_a_participant_who_moved_away_reads_the_same_on_both_pages(
    client, cafe, autumn
) -> None:  # type: ignore[no-untyped-def]
    session = _moved_away(cafe, autumn)
    course_page = client.get(url("course", cafe, autumn.pk)).content.decode()
    attendance = client.get(url("session", cafe, session.pk)).content.decode()
    assert "Fraflyttet" in course_page and "Fraflyttet" in attendance
    assert "stoppet" not in attendance.lower()


def test_the_enrolment_page_has_no_id_twice(client, cafe, autumn) -> None:  # type: ignore[no-untyped-def]
    enrolment = enrol(autumn, participant(cafe))
    html = client.get(url("enrolment", cafe, enrolment.pk)).content.decode()
    ids = Counter(re.findall(r'\bid="([^"]+)"', html))
    assert [name for name, n in ids.items() if n > 1] == []
    assert 'for="id_resultat-outcome_0"' in html or 'id="id_resultat-outcome"' in html


def test_evidence_choices_read_as_days_and_criterion_texts(cafe, autumn) -> None:  # type: ignore[no-untyped-def]
    Session.objects.create(
        activity=cafe,
        course=autumn,
        date=timezone.localdate() - datetime.timedelta(days=3),
    )
    form = EvidenceForm(activity=cafe)
    sessions = [label for value, label in form.fields["session"].choices if value]
    criteria = [label for value, label in form.fields["criterion"].choices if value]
    assert sessions and all(
        re.match(r"^[A-ZÆØÅ]\w+dag \d+\. \w+ \d{4} · Efterår$", s) for s in sessions
    )
    assert criteria == ["100 unikke børn deltager"]
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", s) for s in sessions)


def test_a_saved_file_of_the_days_session_shows_the_day_once(
    client, cafe, autumn, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    session = Session.objects.create(activity=cafe, date=today)
    item = Evidence(
        plan=cafe.plan,
        activity=cafe,
        session=session,
        description="Billede fra caféen",
        consent="no_persons",
        content_type="application/pdf",
        extension="pdf",
        size=8,
    )
    item.file.save("x.pdf", ContentFile(b"%PDF-1.4"), save=False)
    item.save()
    html = client.get(url("evidence", cafe)).content.decode()
    line = html[html.index("Billede fra caféen") :].split("</li>")[0]
    day = today.strftime("%-d.")
    assert len(re.findall(rf"\b{re.escape(day)} \w+ {today.year}", line)) == 1


def test_the_english_staff_pages_are_in_english(client, cafe, autumn) -> None:  # type: ignore[no-untyped-def]
    session = _moved_away(cafe, autumn)
    client.cookies["django_language"] = "en"
    course_page = client.get(url("course", cafe, autumn.pk)).content.decode()
    attendance = client.get(url("session", cafe, session.pk)).content.decode()
    contacts = client.get(url("contacts", cafe)).content.decode()
    assert "At least 10 sessions" in course_page
    assert "Moved away" in course_page and "Moved away" in attendance
    assert "Child" in course_page and "Barn" not in course_page
    assert "11. August 2025" in course_page and "19. December 2025" in course_page
    assert "august" not in course_page and "december" not in course_page
    assert "Bridge-building" in contacts and "Street-based/outreach" in contacts
