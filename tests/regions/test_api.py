"""The public, read-only regions API (/api/v1/): regions, profiles, themes, indicators, datasets, values.

Expected codes, names and figures come from the source files in regions/data.
"""

import csv
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from regions import importers, services
from regions.models import Dataset, Indicator, IndicatorValue, Region, Theme
from tests.factories import make_user
from tests.helpers import api_token

DATA = Path(settings.BASE_DIR) / "regions" / "data"


def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def municipality(code: str) -> dict[str, str]:
    return next(row for row in read_csv("gemeenten.csv") if row["gm_code"] == code)


def all_results(client, url: str, params: dict | None = None) -> list[dict]:
    """Every item of a paginated list, following ``next``."""
    response = client.get(url, params or {})
    assert response.status_code == 200
    body = response.json()
    items = list(body["results"])
    while body["next"]:
        body = client.get(body["next"]).json()
        items += body["results"]
    assert len(items) == response.json()["count"]
    return items


# --- regions -------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_paginates_all_regions(client):
    ggd_regions = {row["ggd_code"] for row in read_csv("ggd/ggd_regios_gemeenten.csv")}
    expected = (
        1
        + len(read_csv("provincies.csv"))
        + len(read_csv("corop.csv"))
        + len(read_csv("gemeenten.csv"))
        + len(ggd_regions)
    )
    body = client.get("/api/v1/regions/").json()
    assert body["count"] == expected
    assert len(body["results"]) == settings.REST_FRAMEWORK["PAGE_SIZE"] < expected
    assert body["previous"] is None and body["next"].endswith("/api/v1/regions/?page=2")
    codes = [region["code"] for region in all_results(client, "/api/v1/regions/")]
    assert codes == sorted(codes) and len(set(codes)) == expected


@pytest.mark.django_db
def test_it_filters_regions_on_kind(client):
    provinces = read_csv("provincies.csv")
    body = client.get("/api/v1/regions/", {"kind": "province"}).json()
    assert body["count"] == len(provinces)
    assert [r["code"] for r in body["results"]] == sorted(row["pv_code"] for row in provinces)
    assert {r["kind"] for r in body["results"]} == {"province"}


@pytest.mark.django_db
def test_it_filters_regions_on_province(client):
    results = all_results(client, "/api/v1/regions/", {"province": "PV20"})
    assert {r["province"] for r in results} == {"PV20"}
    municipalities = sorted(row["gm_code"] for row in read_csv("gemeenten.csv") if row["pv_code"] == "PV20")
    corops = sorted(row["corop_code"] for row in read_csv("corop.csv") if row["pv_code"] == "PV20")
    assert municipalities and corops
    assert sorted(r["code"] for r in results if r["kind"] == "municipality") == municipalities
    assert sorted(r["code"] for r in results if r["kind"] == "corop") == corops
    assert len(results) == len(municipalities) + len(corops)


@pytest.mark.django_db
def test_it_searches_regions_by_name(client):
    emmen = municipality("GM0114")
    body = client.get("/api/v1/regions/", {"search": "Emmen"}).json()
    assert body["count"] == 1
    assert body["results"] == [
        {
            "code": "GM0114",
            "name": emmen["gm_name"],
            "kind": "municipality",
            "classification_year": 2023,
            "province": emmen["pv_code"],
            "corop": emmen["corop_code"],
        }
    ]


@pytest.mark.django_db
def test_it_shows_a_municipality(client):
    emmen = municipality("GM0114")
    response = client.get("/api/v1/regions/GM0114/")
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["name"], body["kind"]) == ("GM0114", emmen["gm_name"], "municipality")
    assert (body["province"], body["corop"]) == (emmen["pv_code"], emmen["corop_code"])
    assert body["municipalities"] == ["GM0114"]


@pytest.mark.django_db
def test_it_lists_the_municipalities_of_a_corop_region_and_a_custom_region(client):
    corop = sorted(row["gm_code"] for row in read_csv("gemeenten.csv") if row["corop_code"] == "CR01")
    assert client.get("/api/v1/regions/CR01/").json()["municipalities"] == corop
    services.custom_region_save(code="RG-TEST", name="Testregio", municipality_codes=["GM0114", "GM0106"])
    body = client.get("/api/v1/regions/RG-TEST/").json()
    assert (body["name"], body["kind"], body["municipalities"]) == ("Testregio", "custom", ["GM0106", "GM0114"])


@pytest.mark.django_db
def test_it_gives_the_profile_of_a_region(client):
    response = client.get("/api/v1/regions/GM0114/profile/")
    assert response.status_code == 200
    profile = response.json()
    mapping = importers.load_mapping()
    assert isinstance(profile["accumulated_deficit"], int)
    assert profile["accumulated_deficit"] == sum(1 for theme in profile["themes"] if theme["lags"] is True)
    assert profile["themes_with_data"] == sum(1 for theme in profile["themes"] if theme["lags"] is not None)
    assert sorted(theme["code"] for theme in profile["themes"]) == sorted(t["code"] for t in mapping["themes"])
    assert set(profile["dataset_versions"]) == {source["key"] for source in mapping["sources"]}
    judged = {i["code"] for i in mapping["indicators"] if i.get("in_profile", True) and i.get("themes")}
    shown = {indicator["code"] for theme in profile["themes"] for indicator in theme["indicators"]}
    assert shown == judged
    assert "inwoners" not in shown


@pytest.mark.django_db
def test_it_gives_the_profile_of_a_custom_region(client):
    services.custom_region_save(code="RG-TEST", name="Testregio", municipality_codes=["GM0114", "GM0106"])
    response = client.get("/api/v1/regions/RG-TEST/profile/")
    assert response.status_code == 200
    assert isinstance(response.json()["accumulated_deficit"], int)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/regions/GM9999/",
        "/api/v1/regions/GM9999/profile/",
        "/api/v1/regions/gm0114/",
        "/api/v1/themes/onbekend/",
        "/api/v1/indicators/onbekend/",
        "/api/v1/datasets/999999/",
        "/api/v1/values/999999999/",
        "/api/v1/regions/GM9999/onbekend/",
    ],
)
def test_it_answers_404_for_unknown_objects(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/regions/GM%00/",
        "/api/v1/regions/GM%00/profile/",
        "/api/v1/regions/?search=%00",
        "/api/v1/regions/?province=%00",
        "/api/v1/values/?region=GM%00",
        "/api/v1/indicators/?search=%00",
    ],
)
def test_it_refuses_a_nul_byte_without_a_server_error(client, url):
    assert client.get(url).status_code in (400, 404)


# --- themes, indicators, datasets, values ------------------------------------------------


@pytest.mark.django_db
def test_it_lists_the_themes_in_order(client):
    body = client.get("/api/v1/themes/").json()
    themes = importers.load_mapping()["themes"]
    assert body["count"] == len(themes)
    assert [(t["code"], t["name_nl"], t["dimension"]) for t in body["results"]] == [
        (t["code"], t["nl"], t["dimension"]) for t in themes
    ]


@pytest.mark.django_db
def test_it_lists_the_indicators_with_their_aggregation_rules(client):
    mapping = {i["code"]: i for i in importers.load_mapping()["indicators"]}
    results = {i["code"]: i for i in all_results(client, "/api/v1/indicators/")}
    assert set(results) == set(mapping)
    for code, source in mapping.items():
        indicator = results[code]
        assert indicator["name_nl"] == source["nl"]
        assert indicator["aggregation"] == source["aggregation"]
        assert indicator["weight"] == source.get("weight")
        assert indicator["numerator"] == source.get("numerator")
        assert indicator["denominator"] == source.get("denominator")
        assert sorted(indicator["themes"]) == sorted(source.get("themes", []))


@pytest.mark.django_db
def test_it_filters_indicators_on_theme(client):
    expected = sorted(i["code"] for i in importers.load_mapping()["indicators"] if "gezondheid" in i.get("themes", []))
    results = all_results(client, "/api/v1/indicators/", {"themes__code": "gezondheid"})
    assert expected and [i["code"] for i in results] == expected


@pytest.mark.django_db
def test_it_lists_the_dataset_versions(client):
    sources = importers.load_mapping()["sources"]
    body = client.get("/api/v1/datasets/").json()
    assert body["count"] == len(sources)
    assert sorted(d["source_key"] for d in body["results"]) == sorted(s["key"] for s in sources)
    for dataset in body["results"]:
        source = next(s for s in sources if s["key"] == dataset["source_key"])
        assert dataset["title"] == source["title"]
        assert dataset["value_count"] == IndicatorValue.objects.filter(dataset_id=dataset["id"]).count() > 0


@pytest.mark.django_db
def test_it_gives_the_population_of_emmen_as_published(client):
    published = Decimal(municipality("GM0114")["population_2023_01_01"])
    body = client.get("/api/v1/values/", {"region": "GM0114", "indicator": "inwoners", "year": 2023}).json()
    assert body["count"] == 1
    value = body["results"][0]
    assert (value["region"], value["indicator"], value["year"]) == ("GM0114", "inwoners", 2023)
    assert Decimal(value["value"]) == published
    assert value["source_key"] == "cbs-37259-bevolking" and value["dataset_version"] == 1


@pytest.mark.django_db
def test_it_filters_values_on_region_and_indicator(client):
    municipalities = read_csv("gemeenten.csv")
    body = client.get("/api/v1/values/", {"indicator": "inwoners", "year": 2023, "page_size": 1000}).json()
    assert body["count"] == len(municipalities)
    assert client.get("/api/v1/values/", {"region": "GM9999"}).json()["count"] == 0


# --- read-only ------------------------------------------------------------------------------


def snapshot() -> tuple:
    return (
        Region.objects.count(),
        Region.objects.get(code="GM0114").name,
        Theme.objects.count(),
        Indicator.objects.count(),
        Dataset.objects.count(),
        IndicatorValue.objects.count(),
    )


WRITES = [
    ("post", "/api/v1/regions/", {"code": "RG-X", "name": "X", "kind": "custom"}),
    ("put", "/api/v1/regions/GM0114/", {"code": "GM0114", "name": "Hacked", "kind": "municipality"}),
    ("patch", "/api/v1/regions/GM0114/", {"name": "Hacked"}),
    ("delete", "/api/v1/regions/GM0114/", None),
    ("post", "/api/v1/themes/", {"code": "x", "dimension": "later", "name_nl": "X", "name_en": "X"}),
    ("delete", "/api/v1/themes/gezondheid/", None),
    ("post", "/api/v1/indicators/", {"code": "x"}),
    ("delete", "/api/v1/indicators/inwoners/", None),
    ("post", "/api/v1/datasets/", {"source_key": "x", "version": 2}),
    ("delete", "/api/v1/datasets/1/", None),
    ("post", "/api/v1/values/", {"region": "GM0114", "indicator": "inwoners", "year": 2023, "value": "1"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "url", "data"), WRITES)
def test_it_refuses_writes_from_anonymous_users(client, method, url, data):
    before = snapshot()
    response = getattr(client, method)(url, data, content_type="application/json")
    assert response.status_code in (401, 403, 405)
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "url", "data"), WRITES)
def test_it_refuses_writes_from_a_data_steward_with_a_token(client, method, url, data):
    steward = make_user("steward", role="data_steward")
    token = api_token(steward)
    before = snapshot()
    response = getattr(client, method)(url, data, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 405
    assert snapshot() == before


# --- schema and docs ------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_publishes_an_openapi_3_schema(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    for path in [
        "/api/v1/regions/",
        "/api/v1/regions/{code}/",
        "/api/v1/regions/{code}/profile/",
        "/api/v1/themes/",
        "/api/v1/indicators/",
        "/api/v1/datasets/",
        "/api/v1/values/",
        "/api/v1/coalitions/",
        "/api/v1/coalitions/{slug}/",
        "/api/v1/organisations/",
    ]:
        assert "get" in schema["paths"][path], path
    for path, operations in schema["paths"].items():
        if path.startswith(("/api/v1/regions/", "/api/v1/values/", "/api/v1/themes/")):
            assert set(operations) <= {"get", "parameters"}, path
    profile = schema["paths"]["/api/v1/regions/{code}/profile/"]["get"]["responses"]["200"]
    assert profile["content"]["application/json"]["schema"]["$ref"].endswith("/Profile")
    assert client.get("/api/v1/schema/", {"format": "json"}).json()["openapi"] == schema["openapi"]


@pytest.mark.django_db
def test_it_serves_the_api_docs_without_a_cdn(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "swagger-ui" in content
    assert "cdn.jsdelivr.net" not in content
    # The start-up script (a URL of its own, for the Content-Security-Policy) loads our schema.
    script = client.get("/api/v1/docs/", {"script": ""}).content.decode()
    assert "/api/v1/schema/" in script
    assert "cdn.jsdelivr.net" not in script
