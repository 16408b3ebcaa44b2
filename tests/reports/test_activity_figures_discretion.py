"""An activity's registration figures printed beside its sub-activities':
a hidden count of persons must not follow from the activity's figure less
the sub-activities' (secondary suppression), for the board and the
public; the team reads every figure."""

from __future__ import annotations

import datetime

import pytest

from fremdrift.core.report_model import ReportDocument, walk_sections
from fremdrift.plans.models import Activity, Plan
from fremdrift.registrations.models import Attendance, Participant, Session
from fremdrift.reports.assembly import report_build
from fremdrift.reports.renderers import RENDERERS

pytestmark = pytest.mark.django_db


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


def _figures(doc: ReportDocument, slug: str) -> dict[str, str]:
    section = next(s for s in walk_sections(doc.sections) if s.key == slug)
    return {row[0].text: row[1].text for row in section.tables[0].rows}


def _progress(plan: Plan, audience: str) -> ReportDocument:
    return report_build(
        plan=plan, kind="progress", year=2023, tertial=1, audience=audience
    )


def test_a_small_sub_activity_hides_its_activitys_figure_too(mini: Plan) -> None:
    # Lektiecaféen's own 10 and the summer school's 3: printed as 13 and
    # "<5", 13 less the activity's own 10 would give the 3 back.
    _register(Activity.objects.get(slug="lektiecafe"), 10)
    _register(Activity.objects.get(slug="lektiecafe-sommer"), 3, first=10)

    team = _progress(mini, "internal")
    assert _figures(team, "lektiecafe")["Deltagere"] == "13"
    assert _figures(team, "lektiecafe-sommer")["Deltagere"] == "3"

    for audience in ("board", "public"):
        doc = _progress(mini, audience)
        activity = _figures(doc, "lektiecafe")
        sub = _figures(doc, "lektiecafe-sommer")
        assert sub["Deltagere"] == "<5"
        assert activity["Deltagere"] == "<5"
        # Sessions count meetings, not persons: shown.
        assert activity["Mødegange"] == "4"
        assert sub["Mødegange"] == "2"
        text = RENDERERS["html"](doc).decode()
        assert ">13<" not in text


def test_an_activitys_figure_is_shown_when_no_hidden_count_follows_from_it(
    mini: Plan,
) -> None:
    _register(Activity.objects.get(slug="lektiecafe"), 10)
    _register(Activity.objects.get(slug="lektiecafe-sommer"), 7, first=10)

    board = _progress(mini, "board")

    assert _figures(board, "lektiecafe")["Deltagere"] == "17"
    assert _figures(board, "lektiecafe-sommer")["Deltagere"] == "7"


def test_an_activitys_own_small_count_hides_its_sub_activitys_figure(
    mini: Plan,
) -> None:
    # 10 for the summer school and 3 of Lektiecaféen's own: 13 less 10
    # would give the 3 back.
    _register(Activity.objects.get(slug="lektiecafe"), 3)
    _register(Activity.objects.get(slug="lektiecafe-sommer"), 10, first=3)

    board = _progress(mini, "board")

    assert _figures(board, "lektiecafe")["Deltagere"] == "13"
    assert _figures(board, "lektiecafe-sommer")["Deltagere"] == "<5"
    team = _progress(mini, "internal")
    assert _figures(team, "lektiecafe-sommer")["Deltagere"] == "10"


def _register_returning(plan: Plan, *, returning: int, new: int) -> None:
    """Lektiecaféen: ``returning`` participants in the autumn of 2022 who
    come again in the spring of 2023, beside ``new`` ones."""
    activity = Activity.objects.get(slug="lektiecafe")
    before = [
        Participant.objects.create(plan=plan, code=f"r{i}") for i in range(returning)
    ]
    autumn = Session.objects.create(activity=activity, date=datetime.date(2022, 11, 1))
    Attendance.objects.bulk_create(
        Attendance(session=autumn, participant=p) for p in before
    )
    _register(activity, new)
    spring = Session.objects.filter(activity=activity, date__year=2023)
    Attendance.objects.bulk_create(
        Attendance(session=s, participant=p) for s in spring for p in before
    )


def test_returning_participants_do_not_follow_from_participants_less_new_ones(
    mini: Plan,
) -> None:
    # 3 came in the autumn of 2022 and again in the spring, beside 9 new
    # ones: 12 participants and 9 new ones would give the 3 returning ones
    # back, so for the board and the public one of the two goes.
    _register_returning(mini, returning=3, new=9)

    team = _figures(_progress(mini, "internal"), "lektiecafe")
    assert (team["Deltagere"], team["Nye deltagere"]) == ("12", "9")
    for audience in ("board", "public"):
        figures = _figures(_progress(mini, audience), "lektiecafe")
        shown = [figures["Deltagere"], figures["Nye deltagere"]]
        assert "<5" in shown
        assert shown != ["12", "9"]


def test_participants_and_new_ones_are_shown_when_the_returning_are_many(
    mini: Plan,
) -> None:
    _register_returning(mini, returning=6, new=9)

    board = _figures(_progress(mini, "board"), "lektiecafe")
    assert (board["Deltagere"], board["Nye deltagere"]) == ("15", "9")
