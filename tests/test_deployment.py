"""The production settings pass Django's deployment check; every response
carries the security headers and the content security policy, no template
has an inline script, pages for logged-in users are never cached, and
WhiteNoise serves the static files without collectstatic."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

SRC = Path(__file__).resolve().parent.parent / "src" / "fremdrift"
FREMDRIFT = Path(sys.executable).parent / "fremdrift"


def _production_env(**extra: str) -> dict[str, str]:
    # Only what a server would have: nothing of the test run's own settings
    # (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process).
    env = {k: v for k, v in os.environ.items() if not k.startswith("FREMDRIFT_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return {**env, **extra}


@pytest.mark.slow
def test_the_deployment_check_is_clean_under_production_settings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = _production_env(
        FREMDRIFT_SECRET_KEY=secrets.token_urlsafe(50)[:50],
        FREMDRIFT_HTTPS="1",
        FREMDRIFT_ALLOWED_HOSTS="fremdrift.example.dk",
        # Several gunicorn workers share the rate limits' counters there.
        FREMDRIFT_REDIS_URL="redis://127.0.0.1:6379/0",
    )
    result = subprocess.run(
        [str(FREMDRIFT), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_settings_refuse_to_start_without_a_secret_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run(
        [str(FREMDRIFT), "check"],
        env=_production_env(FREMDRIFT_HTTPS="1"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "FREMDRIFT_SECRET_KEY must be set" in result.stderr


def test_https_settings_secure_the_cookies_and_trust_the_proxy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_NAME, "
        "s.FREMDRIFT_CLIENT_IP_HEADER)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=_production_env(
            DJANGO_SETTINGS_MODULE="fremdrift.settings",
            FREMDRIFT_SECRET_KEY=secrets.token_urlsafe(50),
            FREMDRIFT_HTTPS="1",
        ),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "__Host-sessionid",
        "X-Real-IP",
    ]


@pytest.mark.django_db
def test_every_page_has_the_security_headers_and_the_policy(client: Client) -> None:
    response = client.get("/")
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert "unsafe-inline" not in policy["script-src"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_pages_for_a_logged_in_user_are_never_stored(client: Client) -> None:
    anonymous = client.get("/")
    user = get_user_model().objects.create_user("alice", password="x" * 16)
    client.force_login(user)
    page = client.get("/registrering/")
    assert "no-store" in page["Cache-Control"]
    assert "private" in page["Cache-Control"]
    assert "no-store" not in anonymous.get("Cache-Control", "")


def _templates() -> list[Path]:
    return sorted(SRC.glob("*/templates/**/*.html"))


@pytest.mark.parametrize("template", _templates(), ids=lambda p: p.name)
def test_no_template_has_inline_script_or_event_handlers(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag, f"{template}: inline script {tag}"
    assert not re.search(r"\son[a-z]+\s*=", text), f"{template}: event handler"
    assert "javascript:" not in text


@pytest.mark.parametrize("template", _templates(), ids=lambda p: p.name)
def test_no_page_template_has_an_inline_stylesheet(template: Path) -> None:
    # The report is also a self-contained file (and the PDF's source): it
    # inlines its stylesheet there, and links it when served as a page.
    if template.name == "report.html":
        return
    assert "<style" not in template.read_text(encoding="utf-8"), template


@pytest.mark.django_db
def test_the_report_page_links_its_stylesheet_and_has_no_inline_style(
    client: Client, randers
) -> None:  # type: ignore[no-untyped-def]
    html = client.get(f"/planer/{randers.slug}/rapport/").content.decode()
    assert '<link rel="stylesheet" href="/static/reports/report.css">' in html
    assert "<style" not in html


@pytest.mark.django_db
def test_the_html_report_file_stays_self_contained(randers) -> None:  # type: ignore[no-untyped-def]
    from fremdrift.reports.assembly import report_build
    from fremdrift.reports.renderers import RENDERERS

    html = RENDERERS["html"](report_build(plan=randers, kind="final")).decode()
    assert "<link" not in html
    assert html.count("<style>") == 1
    assert "--ink: #1d1d1b" in html


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/static/registrations/app.css", "text/css"),
        ("/static/registrations/app.js", "text/javascript"),
        ("/static/reports/report.css", "text/css"),
        ("/static/web/site.css", "text/css"),
    ],
)
def test_whitenoise_serves_static_files_without_collectstatic(
    client: Client, path: str, content_type: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
