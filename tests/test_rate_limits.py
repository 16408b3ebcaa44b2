"""Rate limits (audit/ratelimits.py): the API and the downloads allow so
many requests per user, or per address without a login, and refuse the
next with 429 (the API's JSON error; the Danish page on the web) and one
``fremdrift.security`` line that names the limit. Another user, or another
address, still gets in."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.test import Client

from fremdrift.accounts.checks import rate_limit_cache_check

from .api.world import World, build_world
from .test_security_log import security_lines

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"
PLANS = "/api/v1/plans"


@pytest.fixture
def world(mini, settings, tmp_path) -> World:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(mini)


def _rate_limit_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if "status=429" in line]


def test_the_api_refuses_a_user_past_the_rate_and_no_other(  # type: ignore[no-untyped-def]
    settings, world: World
) -> None:
    settings.FREMDRIFT_API_RATE = "3/m"
    alice, bob = world.client("alice"), world.client("bob")
    # Every operation counts in the one API group.
    assert [alice.get(p).status_code for p in (ME, PLANS, ME)] == [200] * 3

    with security_lines() as lines:
        refused = alice.get(PLANS)

    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json; charset=utf-8"
    assert refused.json()["detail"].startswith("Too many requests")
    assert refused["Retry-After"] == "60"
    [line] = lines
    assert "status=429" in line
    assert f"user_id={world.users['alice'].pk}" in line
    assert "reason=rate limit (fremdrift.api)" in line
    # Bob, from the same address, has his own count.
    assert bob.get(ME).status_code == 200


def test_the_api_counts_a_token_for_its_user_from_any_address(  # type: ignore[no-untyped-def]
    settings, world: World
) -> None:
    settings.FREMDRIFT_API_RATE = "2/m"
    token = world.tokens["alice"]
    headers = {"Authorization": f"Bearer {token}"}
    answers = [
        Client(REMOTE_ADDR=f"198.51.100.{n}").get(ME, headers=headers).status_code
        for n in range(3)
    ]
    assert answers == [200, 200, 429]


def test_the_api_counts_requests_without_a_token_per_address(  # type: ignore[no-untyped-def]
    settings, world: World
) -> None:
    settings.FREMDRIFT_API_RATE = "2/m"
    here = Client(REMOTE_ADDR="203.0.113.7")
    assert [here.get(ME).status_code for _ in range(2)] == [401, 401]

    with security_lines() as lines:
        refused = here.get(ME)

    assert refused.status_code == 429
    assert "detail" in refused.json()
    [line] = _rate_limit_lines(lines)
    assert "user_id=- ip=203.0.113.7" in line
    assert "reason=rate limit (fremdrift.api)" in line
    # Another address, and a user with a token from this one, still get in.
    assert Client(REMOTE_ADDR="203.0.113.8").get(ME).status_code == 401
    alice = Client(REMOTE_ADDR="203.0.113.7")
    headers = {"Authorization": f"Bearer {world.tokens['alice']}"}
    assert alice.get(ME, headers=headers).status_code == 200


def _download(client: Client, slug: str) -> int:
    # The report form's download with no choices: the form page again (400),
    # without typesetting anything; it is a download request all the same.
    return client.get(f"/planer/{slug}/rapport/hent/").status_code


def test_downloads_refuse_a_user_past_the_rate_and_no_other(  # type: ignore[no-untyped-def]
    settings, world: World
) -> None:
    settings.FREMDRIFT_DOWNLOAD_RATE = "2/m"
    slug = world.plan.slug
    alice, bob = Client(), Client()
    alice.force_login(world.users["alice"])
    bob.force_login(world.users["bob"])
    assert [_download(alice, slug) for _ in range(2)] == [400, 400]

    with security_lines() as lines:
        refused = alice.get(f"/planer/{slug}/rapport/hent/")

    assert refused.status_code == 429
    text = refused.content.decode()
    assert "For mange forespørgsler" in text
    assert "Du har hentet for mange filer på kort tid." in text
    [line] = lines
    assert f"user_id={world.users['alice'].pk}" in line
    assert "reason=rate limit (fremdrift.download)" in line
    assert _download(bob, slug) == 400
    # The pages around the downloads are not counted.
    assert alice.get(f"/planer/{slug}/").status_code == 200


def test_downloads_count_anonymous_visitors_per_address(  # type: ignore[no-untyped-def]
    settings, world: World
) -> None:
    settings.FREMDRIFT_DOWNLOAD_RATE = "2/m"
    slug = world.plan.slug
    here = Client(REMOTE_ADDR="203.0.113.7")
    assert [_download(here, slug) for _ in range(3)] == [400, 400, 429]
    assert _download(Client(REMOTE_ADDR="203.0.113.8"), slug) == 400


def test_every_download_view_is_limited(settings, world: World) -> None:  # type: ignore[no-untyped-def]
    """Each view that answers with a file counts in the download group: at
    a rate of 0 every one of them refuses, whatever it would answer."""
    settings.FREMDRIFT_DOWNLOAD_RATE = "0/m"
    plan = world.plan
    client = Client()
    client.force_login(world.users["alice"])
    addresses = [
        f"/planer/{plan.slug}/rapport/hent/",
        f"/planer/{plan.slug}/rapport/filer/x/fil/",
        f"/planer/{plan.slug}/udsendte/1/fil/",
        f"/planer/{plan.slug}/mappe/hent/",
        f"/planer/{plan.slug}/statistik/skabelon/tidy.xlsx",
        f"/registrering/{plan.slug}/{world.cafe.slug}/dokumentation/1/",
        f"/registrering/{plan.slug}/skabelon.xlsx",
        f"/adgangslog/{plan.slug}/adgangslog.csv",
    ]
    answers = {address: client.get(address).status_code for address in addresses}
    assert answers == dict.fromkeys(addresses, 429)


def test_a_participants_extract_is_limited_as_a_download_only(  # type: ignore[no-untyped-def]
    settings, world: World
) -> None:
    """The extract page is a page; its CSV is a download, counted and
    refused before anything is logged as exported."""
    settings.FREMDRIFT_DOWNLOAD_RATE = "1/m"
    client = Client()
    client.force_login(world.users["auditor"])
    query = f"kode={world.children[0].code}&formaal=access_request"
    extract = f"/adgangslog/{world.plan.slug}/deltager/?{query}"
    assert [client.get(extract).status_code for _ in range(3)] == [200] * 3
    assert client.get(f"{extract}&format=csv").status_code == 200
    assert client.get(f"{extract}&format=csv").status_code == 429


def test_only_the_laptop_cache_complaint_is_silenced(settings) -> None:  # type: ignore[no-untyped-def]
    """Without Redis the counters are in LocMemCache, which django-ratelimit
    calls not shared: that (E003, W001) is what the settings silence, and
    nothing else of its checks."""
    assert settings.RATELIMIT_USE_CACHE == "ratelimit"
    assert [m.id for m in run_checks(tags=["caches"]) if not m.is_silenced()] == []
    settings.SILENCED_SYSTEM_CHECKS = []
    found = {m.id: m.msg for m in run_checks(tags=["caches"]) if not m.is_silenced()}
    assert set(found) == {"django_ratelimit.E003", "django_ratelimit.W001"}
    assert found["django_ratelimit.E003"].endswith("LocMemCache is not a shared cache")


def test_https_without_redis_is_warned_about(settings) -> None:  # type: ignore[no-untyped-def]
    settings.FREMDRIFT_HTTPS = False
    settings.FREMDRIFT_REDIS_URL = ""
    assert rate_limit_cache_check() == []
    settings.FREMDRIFT_HTTPS = True
    assert [m.id for m in rate_limit_cache_check()] == ["fremdrift.W004"]
    settings.FREMDRIFT_REDIS_URL = "redis://127.0.0.1:6379/0"
    assert rate_limit_cache_check() == []
