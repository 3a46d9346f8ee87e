"""The public region pages: list, detail (profile and map) and "Over de gegevens".

Everything here is public CBS data, so every page is read anonymously.
Expected names, memberships and populations come from the source files in
regions/data, not from the database the pages read.
"""

import csv
import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.html import escape

from regions import importers, services
from regions.models import Dataset
from tests.factories import make_user

DATA = Path(settings.BASE_DIR) / "regions" / "data"
MEMBER_PATH = re.compile(r'<path d="[^"]*" class="is-member"><title>([^<]*)</title></path>')
TEST_REGION_CODES = ["GM0106", "GM0109", "GM0114"]  # Assen, Coevorden, Emmen


def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def municipalities_of(code: str) -> list[dict[str, str]]:
    """The rows of gemeenten.csv that make up a CBS region (GM, CR, PV or NL01)."""
    rows = read_csv("gemeenten.csv")
    if code == "NL01":
        return rows
    column = {"GM": "gm_code", "CR": "corop_code", "PV": "pv_code"}[code[:2]]
    return [row for row in rows if row[column] == code]


def region_name(code: str) -> str:
    if code == "NL01":
        return "Nederland"
    file, code_column, name_column = {
        "GM": ("gemeenten.csv", "gm_code", "gm_name"),
        "CR": ("corop.csv", "corop_code", "corop_name"),
        "PV": ("provincies.csv", "pv_code", "pv_name"),
    }[code[:2]]
    return next(row[name_column] for row in read_csv(file) if row[code_column] == code)


def dutch(number: int) -> str:
    """A whole number as the Dutch pages write it: 17.811.291."""
    return f"{number:,}".replace(",", ".")


def highlighted(content: str) -> list[str]:
    """Names of the municipalities drawn as members on the SVG map."""
    return sorted(html.unescape(name) for name in MEMBER_PATH.findall(content))


# --- list ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_lists_all_regions_to_anonymous_visitors(client):
    response = client.get("/regios/")
    assert response.status_code == 200
    expected = 1 + len(read_csv("provincies.csv")) + len(read_csv("corop.csv")) + len(read_csv("gemeenten.csv"))
    assert response.context["page"].paginator.count == expected
    assert f"{expected} regio's gevonden" in response.content.decode()


@pytest.mark.django_db
def test_it_finds_emmen_by_name_case_insensitively(client):
    response = client.get("/regios/", {"q": "emmen"})
    assert response.status_code == 200
    found = [region.code for region in response.context["page"].object_list]
    assert found == ["GM0114"]
    content = response.content.decode()
    assert '<a class="utrecht-link utrecht-link--html-a" href="/regios/GM0114/">Emmen</a>' in content
    assert "1 regio gevonden" in content


@pytest.mark.django_db
def test_it_finds_a_region_by_its_exact_cbs_code(client):
    response = client.get("/regios/", {"q": "cr01"})
    assert [region.code for region in response.context["page"].object_list] == ["CR01"]


@pytest.mark.django_db
def test_it_filters_on_kind(client):
    provinces = read_csv("provincies.csv")
    response = client.get("/regios/", {"kind": "province"})
    assert response.status_code == 200
    shown = response.context["page"].object_list
    assert response.context["page"].paginator.count == len(provinces) == len(shown)
    assert sorted(region.code for region in shown) == sorted(row["pv_code"] for row in provinces)
    content = response.content.decode()
    for row in provinces:
        assert f'href="/regios/{row["pv_code"]}/">{escape(row["pv_name"])}</a>' in content
    assert 'href="/regios/GM0114/"' not in content


@pytest.mark.django_db
def test_it_combines_search_and_kind(client):
    # "Groningen" is in the names of municipalities, a province and COROP regions.
    expected = sorted(row["gm_code"] for row in read_csv("gemeenten.csv") if "groningen" in row["gm_name"].lower())
    response = client.get("/regios/", {"q": "groningen", "kind": "municipality"})
    assert expected
    assert sorted(region.code for region in response.context["page"].object_list) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"kind": "planet"}, {"page": "999"}, {"page": "x"}, {"q": "x" * 500}])
def test_it_survives_odd_list_parameters(client, query):
    assert client.get("/regios/", query).status_code == 200


# --- detail --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["GM0114", "CR01", "PV20", "NL01"])
def test_it_shows_a_cbs_region_with_its_profile_and_map(client, code):
    response = client.get(f"/regios/{code}/")
    assert response.status_code == 200
    content = response.content.decode()
    name = region_name(code)
    assert f'<h1 class="utrecht-heading-1">{escape(name)}</h1>' in content
    assert "Stapeling van achterstanden" in content
    assert "<svg" in content
    municipalities = municipalities_of(code)
    assert highlighted(content) == sorted(row["gm_name"] for row in municipalities)
    population = sum(int(row["population_2023_01_01"]) for row in municipalities)
    assert f"{dutch(population)} inwoners op 1 januari 2023" in content


@pytest.mark.django_db
def test_it_shows_the_accumulated_deficit_of_the_profile(client):
    response = client.get("/regios/GM0114/")
    profile = response.context["profile"]
    assert profile.themes_with_data > 0
    assert (
        f"Achterstand op <strong>{profile.accumulated_deficit}</strong> van de {profile.themes_with_data} thema"
        in response.content.decode()
    )
    for theme in profile.themes:
        assert escape(theme.name) in response.content.decode()


@pytest.mark.django_db
def test_it_shows_a_custom_region_as_its_municipalities(client):
    services.custom_region_save(code="RG-TEST", name="Testregio", municipality_codes=TEST_REGION_CODES)
    response = client.get("/regios/RG-TEST/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<h1 class="utrecht-heading-1">Testregio</h1>' in content
    assert "Stapeling van achterstanden" in content
    members = [row for row in read_csv("gemeenten.csv") if row["gm_code"] in TEST_REGION_CODES]
    assert highlighted(content) == sorted(row["gm_name"] for row in members)
    assert f"Tabel: {len(members)} gemeenten in deze regio" in content
    population = sum(int(row["population_2023_01_01"]) for row in members)
    assert f"{dutch(population)} inwoners op 1 januari 2023" in content


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["GM9999", "RG-ONBEKEND", "gm0114", "x" * 300, "GM 0114", "GM0114.json"])
def test_it_answers_404_for_an_unknown_region(client, code):
    assert client.get(f"/regios/{code}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/regios/GM%00/", "/regios/GM\x00/", "/regios/?q=%00", "/regios/?q=\x00"])
def test_it_refuses_a_nul_byte_without_a_server_error(client, path):
    # PostgreSQL cannot compare text with NUL: it must never reach a query (the
    # test client re-raises a server error, so a 500 fails here).
    assert client.get(path).status_code in (400, 404)


@pytest.mark.django_db
def test_it_keeps_coalitions_off_the_region_page_for_anonymous_visitors(client, coalition):
    response = client.get("/regios/CR01/")
    assert response.status_code == 200
    assert coalition.name not in response.content.decode()


@pytest.mark.django_db
def test_it_shows_the_coalitions_of_the_region_to_their_members(client, coalition, victor):
    client.force_login(victor)
    assert coalition.name in client.get("/regios/CR01/").content.decode()


@pytest.mark.django_db
def test_it_keeps_coalitions_off_the_region_page_for_outsiders(client, coalition, charlie):
    client.force_login(charlie)
    response = client.get("/regios/CR01/")
    assert response.status_code == 200
    assert coalition.name not in response.content.decode()


# --- about the data ------------------------------------------------------------------


@pytest.mark.django_db
def test_it_lists_every_imported_dataset_and_indicator(client):
    response = client.get("/gegevens/")
    assert response.status_code == 200
    content = response.content.decode()
    sources = importers.load_mapping()["sources"]
    assert sorted(Dataset.objects.values_list("source_key", flat=True)) == sorted(s["key"] for s in sources)
    for source in sources:
        dataset = Dataset.objects.get(source_key=source["key"])
        assert escape(source["title"]) in content
        assert f'<td class="utrecht-table__cell utrecht-table__cell--numeric">{dataset.value_count}</td>' in content
    for indicator in importers.load_mapping()["indicators"]:
        assert escape(indicator["nl"]) in content


@pytest.mark.django_db
def test_it_offers_the_import_link_only_to_data_stewards(client):
    assert 'href="/regios/importeren/"' not in client.get("/gegevens/").content.decode()
    client.force_login(make_user("steward", role="data_steward"))
    assert 'href="/regios/importeren/"' in client.get("/gegevens/").content.decode()
