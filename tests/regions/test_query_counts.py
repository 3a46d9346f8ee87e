"""The number of queries of every region and data page and API endpoint does not grow with the data.

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

from tests.helpers import (
    add_custom_regions,
    add_datasets,
    add_indicators,
    add_themes,
    add_values,
    api_count,
    assert_counts,
    custom_region,
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


# --- region pages -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_lists_regions_in_constant_queries(client):
    add_custom_regions(SMALL)
    small_response, small = measure(client, "/regios/?kind=custom")
    add_custom_regions(LARGE - SMALL)
    large_response, large = measure(client, "/regios/?kind=custom")
    assert (small_response.context["page"].paginator.count, large_response.context["page"].paginator.count) == (
        SMALL,
        LARGE,
    )
    # count for the paginator; the page of regions with province and COROP joined
    assert_counts(small, large, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cold", "expected"),
    [
        # region with province and COROP; its member codes (the current datasets, the snapshot
        # and the profile come from the cache); the population values; the member
        # municipalities for the table; the public record panel (published advice, approved
        # decisions: 2); the regiotoets panel (the entries that affect the region: none here)
        (False, 7),
        # the same 7 plus current datasets (2: latest versions, datasets), the snapshot (8:
        # indicators, their themes, themes, latest years, values, municipality codes, the
        # members of COROP areas, provinces and GGD regions, GGD names) plus the map (2:
        # municipality and province boundaries)
        (True, 19),
    ],
    ids=["warm-cache", "cold-cache"],
)
def test_it_shows_a_region_in_constant_queries(client, cold, expected):
    custom_region(2)
    small_response, small = measure(client, "/regios/RG-QUERY/", cold=cold)
    custom_region(7)
    large_response, large = measure(client, "/regios/RG-QUERY/", cold=cold)
    assert (len(small_response.context["members"]), len(large_response.context["members"])) == (2, 7)
    assert_counts(small, large, expected)


@pytest.mark.django_db
def test_it_shows_the_data_page_in_constant_queries(client):
    add_datasets(SMALL)
    add_indicators(SMALL)
    small_response, small = measure(client, "/gegevens/")
    add_datasets(LARGE - SMALL)
    add_indicators(LARGE - SMALL)
    large_response, large = measure(client, "/gegevens/")
    assert len(large_response.context["datasets"]) - len(small_response.context["datasets"]) == LARGE - SMALL
    # datasets with their value counts; indicators; the indicators' themes
    assert_counts(small, large, 3)


# --- regions API ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_lists_regions_in_the_api_in_constant_queries(client):
    add_custom_regions(SMALL)
    small_response, small = measure(client, "/api/v1/regions/?kind=custom")
    add_custom_regions(LARGE - SMALL)
    large_response, large = measure(client, "/api/v1/regions/?kind=custom")
    assert (api_count(small_response), api_count(large_response)) == (SMALL, LARGE)
    # count; the page of regions with province and COROP joined
    assert_counts(small, large, 2)


@pytest.mark.django_db
def test_it_shows_a_region_in_the_api_in_constant_queries(client):
    custom_region(2)
    small_response, small = measure(client, "/api/v1/regions/RG-QUERY/")
    custom_region(7)
    large_response, large = measure(client, "/api/v1/regions/RG-QUERY/")
    assert (len(small_response.json()["municipalities"]), len(large_response.json()["municipalities"])) == (2, 7)
    # the region with province and COROP; its municipalities (prefetch)
    assert_counts(small, large, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cold", "expected"),
    [
        # region; its member codes (datasets, snapshot and profile come from the cache)
        (False, 2),
        # the same 2 plus current datasets (2) and the snapshot (8, see the region page)
        (True, 12),
    ],
    ids=["warm-cache", "cold-cache"],
)
def test_it_gives_a_profile_in_constant_queries(client, cold, expected):
    custom_region(2)
    _, small = measure(client, "/api/v1/regions/RG-QUERY/profile/", cold=cold)
    custom_region(7)
    _, large = measure(client, "/api/v1/regions/RG-QUERY/profile/", cold=cold)
    assert_counts(small, large, expected)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "grow", "expected"),
    [
        # count; the themes
        ("/api/v1/themes/", add_themes, 2),
        # count; indicators with weight, numerator and denominator joined; their themes
        ("/api/v1/indicators/?search=query-", add_indicators, 3),
        # count; the datasets
        ("/api/v1/datasets/?source_key=query-bron", add_datasets, 2),
        # count; the values with indicator, region and dataset joined
        ("/api/v1/values/?source=query-values", add_values, 2),
    ],
    ids=["themes", "indicators", "datasets", "values"],
)
def test_it_lists_data_in_the_api_in_constant_queries(client, url, grow, expected):
    grow(SMALL)
    small_response, small = measure(client, url)
    grow(LARGE - SMALL)
    large_response, large = measure(client, url)
    assert api_count(large_response) - api_count(small_response) == LARGE - SMALL
    assert_counts(small, large, expected)
