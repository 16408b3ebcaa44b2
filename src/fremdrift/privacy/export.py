"""The access log as CSV, for the auditor's spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils import timezone

from fremdrift.audit.models import AccessLogEntry
from fremdrift.base.spreadsheets import csv_cell

from .selectors import EntryRow

HEADER = [
    "tidspunkt",
    "bruger",
    "handling",
    "deltager",
    "deltager_ref",
    "objekt",
    "objekt_id",
    "formaal",
    "begrundelse",
    "sti",
    "ip",
]

# A cell starting with one of these is a formula to a spreadsheet.
# A text a spreadsheet would run as a formula is written behind an
# apostrophe (base/spreadsheets.py).
_cell = csv_cell


def log_csv(rows: Iterable[EntryRow]) -> str:
    """One line per entry; times in local time (ISO 8601 with offset); the
    participant's current code, or "slettet" once erased."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows:
        entry = row.entry
        writer.writerow(
            [
                _cell(value)
                for value in (
                    timezone.localtime(entry.at).isoformat(timespec="seconds"),
                    entry.username,
                    entry.action,
                    "slettet" if row.erased else row.participant_code,
                    entry.participant_ref,
                    entry.object_type,
                    entry.object_id,
                    entry.purpose,
                    entry.purpose_note,
                    entry.path,
                    entry.ip,
                )
            ]
        )
    return out.getvalue()


def extract_csv(entries: Iterable[AccessLogEntry]) -> str:
    """A participant's extract for handing over: when, what and why, in
    Danish; who looked is left out (the resident is owed the dates and
    purposes of the look-ups, not the staff's names)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["tidspunkt", "handling", "formaal", "begrundelse"])
    for entry in entries:
        writer.writerow(
            [
                _cell(value)
                for value in (
                    timezone.localtime(entry.at).isoformat(timespec="seconds"),
                    entry.get_action_display(),
                    entry.get_purpose_display(),
                    entry.purpose_note,
                )
            ]
        )
    return out.getvalue()
