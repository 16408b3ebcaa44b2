"""Revise a target and read the criterion's change history, in Chromium at
1280 px and on a phone's 360 px. The coordinator opens "Ændr målet" from
the plan page, is told in Danish what is missing, saves a new target with
its day and reason, reads the sentence on the plan page and the revision
in the criterion's "Historik". Every page fits the screen and axe-core
finds nothing."""

from __future__ import annotations

import os
import re
import urllib.request

import pytest

# The live server answers beside Playwright's event loop in this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from ..reports.test_accessibility import CHROMIUM, CHROMIUM_ARGS
from .test_issuing_browser import _coordinator_session, _problems

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

REASON = "Caféen har fået et mindre lokale."


@pytest.mark.parametrize("width", [1280, 360])
def test_revise_a_target_and_read_its_history(live_server, mini, width: int) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    from fremdrift.plans.models import TargetRevision

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
        page.get_by_role("link", name="Ændr målet for 100 unikke børn deltager").click()
        expect(page.get_by_role("heading", name="Ændr målet")).to_be_visible()
        expect(page.get_by_text("Nuværende mål: mindst 100 børn")).to_be_visible()
        problems += _problems(page, width)

        # Neither day nor reason: told so on each field, nothing saved.
        page.get_by_label("Nyt mål").fill("90")
        page.get_by_role("button", name="Gem det nye mål").click()
        expect(
            page.get_by_text("Skriv den dato, det nye mål gælder fra.")
        ).to_be_visible()
        expect(page.get_by_text("Skriv, hvorfor målet ændres.")).to_be_visible()
        problems += _problems(page, width)
        assert not TargetRevision.objects.exists()

        page.get_by_label("Gælder fra").fill("2024-01-01")
        page.get_by_label("Begrundelse").fill(REASON)
        page.get_by_role("button", name="Gem det nye mål").click()
        sentence = f"Målet blev ændret fra 100 til 90 børn den 1. januar 2024: {REASON}"
        expect(page.get_by_text(sentence)).to_be_visible()
        problems += _problems(page, width)

        page.get_by_role(
            "link", name="Historik for succeskriteriet bf-lektiecafe-boern"
        ).click()
        expect(
            page.get_by_text(
                re.compile("Ændring af målet fra 1. januar 2024: oprettet")
            )
        ).to_be_visible()
        expect(page.get_by_role("cell", name=REASON)).to_be_visible()
        problems += _problems(page, width)
        browser.close()

    revision = TargetRevision.objects.get()
    assert (revision.previous_target, revision.target) == (
        {"number": "100"},
        {"number": "90"},
    )
    assert problems == [], "\n".join(problems)
