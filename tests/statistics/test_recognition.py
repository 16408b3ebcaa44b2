"""Recognising the standard layouts of an uploaded file without a mapping
file: the tidy template, StatBank and Landsbyggefonden; and the mapping
templates the upload page offers."""

from __future__ import annotations

from pathlib import Path

import yaml

from fremdrift.statistics.importers.lbf_mapping import load_mapping as load_lbf
from fremdrift.statistics.importers.statbank_mapping import (
    load_mapping as load_statbank,
)
from fremdrift.statistics.recognition import (
    Layout,
    Unrecognised,
    layout_recognise,
    mapping_source,
)
from fremdrift.statistics.template_file import (
    lbf_mapping_template,
    observations_template,
    statbank_mapping_template,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "randers-nordby-2017-21"


def recognise(plan, path: Path) -> Layout | Unrecognised:  # type: ignore[no-untyped-def]
    return layout_recognise(plan=plan, path=path, display_name=path.name)


def written(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_a_tidy_csv_is_recognised_by_its_header_in_english_or_danish(plan, tmp_path):
    english = written(tmp_path, "a.csv", b"indicator,population,period,value\n")
    danish = written(tmp_path, "b.csv", "indikator;population;periode;værdi\n".encode())
    for path in (english, danish):
        found = recognise(plan, path)
        assert isinstance(found, Layout)
        assert (found.source, found.mapping_yaml) == ("tidy", "")


def test_the_tidy_template_workbook_is_recognised(plan, tmp_path):
    path = written(tmp_path, "skabelon.xlsx", observations_template(plan=plan))
    found = recognise(plan, path)
    assert isinstance(found, Layout) and found.source == "tidy"


def test_a_statbank_file_is_mapped_by_the_plans_own_names(randers):
    found = recognise(randers, EXAMPLE / "statbank" / "NORDBY17.csv")
    assert isinstance(found, Layout) and found.source == "statbank"
    made = yaml.safe_load(found.mapping_yaml)
    # The example's hand-written mapping says the same as the one made
    # from the plan's indicator short names and population names.
    hand = yaml.safe_load((EXAMPLE / "statbank" / "mapping.yaml").read_text())
    assert made["indicator"] == hand["indicator"]
    assert made["population"] == hand["population"]
    assert made["lang"] == "da"


def test_a_statbank_file_of_other_names_asks_for_a_mapping(plan):
    found = recognise(plan, FIXTURES / "statbank" / "FOLK1A-da.bulk.csv")
    assert isinstance(found, Unrecognised)
    assert "Statistikbanken" in found.reason and "OMRÅDE" in found.reason


def test_landsbyggefondens_long_table_is_recognised_and_fitted_to_the_plan(plan):
    found = recognise(plan, FIXTURES / "lbf" / "lbf-long.xlsx")
    assert isinstance(found, Layout) and found.source == "lbf"
    made = yaml.safe_load(found.mapping_yaml)
    assert made["extends"] == "lbf-long"
    assert made["population"]["values"]["Eksempelby Nord"] == "nord"
    # Column C is the plan's 'employment' by its name; D is a key figure
    # the plan does not follow, so it is left out and the preview says so.
    assert made["values"]["columns"] == {
        "C": "employment",
        "D": None,
        "E": "charged-per-1000",
    }
    assert made["scale"] == {"employment": 100}
    assert any("Kolonne D" in note for note in found.notes)


def test_landsbyggefondens_wide_table_is_recognised(plan):
    found = recognise(plan, FIXTURES / "lbf" / "lbf-wide.xlsx")
    assert isinstance(found, Layout) and found.source == "lbf"
    made = yaml.safe_load(found.mapping_yaml)
    assert made["extends"] == "lbf-wide"
    values = made["indicator"]["values"]
    assert values["Andel 18-64-årige i beskæftigelse"] == "employment"
    assert (
        "Andel 18-29-årige med eller i gang med en uddannelse"
        in (made["ignore"]["labels"])
    )


def test_a_file_of_no_known_layout_asks_for_a_mapping(plan, tmp_path):
    path = written(tmp_path, "x.csv", b"navn,antal\nNord,4\n")
    found = recognise(plan, path)
    assert isinstance(found, Unrecognised) and "mappingfil" in found.reason


def test_a_mapping_file_says_which_source_it_is_for(tmp_path):
    assert mapping_source(FIXTURES / "statbank" / "mapping-FOLK1A.yaml") == "statbank"
    lbf = written(tmp_path, "l.yaml", b"format: fremdrift-lbf-mapping/1\n")
    assert mapping_source(lbf) == "lbf"
    assert mapping_source(written(tmp_path, "n.yaml", b"format: noget\n")) is None
    assert mapping_source(written(tmp_path, "b.yaml", b"- [\n")) is None


def test_the_mapping_templates_are_valid_mappings_with_the_plans_names(plan, tmp_path):
    statbank = written(
        tmp_path, "s.yaml", statbank_mapping_template(plan=plan).encode()
    )
    loaded = load_statbank(statbank)
    assert loaded.spec.population.values["Eksempelby Nord"] == "nord"
    assert "employment" in loaded.spec.indicator.values.values()
    lbf = written(tmp_path, "l.yaml", lbf_mapping_template(plan=plan).encode())
    assert load_lbf(lbf).population.slug_for("Eksempel Kommune") == "kommunen"
