"""Issue 7 on the running Eksempelby plan: the progress report shows each
running count criterion's forecast to the activity's end with an interval
and an outlook, seasonal where the activity follows the school year;
shares resting on few persons are marked thin wherever they are shown; and
each forecast counts the same units as the criterion's measure."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fremdrift.core.measures import MEASURE_UNITS, MeasureFilter, MeasureKind
from fremdrift.core.model import Unit
from fremdrift.core.report_model import ReportDocument, walk_sections
from fremdrift.planfiles.services import plan_load
from fremdrift.plans.models import Criterion, Plan
from fremdrift.registrations.measures import event_dates, measure
from fremdrift.reports.assembly import report_build
from fremdrift.reports.renderers import RENDERERS
from fremdrift_demo.eksempelby import registrations_generate

from ..conftest import ROOT

pytestmark = pytest.mark.django_db

EKSEMPELBY = ROOT / "examples" / "eksempelby-2025-29"
UNTIL = datetime.date(2026, 11, 1)
FORECAST = re.compile(
    r"Med det hidtidige tempo(, korrigeret for sæsonudsving,)? bliver resultatet "
    r"ca\. \d+ [\wæøå]+ ved periodens slutning den 31\. december 2028 "
    r"\(95 %-konfidensinterval \d+ til \d+\)\. "
)
# The activities' count criteria (measured, at least N), all still running
# at the end of the second tertial of 2026.
COUNTS = {
    "lc-boern", "lc-valmuegaarden", "fk-forloeb", "fk-familier", "ms-forloeb",
    "ms-boern", "fj-unge", "gp-kontakter", "gp-brobygning", "fn-foraeldre",
    "fs-antal", "ba-ambassadoerer",
}  # fmt: skip


@pytest.fixture
def generated(db) -> Plan:  # type: ignore[no-untyped-def]
    plan_load(folder=EKSEMPELBY)
    plan = Plan.objects.get(slug="eksempelby-2025-29")
    registrations_generate(plan=plan, until=UNTIL)
    return plan


def _rows(doc: ReportDocument) -> dict[str, object]:
    return {row.ident: row for s in walk_sections(doc.sections) for row in s.criteria}


def test_the_progress_report_shows_forecasts_with_intervals(generated) -> None:  # type: ignore[no-untyped-def]
    doc = report_build(plan=generated, kind="progress", year=2026, tertial=2)
    rows = _rows(doc)
    forecasts = {
        ident: row
        for ident, row in rows.items()
        if any(FORECAST.match(remark) for remark in row.remarks)
    }
    assert set(forecasts) == COUNTS
    for row in forecasts.values():
        assert row.outlook in {"on_track", "at_risk", "off_track"}
        assert row.outlook_label in {"i rute", "i risiko", "bagud"}
        assert row.remarks[-1].endswith(f": {row.outlook_label}.")
    # The homework café follows the school year (no sessions in July);
    # outreach work goes on all year.
    assert "korrigeret for sæsonudsving" in rows["lc-boern"].remarks[-1]
    assert "korrigeret for sæsonudsving" not in rows["gp-kontakter"].remarks[-1]
    html = RENDERERS["html"](doc).decode()
    assert "95 %-konfidensinterval" in html


def test_the_annual_report_shows_forecasts_too(generated) -> None:  # type: ignore[no-untyped-def]
    doc = report_build(plan=generated, kind="annual", year=2025)
    row = _rows(doc)["lc-boern"]
    assert FORECAST.match(row.remarks[-1])


def test_shares_on_few_persons_are_marked_thin(generated) -> None:  # type: ignore[no-untyped-def]
    doc = report_build(plan=generated, kind="progress", year=2026, tertial=2)
    thin = {ident: row for ident, row in _rows(doc).items() if row.thin_data}
    assert thin
    for row in thin.values():
        n = int(re.fullmatch(r"spinkelt datagrundlag \(n = (\d+)\)", row.thin_data)[1])
        assert n < 20
        assert f"Spinkelt datagrundlag (n = {n})." in row.remarks
        assert row.achieved.endswith("%")


def test_forecasts_count_the_units_their_measure_counts(generated) -> None:  # type: ignore[no-untyped-def]
    as_of = datetime.date(2026, 8, 31)
    start = generated.start
    counted = Criterion.objects.filter(plan=generated).exclude(measure={})
    kinds = set()
    for criterion in counted.select_related("activity"):
        spec = dict(criterion.measure)
        kind = MeasureKind(spec.pop("kind"))
        if MEASURE_UNITS[kind] is not Unit.COUNT:
            continue
        kinds.add(kind)
        measure_filter = MeasureFilter(**spec)
        with CaptureQueriesContext(connection) as captured:
            dates = event_dates(kind, criterion.activity, start, as_of, measure_filter)
        # The activity and its sub-activities, then the dates.
        assert len(captured) <= 2, criterion.ident
        value = measure(kind, criterion.activity, start, as_of, measure_filter).value
        assert len(dates) == value, criterion.ident
        assert dates == sorted(dates)
        assert all(start <= day <= as_of for day in dates)
    assert kinds >= {
        MeasureKind.UNIQUE_PARTICIPANTS,
        MeasureKind.UNIQUE_HOUSEHOLDS,
        MeasureKind.SESSIONS_HELD,
        MeasureKind.COURSES_HELD,
        MeasureKind.CONTACTS,
        MeasureKind.BRIDGE_BUILDINGS,
    }


def test_new_participants_dates_are_the_newcomers_first_days(generated) -> None:  # type: ignore[no-untyped-def]
    cafe = generated.activities.get(slug="lektiecafe")
    start, end = datetime.date(2026, 5, 1), datetime.date(2026, 8, 31)
    dates = event_dates(MeasureKind.NEW_PARTICIPANTS, cafe, start, end)
    value = measure(MeasureKind.NEW_PARTICIPANTS, cafe, start, end).value
    assert len(dates) == value
    with pytest.raises(ValueError, match="not a count measure"):
        event_dates(MeasureKind.COMPLETION_RATE, cafe, start, end)


def test_the_plan_page_shows_outlooks_and_thin_marks(generated) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 9, 1, 12, tzinfo=datetime.UTC)):
        text = Client().get(generated.get_absolute_url()).content.decode()
    assert re.search(r"prognose: (i rute|i risiko|bagud)", text)
    assert "spinkelt datagrundlag (n = " in text
    assert "95 %-konfidensinterval" in text
