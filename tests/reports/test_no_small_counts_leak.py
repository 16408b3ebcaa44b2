"""No board or public output shows a count of persons that discretion
hides: every report kind in every format, for both bundled plans and for a
small plan full of small counts, read back as text."""

from __future__ import annotations

import html
import io
import re
import subprocess
import tempfile
from pathlib import Path

import docx
import openpyxl
import pytest

from fremdrift.planfiles.services import plan_load
from fremdrift.plans.models import Plan
from fremdrift.reports.assembly import report_build
from fremdrift.reports.renderers import RENDERERS

from ..small_counts import SMALL_COUNT, small_count_plan

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def _text(fmt: str, content: bytes) -> str:
    """What a reader of ``content`` reads, as text."""
    if fmt == "html":
        return html.unescape(re.sub(r"<[^>]+>", " ", content.decode("utf-8")))
    if fmt == "pdf":
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(content)
            f.flush()
            return subprocess.run(
                ["pdftotext", "-layout", f.name, "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
    if fmt == "docx":
        document = docx.Document(io.BytesIO(content))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            parts.extend(cell.text for row in table.rows for cell in row.cells)
        return "\n".join(parts)
    book = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
    return "\n".join(
        " | ".join("" if v is None else str(v) for v in row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def _leaks(plan: Plan, reports: list[tuple[str, dict[str, int]]]) -> list[str]:
    found = []
    for kind, extra in reports:
        for audience in ("board", "public"):
            doc = report_build(plan=plan, kind=kind, audience=audience, **extra)
            for fmt, render in RENDERERS.items():
                text = _text(fmt, render(doc))
                found.extend(
                    f"{kind}/{audience}/{fmt}: {m.group(0)!r} in "
                    f"{text[max(0, m.start() - 60) : m.end() + 20]!r}"
                    for m in SMALL_COUNT.finditer(text)
                )
    return found


def test_no_small_count_of_persons_reaches_the_board_in_the_small_plan(
    mini_folder: Path,
) -> None:
    plan = small_count_plan(mini_folder)
    internal = report_build(plan=plan, kind="final")
    internal_text = _text("html", RENDERERS["html"](internal))
    # The team's report shows the small counts the others must not.
    assert SMALL_COUNT.search(internal_text)
    assert "Kun 2 børn kom" in internal_text

    leaks = _leaks(
        plan,
        [
            ("final", {}),
            ("annual", {"year": 2023}),
            ("progress", {"year": 2023, "tertial": 1}),
        ],
    )
    assert leaks == []
    board = _text(
        "html",
        RENDERERS["html"](report_build(plan=plan, kind="final", audience="board")),
    )
    assert "Kun 2 børn kom" not in board
    assert "1 barn" not in board
    assert "3 flyttet" not in board


BUNDLED = {
    "randers-nordby-2017-21": [
        ("final", {}),
        ("annual", {"year": 2019}),
        ("progress", {"year": 2021, "tertial": 1}),
    ],
    "eksempelby-2025-29": [
        ("final", {}),
        ("annual", {"year": 2025}),
        ("progress", {"year": 2026, "tertial": 2}),
    ],
}


@pytest.mark.parametrize("slug", sorted(BUNDLED))
def test_no_small_count_of_persons_reaches_the_board_in_the_bundled_plans(
    slug: str,
) -> None:
    plan_load(folder=ROOT / "examples" / slug)
    plan = Plan.objects.get(slug=slug)
    assert _leaks(plan, BUNDLED[slug]) == []
    if slug.startswith("randers"):
        board = _text(
            "html",
            RENDERERS["html"](report_build(plan=plan, kind="final", audience="board")),
        )
        # The raw counts the criteria table printed before (not "64 personer").
        for raw in ("8 -> 11", "4 i 2017", "2019: 2 personer", "4 personer"):
            assert not re.search(rf"(?<![\d,]){re.escape(raw)}", board)
