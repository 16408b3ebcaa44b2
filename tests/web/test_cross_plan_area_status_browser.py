"""The cross-plan view's section on the law's statuses in a browser, on
a wide screen (1280 px) and a phone (360 px): both tables are there, the
page never scrolls sideways (the counts scroll in their own box, the
nearest thresholds become one card per row on the phone), and
axe-core finds no serious or critical accessibility problem.

Drives Debian's Chromium (/usr/bin/chromium)."""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

# The live server answers beside Playwright's event loop in this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from ..accounts.verified import log_in_verified
from ..areastatus.figures import bind_law_figures
from ..registrations import personas
from ..reports.test_accessibility import (
    CHROMIUM,
    CHROMIUM_ARGS,
    _blocking_violations,
    _describe,
)
from .test_cross_plan_area_status import NONE, PARALLEL, PREVENTION, SMALL, _plan_copy

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (1280, 360)


@pytest.fixture
def session(tmp_path: Path) -> str:
    """A superuser's session (with the one-time code), over two plans
    with the law's figures; made before the browser starts."""
    from django.contrib.auth.models import User
    from django.test import Client

    a = _plan_copy(tmp_path, "plan-a", "Helhedsplan A")
    b = _plan_copy(tmp_path, "plan-b", "Helhedsplan B")
    bind_law_figures(a, {"nord": PARALLEL, "syd": SMALL})
    bind_law_figures(b, {"nord": PREVENTION, "syd": NONE})
    admin = User.objects.create_superuser("admin", password=personas.PASSWORD)
    client = Client()
    log_in_verified(client, admin)
    return client.cookies["sessionid"].value


@pytest.fixture
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        found = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield found
        found.close()


def test_the_section_reads_on_a_wide_screen_and_a_phone(
    live_server, session: str, browser
) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    # The first request imports every view; on a busy machine that alone
    # can outlast the browser's patience.
    urllib.request.urlopen(f"{base}/konto/log-ind/", timeout=120).close()
    problems = []
    for width in WIDTHS:
        context = browser.new_context(  # type: ignore[attr-defined]
            viewport={"width": width, "height": 800},
            is_mobile=width < 400,
            has_touch=width < 400,
            locale="da-DK",
        )
        context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
        page = context.new_page()
        try:
            response = page.goto(f"{base}/oversigt/", timeout=120_000)
            assert response is not None and response.status == 200
            section = page.locator("section.area-status-overview")
            assert section.locator("table.area-status-counts tbody tr").count() == 4
            nearest = section.locator("table.area-status-nearest tbody tr")
            assert nearest.count() == 10
            assert "tæt på at komme af listen" in nearest.first.inner_text()
            # On a phone each row is a card, each cell labelled.
            display = page.evaluate(
                "getComputedStyle(document.querySelector("
                "'table.area-status-nearest')).display"
            )
            assert display == ("block" if width < 400 else "table")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            inner = page.evaluate("window.innerWidth")
            if scroll > inner:
                problems.append(f"{width} px: the page is {scroll} px wide")
            blocking = _blocking_violations(page)
            if blocking:
                problems.append(f"{width} px:\n{_describe(blocking)}")
        finally:
            context.close()
    assert problems == [], "\n".join(problems)
