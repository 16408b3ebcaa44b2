"""Benchmark: importing a million rows of area statistics (issue 5, "Speed").

Writes a fictional plan (50 indicators of mixed units x 200 areas) and a
tidy CSV of one row per indicator x area x month (1,000,000 rows by default,
``--rows N`` to scale down), then times, in the same run and on the same
file:

1. the baseline: the csv module, slugs to ids with dicts, and the rows
   straight into ``statistics_observation`` by the database's own bulk path
   (COPY on PostgreSQL, one executemany of a prepared INSERT on SQLite), in
   one transaction; the rows are deleted again afterwards;
2. ``observations_import`` of the file into the empty plan;
3. importing the same file again (every row unchanged, nothing written);
4. a dry run of the file into the empty plan (everything, then rolled back).

Each step runs ``--runs`` times (median and spread); every step starts from
a vacuumed table. The targets: an import of 1,000,000 rows in under 30 s
(33,333 rows/s at any size) and at least half the baseline's rows/s.

The peak resident memory of each step is shown beside its time. Then an
import and a re-import at two file sizes (a quarter of ``--rows`` and
``--rows``), each in a fresh process so that the peak is its own (VmHWM on
Linux, ru_maxrss elsewhere): flat means the larger file's peak is at most
20 % above the smaller one's, however many more rows it has.

Runs on SQLite (a temporary file) by default, and on PostgreSQL when
FREMDRIFT_DATABASE_URL is set: a throwaway database ``fremdrift_bench_imports``
is created next to the one named in the URL and dropped at the end, so that
database is never touched. ``--profile`` adds a cProfile of one import and
one re-import. Results are printed as a table and written as JSON under
bench/results/.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import json
import math
import os
import platform
import pstats
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SLUG = "importbench-2025-28"
BENCH_DATABASE = "fremdrift_bench_imports"
SEED = 20250105

INDICATORS = 50
AREAS = 200
PLAN_START_YEAR = 2025
PLAN_END_YEAR = 2028
# The plan's data range runs from ten years before its start to five after
# its end: 2015M01-2033M12, 228 months.
FIRST_YEAR = PLAN_START_YEAR - 10
MONTHS = (PLAN_END_YEAR + 5 - FIRST_YEAR + 1) * 12
# Units in turn: 20 percent, 10 per 1000, 15 counts of persons, 5 means.
UNITS = ("percent", "per_1000", "count", "percent", "count", "per_1000", "mean")
HEADER = (
    "indicator",
    "population",
    "period",
    "value",
    "numerator",
    "denominator",
    "note",
    "flags",
)
COLUMNS = (
    "indicator_id",
    "population_id",
    "period",
    "period_start",
    "period_end",
    "value",
    "numerator",
    "denominator",
    "note",
    "flags",
    "source_line",
)
TARGET_ROWS = 1_000_000
TARGET_S = 30.0
TARGET_ROWS_PER_S = TARGET_ROWS / TARGET_S
TARGET_RATIO = 0.5
# Flat memory: the larger file's peak at most this much above the smaller's.
FLAT_FACTOR = 1.2

sys.path.insert(0, str(ROOT / "src"))


# -- database ---------------------------------------------------------------


def _database(stack: ExitStack) -> str:
    """Point the settings at a throwaway database and media folder; return
    the database's kind."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "fremdrift.settings"
    os.environ.pop("FREMDRIFT_DEBUG", None)
    tmp = stack.enter_context(tempfile.TemporaryDirectory())
    # An import keeps a copy of its file under MEDIA_ROOT/imports/.
    os.environ["FREMDRIFT_MEDIA_ROOT"] = str(Path(tmp) / "media")
    url = os.environ.get("FREMDRIFT_DATABASE_URL", "").strip()
    if not url:
        os.environ["FREMDRIFT_SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
        return "sqlite"

    import psycopg

    def admin(sql: str) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql)

    admin(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
    admin(f"CREATE DATABASE {BENCH_DATABASE}")

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        admin(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")

    stack.callback(drop)
    parts = urlsplit(url)
    os.environ["FREMDRIFT_DATABASE_URL"] = urlunsplit(
        parts._replace(path="/" + BENCH_DATABASE)
    )
    return "postgresql"


def _vacuum() -> None:
    """Every step starts from a compact table with fresh statistics."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE" if connection.vendor == "postgresql" else "VACUUM"
        )


def _clear(plan_id: int) -> None:
    """Remove the plan's observations and import batches, then vacuum."""
    from django.db import connection, transaction

    from fremdrift.statistics.models import ImportBatch, Indicator, Observation

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Observation._meta.db_table} WHERE indicator_id IN "
            f"(SELECT id FROM {Indicator._meta.db_table} WHERE plan_id = %s)",
            [plan_id],
        )
        cursor.execute(
            f"DELETE FROM {ImportBatch._meta.db_table} WHERE plan_id = %s", [plan_id]
        )
    _vacuum()


# -- data -------------------------------------------------------------------


def _indicator(n: int) -> dict[str, Any]:
    unit = UNITS[n % len(UNITS)]
    return {
        "slug": f"indikator-{n + 1:02d}",
        "name": f"Fiktiv indikator {n + 1} ({unit})",
        "unit": unit,
        "better": "higher" if n % 2 else "lower",
        "source": "Fiktive tal til benchmark",
        "counts_persons": unit == "count",
    }


def _plan_yaml() -> str:
    indicators = [_indicator(n) for n in range(INDICATORS)]
    data = {
        "format": "fremdrift-plan/1",
        "plan": {
            "slug": SLUG,
            "name": "Helhedsplan for Benchby 2025-28 (fiktiv, til benchmark)",
            "start": f"{PLAN_START_YEAR}-01-01",
            "end": f"{PLAN_END_YEAR}-12-31",
            "vision": "Benchby (fiktivt eksempel til måling af import)",
            "organisation": "Benchby Sekretariat (fiktivt)",
            "notes": ["Fiktiv plan til benchmark. Alle navne og tal er opdigtede."],
        },
        "areas": [
            {"slug": f"omraade-{n + 1:03d}", "name": f"Fiktivt område {n + 1}"}
            for n in range(AREAS)
        ],
        "populations": [],
        "indicators": indicators,
        "goals": [
            {
                "slug": "benchmark",
                "name": "Fiktivt mål",
                "indicators": [i["slug"] for i in indicators],
                "criteria": [],
            }
        ],
        "effort_areas": [],
    }
    # JSON is YAML; dates and periods stay strings.
    return json.dumps(data, ensure_ascii=False, indent=1)


def _load_plan(folder: Path) -> Any:
    from fremdrift.planfiles.services import plan_load
    from fremdrift.plans.models import Plan

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plan.yaml").write_text(_plan_yaml(), encoding="utf-8")
    plan_load(folder=folder)
    return Plan.objects.get(slug=SLUG)


def _months(count: int) -> list[str]:
    return [f"{FIRST_YEAR + m // 12}M{m % 12 + 1:02d}" for m in range(count)]


def _cells(unit: str, rng: random.Random) -> tuple[str, str, str, str, str]:
    """value, numerator, denominator, note, flags of one row."""
    draw = rng.random()
    if draw < 0.02:
        # Hidden by discretion: the marker, no parts.
        return "..", "", "", "", ""
    if draw < 0.025:
        return "", "", "", "Tallet findes ikke for perioden", "missing"
    flags = "derived" if draw > 0.99 else ("method_changed" if draw > 0.989 else "")
    note = "Fiktiv bemærkning" if 0.5 < draw < 0.505 else ""
    if unit in ("percent", "per_1000"):
        scale = 100 if unit == "percent" else 1000
        denominator = rng.randint(20, 5000)
        numerator = rng.randint(0, denominator)
        value = f"{numerator * scale / denominator:.1f}"
        return value, str(numerator), str(denominator), note, flags
    if unit == "count":
        return str(rng.randint(0, 5000)), "", "", note, flags
    return f"{rng.uniform(0, 40):.2f}", "", "", note, flags


def _write_csv(path: Path, rows: int, seed: int) -> None:
    """One row per indicator x area x month, indicator by indicator, as an
    export would order them; streamed to ``path``."""
    months = _months(math.ceil(rows / (INDICATORS * AREAS)))
    if len(months) > MONTHS:
        raise SystemExit(f"at most {INDICATORS * AREAS * MONTHS:,} rows")
    rng = random.Random(seed)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for n in range(INDICATORS):
            indicator = _indicator(n)
            for a in range(AREAS):
                area = f"omraade-{a + 1:03d}"
                batch = []
                for month in months:
                    if written == rows:
                        break
                    batch.append(
                        (
                            indicator["slug"],
                            area,
                            month,
                            *_cells(indicator["unit"], rng),
                        )
                    )
                    written += 1
                writer.writerows(batch)


# -- steps ------------------------------------------------------------------


def _baseline(plan: Any, path: Path) -> int:
    """The same rows by the database's bulk path: csv module, dicts for the
    slugs, one COPY or one executemany in one transaction."""
    from django.db import connection, transaction

    from fremdrift.core.periods import parse_period
    from fremdrift.plans.models import Population
    from fremdrift.statistics.models import Indicator, Observation

    indicators = dict(
        Indicator.objects.filter(plan=plan).values_list("slug", "pk").iterator()
    )
    populations = dict(
        Population.objects.filter(plan=plan).values_list("slug", "pk").iterator()
    )
    periods: dict[str, tuple[str, str, str]] = {}
    count = [0]

    def rows(handle: io.TextIOBase) -> Iterator[tuple[Any, ...]]:
        reader = csv.reader(handle)
        next(reader)
        for line, record in enumerate(reader, start=2):
            slug, population, code, value, numerator, denominator, note, flags = record
            period = periods.get(code)
            if period is None:
                parsed = parse_period(code)
                period = periods[code] = (
                    code,
                    parsed.start.isoformat(),
                    parsed.end.isoformat(),
                )
            if value == "..":
                value, flag_list = "", ["suppressed"]
            else:
                flag_list = flags.split(";") if flags else []
            count[0] += 1
            yield (
                indicators[slug],
                populations[population],
                *period,
                value or None,
                numerator or None,
                denominator or None,
                note,
                json.dumps(flag_list),
                line,
            )

    table = Observation._meta.db_table
    names = ", ".join(COLUMNS)
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        path.open(encoding="utf-8", newline="") as handle,
    ):
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows(handle):
                    copy.write_row(row)
        else:
            # sqlite3's own cursor: Django's SQLite cursor wrapper tees the
            # rows of executemany to peek at the first, and the tee then
            # keeps every row in memory (Django 5.2).
            marks = ", ".join(["?"] * len(COLUMNS))
            connection.connection.cursor().executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})", rows(handle)
            )
    return count[0]


def _import(plan: Any, path: Path, *, dry_run: bool = False) -> Any:
    from fremdrift.statistics.services import observations_import

    return observations_import(plan=plan, path=path, dry_run=dry_run)


def _check(result: Any, rows: int, *, created: int, unchanged: int) -> None:
    if result.problems:
        raise SystemExit("import refused: " + "; ".join(map(str, result.problems[:5])))
    got = (result.rows, result.created, result.changed, result.unchanged)
    if got != (rows, created, 0, unchanged):
        raise SystemExit(
            f"import counted {got}, expected {rows, created, 0, unchanged}"
        )


def _timed(call: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall-clock seconds, this process's CPU seconds, and the result. The
    CPU time leaves out other processes on a busy machine (and, on
    PostgreSQL, the server's own work)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return time.perf_counter() - wall, time.process_time() - cpu, result


STEPS = {
    "baseline": "baseline: bulk path (COPY/executemany)",
    "import": "import into the empty plan",
    "reimport": "re-import, all unchanged",
    "dry_run": "dry run into the empty plan",
}


def _bench(plan: Any, path: Path, rows: int, runs: int, dry_run: bool) -> list[dict]:
    from fremdrift.statistics.models import Observation

    wall: dict[str, list[float]] = {step: [] for step in STEPS}
    cpu: dict[str, list[float]] = {step: [] for step in STEPS}
    peak: dict[str, list[float]] = {step: [] for step in STEPS}

    def step(name: str, call: Callable[[], Any]) -> Any:
        _reset_peak()
        seconds, cpu_seconds, result = _timed(call)
        wall[name].append(seconds)
        cpu[name].append(cpu_seconds)
        peak[name].append(_peak_mb())
        return result

    for _ in range(runs):
        loaded = step("baseline", lambda: _baseline(plan, path))
        stored = Observation.objects.filter(indicator__plan=plan).count()
        if loaded != rows or stored != rows:
            raise SystemExit(f"baseline loaded {loaded} rows, expected {rows}")
        _clear(plan.pk)

        result = step("import", lambda: _import(plan, path))
        _check(result, rows, created=rows, unchanged=0)
        _vacuum()

        result = step("reimport", lambda: _import(plan, path))
        _check(result, rows, created=0, unchanged=rows)
        _clear(plan.pk)

        if dry_run:
            result = step("dry_run", lambda: _import(plan, path, dry_run=True))
            _check(result, rows, created=rows, unchanged=0)
            _vacuum()

    base_rate = rows / statistics.median(wall["baseline"])
    table = []
    for name, seconds in wall.items():
        if not seconds:
            continue
        median = statistics.median(seconds)
        rate = rows / median
        ratio = rate / base_rate
        row: dict[str, Any] = {
            "step": name,
            "label": STEPS[name],
            "rows": rows,
            "median_s": median,
            "spread_s": max(seconds) - min(seconds),
            "timings_s": seconds,
            "cpu_median_s": statistics.median(cpu[name]),
            "cpu_s": cpu[name],
            "peak_mb": max(peak[name]),
            "rows_per_s": rate,
            "ratio_to_baseline": ratio,
        }
        if name != "baseline":
            row["seconds_per_million"] = median * TARGET_ROWS / rows
            row["met_30s"] = rate >= TARGET_ROWS_PER_S
            row["met_ratio"] = ratio >= TARGET_RATIO
            row["met"] = row["met_30s"] and row["met_ratio"]
        table.append(row)
    return table


# -- memory -----------------------------------------------------------------


_STATUS = Path("/proc/self/status")


def _status_mb(field: str) -> float | None:
    """A memory figure of this process from /proc (Linux), in MB."""
    try:
        text = _STATUS.read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return None


def _peak_mb() -> float:
    """The peak resident memory since the last ``_reset_peak``. On Linux
    VmHWM, which a child process does not inherit from its parent (ru_maxrss
    carries the parent's peak across fork and exec); ru_maxrss elsewhere."""
    peak = _status_mb("VmHWM")
    if peak is not None:
        return peak
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # macOS reports bytes, Linux kilobytes.
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def _reset_peak() -> None:
    """Start a new peak (Linux only: ``5`` to clear_refs resets VmHWM)."""
    with suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _memory_child(path: Path) -> dict[str, Any]:
    """In a fresh process: import ``path`` into the (empty) plan, import it
    again, then remove what it wrote; the peak memory after each."""
    import django

    django.setup()
    from fremdrift.plans.models import Plan

    plan = Plan.objects.get(slug=SLUG)
    _reset_peak()
    start_mb = _status_mb("VmRSS") or _peak_mb()
    import_s, _cpu, result = _timed(lambda: _import(plan, path))
    import_mb = _peak_mb()
    _reset_peak()
    reimport_s, _cpu, again = _timed(lambda: _import(plan, path))
    reimport_mb = _peak_mb()
    _check(again, result.rows, created=0, unchanged=result.rows)
    _clear(plan.pk)
    return {
        "rows": result.rows,
        "start_mb": start_mb,
        "import_peak_mb": import_mb,
        "reimport_peak_mb": reimport_mb,
        "import_s": import_s,
        "reimport_s": reimport_s,
    }


def _memory(sizes: list[tuple[int, Path]]) -> list[dict[str, Any]]:
    from django.db import connections

    connections.close_all()
    measured = []
    for _rows, path in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--memory-child", str(path)],
            env=os.environ.copy(),
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        measured.append(json.loads(out.strip().splitlines()[-1]))
    return measured


# -- profile ----------------------------------------------------------------


def _profile(plan: Any, path: Path, rows: int, top: int) -> dict[str, str]:
    """cProfile of one import and one re-import, the top functions by own
    time (cProfile slows pure-Python code more than C code)."""
    texts = {}
    for step in ("import", "reimport"):
        profiler = cProfile.Profile()
        profiler.enable()
        result = _import(plan, path)
        profiler.disable()
        _check(
            result,
            rows,
            created=rows if step == "import" else 0,
            unchanged=0 if step == "import" else rows,
        )
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(top)
        texts[step] = out.getvalue()
        if step == "import":
            _vacuum()
    _clear(plan.pk)
    return texts


# -- main -------------------------------------------------------------------


def _print_table(database: str, rows: int, runs: int, table: list[dict]) -> None:
    print(
        f"Import of {rows:,} tidy rows ({INDICATORS} indicators x {AREAS} areas x"
        f" months), {runs} run{'s' if runs > 1 else ''}, {database}"
    )
    header = (
        "step",
        "median s",
        "spread s",
        "cpu s",
        "rows/s",
        "vs base",
        "s/1M",
        "peak MB",
        "<30s",
        ">=0.5",
    )
    widths = (40, 9, 9, 8, 10, 8, 7, 8, 6, 6)
    print(
        "".join(
            f"{h:<{w}}" if i == 0 else f"{h:>{w}}"
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        )
    )

    def met(row: dict, key: str) -> str:
        return ("yes" if row[key] else "NO") if key in row else ""

    for row in table:
        per_million = f"{row['seconds_per_million']:.1f}" if "met" in row else ""
        print(
            f"{row['label']:<40}{row['median_s']:>9.2f}{row['spread_s']:>9.2f}"
            f"{row['cpu_median_s']:>8.2f}{row['rows_per_s']:>10,.0f}"
            f"{row['ratio_to_baseline']:>8.2f}{per_million:>7}{row['peak_mb']:>8.0f}"
            f"{met(row, 'met_30s'):>6}{met(row, 'met_ratio'):>6}"
        )
    print(
        f"targets: 1,000,000 rows in < {TARGET_S:.0f} s ({TARGET_ROWS_PER_S:,.0f}"
        f" rows/s) and >= {TARGET_RATIO} x the baseline's rows/s; cpu s is this"
        " process's CPU time (not the database server's), peak MB its peak"
        " resident memory during the step"
    )


def _print_memory(memory: list[dict], flat: bool, growth: float) -> None:
    print("Peak resident memory of an import in a fresh process (VmHWM)")
    header = ("rows", "start MB", "import MB", "re-import MB", "import s", "re-imp s")
    widths = (11, 10, 11, 14, 10, 10)
    print("".join(f"{h:>{w}}" for h, w in zip(header, widths, strict=True)))
    for row in memory:
        print(
            f"{row['rows']:>11,}{row['start_mb']:>10.0f}{row['import_peak_mb']:>11.0f}"
            f"{row['reimport_peak_mb']:>14.0f}{row['import_s']:>10.2f}"
            f"{row['reimport_s']:>10.2f}"
        )
    small, large = memory[0], memory[-1]
    print(
        f"{large['rows'] / small['rows']:.0f}x the rows, {growth:.2f}x the peak:"
        f" {'flat' if flat else 'NOT flat'} (target <= {FLAT_FACTOR}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=TARGET_ROWS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--no-dry-run", action="store_true", help="skip the dry-run step"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the memory step")
    parser.add_argument(
        "--profile", type=int, metavar="TOP", default=0, help="cProfile, TOP lines"
    )
    parser.add_argument("--memory-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--json-out", type=Path, help="write the results here (bench/national.py)"
    )
    args = parser.parse_args()
    if args.memory_child:
        print(json.dumps(_memory_child(args.memory_child)))
        return
    rows = args.rows
    runs = max(args.runs, 1)
    # Stopped with kill: still remove the temporary files and database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    with ExitStack() as stack:
        database = _database(stack)
        work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        load_before = os.getloadavg()
        began = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        plan = _load_plan(work / "plan")
        path = work / f"observations-{rows}.csv"
        _write_csv(path, rows, SEED)
        _vacuum()
        setup_s = time.perf_counter() - began

        table = _bench(plan, path, rows, runs, not args.no_dry_run)
        profile = _profile(plan, path, rows, args.profile) if args.profile else {}

        memory: list[dict[str, Any]] = []
        if not args.no_memory:
            small = max(rows // 4, 1)
            small_path = work / f"observations-{small}.csv"
            _write_csv(small_path, small, SEED)
            memory = _memory([(small, small_path), (rows, path)])
        machine = {
            "python": platform.python_version(),
            "django": django.get_version(),
            "machine": platform.machine(),
            "processor": platform.processor(),
            "cpus": os.cpu_count(),
            "system": platform.platform(),
            "database": database,
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
            "database_version": connection.Database.sqlite_version
            if database == "sqlite"
            else connection.pg_version,
        }
        file_bytes = path.stat().st_size

    print(
        f"setup {setup_s:.0f} s; file {file_bytes / 1e6:.0f} MB; load average"
        f" {machine['load_average_before'][0]:.1f} before,"
        f" {machine['load_average_after'][0]:.1f} after ({os.cpu_count()} CPUs)"
    )
    _print_table(database, rows, runs, table)
    flat, growth = None, None
    if memory:
        growth = memory[-1]["import_peak_mb"] / memory[0]["import_peak_mb"]
        growth = max(
            growth, memory[-1]["reimport_peak_mb"] / memory[0]["reimport_peak_mb"]
        )
        flat = growth <= FLAT_FACTOR
        _print_memory(memory, flat, growth)
    for step, text in profile.items():
        print(f"\ncProfile of the {step}, by own time:\n{text}")

    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = args.json_out or results / f"imports-{database}-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "machine": machine,
                "rows": rows,
                "runs": runs,
                "file_bytes": file_bytes,
                "setup_s": setup_s,
                "targets": {
                    "rows_per_s": TARGET_ROWS_PER_S,
                    "ratio_to_baseline": TARGET_RATIO,
                    "memory_growth": FLAT_FACTOR,
                },
                "steps": table,
                "memory": memory,
                "memory_growth": growth,
                "memory_flat": flat,
                "profile": profile,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
