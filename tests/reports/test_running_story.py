"""Issue 15, "Running plans tell one story", on the running Eksempelby
plan: every criterion's badge, sentence, table cell and forecast show one
pace; no expected count of a counted unit is fractional; an activity's
period summary counts what it registered, outreach contacts and the head
counts of open sessions included."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db.models import Sum

from fremdrift.core.measures import MeasureKind
from fremdrift.core.periods import parse_period
from fremdrift.core.report_model import ReportDocument, Section, walk_sections
from fremdrift.planfiles.services import plan_load
from fremdrift.plans.models import Activity, Plan
from fremdrift.registrations.measures import (
    HEADCOUNT,
    activity_ids,
    measure,
    period_counts,
)
from fremdrift.registrations.models import Session
from fremdrift.reports.assembly import report_build
from fremdrift.reports.renderers import RENDERERS
from fremdrift_demo.eksempelby import registrations_generate

from ..conftest import ROOT

pytestmark = pytest.mark.django_db

EKSEMPELBY = ROOT / "examples" / "eksempelby-2025-29"
UNTIL = datetime.date(2026, 11, 1)
PACE_LABELS = {"i rute", "i risiko", "bagud"}
FRACTIONAL_EXPECTED = re.compile(r"\d,\d+ forventet")


@pytest.fixture
def generated(db) -> Plan:  # type: ignore[no-untyped-def]
    plan_load(folder=EKSEMPELBY)
    plan = Plan.objects.get(slug="eksempelby-2025-29")
    registrations_generate(plan=plan, until=UNTIL)
    return plan


def _reports(plan: Plan) -> list[ReportDocument]:
    return [
        report_build(plan=plan, kind="progress", year=2026, tertial=2),
        report_build(plan=plan, kind="annual", year=2025),
    ]


def _activity(doc: ReportDocument, name: str) -> Section:
    return next(s for s in walk_sections(doc.sections) if s.title == name)


def test_badge_sentence_table_and_forecast_show_one_pace(generated) -> None:  # type: ignore[no-untyped-def]
    at_risk = 0
    for doc in _reports(generated):
        rows = [row for s in walk_sections(doc.sections) for row in s.criteria]
        paced = [row for row in rows if row.pace]
        assert paced, doc.kind
        for row in paced:
            assert row.pace in PACE_LABELS, row.ident
            # The sentence names the same pace as the badge.
            assert row.pace in row.explanation, row.ident
            others = PACE_LABELS - {row.pace}
            assert not any(f"; {o}" in row.explanation for o in others), row.ident
            assert not any(f": {o}." in row.explanation for o in others), row.ident
            if row.outlook_label:
                assert row.outlook_label == row.pace, row.ident
                assert row.remarks[-1].endswith(f": {row.pace}."), row.ident
            at_risk += row.pace == "i risiko"
        html = RENDERERS["html"](doc).decode()
        for row in paced:
            assert row.pace[:1].upper() + row.pace[1:] in html
    # The linear pace called these on track (or off track); their forecast
    # puts the target inside its interval.
    assert at_risk


def test_no_expected_count_is_fractional(generated) -> None:  # type: ignore[no-untyped-def]
    for doc in _reports(generated):
        for section in walk_sections(doc.sections):
            for row in section.criteria:
                assert not FRACTIONAL_EXPECTED.search(row.explanation), (
                    row.ident,
                    row.explanation,
                )


def test_gadeplans_summary_shows_its_contacts(generated) -> None:  # type: ignore[no-untyped-def]
    doc = report_build(plan=generated, kind="progress", year=2026, tertial=2)
    period = parse_period("2026T2")
    gadeplan = Activity.objects.get(plan=generated, slug="gadeplan")
    figures = {
        row[0].text: row[1].value for row in _activity(doc, "Gadeplan").tables[0].rows
    }
    contacts = measure(
        MeasureKind.CONTACTS, gadeplan, period.start, period.end, period=period
    ).value
    bridges = measure(
        MeasureKind.BRIDGE_BUILDINGS, gadeplan, period.start, period.end, period=period
    ).value
    assert contacts and bridges
    assert figures == {"Kontakter": contacts, "Brobygninger": bridges}


def test_an_open_meals_summary_counts_its_heads(generated) -> None:  # type: ignore[no-untyped-def]
    doc = report_build(plan=generated, kind="progress", year=2026, tertial=2)
    period = parse_period("2026T2")
    meals = Session.objects.filter(
        activity__plan=generated,
        activity__slug="faellesspisning",
        date__gte=period.start,
        date__lte=period.end,
    )
    heads = meals.aggregate(n=Sum("headcount"))["n"]
    assert heads
    section = _activity(doc, "Fællesspisning")
    figures = {row[0].text: row[1].value for row in section.tables[0].rows}
    assert figures["Mødegange"] == meals.count()
    assert figures["Fremmødte uden navn"] == heads
    assert "Deltagere" not in figures


def test_period_counts_of_outreach_equal_the_measures(generated) -> None:  # type: ignore[no-untyped-def]
    period = parse_period("2026T2")
    activities = list(generated.activities.all())
    batched = period_counts({a.pk: activity_ids(a) for a in activities}, period)
    for activity in activities:
        for kind in (MeasureKind.CONTACTS, MeasureKind.BRIDGE_BUILDINGS):
            one = measure(kind, activity, period.start, period.end, period=period)
            assert batched[activity.pk][kind].value == one.value, (activity.slug, kind)
        heads = Session.objects.filter(
            activity_id__in=activity_ids(activity),
            date__gte=period.start,
            date__lte=period.end,
        ).aggregate(n=Sum("headcount"))["n"]
        assert batched[activity.pk][HEADCOUNT].value == (heads or 0)
