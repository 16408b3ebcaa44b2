"""A participant who is not in the activity is shown on the staff pages only
for a stated purpose (docs/privacy.md): at each address that can show one,
no purpose means nothing shown and nothing written in the access log as
seen. (A POST with only the CSRF token used to count as "enrol".)"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fremdrift.audit.models import AccessLogEntry
from fremdrift.registrations.models import Enrolment

from . import personas
from .factories import participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def cafe(mini):  # type: ignore[no-untyped-def]
    personas.keep_running(mini)
    return mini.activities.select_related("plan").get(slug="lektiecafe")


@pytest.fixture
def course(cafe):  # type: ignore[no-untyped-def]
    return personas.running_course(cafe)


@pytest.fixture
def alice_client(cafe) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(personas.alice(cafe))
    return client


@pytest.fixture
def stranger(cafe):  # type: ignore[no-untyped-def]
    """A participant of the plan, in no course of the café."""
    return participant(cafe, initials="QXFREMMED")


def url(name: str, activity, *args) -> str:  # type: ignore[no-untyped-def]
    return reverse(
        f"registrations:{name}", args=[activity.plan.slug, activity.slug, *args]
    )


def _nothing_shown(html: str, person) -> bool:  # type: ignore[no-untyped-def]
    return person.code not in html and "QXFREMMED" not in html


def test_the_look_up_without_a_purpose_asks_for_one(
    alice_client, cafe, stranger
) -> None:  # type: ignore[no-untyped-def]
    reply = alice_client.get(url("participant", cafe, stranger.pk))
    html = reply.content.decode()
    assert reply.status_code == 200
    assert "Formål med opslaget" in html
    assert _nothing_shown(html, stranger)
    assert not AccessLogEntry.objects.exists()


def test_a_post_with_only_the_csrf_token_is_no_purpose(cafe, stranger) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.alice(cafe))
    page = url("participant", cafe, stranger.pk)
    client.get(page)  # the purpose page, which sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    reply = client.post(page, {"csrfmiddlewaretoken": token})
    html = reply.content.decode()
    assert reply.status_code == 200
    assert "Formål med opslaget" in html
    assert _nothing_shown(html, stranger)
    assert not AccessLogEntry.objects.exists()


def test_a_post_that_enrols_in_another_activity_is_no_purpose(
    alice_client, cafe, mini, stranger
) -> None:  # type: ignore[no-untyped-def]
    _bob, club = personas.bob(mini)
    foreign = personas.running_course(club, name="Klubforløb")
    data = {"course": foreign.pk, "role": "child", "start": foreign.start.isoformat()}
    html = alice_client.post(url("participant", cafe, stranger.pk), data).content
    assert _nothing_shown(html.decode(), stranger)
    assert not Enrolment.objects.filter(participant=stranger).exists()
    assert not AccessLogEntry.objects.exists()


def test_a_post_that_enrols_is_the_purpose(
    alice_client, cafe, course, stranger
) -> None:  # type: ignore[no-untyped-def]
    data = {"course": course.pk, "role": "child", "start": course.start.isoformat()}
    reply = alice_client.post(url("participant", cafe, stranger.pk), data)
    assert reply.status_code == 302
    assert Enrolment.objects.filter(participant=stranger, course=course).exists()


def test_the_look_up_with_a_purpose_shows_and_logs_it(
    alice_client, cafe, stranger
) -> None:  # type: ignore[no-untyped-def]
    html = alice_client.get(
        url("participant", cafe, stranger.pk), {"formaal": "inquiry"}
    ).content.decode()
    assert stranger.code in html
    entry = AccessLogEntry.objects.get(object_id=stranger.pk)
    assert entry.purpose == "inquiry"


def test_a_search_without_a_purpose_shows_nobody(alice_client, cafe, stranger) -> None:  # type: ignore[no-untyped-def]
    for extra in ({}, {"HTTP_HX_REQUEST": "true"}):
        html = alice_client.get(
            url("participants", cafe), {"q": "QXFREM"}, **extra
        ).content.decode()
        assert _nothing_shown(html, stranger)
    assert not AccessLogEntry.objects.exclude(object_type="participant_list").exists()
