"""Report renderers: ``render(doc: ReportDocument) -> bytes``, one per format,
registered by name. Renderers never import models."""

from __future__ import annotations

from collections.abc import Callable

from fremdrift.core.report_model import ReportDocument

from . import docx, html, pdf, xlsx

Renderer = Callable[[ReportDocument], bytes]

RENDERERS: dict[str, Renderer] = {
    "html": html.render,
    "pdf": pdf.render,
    "docx": docx.render,
    "xlsx": xlsx.render,
}

CONTENT_TYPES: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
