"""Change history: who changed what, when, from what to what.

Every model whose changes the team and the auditor must be able to trace
declares ``history = ModelHistory(...)`` (django-simple-history: one
historical table per model, on SQLite and PostgreSQL alike). A save or
delete of one object writes its historical row by the library's signals;
a bulk or raw-SQL writer writes them itself in the same transaction
(``bulk_create_with_history``, ``bulk_update_with_history``, or its own
INSERT ... SELECT), with ``acting_user()`` and ``change_reason()``.

On the web, the library's middleware names the logged-in user. Where no
request does (the command line, the API's token-authenticated calls, a
task), ``recorded_as`` names the user, or none, and a reason.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from simple_history.models import HistoricalRecords

_user: contextvars.ContextVar[Any] = contextvars.ContextVar(
    "fremdrift_history_user", default=None
)
_reason: contextvars.ContextVar[str] = contextvars.ContextVar(
    "fremdrift_history_reason", default=""
)


@contextmanager
def recorded_as(user: Any = None, reason: str = "") -> Iterator[None]:
    """Historical rows written inside are by ``user`` (an account, or None
    to keep the request's user) with ``reason`` (kept when an inner block
    gives none)."""
    user_token = _user.set(user if user is not None else _user.get())
    # The library's column holds 100 characters.
    reason_token = _reason.set(reason[:100] or _reason.get())
    try:
        yield
    finally:
        _reason.reset(reason_token)
        _user.reset(user_token)


def acting_user() -> Any:
    """The user ``recorded_as`` names, else the request's (the library's
    middleware), else None: for bulk writers' ``default_user``."""
    user = _user.get()
    if user is not None:
        return user if getattr(user, "is_authenticated", False) else None
    request = getattr(HistoricalRecords.context, "request", None)
    request_user = getattr(request, "user", None)
    if request_user is not None and request_user.is_authenticated:
        return request_user
    return None


def change_reason() -> str:
    """The reason ``recorded_as`` gives, or ""."""
    return _reason.get()


def is_change_history(model: type[Any]) -> bool:
    """Whether ``model`` is a historical table (the library's generated
    model: it knows the model it keeps the history of)."""
    return isinstance(getattr(model, "instance_type", None), type)


# The library ships no types: its base class is Any to mypy.
class ModelHistory(HistoricalRecords):  # type: ignore[misc]
    """``HistoricalRecords`` that also hears ``recorded_as``."""

    def get_history_user(self, instance: Any) -> Any:
        if hasattr(instance, "_history_user"):
            return instance._history_user
        user = _user.get()
        if user is not None:
            return user if getattr(user, "is_authenticated", False) else None
        return super().get_history_user(instance)

    def get_change_reason_for_object(
        self, instance: Any, history_type: str, using: Any
    ) -> Any:
        own = super().get_change_reason_for_object(instance, history_type, using)
        return own or _reason.get() or None
