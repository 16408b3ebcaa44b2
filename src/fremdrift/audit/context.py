"""Where an access came from: the request's path and address, kept for the
duration of a view so that the services it calls log them without being
handed the request."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.http import HttpRequest

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class Origin:
    """The request path (without its query string, which may hold a search
    for a participant's initials) and the client's address."""

    path: str = ""
    ip: str | None = None


_current: ContextVar[Origin | None] = ContextVar(
    "fremdrift_access_origin", default=None
)


def origin_of(request: HttpRequest) -> Origin:
    # The same address login throttling uses: the reverse proxy's header
    # when one is configured, else the connection's.
    from fremdrift.accounts.lockout import client_ip_address

    return Origin(path=request.path[:300], ip=client_ip_address(request) or None)


def current_origin() -> Origin:
    """The origin set by the view being served; outside a view (a command,
    a test) an empty one."""
    return _current.get() or Origin()


@contextmanager
def origin(request: HttpRequest) -> Iterator[Origin]:
    """Log accesses made inside the block as coming from ``request``."""
    value = origin_of(request)
    token = _current.set(value)
    try:
        yield value
    finally:
        _current.reset(token)


def logged_origin(view: F) -> F:
    """A view decorator: accesses the view logs carry its request's path
    and address."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        with origin(request):
            return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]
