"""The StatBank source: the mapping file, the reader of CSV/BULK files, the
API client and ``fremdrift statbank fetch``.

The API is a local ``http.server`` on 127.0.0.1 serving the answers under
fixtures/statbank/, reached through FREMDRIFT_STATBANK_URL: the client's
real urllib code runs, nothing is mocked.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fremdrift.statistics.importers import reader_for
from fremdrift.statistics.importers.base import (
    ImportFileError,
    ImportProblem,
    SourceRow,
)
from fremdrift.statistics.importers.statbank import NoPeriod, statbank_period
from fremdrift.statistics.importers.statbank_mapping import (
    data_request_variables,
    load_mapping,
    mapping_problems_for_table,
)
from fremdrift.statistics.statbank_client import (
    StatBankClient,
    StatBankError,
    parse_tableinfo,
)

# The importers' problems as the import command prints them.
pytestmark = pytest.mark.usefixtures("english")

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "statbank"
TABLEINFO = FIXTURES / "tableinfo-FOLK1A-da.json"
BULK = FIXTURES / "FOLK1A-da.bulk.csv"
FOLK1A_MAPPING = FIXTURES / "mapping-FOLK1A.yaml"

KEY_FIGURES_MAPPING = """\
format: fremdrift-statbank/1
table: BOLNGL1
lang: {lang}
time: TID
indicator:
  variable: NØGLETAL
  values:
    Uddannelse 18-29 år: education-18-29
    Beskæftigelse 18-64 år: employment-18-64
population:
  variable: OMRÅDE
  values:
    Vangdalen: vangdalen
    Randers Kommune: randers-kommune
{extra}"""


def _mapping(tmp_path: Path, *, lang: str = "da", extra: str = "") -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(
        KEY_FIGURES_MAPPING.format(lang=lang, extra=extra), encoding="utf-8"
    )
    return path


def _data(tmp_path: Path, lines: list[str], *, encoding: str = "utf-8") -> Path:
    path = tmp_path / "data.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def _read(mapping: Path, data: Path) -> list[SourceRow | ImportProblem]:
    reader = reader_for("statbank", mapping)
    return list(reader.read(data, display_name=data.name))


def _rows(items: list[SourceRow | ImportProblem]) -> list[SourceRow]:
    return [item for item in items if isinstance(item, SourceRow)]


def _problems(items: list[SourceRow | ImportProblem]) -> list[str]:
    return [str(item) for item in items if isinstance(item, ImportProblem)]


HEADER = "OMRÅDE;NØGLETAL;TID;INDHOLD"


# -- Reading files ----------------------------------------------------------


def test_danish_file_keeps_the_decimal_comma_for_the_value_check(
    tmp_path: Path,
) -> None:
    data = _data(
        tmp_path,
        [
            HEADER,
            "Vangdalen;Uddannelse 18-29 år;2020;65,9",
            "Vangdalen;Uddannelse 18-29 år;2021;..",
            "Randers Kommune;Beskæftigelse 18-64 år;2021K3;1.234,5",
        ],
    )
    items = _read(_mapping(tmp_path), data)
    assert _problems(items) == []
    rows = _rows(items)
    assert [(r.indicator, r.population, r.period, r.value) for r in rows] == [
        ("education-18-29", "vangdalen", "2020", "65,9"),
        # '..' goes on as text: the common check makes it 'suppressed', never 0.
        ("education-18-29", "vangdalen", "2021", ".."),
        ("employment-18-64", "randers-kommune", "2021K3", "1.234,5"),
    ]
    assert all(r.decimal_comma for r in rows)
    assert [r.line for r in rows] == [2, 3, 4]
    assert rows[0].columns == {
        "indicator": "NØGLETAL",
        "population": "OMRÅDE",
        "period": "TID",
        "value": "INDHOLD",
    }
    # A StatBank file has no notes or flags: the import keeps the team's own.
    assert rows[0].note is None
    assert rows[0].flags is None
    assert rows[0].numerator is None


def test_english_file_has_a_decimal_point_and_q_quarters(tmp_path: Path) -> None:
    mapping = _mapping(tmp_path, lang="en")
    data = _data(tmp_path, [HEADER, "Vangdalen;Uddannelse 18-29 år;2021Q3;65.5"])
    rows = _rows(_read(mapping, data))
    assert [(r.period, r.value, r.decimal_comma) for r in rows] == [
        ("2021K3", "65.5", False)
    ]


@pytest.mark.parametrize(
    ("code", "period"),
    [
        ("2021", "2021"),
        ("2021K3", "2021K3"),
        ("2021Q3", "2021K3"),
        ("2021M08", "2021M08"),
        ("2021M08D15", "2021-08-15"),
        ("2020/21", "2020/21"),
    ],
)
def test_statbank_time_codes_become_fremdrift_periods(code: str, period: str) -> None:
    assert statbank_period(code, {}) == period


@pytest.mark.parametrize(
    ("code", "word"), [("2021H1", "half year"), ("2020U07", "week")]
)
def test_half_years_and_weeks_have_no_period(code: str, word: str) -> None:
    result = statbank_period(code, {})
    assert isinstance(result, NoPeriod)
    assert word in result.reason


def test_the_mapping_can_translate_a_time_code() -> None:
    assert statbank_period("2021H2", {"2021H2": "2021-07-01..2021-12-31"}) == (
        "2021-07-01..2021-12-31"
    )


def test_half_year_rows_are_one_problem_with_first_line_and_count(
    tmp_path: Path,
) -> None:
    data = _data(
        tmp_path,
        [
            HEADER,
            "Vangdalen;Uddannelse 18-29 år;2021;65,5",
            "Vangdalen;Uddannelse 18-29 år;2021H1;65,1",
            "Randers Kommune;Uddannelse 18-29 år;2021H1;83,1",
            "Randers Kommune;Uddannelse 18-29 år;2021H2;83,6",
        ],
    )
    items = _read(_mapping(tmp_path), data)
    assert len(_rows(items)) == 1
    problems = _problems(items)
    assert len(problems) == 2
    assert problems[0].startswith("data.csv:3: TID: time code '2021H1' is a half year")
    assert "(2 rows)" in problems[0]
    assert "mapping.yaml" in problems[0]
    assert problems[1].startswith("data.csv:5: TID: time code '2021H2'")


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_cp1252_and_bom_files_are_read_with_their_danish_letters(
    tmp_path: Path, encoding: str
) -> None:
    data = _data(
        tmp_path,
        [HEADER, "Vangdalen;Beskæftigelse 18-64 år;2021;41,0"],
        encoding=encoding,
    )
    items = _read(_mapping(tmp_path), data)
    assert _problems(items) == []
    assert [(r.indicator, r.value) for r in _rows(items)] == [
        ("employment-18-64", "41,0")
    ]


def test_unmapped_values_are_one_problem_each_with_first_line_and_count(
    tmp_path: Path,
) -> None:
    data = _data(
        tmp_path,
        [
            HEADER,
            "Vangdalen;Uddannelse 18-29 år;2020;65,9",
            "Aarhus;Uddannelse 18-29 år;2020;80,1",
            "Aarhus;Uddannelse 18-29 år;2021;80,3",
            "Vangdalen;Uddannelse 18-29 aar;2021;65,5",
            "Aarhus;Beskæftigelse 18-64 år;2021;77,0",
        ],
    )
    items = _read(_mapping(tmp_path), data)
    assert [r.line for r in _rows(items)] == [2]
    assert _problems(items) == [
        "data.csv:3: OMRÅDE: 'Aarhus' is not in the mapping's population.values "
        "(3 rows): map it to a population slug in "
        f"{tmp_path / 'mapping.yaml'}, or set skip_unmapped: true to leave out "
        "the rows the mapping does not name",
        "data.csv:5: NØGLETAL: 'Uddannelse 18-29 aar' is not in the mapping's "
        "indicator.values (1 row); the mapping has 'Uddannelse 18-29 år': map it "
        f"to a indicator slug in {tmp_path / 'mapping.yaml'}, or set "
        "skip_unmapped: true to leave out the rows the mapping does not name",
    ]


def test_skip_unmapped_leaves_those_rows_out_silently(tmp_path: Path) -> None:
    data = _data(
        tmp_path,
        [
            HEADER,
            "Vangdalen;Uddannelse 18-29 år;2020;65,9",
            "Aarhus;Uddannelse 18-29 år;2020;80,1",
            "Vangdalen;Indkomst;2020;201000",
        ],
    )
    items = _read(_mapping(tmp_path, extra="skip_unmapped: true\n"), data)
    assert _problems(items) == []
    assert [r.line for r in _rows(items)] == [2]


def test_skip_dots_leaves_out_cells_without_a_number(tmp_path: Path) -> None:
    data = _data(
        tmp_path,
        [
            HEADER,
            "Vangdalen;Uddannelse 18-29 år;2020;..",
            "Vangdalen;Uddannelse 18-29 år;2021;65,5",
        ],
    )
    items = _read(_mapping(tmp_path, extra="skip_dots: true\n"), data)
    assert [(r.line, r.value) for r in _rows(items)] == [(3, "65,5")]


def test_filters_keep_only_the_named_values(tmp_path: Path) -> None:
    data = _data(
        tmp_path,
        [
            "OMRÅDE;KØN;NØGLETAL;TID;INDHOLD",
            "Vangdalen;I alt;Uddannelse 18-29 år;2020;65,9",
            "Vangdalen;Mænd;Uddannelse 18-29 år;2020;60,2",
            "Vangdalen;Kvinder;Uddannelse 18-29 år;2020;71,0",
        ],
    )
    items = _read(_mapping(tmp_path, extra="filters:\n  KØN: [I alt]\n"), data)
    assert _problems(items) == []
    assert [(r.line, r.value) for r in _rows(items)] == [(2, "65,9")]


def test_an_unnamed_variable_with_two_values_is_one_problem(tmp_path: Path) -> None:
    data = _data(
        tmp_path,
        [
            "OMRÅDE;KØN;NØGLETAL;TID;INDHOLD",
            "Vangdalen;Mænd;Uddannelse 18-29 år;2020;60,2",
            "Vangdalen;Kvinder;Uddannelse 18-29 år;2020;71,0",
            "Vangdalen;I alt;Uddannelse 18-29 år;2020;65,9",
        ],
    )
    problems = _problems(_read(_mapping(tmp_path), data))
    assert problems == [
        "data.csv:3: KØN: KØN is 'Kvinder' here and 'Mænd' on line 2: the "
        "mapping does not name KØN, so its rows would collide; keep one value "
        "with filters: {KØN: [Mænd]}"
    ]


def test_a_file_without_indhold_is_one_header_problem(tmp_path: Path) -> None:
    data = _data(tmp_path, ["OMRÅDE;NØGLETAL;TID;VÆRDI", "Vangdalen;X;2020;1"])
    problems = _problems(_read(_mapping(tmp_path), data))
    assert len(problems) == 1
    assert problems[0].startswith("data.csv:1: header: has no INDHOLD column")


def test_a_comma_separated_file_is_one_header_problem(tmp_path: Path) -> None:
    data = _data(
        tmp_path,
        ["OMRÅDE,NØGLETAL,TID,INDHOLD", "Vangdalen,Uddannelse 18-29 år,2020,65"],
    )
    problems = _problems(_read(_mapping(tmp_path), data))
    assert len(problems) == 1
    assert problems[0].startswith(
        "data.csv:1: header: is separated by commas; StatBank's CSV and BULK "
        "files are separated by semicolons"
    )


def test_a_variable_the_mapping_names_must_be_in_the_header(tmp_path: Path) -> None:
    data = _data(tmp_path, ["OMRÅDE;TID;INDHOLD", "Vangdalen;2020;65,9"])
    problems = _problems(_read(_mapping(tmp_path), data))
    assert len(problems) == 1
    assert problems[0].startswith(
        "data.csv:1: header: has no column NØGLETAL (indicator.variable in the mapping"
    )
    assert problems[0].endswith("the columns are OMRÅDE, TID, INDHOLD")


def test_a_row_of_the_wrong_width_is_a_problem(tmp_path: Path) -> None:
    data = _data(
        tmp_path,
        [
            HEADER,
            "Vangdalen;Uddannelse 18-29 år;2020",
            "Vangdalen;Uddannelse 18-29 år;2021;1",
        ],
    )
    items = _read(_mapping(tmp_path), data)
    assert _problems(items) == ["data.csv:2: has 3 fields, the header has 4"]
    assert [r.line for r in _rows(items)] == [3]


def test_an_empty_file_cannot_be_imported(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_bytes(b"")
    with pytest.raises(ImportFileError, match="is empty"):
        _read(_mapping(tmp_path), data)


def _peak_memory_reading(tmp_path: Path, rows: int) -> int:
    data = tmp_path / f"data-{rows}.csv"
    with data.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER + "\r\n")
        for number in range(rows):
            year = 1900 + number % 100
            handle.write(f"Vangdalen;Uddannelse 18-29 år;{year};{number},5\r\n")
    reader = reader_for("statbank", _mapping(tmp_path))
    tracemalloc.start()
    try:
        count = sum(1 for _ in reader.read(data, display_name=data.name))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == rows
    return peak


@pytest.mark.slow
def test_the_reader_streams_so_memory_does_not_grow_with_the_file(
    tmp_path: Path,
) -> None:
    small = _peak_memory_reading(tmp_path, 30_000)
    large = _peak_memory_reading(tmp_path, 240_000)
    # Eight times the rows (10 MB), about the same memory: the encoding check
    # reads 1 MB steps and the reader one row at a time.
    assert large < small * 1.5 + 100_000


def test_the_folk1a_bulk_answer_reads_with_its_mapping() -> None:
    items = _read(FOLK1A_MAPPING, BULK)
    assert _problems(items) == []
    rows = _rows(items)
    assert len(rows) == 16
    assert {r.indicator for r in rows} == {"residents"}
    assert (rows[9].population, rows[9].period, rows[9].value) == (
        "randers",
        "2020K2",
        "..",
    )


# -- The mapping file ---------------------------------------------------------


def test_a_mapping_is_required(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="needs a mapping file"):
        reader_for("statbank", None)


def test_mapping_problems_name_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "format: fremdrift-statbank/1\n"
        "table: BOLNGL1\n"
        "lang: de\n"
        "indicator:\n"
        "  variable: NØGLETAL\n"
        "  values:\n"
        "    Uddannelse: Education_18\n"
        "population:\n"
        "  slug: vangdalen\n"
        "  variable: OMRÅDE\n"
        "colour: blue\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFileError) as caught:
        load_mapping(path, "bad.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "bad.yaml:3: lang: Input should be 'da' or 'en'",
        "bad.yaml:7: indicator.values.Uddannelse: 'Education_18' is not a slug "
        "(lower-case letters, digits and hyphens)",
        "bad.yaml:8: population: give either 'slug' or 'variable' with 'values', not both",
        "bad.yaml:11: colour: is not a field of a StatBank mapping (see "
        "docs/import-statbank.md)",
    ]


def test_a_mapping_that_is_not_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("format: fremdrift-statbank/1\ntable: [X\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"bad.yaml:3: is not valid YAML"):
        load_mapping(path, "bad.yaml")


def test_a_variable_may_have_one_role_only(tmp_path: Path) -> None:
    path = _mapping(tmp_path, extra="filters:\n  OMRÅDE: [Vangdalen]\n")
    with pytest.raises(ImportFileError) as caught:
        load_mapping(path, "m.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "m.yaml:16: filters.OMRÅDE: variable OMRÅDE is already named by "
        "population.variable; a variable can have one role only"
    ]


def test_codes_stay_text_in_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "codes.yaml"
    path.write_text(
        "format: fremdrift-statbank/1\n"
        "table: FOLK1A\n"
        "values_by: code\n"
        "indicator: {slug: residents}\n"
        "population:\n"
        "  variable: OMRÅDE\n"
        "  values: {000: denmark, 0730: randers}\n"
        "filters: {KØN: [TOT]}\n"
        "periods: {2021H1: 2021K1}\n",
        encoding="utf-8",
    )
    spec = load_mapping(path).spec
    assert spec.population.values == {"000": "denmark", "0730": "randers"}
    assert spec.periods == {"2021H1": "2021K1"}


def test_a_translated_period_must_be_a_fremdrift_period(tmp_path: Path) -> None:
    path = _mapping(tmp_path, extra="periods:\n  2021H1: 2021 H1\n")
    with pytest.raises(ImportFileError, match=r"mapping.yaml:16: periods.2021H1: "):
        load_mapping(path)


# -- Checking a mapping against tableinfo -------------------------------------


def _tableinfo() -> Any:
    return parse_tableinfo(json.loads(TABLEINFO.read_text(encoding="utf-8")))


def test_tableinfo_is_parsed() -> None:
    info = _tableinfo()
    assert info.id == "FOLK1A"
    assert [v.id for v in info.variables] == [
        "OMRÅDE",
        "KØN",
        "ALDER",
        "CIVILSTAND",
        "Tid",
    ]
    assert info.variables[-1].time
    assert info.variables[0].values[3].text == "Randers"


def test_a_mapping_that_fits_the_table_has_no_problems() -> None:
    loaded = load_mapping(FOLK1A_MAPPING)
    assert mapping_problems_for_table(loaded, _tableinfo()) == []
    variables, problems = data_request_variables(loaded, _tableinfo(), bulk=True)
    assert problems == []
    assert variables == {
        "OMRÅDE": ["730", "000"],
        "KØN": ["TOT"],
        "ALDER": ["IALT"],
        "CIVILSTAND": ["TOT"],
        "Tid": ["*"],
    }


def test_names_the_table_lacks_are_listed_with_suggestions(tmp_path: Path) -> None:
    text = FOLK1A_MAPPING.read_text(encoding="utf-8")
    text = text.replace("Randers: randers", "Randrs: randers")
    text = text.replace("KØN: [I alt]", "KOEN: [I alt]")
    text = text.replace("ALDER: [Alder i alt]", "ALDER: [IALT]")
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    problems = [
        str(p) for p in mapping_problems_for_table(load_mapping(path), _tableinfo())
    ]
    assert problems == [
        f"{path}:13: population.values.Randrs: 'Randrs' is not a text of OMRÅDE "
        "in table FOLK1A (lang da); did you mean 'Randers'?",
        f"{path}:16: filters.KOEN: table FOLK1A has no variable KOEN (its "
        "variables: OMRÅDE, KØN, ALDER, CIVILSTAND, Tid); did you mean 'KØN'?",
        f"{path}:17: filters.ALDER: 'IALT' is not a text of ALDER in table FOLK1A "
        "(lang da); it is the code of 'Alder i alt': the mapping says values_by: "
        "text, so write the text, or change values_by",
    ]


def test_bulk_needs_every_variable_named(tmp_path: Path) -> None:
    text = FOLK1A_MAPPING.read_text(encoding="utf-8")
    text = text.replace("  CIVILSTAND: [I alt]\n", "")
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_mapping(path)
    _variables, problems = data_request_variables(loaded, _tableinfo(), bulk=True)
    assert len(problems) == 1
    assert "CIVILSTAND" in str(problems[0])
    # CSV lets the API eliminate (sum over) it.
    variables, problems = data_request_variables(loaded, _tableinfo(), bulk=False)
    assert problems == []
    assert "CIVILSTAND" not in variables


# -- The API client, against a local server -----------------------------------

Route = Callable[[dict[str, Any]], tuple[int, str, bytes]]


@dataclass
class FakeStatBank:
    """A local stand-in for api.statbank.dk: routes by path, and every
    request's path and JSON body in ``requests``."""

    url: str
    routes: dict[str, Route]
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # A Content-Length larger than the body: an answer cut short.
    content_length: int | None = None


def _tableinfo_route(body: dict[str, Any]) -> tuple[int, str, bytes]:
    if body.get("table", "").upper() != "FOLK1A":
        error = {
            "errorTypeCode": "TABLE_NOT_FOUND",
            "message": f"Tabellen '{body.get('table')}' findes ikke",
        }
        return 400, "application/json", json.dumps(error).encode()
    return 200, "application/json; charset=utf-8", TABLEINFO.read_bytes()


def _data_route(body: dict[str, Any]) -> tuple[int, str, bytes]:
    return 200, "text/csv; charset=utf-8", BULK.read_bytes()


@pytest.fixture
def statbank(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeStatBank]:
    fake = FakeStatBank(
        url="",
        routes={"/v1/tableinfo": _tableinfo_route, "/v1/data": _data_route},
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            fake.requests.append((self.path, body))
            route = fake.routes.get(self.path)
            if route is None:
                status, kind, content = 404, "text/plain", b"not found"
            else:
                status, kind, content = route(body)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            length = fake.content_length or len(content)
            self.send_header("Content-Length", str(length))
            self.end_headers()
            # In small pieces, as a long answer arrives.
            for start in range(0, len(content), 100):
                self.wfile.write(content[start : start + 100])

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    monkeypatch.setenv("FREMDRIFT_STATBANK_URL", fake.url)
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_tableinfo_posts_json_and_parses_the_answer(statbank: FakeStatBank) -> None:
    info = StatBankClient().tableinfo("FOLK1A", lang="da")
    assert info.text == "Befolkningen den 1. i kvartalet"
    assert statbank.requests == [
        ("/v1/tableinfo", {"table": "FOLK1A", "format": "JSON", "lang": "da"})
    ]


def test_a_refused_request_shows_the_apis_message(statbank: FakeStatBank) -> None:
    with pytest.raises(StatBankError) as caught:
        StatBankClient().tableinfo("NOPE")
    assert str(caught.value) == (
        f"{statbank.url.split('/')[2]} refused the tableinfo request (HTTP 400): "
        "Tabellen 'NOPE' findes ikke [TABLE_NOT_FOUND]"
    )


def test_fetch_checks_the_mapping_and_writes_the_file(
    statbank: FakeStatBank, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "folk1a.csv"
    call_command(
        "statbank", "fetch", "FOLK1A", mapping=str(FOLK1A_MAPPING), out=str(out)
    )
    assert out.read_bytes() == BULK.read_bytes()
    printed = capsys.readouterr().out.splitlines()
    assert printed == [
        f"{out}: 16 rows, {BULK.stat().st_size} bytes (table FOLK1A, format BULK, lang da)",
        f"import it with: fremdrift import PLAN_SLUG {out} --source statbank "
        f"--mapping {FOLK1A_MAPPING}",
    ]
    assert [path for path, _body in statbank.requests] == ["/v1/tableinfo", "/v1/data"]
    assert statbank.requests[1][1] == {
        "table": "FOLK1A",
        "format": "BULK",
        "lang": "da",
        "valuePresentation": "Value",
        "variables": [
            {"code": "OMRÅDE", "values": ["730", "000"]},
            {"code": "KØN", "values": ["TOT"]},
            {"code": "ALDER", "values": ["IALT"]},
            {"code": "CIVILSTAND", "values": ["TOT"]},
            {"code": "Tid", "values": ["*"]},
        ],
    }
    # What was fetched imports with the same mapping.
    assert _problems(_read(FOLK1A_MAPPING, out)) == []


def test_fetch_asks_for_the_given_periods_in_csv(
    statbank: FakeStatBank, tmp_path: Path
) -> None:
    out = tmp_path / "folk1a.csv"
    call_command(
        "statbank",
        "fetch",
        "FOLK1A",
        mapping=str(FOLK1A_MAPPING),
        out=str(out),
        format="CSV",
        period=["2021K3", "2021K4"],
    )
    body = statbank.requests[1][1]
    assert body["format"] == "CSV"
    assert body["variables"][-1] == {"code": "Tid", "values": ["2021K3", "2021K4"]}


def test_fetch_refuses_a_mapping_that_does_not_fit(
    statbank: FakeStatBank, tmp_path: Path
) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        FOLK1A_MAPPING.read_text(encoding="utf-8").replace("Randers:", "Randres:"),
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    with pytest.raises(CommandError) as caught:
        call_command("statbank", "fetch", "FOLK1A", mapping=str(path), out=str(out))
    assert str(caught.value).splitlines() == [
        "1 problem; the mapping does not fit table FOLK1A; nothing was fetched",
        f"  {path}:13: population.values.Randres: 'Randres' is not a text of "
        "OMRÅDE in table FOLK1A (lang da); did you mean 'Randers'?",
    ]
    assert not out.exists()
    assert [p for p, _ in statbank.requests] == ["/v1/tableinfo"]


def test_fetch_refuses_another_table_or_language(tmp_path: Path) -> None:
    out = str(tmp_path / "out.csv")
    with pytest.raises(CommandError, match="is a mapping for table FOLK1A, not BY1"):
        call_command("statbank", "fetch", "BY1", mapping=str(FOLK1A_MAPPING), out=out)
    with pytest.raises(CommandError, match="is written for lang da"):
        call_command(
            "statbank",
            "fetch",
            "FOLK1A",
            mapping=str(FOLK1A_MAPPING),
            out=out,
            lang="en",
        )


def test_fetch_names_a_broken_mapping(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("format: fremdrift-statbank/1\ntable: FOLK1A\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("statbank", "fetch", "FOLK1A", mapping=str(path), out="x.csv")
    assert str(caught.value).splitlines() == [
        "2 problems; the mapping cannot be used",
        f"  {path}:1: indicator: is required",
        f"  {path}:1: population: is required",
    ]


def test_an_answer_cut_short_leaves_the_earlier_file(
    statbank: FakeStatBank, tmp_path: Path
) -> None:
    statbank.content_length = BULK.stat().st_size + 5000
    out = tmp_path / "out.csv"
    out.write_text("the earlier file\n", encoding="utf-8")
    with pytest.raises(StatBankError) as caught:
        StatBankClient().data("FOLK1A", variables={"Tid": ["*"]}, out=out)
    assert str(caught.value).startswith(
        f"the answer from {statbank.url.split('/')[2]} broke off after "
        f"{BULK.stat().st_size} bytes (5000 missing)"
    )
    assert out.read_text(encoding="utf-8") == "the earlier file\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_offline_is_one_clear_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    port = _closed_port()
    monkeypatch.setenv("FREMDRIFT_STATBANK_URL", f"http://127.0.0.1:{port}/v1")
    with pytest.raises(CommandError) as caught:
        call_command(
            "statbank",
            "fetch",
            "FOLK1A",
            mapping=str(FOLK1A_MAPPING),
            out=str(tmp_path / "out.csv"),
        )
    assert str(caught.value) == (
        f"cannot reach 127.0.0.1:{port} (connection refused): are you offline?"
    )


def test_a_name_that_does_not_resolve_is_one_clear_message() -> None:
    client = StatBankClient("http://api.statbank.invalid/v1", timeout=10)
    with pytest.raises(StatBankError) as caught:
        client.tableinfo("FOLK1A")
    message = str(caught.value)
    assert message.startswith("cannot reach api.statbank.invalid (")
    assert message.endswith("): are you offline?")


def test_no_answer_in_time_is_one_clear_message() -> None:
    # A server that accepts the connection and never answers.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        port = listener.getsockname()[1]
        client = StatBankClient(f"http://127.0.0.1:{port}/v1", timeout=0.3)
        started = time.monotonic()
        with pytest.raises(StatBankError) as caught:
            client.tableinfo("FOLK1A")
        assert time.monotonic() - started < 5
    finally:
        listener.close()
    assert str(caught.value) == (
        f"cannot reach 127.0.0.1:{port} (no answer within 0.3 s): are you offline?"
    )
