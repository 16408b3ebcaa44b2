"""HTML: one self-contained file (styles inline, no external assets), or
the same report as a web page that links its stylesheet."""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from fremdrift.core.report_model import ReportDocument

from .language import in_document_language

# The report's stylesheet, shared with the web pages (a static file) and
# copied into the self-contained file and the PDF.
STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "reports" / "report.css"


def stylesheet() -> SafeString:
    """The report's stylesheet as text (our own file: safe inside
    ``<style>``)."""
    return mark_safe(STYLESHEET.read_text(encoding="utf-8"))


@in_document_language
def render(doc: ReportDocument) -> bytes:
    return _self_contained(doc, charts_as_images=False)


@in_document_language
def render_for_print(doc: ReportDocument) -> bytes:
    """The self-contained file with the charts as SVG images instead of
    inline SVG: what the PDF typesets (``charts.render_svg_image``)."""
    return _self_contained(doc, charts_as_images=True)


def _self_contained(doc: ReportDocument, *, charts_as_images: bool) -> bytes:
    context = {
        "doc": doc,
        "stylesheet": stylesheet(),
        "charts_as_images": charts_as_images,
    }
    return render_to_string("reports/report.html", context).encode("utf-8")


@in_document_language
def render_page(doc: ReportDocument) -> bytes:
    """The report as a page of the web app: the stylesheet is linked, so the
    content security policy needs no inline styles."""
    context = {"doc": doc, "linked_stylesheet": True}
    return render_to_string("reports/report.html", context).encode("utf-8")
