"""Materialised measures (base/freshness.py): what the cache holds for a
plan always equals the live computation, after every kind of write, and
reading a warm plan asks the database almost nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fremdrift.base.freshness import (
    DERIVED_MODELS,
    DOMAIN_APPS,
    _path_to_plan,
    data_key,
    plan_data_changed,
)
from fremdrift.base.history import is_change_history
from fremdrift.core.discretion import Audience
from fremdrift.evaluation.selectors import (
    criterion_inputs,
    plan_judged_criteria,
    stored_criterion_inputs,
)
from fremdrift.evaluation.statuses import _plan_statuses, stored_plan_statuses
from fremdrift.planfiles.services import plan_load
from fremdrift.plans.models import Criterion, Plan
from fremdrift.privacy.gdpr import command_actor, participant_erase
from fremdrift.registrations import services
from fremdrift.registrations.models import Attendance, Participant, Session
from fremdrift.reports.assembly import report_build
from fremdrift.statistics.services import import_batch_undo, observations_import
from fremdrift.web.fragments import plan_page_parts, plan_page_render

from ..registrations import personas
from ..registrations.factories import enrol, participant

pytestmark = pytest.mark.django_db


def test_every_domain_row_leads_to_its_plan_but_organisations() -> None:
    """A model without a way to its plan would renew every plan on each
    save: that is allowed only for the organisation above the plans. (Rows
    made from the data, DERIVED_MODELS, renew nothing and are left out.)"""
    without = [
        model._meta.label
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
        if _path_to_plan(model) is None
        and (model._meta.app_label, model._meta.model_name) not in DERIVED_MODELS
        and not is_change_history(model)
    ]
    assert without == ["plans.Organisation"]
    assert _path_to_plan(Attendance) == ["participant", "plan"]


def test_a_key_changes_with_a_write_and_at_commit(mini) -> None:  # type: ignore[no-untyped-def]
    before = data_key(mini.pk, "x")
    assert data_key(mini.pk, "x") == before
    plan_data_changed(mini.pk)
    assert data_key(mini.pk, "x") != before
    other = Plan.objects.exclude(pk=mini.pk).first()
    unrelated = data_key(other.pk, "x") if other else None
    plan_data_changed(mini.pk)
    if other:
        assert data_key(other.pk, "x") == unrelated


def test_every_plan_is_renewed_when_no_plan_is_named(mini, randers) -> None:  # type: ignore[no-untyped-def]
    keys = {plan.pk: data_key(plan.pk, "x") for plan in (mini, randers)}
    plan_data_changed(None)
    assert all(data_key(pk, "x") != key for pk, key in keys.items())


@pytest.mark.django_db(transaction=True)
def test_the_token_is_renewed_again_when_the_writer_commits(mini_folder) -> None:  # type: ignore[no-untyped-def]
    """A reader between the write and the commit sees the old rows; what
    it stores must not survive the commit."""
    from fremdrift.planfiles.services import plan_load

    plan_load(folder=mini_folder)
    plan = Plan.objects.get(slug="eksempelby-2022-26")
    with transaction.atomic():
        plan_data_changed(plan.pk)
        during = data_key(plan.pk, "x")
    assert data_key(plan.pk, "x") != during


def _live_equals_stored(plan: Plan, day: datetime.date, *, pages: bool = False) -> None:
    """The stored measures, the staff pages' criteria and (``pages``) the
    plan page's rendered parts equal what is computed afresh."""
    assert stored_criterion_inputs(plan=plan, as_of=day) == criterion_inputs(
        plan=plan, as_of=day
    )
    assert stored_plan_statuses(plan=plan, as_of=day) == _plan_statuses(
        plan=plan, as_of=day
    )
    if pages:
        # The page shows today's report, as the board sees it.
        assert day == timezone.localdate()
        parts = plan_page_parts(plan=plan, audience=Audience.BOARD, lang="da")
        live = plan_page_render(
            plan=plan,
            document=report_build(
                plan=plan, kind="final", as_of=day, audience=Audience.BOARD
            ),
        )
        assert {
            "head": parts.head,
            "verdicts": parts.verdicts,
            "lawstatus": parts.lawstatus,
        } == live


@pytest.fixture
def world(mini):  # type: ignore[no-untyped-def]
    cafe = mini.activities.get(slug="lektiecafe")
    alice = personas.alice(cafe)
    personas.keep_running(mini)
    course = personas.running_course(cafe)
    children = [participant(cafe, birth_year=2014) for _ in range(6)]
    for child in children:
        enrol(course, child)
    sessions = [
        Session.objects.create(
            activity=cafe, course=course, date=course.start + datetime.timedelta(w)
        )
        for w in (0, 7, 14)
    ]
    return mini, cafe, alice, course, children, sessions


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["attend", "unattend", "new-session", "delete-session", "criterion"]
        ),
        st.integers(0, 5),
        st.integers(0, 2),
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(operations=OPERATIONS)
def test_stored_measures_equal_live_ones_after_any_writes(world, operations) -> None:  # type: ignore[no-untyped-def]
    plan, cafe, alice, course, children, _sessions = world
    day = timezone.localdate()
    _live_equals_stored(plan, day, pages=True)  # warm
    for operation, who, which in operations:
        # The world outlives one example (Hypothesis reuses the fixture), so
        # earlier examples may have deleted every session: start one anew.
        if not Session.objects.filter(activity=cafe).exists():
            services.session_create(course=course, date=course.start, user=alice)
        session = Session.objects.filter(activity=cafe).order_by("pk")[
            which % Session.objects.filter(activity=cafe).count()
        ]
        present = set(session.attendance.values_list("participant_id", flat=True))
        if operation == "attend":
            present.add(children[who].pk)
            services.session_attendance_set(
                session=session, participant_ids=present, user=alice
            )
        elif operation == "unattend":
            present.discard(children[who].pk)
            services.session_attendance_set(
                session=session, participant_ids=present, user=alice
            )
        elif operation == "new-session":
            services.session_create(
                course=course,
                date=course.start + datetime.timedelta(days=who + 1),
                user=alice,
            )
        elif operation == "delete-session" and who % 2:
            session.delete()
        elif operation == "criterion":
            criterion = Criterion.objects.filter(plan=plan).order_by("pk")[which]
            criterion.text = f"{criterion.text} {who}".strip()
            criterion.save()
        _live_equals_stored(plan, day)
    _live_equals_stored(plan, day, pages=True)


def test_an_erased_participant_leaves_the_stored_measures(world) -> None:  # type: ignore[no-untyped-def]
    plan, _cafe, alice, _course, children, sessions = world
    services.session_attendance_set(
        session=sessions[0], participant_ids=[c.pk for c in children], user=alice
    )
    day = timezone.localdate()
    _live_equals_stored(plan, day)
    participant_erase(
        plan=plan, code=children[0].code, reason="test", actor=command_actor("t")
    )
    assert not Participant.objects.filter(pk=children[0].pk).exists()
    _live_equals_stored(plan, day, pages=True)


def test_imported_and_undone_observations_reach_the_stored_measures(  # type: ignore[no-untyped-def]
    mini, tmp_path: Path
) -> None:
    criterion = (
        Criterion.objects.filter(plan=mini, indicator__isnull=False)
        .select_related("indicator", "population")
        .first()
    )
    assert criterion is not None
    day = datetime.date(2030, 1, 1)
    before = stored_criterion_inputs(plan=mini, as_of=day)
    rows = "indicator,population,period,value\n" + "".join(
        f"{criterion.indicator.slug},{criterion.population.slug},{year},"
        f"{year - 1950}.5\n"
        for year in range(2019, 2027)
    )
    path = tmp_path / "obs.csv"
    path.write_text(rows)
    result = observations_import(plan=mini, path=path)
    after = stored_criterion_inputs(plan=mini, as_of=day)
    assert after == criterion_inputs(plan=mini, as_of=day)
    assert after != before
    import_batch_undo(batch=result.batch, user=None)
    assert stored_criterion_inputs(plan=mini, as_of=day) == before


def test_a_plan_folder_changed_only_in_its_observations_renews_the_stored_measures(  # type: ignore[no-untyped-def]
    mini, mini_folder: Path
) -> None:
    day = datetime.date(2030, 1, 1)
    before = stored_criterion_inputs(plan=mini, as_of=day)
    csv_path = mini_folder / "observations.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    header, first = lines[0].split(","), lines[1].split(",")
    column = header.index("value")
    first[column] = str(Decimal(first[column]) + 1)
    csv_path.write_text(
        "\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n", encoding="utf-8"
    )
    summary = plan_load(folder=mini_folder)
    assert summary.updated["observations"] == 1
    after = stored_criterion_inputs(plan=mini, as_of=day)
    assert after == criterion_inputs(plan=mini, as_of=day)
    assert after != before


def test_a_warm_plan_is_judged_without_measuring_again(world) -> None:  # type: ignore[no-untyped-def]
    plan = world[0]
    day = timezone.localdate()
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        live = plan_judged_criteria(plan=plan, as_of=day)
    with CaptureQueriesContext(connection) as warm:
        again = plan_judged_criteria(plan=plan, as_of=day)
    assert again == live
    assert len(warm) == 0 < len(cold)


def test_measures_refresh_stores_every_plans_measures_for_today(mini, randers) -> None:  # type: ignore[no-untyped-def]
    from io import StringIO

    from django.core.management import call_command

    cache.clear()
    out = StringIO()
    call_command("measures_refresh", stdout=out)
    assert "stored the measures of 2 plan(s)" in out.getvalue()
    day = timezone.localdate()
    for plan in (mini, randers):
        with CaptureQueriesContext(connection) as reads:
            stored = stored_criterion_inputs(plan=plan, as_of=day)
        assert len(reads) == 0
        assert stored == criterion_inputs(plan=plan, as_of=day)


def test_measures_refresh_refuses_an_unknown_plan(mini) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no plan nowhere"):
        call_command("measures_refresh", "nowhere")
