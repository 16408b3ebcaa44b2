"""One reader of tabular input, shared by every file a team hands in: the
plan folder's observations.csv, the statistics importers and the
registration import.

It reads CSV in UTF-8 (with or without a BOM), UTF-16 with a BOM or
Windows-1252, separated by commas, semicolons or tabs, and XLSX workbooks,
and refuses what cannot be trusted to line up with one problem naming the
file, line and column: a NUL byte, a quote that is never closed, text after
a closing quote, a cell over ``MAX_CELL_BYTES``, a workbook or sheet that is
cut off. Checking the values (numbers, dates, codes) is left to the callers,
with ``cell_number`` and ``cell_date`` for the common cases.

Readers stream: they never hold a whole file in memory.

The problems are Danish texts translated where they are made (gettext,
Danish message ids): the web's preview shows them in the page's language,
and the import commands make them in English (``fremdrift import`` and
``fremdrift import_registrations`` run under English).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# A cell larger than this is refused rather than read (csv's own default).
MAX_CELL_BYTES = 128 * 1024
# Bytes read per step when checking a file's encoding.
_CHUNK = 1 << 20
# Bytes that cp1252 leaves undefined: a file with them is neither UTF-8 nor
# cp1252, so reading it as either would invent characters.
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}

csv.field_size_limit(MAX_CELL_BYTES)


@dataclass(frozen=True, slots=True)
class Where:
    """A place in a source file: file name, sheet (spreadsheets only),
    1-based line or row, and the column's header or letter."""

    file: str
    sheet: str | None = None
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        text = self.file
        if self.sheet:
            text += f" [{self.sheet}]"
        if self.line is not None:
            text += f":{self.line}"
        if self.column:
            text += f": {self.column}"
        return text


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One thing wrong with an input file, where it is and what to do."""

    where: Where
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class ImportFileError(Exception):
    """A file, mapping or argument that cannot be imported at all."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def detect_encoding(path: Path, display_name: str) -> str:
    """The encoding to read ``path`` with: UTF-8 (with or without a BOM),
    UTF-16 with a BOM, or cp1252 (Windows Excel's Danish CSV).

    The whole file is checked in 1 MB steps, so a file whose first megabyte
    is plain ASCII and whose later lines hold 'æ' in cp1252 is still read as
    cp1252. Raises ``ImportFileError`` for a 0-byte file, and for bytes that
    are neither UTF-8 nor cp1252 (with the line of the first one).
    """
    with path.open("rb") as handle:
        head = handle.read(4)
        if not head:
            raise ImportFileError(
                [ImportProblem(Where(display_name), _("er tom (0 byte)"))]
            )
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        newlines = 0
        while chunk := handle.read(_CHUNK):
            _refuse_nul(chunk, newlines + 1, display_name)  # corpus fix, see below
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                break
            newlines += chunk.count(b"\n")
        else:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                pass
            else:
                return "utf-8"
        handle.seek(0)
        line = 1
        while chunk := handle.read(_CHUNK):
            _refuse_nul(chunk, line, display_name)  # corpus fix, see below
            # One C-level search per undefined byte, not a Python loop over
            # every byte: a 50 MB cp1252 file is checked in milliseconds.
            found = [
                offset
                for offset in (chunk.find(bytes([b])) for b in _CP1252_UNDEFINED)
                if offset >= 0
            ]
            if found:
                offset = min(found)
                byte = chunk[offset]
                if byte in _CP1252_UNDEFINED:
                    line += chunk[:offset].count(b"\n")
                    raise ImportFileError(
                        [
                            ImportProblem(
                                Where(display_name, line=line),
                                _(
                                    "byten 0x{byte} er hverken UTF-8- eller "
                                    "Windows-1252-tekst; gem filen som UTF-8"
                                ).format(byte=f"{byte:02x}"),
                            )
                        ]
                    )
            line += chunk.count(b"\n")
        return "cp1252"


def _refuse_nul(chunk: bytes, line: int, display_name: str) -> None:
    """Raise ``ImportFileError`` when ``chunk`` (which starts on ``line``)
    holds a NUL byte.

    Fix from the bad-input corpus (tests/statistics/corpus/nul-byte.csv):
    since Python 3.11 the csv module reads NUL bytes into cells instead of
    refusing them, so a NUL after the header was imported into a note on
    SQLite and crashed the import on PostgreSQL (DataError: text fields
    cannot contain NUL bytes). Checked here, on the raw bytes, for every
    CSV source."""
    offset = chunk.find(b"\x00")
    if offset >= 0:
        raise ImportFileError(
            [
                ImportProblem(
                    Where(display_name, line=line + chunk.count(b"\n", 0, offset)),
                    _(NUL_TEXT),
                )
            ]
        )


def open_text(path: Path, display_name: str) -> IO[str]:
    """``path`` opened for reading text in its detected encoding, with
    newlines left to the csv module."""
    encoding = detect_encoding(path, display_name)
    return path.open("r", encoding=encoding, newline="")


SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}


def sniff_separator(header: str, expected: set[str]) -> str | None:
    """The separator that splits ``header`` into known column names, trying
    comma, semicolon and tab; None when none does. ``expected`` holds the
    column names (lower case) that a right split must include at least two
    of."""
    best: tuple[int, str] | None = None
    for separator in SEPARATORS:
        names = next(csv.reader([header], delimiter=separator), [])
        hits = sum(1 for name in names if name.strip().lower() in expected)
        if hits >= 2 and (best is None or hits > best[0]):
            best = (hits, separator)
    return best[1] if best else None


def csv_rows(
    handle: IO[str], *, delimiter: str, display_name: str
) -> Iterator[tuple[int, list[str]] | ImportProblem]:
    """The records of a CSV stream with their 1-based line numbers (the
    line a record starts on), and a problem for a NUL byte, a cell over
    ``MAX_CELL_BYTES`` or a broken quote, after which reading stops because
    the rest of the file cannot be trusted to line up."""
    # Corpus fix (tests/statistics/corpus/unclosed-quote.csv and
    # text-after-closing-quote.csv): ``strict`` makes a quote that is never
    # closed, or text after a closing quote, an error; without it the csv
    # module glued the rest of the file into one cell ("has 7 fields, the
    # header has 8") or dropped the quotes silently. The problem is placed
    # on the line the record starts on, where the quote is, rather than on
    # the last line read.
    reader = csv.reader(handle, delimiter=delimiter, strict=True)
    line = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield ImportProblem(
                Where(display_name, line=line),
                _csv_error_text(error),
            )
            return
        except UnicodeDecodeError as error:
            yield ImportProblem(
                Where(display_name, line=reader.line_num + 1),
                _("er ikke læsbar tekst ({reason}); gem filen som UTF-8").format(
                    reason=error.reason
                ),
            )
            return
        yield line, record
        line = reader.line_num + 1


NUL_TEXT = gettext_noop(
    "indeholder en NUL-byte: det er ikke en tekstfil (er det et regneark, "
    "der er gemt med endelsen .csv?)"
)


def cell_too_large_text() -> str:
    """The problem of a cell over ``MAX_CELL_BYTES``, in the active
    language."""
    return _("har en celle på mere end {size} KB").format(size=MAX_CELL_BYTES // 1024)


def _csv_error_text(error: csv.Error) -> str:
    text = str(error)
    if "NUL" in text:
        return _(NUL_TEXT)
    if "field larger than field limit" in text:
        return cell_too_large_text()
    # The two errors of ``strict`` reading (corpus fix, see csv_rows).
    if "unexpected end of data" in text:
        return _(
            'har et anførselstegn ("), der aldrig lukkes: resten af filen '
            "ville blive læst som én celle"
        )
    if "expected after" in text:
        return _(
            "har tekst efter det afsluttende anførselstegn i en celle i "
            'anførselstegn (et anførselstegn inde i en celle skrives to gange: "")'
        )
    return _("kan ikke læses som CSV: {error}").format(error=text)


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA': a spreadsheet's column name."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def text_stream(data: bytes) -> IO[str]:
    """A text stream over bytes already in memory (tests, uploads)."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")


def csv_table(
    path: Path,
    display_name: str,
    *,
    expected: set[str] | None = None,
    delimiter: str | None = None,
) -> Iterator[tuple[int, list[str]] | ImportProblem]:
    """The records of the CSV file ``path`` (header first) with their line
    numbers, read as ``csv_rows`` reads them: in its detected encoding, and
    split on ``delimiter`` or else on the separator that splits the header
    into at least two of the ``expected`` names (lower case), or else on
    commas. Raises ``ImportFileError`` for an empty file or bytes that are
    not text; yields a problem, and stops, where the CSV cannot be read."""
    with open_text(path, display_name) as handle:
        if delimiter is None:
            header = handle.readline()
            delimiter = (sniff_separator(header, expected) if expected else None) or (
                ";" if header.count(";") > header.count(",") else ","
            )
            handle.seek(0)
        yield from csv_rows(handle, delimiter=delimiter, display_name=display_name)


XLSX_MAGIC = b"PK\x03\x04"


def xlsx_rows(
    path: Path, display_name: str
) -> Iterator[tuple[str, int, tuple[Any, ...]] | ImportProblem]:
    """Every row of every sheet of the workbook ``path`` as (sheet title,
    1-based row number, cell values), and one problem, after which reading
    stops, for a file that is not a workbook, a workbook or sheet that is
    cut off or damaged (its XML ends halfway), or a cell over
    ``MAX_CELL_BYTES``."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as error:
        yield ImportProblem(Where(display_name), _workbook_error_text(error))
        return
    try:
        for sheet in workbook.worksheets:
            number = 0
            try:
                for number, values in enumerate(
                    sheet.iter_rows(values_only=True), start=1
                ):
                    for position, value in enumerate(values):
                        if isinstance(value, str) and len(value) > MAX_CELL_BYTES:
                            yield ImportProblem(
                                Where(
                                    display_name,
                                    sheet.title,
                                    number,
                                    column_letter(position),
                                ),
                                cell_too_large_text(),
                            )
                            return
                    yield sheet.title, number, tuple(values)
            except Exception as error:
                yield ImportProblem(
                    Where(display_name, sheet.title, number + 1),
                    _(
                        "er beskadiget: arket holder op midt i det ({error}); "
                        "gem projektmappen igen"
                    ).format(error=error.__class__.__name__),
                )
                return
    finally:
        workbook.close()


def _workbook_error_text(error: Exception) -> str:
    return _(
        "kan ikke åbnes som en XLSX-projektmappe ({error}); gem den som .xlsx "
        "eller som CSV"
    ).format(error=f"{error.__class__.__name__}: {str(error)[:200]}")


# The largest whole number a database column takes (a 64-bit integer).
MAX_INTEGER = 2**63 - 1


def whole_number(raw: Any, *, minimum: int = 0, maximum: int = MAX_INTEGER) -> int:
    """A cell read as a whole number between ``minimum`` and ``maximum``.

    '12', '12.0', '12,0' and the spreadsheet number 12.0 are 12. Raises
    ``ValueError`` with the reason for text that is no number, 'nan' or
    'inf', a fraction, and a number outside the bounds (so a 20-digit
    number never reaches a 64-bit column)."""
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} is not a whole number")
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, float):
        # A spreadsheet's number: 12.0 is 12; 1e20 is too large.
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueError(f"{raw!r} is not a whole number")
        if not raw.is_integer():
            raise ValueError(f"{raw!r} is not a whole number")
        if abs(raw) > maximum:
            raise ValueError(f"{raw:.0f} is too large (at most {maximum})")
        number = int(raw)
    else:
        text = str(raw).strip().replace(",", ".")
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
            raise ValueError(f"{str(raw)[:40]!r} is not a whole number")
        if "." in text:
            whole, _, fraction = text.partition(".")
            if fraction.strip("0"):
                raise ValueError(f"{str(raw)[:40]!r} is not a whole number")
            text = whole or "0"
        if len(text.lstrip("+-")) > 19:
            raise ValueError(f"{str(raw)[:40]!r} is too large")
        number = int(text)
    if number < minimum:
        if minimum == 0:
            raise ValueError(f"{number} is negative")
        raise ValueError(f"{number} is less than {minimum}")
    if number > maximum:
        raise ValueError(f"{str(raw)[:40]!r} is too large (at most {maximum})")
    return number


DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y")


def calendar_date(raw: Any) -> datetime.date:
    """A cell read as a calendar date: a spreadsheet date, or text as
    YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY or DD/MM/YYYY. Raises ``ValueError``
    for anything else, an impossible date such as 2025-02-30 included."""
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = str(raw).strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError(f"{text[:40]!r} is not a date (YYYY-MM-DD or DD-MM-YYYY)")
