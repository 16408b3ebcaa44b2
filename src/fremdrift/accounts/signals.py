"""Session bookkeeping tied to Django's account events."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from .middleware import LAST_ACTIVITY, LOGGED_IN_AT
from .services import sessions_end


@receiver(user_logged_in)
def stamp_login_time(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """Start the absolute and the idle clock of the new session (Django has
    just given it a new key)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGGED_IN_AT] = now
        request.session[LAST_ACTIVITY] = now


@receiver(post_save, sender=get_user_model())
def end_sessions_of_deactivated_user(
    sender: Any, instance: Any, created: bool, **kwargs: Any
) -> None:
    """A deactivated user is logged out everywhere at once, not at their
    next request. (A bulk ``update(is_active=False)`` sends no signal; Django
    still refuses an inactive user's session then, but the rows stay until
    they expire.)"""
    if not created and not instance.is_active:
        sessions_end(user=instance)
