"""The regions list of the API (GET /api/v1/regions/): pages of up to 400, only the columns it shows.

``?page_size=`` (core.pagination.PageSizePagination) is honoured from 1 to 400, so all 342 municipalities
fit in one page; anything else is a 400 with a field error (DRF's own pagination would silently give 50).
"""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from core import public_cache
from regions.api.serializers import RegionSerializer
from regions.models import Region
from tests.factories import make_user
from tests.helpers import add_custom_regions, assert_counts, measure
from tests.schema_check import answer_errors

pytestmark = pytest.mark.django_db

URL = "/api/v1/regions/"


@pytest.fixture(autouse=True)
def _count_the_view(monkeypatch):
    # The public cache (core.public_cache) answers an anonymous repeat in one query: count the view's own work.
    monkeypatch.setattr(public_cache, "enabled", lambda: False)


def test_all_municipalities_fit_in_one_page(client):
    data = client.get(URL, {"kind": "municipality", "page_size": 400}).json()
    assert data["count"] == len(data["results"]) == 342 and data["next"] is None
    assert len(client.get(URL, {"kind": "municipality"}).json()["results"]) == 50  # the default
    small = client.get(URL, {"kind": "municipality", "page_size": 100, "page": 4}).json()
    assert len(small["results"]) == 42 and small["previous"] and small["next"] is None


@pytest.mark.parametrize("size", ["401", "100000", "0", "-1", "abc", "1.5", "²", " 5"])
def test_a_page_size_outside_one_to_400_is_a_field_error(client, size):
    response = client.get(URL, {"page_size": size})
    assert response.status_code == 400
    assert response.json() == {"page_size": ["Geef een geheel getal van 1 tot en met 400."]}


def test_the_schema_documents_the_page_size_and_its_maximum():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    parameters = {p["name"]: p for p in schema["paths"][URL]["get"]["parameters"]}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 400, "default": 50}
    assert "400" in parameters["page_size"]["description"]


def test_a_row_is_the_region_as_the_api_shows_it_everywhere(client):
    rows = client.get(URL, {"page_size": 400}).json()["results"]
    regions = Region.objects.select_related("province", "corop").order_by("code")[:400]
    assert rows == [dict(row) for row in RegionSerializer(regions, many=True).data]
    assert {row["kind"] for row in rows} >= {"municipality", "corop", "ggd"}
    gm = next(row for row in rows if row["code"] == "GM0014")
    assert (gm["province"], gm["corop"]) == ("PV20", "CR03")


def test_the_schema_describes_the_list_exactly(client):
    data = client.get(URL, {"page_size": 400}).json()
    assert answer_errors(URL, data) == []
    data["results"][0]["extra"] = 1
    assert len(answer_errors(URL, data)) == 1


def test_the_list_is_the_same_for_everyone(client):
    anonymous = client.get(URL, {"page_size": 400}).json()
    client.force_login(make_user("charlie"))
    assert client.get(URL, {"page_size": 400}).json() == anonymous


def test_it_lists_a_full_page_in_constant_queries_without_large_columns(client):
    url = f"{URL}?kind=custom&page_size=400"
    add_custom_regions(2)
    small_response, small = measure(client, url)
    add_custom_regions(60)
    large_response, large = measure(client, url)
    assert (small_response.json()["count"], len(large_response.json()["results"])) == (2, 62)
    # The count; the page of rows (code, name, kind, year and the codes of the province and COROP area).
    assert_counts(small, large, 2)
    for column in ("boundary", "description"):
        assert f'"{column}"' not in large[1]
