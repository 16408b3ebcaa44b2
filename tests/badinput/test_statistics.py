"""The corpus of the statistics importers (``fremdrift import``): a bad
tidy CSV or workbook is refused with one problem at its file, sheet, line
and column, no traceback, and no row of any table changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from .cases import Case, lbf_cases, statbank_cases, tidy_cases
from .conftest import assert_one_problem, changed_tables, database_fingerprint, refused

TIDY_CASES = tidy_cases()


@pytest.mark.parametrize("case", TIDY_CASES, ids=[c.name for c in TIDY_CASES])
def test_a_bad_tidy_file_is_refused_in_one_line_and_changes_nothing(
    plan, tmp_path: Path, case: Case
):
    folder = case.write(tmp_path / case.name)
    (path,) = (folder / name for name in case.files)
    before = database_fingerprint()
    refusal = refused("import", plan.slug, str(path))
    assert_one_problem(refusal, case.where, case.says, path.name)
    assert changed_tables(before, database_fingerprint()) == []


STATBANK_CASES = statbank_cases()
LBF_CASES = lbf_cases()


@pytest.mark.parametrize(
    ("source", "case"),
    [("statbank", c) for c in STATBANK_CASES] + [("lbf", c) for c in LBF_CASES],
    ids=[c.name for c in STATBANK_CASES + LBF_CASES],
)
def test_a_bad_statbank_or_lbf_file_is_refused_in_one_line_and_changes_nothing(
    plan, tmp_path: Path, source: str, case: Case
):
    folder = case.write(tmp_path / case.name)
    (path,) = (folder / name for name in case.files if name != "mapping.yaml")
    before = database_fingerprint()
    refusal = refused(
        "import",
        plan.slug,
        str(path),
        "--source",
        source,
        "--mapping",
        str(folder / "mapping.yaml"),
    )
    assert_one_problem(refusal, case.where, case.says, path.name)
    assert changed_tables(before, database_fingerprint()) == []
