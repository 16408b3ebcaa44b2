"""PDF: the HTML report typeset on A4 by WeasyPrint, tagged as PDF/UA-1.

The page furniture that depends on the document (the plan name in the
running header, the marking on every page) is a small stylesheet made here;
everything else (title page, table of contents with page numbers, "Side N
af M") is the print section of ``report.css``, so a browser's print of the
HTML report and this PDF look alike.
"""

from __future__ import annotations

from fremdrift.core.report_model import ReportDocument
from fremdrift.reports.typesetting import typeset

from . import html
from .language import in_document_language

# Accessible PDF: tagged structure, document language and title, as the
# public sector's accessibility rules expect of published documents.
PDF_VARIANT = "pdf/ua-1"


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string (backslashes, quotes and newlines
    escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\r", "").replace("\n", "\\A ")
    return f'"{escaped}"'


def page_css(doc: ReportDocument) -> str:
    """The running header: the plan name on the left of every page after
    the title page; the marking, when there is one, on the right. The title
    page prints the marking in the text itself (``.marking``), where a
    screen reader reads it too: a tagged PDF treats page margins as
    decoration."""
    # Concatenated, not formatted: CSS is full of braces.
    rules = [
        "@page { @top-left { content: " + _css_string(doc.plan_name) + "; } }",
        "@page :first { @top-left { content: none; } }",
    ]
    if doc.marking.strip():
        marking = _css_string(doc.marking.strip())
        rules += [
            "@page { @top-right { content: " + marking + ";"
            " color: #b3261e; font-weight: 700; } }",
            "@page :first { @top-right { content: none; } }",
        ]
    return "\n".join(rules)


@in_document_language
def render(doc: ReportDocument) -> bytes:
    """The report typeset as PDF by a child process (``typesetting``): the
    web worker or command that asks never holds WeasyPrint's layout."""
    from django.conf import settings

    return typeset(
        html.render_for_print(doc).decode("utf-8"),
        page_css=page_css(doc),
        variant=PDF_VARIANT,
        memory_mb=settings.PDF_MEMORY_MB,
        timeout_s=settings.PDF_TIMEOUT_SECONDS,
        niceness=settings.PDF_NICENESS,
    )
