from __future__ import annotations

import pytest
from django.test import Client

from ..accounts.verified import log_in_verified

pytestmark = pytest.mark.django_db


def test_the_plan_list_links_to_the_plan(client: Client, randers) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/")
    assert response.status_code == 200
    assert randers.get_absolute_url().encode() in response.content


def test_the_plan_page_shows_the_goal_tree_with_verdicts(
    client: Client, randers
) -> None:  # type: ignore[no-untyped-def]
    response = client.get(randers.get_absolute_url())
    text = response.content.decode()
    assert response.status_code == 200
    assert "Forebyggelse og forældreansvar" in text
    assert "Legepatruljen" in text
    assert "Opnået: 111 unge mod et mål på mindst 80." in text
    assert "Ikke opnået: 11 forløb mod et mål på mindst 20." in text


def test_the_activity_page_shows_its_criteria(client: Client, randers) -> None:  # type: ignore[no-untyped-def]
    activity = randers.activities.get(slug="legepatruljen")
    response = client.get(activity.get_absolute_url())
    assert response.status_code == 200
    assert "ligger i intervallet 24-40" in response.content.decode()


def test_the_report_page_is_the_final_evaluation(client: Client, randers) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/planer/{randers.slug}/rapport/")
    assert response.status_code == 200
    assert b"Resultatevaluering" in response.content


@pytest.mark.parametrize(
    "url",
    ["/planer/ukendt/", "/planer/randers-nordby-2017-21/aktiviteter/ukendt/"],
)
def test_unknown_plans_and_activities_are_404(
    client: Client, randers, url: str
) -> None:  # type: ignore[no-untyped-def]
    assert client.get(url).status_code == 404


def test_pages_do_not_accept_posts(client: Client, randers) -> None:  # type: ignore[no-untyped-def]
    assert client.post(randers.get_absolute_url()).status_code == 405


def test_the_admin_lists_criteria_for_a_superuser(  # type: ignore[no-untyped-def]
    admin_user, randers
) -> None:
    admin_client = Client()
    log_in_verified(admin_client, admin_user)
    response = admin_client.get("/admin/plans/criterion/?q=legepatruljen")
    assert response.status_code == 200
    assert b"ub-legepatruljen-instruktoerer" in response.content


def test_the_admin_requires_login(client: Client, randers) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/admin/plans/criterion/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_goal_tree_links_every_activity_and_sub_activity(  # type: ignore[no-untyped-def]
    client: Client, randers
) -> None:
    text = client.get(randers.get_absolute_url()).content.decode()
    for activity in randers.activities.all():
        assert f'href="{activity.get_absolute_url()}"' in text, activity.slug
        assert client.get(activity.get_absolute_url()).status_code == 200


def test_pages_are_danish_whatever_the_browser_asks_for(client: Client, mini) -> None:  # type: ignore[no-untyped-def]
    response = client.get(
        mini.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    )
    assert response["Content-Language"] == "da"
    assert "Succeskriterier fordelt på vurdering" in response.content.decode()


def test_english_is_shown_when_chosen_including_the_verdicts(
    client: Client, mini
) -> None:  # type: ignore[no-untyped-def]
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get(mini.get_absolute_url())
    text = response.content.decode()
    assert response["Content-Language"] == "en"
    assert "Achieved:" in text or "In progress:" in text
    assert "Opnået:" not in text
