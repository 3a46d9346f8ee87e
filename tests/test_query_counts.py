"""The number of queries of every list and detail page and API endpoint does not grow with the data.

Each test measures one URL at two data sizes (SMALL and LARGE regions,
coalitions, organisations, members, ...) and asserts the same, exact count for
both; the comment above each count names the queries. On failure the SQL of
both runs is printed.

Every measurement is preceded by one unmeasured request to the same URL, so
process-wide caches (content types) are warm and both sizes are measured in
the same state. The region pages also cache the data snapshot and the map:
those are measured warm (after that request) and cold (cache cleared after it).
"""

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

from coalitions import services as coalition_services
from coalitions.models import Coalition, CoalitionRole, Organisation
from regions import services as region_services
from regions.models import Dataset, Indicator, IndicatorValue, Region, Theme
from tests.factories import make_coalition, make_organisation, make_user
from tests.helpers import assert_counts, measure

SMALL, LARGE = 1, 6

# Query names used in the comments below.
# session, user    the session row and the logged-in user (SessionMiddleware, AuthenticationMiddleware)
# token            the DRF token with its user (TokenAuthentication)
# groups           the user's group names (permissions.has_global_role, once per request)
# perms-user/group guardian's object permissions of the user / of their groups (one has_perm)


def municipality_codes() -> list[str]:
    with open(Path(settings.BASE_DIR) / "regions" / "data" / "gemeenten.csv", encoding="utf-8") as f:
        return sorted(row["gm_code"] for row in csv.DictReader(f))


MUNICIPALITIES = municipality_codes()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def api_count(response) -> int:
    return response.json()["count"]


# --- data growers: each call adds ``n`` more -------------------------------------------------


def add_custom_regions(n: int) -> None:
    start = Region.objects.filter(kind=Region.Kind.CUSTOM).count()
    for i in range(start, start + n):
        region_services.custom_region_save(
            code=f"RG-Q{i}", name=f"Queryregio {i}", municipality_codes=MUNICIPALITIES[3 * i : 3 * i + 3]
        )


def custom_region(size: int) -> Region:
    """RG-QUERY made of the first ``size`` municipalities (at least two, so the member table shows)."""
    return region_services.custom_region_save(
        code="RG-QUERY", name="Queryregio", municipality_codes=MUNICIPALITIES[:size]
    )


def add_coalitions(n: int, *, coordinator, editor=None, viewer=None, region_code: str | None = None) -> None:
    """``n`` more coalitions, each over its own COROP region (several organisations) unless region_code."""
    start = Coalition.objects.count()
    for i in range(start, start + n):
        make_coalition(
            coordinator=coordinator,
            editor=editor,
            viewer=viewer,
            slug=f"query-{i}",
            region_code=region_code or f"CR{i + 2:02}",
        )


def grow_coalition(coalition, coordinator, n: int) -> None:
    """``n`` more member organisations and ``n`` more people (with alternating roles) in the coalition."""
    present = set(coalition.member_organisations.values_list("organisation__region__code", flat=True))
    codes = [code for code in MUNICIPALITIES if code not in present][:n]
    for i, code in enumerate(codes):
        organisation = make_organisation(code)
        coalition_services.coalition_add_organisation(coalition=coalition, organisation=organisation, actor=None)
        user = make_user(f"lid-{code.lower()}")
        role = CoalitionRole.EDITOR if i % 2 else CoalitionRole.VIEWER
        coalition_services.coalition_set_member(
            coalition=coalition, user=user, organisation=organisation, role=role, actor=coordinator
        )


def add_themes(n: int) -> None:
    start = Theme.objects.count()
    for i in range(start, start + n):
        Theme.objects.create(
            code=f"query-{i}", dimension="later", name_nl=f"Thema {i}", name_en=f"Theme {i}", position=i
        )


def add_indicators(n: int) -> None:
    """Indicators that use every relation the serializers and pages read (themes, weight, ratio parts)."""
    start = Indicator.objects.count()
    inhabitants = Indicator.objects.get(code="inwoners")
    themes = list(Theme.objects.order_by("position")[:2])
    for i in range(start, start + n):
        indicator = Indicator.objects.create(
            code=f"query-{i}",
            name_nl=f"Indicator {i}",
            name_en=f"Indicator {i}",
            unit="%",
            direction=Indicator.Direction.LOWER_IS_BETTER,
            aggregation=Indicator.Aggregation.WEIGHTED_MEAN,
            weight=inhabitants,
            numerator=inhabitants,
            denominator=inhabitants,
        )
        indicator.themes.set(themes)


def add_datasets(n: int) -> None:
    start = Dataset.objects.filter(source_key="query-bron").count()
    for version in range(start + 1, start + n + 1):
        Dataset.objects.create(source_key="query-bron", version=version, title=f"Query {version}", file_name="q.csv")


def add_values(n: int) -> None:
    """``n`` more values of source "query-values", each for another municipality."""
    dataset, _ = Dataset.objects.get_or_create(
        source_key="query-values", version=1, defaults={"title": "Query values", "file_name": "q.csv"}
    )
    indicator = Indicator.objects.get(code="inwoners")
    start = dataset.values.count()
    regions = Region.objects.filter(code__in=MUNICIPALITIES[start : start + n])
    IndicatorValue.objects.bulk_create(
        IndicatorValue(dataset=dataset, indicator=indicator, region=region, year=2023, value=Decimal(i))
        for i, region in enumerate(regions)
    )


def add_organisations(n: int) -> None:
    start = Organisation.objects.count()
    for i in range(start, start + n):
        Organisation.objects.create(
            name=f"Organisatie {i}", kind=Organisation.Kind.COMPANY, region=Region.objects.get(code=MUNICIPALITIES[i])
        )


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
        # municipalities for the table
        (False, 4),
        # the same 4 plus current datasets (2: latest versions, datasets), the snapshot (6:
        # indicators, their themes, themes, latest years, values, municipality codes) plus the
        # map (2: municipality and province boundaries)
        (True, 14),
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
    # the 4 of the anonymous warm page, plus session, user, groups (read once for the
    # coalitions' visibility and the import link), the unread notifications and the
    # region's visible coalitions
    assert_counts(small, large, 9)


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


# --- coalition pages ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # session, user, groups, unread notifications, the coalitions with a view_coalition
        # permission (guardian subquery) with counts and region
        (None, 5),
        # session, user, groups, unread notifications, all coalitions with counts and region
        ("rijk_official", 5),
        ("review_chair", 5),
        ("data_steward", 5),
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
        # member's own permissions: show_people and agenda creation), unread notifications,
        # the coalition's agendas
        (None, 12),
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
        # the same 2 plus current datasets (2) and the snapshot (6, see the region page)
        (True, 10),
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


# --- coalitions API ---------------------------------------------------------------------------------


def authenticate(client, user, how: str) -> dict:
    """Request headers for ``user``: a session cookie or a DRF token."""
    if how == "session":
        client.force_login(user)
        return {}
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=user).key}"}


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
        # coalition with region, its organisations, its memberships; then perms-user,
        # perms-group for show_people: 2 + 6 + 2
        (None, "token", 10),
        # session and user instead of the token
        (None, "session", 11),
        # token, groups; the coalition, the coalition with region, organisations,
        # memberships; then perms-user, perms-group for show_people: 2 + 4 + 2
        ("rijk_official", "token", 8),
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
