"""Passwords: argon2id hashes, at least 12 characters, not common, not all
digits, not like the user name; users change their own with the old one."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from fremdrift import settings as real_settings

pytestmark = pytest.mark.django_db
PASSWORD = "hemmeligt-kodeord-42"


def test_the_real_settings_hash_new_passwords_with_argon2id() -> None:
    # The suite hashes with MD5 for speed (tests/conftest.py); the settings
    # module itself is what a deployment runs.
    assert real_settings.PASSWORD_HASHERS[0].endswith(".Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=real_settings.PASSWORD_HASHERS):
        user = get_user_model().objects.create_user("dorte", password=PASSWORD)
        assert user.password.startswith("argon2$argon2id$")
        assert user.check_password(PASSWORD)


def test_an_older_pbkdf2_hash_is_upgraded_to_argon2_at_login(client: Client) -> None:
    with override_settings(PASSWORD_HASHERS=real_settings.PASSWORD_HASHERS):
        user = get_user_model().objects.create_user("dorte")
        user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        user.save()
        response = client.post(
            reverse("accounts:login"), {"username": "dorte", "password": PASSWORD}
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.password.startswith("argon2$")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("kort-kode-1", "for kort"),  # 11 characters
        ("password1234", "for almindelig"),
        ("839201748392017", "udelukkende numerisk"),
        ("annemette.hansen", "minder for meget"),
        ("Fremdrift-2026-april", "må ikke indeholde ordet “fremdrift”"),
    ],
)
def test_weak_passwords_are_refused(password: str, reason: str) -> None:
    user = get_user_model()(username="annemette.hansen")
    with pytest.raises(ValidationError) as error:
        validate_password(password, user)
    assert reason in " ".join(error.value.messages)


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("pwtest", "pwtest-pwtest"),  # twice: 63 % like the name alone
        ("pwtest", "PWTEST-sommer-sol"),
        ("pwtest", "tsetwp-vinter-is"),  # backwards
        ("annemette.hansen", "hansen-er-min-kat"),  # a piece of it
    ],
)
def test_a_password_with_the_user_name_in_it_is_refused(
    username: str, password: str
) -> None:
    user = get_user_model()(username=username)
    with pytest.raises(ValidationError) as error:
        validate_password(password, user)
    assert "brugernavn" in " ".join(error.value.messages)


def test_the_password_change_page_refuses_the_user_name_twice(
    client: Client,
) -> None:
    user = get_user_model().objects.create_user("pwtest", password=PASSWORD)
    client.force_login(user)
    reply = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "pwtest-pwtest",
            "new_password2": "pwtest-pwtest",
        },
    )
    assert reply.status_code == 200
    assert "brugernavn" in reply.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_twelve_character_passphrase_is_accepted() -> None:
    validate_password("kaffe på kajen", get_user_model()(username="dorte"))


def test_a_user_changes_their_password_with_the_old_one(client: Client) -> None:
    user = get_user_model().objects.create_user("dorte", password=PASSWORD)
    elsewhere = Client()
    elsewhere.force_login(user)
    client.force_login(user)
    url = reverse("accounts:password-change")

    wrong = client.post(
        url,
        {
            "old_password": "ikke-den-rigtige",
            "new_password1": "kaffe på kajen",
            "new_password2": "kaffe på kajen",
        },
    )
    short = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "kort",
            "new_password2": "kort",
        },
    )
    changed = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "kaffe på kajen",
            "new_password2": "kaffe på kajen",
        },
    )

    assert wrong.status_code == 200
    assert short.status_code == 200
    assert "mindst 12 tegn" in short.content.decode()
    assert changed.status_code == 302
    user.refresh_from_db()
    assert user.check_password("kaffe på kajen")
    # This session stays; the other one ends.
    assert client.get(reverse("registrations:home")).status_code == 200
    assert elsewhere.get(reverse("registrations:home")).status_code == 302
