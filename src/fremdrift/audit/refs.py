"""How the access log names a participant without keeping their code: a
keyed one-way hash of plan and code."""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import salted_hmac

_REF_SALT = "fremdrift.audit.participant_ref"


def participant_ref(*, plan_id: int, code: str, secret: str | None = None) -> str:
    """HMAC-SHA256 of plan id and code under the installation's secret key,
    32 hex digits. A plain hash would not do: a six-character code is found
    again by trying all 31**6 of them."""
    digest = salted_hmac(
        _REF_SALT,
        f"{plan_id}:{code.strip().upper()}",
        secret=secret,
        algorithm="sha256",
    )
    return digest.hexdigest()[:32]


def participant_refs(*, plan_id: int, code: str) -> set[str]:
    """The hashes ``code`` may have been logged under: the current secret
    key and any earlier ones still listed in SECRET_KEY_FALLBACKS."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return {participant_ref(plan_id=plan_id, code=code, secret=s) for s in secrets}
