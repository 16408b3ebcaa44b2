"""Benchmark: every plan in the country on one database (issue 8).

Generates the national data set (``fremdrift bench generate``: 80 fictional
plans, 250 areas, 40 indicators x 15 years, 1,200 activities, 150,000
participants, ~2,000,000 attendance rows, ~200,000 questionnaire responses)
into a throwaway database, then measures, with median and spread over
``--runs`` runs and each step's peak memory (ru_maxrss of the process that
ran it; for the web steps the largest gunicorn worker's VmHWM):

a. all verdicts of all plans through fremdrift's own path
   (``plan_judged_criteria`` plan by plan) against a hand-written SQL
   baseline that counts the same measures in one query per measure kind
   over all plans (fremdrift_demo.bench.baseline), with the ratio (target
   <= 1.5) and a check that both give the same numbers;
   The same verdicts from the materialised measures (base/freshness.py)
   are timed beside them; ``--profile`` adds where the live path's time
   goes, measure kind by measure kind;
b. the final report of the largest plan in each format (html, pdf, docx,
   xlsx), on one database (a report's rendering does not depend on it);
c. a million tidy observation rows imported (bench/imports.py: the import
   and an unchanged re-import against the database's own bulk path);
d. the plan dashboard (/planer/<slug>/) and the staff activity page
   (/registrering/<plan>/<activity>/) under 8 concurrent logged-in clients
   against gunicorn, loaded by wrk when it is installed (Python threads
   otherwise): requests/s, p50, p95, p99, errors (target p95 < 200 ms, no
   errors);
e. attendance registration through the staff app's form post (session
   cookie and CSRF token, as the phone's htmx form sends it) at a constant
   rate for 60 s (target >= 200 requests/s with p99 < 500 ms), then 15 s
   of posts as fast as the server answers (what it sustains), then the
   rows in the database against the 2xx answers of both (no lost writes).

Runs on SQLite (a temporary file) always and on PostgreSQL when
FREMDRIFT_DATABASE_URL is set: a throwaway database
``fremdrift_bench_national`` is created next to the one the URL names and
dropped at the end. The web steps run on PostgreSQL when it is there, else
on SQLite (``--http-on`` chooses). Prints one table with machine info and
writes it as JSON under bench/results/. ``--scale small`` and ``--skip``
make quick runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from httpload import (
    Client,
    Gunicorn,
    closed_loop,
    closed_loop_posts,
    constant_rate,
    gunicorn_path,
    wrk_closed_loop,
)

ROOT = Path(__file__).resolve().parent.parent
STEPS = Path(__file__).resolve().parent / "national_steps.py"
BENCH_DATABASE = "fremdrift_bench_national"
FORMATS = ("html", "pdf", "docx", "xlsx")
OPTIONAL = ("verdicts", "reports", "pages", "attendance", "imports")

TARGET_GENERATE_S = 300.0  # "a few minutes" at national scale
TARGET_RATIO = 1.5
TARGET_PAGE_P95_MS = 200.0
TARGET_POST_RPS = 200.0
TARGET_POST_P99_MS = 500.0
TARGET_PEAK_MB = 500.0


# -- databases ---------------------------------------------------------------


@contextmanager
def throwaway(database: str) -> Iterator[dict[str, str]]:
    """The environment for a fresh, empty database that is removed after."""
    env = {k: v for k, v in os.environ.items() if k != "FREMDRIFT_DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "fremdrift.settings"
    env["PYTHONPATH"] = str(ROOT / "src")
    # Materialised measures in a cache of the benchmark's own, emptied
    # with it (base/freshness.py).
    cache_dir = tempfile.mkdtemp(prefix="fremdrift-bench-cache-")
    env["FREMDRIFT_CACHE_DIR"] = cache_dir
    try:
        yield from _throwaway_database(database, env)
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)


def _throwaway_database(database: str, env: dict[str, str]) -> Iterator[dict[str, str]]:
    if database == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            env["FREMDRIFT_SQLITE_PATH"] = str(Path(tmp) / "national.sqlite3")
            yield env
        return
    import psycopg

    url = os.environ["FREMDRIFT_DATABASE_URL"].strip()

    def admin(sql: str) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql)

    admin(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
    admin(f"CREATE DATABASE {BENCH_DATABASE}")
    env["FREMDRIFT_DATABASE_URL"] = urlunsplit(
        urlsplit(url)._replace(path="/" + BENCH_DATABASE)
    )
    try:
        yield env
    finally:
        admin(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")


def database_version(database: str) -> str:
    if database == "sqlite":
        return sqlite3.sqlite_version
    import psycopg

    with psycopg.connect(os.environ["FREMDRIFT_DATABASE_URL"].strip()) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


def run_step(step: str, env: dict[str, str], **args: Any) -> dict[str, Any]:
    """One step in a fresh process; its last line is ``RESULT {json}``."""
    done = subprocess.run(
        [sys.executable, str(STEPS), step, "--args", json.dumps(args)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(
            f"step {step} failed ({done.returncode}):\n{done.stderr[-4000:]}"
        )
    result: dict[str, Any] = json.loads(lines[-1][len("RESULT ") :])
    return result


# -- rows ---------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: list[float]) -> float:
    return max(values) - min(values) if len(values) > 1 else 0.0


def row(
    database: str,
    step: str,
    *,
    median_s: float | None = None,
    spread_s: float | None = None,
    runs: int = 1,
    ratio: float | None = None,
    target: str = "",
    met: bool | None = None,
    peak_mb: float | None = None,
    detail: str = "",
    **extra: Any,
) -> dict[str, Any]:
    memory_met = None if peak_mb is None else peak_mb < TARGET_PEAK_MB
    return {
        "database": database,
        "step": step,
        "median_s": median_s,
        "spread_s": spread_s,
        "runs": runs,
        "ratio": ratio,
        "target": target,
        "met": met,
        "peak_mb": peak_mb,
        "memory_met": memory_met,
        "detail": detail,
        **extra,
    }


# -- the steps ------------------------------------------------------------------


def bench_generate(database: str, env: dict[str, str], args: Any) -> dict[str, Any]:
    result = run_step("generate", env, scale=args.scale, seed=args.seed)
    rows = result["rows"]
    national = args.scale == "national"
    return row(
        database,
        f"generate {args.scale} (seed {args.seed})",
        median_s=result["seconds"],
        target=f"<= {TARGET_GENERATE_S:.0f} s" if national else "",
        met=result["seconds"] <= TARGET_GENERATE_S if national else None,
        peak_mb=result["peak_mb"],
        detail=(
            f"{rows.get('Plan', 0)} plans, {rows.get('Attendance', 0):,} attendance, "
            f"{rows.get('Response', 0):,} responses, {rows.get('Participant', 0):,} "
            f"participants; cpu {result['cpu_s']:.0f} s, analyze "
            f"{result['analyze_s']:.1f} s"
        ),
        result=result,
    )


def bench_verdicts(
    database: str, env: dict[str, str], args: Any
) -> list[dict[str, Any]]:
    result = run_step("verdicts", env, runs=args.runs, profile=args.profile)
    ours, theirs = result["fremdrift_s"], result["baseline_s"]
    stored = result["stored_s"]
    ratio = median(ours) / median(theirs)
    stored_ratio = median(stored) / median(theirs)
    same = result["differences"] == 0
    check = (
        f"same numbers in all {result['windows']} windows"
        if same
        else f"{result['differences']} of {result['windows']} windows differ"
    )
    stored_same = result["stored_differences"] == 0
    return [
        row(
            database,
            f"verdicts, fremdrift live ({result['plans']} plans, "
            f"{result['criteria']} criteria)",
            median_s=median(ours),
            spread_s=spread(ours),
            runs=len(ours),
            ratio=ratio,
            target=f"ratio <= {TARGET_RATIO}, same numbers",
            met=ratio <= TARGET_RATIO and same,
            peak_mb=result["peak_mb"],
            detail=f"{check}; cpu {median(result['fremdrift_cpu_s']):.1f} s",
            result=result,
        ),
        row(
            database,
            "verdicts, fremdrift materialised (stored measures)",
            median_s=median(stored),
            spread_s=spread(stored),
            runs=len(stored),
            ratio=stored_ratio,
            target=f"ratio <= {TARGET_RATIO}, equal to live",
            met=stored_ratio <= TARGET_RATIO and stored_same and same,
            peak_mb=result["peak_mb"],
            detail=(
                "equal to the live verdicts for every criterion"
                if stored_same
                else f"{result['stored_differences']} criteria differ from live"
            ),
        ),
        row(
            database,
            "verdicts, SQL baseline (1 query per measure kind)",
            median_s=median(theirs),
            spread_s=spread(theirs),
            runs=len(theirs),
            ratio=1.0,
            peak_mb=result["baseline_peak_mb"],
            detail=f"{result['windows']} measure windows",
        ),
    ]


def bench_reports(
    database: str, env: dict[str, str], args: Any
) -> list[dict[str, Any]]:
    rows = []
    for fmt in args.formats:
        result = run_step("report", env, format=fmt, runs=args.report_runs)
        rows.append(
            row(
                database,
                f"final report, {fmt}",
                median_s=median(result["seconds"]),
                spread_s=spread(result["seconds"]),
                runs=len(result["seconds"]),
                peak_mb=result["peak_mb"],
                detail=(
                    f"{result['plan']}: build {median(result['build_s']):.2f} s, "
                    f"render {median(result['render_s']):.2f} s, "
                    f"{result['bytes'] / 1024:.0f} KiB"
                ),
                result=result,
            )
        )
    return rows


def _http_row(
    database: str, step: str, summary: dict[str, Any], target: str, met: bool | None,
    peak: float, **extra: Any,
) -> dict[str, Any]:  # fmt: skip
    return row(
        database,
        step,
        median_s=summary["p50_ms"] / 1000,
        target=target,
        met=met,
        peak_mb=peak,
        detail=(
            f"{summary['rps']:.1f} req/s, p50 {summary['p50_ms']:.0f} ms, "
            f"p95 {summary['p95_ms']:.0f} ms, p99 {summary['p99_ms']:.0f} ms, "
            f"{summary['ok']} ok, {summary['failed']} errors"
            + (f", {summary['not_sent']} not sent" if summary["not_sent"] else "")
            + (f" ({summary['tool']})" if summary.get("tool") else "")
        ),
        result=summary,
        **extra,
    )


TARGET_IMPORT_S = 30.0  # a million rows (the statistics-import issue)
TARGET_IMPORT_RATIO = 2.0  # at least half the bulk path's rows per second


def bench_imports(database: str, args: Any) -> list[dict[str, Any]]:
    """bench/imports.py on ``database``: a million tidy observation rows,
    fremdrift's import against the database's own bulk path in the same
    run. It makes and drops a database of its own."""
    env = {k: v for k, v in os.environ.items() if k != "FREMDRIFT_DATABASE_URL"}
    if database == "postgresql":
        env["FREMDRIFT_DATABASE_URL"] = os.environ["FREMDRIFT_DATABASE_URL"]
    env["PYTHONPATH"] = str(ROOT / "src")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "imports.json"
        command = [
            sys.executable,
            str(ROOT / "bench" / "imports.py"),
            f"--rows={args.import_rows}",
            f"--runs={args.import_runs}",
            "--no-dry-run",
            "--no-memory",
            f"--json-out={out}",
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"bench/imports.py failed:\n{done.stderr[-3000:]}")
        result = json.loads(out.read_text(encoding="utf-8"))
    steps = {s["step"]: s for s in result["steps"]}
    baseline = steps["baseline"]
    million = result["rows"] / 1e6

    def import_row(step: dict[str, Any], label: str, **extra: Any) -> dict[str, Any]:
        return row(
            database,
            f"{result['rows']:,} observation rows: {label}",
            median_s=step["median_s"],
            spread_s=step["spread_s"],
            runs=len(step["timings_s"]),
            peak_mb=step["peak_mb"],
            result=step,
            **extra,
        )

    rows = []
    for key, label in (
        ("import", "import into an empty plan"),
        ("reimport", "re-import, every row unchanged"),
    ):
        step = steps[key]
        ratio = step["median_s"] / baseline["median_s"]
        rows.append(
            import_row(
                step,
                label,
                ratio=ratio,
                target=f"< {TARGET_IMPORT_S:.0f} s, ratio <= {TARGET_IMPORT_RATIO}",
                met=step["median_s"] < TARGET_IMPORT_S * million
                and ratio <= TARGET_IMPORT_RATIO,
                detail=(
                    f"{step['rows_per_s']:,.0f} rows/s; "
                    f"cpu {step['cpu_median_s']:.1f} s"
                ),
            )
        )
    rows.append(
        import_row(
            baseline,
            "bulk-path baseline",
            ratio=1.0,
            detail=f"{baseline['rows_per_s']:,.0f} rows/s (COPY / executemany)",
        )
    )
    return rows


CAPACITY_SECONDS = 15.0


def bench_http(
    database: str, env: dict[str, str], args: Any, skip: set[str]
) -> list[dict[str, Any]]:
    posts_wanted = int(args.rate * args.duration) + 100
    # The closed-loop capacity run posts as fast as the server answers.
    capacity_posts = int(CAPACITY_SECONDS * args.rate) + 100
    prepared = run_step("prepare_http", env, sessions=posts_wanted + capacity_posts)
    server = Gunicorn(gunicorn_path(ROOT), env, args.workers)
    rows = []
    try:
        clients = [Client(server.port) for _ in range(args.clients)]
        for client in clients:
            client.login(prepared["username"], prepared["password"])
        # Each worker imports the views, templates and fonts on its first
        # requests: warm up outside the measurement.
        for path in (prepared["dashboard"], prepared["activity_page"]):
            closed_loop(clients[: args.workers], path, 1.0)
        pages = (
            ("plan dashboard /planer/<plan>/", prepared["dashboard"]),
            ("staff activity page /registrering/...", prepared["activity_page"]),
        )
        if "pages" not in skip:
            for label, path in pages:
                summary = _page_load(server.port, clients, path, args)
                rows.append(
                    _http_row(
                        database,
                        f"{label}, {args.clients} clients",
                        summary,
                        f"p95 < {TARGET_PAGE_P95_MS:.0f} ms, 0 errors",
                        summary["p95_ms"] < TARGET_PAGE_P95_MS
                        and summary["failed"] == 0,
                        server.worker_peak_mb(),
                        path=path,
                    )
                )
        if "attendance" not in skip:
            rows += _bench_attendance(
                database, env, args, prepared, clients, server, posts_wanted
            )
    finally:
        server.stop()
    return rows


def _page_load(
    port: int, clients: list[Client], path: str, args: Any
) -> dict[str, Any]:
    """A closed loop of ``args.clients`` on ``path``: wrk when installed
    (it leaves the two cores to the server), Python threads otherwise."""
    if shutil.which("wrk") and not args.python_load:
        return wrk_closed_loop(
            port, path, clients[0].cookies, args.clients, args.page_seconds
        )
    summary = closed_loop(clients, path, args.page_seconds).summary()
    summary["tool"] = "python threads"
    return summary


def _bench_attendance(
    database: str,
    env: dict[str, str],
    args: Any,
    prepared: dict[str, Any],
    clients: list[Client],
    server: Gunicorn,
    posts_wanted: int,
) -> list[dict[str, Any]]:
    posts = prepared["posts"]
    for client in clients:
        # The form's CSRF token, as the phone has it after opening the page.
        client.request("GET", posts[-1][0])
    saved: dict[int, list[int]] = {}
    lock = threading.Lock()

    def make(n: int) -> tuple[str, dict[str, object]]:
        # Each session is posted once, so the version it was prepared at is
        # the one its page shows.
        path, _session, ticked, version = posts[n]
        return path, {"present": ticked, "version": version}

    def on_answer(n: int, status: int) -> None:
        if 200 <= status < 300:
            with lock:
                saved[posts[n][1]] = posts[n][2]

    result = constant_rate(clients, args.rate, args.duration, make, on_answer)
    summary = result.summary()
    # What the server sustains: the same posts, each client sending the
    # next as soon as it has the answer (the sessions after the first run's).
    offset = posts_wanted
    capacity = closed_loop_posts(
        clients,
        CAPACITY_SECONDS,
        lambda n: make(offset + n),
        lambda n, status: on_answer(offset + n, status),
        limit=len(posts) - offset,
    ).summary()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(saved, handle)
    try:
        check = run_step(
            "check_attendance",
            env,
            file=handle.name,
            sessions=[p[1] for p in posts],
        )
    finally:
        os.unlink(handle.name)
    lost = check["lost_rows"]
    extra = (
        f"rows {check['rows']:,} = expected from 2xx {check['expected_rows']:,}"
        f" (both runs); lost {lost}, without 2xx {check['rows_without_2xx']}"
    )
    met = (
        summary["rps"] >= TARGET_POST_RPS
        and summary["p99_ms"] < TARGET_POST_P99_MS
        and summary["failed"] == 0
        and summary["not_sent"] == 0
        and lost == 0
    )
    return [
        _http_row(
            database,
            f"attendance POST at {args.rate:.0f}/s for {args.duration:.0f} s",
            summary,
            f">= {TARGET_POST_RPS:.0f}/s, p99 < {TARGET_POST_P99_MS:.0f} ms, 0 lost",
            met,
            server.worker_peak_mb(),
            check=check,
            extra_detail=extra,
        ),
        _http_row(
            database,
            f"attendance POST capacity, {len(clients)} clients, "
            f"{CAPACITY_SECONDS:.0f} s",
            capacity,
            "(what the server sustains)",
            None,
            server.worker_peak_mb(),
            check=check,
            extra_detail=(
                f"{args.workers} gunicorn workers on {os.cpu_count()} cores: "
                f"{1000 * (os.cpu_count() or 1) / max(capacity['rps'], 0.001):.0f}"
                " ms of core time per post (server, database and load generator)"
            ),
        ),
    ]


# -- output --------------------------------------------------------------------


def machine_info(databases: list[str]) -> dict[str, Any]:
    import django

    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpus": os.cpu_count(),
        "memory": memory,
        "system": platform.platform(),
        "databases": {d: database_version(d) for d in databases},
        "load_average_at_start": os.getloadavg(),
    }


def _fmt(value: float | None, unit: str = "s") -> str:
    if value is None:
        return "-"
    if unit == "s" and value < 1:
        return f"{value * 1000:.0f} ms"
    return f"{value:.2f} {unit}"


def print_table(rows: list[dict[str, Any]], machine: dict[str, Any]) -> None:
    header = (
        ("db", 10), ("step", 52), ("median", 10), ("spread", 10), ("runs", 5),
        ("ratio", 7), ("target", 40), ("met", 5), ("peak MB", 8),
    )  # fmt: skip
    print("".join(f"{h:<{w}}" for h, w in header))
    for r in rows:
        met = "-" if r["met"] is None else ("yes" if r["met"] else "NO")
        memory = "" if r["memory_met"] in (None, True) else " (over 500)"
        cells = (
            r["database"][:9],
            r["step"][:51],
            _fmt(r["median_s"]),
            _fmt(r["spread_s"]),
            str(r["runs"]),
            "-" if r["ratio"] is None else f"{r['ratio']:.2f}",
            r["target"][:39] or "-",
            met,
            "-" if r["peak_mb"] is None else f"{r['peak_mb']:.0f}{memory}",
        )
        print("".join(f"{c:<{w}}" for c, (_, w) in zip(cells, header, strict=True)))
        for text in (r["detail"], r.get("extra_detail", "")):
            if text:
                print(f"{'':10}  {text}")
    print(
        f"machine: {machine['cpus']} cpus, {machine['memory']}, "
        f"{machine['system']}, Python {machine['python']}, Django "
        f"{machine['django']}, databases {machine['databases']}; load average "
        f"{machine['load_average_at_start']} at start, "
        f"{machine.get('load_average_at_end')} at end"
    )


def progress(rows: list[dict[str, Any]]) -> None:
    """Each finished step on stderr, for a run that takes many minutes."""
    for r in rows:
        print(
            f"[{time.strftime('%H:%M:%S')}] {r['database']}: {r['step']}: "
            f"{_fmt(r['median_s'])} {r['detail']}",
            file=sys.stderr,
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=["national", "small"], default="national")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--skip",
        default="",
        help=f"comma-separated steps to leave out: {', '.join(OPTIONAL)}",
    )
    parser.add_argument(
        "--databases",
        default="",
        help="sqlite,postgresql (default: sqlite, and postgresql when "
        "FREMDRIFT_DATABASE_URL is set)",
    )
    parser.add_argument(
        "--http-on",
        default="",
        help="databases to run the web steps on (default: postgresql when "
        "there, else sqlite)",
    )
    parser.add_argument(
        "--reports-on",
        default="",
        help="databases to build the reports on (default: as --http-on)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="time every measure kind's queries in the verdicts step",
    )
    parser.add_argument(
        "--report-runs",
        type=int,
        default=2,
        help="runs of each report format (a PDF of a national plan takes a while)",
    )
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--page-seconds", type=float, default=20.0)
    parser.add_argument("--rate", type=float, default=TARGET_POST_RPS)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--import-rows", type=int, default=1_000_000)
    parser.add_argument("--import-runs", type=int, default=2)
    parser.add_argument(
        "--python-load",
        action="store_true",
        help="load the pages from Python threads even when wrk is installed",
    )
    args = parser.parse_args()
    args.formats = [f for f in args.formats.split(",") if f]
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(OPTIONAL)
    if unknown:
        parser.error(f"unknown steps to skip: {', '.join(sorted(unknown))}")
    has_postgresql = bool(os.environ.get("FREMDRIFT_DATABASE_URL", "").strip())
    databases = [d for d in args.databases.split(",") if d] or (
        ["sqlite", "postgresql"] if has_postgresql else ["sqlite"]
    )
    if "postgresql" in databases and not has_postgresql:
        parser.error("postgresql needs FREMDRIFT_DATABASE_URL")
    # The web steps and the reports where a national deployment runs them;
    # a report's rendering does not depend on the database.
    where = ["postgresql" if "postgresql" in databases else "sqlite"]
    http_on = [d for d in args.http_on.split(",") if d] or where
    reports_on = [d for d in args.reports_on.split(",") if d] or where

    began = time.perf_counter()
    machine = machine_info(databases)
    rows: list[dict[str, Any]] = []
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = results / f"national-{args.scale}-{'-'.join(databases)}-{stamp}.json"

    def save(finished: bool) -> None:
        # Written after every step, so a run cut short keeps what it had.
        path.write_text(
            json.dumps(
                {
                    "finished": finished,
                    "machine": machine,
                    "scale": args.scale,
                    "seed": args.seed,
                    "runs": args.runs,
                    "total_s": time.perf_counter() - began,
                    "options": dict(vars(args)),
                    "rows": rows,
                },
                indent=2,
                default=str,
            ),
            encoding="utf-8",
        )

    for database in databases:
        with throwaway(database) as env:
            done = len(rows)
            rows.append(bench_generate(database, env, args))
            progress(rows[done:])
            save(False)
            if "verdicts" not in skip:
                done = len(rows)
                rows += bench_verdicts(database, env, args)
                progress(rows[done:])
                save(False)
            if "reports" not in skip and database in reports_on:
                done = len(rows)
                rows += bench_reports(database, env, args)
                progress(rows[done:])
                save(False)
            if "imports" not in skip:
                done = len(rows)
                rows += bench_imports(database, args)
                progress(rows[done:])
                save(False)
            if database in http_on and not {"pages", "attendance"} <= skip:
                done = len(rows)
                rows += bench_http(database, env, args, skip)
                progress(rows[done:])
                save(False)
    machine["load_average_at_end"] = os.getloadavg()
    total_s = time.perf_counter() - began

    print(
        f"National benchmark, scale {args.scale}, seed {args.seed}, "
        f"{args.runs} runs; {total_s / 60:.1f} min in all"
    )
    print_table(rows, machine)
    save(True)
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
