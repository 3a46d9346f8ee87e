"""The coalition API: /api/v1/coalitions/, /api/v1/coalitions/<slug>/ and /api/v1/organisations/.

Same rules as the pages (see test_coalition_pages.py): members see the people,
oversight roles see the coalition and its organisations but an empty
``members`` list, outsiders see nothing (404), anonymous callers are refused.
"""

import csv
from pathlib import Path

import pytest
from django.conf import settings

from coalitions.models import Coalition, CoalitionMembership, CoalitionOrganisation, Organisation
from tests.factories import make_coalition, make_user
from tests.helpers import api_token

DATA = Path(settings.BASE_DIR) / "regions" / "data"
OVERSIGHT_ROLES = ["rijk_official", "review_chair", "data_steward"]
URLS = ["/api/v1/coalitions/", "/api/v1/coalitions/oost-groningen/", "/api/v1/organisations/"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def municipalities_of_cr01() -> list[dict[str, str]]:
    with open(DATA / "gemeenten.csv", encoding="utf-8") as f:
        return sorted((row for row in csv.DictReader(f) if row["corop_code"] == "CR01"), key=lambda row: row["gm_code"])


def expected_organisations() -> list[dict]:
    """The factory adds one municipality organisation per municipality of CR01."""
    return sorted(
        (
            {"name": f"Gemeente {row['gm_name']}", "kind": "municipality", "region": row["gm_code"], "website": ""}
            for row in municipalities_of_cr01()
        ),
        key=lambda organisation: organisation["name"],
    )


def without_ids(organisations: list[dict]) -> list[dict]:
    return [{key: value for key, value in o.items() if key != "id"} for o in organisations]


def token_client(client, user):
    """The test client authenticated with a DRF token only (no session)."""
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {api_token(user)}"
    return client


# --- anonymous ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_it_refuses_anonymous_callers(client, coalition, url):
    response = client.get(url)
    assert response.status_code in (401, 403)
    assert coalition.name not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_it_refuses_a_wrong_token(client, coalition, url):
    response = client.get(url, HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert response.status_code in (401, 403)
    assert coalition.name not in response.content.decode()


# --- outsiders ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, "reviewer"])
def test_it_hides_the_coalition_from_outsiders(client, coalition, role):
    client.force_login(make_user("outsider", role=role))
    response = client.get("/api/v1/coalitions/")
    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}
    for url in ["/api/v1/coalitions/", "/api/v1/coalitions/?search=Coalitie", "/api/v1/coalitions/?region__code=CR01"]:
        assert coalition.name not in client.get(url).content.decode()
    detail = client.get(f"/api/v1/coalitions/{coalition.slug}/")
    assert detail.status_code == 404
    assert coalition.name not in detail.content.decode()
    assert detail.json() == client.get("/api/v1/coalitions/bestaat-niet/").json()


@pytest.mark.django_db
def test_it_shows_members_only_their_own_coalitions(client, coalition, alice):
    other = make_coalition(coordinator=make_user("dora"), slug="delfzijl", region_code="CR02")
    client.force_login(alice)
    body = client.get("/api/v1/coalitions/").json()
    assert [c["slug"] for c in body["results"]] == [coalition.slug]
    assert other.name not in client.get("/api/v1/coalitions/").content.decode()
    assert client.get(f"/api/v1/coalitions/{other.slug}/").status_code == 404


# --- members -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["alice", "bob", "victor"])
def test_it_lists_the_coalition_for_its_members(client, coalition, request, username):
    client.force_login(request.getfixturevalue(username))
    response = client.get("/api/v1/coalitions/")
    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "slug": coalition.slug,
                "name": coalition.name,
                "region": "CR01",
                "description": "",
                "organisation_count": len(municipalities_of_cr01()),
                "member_count": 3,
            }
        ],
    }


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["alice", "bob", "victor"])
def test_it_shows_members_the_people_and_their_roles(client, coalition, request, username):
    client.force_login(request.getfixturevalue(username))
    response = client.get(f"/api/v1/coalitions/{coalition.slug}/")
    assert response.status_code == 200
    body = response.json()
    assert (body["slug"], body["name"], body["region"]) == (coalition.slug, coalition.name, "CR01")
    assert without_ids(body["organisations"]) == expected_organisations()
    # The factory lets every member represent the municipality with the lowest code.
    organisation = f"Gemeente {municipalities_of_cr01()[0]['gm_name']}"
    assert body["members"] == [
        {"user": "Alice", "organisation": organisation, "role": "coordinator"},
        {"user": "Bob", "organisation": organisation, "role": "editor"},
        {"user": "Victor", "organisation": organisation, "role": "viewer"},
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member", "oversight"])
def test_it_gives_the_counts_the_schema_promises_on_the_detail(client, coalition, alice, who):
    client.force_login(alice if who == "member" else make_user("toezicht", role="rijk_official"))
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()["components"]["schemas"]["CoalitionDetail"]
    assert {"organisation_count", "member_count"} <= set(schema["required"])
    body = client.get(f"/api/v1/coalitions/{coalition.slug}/").json()
    assert body["organisation_count"] == len(municipalities_of_cr01())
    assert body["member_count"] == 3  # alice, bob and victor; the page shows this count to oversight roles too


@pytest.mark.django_db
def test_it_accepts_token_authentication(client, coalition, victor):
    client = token_client(client, victor)
    listing = client.get("/api/v1/coalitions/")
    assert listing.status_code == 200
    assert [c["slug"] for c in listing.json()["results"]] == [coalition.slug]
    detail = client.get(f"/api/v1/coalitions/{coalition.slug}/")
    assert detail.status_code == 200
    assert [m["user"] for m in detail.json()["members"]] == ["Alice", "Bob", "Victor"]
    assert client.get("/api/v1/organisations/").status_code == 200


@pytest.mark.django_db
def test_it_issues_a_token_for_a_username_and_password(client, coalition, victor):
    from tests.factories import PASSWORD

    response = client.post("/api/v1/auth/token/", {"username": "victor", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    # Stored as a digest and a prefix (tests/accounts/test_api_tokens.py).
    assert token.startswith(victor.auth_token_set.get().token_key)
    detail = client.get(f"/api/v1/coalitions/{coalition.slug}/", HTTP_AUTHORIZATION=f"Token {token}")
    assert detail.status_code == 200
    assert client.post("/api/v1/auth/token/", {"username": "victor", "password": "fout"}).status_code == 400


@pytest.mark.django_db
def test_it_answers_404_for_an_unknown_coalition(client, coalition, alice):
    client.force_login(alice)
    assert client.get("/api/v1/coalitions/bestaat-niet/").status_code == 404


def make_overseer(role: str):
    """A user with an oversight role, or a superuser (no role, not a member)."""
    if role == "superuser":
        user = make_user("toezicht")
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
        return user
    return make_user("toezicht", role=role)


# --- oversight roles -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", OVERSIGHT_ROLES)
def test_it_lists_every_coalition_for_oversight_roles(client, coalition, role):
    other = make_coalition(coordinator=make_user("dora"), slug="delfzijl", region_code="CR02")
    client = token_client(client, make_user("toezicht", role=role))
    body = client.get("/api/v1/coalitions/").json()
    assert body["count"] == 2
    assert sorted(c["slug"] for c in body["results"]) == sorted([coalition.slug, other.slug])
    assert [c["slug"] for c in client.get("/api/v1/coalitions/", {"region__code": "CR02"}).json()["results"]] == [
        other.slug
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*OVERSIGHT_ROLES, "superuser"])
def test_it_shows_oversight_roles_the_organisations_but_not_the_people(client, coalition, role):
    """A superuser who is not a member is no exception (``has_perm`` would have said yes): the page's rule."""
    client.force_login(make_overseer(role))
    response = client.get(f"/api/v1/coalitions/{coalition.slug}/")
    assert response.status_code == 200
    body = response.json()
    assert without_ids(body["organisations"]) == expected_organisations()
    assert body["members"] == []
    content = response.content.decode()
    for name in ["Alice", "Bob", "Victor", "alice", "bob", "victor"]:
        assert name not in content


# --- organisations ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_lists_the_organisation_register_to_logged_in_users(client, coalition, charlie):
    client.force_login(charlie)
    body = client.get("/api/v1/organisations/").json()
    assert body["count"] == Organisation.objects.count() == len(municipalities_of_cr01())
    assert without_ids(body["results"]) == expected_organisations()
    assert coalition.name not in client.get("/api/v1/organisations/").content.decode()
    first = body["results"][0]
    assert client.get(f"/api/v1/organisations/{first['id']}/").json() == first
    assert client.get("/api/v1/organisations/", {"kind": "company"}).json()["count"] == 0


# --- read-only -------------------------------------------------------------------------------


def state() -> tuple:
    return (
        list(Coalition.objects.values_list("slug", "name", "description")),
        list(CoalitionMembership.objects.values_list("user__username", "role")),
        CoalitionOrganisation.objects.count(),
        list(Organisation.objects.values_list("name", "kind")),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/coalitions/"),
        ("put", "/api/v1/coalitions/oost-groningen/"),
        ("patch", "/api/v1/coalitions/oost-groningen/"),
        ("delete", "/api/v1/coalitions/oost-groningen/"),
        ("post", "/api/v1/organisations/"),
        ("delete", "/api/v1/organisations/1/"),
    ],
)
def test_it_is_read_only_even_for_the_coordinator(client, coalition, alice, method, url):
    data = {"slug": "nieuw", "name": "Gekaapt", "region": "CR01", "description": "x", "kind": "other"}
    before = state()
    client = token_client(client, alice)
    assert getattr(client, method)(url, data, content_type="application/json").status_code == 405
    client.defaults.pop("HTTP_AUTHORIZATION")
    assert getattr(client, method)(url, data, content_type="application/json").status_code in (401, 403)
    assert state() == before
