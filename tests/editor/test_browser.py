"""The plan editor in Chromium, at 1280 px and on a phone's 360 px: a
coordinator creates a small plan from nothing and gets its first verdict,
and adds a criterion to the running test plan (choosing its kind swaps the
target fields with htmx) and sees it in the report's preview. Every page
fits the screen and axe-core finds nothing on it.

With ``FREMDRIFT_SCREENSHOTS`` set to a folder, the pages are saved there
as PNG files (editor-<width>-<page>.png)."""

from __future__ import annotations

import os
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The live server answers beside Playwright's event loop in this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from ..accounts.verified import log_in_verified
from ..reports.test_accessibility import CHROMIUM, CHROMIUM_ARGS, _describe

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs chromium"),
]

SCREENSHOTS = os.environ.get("FREMDRIFT_SCREENSHOTS", "")
NEW = "nordby-2026-30"


def _coordinator_session(plan: Any) -> str:
    """A coordinator of ``plan``, logged in with the one-time code."""
    from django.contrib.auth.models import User
    from django.test import Client

    from fremdrift.accounts.models import PlanMembership

    person = User.objects.create_user("koordinator", password="x")
    PlanMembership.objects.create(
        user=person, plan=plan, role=PlanMembership.Role.COORDINATOR
    )
    client = Client()
    log_in_verified(client, person)
    return client.cookies["sessionid"].value


@pytest.fixture(params=[1280, 360], ids=["desktop", "phone"])
def page(request, live_server, mini) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)
    width = request.param
    session = _coordinator_session(mini)
    # The first request imports every view; give it time on a busy machine.
    urllib.request.urlopen(f"{live_server.url}/konto/log-ind/", timeout=120).close()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport={"width": width, "height": 800},
            is_mobile=width < 400,
            has_touch=width < 400,
            locale="da-DK",
        )
        context.set_default_timeout(60_000)
        context.add_cookies(
            [{"name": "sessionid", "value": session, "url": live_server.url}]
        )
        tab = context.new_page()
        tab.width = width
        tab.base = live_server.url
        yield tab
        context.close()
        browser.close()


def _check(page: Any, name: str) -> list[str]:
    """Sideways scrolling and every axe-core finding on the page."""
    from axe_playwright_python.sync_playwright import Axe

    found = []
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > page.width:
        found.append(f"{page.url}: {scroll} px wide on a {page.width} px screen")
    violations = Axe().run(page).response["violations"]
    if violations:
        found.append(f"{page.url}:\n{_describe(violations)}")
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=f"{SCREENSHOTS}/editor-{page.width}-{name}.png", full_page=True
        )
    return found


def _saved(page: Any) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_text("Ændringen er gemt.")).to_be_visible()


def test_create_a_small_plan_from_nothing_and_get_its_first_verdict(
    page: Any,
) -> None:
    from playwright.sync_api import expect

    from fremdrift.plans.models import Criterion, Plan

    problems: list[str] = []
    page.goto(f"{page.base}/redigering/ny/")
    problems += _check(page, "plan-new")
    page.get_by_label("Kortnavn").fill(NEW)
    page.get_by_label("Planens navn").fill("Nordby 2026-30")
    page.get_by_label("Organisation (sekretariat)").select_option(
        "Eksempelby Sekretariat"
    )
    page.get_by_label("Start", exact=True).fill("2026-01-01")
    # The end first before the start: refused on the field, nothing made.
    page.get_by_label("Slut", exact=True).fill("2025-12-31")
    page.get_by_role("button", name="Opret planen").click()
    expect(page.get_by_text("Planen slutter, før den begynder.")).to_be_visible()
    problems += _check(page, "plan-new-error")
    assert not Plan.objects.filter(slug=NEW).exists()
    page.get_by_label("Slut", exact=True).fill("2030-12-31")
    page.get_by_role("button", name="Opret planen").click()
    expect(page.get_by_text("Planen er oprettet.")).to_be_visible()
    expect(page.get_by_role("heading", name="Redigér Nordby 2026-30")).to_be_visible()
    problems += _check(page, "plan-empty")

    page.get_by_role("link", name="Tilføj indsatsområde").click()
    page.get_by_label("Kortnavn").fill("boern")
    page.get_by_label("Indsatsområdets navn").fill("Børn og unge")
    page.get_by_role("button", name="Gem").click()
    _saved(page)
    page.get_by_role("link", name="Tilføj aktivitet").click()
    page.get_by_label("Kortnavn").fill("lektiecafe")
    page.get_by_label("Aktivitetens navn").fill("Lektiecafé")
    page.get_by_label("Start", exact=True).fill("2026-02-01")
    page.get_by_role("button", name="Gem").click()
    _saved(page)

    # The activity's "Tilføj succeskriterie" (the effort area has one too).
    page.locator("#activity-lektiecafe").get_by_role(
        "link", name="Tilføj succeskriterie"
    ).click()
    page.get_by_label("Id").fill("lc-boern")
    page.get_by_label("Succeskriterie").fill("Mindst 30 børn kommer i caféen")
    page.get_by_label("Slags kriterium").select_option("at_least")
    # htmx swaps the target fields for the kind's; type once they are in.
    page.wait_for_load_state("networkidle")
    page.get_by_label("Mål", exact=True).fill("30")
    page.get_by_label("Enhed", exact=True).select_option("count")
    page.get_by_label("Enhedens tekst (fx “familier”)").fill("børn")
    page.get_by_label("Indberettede værdier (teamet indtaster tallene)").check()
    problems += _check(page, "criterion-new")
    page.get_by_role("button", name="Gem").click()
    _saved(page)
    problems += _check(page, "plan-editor")

    page.locator("#criterion-lc-boern").get_by_role("link").first.click()
    page.get_by_role("link", name="Indberettede værdier pr. periode").click()
    first = page.get_by_role("group", name="Række 1")
    # A tertial that has ended: the verdict is judged on ended periods.
    first.get_by_label("Periode", exact=True).fill("2026T2")
    first.get_by_label("Værdi", exact=True).fill("34")
    first.get_by_label("Kilde", exact=True).fill("Optælling i december")
    problems += _check(page, "values")
    page.get_by_role("button", name="Gem værdierne").click()
    expect(page.get_by_text("De indberettede værdier er gemt.")).to_be_visible()

    # The first verdict, on the plan's own page.
    page.get_by_role("link", name="Nordby 2026-30").first.click()
    expect(page.get_by_role("heading", name="Nordby 2026-30", level=1)).to_be_visible()
    criterion = page.get_by_text("Mindst 30 børn kommer i caféen").first
    expect(criterion).to_be_visible()
    expect(page.locator("main")).to_contain_text("Opnået")
    problems += _check(page, "plan-page")

    assert problems == [], "\n".join(problems)
    made = Criterion.objects.get(plan__slug=NEW, ident="lc-boern")
    assert made.target == {"number": "30"}
    assert [(v.period, v.value) for v in made.reported_values.all()] == [("2026T2", 34)]


def test_add_a_criterion_and_see_it_in_the_report(page: Any) -> None:
    from playwright.sync_api import expect

    slug = "eksempelby-2022-26"
    problems: list[str] = []
    page.goto(f"{page.base}/planer/{slug}/")
    page.get_by_role("link", name="Redigér planen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Redigér")
    problems += _check(page, "mini-editor")

    page.locator("#activity-lektiecafe").get_by_role(
        "link", name="Tilføj succeskriterie"
    ).first.click()
    page.get_by_label("Id").fill("lc-forloeb")
    page.get_by_label("Succeskriterie").fill("Mellem 3 og 5 forløb om året")
    # A range: htmx swaps the single target for its minimum and maximum.
    expect(page.get_by_label("Mål", exact=True)).to_be_visible()
    page.get_by_label("Slags kriterium").select_option("range")
    expect(page.get_by_label("Mindst", exact=True)).to_be_visible()
    expect(page.get_by_label("Mål", exact=True)).to_have_count(0)
    page.get_by_label("Mindst", exact=True).fill("3")
    page.get_by_label("Højst", exact=True).fill("5")
    page.get_by_label("Enhed", exact=True).select_option("count")
    page.get_by_label("Enhedens tekst (fx “familier”)").fill("forløb")
    page.get_by_label("Vurderes på").select_option("each")
    page.get_by_label("Indberettede værdier (teamet indtaster tallene)").check()
    problems += _check(page, "criterion-range")
    page.get_by_role("button", name="Gem").click()
    _saved(page)

    page.goto(f"{page.base}/redigering/{slug}/kriterier/lc-forloeb/vaerdier/")
    for i, (period, value) in enumerate([("2022", "4"), ("2023", "6")]):
        row = page.get_by_role("group", name=f"Række {i + 1}")
        row.get_by_label("Periode", exact=True).fill(period)
        row.get_by_label("Værdi", exact=True).fill(value)
    page.get_by_role("button", name="Gem værdierne").click()
    expect(page.get_by_text("De indberettede værdier er gemt.")).to_be_visible()

    page.goto(f"{page.base}/planer/{slug}/")
    page.get_by_role("link", name="Udsend en rapport").click()
    page.get_by_label("Rapport", exact=True).select_option("final")
    with page.expect_popup() as opened:
        page.get_by_role("button", name=re.compile("Forhåndsvis")).click()
    preview = opened.value
    preview.width = page.width
    preview.wait_for_load_state()
    row = preview.locator("tr", has_text="Mellem 3 og 5 forløb om året").first
    expect(row).to_be_visible()
    problems += _check(preview, "report-preview")
    preview.close()

    assert problems == [], "\n".join(problems)
