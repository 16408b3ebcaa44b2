"""The bad-input corpus: every broken tidy file is refused with a clear
problem at the right place, and nothing is written.

The files and what each must say are in ``corpus/manifest.yaml``; the files
are made by ``corpus/make_corpus.py``. The 50 MB file is not committed: it
is written here, into a temporary folder.
"""

from __future__ import annotations

import io
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from fremdrift.statistics.models import ImportBatch, Observation, ObservationChange
from fremdrift.statistics.services import observations_import

from .corpus.make_corpus import corpus

# The importers' problems as the import command prints them.
pytestmark = pytest.mark.usefixtures("english")

CORPUS = Path(__file__).resolve().parent / "corpus"
MANIFEST = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
BROKEN: list[dict[str, Any]] = MANIFEST["broken"]
CONTROLS: list[dict[str, Any]] = MANIFEST["controls"]
# Files in the folder that are not part of the corpus itself.
NOT_CORPUS = {"manifest.yaml", "make_corpus.py", "__init__.py", "__pycache__"}


def stored(plan) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Everything an import could write, to compare before and after."""
    return {
        "observations": sorted(
            Observation.objects.filter(indicator__plan=plan).values_list(
                "id", "value", "numerator", "denominator", "note", "flags", "batch_id"
            ),
            key=lambda row: row[0],
        ),
        "batches": ImportBatch.objects.count(),
        "changes": ObservationChange.objects.count(),
    }


def test_the_manifest_lists_every_file_of_the_folder_and_no_other():
    listed = [entry["file"] for entry in BROKEN + CONTROLS]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    on_disk = {p.name for p in CORPUS.iterdir()} - NOT_CORPUS
    assert sorted(on_disk) == sorted(listed)
    assert len(BROKEN) >= 30
    for entry in BROKEN:
        assert set(entry) == {"file", "problem", "location", "message"}, entry
        assert entry["location"].startswith(entry["file"]), entry
    for entry in CONTROLS:
        assert set(entry) == {"file", "problem", "created"}, entry


def test_the_generator_makes_exactly_the_committed_files():
    made = corpus()
    assert sorted(made) == sorted(e["file"] for e in BROKEN + CONTROLS)
    for name, data in made.items():
        assert (CORPUS / name).read_bytes() == data, (
            f"{name} differs from what make_corpus.py writes; run it again"
        )


@pytest.mark.parametrize("entry", BROKEN, ids=[e["file"] for e in BROKEN])
def test_a_broken_file_is_refused_with_one_clear_problem_and_writes_nothing(
    plan, entry
):
    before = stored(plan)
    result = observations_import(plan=plan, path=CORPUS / entry["file"])
    problems = [(str(p.where), p.message) for p in result.problems]
    assert len(problems) == 1, problems
    ((location, message),) = problems
    assert location == entry["location"]
    assert entry["message"] in message
    assert result.batch is None
    assert stored(plan) == before


@pytest.mark.parametrize("entry", CONTROLS, ids=[e["file"] for e in CONTROLS])
def test_a_control_file_imports_and_twice_changes_nothing(plan, entry):
    path = CORPUS / entry["file"]
    result = observations_import(plan=plan, path=path)
    assert result.problems == []
    assert result.created == entry["created"]
    assert result.batch is not None
    again = observations_import(plan=plan, path=path)
    assert again.nothing_changed


def test_the_cp1252_control_keeps_its_danish_letters(plan):
    observations_import(plan=plan, path=CORPUS / "control-cp1252.csv")
    notes = set(
        Observation.objects.filter(period="2024").values_list("note", flat=True)
    )
    assert notes == {
        "Tal fra årsrapporten, ændret i år",
        "Skjult af hensyn til diskretion (ø, å)",
        "Æblegården",
    }


@pytest.mark.parametrize(
    "name", ["unknown-indicator.csv", "nul-byte.csv", "formula.xlsx"]
)
def test_the_import_command_refuses_a_broken_file(plan, name):
    entry = next(e for e in BROKEN if e["file"] == name)
    path = CORPUS / name
    before = stored(plan)
    err = io.StringIO()
    with pytest.raises(CommandError, match="refused, nothing was written"):
        call_command("import", plan.slug, str(path), stderr=err)
    # The command names the file by the path it was given.
    location = str(path) + entry["location"][len(name) :]
    assert err.getvalue().startswith(f"{location}: {entry['message']}")
    assert stored(plan) == before


# The 50 MB file: a valid header, then rows of about 1 KB (a note makes up
# most of each) with distinct keys, and one bad value near the end.
BIG_BYTES = 50 * 1024 * 1024
BIG_INDICATORS = ("charged-persons", "charged-per-1000", "employment-change")
BIG_POPULATIONS = ("nord", "syd", "kommunen")
BIG_NOTE = "Tal fra årsrapporten; " * 45


def big_file(path: Path, size: int) -> tuple[int, int]:
    """Write a tidy file of at least ``size`` bytes whose one bad row is
    the fifth from the end; returns (the bad row's line, the lines)."""
    keys = (
        (indicator, population, (date(2012, 1, 1) + timedelta(days=day)).isoformat())
        for day in range(7305)
        for indicator in BIG_INDICATORS
        for population in BIG_POPULATIONS
    )
    lines: list[str] = []
    written = 0
    line = 1
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("indicator,population,period,value,note\n")
        for number, (indicator, population, period) in enumerate(keys):
            line += 1
            text = f"{indicator},{population},{period},{number % 997},{BIG_NOTE}\n"
            lines.append(text)
            written += len(text.encode("utf-8"))
            if len(lines) == 1000:
                handle.write("".join(lines))
                lines = []
            if written >= size:
                break
        else:
            raise AssertionError("not enough distinct keys for the file size")
        if len(lines) < 5:  # pragma: no cover - the sizes used keep lines
            raise AssertionError("the bad row must be in the last lines")
        bad = line - 4
        lines[-5] = lines[-5].replace(f",{BIG_NOTE}", f"x,{BIG_NOTE}", 1)
        handle.write("".join(lines))
    return bad, line


@pytest.mark.slow
def test_a_50_mb_file_with_one_bad_row_near_the_end_is_refused_in_flat_memory(
    plan, tmp_path
):
    path = tmp_path / "stor.csv"
    bad_line, last_line = big_file(path, BIG_BYTES)
    size = path.stat().st_size
    assert size >= BIG_BYTES
    before = stored(plan)
    tracemalloc.start()
    try:
        result = observations_import(plan=plan, path=path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    problems = [(str(p.where), p.message) for p in result.problems]
    assert len(problems) == 1, problems
    ((location, message),) = problems
    assert location == f"stor.csv:{bad_line}: value"
    assert message.endswith("x' is not a number")
    assert result.rows == last_line - 1
    assert result.batch is None
    assert stored(plan) == before
    # Streamed: the peak is a chunk of rows, not the file.
    assert peak < size / 5, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.0f} MB file"
