"""``{% page_numbers_css %}``: "Side N af M" for a CSS ``content`` property,
in the active language, so the print stylesheet's page numbers follow the
report's language like the rest of its words."""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_COUNTERS = {"page": "counter(page)", "pages": "counter(pages)"}


def _css_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return f'"{escaped}"'


@register.simple_tag
def page_numbers_css() -> SafeString:
    """``"Side " counter(page) " af " counter(pages)``."""
    parts = _PLACEHOLDER.split(gettext("Side {page} af {pages}"))
    tokens = [
        _COUNTERS[part] if i % 2 else _css_string(part)
        for i, part in enumerate(parts)
        if i % 2 or part
    ]
    # Built from the catalogue's text with quotes and "<" escaped: safe
    # inside the <style> element.
    return mark_safe(" ".join(tokens))
