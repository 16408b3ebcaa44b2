"""Report renderers: ``render(doc: ReportDocument) -> bytes``, one per format,
registered by name. Renderers never import models.

Every registered renderer runs in the document's language (``doc.lang``),
for the core's formatting and for Django's templates alike
(``language.in_document_language``; a renderer without it is refused).
"""

from __future__ import annotations

from . import docx, html, pdf, xlsx
from .language import Renderer, renders_in_document_language

__all__ = ["CONTENT_TYPES", "RENDERERS", "Renderer", "ReportDocument"]

RENDERERS: dict[str, Renderer] = {
    "html": html.render,
    "pdf": pdf.render,
    "docx": docx.render,
    "xlsx": xlsx.render,
}
for _name, _render in RENDERERS.items():
    if not renders_in_document_language(_render):
        raise ImportError(
            f"the {_name} renderer must be wrapped in in_document_language"
        )

CONTENT_TYPES: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
