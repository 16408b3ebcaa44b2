"""The three report kinds, assembled from the database."""

from __future__ import annotations

import datetime

import pytest

from fremdrift.core.model import Outcome
from fremdrift.core.report_model import ReportDocument, Section
from fremdrift.reports.assembly import ReportRequestError, report_build
from fremdrift.reports.renderers import RENDERERS

pytestmark = pytest.mark.django_db


def _sections(sections: tuple[Section, ...]) -> list[Section]:
    found = []
    for section in sections:
        found.append(section)
        found.extend(_sections(section.subsections))
    return found


def _rows(doc: ReportDocument) -> dict[str, object]:
    return {row.ident: row for s in _sections(doc.sections) for row in s.criteria}


def test_the_final_report_has_every_criterion_and_the_goal_charts(randers) -> None:  # type: ignore[no-untyped-def]
    doc = report_build(plan=randers, kind="final", as_of=datetime.date(2022, 6, 1))

    assert len(_rows(doc)) == 77
    titles = [s.title for s in doc.sections]
    assert titles[:3] == [
        "Indledning",
        "Evalueringsmetode og datagrundlag",
        "Resultater på de overordnede mål",
    ]
    goals = doc.sections[2].subsections
    education = goals[0]
    assert education.charts[0].axis_label == "Andel i %"
    assert any(
        "Andelen i Glarbjergvej-området er steget fra 55 % i 2015 til 63,1 % i 2021"
        in p
        for p in education.paragraphs
    )
    crime = next(s for s in goals if "tryghed" in s.title.lower())
    assert {c.axis_label for c in crime.charts} >= {"Personer pr. 1.000 beboere"}


def test_the_annual_report_judges_as_of_the_year_and_says_what_changed(mini) -> None:  # type: ignore[no-untyped-def]
    doc = report_build(plan=mini, kind="annual", year=2023)

    assert doc.title == "Årsrapport 2023"
    rows = _rows(doc)
    children = rows["bf-lektiecafe-boern"]
    # 40 in 2022 and 70 in 2023 sum to 110 by the end of 2023: reached.
    assert children.outcome == Outcome.ACHIEVED
    assert children.change.startswith("Fra 40 børn til 110 børn")
    employment = rows["goal-employment-nord"]
    assert employment.outcome == Outcome.PENDING
    assert employment.pace == "i rute"
    assert (
        employment.change
        == "Første måling; vurderingen er ændret fra kan ikke måles til i rute."
    )


def test_the_annual_report_shows_only_what_was_known_at_the_year_end(mini) -> None:  # type: ignore[no-untyped-def]
    doc = report_build(plan=mini, kind="annual", year=2022)

    rows = _rows(doc)
    assert rows["bf-lektiecafe-boern"].achieved == "40 børn"
    # A fifth of the plan has passed: 40 of 100 is ahead of the linear pace.
    assert rows["bf-lektiecafe-boern"].pace == "i rute"


def test_the_progress_report_is_activity_level_with_the_tertials_commentary(
    mini,
) -> None:  # type: ignore[no-untyped-def]
    doc = report_build(plan=mini, kind="progress", year=2023, tertial=1)

    assert doc.title == "Fremdriftsrapport 1. tertial 2023"
    assert doc.period_text == "1. januar 2023 – 30. april 2023"
    assert "goal-employment-nord" not in _rows(doc)
    assert "bf-fravaer" not in _rows(doc)
    cafe = next(s for s in _sections(doc.sections) if s.key == "lektiecafe")
    assert cafe.commentary == (
        ("1. tertial 2023", "Flere børn kom efter vinterferien."),
    )


def test_the_final_report_shows_all_commentary(mini) -> None:  # type: ignore[no-untyped-def]
    doc = report_build(plan=mini, kind="final")
    cafe = next(s for s in _sections(doc.sections) if s.key == "lektiecafe")
    assert ("Hele perioden", "Lektiecaféen har fundet sin form.") in cafe.commentary


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"kind": "annual"}, "needs a year"),
        ({"kind": "annual", "year": 2031}, "the plan runs 2022-2026"),
        ({"kind": "progress", "year": 2023}, "needs a tertial"),
        ({"kind": "monthly"}, "unknown report kind"),
    ],
)
def test_a_report_that_does_not_fit_the_plan_is_refused(
    mini, arguments, message
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ReportRequestError, match=message):
        report_build(plan=mini, **arguments)


@pytest.mark.parametrize("kind", ["final", "annual", "progress"])
def test_every_kind_renders_as_html(mini, kind: str) -> None:  # type: ignore[no-untyped-def]
    doc = report_build(plan=mini, kind=kind, year=2023, tertial=2)
    html = RENDERERS["html"](doc).decode()
    assert doc.title in html
    assert "Eksempelby" in html
