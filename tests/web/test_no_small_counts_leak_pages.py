"""No page or API answer for the board or the public shows a count of
persons that discretion hides: the plan full of small counts
(tests/small_counts.py) crawled as an anonymous visitor (the public) and
as a board member, every page they may read and every API read, the text
and the JSON scanned as the report leak test scans the reports."""

from __future__ import annotations

import datetime
import html
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from fremdrift.accounts.services import membership_grant
from fremdrift.plans.models import Activity, Plan, Population
from fremdrift.registrations.models import Attendance, Participant, Session
from fremdrift.reports.services import report_issue

from ..accounts.verified import log_in_verified
from ..api.world import ApiClient, token_for
from ..small_counts import SMALL_COUNT, small_count_plan

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Free text of the small plan that states a small count (its notes).
SMALL_NOTES = ("Kun 2 børn kom", "1 barn", "3 flyttet", "1 -> 2")
# The small plan's counts of persons that discretion hides: the
# placements of Nord (3, 2) and, as they would give those back from the
# total, Syd (7, 9); the children counted (1, 2, and their sum 3).
HIDDEN_PLACEMENTS = {"nord", "syd"}
PERSON_CRITERIA = {"bf-lektiecafe-boern"}
# A table row of a hidden count: the placements of Nord or Syd, or the
# participants of the homework café (13, its own 10 and the summer
# school's 3) and of the summer school (3), as a table prints them.
TABLE_ROWS = re.compile(
    r"(?:Eksempelby (?:Nord|Syd)|Deltagere|Nye deltagere)\s+(?:[1-9]|13)(?![\d,])"
)


@pytest.fixture
def plan(mini_folder: Path) -> Plan:
    plan = small_count_plan(mini_folder)
    for audience in ("board", "public"):
        report_issue(
            plan=plan, kind="annual", year=2023, fmt="html",
            recipient="Bestyrelsen", issued_by="Koordinatoren", audience=audience,
        )  # fmt: skip
    _register(plan.activities.get(slug="lektiecafe"), 10)
    _register(plan.activities.get(slug="lektiecafe-sommer"), 3, first=10)
    return plan


def _register(activity: Activity, persons: int, first: int = 0) -> None:
    """Two sessions in the spring of 2023 with ``persons`` participants."""
    people = [
        Participant.objects.create(plan=activity.plan, code=f"p{first + i}")
        for i in range(persons)
    ]
    for day in (datetime.date(2023, 2, 1), datetime.date(2023, 3, 1)):
        session = Session.objects.create(activity=activity, date=day)
        Attendance.objects.bulk_create(
            Attendance(session=session, participant=p) for p in people
        )


def _text(content: bytes) -> str:
    """What a reader of a page reads, as text."""
    page = content.decode("utf-8")
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _text_leaks(where: str, text: str, *, tables: bool = False) -> list[str]:
    """Small counts stated in ``text`` ("2 børn"), the notes that state
    them, and with ``tables`` the table rows of hidden counts."""
    patterns = (SMALL_COUNT, TABLE_ROWS) if tables else (SMALL_COUNT,)
    found = [
        f"{where}: {m.group(0)!r} in {text[max(0, m.start() - 60) : m.end() + 20]!r}"
        for pattern in patterns
        for m in pattern.finditer(text)
    ]
    found += [f"{where}: note {n!r}" for n in SMALL_NOTES if n in text]
    return found


def _pages(plan: Plan) -> list[str]:
    """Every page of ``plan`` the board and the public may read."""
    activities = plan.activities.values_list("slug", flat=True)
    issued = [r.get_absolute_url() for r in plan.issued_reports.all()]
    download = f"/planer/{plan.slug}/rapport/hent/?format=html&kind="
    return [
        "/",
        plan.get_absolute_url(),
        f"/planer/{plan.slug}/rapport/",
        *(f"/planer/{plan.slug}/aktiviteter/{slug}/" for slug in activities),
        *issued,
        *(f"{url}fil/" for url in issued),
        *(
            f"{download}{kind}&audience={audience}"
            for kind in ("final", "annual&year=2023", "progress&year=2023&tertial=1")
            for audience in ("board", "public")
        ),
    ]


def _board_client(plan: Plan) -> Client:
    client = Client()
    user = get_user_model().objects.create_user("bestyrelse", password="x" * 16)
    membership_grant(user=user, plan=plan, role="board")
    log_in_verified(client, user)
    return client


def test_no_page_shows_the_board_or_the_public_a_hidden_count(plan: Plan) -> None:
    board = _board_client(plan)
    nord, syd = (Population.objects.get(plan=plan, slug=s).pk for s in ("nord", "syd"))
    cross_plan = f"/oversigt/?indikator=placed&omraade={nord}&omraade={syd}"
    readers = {"public": (Client(), _pages(plan)), "board": (board, _pages(plan))}
    readers["board"][1].append(cross_plan)
    leaks = []
    for who, (client, urls) in readers.items():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (who, url, response.status_code)
            text = " ".join(_text(response.content).split())
            leaks += _text_leaks(f"{who} {url}", text, tables=True)
    assert leaks == []


def test_the_team_pages_show_what_the_others_may_not(plan: Plan) -> None:
    # The scan finds what it looks for: the team's version has it.
    team = Client()
    user = get_user_model().objects.create_user("koordinator", password="x" * 16)
    membership_grant(user=user, plan=plan, role="coordinator")
    log_in_verified(team, user)
    text = " ".join(_text(team.get(f"/planer/{plan.slug}/rapport/").content).split())
    assert _text_leaks("team", text)
    assert re.search(r"Eksempelby Nord 3 2", text)
    progress = team.get(
        f"/planer/{plan.slug}/rapport/hent/?format=html&kind=progress&year=2023"
        "&tertial=1&audience=internal"
    )
    progress_text = " ".join(_text(progress.content).split())
    assert "Deltagere 13" in progress_text
    assert "Deltagere 3" in progress_text


def _api_reads(plan: Plan) -> list[str]:
    """Every API address that reads ``plan``."""
    base = f"/api/v1/plans/{plan.slug}"
    criteria = plan.criteria.values_list("ident", flat=True)
    indicators = plan.indicators.values_list("slug", flat=True)
    activities = plan.activities.values_list("slug", flat=True)
    return [
        "/api/v1/me",
        "/api/v1/plans",
        base,
        f"{base}/criteria?as_of=2023-12-31",
        f"{base}/criteria",
        *(f"{base}/criteria/{ident}?as_of=2023-12-31" for ident in criteria),
        f"{base}/indicators",
        *(f"{base}/indicators/{slug}" for slug in indicators),
        f"{base}/observations",
        *(f"{base}/observations?indicator={slug}" for slug in indicators),
        *(
            f"{base}/activities/{slug}/{what}"
            for slug in activities
            for what in ("courses", "sessions")
        ),
    ]


def _answers(client: ApiClient, url: str) -> Iterator[tuple[int, str, Any]]:
    """Every page of the answer at ``url`` (one for an answer that is not
    a list), with its status and address."""
    page = 1
    while True:
        address = f"{url}{'&' if '?' in url else '?'}page={page}&page_size=500"
        response = client.get(address)
        body = json.loads(response.content)
        yield response.status_code, address, body
        if not isinstance(body, dict) or "page_size" not in body:
            return
        if page * body["page_size"] >= body["count"]:
            return
        page += 1


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _small(value: object) -> bool:
    return isinstance(value, int | float) and 0 < Decimal(str(value)) < 5


def _json_leaks(url: str, body: Any) -> list[str]:
    """Small counts of persons in an API answer: in its text, in an
    observation of the placements, or in a criterion counting persons;
    and a hidden placement the total and the other part would give back."""
    found = [leak for text in _strings(body) for leak in _text_leaks(url, text)]
    items = body.get("items", [body]) if isinstance(body, dict) else []
    for item in items:
        if not isinstance(item, dict):
            continue
        if item.get("indicator") == "placed":
            if _small(item["value"]) or _small(item["numerator"]):
                found.append(f"{url}: {item}")
            if item["population"] in HIDDEN_PLACEMENTS and item["value"] is not None:
                found.append(f"{url}: {item['population']} shown: {item}")
        # The persons behind any criterion's number are a count of persons.
        thin = item.get("thin_data") or {}
        if _small(item.get("persons")) or _small(thin.get("n")):
            found.append(f"{url}: {item.get('id')} rests on {item.get('persons')}")
        if item.get("id") in PERSON_CRITERIA:
            baseline = item["baseline"] or {}
            for field in (item["achieved"], item["threshold"], baseline.get("value")):
                if _small(field):
                    found.append(f"{url}: {item['id']} {field}")
    return found


def test_no_api_answer_gives_a_board_member_a_hidden_count(plan: Plan) -> None:
    user = get_user_model().objects.create(username="bestyrelse-api")
    membership_grant(user=user, plan=plan, role="board")
    board = ApiClient(token_for(user))
    anonymous = ApiClient(None)
    leaks = []
    read = 0
    for url in _api_reads(plan):
        assert anonymous.get(url).status_code == 401, url
        for status, address, body in _answers(board, url):
            # The board registers nothing: the registrations are refused.
            if "/activities/" in url:
                assert status == 403, address
                continue
            assert status == 200, (address, status)
            read += 1
            leaks += _json_leaks(address, body)
    assert leaks == []
    assert read >= 10


def test_the_api_gives_the_team_what_it_keeps_from_the_board(plan: Plan) -> None:
    user = get_user_model().objects.create(username="koordinator-api")
    membership_grant(user=user, plan=plan, role="coordinator")
    team = ApiClient(token_for(user))
    leaks = [
        leak
        for url in (
            f"/api/v1/plans/{plan.slug}/observations",
            f"/api/v1/plans/{plan.slug}/criteria?as_of=2023-12-31",
        )
        for _status, address, body in _answers(team, url)
        for leak in _json_leaks(address, body)
    ]
    assert any("nord" in leak for leak in leaks)
    assert any("bf-lektiecafe-boern" in leak for leak in leaks)


def test_no_randers_page_or_api_answer_gives_the_board_a_hidden_count(
    randers: Plan,
) -> None:
    # The raw counts Randers' criteria table printed before discretion.
    raw = re.compile(r"(?<![\d,])(?:8 -> 11|4 i 2017|2019: 2 personer|4 personer)")
    user = get_user_model().objects.create(username="bestyrelse-randers")
    membership_grant(user=user, plan=randers, role="board")
    api = ApiClient(token_for(user))
    public = Client()
    leaks = []
    for url in [
        randers.get_absolute_url(),
        f"/planer/{randers.slug}/rapport/",
        *(
            f"/planer/{randers.slug}/aktiviteter/{slug}/"
            for slug in randers.activities.filter(parent=None).values_list(
                "slug", flat=True
            )
        ),
    ]:
        response = public.get(url)
        assert response.status_code == 200, url
        text = " ".join(_text(response.content).split())
        leaks += _text_leaks(f"public {url}", text)
        leaks += [f"public {url}: {m.group(0)!r}" for m in raw.finditer(text)]
    base = f"/api/v1/plans/{randers.slug}"
    for url in (f"{base}/criteria", f"{base}/observations", f"{base}/indicators"):
        read = 0
        for status, address, body in _answers(api, url):
            assert status == 200, address
            read += len(body["items"])
            leaks += _json_leaks(address, body)
        # Every item, on every page.
        assert read == body["count"] > 0, url
    assert leaks == []
