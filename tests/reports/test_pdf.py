from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from fremdrift.core.report_model import ReportDocument, Section
from fremdrift.reports.renderers import RENDERERS
from fremdrift.reports.renderers.pdf import page_css, render

needs_poppler = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm", "pdfinfo")),
    reason="poppler-utils (pdftotext, pdftoppm) is not installed",
)


def small_report(*, marking: str = "") -> ReportDocument:
    return ReportDocument(
        kind="final",
        title="Resultatevaluering",
        subtitle="Eksempelby 2022-26",
        plan_name="Eksempelby 2022-26",
        period_text="1. januar 2022 – 31. december 2026",
        generated_on="1. marts 2027",
        facts=(("Kommune", "Eksempelby"), ("Lejemål", "1.713")),
        sections=(
            Section(
                title="Indledning",
                anchor="indledning",
                paragraphs=("Helhedsplanen har fire indsatsområder.",),
                subsections=(
                    Section(title="Formål", anchor="formaal", paragraphs=("Mål.",)),
                ),
            ),
            Section(
                title="Uddannelse og livschancer",
                anchor="uddannelse",
                paragraphs=("Lektiecaféen havde 111 deltagere.",),
            ),
        ),
        marking=marking,
    )


def pdf_text(pdf: bytes, tmp_path: Path) -> list[str]:
    """The text of each page, as pdftotext lays it out."""
    path = tmp_path / "rapport.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text.split("\f")


def test_the_pdf_renderer_is_registered() -> None:
    assert RENDERERS["pdf"] is render


@needs_poppler
def test_the_pdf_is_an_a4_pdf_ua_document(tmp_path: Path) -> None:
    pdf = render(small_report())
    assert pdf.startswith(b"%PDF-1.7")
    path = tmp_path / "rapport.pdf"
    path.write_bytes(pdf)
    info, xmp = (
        subprocess.run(
            ["pdfinfo", *option, str(path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for option in ([], ["-meta"])
    )
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert re.search(r"^Title:\s+Resultatevaluering – Eksempelby 2022-26$", info, re.M)
    assert "(A4)" in info
    assert 'pdfuaid:part="1"' in xmp


@needs_poppler
def test_the_pdf_has_a_title_page_a_toc_and_numbered_pages(tmp_path: Path) -> None:
    pages = pdf_text(render(small_report()), tmp_path)
    title, toc, first = pages[0], pages[1], pages[2]
    assert "RESULTATEVALUERING" in title
    assert "Eksempelby 2022-26" in title
    assert "Side 1" not in title
    assert "Indhold" in toc
    # The table of contents gives each section's page.
    assert re.search(r"Indledning\s*\.+\s*3\b", toc)
    assert re.search(r"Uddannelse og livschancer\s*\.+\s*4\b", toc)
    assert "Side 2 af 4" in toc
    # The running header names the plan.
    assert first.lstrip().startswith("Eksempelby 2022-26")
    assert "Side 3 af 4" in first


@needs_poppler
def test_the_marking_is_on_every_page(tmp_path: Path) -> None:
    marking = 'Fortroligt – indeholder "små" tal'
    pages = pdf_text(render(small_report(marking=marking)), tmp_path)
    pages = [page for page in pages if page.strip()]
    assert len(pages) == 4
    # The title page prints it in capitals, in the text; the others in the
    # running header.
    assert all(marking.upper() in page.upper() for page in pages)


@needs_poppler
def test_no_marking_when_there_is_none(tmp_path: Path) -> None:
    text = "".join(pdf_text(render(small_report()), tmp_path))
    assert "Fortroligt" not in text


def test_a_marking_cannot_break_out_of_its_css_string() -> None:
    css = page_css(small_report(marking='a"; } body { color: red } x { "\\'))
    assert 'content: "a\\"; } body { color: red } x { \\"\\\\"' in css


@needs_poppler
def test_the_title_page_renders_as_an_image(tmp_path: Path) -> None:
    path = tmp_path / "rapport.pdf"
    path.write_bytes(render(small_report(marking="Fortroligt")))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), "side"],
        check=True,
        cwd=tmp_path,
    )
    (image,) = tmp_path.glob("side*.png")
    png = image.read_bytes()
    assert png.startswith(b"\x89PNG")
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    # A4 (21 x 29.7 cm) at 60 dpi: about 496 x 702 pixels.
    assert width == pytest.approx(496, abs=2)
    assert height == pytest.approx(702, abs=2)


@needs_poppler
@pytest.mark.django_db
@pytest.mark.slow
def test_the_randers_final_report_renders_as_pdf(randers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from fremdrift.reports.assembly import report_build

    doc = report_build(plan=randers, kind="final")
    pages = pdf_text(render(doc), tmp_path)
    assert len(pages) > 5
    assert "Indhold" in pages[1]
    assert re.search(r"\.{5,}\s*\d+", pages[1])
    assert doc.plan_name in pages[3]


@needs_poppler
def test_a_chart_is_vector_text_with_its_alt_text_in_the_pdf(tmp_path: Path) -> None:
    """Charts reach the PDF as SVG images: their labels stay text (found by
    pdftotext, in Danish number format) and the tagged figure carries the
    alt text."""
    from dataclasses import replace

    from .test_charts import charged_per_1000

    chart = charged_per_1000()
    base = small_report()
    doc = replace(
        base,
        sections=(replace(base.sections[1], charts=(chart,)),),
    )
    pdf = render(doc)
    text = "\n".join(pdf_text(pdf, tmp_path))
    assert "Personer pr. 1.000 beboere" in text
    assert "Glarbjergvej" in text
    # The structure tree names the figure by its alt text (PDF/UA), as
    # a UTF-16 string or a literal one.
    alt = chart.alt_text
    encodings = (
        b"(" + alt.encode("latin-1") + b")",
        b"<FEFF" + alt.encode("utf-16-be").hex().upper().encode() + b">",
        b"<feff" + alt.encode("utf-16-be").hex().encode() + b">",
    )
    objects = _inflated(pdf)
    assert b"/Figure" in objects
    assert any(
        b"/Alt " + text in objects or b"/Alt" + text in objects for text in encodings
    )


def _inflated(pdf: bytes) -> bytes:
    """The PDF with every compressed stream (object streams included)
    inflated, so the structure tree can be searched."""
    import zlib

    parts = [pdf]
    for found in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(found.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)
