"""Behaviour pinned byte for byte: what the command line and the reports
print for both bundled plans, recorded before the structural refactor of
issue 14 and compared on every run since.

A difference here is a change of behaviour. When one is intended, record
anew and commit the new files with the change that explains them:

    FREMDRIFT_GOLDEN_RECORD=1 .venv/bin/pytest tests/golden

The clock is frozen and Eksempelby's registrations are generated up to a
fixed day, so the outputs depend on the code and the plan folders only.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "files"
RECORD = os.environ.get("FREMDRIFT_GOLDEN_RECORD") == "1"
NOW = "2026-12-01T09:00:00+01:00"
UNTIL = "2026-11-30"

PLANS = {
    "randers-nordby-2017-21": {
        "folder": ROOT / "examples" / "randers-nordby-2017-21",
        "reports": [
            ("final", []),
            ("annual", ["--year", "2019"]),
            ("progress", ["--year", "2021", "--tertial", "1"]),
        ],
    },
    "eksempelby-2025-29": {
        "folder": ROOT / "examples" / "eksempelby-2025-29",
        "reports": [
            ("final", []),
            ("annual", ["--year", "2025"]),
            ("progress", ["--year", "2026", "--tertial", "2"]),
        ],
    },
}
AUDIENCES = ("internal", "board")


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _xlsx_cells(path: Path) -> str:
    """Every sheet's cell values, one JSON line a row: the numbers and texts
    a reader sees, without the zip container's timestamps."""
    book = openpyxl.load_workbook(path, data_only=True)
    lines = []
    for sheet in book.worksheets:
        lines.append(json.dumps({"sheet": sheet.title}, ensure_ascii=False))
        for row in sheet.iter_rows(values_only=True):
            lines.append(json.dumps(row, ensure_ascii=False, default=str))
    return "\n".join(lines) + "\n"


def _outputs(slug: str, tmp_path: Path) -> Iterator[tuple[str, bytes]]:
    spec = PLANS[slug]
    for lang in ("da", "en"):
        text = _command("verdicts", slug, "--format", "json", "--lang", lang)
        yield f"verdicts-{lang}.json", text.encode()
    yield "observations.csv", _command("observations", slug).encode()
    dumped = tmp_path / "dump"
    _command("dump", slug, str(dumped))
    for path in sorted(p for p in dumped.rglob("*") if p.is_file()):
        yield f"dump/{path.relative_to(dumped)}", path.read_bytes()
    for kind, extra in spec["reports"]:
        for audience in AUDIENCES:
            name = f"report-{kind}-{audience}"
            out = tmp_path / f"{name}.html"
            _command(
                "report", slug, "--kind", kind, *extra, "--audience", audience,
                "--format", "html", "--out", str(out),
            )  # fmt: skip
            yield f"{name}.html", out.read_bytes()
            out = tmp_path / f"{name}.xlsx"
            _command(
                "report", slug, "--kind", kind, *extra, "--audience", audience,
                "--format", "xlsx", "--out", str(out),
            )  # fmt: skip
            yield f"{name}.xlsx.jsonl", _xlsx_cells(out).encode()
    out = tmp_path / "report-final-internal-en.html"
    _command(
        "report", slug, "--kind", "final", "--lang", "en", "--format", "html",
        "--out", str(out),
    )  # fmt: skip
    yield "report-final-internal-en.html", out.read_bytes()


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("slug", sorted(PLANS))
def test_outputs_are_unchanged(slug: str, tmp_path: Path) -> None:
    with time_machine.travel(NOW, tick=False):
        _command("load", str(PLANS[slug]["folder"]))
        if slug.startswith("eksempelby"):
            _command("demo_registrations", slug, "--until", UNTIL)
        outputs = dict(_outputs(slug, tmp_path))
    folder = GOLDEN / slug
    if RECORD:
        for name, content in outputs.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    recorded = sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()
    )
    assert recorded == sorted(outputs), "outputs added or gone"
    changed = [
        name for name, content in outputs.items()
        if (folder / name).read_bytes() != content
    ]  # fmt: skip
    assert not changed, f"outputs changed: {changed}"
