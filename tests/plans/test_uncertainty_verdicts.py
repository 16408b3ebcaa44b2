"""``fremdrift verdicts --format json`` carries what the statistics say
about each verdict: the change a criterion is judged on and whether chance
explains it (with the denominators derived from printed figures), the
persons a number rests on and the thin-data mark, and a running count's
forecast (docs/cli.md)."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from fremdrift.planfiles.services import plan_load
from fremdrift.plans.models import Plan
from fremdrift_demo.eksempelby import registrations_generate

from ..conftest import ROOT

pytestmark = pytest.mark.django_db

STATISTICS_KEYS = {"within_chance", "change", "persons", "thin_data", "forecast"}


def _records(*args: str) -> dict[str, dict[str, object]]:
    out = StringIO()
    call_command("verdicts", *args, "--format", "json", stdout=out)
    return {r["id"]: r for r in json.loads(out.getvalue())}


def test_randers_verdicts_say_whether_each_change_is_beyond_chance(randers) -> None:  # type: ignore[no-untyped-def]
    records = _records("randers-nordby-2017-21", "--as-of", "2022-06-01")
    assert all(r.keys() >= STATISTICS_KEYS for r in records.values())

    language = records["fp-language-2-5"]
    assert language["within_chance"] is True
    change = language["change"]
    assert isinstance(change, dict)
    assert change["from"] == "2016" and change["to"] == "2020"
    assert change["test"] == "n_minus_1_chi_square"
    assert change["beyond_chance"] is False
    assert 0.05 < change["p_value"] < 1
    assert change["derived_denominators"] == [255, 293]
    assert change["persons"] == pytest.approx(-8.2, abs=0.5)
    assert change["sentence"].endswith(
        "Nævnerne er udledt af antal og andel (ca. 255 og ca. 293)."
    )
    assert any(r.startswith("Faldet fra 11 % til 8,2 %") for r in language["remarks"])

    social = records["fp-nussa-social"]
    assert social["within_chance"] is False
    assert social["change"]["beyond_chance"] is True
    assert social["change"]["derived_denominators"] == [207, 143]

    vangdalen = records["goal-safety-charged-vangdalen"]
    assert vangdalen["within_chance"] is None
    assert vangdalen["change"]["reason"] == "population_unknown"
    assert vangdalen["change"]["beyond_chance"] is None

    # A criterion not judged on a change carries none.
    assert records["ub-legepatruljen-instruktoerer"]["change"] is None
    assert records["ub-legepatruljen-instruktoerer"]["forecast"] is None


def test_eksempelby_verdicts_carry_forecasts_and_thin_marks(db) -> None:  # type: ignore[no-untyped-def]
    plan_load(folder=ROOT / "examples" / "eksempelby-2025-29")
    plan = Plan.objects.get(slug="eksempelby-2025-29")
    registrations_generate(plan=plan, until=datetime.date(2026, 11, 1))
    records = _records("eksempelby-2025-29", "--as-of", "2026-08-31")

    cafe = records["lc-boern"]
    forecast = cafe["forecast"]
    assert isinstance(forecast, dict)
    assert forecast["method"] == "forecast_seasonal"
    assert forecast["end"] == "2028-12-31"
    assert forecast["observed"] == cafe["achieved"]
    assert forecast["low"] <= forecast["projected"] <= forecast["high"]
    assert forecast["target"] == 90
    assert forecast["outlook"] in {"on_track", "at_risk", "off_track"}
    assert forecast["sentence"] in cafe["remarks"]
    assert records["gp-kontakter"]["forecast"]["method"] == "forecast_linear"
    # Shares get no forecast; some rest on few persons.
    assert records["lc-forandring"]["forecast"] is None
    thin = [r for r in records.values() if r["thin_data"]]
    assert thin
    for record in thin:
        mark = record["thin_data"]
        assert mark["n"] < 20 and mark["n"] == record["persons"]
        assert mark["text"] == f"spinkelt datagrundlag (n = {mark['n']})"
