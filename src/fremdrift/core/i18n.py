"""The language of the system's own words, for the core.

The core cannot use Django, so it reads the same compiled catalogue Django
does (``fremdrift/locale/<lang>/LC_MESSAGES/django.mo``) with the standard
library's ``gettext``. The message ids are the Danish texts: Danish is the
product's language, so Danish needs no catalogue and prints exactly the
msgid.

The current language lives in a ``ContextVar`` (Danish unless
``use_language`` says otherwise), so a web request or a report build in one
thread never changes another's. Every helper translates when it is called,
never at import time: a module-level text is marked with ``gettext_noop``
and translated where it is used.

The helpers carry the names Django's ``makemessages`` looks for (``_``,
``gettext``, ``ngettext``, ``pgettext``, ``gettext_noop``), so one
``makemessages`` run finds the core's texts along with the templates'.
Texts are whole sentences with named placeholders filled in by
``str.format`` after translation, so a translator can reorder them.
"""

from __future__ import annotations

import gettext as stdlib_gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DEFAULT_LANGUAGE = "da"
LANGUAGES = ("da", "en")
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "django"

_language: ContextVar[str] = ContextVar("fremdrift_language", default=DEFAULT_LANGUAGE)


def normalise_language(lang: str) -> str:
    """``"en"``, ``"en-gb"`` or ``"en_GB"`` -> ``"en"``; raises
    ``ValueError`` for a language fremdrift has no words for."""
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGUAGES:
        known = ", ".join(LANGUAGES)
        raise ValueError(f"unknown language {lang!r} (known: {known})")
    return code


def get_language() -> str:
    """The current language: ``"da"`` unless inside ``use_language``."""
    return _language.get()


@contextmanager
def use_language(lang: str) -> Iterator[None]:
    """Translate the core's texts into ``lang`` inside the ``with`` block."""
    token = _language.set(normalise_language(lang))
    try:
        yield
    finally:
        _language.reset(token)


@cache
def _catalogue(lang: str) -> stdlib_gettext.NullTranslations:
    if lang == DEFAULT_LANGUAGE:
        return stdlib_gettext.NullTranslations()
    # fallback=True: a missing catalogue prints Danish rather than failing
    # a report; tests check that the committed catalogue is complete.
    return stdlib_gettext.translation(
        DOMAIN, LOCALE_DIR, languages=[lang], fallback=True
    )


def gettext(message: str) -> str:
    """``message`` in the current language."""
    return _catalogue(get_language()).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language."""
    return _catalogue(get_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, told apart by ``context`` from
    the same text used elsewhere (a month name, a column header)."""
    return _catalogue(get_language()).pgettext(context, message)


def gettext_noop(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it: for texts
    defined at import time and translated with ``gettext`` where used."""
    return message
