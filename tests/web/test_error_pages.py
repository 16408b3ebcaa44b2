"""Every refusal and failure answers in the site's layout and language:
Danish by default, English under the language switch; never Django's bare
English "403 Forbidden"."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import translation

from fremdrift.web.errors import too_many_requests, unavailable

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.error_urls")]

LAYOUT = 'class="site-header"'


def _client(lang: str = "da", **kwargs: bool) -> Client:
    client = Client(raise_request_exception=False, **kwargs)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client


@pytest.mark.parametrize(
    ("status", "lang", "heading"),
    [
        (400, "da", "Forespørgslen kan ikke behandles"),
        (400, "en", "The request cannot be handled"),
        (403, "da", "Du har ikke adgang til siden"),
        (403, "en", "You do not have access to this page"),
        (404, "da", "Siden findes ikke"),
        (404, "en", "Page not found"),
        (500, "da", "Der skete en fejl på serveren"),
        (500, "en", "Something went wrong on the server"),
    ],
)
def test_an_error_page_is_in_the_site_layout_and_language(
    status: int, lang: str, heading: str
) -> None:
    path = "/planer/ingen-saadan-plan/" if status == 404 else f"/fejl/{status}/"
    response = _client(lang).get(path)
    text = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in text
    assert f'<html lang="{lang}">' in text
    assert LAYOUT in text
    # The language switch works on the error page too.
    assert 'name="csrfmiddlewaretoken"' in text
    assert "Forbidden" not in text


def test_an_anonymous_refusal_offers_the_login(mini) -> None:  # type: ignore[no-untyped-def]
    """An anonymous visitor asks for the internal version of the report."""
    response = _client().get(
        f"/planer/{mini.slug}/rapport/hent/",
        {"kind": "final", "format": "html", "audience": "internal"},
    )
    assert response.status_code == 403
    assert "<h1>Du har ikke adgang til siden</h1>" in response.content.decode()
    assert f'href="/konto/log-ind/?next=/planer/{mini.slug}/rapport/hent/"' in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("da", "Formularen blev afvist"), ("en", "The form was refused")],
)
def test_a_form_without_its_csrf_token_is_refused_in_the_site_layout(
    lang: str, heading: str
) -> None:
    response = _client(lang, enforce_csrf_checks=True).post(
        "/i18n/setlang/", {"language": "da", "next": "/"}
    )
    text = response.content.decode()
    assert response.status_code == 403
    assert f"<h1>{heading}</h1>" in text
    assert LAYOUT in text


@pytest.mark.parametrize(
    ("lang", "heading", "back"),
    [
        ("da", "Midlertidigt ikke tilgængelig", "Tilbage til"),
        ("en", "Temporarily unavailable", "Back to"),
    ],
)
def test_unavailable_says_why_and_links_back_to_the_plan(
    mini, lang: str, heading: str, back: str
) -> None:  # type: ignore[no-untyped-def]
    request = RequestFactory().get(f"/planer/{mini.slug}/rapport/hent/")
    with translation.override(lang):
        response = unavailable(
            request, message="PDF-køen er fuld.", plan=mini, retry_after=120
        )
    text = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert f"<h1>{heading}</h1>" in text
    assert "<p>PDF-køen er fuld.</p>" in text
    assert f"{back} {mini.name}</a>" in text
    assert LAYOUT in text


def test_too_many_requests_has_a_default_explanation() -> None:
    request = RequestFactory().get("/")
    response = too_many_requests(request, retry_after=30)
    text = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert "<h1>For mange forespørgsler</h1>" in text
    assert "Vent lidt, og prøv så igen." in text


def test_a_login_lockout_is_explained_in_english_under_the_english_language(
    mini,
) -> None:  # type: ignore[no-untyped-def]
    client = _client("en")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            "/konto/log-ind/", {"username": "ingen", "password": "forkert-kodeord"}
        )
    text = response.content.decode()
    assert response.status_code == 429
    assert "Too many failed attempts to log in" in text
    assert '<html lang="en">' in text
