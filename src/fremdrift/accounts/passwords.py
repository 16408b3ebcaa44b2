"""Password validators for the words of this service and of the account
(the context-specific words OWASP ASVS asks to refuse): people pick the
name of the system, the project they work on, or their own user name."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Compared without case and accents are kept: "lektiecafé" and "lektiecafe"
# are both listed.
SERVICE_WORDS = (
    "fremdrift",
    "helhedsplan",
    "boligsocial",
    "landsbyggefonden",
    "lektiecafe",
    "lektiecafé",
    "koordinator",
    "medarbejder",
)


class ServiceWordsValidator:
    """Refuses a password that contains one of ``SERVICE_WORDS``."""

    def validate(self, password: str, user: object = None) -> None:
        lowered = password.casefold()
        for word in SERVICE_WORDS:
            if word in lowered:
                raise ValidationError(
                    _("Adgangskoden må ikke indeholde ordet “{word}”.").format(
                        word=word
                    ),
                    code="password_service_word",
                )

    def get_help_text(self) -> str:
        return _("Adgangskoden må ikke indeholde systemets eller helhedsplanens navn.")


# Shorter pieces of a user name ("jo", "ali") are too common in ordinary
# words to refuse.
NAME_PIECE_MIN_LENGTH = 4


class UserNameValidator:
    """Refuses a password that contains the user name, its reverse, or a
    piece of it (``anne`` of ``anne.hansen``; pieces of at least
    ``NAME_PIECE_MIN_LENGTH`` letters), or the local part of the e-mail
    address. Django's ``UserAttributeSimilarityValidator`` compares the
    whole password with the name, so that ``pwtest-pwtest`` (the name twice)
    is only 63 % like ``pwtest`` and passes it."""

    def validate(self, password: str, user: object = None) -> None:
        lowered = password.casefold()
        for word in self._words(user):
            if word in lowered or word[::-1] in lowered:
                raise ValidationError(
                    _("Adgangskoden må ikke indeholde dit brugernavn."),
                    code="password_contains_user_name",
                )

    @staticmethod
    def _words(user: object) -> set[str]:
        name = str(getattr(user, "username", "") or "").casefold()
        email = str(getattr(user, "email", "") or "").casefold()
        words = {name, email.split("@")[0]}
        for value in (name, email.split("@")[0]):
            words |= set(re.split(r"[\W_]+", value))
        return {w for w in words if len(w) >= NAME_PIECE_MIN_LENGTH}

    def get_help_text(self) -> str:
        return _("Adgangskoden må ikke indeholde dit brugernavn.")
