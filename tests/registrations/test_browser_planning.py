"""End to end in Chromium at 1280 px and 360 px, axe clean on the way:
start a new term's course (a copy of the running one, with its children),
plan its sessions as a weekly series, and register today's session; and
register contacts on a phone, anonymous and named, and correct one.

Drives Debian's Chromium (/usr/bin/chromium)."""

from __future__ import annotations

import datetime
import os
import re
import urllib.request
from collections.abc import Iterator

import pytest
from django.utils import timezone

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from fremdrift.registrations.models import Attendance, Contact, Course, Participant

from . import personas
from .factories import enrol, participant
from .test_browser import CHROMIUM, SCREENSHOTS, assert_accessible

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium"),
]

NAMES = ["Ali", "Bo", "Cecilie"]


@pytest.fixture(params=[1280, 360], ids=["desktop", "phone"])
def page(request) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    width = request.param
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        context = browser.new_context(
            viewport={"width": width, "height": 800},
            is_mobile=width < 600,
            has_touch=width < 600,
            locale="da-DK",
        )
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        tab.width = width  # type: ignore[attr-defined]
        yield tab
        context.close()
        browser.close()


@pytest.fixture
def cafe_course(mini) -> str:  # type: ignore[no-untyped-def]
    personas.keep_running(mini)
    cafe = mini.activities.get(slug="lektiecafe")
    personas.alice(cafe)
    course = personas.running_course(cafe)
    for name in NAMES:
        enrol(course, participant(cafe, initials=name, birth_year=2015))
    return course.name


def _log_in(page, live_server) -> None:  # type: ignore[no-untyped-def]
    urllib.request.urlopen(f"{live_server.url}/konto/log-ind/", timeout=60).close()
    page.goto(f"{live_server.url}/registrering/")
    page.get_by_label("Brugernavn").fill("alice")
    page.get_by_label("Adgangskode").fill(personas.PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(re.compile(r"/registrering/$"))


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    ), "the page scrolls sideways"


@pytest.mark.slow
def test_start_a_new_terms_course_and_register_a_session(
    live_server, cafe_course: str, page
) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.width
    today = timezone.localdate()
    _log_in(page, live_server)
    page.get_by_role("link", name="Lektiecafé").click()
    page.get_by_role("link", name=cafe_course).click()
    page.get_by_role("link", name="Nyt forløb med samme deltagere").click()
    assert_accessible(page, "kopiér forløb")

    page.get_by_label("Navn").fill("Lektiehjælp næste hold")
    page.get_by_label("Startdato").fill(today.isoformat())
    page.get_by_label("Slutdato").fill((today - datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Opret forløb").click()
    page.get_by_text("Slutdatoen ligger før startdatoen.").wait_for()
    assert_accessible(page, "kopiér forløb med fejl")
    assert not Course.objects.filter(name="Lektiehjælp næste hold").exists()
    page.get_by_label("Slutdato").fill(
        (today + datetime.timedelta(days=70)).isoformat()
    )
    page.screenshot(path=str(SCREENSHOTS / f"course-copy-{width}.png"), full_page=True)
    page.get_by_role("button", name="Opret forløb").click()

    page.get_by_text("er oprettet med 3 deltagere").wait_for()
    page.get_by_label("Ugedag").select_option(str(today.weekday()))
    holiday = today + datetime.timedelta(weeks=2)
    page.get_by_label("Ferie og fridage").fill(holiday.strftime("%d.%m.%Y"))
    _no_sideways_scroll(page)
    assert_accessible(page, "planlæg mødegange")
    page.screenshot(
        path=str(SCREENSHOTS / f"session-series-{width}.png"), full_page=True
    )
    page.get_by_role("button", name="Planlæg mødegange").click()

    page.get_by_text("mødegange er planlagt.").wait_for()
    course = Course.objects.get(name="Lektiehjælp næste hold")
    days = sorted(course.sessions.values_list("date", flat=True))
    assert days[0] == today and holiday not in days and len(days) == 10
    assert_accessible(page, "nyt forløb")
    page.get_by_role("link", name="Åbn dagens mødegang").click()
    page.get_by_text("Bo", exact=True).click()
    page.get_by_role("button", name="Gem fremmøde").click()
    page.get_by_text("Fremmødet er gemt: 1 til stede.").wait_for()
    assert Attendance.objects.filter(session__course=course).count() == 1

    page.get_by_role("link", name="Ret, flyt, aflys eller slet mødegangen").click()
    page.get_by_label("Tema").fill("Brøker")
    assert_accessible(page, "ret mødegang")
    page.get_by_role("button", name="Gem ændringer").click()
    page.get_by_text("Mødegangen er rettet.").wait_for()
    page.get_by_role("link", name="Ret, flyt, aflys eller slet mødegangen").click()
    page.get_by_role("link", name="Slet mødegangen").click()
    page.get_by_text("1 registrering af fremmøde slettes med mødegangen.").wait_for()
    assert_accessible(page, "slet mødegang")
    page.screenshot(
        path=str(SCREENSHOTS / f"session-delete-{width}.png"), full_page=True
    )
    page.get_by_role("link", name="Fortryd").click()
    assert course.sessions.count() == 10


@pytest.mark.slow
def test_register_contacts_on_a_phone(live_server, cafe_course: str, page) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.width
    _log_in(page, live_server)
    page.get_by_role("link", name="Lektiecafé").click()
    page.get_by_role("link", name="Kontakter og brobygning").click()
    assert_accessible(page, "kontakter")
    _no_sideways_scroll(page)

    # Anonymous: the date is today, the kind contact; three people met.
    page.get_by_label("Antal personer").fill("3")
    page.get_by_label("Aldersgruppe").select_option("13-17")
    page.get_by_label("Kontaktform").select_option("street")
    page.screenshot(path=str(SCREENSHOTS / f"contact-form-{width}.png"), full_page=True)
    page.get_by_role("button", name="Gem kontakt").click()
    page.get_by_text("Kontakten er gemt.").wait_for()
    page.get_by_text("3 personer uden navn").wait_for()

    # Named, without choosing whom: the message is on the field.
    page.get_by_label("Brobygning").check()
    page.get_by_label("En deltager").check()
    page.get_by_role("button", name="Gem kontakt").click()
    page.get_by_text("Vælg hvilken deltager, det var.").wait_for()
    assert_accessible(page, "kontakt med fejl")
    page.screenshot(
        path=str(SCREENSHOTS / f"contact-form-error-{width}.png"), full_page=True
    )
    assert Contact.objects.count() == 1
    bo = Participant.objects.get(initials="Bo")
    page.get_by_label("Deltager", exact=True).select_option(label=f"Bo ({bo.code})")
    page.get_by_role("button", name="Gem kontakt").click()
    page.get_by_text("Kontakten er gemt.").wait_for()
    assert sorted(Contact.objects.values_list("kind", "anonymous_count")) == [
        ("bridge", 0),
        ("contact", 3),
    ]
    assert_accessible(page, "kontakter med liste")
    page.screenshot(path=str(SCREENSHOTS / f"contacts-{width}.png"), full_page=True)

    # Correct the anonymous one: four, not three.
    page.get_by_role("link", name=re.compile("Kontakt$")).first.click()
    page.get_by_label("Antal personer").fill("4")
    assert_accessible(page, "ret kontakt")
    page.get_by_role("button", name="Gem ændringer").click()
    page.get_by_text("Kontakten er rettet.").wait_for()
    assert Contact.objects.get(kind="contact").anonymous_count == 4
