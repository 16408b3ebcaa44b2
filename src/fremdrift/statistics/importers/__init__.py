"""Importers of area statistics, one module per source, behind one
interface (``base.ObservationReader``).

- ``tidy``: our own template, CSV or XLSX, one observation per row;
- ``statbank``: Danmarks Statistik's StatBank CSV/BULK output with a
  mapping file;
- ``lbf``: Landsbyggefonden's Excel tables with a mapping file per layout.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from .base import ImportFileError, ImportProblem, ObservationReader, Where

SOURCES = ("tidy", "statbank", "lbf")


def reader_for(source: str, mapping: Path | None = None) -> ObservationReader:
    """The reader for ``source``, set up with the mapping file when the
    source needs one. Raises ``ImportFileError`` for an unknown source, a
    missing mapping or a mapping that does not validate."""
    if source not in SOURCES:
        raise ImportFileError(
            [
                ImportProblem(
                    Where("--source"),
                    f"unknown source {source!r} (known: {', '.join(SOURCES)})",
                )
            ]
        )
    module = importlib.import_module(f"{__name__}.{source}")
    reader: ObservationReader = module.reader_from_mapping(mapping)
    return reader
