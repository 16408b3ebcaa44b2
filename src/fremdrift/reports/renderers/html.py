"""HTML: one self-contained file (styles inline, no external assets)."""

from __future__ import annotations

from django.template.loader import render_to_string

from fremdrift.core.report_model import ReportDocument

from .language import in_document_language


@in_document_language
def render(doc: ReportDocument) -> bytes:
    return render_to_string("reports/report.html", {"doc": doc}).encode("utf-8")
