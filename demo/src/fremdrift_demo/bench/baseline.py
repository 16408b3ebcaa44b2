"""The benchmark's baseline for verdicts: every measure-bound criterion of
every plan counted by hand-written SQL, one query per measure kind over all
plans at once, to hold fremdrift's own path (``plan_judged_criteria`` plan
by plan, registrations/measures.py) against in the same run.

The windows are the ones ``evaluation.selectors._measured_series`` uses: the
activity's period up to ``as_of``, whole or one per calendar year. They go
into two temporary tables (``bench_window``: one row per criterion window
with its filter; ``bench_window_activity``: the activity and its
sub-activities); each query joins them to the registrations. The SQL runs
unchanged on SQLite and PostgreSQL and follows each measure's definition in
registrations/measures.py (docs/measures.md), so both paths must give the
same numbers; ``windows_compare`` says where they do not.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from fremdrift.core.measures import MeasureKind, share_point, window_periods
from fremdrift.core.model import Aggregation, DataPoint, Period
from fremdrift.core.plan_model import JudgedCriterion
from fremdrift.plans.models import Activity, Criterion


@dataclass(frozen=True, slots=True)
class Window:
    """One measured window of one criterion."""

    key: int
    plan_id: int
    ident: str
    kind: MeasureKind
    period: Period
    activity_ids: tuple[int, ...]
    role: str | None
    birth_min: int | None
    birth_max: int | None
    area: str | None
    min_sessions: int | None
    narrow_enrolments: bool


def measure_windows(*, as_of: datetime.date) -> list[Window]:
    """Every measure-bound criterion's windows, all plans, in three
    queries."""
    criteria = list(
        Criterion.objects.exclude(measure={})
        .filter(activity__isnull=False)
        .select_related("activity", "plan")
        .order_by("plan_id", "order")
    )
    subs: dict[int, list[int]] = defaultdict(list)
    for pk, parent in Activity.objects.filter(parent__isnull=False).values_list(
        "pk", "parent_id"
    ):
        subs[parent].append(pk)
    windows: list[Window] = []
    for criterion in criteria:
        activity, plan = criterion.activity, criterion.plan
        assert activity is not None
        start = activity.period_start(plan)
        end = min(activity.period_end(plan), as_of)
        if end < start:
            continue
        spec = dict(criterion.measure)
        kind = MeasureKind(spec.pop("kind"))
        age_min, age_max = spec.get("age_min"), spec.get("age_max")
        each = criterion.aggregation == Aggregation.EACH.value
        for period in window_periods(start, end, each_year=each):
            windows.append(
                Window(
                    key=len(windows) + 1,
                    plan_id=plan.pk,
                    ident=criterion.ident,
                    kind=kind,
                    period=period,
                    activity_ids=(activity.pk, *sorted(subs[activity.pk])),
                    role=spec.get("role") or None,
                    birth_min=period.end.year - age_max
                    if age_max is not None
                    else None,
                    birth_max=period.end.year - age_min
                    if age_min is not None
                    else None,
                    area=spec.get("area") or None,
                    min_sessions=spec.get("min_sessions") or None,
                    narrow_enrolments=bool(age_min or age_max or spec.get("area")),
                )
            )
    return windows


# -- the SQL ------------------------------------------------------------------

W = "bench_window"
WA = "bench_window_activity"

# Participants present in the window, narrowed by birth year, area and
# role; ``{source}`` is a query giving (key, pid) pairs.
NARROWED = f"""
SELECT x.key, p.id AS pid, p.household_id
FROM ({{source}}) x
JOIN {W} w ON w.key = x.key
JOIN registrations_participant p ON p.id = x.pid
LEFT JOIN plans_area ar ON ar.id = p.area_id
WHERE (w.birth_min IS NULL OR p.birth_year >= w.birth_min)
  AND (w.birth_max IS NULL OR p.birth_year <= w.birth_max)
  AND (w.area IS NULL OR ar.slug = w.area)
  AND (w.role IS NULL OR EXISTS (
    SELECT 1 FROM registrations_enrolment e
    JOIN registrations_course c ON c.id = e.course_id
    JOIN {WA} wa2 ON wa2.key = w.key AND wa2.activity_id = c.activity_id
    WHERE e.participant_id = p.id AND e.role = w.role))
"""

PRESENT = f"""
SELECT DISTINCT w.key, a.participant_id AS pid
FROM {W} w
JOIN {WA} wa ON wa.key = w.key
JOIN registrations_session s ON s.activity_id = wa.activity_id
  AND s.date >= w.start AND s.date <= w.end
JOIN registrations_attendance a ON a.session_id = s.id
WHERE w.kind = %s
"""

# Enrolments in courses that ended in the window, less those who moved
# away, narrowed by role (their own) and by birth year and area (when
# given).
ENROLMENTS = f"""
SELECT w.key, e.id AS eid, e.participant_id, e.start, e."end" AS left_on,
       e.outcome, e.goal_set, e.goal_reached, c.id AS course_id,
       c."end" AS course_end, c.completion_rule, c.completion_value
FROM {W} w
JOIN {WA} wa ON wa.key = w.key
JOIN registrations_course c ON c.activity_id = wa.activity_id
  AND c."end" >= w.start AND c."end" <= w.end
JOIN registrations_enrolment e ON e.course_id = c.id
JOIN registrations_participant p ON p.id = e.participant_id
LEFT JOIN plans_area ar ON ar.id = p.area_id
WHERE w.kind = %s AND e.outcome <> 'moved_away'
  AND (w.role IS NULL OR e.role = w.role)
  AND (w.narrow = 0 OR (
    (w.birth_min IS NULL OR p.birth_year >= w.birth_min)
    AND (w.birth_max IS NULL OR p.birth_year <= w.birth_max)
    AND (w.area IS NULL OR ar.slug = w.area)))
"""

QUERIES: dict[MeasureKind, str] = {
    MeasureKind.UNIQUE_PARTICIPANTS: f"""
SELECT n.key, COUNT(*), NULL FROM ({NARROWED.format(source=PRESENT)}) n
GROUP BY n.key""",
    MeasureKind.NEW_PARTICIPANTS: f"""
SELECT n.key, COUNT(*), NULL FROM ({NARROWED.format(source=PRESENT)}) n
JOIN {W} w ON w.key = n.key
WHERE NOT EXISTS (
  SELECT 1 FROM registrations_attendance a2
  JOIN registrations_session s2 ON s2.id = a2.session_id
  JOIN {WA} wa3 ON wa3.key = n.key AND wa3.activity_id = s2.activity_id
  WHERE a2.participant_id = n.pid AND s2.date < w.start)
GROUP BY n.key""",
    MeasureKind.UNIQUE_HOUSEHOLDS: f"""
SELECT n.key, COUNT(DISTINCT n.household_id),
       SUM(CASE WHEN n.household_id IS NULL THEN 1 ELSE 0 END)
FROM ({NARROWED.format(source=PRESENT)}) n
GROUP BY n.key""",
    MeasureKind.SESSIONS_HELD: f"""
SELECT w.key, COUNT(*), NULL FROM {W} w
JOIN {WA} wa ON wa.key = w.key
JOIN registrations_session s ON s.activity_id = wa.activity_id
  AND s.date >= w.start AND s.date <= w.end
WHERE w.kind = %s
GROUP BY w.key""",
    MeasureKind.COURSES_HELD: f"""
SELECT w.key, COUNT(*), NULL FROM {W} w
JOIN {WA} wa ON wa.key = w.key
JOIN registrations_course c ON c.activity_id = wa.activity_id
  AND c."end" >= w.start AND c."end" <= w.end
WHERE w.kind = %s AND (w.min_sessions IS NULL OR (
  SELECT COUNT(*) FROM registrations_session s WHERE s.course_id = c.id
) >= w.min_sessions)
GROUP BY w.key""",
    MeasureKind.COMPLETION_RATE: f"""
SELECT x.key,
       SUM(CASE WHEN x.outcome <> 'dropped_out' AND (
         (x.completion_rule = 'max_absence' AND x.held > 0
          AND x.attended * 100 >= x.held * (100 - x.completion_value))
         OR (x.completion_rule = 'min_sessions'
          AND x.attended >= x.completion_value)) THEN 1 ELSE 0 END),
       COUNT(*)
FROM (
  SELECT e.key, e.eid, e.outcome, e.completion_rule, e.completion_value,
         COUNT(s.id) AS held, COUNT(a.id) AS attended
  FROM ({ENROLMENTS}) e
  LEFT JOIN registrations_session s ON s.course_id = e.course_id
    AND s.date >= e.start AND s.date <= COALESCE(e.left_on, e.course_end)
  LEFT JOIN registrations_attendance a ON a.session_id = s.id
    AND a.participant_id = e.participant_id
  GROUP BY e.key, e.eid, e.outcome, e.completion_rule, e.completion_value
) x
GROUP BY x.key""",
    MeasureKind.GOAL_REACHED_SHARE: f"""
SELECT e.key, SUM(CASE WHEN e.goal_reached THEN 1 ELSE 0 END), COUNT(*)
FROM ({ENROLMENTS}) e
WHERE e.goal_set
GROUP BY e.key""",
    MeasureKind.IMPROVED_SHARE: f"""
SELECT e.key, SUM(CASE WHEN m.post > m.pre THEN 1 ELSE 0 END), COUNT(*)
FROM ({ENROLMENTS}) e
JOIN (
  SELECT r.enrolment_id,
         AVG(CASE WHEN r.phase = 'pre' THEN an.value END) AS pre,
         AVG(CASE WHEN r.phase = 'post' THEN an.value END) AS post
  FROM registrations_answer an
  JOIN registrations_response r ON r.id = an.response_id
  JOIN registrations_questionnaireitem i ON i.id = an.item_id
  WHERE i.purpose = 'change'
  GROUP BY r.enrolment_id
) m ON m.enrolment_id = e.eid
WHERE m.pre IS NOT NULL AND m.post IS NOT NULL
GROUP BY e.key""",
    MeasureKind.SATISFIED_SHARE: f"""
SELECT x.key,
       SUM(CASE WHEN x.likert >= 4 OR x.yes_no >= 0.5 THEN 1 ELSE 0 END),
       COUNT(*)
FROM (
  SELECT w.key, r.id,
         AVG(CASE WHEN i.scale = 'likert5' THEN an.value END) AS likert,
         AVG(CASE WHEN i.scale = 'yes_no' THEN an.value END) AS yes_no
  FROM {W} w
  JOIN {WA} wa ON wa.key = w.key
  JOIN registrations_questionnaire q ON q.activity_id = wa.activity_id
  JOIN registrations_response r ON r.questionnaire_id = q.id
    AND r.phase = 'post' AND r.date >= w.start AND r.date <= w.end
  JOIN registrations_enrolment e ON e.id = r.enrolment_id
  JOIN registrations_answer an ON an.response_id = r.id
  JOIN registrations_questionnaireitem i ON i.id = an.item_id
    AND i.purpose = 'satisfaction'
  WHERE w.kind = %s AND (w.role IS NULL OR e.role = w.role)
  GROUP BY w.key, r.id
) x
GROUP BY x.key""",
    MeasureKind.FOLLOW_UP_RATE: f"""
SELECT w.key, SUM(CASE WHEN f.positive THEN 1 ELSE 0 END), COUNT(*)
FROM {W} w
JOIN {WA} wa ON wa.key = w.key
JOIN registrations_course c ON c.activity_id = wa.activity_id
JOIN registrations_enrolment e ON e.course_id = c.id
JOIN registrations_followup f ON f.enrolment_id = e.id
  AND f.due >= w.start AND f.due <= w.end AND f.done IS NOT NULL
WHERE w.kind = %s AND (w.role IS NULL OR e.role = w.role)
GROUP BY w.key""",
    MeasureKind.CONTACTS: f"""
SELECT w.key,
  (SELECT COUNT(*) FROM ({
        NARROWED.format(
            source=f'''
     SELECT DISTINCT wa.key, ct.participant_id AS pid
     FROM {WA} wa
     JOIN registrations_contact ct ON ct.activity_id = wa.activity_id
     JOIN {W} w1 ON w1.key = wa.key
     WHERE ct.kind = 'contact' AND ct.participant_id IS NOT NULL
       AND ct.date >= w1.start AND ct.date <= w1.end AND wa.key = w.key
     '''
        )
    }) n),
  (SELECT COALESCE(SUM(ct.anonymous_count), 0)
   FROM {WA} wa JOIN registrations_contact ct ON ct.activity_id = wa.activity_id
   WHERE wa.key = w.key AND ct.kind = 'contact'
     AND ct.date >= w.start AND ct.date <= w.end)
FROM {W} w WHERE w.kind = %s""",
    MeasureKind.BRIDGE_BUILDINGS: f"""
SELECT w.key,
       COUNT(ct.participant_id) + COALESCE(SUM(ct.anonymous_count), 0), NULL
FROM {W} w
JOIN {WA} wa ON wa.key = w.key
JOIN registrations_contact ct ON ct.activity_id = wa.activity_id
  AND ct.kind = 'bridge' AND ct.date >= w.start AND ct.date <= w.end
WHERE w.kind = %s
GROUP BY w.key""",
    MeasureKind.MEAN_ATTENDANCE: f"""
SELECT w.key,
       SUM((SELECT COUNT(*) FROM registrations_attendance a
            WHERE a.session_id = s.id) + COALESCE(s.headcount, 0)),
       COUNT(*)
FROM {W} w
JOIN {WA} wa ON wa.key = w.key
JOIN registrations_session s ON s.activity_id = wa.activity_id
  AND s.date >= w.start AND s.date <= w.end
WHERE w.kind = %s
GROUP BY w.key""",
}


def _window_row(w: Window) -> tuple[object, ...]:
    return (
        w.key,
        w.kind.value,
        w.period.start,
        w.period.end,
        w.role,
        w.birth_min,
        w.birth_max,
        w.area,
        w.min_sessions,
        int(w.narrow_enrolments),
    )


def _tables(windows: Sequence[Window]) -> None:
    date_type = "date" if connection.vendor == "postgresql" else "text"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {W}")
        cursor.execute(f"DROP TABLE IF EXISTS {WA}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {W} (key integer PRIMARY KEY, kind text, "
            f'start {date_type}, "end" {date_type}, role text, birth_min integer, '
            "birth_max integer, area text, min_sessions integer, narrow integer)"
        )
        cursor.execute(
            f"CREATE TEMPORARY TABLE {WA} (key integer, activity_id bigint, "
            "PRIMARY KEY (key, activity_id))"
        )
        cursor.executemany(
            f"INSERT INTO {W} VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [_window_row(w) for w in windows],
        )
        cursor.executemany(
            f"INSERT INTO {WA} VALUES (%s, %s)",
            [(w.key, pk) for w in windows for pk in w.activity_ids],
        )
        if connection.vendor == "postgresql":
            # Temporary tables are never analysed by autovacuum.
            cursor.execute(f"ANALYZE {W}")
            cursor.execute(f"ANALYZE {WA}")


def _point(kind: MeasureKind, period: Period, a: object, b: object) -> DataPoint:
    """The data point registrations/measures.py makes of the same counts."""
    first = int(a or 0)  # type: ignore[call-overload]
    second = int(b or 0)  # type: ignore[call-overload]
    if kind in (
        MeasureKind.COMPLETION_RATE,
        MeasureKind.GOAL_REACHED_SHARE,
        MeasureKind.IMPROVED_SHARE,
        MeasureKind.SATISFIED_SHARE,
        MeasureKind.FOLLOW_UP_RATE,
    ):
        return share_point(period, first, second)
    if kind == MeasureKind.MEAN_ATTENDANCE:
        if not second:
            return DataPoint(period=period, value=None)
        mean = Decimal(first) / Decimal(second)
        return DataPoint(
            period=period,
            value=mean.quantize(Decimal("0.1")),
            numerator=Decimal(first),
            denominator=Decimal(second),
        )
    # Counts; households and contacts add their second number (people
    # without a household, anonymous contacts).
    return DataPoint(period=period, value=Decimal(first + second))


def baseline_points(windows: Sequence[Window]) -> dict[int, DataPoint]:
    """Each window's data point, by its key: 2 statements to load the
    windows, then one query per measure kind."""
    _tables(windows)
    rows: dict[int, tuple[object, object]] = {}
    with connection.cursor() as cursor:
        for kind, sql in QUERIES.items():
            cursor.execute(sql, [kind.value] * sql.count("%s"))
            for key, a, b in cursor.fetchall():
                rows[key] = (a, b)
    return {w.key: _point(w.kind, w.period, *rows.get(w.key, (0, 0))) for w in windows}


def windows_compare(
    windows: Iterable[Window],
    points: dict[int, DataPoint],
    judged: dict[int, list[JudgedCriterion]],
) -> list[str]:
    """Where fremdrift's series and the baseline differ: one line per
    window whose value, numerator or denominator is not the same."""
    series: dict[tuple[int, str, str], DataPoint] = {}
    for plan_id, items in judged.items():
        for item in items:
            for point in item.criterion.series:
                series[(plan_id, item.criterion.ident, point.period.code)] = point
    problems = []
    for w in windows:
        ours = series.get((w.plan_id, w.ident, w.period.code))
        theirs = points[w.key]
        same = ours is not None and (
            ours.value,
            ours.numerator,
            ours.denominator,
        ) == (theirs.value, theirs.numerator, theirs.denominator)
        if not same:
            problems.append(
                f"plan {w.plan_id} {w.ident} {w.period.code} ({w.kind.value}): "
                f"fremdrift {ours and (ours.value, ours.numerator, ours.denominator)}"
                f" baseline {(theirs.value, theirs.numerator, theirs.denominator)}"
            )
    return problems
