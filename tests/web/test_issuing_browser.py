"""Issue a report, and write the team's commentary, in Chromium at 1280 px
and on a phone's 360 px. The coordinator chooses an annual report, is told
what is missing, previews it, issues it as a PDF to the city council with
a note, waits while the worker typesets it and lands on the issued report;
the plan page lists it. Then the coordinator writes the team's words on
the plan for a tertial and on an effort area for a year. Every page fits
the screen and axe-core finds nothing."""

from __future__ import annotations

import os
import re
import urllib.request

import pytest

# The live server answers beside Playwright's event loop in this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from ..accounts.verified import log_in_verified
from ..reports.test_accessibility import CHROMIUM, CHROMIUM_ARGS, _describe
from ..reports.worker import run_worker

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("FREMDRIFT_SCREENSHOTS", "")


def _coordinator_session(plan) -> str:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User
    from django.test import Client

    from fremdrift.accounts.services import membership_grant

    person = User.objects.create_user(
        username="koordinator", first_name="Karen", last_name="Koordinator"
    )
    membership_grant(user=person, plan=plan, role="coordinator")
    client = Client()
    log_in_verified(client, person)
    return client.cookies["sessionid"].value


def _problems(page, width: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Sideways scrolling and every axe-core finding on the page."""
    from axe_playwright_python.sync_playwright import Axe

    found = []
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        found.append(f"{page.url}: {scroll} px wide on a {width} px screen")
    violations = Axe().run(page).response["violations"]
    if violations:
        found.append(f"{page.url}:\n{_describe(violations)}")
    if SCREENSHOTS:
        name = re.sub(r"\W+", "-", page.url.split("/planer/")[-1]).strip("-")
        page.screenshot(path=f"{SCREENSHOTS}/issue-{width}-{name}.png", full_page=True)
    return found


@pytest.mark.parametrize("width", [1280, 360])
def test_issue_a_report(live_server, mini, width: int) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    from fremdrift.reports.models import IssuedReport

    session = _coordinator_session(mini)
    base = live_server.url
    # The first request imports every view; on a busy machine that alone
    # can outlast the browser's patience.
    urllib.request.urlopen(f"{base}/konto/log-ind/", timeout=120).close()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport={"width": width, "height": 800}, locale="da-DK"
        )
        context.set_default_timeout(120_000)
        context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
        page = context.new_page()
        problems: list[str] = []

        page.goto(f"{base}/planer/{mini.slug}/")
        page.get_by_role("link", name="Udsend en rapport").click()
        expect(page.get_by_role("heading", name="Udsend rapport")).to_be_visible()
        page.get_by_label("Rapport", exact=True).select_option("annual")
        page.get_by_label("År", exact=True).select_option("2023")
        expect(page.get_by_label("Format", exact=True)).to_have_value("pdf")
        problems += _problems(page, width)

        # Another recipient, but not named: told so on the field.
        page.get_by_label("Anden modtager", exact=True).check()
        page.get_by_role("button", name="Udsend rapporten").click()
        expect(page.get_by_text("Skriv, hvem rapporten sendes til.")).to_be_visible()
        problems += _problems(page, width)
        assert not IssuedReport.objects.exists()

        with page.expect_popup() as opened:
            page.get_by_role("button", name=re.compile("Forhåndsvis")).click()
        preview = opened.value
        expect(preview).to_have_title(re.compile("^Årsrapport 2023 – "))
        preview.close()

        page.get_by_label("Byrådet").check()
        page.get_by_label("Note").fill("Til byrådets møde i marts.")
        page.get_by_role("button", name="Udsend rapporten").click()
        expect(page.get_by_text("Rapporten dannes…")).to_be_visible()
        problems += _problems(page, width)

        run_worker()  # the task worker typesets and issues the PDF
        issued = IssuedReport.objects.get()
        # htmx's next poll finds it issued and opens it.
        page.wait_for_url(f"{base}{issued.get_absolute_url()}")
        expect(page.get_by_text("Til byrådets møde i marts.")).to_be_visible()
        expect(page.get_by_text("Byrådet", exact=True)).to_be_visible()
        problems += _problems(page, width)

        page.goto(f"{base}/planer/{mini.slug}/")
        expect(page.get_by_text("uændret i dagens data")).to_be_visible()
        browser.close()

    assert issued.format == "pdf"
    assert bytes(issued.content).startswith(b"%PDF")
    assert issued.issued_by == "Karen Koordinator"
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("width", [1280, 360])
def test_write_the_teams_commentary_on_the_plan_and_an_effort_area(  # type: ignore[no-untyped-def]
    live_server, mini, width: int
) -> None:
    from playwright.sync_api import expect, sync_playwright

    from fremdrift.plans.models import Commentary

    session = _coordinator_session(mini)
    base = live_server.url
    urllib.request.urlopen(f"{base}/konto/log-ind/", timeout=120).close()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport={"width": width, "height": 800}, locale="da-DK"
        )
        context.set_default_timeout(120_000)
        context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
        page = context.new_page()
        problems: list[str] = []

        page.goto(f"{base}/planer/{mini.slug}/")
        page.get_by_role("link", name=re.compile("Teamets kommentarer")).click()
        page.get_by_label("Periode").select_option(label="2. tertial 2024")
        page.get_by_role("button", name="Gem kommentar").click()
        expect(page.get_by_text("Dette felt er påkrævet.")).to_be_visible()
        problems += _problems(page, width)
        page.get_by_label("Kommentar").fill("Sommerferien gav færre mødegange.")
        page.get_by_role("button", name="Gem kommentar").click()
        # exact: each commentary's "Historik for kommentaren for 2. tertial
        # 2024" link holds the period too.
        expect(
            page.get_by_role("link", name="2. tertial 2024", exact=True)
        ).to_be_visible()
        problems += _problems(page, width)

        page.get_by_role("link", name="Børn og familier").click()
        page.get_by_label("Periode").select_option(label="2024")
        page.get_by_label("Kommentar").fill("Et år med nye forældre.")
        page.get_by_role("button", name="Gem kommentar").click()
        expect(page.get_by_role("link", name="2024", exact=True)).to_be_visible()
        problems += _problems(page, width)
        browser.close()

    assert set(Commentary.objects.values_list("period", "text")) >= {
        ("2024T2", "Sommerferien gav færre mødegange."),
        ("2024", "Et år med nye forældre."),
    }
    assert problems == [], "\n".join(problems)
