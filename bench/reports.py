"""Benchmark: build and render the Randers Nordby final report in every
format; time (median and spread over several runs) and peak memory of each.

Run with `make bench`. Each format runs in its own process so that its peak
memory (ru_maxrss) is its own. Results are printed as a table and written as
JSON under bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples" / "randers-nordby-2017-21"
SLUG = "randers-nordby-2017-21"
FORMATS = ("html", "pdf", "docx", "xlsx")
TARGETS_S = {"html": 1.0, "pdf": 5.0, "docx": 2.0, "xlsx": 2.0}
TARGET_MB = 300


def _one_format(fmt: str, runs: int) -> dict[str, object]:
    """In a child process: load the plan, then build+render ``runs`` times."""
    import django

    django.setup()
    from django.core.management import call_command

    from fremdrift.plans.models import Plan
    from fremdrift.reports.assembly import report_build
    from fremdrift.reports.renderers import RENDERERS

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load", str(PLAN), verbosity=0)
    plan = Plan.objects.get(slug=SLUG)
    timings = []
    size = 0
    for _ in range(runs):
        start = time.perf_counter()
        content = RENDERERS[fmt](report_build(plan=plan, kind="final"))
        timings.append(time.perf_counter() - start)
        size = len(content)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"timings_s": timings, "bytes": size, "peak_mb": peak_kb / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", choices=FORMATS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_one_format(args.child, args.runs)))
        return

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "fremdrift.settings",
            "FREMDRIFT_SQLITE_PATH": str(Path(tmp) / "bench.sqlite3"),
        }
        database = "postgresql" if env.get("FREMDRIFT_DATABASE_URL") else "sqlite"
        for fmt in FORMATS:
            out = subprocess.run(
                [sys.executable, __file__, "--child", fmt, "--runs", str(args.runs)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            result = json.loads(out.strip().splitlines()[-1])
            timings = result["timings_s"]
            # The first run pays for imports and font loading; it is shown
            # apart from the steady state.
            steady = timings[1:] or timings
            rows.append(
                {
                    "step": f"final report, {fmt}",
                    "format": fmt,
                    "first_s": timings[0],
                    "median_s": statistics.median(steady),
                    "spread_s": (max(steady) - min(steady)) if len(steady) > 1 else 0.0,
                    "bytes": result["bytes"],
                    "peak_mb": result["peak_mb"],
                    "target_s": TARGETS_S[fmt],
                    "met": statistics.median(steady) < TARGETS_S[fmt]
                    and result["peak_mb"] < TARGET_MB,
                }
            )
    machine = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpus": os.cpu_count(),
        "database": database,
    }
    print(f"Randers Nordby final report, {args.runs} runs per format, {database}")
    header = ("format", "first s", "median s", "spread s", "size", "peak MB", "target")
    widths = (8, 9, 10, 10, 11, 9, 8)
    print(
        "".join(
            f"{h:<{w}}" if i == 0 else f"{h:>{w}}"
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        )
        + "  met"
    )
    for row in rows:
        print(
            f"{row['format']:<8}{row['first_s']:>9.3f}{row['median_s']:>10.3f}"
            f"{row['spread_s']:>10.3f}{row['bytes']:>11,}{row['peak_mb']:>9.0f}"
            f"{row['target_s']:>7.0f}s  {'yes' if row['met'] else 'NO'}"
        )
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = results / f"reports-{database}-{stamp}.json"
    path.write_text(
        json.dumps({"machine": machine, "rows": rows}, indent=2), encoding="utf-8"
    )
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
