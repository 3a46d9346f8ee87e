"""Mentions in comments: the suggestions' endpoint, an unknown mention as a field error, highlighting.

GET /agendas/<pk>/reacties/leden/ lists the coalition's members for the suggestions under the
comment box (agendas/static/agendas/mentions.js); only people who may comment see it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import GlobalRole
from agendas.comments import comment_create, comment_html
from agendas.models import Comment
from coalitions import services as coalition_services
from coalitions.models import CoalitionRole
from tests.agendas.factories import make_agenda
from tests.factories import make_user
from tests.helpers import assert_counts, measure

JSON = "application/json"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def agenda(coalition, alice):
    return make_agenda(coalition, alice)


def members_url(agenda) -> str:
    return reverse("agendas:mention-members", args=[agenda.pk])


def add_members(coalition, coordinator, n: int, start: int = 0) -> None:
    organisation = coalition.organisations.order_by("name").first()
    for i in range(start, start + n):
        user = make_user(f"lid{i}")
        coalition_services.coalition_set_member(
            coalition=coalition, user=user, organisation=organisation, role=CoalitionRole.VIEWER, actor=coordinator
        )


# --- the members' endpoint -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("member", ["alice", "bob", "victor"])
def test_every_member_gets_the_names_and_handles(client, agenda, member, request):
    client.force_login(request.getfixturevalue(member))
    response = client.get(members_url(agenda))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, max-age=60"
    assert response.json() == {
        "members": [
            {"handle": "alice", "name": "Alice"},
            {"handle": "bob", "name": "Bob"},
            {"handle": "victor", "name": "Victor"},
        ]
    }


@pytest.mark.django_db
def test_inactive_members_are_not_suggested(client, agenda, alice, victor):
    victor.is_active = False
    victor.save(update_fields=["is_active"])
    client.force_login(alice)
    assert [m["handle"] for m in client.get(members_url(agenda)).json()["members"]] == ["alice", "bob"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, GlobalRole.RIJK_OFFICIAL, GlobalRole.REVIEW_CHAIR, GlobalRole.PLATFORM_ADMIN])
def test_people_outside_the_coalition_get_a_404(client, agenda, role):
    client.force_login(make_user("buiten", role=role))
    assert client.get(members_url(agenda)).status_code == 404


@pytest.mark.django_db
def test_charlie_gets_a_404_and_anonymous_visitors_log_in(client, agenda, charlie):
    response = client.get(members_url(agenda))
    assert response.status_code == 302 and response.url.startswith("/account/login/")
    client.force_login(charlie)
    assert client.get(members_url(agenda)).status_code == 404
    assert client.get(reverse("agendas:mention-members", args=[999_999])).status_code == 404


@pytest.mark.django_db
def test_it_only_answers_get(client, agenda, alice):
    client.force_login(alice)
    assert client.post(members_url(agenda)).status_code == 405


@pytest.mark.django_db
def test_the_endpoint_uses_a_fixed_number_of_queries(client, coalition, agenda, alice):
    # session, user, agenda (+coalition), guardian: the user's and their groups' permissions, the members (+users)
    client.force_login(alice)
    add_members(coalition, alice, 1)
    _response, small = measure(client, members_url(agenda))
    add_members(coalition, alice, 10, start=1)
    response, large = measure(client, members_url(agenda))
    assert len(response.json()["members"]) == 14
    assert_counts(small, large, len(small))
    assert len(small) <= 8


# --- an unknown mention --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_service_refuses_an_unknown_mention_as_a_field_error(agenda, bob, charlie):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        comment_create(agenda=agenda, actor=bob, body="Vraag @charlie en @vicotr")
    assert refused.value.message_dict == {
        "body": [
            "Onbekende vermelding: @charlie, @vicotr. Noem alleen leden van de coalitie, met hun gebruikersnaam "
            "(typ @ voor de lijst)."
        ]
    }
    assert not Comment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        "Mail bob@example.org of kijk op https://example.org/@iemand",
        "Prijs @ 10 euro",
        "Alleen een @",
    ],
)
def test_what_is_no_mention_is_no_error(agenda, bob, body):
    assert comment_create(agenda=agenda, actor=bob, body=body).mentions.count() == 0


@pytest.mark.django_db
def test_the_api_answers_an_unknown_mention_with_a_400_on_the_body(client, agenda, bob):
    client.force_login(bob)
    response = client.post(f"/api/v1/agendas/{agenda.pk}/comments/", {"body": "Hoi @niemand"}, content_type=JSON)
    assert response.status_code == 400
    assert list(response.json()) == ["body"]
    assert response.json()["body"][0].startswith("Onbekende vermelding: @niemand.")
    assert not Comment.objects.exists()


# --- highlighted -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_mention_is_highlighted_by_name(agenda, bob, victor):
    victor.full_name = "Victor de Vries"
    victor.save(update_fields=["full_name"])
    comment = comment_create(agenda=agenda, actor=bob, body="Wat vind jij, @Victor? **Graag** snel.")
    assert str(comment_html(comment)) == (
        '<p>Wat vind jij, <span class="ka-mention">@Victor de Vries</span>? <strong>Graag</strong> snel.</p>'
    )


@pytest.mark.django_db
def test_a_name_cannot_bring_in_html_or_markdown(agenda, bob, victor):
    victor.full_name = '<img src=x onerror="alert(1)"> *ster* `code`'
    victor.save(update_fields=["full_name"])
    comment = comment_create(agenda=agenda, actor=bob, body="@victor: zie `@victor`")
    html = str(comment_html(comment))
    assert "<img" not in html and "<em>" not in html
    assert '<span class="ka-mention">@&lt;img src=x onerror=&quot;alert(1)&quot;&gt; *ster* `code`</span>' in html


@pytest.mark.django_db
def test_typed_placeholder_characters_change_nothing(agenda, bob):
    comment = comment_create(agenda=agenda, actor=bob, body="@bob \ue0000\ue001 hallo")
    html = str(comment_html(comment))
    assert '<span class="ka-mention">@Bob</span>' in html and "\ue000" not in html and html.count("ka-mention") == 1


@pytest.mark.django_db
def test_an_older_comment_with_an_unknown_mention_shows_it_as_written(agenda, bob):
    comment = Comment.objects.create(agenda=agenda, author=bob, body="Vraag het @onbekend *nu*")
    assert str(comment_html(comment)) == "<p>Vraag het @onbekend <em>nu</em></p>"


@pytest.mark.django_db
def test_the_page_and_the_api_show_the_highlight(client, agenda, bob, victor):
    comment_create(agenda=agenda, actor=bob, body="Hoi @victor")
    client.force_login(victor)
    page = client.get(f"/agendas/{agenda.pk}/").content.decode()
    assert '<p>Hoi <span class="ka-mention">@Victor</span></p>' in page
    assert "agendas/mentions" in page  # the suggestions' script
    data = client.get(f"/api/v1/agendas/{agenda.pk}/comments/").json()
    assert data["results"][0]["body_html"] == '<p>Hoi <span class="ka-mention">@Victor</span></p>'
    assert data["results"][0]["body"] == "Hoi @victor"
