"""Reports, commands and pages in English (``--lang en``), Danish staying
the default; the English catalogue is complete and compiled."""

from __future__ import annotations

import ast
import gettext
import io
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from fremdrift.core.i18n import LOCALE_DIR
from fremdrift.reports.assembly import ReportRequestError, report_build
from fremdrift.reports.renderers import RENDERERS

PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"
AS_OF = date(2022, 6, 30)
# The system's own Danish words that an English report must not contain.
DANISH_LABELS = ("Succeskriterier", "Opnået:", "Forventet", "Resultatevaluering")


# ---------------------------------------------------------------- catalogue


def _po_entries(path: Path) -> list[dict[str, object]]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr
    (a list for plural entries) and flags; the header is left out."""
    entries: list[dict[str, object]] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict[str, object] = {"flags": "", "msgstr": []}
        field = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] = line
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                text = ast.literal_eval(line)
                if field.startswith("msgstr"):
                    strings = entry["msgstr"]
                    assert isinstance(strings, list)
                    strings[-1] += text
                else:
                    entry[field] = str(entry.get(field, "")) + text
            else:
                field, _, value = line.partition(" ")
                text = ast.literal_eval(value)
                if field.startswith("msgstr["):
                    strings = entry["msgstr"]
                    assert isinstance(strings, list)
                    strings.append(text)
                elif field == "msgstr":
                    entry["msgstr"] = [text]
                else:
                    entry[field] = text
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def _catalogue_of(entries: list[dict[str, object]]) -> dict[object, str]:
    """The entries keyed as ``gettext.GNUTranslations`` keys its catalogue."""
    catalogue: dict[object, str] = {}
    for entry in entries:
        msgid = str(entry["msgid"])
        if "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        strings = entry["msgstr"]
        assert isinstance(strings, list)
        if "msgid_plural" in entry:
            for n, text in enumerate(strings):
                catalogue[(msgid, n)] = text
        else:
            catalogue[msgid] = strings[0]
    return catalogue


def _mo_catalogue(path: Path) -> dict[object, str]:
    with path.open("rb") as fp:
        catalogue = dict(gettext.GNUTranslations(fp)._catalog)  # type: ignore[attr-defined]
    catalogue.pop("", None)  # the header
    return catalogue


def test_every_entry_of_the_english_catalogue_is_translated() -> None:
    entries = _po_entries(PO)
    assert len(entries) > 200
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in str(e["flags"])]
    untranslated = [
        e["msgid"]
        for e in entries
        if not e["msgstr"] or not all(e["msgstr"])  # type: ignore[union-attr]
    ]
    assert fuzzy == []
    assert untranslated == []


def test_the_committed_mo_is_compiled_from_the_po() -> None:
    assert _mo_catalogue(MO) == _catalogue_of(_po_entries(PO))


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")
def test_msgfmt_accepts_the_po_and_compiles_the_committed_mo(tmp_path: Path) -> None:
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(PO)],
        check=True,
        capture_output=True,
    )
    assert _mo_catalogue(compiled) == _mo_catalogue(MO)


# ---------------------------------------------------------------- reports


@pytest.mark.django_db
def test_the_final_report_in_english_has_english_words_and_numbers(randers) -> None:  # type: ignore[no-untyped-def]
    doc = report_build(plan=randers, kind="final", as_of=AS_OF, lang="en")
    html = RENDERERS["html"](doc).decode()
    assert doc.lang == "en"
    assert '<html lang="en">' in html
    assert "Results on the overall goals" in html
    assert "Success criteria" in html
    assert "Confidential – contains small numbers" in html
    assert "1 June 2017 – 30 June 2021" in html
    assert "1,713 tenancies" in html
    assert '"Page " counter(page) " of " counter(pages)' in html
    for label in DANISH_LABELS:
        assert label not in html, label
    # The plan's own words are not translated.
    assert "Den Boligsociale Helhedsplan for Randers Nordby 2017-21" in html


@pytest.mark.django_db
def test_the_final_report_stays_danish_by_default(randers) -> None:  # type: ignore[no-untyped-def]
    doc = report_build(plan=randers, kind="final", as_of=AS_OF)
    html = RENDERERS["html"](doc).decode()
    assert doc.lang == "da"
    assert '<html lang="da">' in html
    for label in DANISH_LABELS:
        assert label in html, label
    assert "1. juni 2017 – 30. juni 2021" in html
    assert "1.713 lejemål" in html
    assert '"Side " counter(page) " af " counter(pages)' in html


@pytest.mark.django_db
def test_an_unknown_report_language_is_refused(randers) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ReportRequestError, match="unknown language"):
        report_build(plan=randers, kind="final", lang="de")


@pytest.mark.django_db
def test_the_annual_and_progress_reports_in_english(randers) -> None:  # type: ignore[no-untyped-def]
    annual = report_build(plan=randers, kind="annual", year=2019, lang="en")
    progress = report_build(
        plan=randers, kind="progress", year=2019, tertial=2, lang="en"
    )
    assert annual.title == "Annual report 2019"
    assert progress.title == "Progress report, tertial 2 of 2019"
    assert "31 August 2019" in progress.sections[0].paragraphs[0]


@pytest.mark.django_db
@pytest.mark.slow
def test_the_docx_in_english(randers) -> None:  # type: ignore[no-untyped-def]
    doc = report_build(plan=randers, kind="final", as_of=AS_OF, lang="en")
    document = Document(io.BytesIO(RENDERERS["docx"](doc)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    footer = document.sections[0].footer.paragraphs[0].text
    assert document.core_properties.language == "en-GB"
    assert "Contents" in text
    assert {"Success criterion", "Expected", "Achieved", "Verdict"} <= cells
    assert footer.startswith("Page ") and " of " in footer
    assert "Forventet" not in cells


@pytest.mark.django_db
def test_the_xlsx_in_english(randers) -> None:  # type: ignore[no-untyped-def]
    doc = report_build(plan=randers, kind="final", as_of=AS_OF, lang="en")
    workbook = load_workbook(io.BytesIO(RENDERERS["xlsx"](doc)))
    assert workbook.sheetnames[:2] == ["Cover", "Success criteria"]
    header = [c.value for c in workbook["Success criteria"][1]]
    assert header[:8] == [
        "Section",
        "Id",
        "Success criterion",
        "Baseline",
        "Expected",
        "Achieved",
        "Verdict",
        "Explanation",
    ]
    percent_formats = {
        cell.number_format
        for ws in workbook.worksheets[2:]
        for row in ws.iter_rows()
        for cell in row
        if '%"' in str(cell.number_format)
    }
    assert percent_formats
    assert all('" %"' not in f for f in percent_formats)


# ---------------------------------------------------------------- commands


@pytest.mark.django_db
def test_the_report_command_writes_english_with_lang_en(
    randers, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "final.html"
    call_command(
        "report",
        randers.slug,
        "--kind=final",
        "--format=html",
        "--as-of=2022-06-30",
        "--lang=en",
        f"--out={out}",
        stdout=io.StringIO(),
    )
    html = out.read_text(encoding="utf-8")
    assert "Results on the overall goals" in html
    assert "Resultater på de overordnede mål" not in html


@pytest.mark.django_db
def test_the_verdicts_command_explains_in_english_with_lang_en(randers) -> None:  # type: ignore[no-untyped-def]
    english, danish = io.StringIO(), io.StringIO()
    args = (randers.slug, "--format=json", "--as-of=2022-06-30")
    call_command("verdicts", *args, "--lang=en", stdout=english)
    call_command("verdicts", *args, stdout=danish)
    by_id = {r["id"]: r for r in json.loads(english.getvalue())}
    language = by_id["fp-language-2-5"]
    assert language["verdict"] == "achieved"
    assert language["explanation"].startswith("Achieved: 8.2% in ")
    assert (
        "8,2 %"
        in {r["id"]: r for r in json.loads(danish.getvalue())}["fp-language-2-5"][
            "explanation"
        ]
    )


# ---------------------------------------------------------------- web


@pytest.mark.django_db
def test_the_plan_page_follows_the_chosen_language(client: Client, randers) -> None:  # type: ignore[no-untyped-def]
    danish = client.get(randers.get_absolute_url()).content.decode()
    assert '<html lang="da">' in danish
    assert "Hent rapport" in danish
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": randers.get_absolute_url()}
    )
    assert response.status_code == 302
    english = client.get(randers.get_absolute_url()).content.decode()
    assert '<html lang="en">' in english
    assert "Download report" in english
    assert "Achieved: 111 unge against a target of at least 80." in english
    assert "Hent rapport" not in english


@pytest.mark.django_db
def test_the_download_form_builds_the_report_in_the_language_asked_for(
    client: Client, randers
) -> None:  # type: ignore[no-untyped-def]
    url = f"/planer/{randers.slug}/rapport/hent/"
    english = client.get(
        url, {"kind": "final", "format": "html", "audience": "board", "lang": "en"}
    )
    danish = client.get(url, {"kind": "final", "format": "html", "audience": "board"})
    assert english.status_code == danish.status_code == 200
    assert b"Results on the overall goals" in english.content
    assert "Resultater på de overordnede mål".encode() in danish.content
