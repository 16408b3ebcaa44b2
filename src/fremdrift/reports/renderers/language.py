"""Renderers run in the document's language.

``in_document_language`` wraps a renderer so that the core's formatting
(``fremdrift.core.i18n``) and Django's translations both follow
``doc.lang`` while it runs: its own labels ("Side X af Y", column headers,
sheet names) and the numbers in its charts then match the report's text.
The registry in ``__init__`` refuses a renderer that is not wrapped.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.utils import translation

from fremdrift.core.i18n import use_language
from fremdrift.core.report_model import ReportDocument

Renderer = Callable[[ReportDocument], bytes]


def in_document_language(render: Renderer) -> Renderer:
    """``render`` run with ``doc.lang`` active in the core and in Django."""

    @functools.wraps(render)
    def render_in_language(doc: ReportDocument) -> bytes:
        with use_language(doc.lang), translation.override(doc.lang):
            return render(doc)

    render_in_language.in_document_language = True  # type: ignore[attr-defined]
    return render_in_language


def renders_in_document_language(render: Renderer) -> bool:
    return getattr(render, "in_document_language", False) is True
