"""What every importer of area statistics shares.

An importer reads one source file and yields ``SourceRow`` values, one per
observation, in the plan's own words (indicator slug, population slug,
period code) but with the value cells still as text, plus ``ImportProblem``
values for what it could not read. Checking the rows against the plan
(names, units, periods, duplicates) and writing them is the same for every
source and lives in ``fremdrift.statistics.importing``.

Readers stream: they never hold a whole file in memory, so a file of a
million rows costs no more memory than one of a hundred.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, ClassVar, Protocol

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
    """One thing wrong with a source file, where it is and what to do."""

    where: Where
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(slots=True)
class SourceRow:
    """One observation as a source gives it.

    ``value``, ``numerator`` and ``denominator`` are the cells' text ('' when
    the cell is empty). ``None`` for numerator, denominator, note or flags
    means the source has no such column: an import then keeps what the
    observation already has there (a StatBank file does not erase the note
    a team wrote), and only the ``suppressed`` flag follows the value.
    ``columns`` names, for each field, the column it came from so that a
    problem can point at the cell. ``decimal_comma`` says whether '22,2'
    means 22.2 in this source.
    """

    file: str
    line: int
    indicator: str
    population: str
    period: str
    value: str
    numerator: str | None = None
    denominator: str | None = None
    note: str | None = None
    flags: tuple[str, ...] | None = None
    sheet: str | None = None
    decimal_comma: bool = True
    columns: dict[str, str] = field(default_factory=dict)

    def where(self, field_name: str) -> Where:
        return Where(
            self.file, self.sheet, self.line, self.columns.get(field_name, field_name)
        )


class ObservationReader(Protocol):
    """A source of observations: tidy files, StatBank, Landsbyggefonden."""

    source: ClassVar[str]

    def read(
        self, path: Path, *, display_name: str
    ) -> Iterator[SourceRow | ImportProblem]:
        """Yield the file's rows and problems in file order."""
        ...


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
                [ImportProblem(Where(display_name), "is empty (0 bytes)")]
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
                                f"byte 0x{byte:02x} is neither UTF-8 nor "
                                "Windows-1252 text; save the file as UTF-8",
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
                    NUL_TEXT,
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
                f"is not readable text ({error.reason}); save the file as UTF-8",
            )
            return
        yield line, record
        line = reader.line_num + 1


NUL_TEXT = (
    "contains a NUL byte: this is not a text file (is it a "
    "spreadsheet saved with a .csv name?)"
)


def _csv_error_text(error: csv.Error) -> str:
    text = str(error)
    if "NUL" in text:
        return NUL_TEXT
    if "field larger than field limit" in text:
        return f"holds a cell larger than {MAX_CELL_BYTES // 1024} KB"
    # The two errors of ``strict`` reading (corpus fix, see csv_rows).
    if "unexpected end of data" in text:
        return (
            'has a quote (") that is never closed: the rest of the file would '
            "be read as one cell"
        )
    if "expected after" in text:
        return (
            "has text after the closing quote of a quoted cell (a quote inside "
            'a cell is written twice: "")'
        )
    return f"cannot be read as CSV: {text}"


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
