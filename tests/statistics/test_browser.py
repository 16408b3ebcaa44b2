"""Upload statistics, preview, confirm and undo, in Chromium at 1280 px and
at 360 px, with axe finding no serious or critical problem on any page.

Drives Debian's Chromium (/usr/bin/chromium); skipped where it is missing.
"""

from __future__ import annotations

import os
import re
import urllib.request
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from ..reports.test_accessibility import (
    CHROMIUM,
    CHROMIUM_ARGS,
    _blocking_violations,
    _describe,
)

LONG = Path(__file__).resolve().parent / "fixtures" / "lbf" / "lbf-long.xlsx"
SCREENSHOTS = Path(os.environ.get("FREMDRIFT_SCREENSHOTS", "/tmp/fremdrift-screens"))

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs chromium"),
]


@pytest.fixture
def coordinator_session(plan, settings, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A coordinator's session with the one-time code, made before the
    browser starts."""
    from django.contrib.auth.models import User
    from django.test import Client

    from fremdrift.accounts.services import membership_grant

    from ..accounts.verified import log_in_verified

    settings.MEDIA_ROOT = tmp_path / "media"
    user = User.objects.create_user("koordinator", password="hemmeligt-kodeord-42")
    membership_grant(user=user, plan=plan, role="coordinator")
    client = Client()
    log_in_verified(client, user)
    return client.cookies["sessionid"].value


def _check(page, name: str, width: int) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(
        path=str(SCREENSHOTS / f"statistics-{name}-{width}.png"), full_page=True
    )
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name}: the page is {scroll} px wide at {width} px"
    blocking = _blocking_violations(page)
    assert not blocking, f"{name} at {width} px:\n{_describe(blocking)}"


@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 360])
def test_upload_statistics_preview_confirm_and_undo(
    live_server, coordinator_session, plan, width
) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    from fremdrift.statistics.models import ImportBatch, Observation

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    urllib.request.urlopen(f"{base}/konto/log-ind/", timeout=120).close()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport={"width": width, "height": 800}, locale="da-DK"
        )
        context.add_cookies(
            [{"name": "sessionid", "value": coordinator_session, "url": base}]
        )
        page = context.new_page()
        try:
            page.goto(f"{base}/planer/{plan.slug}/statistik/", timeout=120_000)
            _check(page, "list", width)
            # A file of no known layout is refused on its field.
            page.get_by_label("Fil med tal").set_input_files(
                files=[
                    {"name": "x.csv", "mimeType": "text/csv", "buffer": b"a;b\n1;2\n"}
                ]
            )
            page.get_by_role("button", name="Kontrollér og vis ændringer").click()
            page.wait_for_load_state()
            assert "Upload en mappingfil" in page.locator("#id_file-error").inner_text()
            _check(page, "refused", width)

            page.get_by_label("Fil med tal").set_input_files(str(LONG))
            page.get_by_role("button", name="Kontrollér og vis ændringer").click()
            page.wait_for_url(re.compile(r"/forhaandsvis/$"))
            counts = page.locator(".counts").inner_text()
            assert "13" in counts and "5" in counts
            row = page.locator("tr.outcome-changed", has_text="2022").first
            assert "40,5" in row.inner_text() and "46,3" in row.inner_text()
            _check(page, "preview", width)
            assert ImportBatch.objects.count() == 0

            page.get_by_role("button", name="Indlæs tallene").click()
            page.wait_for_url(re.compile(r"/statistik/\d+/$"))
            assert "Indlæst: 13 nye, 5 ændrede" in page.content()
            _check(page, "imported", width)
            assert Observation.objects.filter(batch__isnull=False).count() == 18

            page.get_by_role("button", name="Fortryd hele indlæsningen").click()
            page.wait_for_url(re.compile(r"/statistik/$"))
            assert "Indlæsningen er fortrudt" in page.content()
            assert "fortrudt" in page.locator("table").inner_text()
            _check(page, "undone", width)
        finally:
            context.close()
            browser.close()
    assert Observation.objects.filter(batch__isnull=False).count() == 0
    assert ImportBatch.objects.get().status == ImportBatch.Status.UNDONE
