"""One page of a list: ``?page=2&page_size=50`` in, ``{count, page,
page_size, items}`` out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import QuerySet

from .schemas import PageIn

T = TypeVar("T")


def page_of(
    items: QuerySet[Any] | Sequence[T], paging: PageIn
) -> tuple[dict[str, int], list[Any]]:
    """The page's counts and its items (a QuerySet is counted and sliced in
    the database)."""
    count = items.count() if isinstance(items, QuerySet) else len(items)
    start = (paging.page - 1) * paging.page_size
    chunk = list(items[start : start + paging.page_size])
    return {"count": count, "page": paging.page, "page_size": paging.page_size}, chunk
