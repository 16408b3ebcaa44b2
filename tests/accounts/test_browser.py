"""A coordinator's first login in a real browser: password, setting up an
authenticator app from the QR page, the code; axe-core finds no serious
problems, and the content security policy blocks nothing on the way (nor
on the plan pages with their inline SVG charts).

Drives Debian's Chromium (/usr/bin/chromium); skipped where it is missing.
"""

from __future__ import annotations

import os
import re
import urllib.request
from base64 import b32decode
from collections.abc import Iterator
from pathlib import Path

import pytest
from django_otp.oath import totp

# The live server answers beside Playwright's event loop in this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from ..registrations import personas
from ..registrations.test_browser import assert_accessible

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium"),
]


@pytest.fixture
def page() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        context = browser.new_context(locale="da-DK")
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield page
        context.close()
        browser.close()


@pytest.fixture
def coordinator(mini, randers) -> str:  # type: ignore[no-untyped-def]
    """Made before the browser starts (see registrations/test_browser.py)."""
    personas.keep_running(mini)
    dorte = personas.user("dorte")
    from fremdrift.accounts.services import membership_grant

    membership_grant(user=dorte, plan=mini, role="coordinator")
    return "dorte"


def test_a_coordinator_sets_up_an_app_and_no_policy_blocks_a_page(
    live_server, coordinator: str, page
) -> None:  # type: ignore[no-untyped-def]
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )

    # The first request imports every view; on a busy machine that alone can
    # outlast the browser's patience.
    urllib.request.urlopen(f"{live_server.url}/konto/log-ind/", timeout=60).close()
    page.goto(f"{live_server.url}/registrering/")
    page.get_by_label("Brugernavn").fill(coordinator)
    page.get_by_label("Adgangskode").fill(personas.PASSWORD)
    page.get_by_role("button", name="Log ind").click()

    page.wait_for_url(re.compile(r"/konto/engangskode/ny-app/"))
    assert page.get_by_role("img", name="QR-kode til godkendelsesappen").is_visible()
    assert_accessible(page, "sæt godkendelsesapp op")
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    code = totp(b32decode(secret))
    page.get_by_label("Kode fra godkendelsesappen").fill(f"{code:06d}")
    page.get_by_role("button", name="Bekræft").click()

    page.wait_for_url(re.compile(r"/registrering/$"))
    page.get_by_text("Godkendelsesappen er sat op.").wait_for()
    for path in (
        "/planer/randers-nordby-2017-21/",
        "/planer/randers-nordby-2017-21/aktiviteter/legepatruljen/",
        "/planer/randers-nordby-2017-21/rapport/",
        "/konto/adgangskode/",
    ):
        page.goto(live_server.url + path, timeout=60_000)
    assert blocked == []
