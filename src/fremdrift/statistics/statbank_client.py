"""A small client for Danmarks Statistik's StatBank API
(https://api.statbank.dk/v1), with the standard library only.

Two calls are used: ``tableinfo`` (a table's variables and their values, to
check a mapping before fetching) and ``data`` (the table's cells as a
semicolon-separated CSV or BULK file, streamed to disk). Every failure to
talk to the API becomes one ``StatBankError`` whose message a user can act
on: offline, a name that does not resolve, a timeout, or the API's own
error text for a refused request.

The base address comes from the setting or environment variable
``FREMDRIFT_STATBANK_URL`` (tests point it at a local server).
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

DEFAULT_URL = "https://api.statbank.dk/v1"
# Seconds to wait for the API to answer and between chunks of an answer.
TIMEOUT = 60.0
_CHUNK = 1 << 16
_USER_AGENT = "fremdrift (StatBank import; https://api.statbank.dk)"


class StatBankError(Exception):
    """The API could not be reached or refused a request; the message is
    one line for the user."""


@dataclass(frozen=True, slots=True)
class TableValue:
    """One value of a variable: its code (``id``) and its text."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class TableVariable:
    """A variable of a table; ``elimination`` says whether a ``data`` call
    may leave it out (the API then sums over it)."""

    id: str
    text: str
    time: bool
    elimination: bool
    values: tuple[TableValue, ...]


@dataclass(frozen=True, slots=True)
class TableInfo:
    """What ``tableinfo`` says about a table."""

    id: str
    text: str
    unit: str
    updated: str
    variables: tuple[TableVariable, ...]


@dataclass(frozen=True, slots=True)
class Download:
    """A file written by ``data``: its rows (without the header) and size."""

    path: Path
    rows: int
    bytes: int


def statbank_url() -> str:
    """The API's base address: the Django setting ``FREMDRIFT_STATBANK_URL``
    when Django is configured with one, else the environment variable of
    that name, else https://api.statbank.dk/v1. Read at call time, so a
    test can change it."""
    configured: str | None = None
    try:
        from django.conf import settings

        if settings.configured:
            configured = getattr(settings, "FREMDRIFT_STATBANK_URL", None)
    except ImportError:  # pragma: no cover - Django is a dependency
        configured = None
    return (
        configured or os.environ.get("FREMDRIFT_STATBANK_URL") or DEFAULT_URL
    ).rstrip("/")


def parse_tableinfo(data: Any) -> TableInfo:
    """A ``tableinfo`` JSON answer as a ``TableInfo``. Raises
    ``StatBankError`` when it lacks the fields every answer has."""
    try:
        return TableInfo(
            id=str(data["id"]),
            text=str(data.get("text", "")),
            unit=str(data.get("unit", "")),
            updated=str(data.get("updated", "")),
            variables=tuple(
                TableVariable(
                    id=str(variable["id"]),
                    text=str(variable.get("text", "")),
                    time=bool(variable.get("time", False)),
                    elimination=bool(variable.get("elimination", False)),
                    values=tuple(
                        TableValue(id=str(value["id"]), text=str(value["text"]))
                        for value in variable["values"]
                    ),
                )
                for variable in data["variables"]
            ),
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise StatBankError(
            f"the tableinfo answer lacks {error} (is FREMDRIFT_STATBANK_URL "
            "the StatBank API?)"
        ) from None


class StatBankClient:
    """Calls the StatBank API; see the module docstring."""

    def __init__(self, base_url: str | None = None, timeout: float = TIMEOUT) -> None:
        self.base_url = (base_url or statbank_url()).rstrip("/")
        self.timeout = timeout
        self.host = urlsplit(self.base_url).netloc or self.base_url

    def tableinfo(self, table: str, *, lang: Literal["da", "en"] = "da") -> TableInfo:
        """The table's variables and values (texts in ``lang``)."""
        payload = {"table": table, "format": "JSON", "lang": lang}
        with self._post("tableinfo", payload) as response:
            body = self._read_all(response)
        try:
            data = json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise StatBankError(
                f"{self.host} answered tableinfo with something that is not "
                f"JSON: {body[:120]!r}"
            ) from None
        return parse_tableinfo(data)

    def data(
        self,
        table: str,
        *,
        variables: dict[str, list[str]],
        out: Path,
        lang: Literal["da", "en"] = "da",
        fmt: Literal["BULK", "CSV"] = "BULK",
        value_presentation: Literal["Value", "Code"] = "Value",
    ) -> Download:
        """Fetch the table's cells for ``variables`` (variable id -> value
        codes, ``["*"]`` for all) and stream them to ``out``.

        The answer goes to a temporary file next to ``out`` that replaces
        ``out`` only when the whole answer has arrived, so a broken
        connection never leaves half a file behind.
        """
        payload = {
            "table": table,
            "format": fmt,
            "lang": lang,
            "valuePresentation": value_presentation,
            "variables": [
                {"code": code, "values": values} for code, values in variables.items()
            ],
        }
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        size = newlines = 0
        last = b"\n"
        with tempfile.NamedTemporaryFile(
            "wb", dir=out.parent, prefix=f".{out.name}.", delete=False
        ) as temporary:
            try:
                with self._post("data", payload) as response:
                    while chunk := self._read(response, _CHUNK):
                        temporary.write(chunk)
                        size += len(chunk)
                        newlines += chunk.count(b"\n")
                        last = chunk[-1:]
                    # http.client ends a body cut short as if it were whole;
                    # the bytes still owed to Content-Length tell.
                    if response.length:
                        raise StatBankError(
                            f"the answer from {self.host} broke off after "
                            f"{size} bytes ({response.length} missing); try again"
                        )
                temporary.close()
                os.replace(temporary.name, out)
            except BaseException:
                temporary.close()
                Path(temporary.name).unlink(missing_ok=True)
                raise
        lines = newlines + (1 if size and last != b"\n" else 0)
        return Download(path=out, rows=max(lines - 1, 0), bytes=size)

    @contextmanager
    def _post(
        self, function: str, payload: dict[str, Any]
    ) -> Iterator[http.client.HTTPResponse]:
        url = f"{self.base_url}/{function}"
        request = urllib.request.Request(
            url,
            data=json.dumps(payload).encode("utf-8"),
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": _USER_AGENT,
            },
            method="POST",
        )
        try:
            response = urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            raise StatBankError(self._http_error_text(function, error)) from None
        except (urllib.error.URLError, OSError) as error:
            raise StatBankError(self._unreachable_text(error)) from None
        with response:
            yield response

    def _read(self, response: http.client.HTTPResponse, size: int) -> bytes:
        try:
            return response.read(size)
        except (OSError, http.client.HTTPException) as error:
            raise StatBankError(self._unreachable_text(error)) from None

    def _read_all(self, response: http.client.HTTPResponse) -> bytes:
        parts = []
        while chunk := self._read(response, _CHUNK):
            parts.append(chunk)
        return b"".join(parts)

    def _unreachable_text(self, error: BaseException) -> str:
        reason: Any = getattr(error, "reason", error)
        if isinstance(reason, socket.gaierror):
            why = f"the name {self.host.split(':')[0]} does not resolve"
        elif isinstance(reason, TimeoutError | socket.timeout):
            why = f"no answer within {self.timeout:g} s"
        elif isinstance(reason, ConnectionRefusedError):
            why = "connection refused"
        else:
            why = str(reason) or reason.__class__.__name__
        return f"cannot reach {self.host} ({why}): are you offline?"

    def _http_error_text(self, function: str, error: urllib.error.HTTPError) -> str:
        try:
            body = error.read(_CHUNK)
        except OSError:
            body = b""
        finally:
            error.close()
        detail = _api_error_message(body)
        if 400 <= error.code < 500:
            return (
                f"{self.host} refused the {function} request (HTTP {error.code}): "
                f"{detail or error.reason}"
            )
        return (
            f"{self.host} failed on the {function} request (HTTP {error.code}"
            f"{': ' + detail if detail else ''}); try again later"
        )


def _api_error_message(body: bytes) -> str:
    """The text of the API's error answer, e.g. ``{"errorTypeCode":
    "TABLE_NOT_FOUND", "message": "..."}``; the raw start of the body when it
    is not JSON."""
    text = body.decode("utf-8-sig", errors="replace").strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return " ".join(text.split())[:200]
    if isinstance(data, dict):
        message = str(data.get("message") or data.get("Message") or "").strip()
        code = str(data.get("errorTypeCode") or "").strip()
        if message and code:
            return f"{message} [{code}]"
        return message or code or text[:200]
    return text[:200]
