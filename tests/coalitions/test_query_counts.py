"""The number of queries of every coalition and organisation page and API endpoint does not grow with the data.

Each test measures one URL at two data sizes (SMALL and LARGE regions,
coalitions, organisations, members, ...) and asserts the same, exact count for
both; the comment above each count names the queries. On failure the SQL of
both runs is printed.

Every measurement is preceded by one unmeasured request to the same URL, so
process-wide caches (content types) are warm and both sizes are measured in
the same state. The region pages also cache the data snapshot and the map:
those are measured warm (after that request) and cold (cache cleared after it).
"""

import pytest

from coalitions.models import Organisation
from tests.factories import make_user
from tests.helpers import (
    add_coalitions,
    add_organisations,
    api_count,
    api_token,
    assert_counts,
    custom_region,
    grow_coalition,
    measure,
)

SMALL, LARGE = 1, 6

# Query names used in the comments below.
# session, user    the session row and the logged-in user (SessionMiddleware, AuthenticationMiddleware)
# token            the API key's row with its user (accounts.api_tokens.ApiTokenAuthentication)
# groups           the user's group names (permissions.has_global_role, once per request)
# perms-user/group guardian's object permissions of the user / of their groups (one has_perm)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- coalitions on a region page ----------------------------------------------------------------


def region_coalitions(response) -> int:
    """How many coalitions the region page's coalitions panel listed."""
    (panel,) = [p for p in response.context["panels"] if p.template == "coalitions/includes/region_panel.html"]
    return len(panel.context["coalitions"])


@pytest.mark.django_db
def test_it_shows_a_region_with_its_coalitions_in_constant_queries(client, alice):
    custom_region(4)
    client.force_login(alice)
    add_coalitions(SMALL, coordinator=alice, region_code="RG-QUERY")
    small_response, small = measure(client, "/regios/RG-QUERY/")
    add_coalitions(LARGE - SMALL, coordinator=alice, region_code="RG-QUERY")
    large_response, large = measure(client, "/regios/RG-QUERY/")
    assert (region_coalitions(small_response), region_coalitions(large_response)) == (SMALL, LARGE)
    # the 7 of the anonymous warm page (4 + the public record: published advice, approved decisions; the
    # regiotoets panel: no entry affects the region), plus session, user, groups (read once for the
    # coalitions' visibility and the import link), the unread notifications, the region's visible
    # coalitions and their agendas (prefetch)
    assert_counts(small, large, 13)


# --- coalition pages ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # session, user, groups, whether the user coordinates a coalition (can_start_coalition:
        # the link to start one), unread notifications, the coalitions with a view_coalition
        # permission (guardian subquery) with counts and region
        (None, 6),
        # session, user, groups, coordinates one, unread notifications, all coalitions with
        # counts and region
        ("rijk_official", 6),
        ("review_chair", 6),
        ("data_steward", 6),
    ],
)
def test_it_lists_coalitions_in_constant_queries(client, alice, bob, victor, role, expected):
    user = alice if role is None else make_user("toezicht", role=role)
    client.force_login(user)
    add_coalitions(SMALL, coordinator=alice, editor=bob, viewer=victor)
    small_response, small = measure(client, "/coalities/")
    add_coalitions(LARGE - SMALL, coordinator=alice, editor=bob, viewer=victor)
    large_response, large = measure(client, "/coalities/")
    assert (len(small_response.context["coalitions"]), len(large_response.context["coalitions"])) == (SMALL, LARGE)
    assert_counts(small, large, expected)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # session, user, coalition by slug, groups, perms-user, perms-group (can_view_coalition),
        # the coalition with region, its organisations, its memberships, perms-user (the
        # member's own permissions: show_people and agenda creation), the coalition's recent
        # events with their actors, unread notifications, the coalition's agendas
        (None, 13),
        # session, user, coalition by slug, groups, the coalition with region, its organisations,
        # its memberships, perms-user (show_people), unread notifications
        ("rijk_official", 9),
        ("review_chair", 9),
        ("data_steward", 9),
    ],
)
def test_it_shows_a_coalition_in_constant_queries(client, coalition, alice, role, expected):
    client.force_login(alice if role is None else make_user("toezicht", role=role))
    url = f"/coalities/{coalition.slug}/"
    small_response, small = measure(client, url)
    grow_coalition(coalition, alice, LARGE)
    large_response, large = measure(client, url)
    small_coalition, large_coalition = small_response.context["coalition"], large_response.context["coalition"]
    assert len(large_coalition.member_organisations.all()) - len(small_coalition.member_organisations.all()) == LARGE
    assert len(large_coalition.memberships.all()) - len(small_coalition.memberships.all()) == LARGE
    assert_counts(small, large, expected)


# --- coalitions API ---------------------------------------------------------------------------------


def authenticate(client, user, how: str) -> dict:
    """Request headers for ``user``: a session cookie or a DRF token."""
    if how == "session":
        client.force_login(user)
        return {}
    return {"HTTP_AUTHORIZATION": f"Token {api_token(user)}"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "how", "expected"),
    [
        # token, groups, count, the page of coalitions with counts and region
        (None, "token", 4),
        # session, user, groups, count, the page
        (None, "session", 5),
        # token, groups, count, the page
        ("rijk_official", "token", 4),
    ],
)
def test_it_lists_coalitions_in_the_api_in_constant_queries(client, alice, bob, victor, role, how, expected):
    headers = authenticate(client, alice if role is None else make_user("toezicht", role=role), how)
    add_coalitions(SMALL, coordinator=alice, editor=bob, viewer=victor)
    small_response, small = measure(client, "/api/v1/coalitions/", **headers)
    add_coalitions(LARGE - SMALL, coordinator=alice, editor=bob, viewer=victor)
    large_response, large = measure(client, "/api/v1/coalitions/", **headers)
    assert (api_count(small_response), api_count(large_response)) == (SMALL, LARGE)
    assert_counts(small, large, expected)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "how", "expected"),
    [
        # token, groups; the coalition among the visible ones, perms-user, perms-group, the
        # coalition with region, its organisations, its memberships; then perms-user for
        # show_people (coalitions.permissions.can_see_people, the page's rule; has_perm()
        # asked the group permissions too): 2 + 6 + 1
        (None, "token", 9),
        # session and user instead of the token
        (None, "session", 10),
        # token, groups; the coalition, the coalition with region, organisations,
        # memberships; then perms-user for show_people: 2 + 4 + 1
        ("rijk_official", "token", 7),
    ],
)
def test_it_shows_a_coalition_in_the_api_in_constant_queries(client, coalition, alice, role, how, expected):
    headers = authenticate(client, alice if role is None else make_user("toezicht", role=role), how)
    url = f"/api/v1/coalitions/{coalition.slug}/"
    small_response, small = measure(client, url, **headers)
    grow_coalition(coalition, alice, LARGE)
    large_response, large = measure(client, url, **headers)
    assert len(large_response.json()["organisations"]) - len(small_response.json()["organisations"]) == LARGE
    assert_counts(small, large, expected)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("how", "expected"),
    [
        # token; count; the organisations with region
        ("token", 3),
        # session, user; count; the organisations with region
        ("session", 4),
    ],
)
def test_it_lists_organisations_in_the_api_in_constant_queries(client, charlie, how, expected):
    headers = authenticate(client, charlie, how)
    add_organisations(SMALL)
    small_response, small = measure(client, "/api/v1/organisations/", **headers)
    add_organisations(LARGE - SMALL)
    large_response, large = measure(client, "/api/v1/organisations/", **headers)
    assert (api_count(small_response), api_count(large_response)) == (SMALL, LARGE)
    assert_counts(small, large, expected)


@pytest.mark.django_db
def test_it_shows_an_organisation_in_the_api_in_constant_queries(client, charlie):
    headers = authenticate(client, charlie, "token")
    add_organisations(SMALL)
    first = Organisation.objects.order_by("pk").first()
    _, small = measure(client, f"/api/v1/organisations/{first.pk}/", **headers)
    add_organisations(LARGE - SMALL)
    _, large = measure(client, f"/api/v1/organisations/{first.pk}/", **headers)
    # token; the organisation with region
    assert_counts(small, large, 2)
