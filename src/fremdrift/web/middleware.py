"""The language of a request: Danish unless the user chose English."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from fremdrift.core.i18n import use_language


class LanguageMiddleware:
    """Danish is the product's language: a page is Danish unless the user
    picked English with the language switch (Django's language cookie). The
    browser's Accept-Language is not followed, so a municipality PC set up
    in English still shows the staff their Danish screens. The same
    language is set for the computation core, whose verdict sentences and
    labels come from its own catalogue reader."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        with translation.override(language), use_language(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
