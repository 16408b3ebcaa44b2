"""The team's working notes on the plan's pages (web/selectors.py)."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

register = template.Library()


@register.filter
def notes_of(notes: Mapping[str, tuple[str, ...]], key: str) -> tuple[str, ...]:
    """The working notes of the row ``key`` (a criterion's ident, an
    activity's slug) in ``notes``; none when it has none."""
    return notes.get(key, ()) if notes else ()
