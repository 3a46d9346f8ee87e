"""What many test modules share: counting queries, printing them when a count changes, growing data.

A query-count test measures a URL at two data sizes and asserts the same,
exact count for both (``tests/regions/test_query_counts.py`` is the model). When the
count changes, the assertion message lists every SQL statement of both runs,
so the new query is found at a glance.
"""

from __future__ import annotations

import csv
import time
from decimal import Decimal
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.api_tokens import api_token_create
from coalitions import services as coalition_services
from coalitions.models import Coalition, CoalitionRole, Organisation
from core import public_cache
from regions import services as region_services
from regions.models import Dataset, Indicator, IndicatorValue, Region, Theme
from regions.selectors import forget_snapshots
from tests.factories import make_coalition, make_organisation, make_user


def measure(client, url: str, *, cold: bool = False, **extra):
    """(response, SQL of each query) of one GET, after an unmeasured warm-up GET.

    The warm-up fills process-wide caches (content types, the CBS data
    snapshot), so both data sizes are measured in the same state; ``cold``
    clears Django's cache after it, to measure a page's cache miss. The view's
    own work is counted: a public page does not answer from its stored
    response here (what that costs: tests/kansenagenda/test_public_cache_pages.py).
    """
    with mock.patch.object(public_cache, "enabled", return_value=False):
        assert client.get(url, **extra).status_code == 200
        if cold:
            cache.clear()
            forget_snapshots()
        with CaptureQueriesContext(connection) as context:
            response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response, [query["sql"] for query in context.captured_queries]


def listing(name: str, queries: list[str]) -> str:
    """The queries numbered, under a heading with their count: for assertion messages."""
    return f"\n{name}: {len(queries)} queries\n" + "\n".join(f"{i:3}. {sql}" for i, sql in enumerate(queries, 1))


def assert_counts(small: list[str], large: list[str], expected: int) -> None:
    """The same, expected number of queries at both data sizes; else both lists of SQL."""
    assert len(small) == len(large) == expected, (
        f"expected {expected} queries at both sizes" + listing("SMALL", small) + listing("LARGE", large)
    )


# --- data for the query-count tests: each grower adds ``n`` more ----------------------------------


def municipality_codes() -> list[str]:
    with open(Path(settings.BASE_DIR) / "regions" / "data" / "gemeenten.csv", encoding="utf-8") as f:
        return sorted(row["gm_code"] for row in csv.DictReader(f))


MUNICIPALITIES = municipality_codes()


def api_token(user) -> str:
    """A new API key for ``user``, made by the app's own service (accounts.api_tokens), for ``Authorization: Token``."""
    _row, key = api_token_create(user=user)
    return key


def verify_with_code(client, user) -> None:
    """Log ``client`` in as ``user`` and verify the session the way a person does: a code on the code page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Telefoon", confirmed=True
    )
    client.force_login(user)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    response = client.post(reverse("two_factor:verify"), {"code": f"{code:0{device.digits}d}"})
    assert response.status_code == 302, response.content.decode()


def api_count(response) -> int:
    return response.json()["count"]


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


# One person per global role that manages people, plus a coordinator and an outsider: the rows of
# the permission tables of the pool and officials pages (``people[name]``).
GLOBAL_ROLE_PEOPLE = {
    "chair": "review_chair",
    "platform_admin": "platform_admin",
    "programme_admin": "programme_admin",
    "official": "rijk_official",
    "reviewer": "reviewer",
    "coordinator": None,  # alice, coordinator of ``coalition``
    "outsider": None,
}


KWB_FILE = Path(settings.BASE_DIR) / "regions" / "data" / "cbs" / "kwb2023_gemeenten.csv"


KWB_SOURCE = "cbs-85618-kwb-2023"


def kwb_source() -> dict:
    """The KWB entry of the indicator mapping (what ``regions.importers.import_source`` takes)."""
    from regions import importers

    return next(s for s in importers.load_mapping()["sources"] if s["key"] == KWB_SOURCE)


def changed_kwb() -> bytes:
    """The real KWB file with one value changed (GM0114's distance to a GP: 9.9): a new version when imported."""
    text = KWB_FILE.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("GM0114,"))
    fields = row.split(",")
    fields[26] = "9.9"
    return text.replace(row, ",".join(fields)).encode()


def wait_for(condition, *, timeout: float = 60, interval: float = 0.1):
    """``condition()``'s first true result, polled every ``interval`` s; AssertionError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"not within {timeout} s")
