"""A small HTTP load generator for the national benchmark: gunicorn started
and stopped by pid, a logged-in client (session cookie and CSRF token, as a
browser has them), closed-loop clients that request a page as fast as they
get answers, and an open-loop sender that posts at a constant rate.

Threads and http.client only, so nothing is installed for it. Latencies
are measured per request; the constant-rate sender measures from the time
a request was due, not from when it could be sent (a server that falls
behind shows it in the latencies instead of hiding it, as wrk2 does).
Every request goes to 127.0.0.1, and every loop is bounded in time.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import statistics
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class Gunicorn:
    """gunicorn serving fremdrift on 127.0.0.1, stopped by its own pid."""

    def __init__(self, gunicorn: Path, env: dict[str, str], workers: int) -> None:
        self.port = free_port()
        self.workers = workers
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "fremdrift.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "300",
                "--graceful-timeout",
                "5",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    "gunicorn stopped: " + self.process.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
                )
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start listening in 120 s")

    def worker_peak_mb(self) -> float:
        """The largest peak resident size (VmHWM) among the workers."""
        peak = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            fields = dict(
                line.split(":", 1) for line in status.splitlines() if ":" in line
            )
            if fields.get("PPid", "").strip() != str(self.process.pid):
                continue
            peak = max(peak, int(fields.get("VmHWM", "0 kB").split()[0]))
        return peak / 1024

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Client:
    """One browser: its cookies and the CSRF token of its last form."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 60.0,
    ) -> tuple[int, bytes]:
        body = None
        sent = {"Host": f"{HOST}:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie: SimpleCookie = SimpleCookie()
                cookie.load(header)
                for name, morsel in cookie.items():
                    self.cookies[name] = morsel.value
            found = CSRF_INPUT.search(data.decode("utf-8", "replace"))
            if found:
                self.csrf = found.group(1)
            return response.status, data
        finally:
            connection.close()

    def login(self, username: str, password: str) -> None:
        """Log in through the login form, as a person would."""
        status, _ = self.request("GET", "/konto/log-ind/")
        if status != 200 or not self.csrf:
            raise RuntimeError(f"login page: status {status}, no CSRF token")
        status, _ = self.request(
            "POST",
            "/konto/log-ind/",
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.csrf,
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login failed: status {status}")


@dataclass
class LoadResult:
    """Latencies (seconds) of the requests that got an answer, and what
    went wrong with the others."""

    seconds: float
    latencies: list[float]
    statuses: dict[int, int]
    errors: int
    not_sent: int = 0
    service: list[float] = field(default_factory=list)

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if 200 <= status < 300)

    @property
    def failed(self) -> int:
        return self.errors + sum(
            n for status, n in self.statuses.items() if not 200 <= status < 300
        )

    def percentile(self, q: float, values: list[float] | None = None) -> float:
        data = sorted(self.latencies if values is None else values)
        if not data:
            return float("nan")
        if len(data) == 1:
            return data[0]
        return statistics.quantiles(data, n=1000, method="inclusive")[
            min(998, max(0, round(q * 10) - 1))
        ]

    def summary(self) -> dict[str, object]:
        return {
            "seconds": self.seconds,
            "requests": len(self.latencies) + self.errors,
            "ok": self.ok,
            "failed": self.failed,
            "not_sent": self.not_sent,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "errors": self.errors,
            "rps": self.ok / self.seconds if self.seconds else 0.0,
            "p50_ms": self.percentile(50) * 1000,
            "p95_ms": self.percentile(95) * 1000,
            "p99_ms": self.percentile(99) * 1000,
            "max_ms": max(self.latencies, default=float("nan")) * 1000,
            "service_p50_ms": self.percentile(50, self.service) * 1000
            if self.service
            else None,
            "service_p99_ms": self.percentile(99, self.service) * 1000
            if self.service
            else None,
        }


def closed_loop(clients: list[Client], path: str, seconds: float) -> LoadResult:
    """Each client requests ``path`` again as soon as it has the answer,
    for ``seconds``."""
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = [0]
    stop = time.monotonic() + seconds

    def run(client: Client) -> None:
        while time.monotonic() < stop:
            began = time.monotonic()
            try:
                status, _ = client.request("GET", path, timeout=120)
            except OSError:
                with lock:
                    errors[0] += 1
                continue
            took = time.monotonic() - began
            with lock:
                latencies.append(took)
                statuses[status] = statuses.get(status, 0) + 1

    began = time.monotonic()
    _in_threads(run, clients)
    return LoadResult(time.monotonic() - began, latencies, statuses, errors[0])


def _in_threads(run: Callable[[Any], None], each: list[Any]) -> None:
    """``run(item)`` for every item, each in a thread of its own, until
    all have returned."""
    threads = [threading.Thread(target=run, args=(item,)) for item in each]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _post(client: Client, path: str, form: dict[str, object]) -> int | None:
    """The attendance form's htmx post with the client's CSRF token: the
    status, or None when the connection failed."""
    try:
        status, _ = client.request(
            "POST",
            path,
            {**form, "csrfmiddlewaretoken": client.csrf},
            headers={"HX-Request": "true"},
            timeout=60,
        )
    except OSError:
        return None
    return status


def constant_rate(
    clients: list[Client],
    rate: float,
    seconds: float,
    make: Callable[[int], tuple[str, dict[str, object]]],
    on_answer: Callable[[int, int], None],
    senders: int = 48,
    grace: float = 10.0,
) -> LoadResult:
    """Post ``make(n)`` (path, form) for n = 0, 1, ... at ``rate`` per
    second for ``seconds``, from ``senders`` threads sharing ``clients``.
    A request still unsent ``grace`` seconds after the run should have
    ended is dropped and counted as not sent. ``on_answer(n, status)`` is
    told every answer."""
    lock = threading.Lock()
    latencies: list[float] = []
    service: list[float] = []
    statuses: dict[int, int] = {}
    errors = [0]
    not_sent = [0]
    total = int(rate * seconds)
    counter = iter(range(total))
    start = time.monotonic() + 0.5
    last = start + seconds + grace

    def run(index: int) -> None:
        client = clients[index % len(clients)]
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            due = start + n / rate
            now = time.monotonic()
            if now < due:
                time.sleep(due - now)
            elif now > last:
                with lock:
                    not_sent[0] += 1
                continue
            sent = time.monotonic()
            status = _post(client, *make(n))
            if status is None:
                with lock:
                    errors[0] += 1
                on_answer(n, 0)
                continue
            done = time.monotonic()
            with lock:
                latencies.append(done - due)
                service.append(done - sent)
                statuses[status] = statuses.get(status, 0) + 1
            on_answer(n, status)

    _in_threads(run, list(range(senders)))
    return LoadResult(
        time.monotonic() - start,
        latencies,
        statuses,
        errors[0],
        not_sent[0],
        service,
    )


def closed_loop_posts(
    clients: list[Client],
    seconds: float,
    make: Callable[[int], tuple[str, dict[str, object]]],
    on_answer: Callable[[int, int], None],
    limit: int,
) -> LoadResult:
    """Each client posts ``make(n)`` (n = 0, 1, ... shared, at most
    ``limit``) as soon as it has the previous answer, for ``seconds``."""
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = [0]
    counter = iter(range(limit))
    stop = time.monotonic() + seconds

    def run(client: Client) -> None:
        while time.monotonic() < stop:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            began = time.monotonic()
            status = _post(client, *make(n))
            if status is None:
                with lock:
                    errors[0] += 1
                on_answer(n, 0)
                continue
            took = time.monotonic() - began
            with lock:
                latencies.append(took)
                statuses[status] = statuses.get(status, 0) + 1
            on_answer(n, status)

    began = time.monotonic()
    _in_threads(run, clients)
    return LoadResult(
        time.monotonic() - began,
        latencies,
        statuses,
        errors[0],
        service=list(latencies),
    )


def gunicorn_path(root: Path) -> Path:
    venv = Path(os.environ.get("VIRTUAL_ENV", root / ".venv"))
    return venv / "bin" / "gunicorn"


# wrk (Debian's package) measures the pages when it is installed: a C load
# generator takes far less of the two cores than Python threads, so the
# server gets what the clients leave. A status other than 200 counts as an
# error (wrk itself would count a redirect to the login page as success).
WRK_SCRIPT = r"""
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  other = 0
end
function response(status, headers, body)
  if status ~= 200 then other = other + 1 end
end
function done(summary, latency, requests)
  local other = 0
  for _, thread in ipairs(threads) do other = other + thread:get("other") end
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, '
    .. '"p99_us": %d, "max_us": %d, "connect": %d, "read": %d, "write": %d, '
    .. '"timeout": %d, "not_200": %d}\n',
    summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, other))
end
"""


def wrk_closed_loop(
    port: int, path: str, cookies: dict[str, str], clients: int, seconds: float
) -> dict[str, object]:
    """``clients`` connections asking for ``path`` as fast as they get
    answers for ``seconds``, with wrk; the same summary as
    ``LoadResult.summary``."""
    import json
    import shutil
    import tempfile

    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        out = subprocess.run(
            [
                wrk,
                f"--threads={min(2, clients)}",
                f"--connections={clients}",
                f"--duration={max(1, round(seconds))}s",
                "--timeout=60s",
                f"--script={script.name}",
                "--header",
                f"Cookie: {cookie}",
                f"http://{HOST}:{port}{path}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 120,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    line = next(s for s in out.splitlines() if s.startswith("WRKJSON "))
    data = json.loads(line.removeprefix("WRKJSON "))
    failed = sum(
        int(data[k]) for k in ("connect", "read", "write", "timeout", "not_200")
    )
    ok = int(data["requests"]) - int(data["not_200"])
    duration = int(data["duration_us"]) / 1e6
    return {
        "tool": "wrk",
        "seconds": duration,
        "requests": int(data["requests"]),
        "ok": ok,
        "failed": failed,
        "not_sent": 0,
        "statuses": {},
        "errors": failed - int(data["not_200"]),
        "rps": ok / duration if duration else 0.0,
        "p50_ms": int(data["p50_us"]) / 1000,
        "p95_ms": int(data["p95_us"]) / 1000,
        "p99_ms": int(data["p99_us"]) / 1000,
        "max_ms": int(data["max_us"]) / 1000,
        "service_p50_ms": None,
        "service_p99_ms": None,
    }
