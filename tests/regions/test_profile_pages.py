"""The profile as people and programs read it: the region page, the data page and the API (profiel-v2)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regions import selectors
from regions.models import Region
from regions.profile import PROFILE_V1, PROFILE_V2

pytestmark = pytest.mark.django_db


def test_the_api_gives_the_current_rule_and_the_earlier_one_on_request(client):
    current = client.get("/api/v1/regions/CR31/profile/").json()
    assert current["version"] == PROFILE_V2 and current["compared_with"] == "corop" and current["cut"] == "1/4"
    assert current["units_compared"] == 40
    crime = next(
        i for t in current["themes"] for i in t["indicators"] if i["code"] == "brengdelicten-per-1000" and i["counts"]
    )
    assert crime["position"] == pytest.approx(2 / 39) and crime["source"] == "nscr-brengdelicten-2023"
    assert [t["code"] for t in current["trends"]] == ["inwoners"]
    earlier = client.get("/api/v1/regions/CR31/profile/", {"version": PROFILE_V1}).json()
    assert earlier["version"] == PROFILE_V1 and earlier["compared_with"] == "municipality"
    assert "brengdelicten-per-1000" not in {i["code"] for t in earlier["themes"] for i in t["indicators"]}


def test_the_api_refuses_an_unknown_version_with_a_field_error(client):
    response = client.get("/api/v1/regions/CR31/profile/", {"version": "profiel-v9"})
    assert response.status_code == 400 and "version" in response.json()


def test_the_schema_documents_the_version_parameter_and_the_new_fields(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/regions/{code}/profile/"]["get"]
    version = next(p for p in operation["parameters"] if p["name"] == "version")
    assert version["schema"]["enum"] == [PROFILE_V1, PROFILE_V2]
    fields = schema["components"]["schemas"]["ProfileIndicator"]["properties"]
    assert {"position", "level", "compared_with", "source", "ggd_regions"} <= set(fields)


def test_a_ggd_level_value_is_shown_as_the_value_of_its_ggd_region(client):
    zeeland_ggd = Region.objects.filter(kind=Region.Kind.GGD, municipalities__code="GM1714").get()
    response = client.get("/regios/CR31/")
    assert response.status_code == 200
    assert f"waarde van de GGD-regio ({zeeland_ggd.name})" in response.content.decode()
    assert "vergeleken met 25 GGD-regio&#x27;s" in response.content.decode()


def test_the_region_page_says_what_it_compares_with_and_shows_the_trend(client):
    text = client.get("/regios/CR31/").content.decode()
    assert "Vergeleken met 40 COROP-gebieden" in text
    assert "Inwoners op 1 januari 2013–2023:" in text
    assert 'href="#thema-veiligheid"' in text and 'id="thema-veiligheid"' in text
    # the elders themes say why there is no bar
    assert "niet per regio" in text


def test_a_municipality_is_compared_with_the_municipalities(client):
    text = client.get("/regios/GM0363/").content.decode()
    assert "Vergeleken met 342 gemeenten" in text


def test_the_data_page_lists_coverage_and_how_each_indicator_counts(client):
    text = client.get("/gegevens/").content.decode()
    assert "GGD-regio: 25 van 25" in text
    assert "341 van 342" in text  # hbo/wo: Schiermonnikoog is blank at CBS
    assert "nieuw in profiel-v2" in text and "telde mee in profiel-v1" in text  # crime; Wmo clients
    assert 'id="methode"' in text


def test_warming_computes_every_standard_region_once():
    count = Region.objects.filter(kind__in=["municipality", "corop", "province"]).count()
    assert selectors.warm_profiles() == count == 342 + 40 + 12
    region = Region.objects.only("pk", "kind").get(code="CR31")
    with CaptureQueriesContext(connection) as queries:
        profile = selectors.region_profile(region)
    # after warming, a profile costs only the query for its members
    assert [q["sql"] for q in queries.captured_queries if "regions_regionmunicipality" not in q["sql"]] == []
    assert profile.version == PROFILE_V2
    cache.clear()


def test_the_region_list_groups_provinces_corop_areas_custom_regions_and_municipalities(client):
    response = client.get("/regios/", {"q": "Groningen"})
    groups = [(label, kind) for label, kind, _ in response.context["groups"]]
    assert [kind for _, kind in groups] == ["province", "corop", "municipality"]
    text = response.content.decode()
    assert text.index('id="group-province"') < text.index('id="group-corop"') < text.index('id="group-municipality"')


def test_the_region_list_marks_the_regions_with_a_coalition_the_visitor_may_see(client, coalition, alice):
    client.force_login(alice)
    response = client.get("/regios/", {"kind": coalition.region.kind, "q": coalition.region.name})
    marks = {
        region.code: region_marks for _, _, members in response.context["groups"] for region, region_marks in members
    }
    assert marks[coalition.region.code] == ["coalitie"]
    client.logout()
    response = client.get("/regios/", {"kind": coalition.region.kind, "q": coalition.region.name})
    marks = {
        region.code: region_marks for _, _, members in response.context["groups"] for region, region_marks in members
    }
    assert marks[coalition.region.code] == []  # coalitions are not public
