"""No code word reaches a reader: every report of both bundled plans, in
every kind, format, audience and language, is read as text and searched
for what only the plan file or the code should hold (an enum value, a
snake_case token, a criterion's or activity's id, ``->``, ``>=``, ``<=``, a
raw period code such as ``2020-07-01..2021-06-30``). The team's working
notes are shown in the internal version only.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from enum import Enum
from pathlib import Path

import docx
import openpyxl
import pytest
import time_machine
from django.core.management import call_command

from fremdrift.core.model import Aggregation, CriterionKind, Flag, Outcome, Pace, Unit
from fremdrift.plans.models import Activity, Criterion, Plan
from fremdrift.reports.assembly import report_build
from fremdrift.reports.renderers import RENDERERS

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-12-01T09:00:00+01:00"
UNTIL = "2026-11-30"
PLANS = {
    "randers-nordby-2017-21": [
        ("final", {}),
        ("annual", {"year": 2019}),
        ("progress", {"year": 2021, "tertial": 1}),
    ],
    "eksempelby-2025-29": [
        ("final", {}),
        ("annual", {"year": 2025}),
        ("progress", {"year": 2026, "tertial": 2}),
    ],
}
AUDIENCES = ("internal", "board", "public")
FORMATS = ("html", "docx", "xlsx")
LANGUAGES = ("da", "en")
WORKING_NOTE = {"da": "Arbejdsnote:", "en": "Working note:"}

# Code words a reader must never meet, whatever the text around them.
CODE_PATTERNS = {
    "snake_case token": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    "arrow": re.compile(r"->"),
    "comparison": re.compile(r">=|<=|=>|=<"),
    "raw date range": re.compile(r"\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}"),
    "glued periods": re.compile(r"\b\d{4}-\d{4}-\d{4}\b"),
    "period code": re.compile(r"\b\d{4}(?:K[1-4]|T[1-3]|M\d{1,2})\b"),
    "formula": re.compile(r"'N [−-] 1'"),
}
# Single-word enum values are ordinary English words ("count", "missing"),
# so they are searched for in the Danish texts only; a word that is also
# Danish ("sum") is left out.
DANISH_TEXT_ONLY = {"sum"}


def _enum_words() -> set[str]:
    enums: tuple[type[Enum], ...] = (
        Outcome,
        CriterionKind,
        Flag,
        Aggregation,
        Unit,
        Pace,
    )
    return {
        str(member.value)
        for enum in enums
        for member in enum
        if "_" not in str(member.value)
    } - DANISH_TEXT_ONLY


def _html_text(content: bytes) -> str:
    page = content.decode()
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    return "\n".join(texts)


def _xlsx_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
    texts = []
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        # The criteria sheet of the team's version keeps the ids, the
        # team's handle on its plan file, in a column of their own.
        id_column = rows[0].index("Id") if rows and "Id" in rows[0] else None
        for row in rows:
            texts.extend(
                str(value)
                for c, value in enumerate(row)
                if value is not None and c != id_column
            )
    return "\n".join(texts)


TEXT_OF = {"html": _html_text, "docx": _docx_text, "xlsx": _xlsx_text}


def _idents(plan: Plan) -> set[str]:
    """The ids a reader must not meet: every criterion's, and every
    activity's slug with a hyphen (a one-word slug is also its name)."""
    idents = set(Criterion.objects.filter(plan=plan).values_list("ident", flat=True))
    idents |= {
        slug
        for slug in Activity.objects.filter(plan=plan).values_list("slug", flat=True)
        if "-" in slug
    }
    return idents


def code_words(text: str, lang: str, idents: set[str]) -> Iterator[str]:
    """Every code word in ``text``, with what kind it is and its context."""

    def found(kind: str, match: re.Match[str]) -> str:
        start, end = max(match.start() - 40, 0), match.end() + 40
        context = " ".join(text[start:end].split())
        return f"{kind} {match.group()!r} in ...{context}..."

    for kind, pattern in CODE_PATTERNS.items():
        for match in pattern.finditer(text):
            yield found(kind, match)
    words = _enum_words() if lang == "da" else set()
    for word in sorted(words | idents):
        pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
        for match in pattern.finditer(text):
            yield found("id" if word in idents else "enum value", match)


def test_code_words_are_found_in_a_text_with_them() -> None:
    text = (
        "Rapporten giver intet verdict; partly_achieved følger af tallene "
        "(13 >= 12), fra 2016: 8 -> 11. Ændring 2017-2021-2021 og "
        "2014-2020-07-01..2021-06-30, flaget contradictory: fp-fravaer-moeder, "
        "testet med 'N − 1'-testen."
    )
    kinds = [f.split(" ")[0] for f in code_words(text, "da", {"fp-fravaer-moeder"})]
    assert sorted(kinds) == sorted(
        ["snake_case", "arrow", "comparison", "raw", "glued", "enum", "id", "formula"]
    )


def test_a_readers_text_has_no_code_words() -> None:
    text = (
        "Ændring fra 2017–2021 til 2021: 1. juli 2020 – 30. juni 2021, "
        "skoleåret 2020/21. Opnået: 13 mod et mål på mindst 12 (<5)."
    )
    assert list(code_words(text, "da", {"fp-fravaer-moeder"})) == []


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("slug", sorted(PLANS))
def test_no_report_shows_a_code_word(slug: str) -> None:
    with time_machine.travel(NOW, tick=False):
        call_command("load", str(ROOT / "examples" / slug), stdout=io.StringIO())
        if slug.startswith("eksempelby"):
            call_command(
                "demo_registrations", slug, "--until", UNTIL, stdout=io.StringIO()
            )
        plan = Plan.objects.get(slug=slug)
        idents = _idents(plan)
        problems: list[str] = []
        working_notes_seen = set()
        for kind, extra in PLANS[slug]:
            for audience in AUDIENCES:
                for lang in LANGUAGES:
                    doc = report_build(
                        plan=plan, kind=kind, audience=audience, lang=lang, **extra
                    )
                    for fmt in FORMATS:
                        text = TEXT_OF[fmt](RENDERERS[fmt](doc))
                        where = f"{kind}/{audience}/{lang}/{fmt}"
                        problems += [
                            f"{where}: {p}" for p in code_words(text, lang, idents)
                        ]
                        if WORKING_NOTE[lang] in text:
                            working_notes_seen.add(audience)
    assert problems == []
    if slug.startswith("randers"):
        # The transcription's working notes are the team's only.
        assert working_notes_seen == {"internal"}
    else:
        assert working_notes_seen == set()
