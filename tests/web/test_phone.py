"""Every public and team page, and the HTML report, on a phone (360 px):
the page never scrolls sideways (a wide figure table scrolls in its own
box; the criteria table reflows into one card per criterion), and axe-core
finds no serious or critical accessibility problem.

Drives Debian's Chromium (/usr/bin/chromium); skipped where it is missing.
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Iterator

import pytest

# The live server answers beside Playwright's event loop in this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from ..accounts.verified import log_in_verified
from ..registrations import personas
from ..registrations.factories import enrol, participant
from ..reports.test_accessibility import (
    CHROMIUM,
    CHROMIUM_ARGS,
    _blocking_violations,
    _describe,
)

WIDTH = 360
RANDERS = "/planer/randers-nordby-2017-21/"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs chromium"),
]


@pytest.fixture
def phone() -> Iterator[object]:
    """A browser the size of a phone; the test adds its own contexts."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _context(browser, session: str | None = None, base: str = ""):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 740},
        is_mobile=True,
        has_touch=True,
        locale="da-DK",
    )
    if session is not None:
        context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    return context


# Every criteria table on the page reflows into cards: no element in it
# reaches past the screen's edge, and neither the table nor the box around
# it scrolls sideways.
CRITERIA_OVERFLOW = """() => {
  const found = [];
  const edge = window.innerWidth + 0.5;
  for (const table of document.querySelectorAll("table.criteria")) {
    for (const box of [table, table.parentElement]) {
      if (box.scrollWidth > box.clientWidth) {
        found.push(`${box.tagName} scrolls: ${box.scrollWidth} > ${box.clientWidth}`);
      }
    }
    for (const element of table.querySelectorAll("*")) {
      const rect = element.getBoundingClientRect();
      if (rect.width > window.innerWidth || rect.right > edge) {
        found.push(`${element.tagName} "${element.textContent.trim().slice(0, 40)}"` +
                   ` is ${Math.round(rect.width)} px wide, ends at ${Math.round(rect.right)} px`);
      }
    }
  }
  return {tables: document.querySelectorAll("table.criteria").length, found};
}"""


def _criteria_overflow(page) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    """(number of criteria tables, what of them overflows the screen)."""
    answer = page.evaluate(CRITERIA_OVERFLOW)
    return answer["tables"], answer["found"][:5]


def _problems(page, url: str, status: int = 200) -> list[str]:  # type: ignore[no-untyped-def]
    """What is wrong with the page at ``url`` on a phone: its status, its
    sideways scrolling, and its serious accessibility violations."""
    response = page.goto(url, timeout=120_000)
    found = []
    if response is None or response.status != status:
        found.append(f"{url}: status {response and response.status}")
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    if width > WIDTH or width > inner:
        found.append(f"{url}: the page is {width} px wide, the screen {inner} px")
    found += [f"{url}: criteria table: {p}" for p in _criteria_overflow(page)[1]]
    blocking = _blocking_violations(page)
    if blocking:
        found.append(f"{url}:\n{_describe(blocking)}")
    return found


def _visit(browser, base: str, paths, session: str | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    # The first request imports every view; on a busy machine that alone
    # can outlast the browser's patience.
    urllib.request.urlopen(f"{base}/konto/log-ind/", timeout=120).close()
    context = _context(browser, session, base)
    page = context.new_page()
    try:
        found = []
        for path, status in paths:
            found += _problems(page, base + path, status)
        return found
    finally:
        context.close()


@pytest.fixture
def team_pages(mini, randers) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    """A superuser's session (with the one-time code) and the team's pages
    of the small plan: made before the browser starts (see
    registrations/test_browser.py)."""
    from django.contrib.auth.models import User
    from django.test import Client

    from fremdrift.reports.cross_plan import area_populations
    from fremdrift.reports.services import report_issue

    personas.keep_running(mini)
    cafe = mini.activities.get(slug="lektiecafe")
    course = personas.running_course(cafe)
    child = participant(cafe, initials="Ali", birth_year=2015)
    enrolment = enrol(course, child)
    issued = report_issue(
        plan=mini, kind="final", fmt="html", recipient="Styregruppen",
        issued_by="Koordinatoren", audience="board",
    )  # fmt: skip
    admin = User.objects.create_superuser("admin", password=personas.PASSWORD)
    client = Client()
    log_in_verified(client, admin)
    staff = f"/registrering/{mini.slug}/lektiecafe/"
    areas = "&".join(f"omraade={p.pk}" for p in area_populations([mini, randers]))
    indicator = randers.indicators.order_by("slug").first().slug
    return client.cookies["sessionid"].value, [
        "/registrering/",
        staff,
        f"{staff}forloeb/{course.pk}/",
        f"{staff}deltagere/",
        f"{staff}deltagere/{child.pk}/",
        f"{staff}tilmeldinger/{enrolment.pk}/",
        f"{staff}kommentar/",
        f"{staff}dokumentation/",
        f"{staff}moedegange/ny/",
        "/oversigt/",
        f"/oversigt/?indikator={indicator}&{areas}",
        issued.get_absolute_url(),
        f"/planer/{mini.slug}/",
        # The team's version, with the transcription's working notes.
        RANDERS,
        f"{RANDERS}statistik/",
        # After the pages above, the access log has entries to show.
        f"/adgangslog/{mini.slug}/",
        f"/adgangslog/{mini.slug}/deltager/",
        f"/adgangslog/{mini.slug}/stikproeve/",
        "/konto/adgangskode/",
    ]


def test_the_public_pages_and_the_report_fit_a_phone(
    live_server, randers, phone
) -> None:  # type: ignore[no-untyped-def]
    paths = [
        ("/", 200),
        (RANDERS, 200),
        (f"{RANDERS}aktiviteter/legepatruljen/", 200),
        (f"{RANDERS}rapport/", 200),
        ("/konto/log-ind/", 200),
        ("/planer/ingen-saadan-plan/", 404),
    ]
    problems = _visit(phone, live_server.url, paths)
    assert problems == [], "\n".join(problems)


def test_the_criteria_table_reflows_into_cards_on_a_phone(
    live_server, randers, phone
) -> None:  # type: ignore[no-untyped-def]
    urllib.request.urlopen(f"{live_server.url}/konto/log-ind/", timeout=120).close()
    found = {}
    for width in (WIDTH, 1280):
        context = phone.new_context(viewport={"width": width, "height": 740})
        page = context.new_page()
        try:
            page.goto(f"{live_server.url}{RANDERS}rapport/", timeout=120_000)
            found[width] = page.evaluate(
                """() => {
                  const table = document.querySelector("table.criteria");
                  const cell = table.querySelector("td[data-label]");
                  return {
                    table: getComputedStyle(table).display,
                    cell: getComputedStyle(cell).display,
                    label: getComputedStyle(cell, "::before").content,
                    head: table.querySelector("thead").getBoundingClientRect().height,
                  };
                }"""
            )
            found[width]["overflow"] = _criteria_overflow(page)
        finally:
            context.close()
    tables, overflow = found[WIDTH]["overflow"]
    assert tables > 10
    assert overflow == []
    # On a phone each cell is a line of the card, labelled with its heading;
    # the heading row is there for screen readers only.
    assert (found[WIDTH]["table"], found[WIDTH]["cell"]) == ("block", "block")
    assert found[WIDTH]["label"] == '"Baseline: "'
    assert found[WIDTH]["head"] <= 1
    # On a wide screen the table is the table it always was.
    assert (found[1280]["table"], found[1280]["cell"]) == ("table", "table-cell")
    assert found[1280]["label"] == "none"
    assert found[1280]["head"] > 10


def test_the_team_pages_fit_a_phone(live_server, team_pages, phone) -> None:  # type: ignore[no-untyped-def]
    session, paths = team_pages
    problems = _visit(phone, live_server.url, [(path, 200) for path in paths], session)
    assert problems == [], "\n".join(problems)


def test_the_self_contained_html_report_fits_a_phone(randers, phone) -> None:  # type: ignore[no-untyped-def]
    from fremdrift.reports.assembly import report_build
    from fremdrift.reports.renderers import RENDERERS

    html = RENDERERS["html"](
        report_build(plan=randers, kind="final", audience="public")
    ).decode()
    context = _context(phone)
    page = context.new_page()
    try:
        page.set_content(html)
        width = page.evaluate("document.documentElement.scrollWidth")
        tables, overflow = _criteria_overflow(page)
        blocking = _blocking_violations(page)
    finally:
        context.close()
    assert width <= WIDTH
    assert tables > 10
    assert overflow == []
    assert not blocking, _describe(blocking)
