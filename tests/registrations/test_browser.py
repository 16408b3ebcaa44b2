"""A staff member on a phone (360 x 740): log in, open today's session,
tick attendance, save, add a participant, and see the café's
unique-participant count move; axe-core finds no serious or critical
accessibility problems on the way.

Drives Debian's Chromium (/usr/bin/chromium); skipped where it is missing.
"""

from __future__ import annotations

import os
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

# The live server and the ORM calls in this test run beside Playwright's
# event loop in the same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from . import personas
from .factories import enrol, participant

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("FREMDRIFT_SCREENSHOTS", "/tmp/fremdrift-screens"))

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium"),
]


@pytest.fixture
def phone() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(
            viewport={"width": 360, "height": 740},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="da-DK",
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield page
        context.close()
        browser.close()


def assert_accessible(page, name: str) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} – "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{name}: {serious}"


def criterion_value(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator(
        '[data-criterion-value="bf-lektiecafe-boern"]'
    ).first.inner_text()


NAMES = ["Ali", "Bo", "Cecilie", "Dalia", "Emil", "Freja"]


@pytest.fixture
def cafe_course(mini) -> str:  # type: ignore[no-untyped-def]
    """Alice's café with a running course of six children; the name of the
    course. Built before the browser starts: inside Playwright's event loop
    Django would open a second database connection that is never closed."""
    personas.keep_running(mini)
    personas.count_children(mini)
    cafe = mini.activities.get(slug="lektiecafe")
    personas.alice(cafe)
    course = personas.running_course(cafe)
    for name in NAMES:
        enrol(course, participant(cafe, initials=name, birth_year=2015))
    return course.name


@pytest.mark.slow
def test_a_session_registered_on_a_phone_moves_the_criterion(
    live_server, cafe_course: str, phone
) -> None:  # type: ignore[no-untyped-def]
    page = phone
    names = NAMES
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    # The first request imports every view; on a busy machine that alone can
    # outlast the browser's patience.
    urllib.request.urlopen(f"{live_server.url}/konto/log-ind/", timeout=60).close()
    page.goto(f"{live_server.url}/registrering/")
    assert "/konto/log-ind/" in page.url
    assert_accessible(page, "login")
    page.get_by_label("Brugernavn").fill("alice")
    page.get_by_label("Adgangskode").fill(personas.PASSWORD)
    page.get_by_role("button", name="Log ind").click()

    page.wait_for_url(re.compile(r"/registrering/$"))
    assert_accessible(page, "mine aktiviteter")
    page.get_by_role("link", name="Lektiecafé").click()
    assert criterion_value(page) == "0 børn"
    assert_accessible(page, "aktivitet")

    page.get_by_role("link", name=cafe_course).click()
    assert_accessible(page, "forløb")
    page.get_by_role("button", name="Opret mødegang").click()

    page.wait_for_url(re.compile(r"/moedegange/\d+/$"))
    for name in names[:3]:
        page.get_by_text(name, exact=True).click()  # tap the row, not the box
    assert page.locator("[data-count]").inner_text() == "3 af 6"
    page.screenshot(path=str(SCREENSHOTS / "session-360.png"), full_page=True)
    assert_accessible(page, "mødegang")
    page.get_by_role("button", name="Gem fremmøde").click()
    page.get_by_text("Fremmødet er gemt: 3 til stede.").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "session-360-saved.png"))

    page.get_by_role("link", name="Ny deltager på forløbet").click()
    page.get_by_label("Fødselsår").fill("1850")
    page.get_by_role("button", name="Opret deltager").click()
    page.get_by_text("Angiv et fødselsår mellem 1900 og").wait_for()
    page.screenshot(
        path=str(SCREENSHOTS / "participant-add-error-360.png"), full_page=True
    )
    assert_accessible(page, "ny deltager med fejl")
    page.get_by_label("Initialer eller fornavn").fill("Gustav")
    page.get_by_label("Fødselsår").fill("2016")
    page.get_by_role("button", name="Opret deltager").click()
    page.get_by_text(re.compile(r"D-\w{6} er oprettet og skrevet op")).wait_for()

    page.get_by_role("link", name="Åbn dagens mødegang").click()
    page.get_by_text("Gustav", exact=True).click()
    page.get_by_role("button", name="Gem fremmøde").click()
    page.get_by_text("Fremmødet er gemt: 4 til stede.").wait_for()

    page.get_by_role("link", name="Lektiecafé").first.click()
    assert criterion_value(page) == "4 børn"
    page.screenshot(path=str(SCREENSHOTS / "activity-360.png"), full_page=True)

    # The other staff pages pass axe too.
    page.get_by_role("link", name="Deltagere").click()
    page.get_by_label("Formål med opslaget").select_option("enrol")
    page.get_by_label("Søg på kode eller initialer").fill("gust")
    page.get_by_role("link", name="Gustav").wait_for()
    assert_accessible(page, "deltagere")
    page.get_by_role("link", name="Gustav").click()
    assert_accessible(page, "deltager")
    page.get_by_role("link", name=cafe_course).last.click()
    page.get_by_role("heading", name="Resultat og individuelt mål").wait_for()
    assert_accessible(page, "tilmelding")
    page.screenshot(path=str(SCREENSHOTS / "enrolment-360.png"), full_page=True)

    # The team's commentary, evidence and open sessions on a phone.
    cafe_url = f"{live_server.url}/registrering/eksempelby-2022-26/lektiecafe/"
    for path, name in (
        ("kommentar/", "kommentar"),
        ("dokumentation/", "dokumentation"),
        ("moedegange/ny/", "mødegang uden forløb"),
    ):
        page.goto(cafe_url + path)
        assert_accessible(page, name)
