"""Uploads refused past their limit without reading the rest.

Django reads a multipart body as it parses it: an upload of any size would
be read to its end (into memory up to ``FILE_UPLOAD_MAX_MEMORY_SIZE``, to a
temporary file beyond it) before a form could say that it is too large.
``LimitedUploadHandler``, first in ``FILE_UPLOAD_HANDLERS``, stops the
parse instead: at the first file when the request declares a body larger
than the view's limit, and as soon as the bytes received pass it when the
declared length lies. The rest of the body is never read.

The limit is ``FREMDRIFT_UPLOAD_MAX_MB`` (settings), or the view's own when
it is decorated with ``upload_limit``. The view finds out with
``upload_refusal(request)``, which gives the Danish sentence for its form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.utils.translation import gettext as _

ViewT = TypeVar("ViewT", bound=Callable[..., Any])

REFUSED_ATTRIBUTE = "fremdrift_upload_refused"
LIMIT_ATTRIBUTE = "upload_max_bytes"


def upload_limit(max_bytes: int) -> Callable[[ViewT], ViewT]:
    """Give a view its own upload limit, in bytes of the whole request
    body (put it outermost: the handler reads it from the resolved view)."""

    def decorate(view: ViewT) -> ViewT:
        setattr(view, LIMIT_ATTRIBUTE, max_bytes)
        return view

    return decorate


def request_upload_limit(request: HttpRequest | None) -> int:
    """The most bytes of body that ``request`` may send with its files."""
    default = int(settings.FREMDRIFT_UPLOAD_MAX_BYTES)
    match = getattr(request, "resolver_match", None)
    if match is None:
        return default
    return int(getattr(match.func, LIMIT_ATTRIBUTE, default))


class LimitedUploadHandler(FileUploadHandler):
    """Stops the parse of a request whose files pass its limit."""

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: bytes,
        encoding: str | None = None,
    ) -> None:
        self.limit = request_upload_limit(self.request)
        self.declared = content_length
        self.received = 0

    def _refuse(self) -> None:
        if self.request is not None:
            setattr(self.request, REFUSED_ATTRIBUTE, self.limit)
        # connection_reset: the parser does not read the rest of the body.
        raise StopUpload(connection_reset=True)

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.declared > self.limit:
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def upload_refusal(request: HttpRequest) -> str | None:
    """The Danish sentence for the form when the request's files were
    refused as too large, else None."""
    limit = getattr(request, REFUSED_ATTRIBUTE, None)
    if limit is None:
        return None
    return _("Filen er for stor (højst %(mb)s MB); den er ikke modtaget.") % {
        "mb": max(1, int(limit) // (1024 * 1024))
    }
