"""Statistical discretion applied for a reader: the one place that turns
the reader's audience (``accounts.policy.audience_for``) into hidden small
counts of persons, on the judged criteria, the indicator series and the
registration figures, before any report, page or API answer is made of
them.

The team (``Audience.INTERNAL``) sees every number; every other audience
gets the core's suppression (``core.discretion``: small counts hidden, and
whatever would give one back), and statistics whose sentences cannot give
a hidden count back (``uncertainty_settings``). Renderers, serializers and
views receive what these functions return and apply nothing themselves.
"""

from __future__ import annotations

import datetime

from fremdrift.core.discretion import (
    DEFAULT_THRESHOLD,
    Audience,
    suppress_judged,
    suppress_point,
    suppress_series,
)
from fremdrift.core.measures import PERSON_MEASURES, MeasureKind
from fremdrift.core.model import DataPoint
from fremdrift.core.plan_model import JudgedCriterion
from fremdrift.core.report_model import IndicatorSeries
from fremdrift.core.stats import THIN_DATA_THRESHOLD
from fremdrift.core.uncertainty import UncertaintySettings
from fremdrift.plans.models import Plan

from .selectors import plan_judged_criteria


def hides_small_counts(audience: Audience | str) -> bool:
    """Whether ``audience`` gets small counts of persons hidden: everyone
    but the team."""
    return Audience(audience) != Audience.INTERNAL


def uncertainty_settings(
    audience: Audience | str,
    threshold: int = DEFAULT_THRESHOLD,
    thin_threshold: int = THIN_DATA_THRESHOLD,
) -> UncertaintySettings:
    """What the statistics may show ``audience``: a reader outside the team
    gets no sentence that gives a count below ``threshold`` back."""
    return UncertaintySettings(
        thin_threshold=thin_threshold,
        discretion=threshold if hides_small_counts(audience) else None,
    )


def judged_for_audience(
    *,
    plan: Plan,
    as_of: datetime.date,
    audience: Audience | str,
    threshold: int = DEFAULT_THRESHOLD,
    thin_threshold: int = THIN_DATA_THRESHOLD,
) -> list[JudgedCriterion]:
    """Every criterion of ``plan`` judged as of ``as_of``
    (``plan_judged_criteria``) as ``audience`` may see it: outside the
    team, with the statistics under discretion and then each number of
    persons below ``threshold`` hidden (``suppress_judged``; the verdict
    stays). The explanations are in the active language."""
    settings = uncertainty_settings(audience, threshold, thin_threshold)
    judged = plan_judged_criteria(plan=plan, as_of=as_of, settings=settings)
    if hides_small_counts(audience):
        judged = [suppress_judged(j, threshold) for j in judged]
    return judged


def series_for_audience(
    series: IndicatorSeries,
    *,
    audience: Audience | str,
    threshold: int = DEFAULT_THRESHOLD,
) -> IndicatorSeries:
    """``series`` as ``audience`` may see it: outside the team, with small
    counts of persons hidden, primary and secondary (``suppress_series``;
    rates and shares are unchanged). Suppress a series whole, before any
    column or page of it is picked, or a hidden count may be given back by
    subtraction."""
    if hides_small_counts(audience):
        return suppress_series(series, threshold)
    return series


def figure_for_audience(
    point: DataPoint,
    kind: MeasureKind,
    *,
    audience: Audience | str,
    threshold: int = DEFAULT_THRESHOLD,
) -> DataPoint:
    """A registration figure of measure ``kind`` (sessions held,
    participants, ...) as ``audience`` may see it: outside the team, a
    small count of persons is hidden (``suppress_point``); counts of
    other things (sessions) are shown."""
    if hides_small_counts(audience) and kind in PERSON_MEASURES:
        return suppress_point(point, threshold)
    return point
