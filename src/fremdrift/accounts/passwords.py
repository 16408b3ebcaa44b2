"""A password validator for the words of this service (the context-specific
words OWASP ASVS asks to refuse): people pick the name of the system or the
project they work on."""

from __future__ import annotations

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
