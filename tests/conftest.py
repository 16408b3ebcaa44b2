from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RANDERS = ROOT / "examples" / "randers-nordby-2017-21"
MINI = Path(__file__).resolve().parent / "fixtures" / "mini-plan"


@pytest.fixture
def mini_folder(tmp_path: Path) -> Path:
    """A writable copy of the small fictional test plan."""
    folder = tmp_path / "mini-plan"
    shutil.copytree(MINI, folder)
    return folder


@pytest.fixture
def randers(db):  # type: ignore[no-untyped-def]
    from fremdrift.plans.models import Plan
    from fremdrift.plans.services import plan_load

    plan_load(folder=RANDERS)
    return Plan.objects.get(slug="randers-nordby-2017-21")


@pytest.fixture
def mini(db, mini_folder):  # type: ignore[no-untyped-def]
    from fremdrift.plans.models import Plan
    from fremdrift.plans.services import plan_load

    plan_load(folder=mini_folder)
    return Plan.objects.get(slug="eksempelby-2022-26")
