"""The real CBS import, as loaded into every test database (tests/conftest.py)."""

import csv
from pathlib import Path

import pytest
from django.conf import settings

from regions import selectors
from regions.models import Dataset, IndicatorValue, Region

DATA = Path(settings.BASE_DIR) / "regions" / "data"


@pytest.mark.django_db
def test_it_imports_342_municipalities_40_corop_regions_and_12_provinces():
    assert Region.objects.filter(kind=Region.Kind.MUNICIPALITY).count() == 342
    assert Region.objects.filter(kind=Region.Kind.COROP).count() == 40
    assert Region.objects.filter(kind=Region.Kind.PROVINCE).count() == 12


@pytest.mark.django_db
def test_it_sums_the_national_population_on_1_january_2023():
    netherlands = Region.objects.get(code="NL01")
    assert selectors.population(netherlands, 2023) == 17_811_291


@pytest.mark.django_db
def test_it_keeps_the_hierarchy():
    emmen = Region.objects.select_related("corop", "province").get(code="GM0114")
    assert (emmen.corop.code, emmen.province.code) == ("CR08", "PV22")
    drenthe = Region.objects.get(code="PV22")
    assert drenthe.municipalities.count() == 12
    assert all(geometry["type"] in ("Polygon", "MultiPolygon") for geometry in [emmen.boundary, drenthe.boundary])


@pytest.mark.django_db
def test_it_stores_values_exactly_as_in_the_source_file():
    with open(DATA / "cbs" / "kwb2023_gemeenten.csv", encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["gemeente_code"] == "GM0037")
    stored = IndicatorValue.objects.get(indicator__code="afstand-huisarts", region__code="GM0037")
    assert str(stored.value.normalize()) == row["afstand_huisartsenpraktijk_km"]


@pytest.mark.django_db
def test_it_never_invents_a_missing_value():
    # Ameland (GM0060) is not in the young-adult health monitor.
    assert not IndicatorValue.objects.filter(indicator__code="jv-ervaren-gezondheid", region__code="GM0060").exists()
    profile = selectors.region_profile(Region.objects.get(code="GM0060"))
    health = next(t for t in profile.themes if t.code == "gezondheid")
    young_adult = [i for i in health.indicators if i.code.startswith("jv-")]
    assert young_adult and all(i.value is None and i.lags is None for i in young_adult)


@pytest.mark.django_db
def test_it_records_a_version_per_source():
    keys = set(Dataset.objects.values_list("source_key", flat=True))
    assert {"cbs-37259-bevolking", "cbs-85618-kwb-2023", "cbs-50140-gezondheidsmonitor-jv-2024"} <= keys
    assert set(Dataset.objects.values_list("version", flat=True)) == {1}


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["CR01", "CR12", "CR31", "GM0014"])
def test_it_profiles_example_regions_from_real_data(code):
    profile = selectors.region_profile(Region.objects.get(code=code))
    assert profile.themes_with_data >= 6
    assert 0 <= profile.accumulated_deficit <= profile.themes_with_data
    for theme in profile.themes:
        for indicator in theme.indicators:
            if indicator.lags is not None:
                worse = (
                    indicator.value <= indicator.threshold
                    if indicator.direction == "higher"
                    else indicator.value >= indicator.threshold
                )
                assert indicator.lags == worse


@pytest.mark.django_db
def test_it_shows_that_oost_groningen_lags_on_more_themes_than_utrecht():
    # The report's point, measured: a peripheral region stacks deficits.
    oost_groningen = selectors.region_profile(Region.objects.get(code="CR01"))
    utrecht = selectors.region_profile(Region.objects.get(code="PV26"))
    assert oost_groningen.accumulated_deficit > utrecht.accumulated_deficit
