"""The goal catalogues (/doelen/) and the data steward's pages for national goals.

The catalogue page is public. Only data stewards add and edit national
transitions; other logged-in people get 403, anonymous visitors the login
page. SDG and EU goals come from files and have no edit page.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from accounts.models import GlobalRole
from activity.models import Event
from goals import services as goal_services
from goals.models import Goal
from tests.factories import make_user

NEW_GOAL = {
    "code": "digitalisering",
    "short_nl": "Digitalisering",
    "short_en": "Digitalisation",
    "title_nl": "Snel internet in elke kern.",
    "title_en": "",
    "is_active": "on",
}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def steward(db):
    return make_user("dirk", role=GlobalRole.DATA_STEWARD)


def national(code: str) -> Goal:
    return Goal.objects.get(catalogue="national", code=code)


def details_summaries(content: str) -> list[str]:
    return re.findall(r'<summary class="ka-goal__summary"><strong>([^<]+)</strong>', content)


# --- the catalogue page ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_catalogues_are_public(client):
    response = client.get("/doelen/")
    assert response.status_code == 200
    content = response.content.decode()
    summaries = details_summaries(content)
    assert [s for s in summaries if s.startswith("SDG")] == [f"SDG {n}" for n in range(1, 18)]
    # the five policy objectives, and the Just Transition Fund's own objective
    assert [s for s in summaries if s.startswith("EU")] == [
        "EU PO1",
        "EU PO2",
        "EU PO3",
        "EU PO4",
        "EU PO5",
        "EU JSO8.1",
    ]
    # targets are inside the goal's <details>
    sdg3 = content.split("<strong>SDG 3</strong>")[1].split("</details>")[0]
    assert "<strong>3.4</strong>" in sdg3 and "<strong>4.1</strong>" not in sdg3
    assert "Energietransitie" in content and "Onderwijs" in content
    # no editing for the public
    assert "Nieuwe nationale transitie" not in content and "/doelen/nationaal/" not in content
    assert "open-sdg" in content and "onofficiële vertalingen" in content


@pytest.mark.django_db
def test_unverified_eu_text_is_marked_and_sources_are_shown(client):
    content = client.get("/doelen/").content.decode()
    po1 = content.split("<strong>EU PO1</strong>")[1].split("</summary>")[0]
    po3 = content.split("<strong>EU PO3</strong>")[1].split("</summary>")[0]
    assert "tekst niet gecontroleerd" not in po1
    assert "tekst niet gecontroleerd" in po3
    assert "Regulation (EU) 2021/1060 Art. 5(1)" in content
    # English text inside a Dutch page is marked as English for screen readers.
    assert '<span lang="en">a more connected Europe by enhancing mobility</span>' in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, present, absent",
    [
        ("3.4", ["SDG 3"], ["SDG 1", "EU PO1"]),
        ("armoede", ["SDG 1"], ["SDG 3", "EU PO2"]),  # Dutch text
        ("poverty", ["SDG 1"], ["SDG 3"]),  # English text
        ("PO2", ["EU PO2"], ["SDG 1", "EU PO1"]),
        ("energietransitie", [], ["SDG 1", "EU PO1"]),
    ],
)
def test_it_searches_code_and_text_in_both_languages(client, query, present, absent):
    response = client.get("/doelen/", {"q": query})
    content = response.content.decode()
    summaries = details_summaries(content)
    for label in present:
        assert label in summaries
    for label in absent:
        assert label not in summaries
    assert f"gevonden voor “{query}”" in content


@pytest.mark.django_db
def test_a_search_on_a_target_shows_only_matching_targets_and_opens_the_goal(client):
    content = client.get("/doelen/", {"q": "3.4"}).content.decode()
    assert '<details class="ka-goal" open>' in content
    assert "<strong>3.4</strong>" in content and "<strong>3.1</strong>" not in content
    assert "Energietransitie" not in content


@pytest.mark.django_db
def test_a_search_for_script_is_escaped(client):
    attack = "<script>alert(1)</script>"
    response = client.get("/doelen/", {"q": attack})
    assert response.status_code == 200
    assert attack not in response.content.decode()
    assert escape(attack) in response.content.decode()


@pytest.mark.django_db
def test_stewards_see_the_create_and_edit_links_for_national_goals_only(client, steward):
    client.force_login(steward)
    content = client.get("/doelen/").content.decode()
    assert 'href="/doelen/nationaal/nieuw/"' in content
    edit_links = set(re.findall(r'href="/doelen/nationaal/(\d+)/"', content))
    assert edit_links == {str(pk) for pk in Goal.objects.filter(catalogue="national").values_list("pk", flat=True)}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, GlobalRole.RIJK_OFFICIAL, GlobalRole.REVIEWER])
def test_others_do_not_see_edit_links(client, role):
    client.force_login(make_user("someone", role=role))
    content = client.get("/doelen/").content.decode()
    assert "Nieuwe nationale transitie" not in content and "/doelen/nationaal/" not in content


@pytest.mark.django_db
def test_inactive_goals_are_hidden_from_the_public_but_shown_to_stewards(client, steward):
    goal_services.national_goal_update(
        goal_id=national("wonen").pk,
        actor=steward,
        code="wonen",
        short_nl="Wonen en woningbouw",
        short_en="Housing",
        title_nl="",
        title_en="",
        is_active=False,
    )
    assert "Wonen en woningbouw" not in client.get("/doelen/").content.decode()
    client.force_login(steward)
    content = client.get("/doelen/").content.decode()
    assert "Wonen en woningbouw" in content and "niet actief" in content


# --- editing: access ---------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitors_go_to_the_login_page(client):
    for url in ("/doelen/nationaal/nieuw/", f"/doelen/nationaal/{national('energie').pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/account/login/?next=")
        assert client.post(url, NEW_GOAL).status_code == 302
    assert not Goal.objects.filter(code="digitalisering").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, GlobalRole.RIJK_OFFICIAL, GlobalRole.REVIEWER, GlobalRole.REVIEW_CHAIR])
def test_other_logged_in_people_get_403(client, role, coalition, alice):
    for user in (make_user("someone", role=role), alice):
        client.force_login(user)
        energie = national("energie")
        assert client.get("/doelen/nationaal/nieuw/").status_code == 403
        assert client.post("/doelen/nationaal/nieuw/", NEW_GOAL).status_code == 403
        assert client.get(f"/doelen/nationaal/{energie.pk}/").status_code == 403
        assert client.post(f"/doelen/nationaal/{energie.pk}/", NEW_GOAL).status_code == 403
    assert not Goal.objects.filter(code="digitalisering").exists()
    assert national("energie").short_nl == "Energietransitie"


@pytest.mark.django_db
def test_sdg_and_eu_goals_cannot_be_edited(client, steward):
    client.force_login(steward)
    for goal in (Goal.objects.get(catalogue="sdg", code="3"), Goal.objects.get(catalogue="eu", code="PO1")):
        assert client.get(f"/doelen/nationaal/{goal.pk}/").status_code == 404
        assert client.post(f"/doelen/nationaal/{goal.pk}/", NEW_GOAL).status_code == 404
    assert Goal.objects.get(catalogue="sdg", code="3").short_nl != "Digitalisering"


# --- editing: the steward ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_steward_adds_a_national_transition(client, steward):
    client.force_login(steward)
    form = client.get("/doelen/nationaal/nieuw/")
    assert form.status_code == 200
    html = form.content.decode()
    for name in ("code", "short_nl", "short_en", "title_nl", "title_en", "is_active"):
        assert f'for="id_{name}"' in html
    response = client.post("/doelen/nationaal/nieuw/", NEW_GOAL)
    assert response.status_code == 302 and response.url == "/doelen/"
    goal = national("digitalisering")
    assert (goal.short_nl, goal.short_en, goal.title_nl, goal.is_active) == (
        "Digitalisering",
        "Digitalisation",
        "Snel internet in elke kern.",
        True,
    )
    assert goal.position > national("onderwijs-arbeidsmarkt").position
    event = Event.objects.get(verb="goal.national_created")
    assert (event.actor, event.target_id) == (steward, str(goal.pk))
    assert "Digitalisering" in client.get("/doelen/").content.decode()


@pytest.mark.django_db
def test_a_steward_edits_a_national_goal(client, steward):
    client.force_login(steward)
    energie = national("energie")
    form = client.get(f"/doelen/nationaal/{energie.pk}/").content.decode()
    assert 'value="Energietransitie"' in form
    data = {"code": "energie", "short_nl": "Energietransitie en netcongestie", "short_en": "Energy transition"}
    response = client.post(f"/doelen/nationaal/{energie.pk}/", data)
    assert response.status_code == 302
    energie.refresh_from_db()
    assert energie.short_nl == "Energietransitie en netcongestie"
    assert energie.is_active is False  # an unticked checkbox
    event = Event.objects.get(verb="goal.national_updated")
    assert set(event.data["changed"]) == {"short_nl", "is_active"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"code": "energie"}, "code", "al in gebruik"),
        ({"code": "ENERGIE"}, "code", "kleine letters"),
        ({"code": "Energie"}, "code", "kleine letters"),
        ({"code": "met spatie"}, "code", "kleine letters"),
        ({"code": ""}, "code", "vereist"),
        ({"code": "x" * 25}, "code", "niet meer dan 24 tekens"),
        ({"short_nl": ""}, "short_nl", "vereist"),
        ({"short_nl": "   "}, "short_nl", "vereist"),
        ({"title_nl": "x" * 1001}, "title_nl", "niet meer dan 1000 tekens"),
    ],
)
def test_bad_input_shows_inline_errors_and_saves_nothing(client, steward, changes, field, message):
    client.force_login(steward)
    before = Goal.objects.count()
    response = client.post("/doelen/nationaal/nieuw/", {**NEW_GOAL, **changes})
    assert response.status_code == 200
    content = response.content.decode()
    assert "utrecht-form-field--invalid" in content
    assert f'href="#id_{field}"' in content  # the error summary links to the field
    assert message in content
    assert Goal.objects.count() == before


@pytest.mark.django_db
def test_the_service_refuses_a_duplicate_code_case_insensitively(steward):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        goal_services.national_goal_create(actor=steward, code="wonen", short_nl="Nog eens wonen")
    assert "code" in error.value.message_dict
    goal_services.national_goal_create(actor=steward, code="ruimte", short_nl="Ruimte")
    assert national("ruimte").short_nl == "Ruimte"


@pytest.mark.django_db
def test_renaming_to_an_existing_code_is_refused(client, steward):
    client.force_login(steward)
    energie = national("energie")
    response = client.post(f"/doelen/nationaal/{energie.pk}/", {**NEW_GOAL, "code": "wonen"})
    assert response.status_code == 200
    assert "al in gebruik" in response.content.decode()
    energie.refresh_from_db()
    assert energie.code == "energie"


@pytest.mark.django_db
def test_national_goal_names_are_escaped(client, steward):
    attack = "<img src=x onerror=alert(1)>"
    goal_services.national_goal_create(actor=steward, code="xss", short_nl=attack, title_nl="<script>alert(1)</script>")
    content = client.get("/doelen/").content.decode()
    assert attack not in content and "<script>alert(1)</script>" not in content
    assert escape(attack) in content


# --- queries -----------------------------------------------------------------------------


def capture(client, url):
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in context.captured_queries]


@pytest.mark.django_db
def test_the_catalogue_page_uses_a_constant_number_of_queries(client, steward):
    anonymous_small = capture(client, "/doelen/")
    client.force_login(steward)
    small = capture(client, "/doelen/")
    for n in range(15):
        goal_services.national_goal_create(actor=steward, code=f"extra-{n}", short_nl=f"Extra {n}")
    large = capture(client, "/doelen/")
    client.logout()
    anonymous_large = capture(client, "/doelen/")
    # the top-level goals; their targets
    assert len(anonymous_small) == len(anonymous_large) == 2, "\n".join(anonymous_large)
    # session, user, groups (steward check, cached for the data link), the goals, their
    # targets, the unread notifications count
    assert len(small) == len(large) == 6, "\n".join(large)
