"""Report renderers: ``render(doc: ReportDocument) -> bytes``, one per format,
registered by name. Renderers never import models."""

from __future__ import annotations

from collections.abc import Callable

from fremdrift.core.report_model import ReportDocument

from . import html

Renderer = Callable[[ReportDocument], bytes]

RENDERERS: dict[str, Renderer] = {
    "html": html.render,
}
