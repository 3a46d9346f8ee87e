"""The coalition pages: /coalities/ and /coalities/<slug>/.

Who sees what:
- members (coordinator alice, editor bob, viewer victor) see the coalition,
  its organisations and its people with their roles;
- oversight roles (rijk_official, review_chair, data_steward) see every
  coalition and its organisations, but only a count of its people;
- everyone else who is logged in (charlie, a plain reviewer) is an outsider:
  the list is empty and the detail page is a 404, so they do not learn which
  coalitions exist;
- anonymous visitors are sent to the login page.
"""

import csv
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.html import escape

from coalitions import services
from coalitions.models import CoalitionMembership
from tests.factories import make_coalition, make_user

DATA = Path(settings.BASE_DIR) / "regions" / "data"
OVERSIGHT_ROLES = ["rijk_official", "review_chair", "data_steward"]
MEMBERS = [("alice", "Coördinator"), ("bob", "Redacteur"), ("victor", "Lezer")]
PEOPLE_ROW = re.compile(
    r'<tr class="utrecht-table__row">\s*<td class="utrecht-table__cell">([^<]*)</td>\s*'
    r'<td class="utrecht-table__cell">([^<]*)</td>\s*<td class="utrecht-table__cell">([^<]*)</td>'
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def municipalities_of_cr01() -> list[dict[str, str]]:
    with open(DATA / "gemeenten.csv", encoding="utf-8") as f:
        return sorted((row for row in csv.DictReader(f) if row["corop_code"] == "CR01"), key=lambda row: row["gm_code"])


def organisations_of_cr01() -> list[str]:
    """The factory gives the coalition one organisation per municipality of COROP CR01."""
    return sorted(f"Gemeente {row['gm_name']}" for row in municipalities_of_cr01())


def people(content: str) -> list[tuple[str, str, str]]:
    return [tuple(cell.strip() for cell in row) for row in PEOPLE_ROW.findall(content)]


# --- anonymous -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/coalities/", "/coalities/oost-groningen/", "/coalities/bestaat-niet/"])
def test_it_sends_anonymous_visitors_to_the_login_page(client, coalition, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == f"/account/login/?next={path}"


# --- outsiders ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, "reviewer"])
def test_it_hides_the_coalition_from_outsiders(client, coalition, role):
    client.force_login(make_user("outsider", role=role))
    response = client.get("/coalities/")
    assert response.status_code == 200
    assert list(response.context["coalitions"]) == []
    content = response.content.decode()
    assert coalition.name not in content
    assert coalition.slug not in content
    assert "U bent (nog) geen lid van een coalitie." in content
    assert client.get(f"/coalities/{coalition.slug}/").status_code == 404


@pytest.mark.django_db
def test_it_gives_outsiders_the_same_404_for_existing_and_unknown_coalitions(client, coalition, charlie):
    client.force_login(charlie)
    existing = client.get(f"/coalities/{coalition.slug}/")
    unknown = client.get("/coalities/bestaat-niet/")
    assert existing.status_code == unknown.status_code == 404
    assert coalition.name not in existing.content.decode()


@pytest.mark.django_db
def test_it_shows_members_only_their_own_coalitions(client, coalition, alice):
    other = make_coalition(coordinator=make_user("dora"), slug="delfzijl", region_code="CR02")
    client.force_login(alice)
    response = client.get("/coalities/")
    assert [c.slug for c in response.context["coalitions"]] == [coalition.slug]
    assert other.name not in response.content.decode()
    assert client.get(f"/coalities/{other.slug}/").status_code == 404


@pytest.mark.django_db
def test_it_takes_the_coalition_away_from_a_removed_member(client, coalition, alice, victor):
    client.force_login(victor)
    assert client.get(f"/coalities/{coalition.slug}/").status_code == 200
    services.coalition_remove_member(membership=CoalitionMembership.objects.get(user=victor), actor=alice)
    assert client.get(f"/coalities/{coalition.slug}/").status_code == 404
    assert coalition.name not in client.get("/coalities/").content.decode()


# --- members -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["alice", "bob", "victor"])
def test_it_lists_the_coalition_for_its_members(client, coalition, request, username):
    client.force_login(request.getfixturevalue(username))
    response = client.get("/coalities/")
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<a class="utrecht-link utrecht-link--html-a" href="/coalities/{coalition.slug}/">{coalition.name}</a>' in (
        content
    )
    assert '<a class="utrecht-link utrecht-link--html-a" href="/regios/CR01/">Oost-Groningen</a>' in content
    numbers = re.findall(r'<td class="utrecht-table__cell utrecht-table__cell--numeric">(\d+)</td>', content)
    assert numbers == [str(len(organisations_of_cr01())), str(len(MEMBERS))]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["alice", "bob", "victor"])
def test_it_shows_members_the_people_and_their_roles(client, coalition, request, username):
    client.force_login(request.getfixturevalue(username))
    response = client.get(f"/coalities/{coalition.slug}/")
    assert response.status_code == 200
    assert response.context["show_people"] is True
    content = response.content.decode()
    assert f'<h1 class="utrecht-heading-1">{coalition.name}</h1>' in content
    # The factory lets every member represent the municipality with the lowest code.
    first_organisation = f"Gemeente {municipalities_of_cr01()[0]['gm_name']}"
    # Ordered by role code (coordinator, editor, viewer), then name.
    assert people(content) == [(name.capitalize(), first_organisation, role) for name, role in MEMBERS]
    for organisation in organisations_of_cr01():
        assert f"{escape(organisation)} <span" in content


@pytest.mark.django_db
def test_it_answers_404_for_an_unknown_coalition(client, coalition, alice):
    client.force_login(alice)
    assert client.get("/coalities/bestaat-niet/").status_code == 404


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
    client.force_login(make_user("toezicht", role=role))
    response = client.get("/coalities/")
    assert response.status_code == 200
    assert sorted(c.slug for c in response.context["coalitions"]) == sorted([coalition.slug, other.slug])
    assert coalition.name in response.content.decode() and other.name in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*OVERSIGHT_ROLES, "superuser"])
def test_it_shows_oversight_roles_the_organisations_but_only_a_count_of_people(client, coalition, role):
    """A superuser who is not a member is no exception: people are for members (permissions.can_see_people)."""
    client.force_login(make_overseer(role))
    response = client.get(f"/coalities/{coalition.slug}/")
    assert response.status_code == 200
    assert response.context["show_people"] is False
    content = response.content.decode()
    assert f'<h1 class="utrecht-heading-1">{coalition.name}</h1>' in content
    for organisation in organisations_of_cr01():
        assert f"{escape(organisation)} <span" in content
    assert f"{len(MEMBERS)} personen werken in deze coalitie." in content
    assert people(content) == []
    assert "Leden en rollen</caption>" not in content
    for username, _role in MEMBERS:
        assert username.capitalize() not in content
