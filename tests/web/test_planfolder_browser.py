"""The plan folder in a real browser, at 1280 px and on a phone (360 px): a
coordinator downloads the plan as a folder, changes it, uploads the zip,
reads the preview and applies it. Every page fits the screen and axe-core
finds no serious or critical problem on it."""

from __future__ import annotations

import io
import os
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# The live server answers beside Playwright's event loop in this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from ..accounts.verified import log_in_verified
from ..plans.test_preview import modify
from ..reports.test_accessibility import (
    CHROMIUM,
    CHROMIUM_ARGS,
    _blocking_violations,
    _describe,
)

SLUG = "eksempelby-2022-26"

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def coordinator_session(mini, settings, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    """A coordinator of the small plan, logged in with the one-time code;
    made before the browser starts."""
    from django.contrib.auth.models import User
    from django.test import Client

    from fremdrift.accounts.models import PlanMembership

    settings.MEDIA_ROOT = tmp_path / "media"
    user = User.objects.create_user("koordinator", password="x")
    PlanMembership.objects.create(
        user=user, plan=mini, role=PlanMembership.Role.COORDINATOR
    )
    client = Client()
    log_in_verified(client, user)
    return client.cookies["sessionid"].value


def _fits(page, width: int) -> list[str]:  # type: ignore[no-untyped-def]
    """What is wrong with the page in view: sideways scrolling, axe."""
    found = []
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        found.append(f"{page.url}: {scroll} px wide on a {width} px screen")
    blocking = _blocking_violations(page)
    if blocking:
        found.append(f"{page.url}:\n{_describe(blocking)}")
    return found


def _changed_zip(downloaded: Path, work: Path) -> Path:
    """The downloaded zip with modify()'s changes made in its folder."""
    with zipfile.ZipFile(downloaded) as archive:
        archive.extractall(work)
    folder = work / SLUG
    modify(folder)
    changed = work / f"{SLUG}.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"{SLUG}/{path.name}")
    changed.write_bytes(buffer.getvalue())
    return changed


@pytest.mark.parametrize("width", [1280, 360])
def test_download_change_upload_preview_and_apply_the_plan_folder(
    live_server, browser, coordinator_session: str, tmp_path: Path, width: int
) -> None:  # type: ignore[no-untyped-def]
    from fremdrift.plans.models import Activity, Criterion, Decision

    base = live_server.url
    # The first request imports every view; give it time on a busy machine.
    urllib.request.urlopen(f"{base}/konto/log-ind/", timeout=120).close()
    context = browser.new_context(
        viewport={"width": width, "height": 800},
        is_mobile=width < 400,
        has_touch=width < 400,
        locale="da-DK",
        accept_downloads=True,
    )
    context.add_cookies(
        [{"name": "sessionid", "value": coordinator_session, "url": base}]
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    problems: list[str] = []
    try:
        page.goto(f"{base}/planer/{SLUG}/")
        problems += _fits(page, width)
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Hent planen som mappe").click()
        download = download_info.value
        assert download.suggested_filename == f"{SLUG}.zip"
        downloaded = tmp_path / "downloaded.zip"
        download.save_as(downloaded)
        changed = _changed_zip(downloaded, tmp_path / "work")

        page.get_by_role("link", name="Indlæs en ændret planmappe").click()
        # The click starts a navigation: measure the page it leads to, not
        # the one being left (whose document may be gone already).
        page.get_by_label("Planmappe som zip-fil").wait_for()
        page.wait_for_load_state()
        problems += _fits(page, width)
        page.get_by_label("Planmappe som zip-fil").set_input_files(changed)
        page.get_by_role("button", name="Kontrollér og vis ændringer").click()
        page.get_by_role("heading", name="Ændringer fra planmappen").wait_for()
        problems += _fits(page, width)
        page.screenshot(path=tmp_path / f"preview-{width}.png", full_page=True)
        text = page.inner_text("main")
        assert "1 oprettes" in text and "2 ændres" in text and "1 slettes" in text
        assert "familieklub Familieklub" in text
        target = page.locator(".plan-changes li li", has_text="target")
        assert " ".join(target.inner_text().split()) == "target: før: 100 → efter: 90"
        assert Criterion.objects.get(ident="bf-lektiecafe-boern").target == {
            "number": "100"
        }

        page.get_by_role("button", name="Anvend ændringerne").click()
        page.get_by_text("Ændringerne er anvendt på planen.").wait_for()
        problems += _fits(page, width)
        page.screenshot(path=tmp_path / f"applied-{width}.png", full_page=True)
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
    assert Criterion.objects.get(ident="bf-lektiecafe-boern").target == {"number": "90"}
    assert Activity.objects.filter(slug="familieklub").exists()
    assert not Decision.objects.filter(activity__slug="lektiecafe").exists()
