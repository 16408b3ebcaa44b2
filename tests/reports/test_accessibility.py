"""The report and the plan page in a real browser, checked by axe-core.

Serious and critical violations fail the test; moderate and minor ones are
printed so they can be fixed when convenient. Skipped where Chromium is not
installed (CI installs it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BLOCKING = {"serious", "critical"}
PAGES = (
    "/planer/randers-nordby-2017-21/rapport/",
    "/planer/randers-nordby-2017-21/",
    "/planer/randers-nordby-2017-21/aktiviteter/legepatruljen/",
    "/",
)

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="Chromium is not installed"
)

# Playwright's sync API runs an event loop in this thread; the live server
# answers from its own thread, so Django's guard against ORM calls inside an
# event loop only gets in the way here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _blocking_violations(page) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    others = [v for v in violations if v["impact"] not in BLOCKING]
    if others:
        print(f"\n{page.url}: minor accessibility findings\n{_describe(others)}")
    return [v for v in violations if v["impact"] in BLOCKING]


def _describe(violations: list[dict]) -> str:  # type: ignore[type-arg]
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}"
            f" - {len(violation['nodes'])} element(s), e.g. {targets}"
        )
    return "\n".join(lines)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", PAGES)
def test_the_page_has_no_serious_accessibility_violations(
    browser, live_server, randers, path: str
) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    try:
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == 200
        blocking = _blocking_violations(page)
    finally:
        page.close()
    assert not blocking, f"{path}:\n{_describe(blocking)}"


def test_charts_have_no_serious_accessibility_violations(browser) -> None:  # type: ignore[no-untyped-def]
    from django.template.loader import render_to_string

    from fremdrift.reports.renderers.html import stylesheet

    from .test_charts import charged_per_1000, employment_line

    figures = "".join(
        render_to_string("reports/figure.html", {"chart": chart})
        for chart in (charged_per_1000(), employment_line(), charged_per_1000())
    )
    html = (
        '<!DOCTYPE html><html lang="da"><head><meta charset="utf-8">'
        "<title>Figurer</title><style>"
        + stylesheet()
        + f"</style></head><body><main><h1>Figurer</h1>{figures}</main></body></html>"
    )
    page = browser.new_page()
    try:
        page.set_content(html)
        name = page.get_by_role("img").first.get_attribute("aria-label")
        blocking = _blocking_violations(page)
    finally:
        page.close()
    assert name is not None
    assert name.startswith("Søjlediagram")
    assert not blocking, _describe(blocking)
