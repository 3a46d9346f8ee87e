"""The real CBS import, as loaded into every test database (tests/conftest.py)."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from regions import selectors
from regions.models import Dataset, Indicator, IndicatorValue, Region

DATA = Path(settings.BASE_DIR) / "regions" / "data"


@pytest.mark.django_db
def test_it_imports_342_municipalities_40_corop_regions_12_provinces_and_25_ggd_regions():
    assert Region.objects.filter(kind=Region.Kind.MUNICIPALITY).count() == 342
    assert Region.objects.filter(kind=Region.Kind.COROP).count() == 40
    assert Region.objects.filter(kind=Region.Kind.PROVINCE).count() == 12
    assert Region.objects.filter(kind=Region.Kind.GGD).count() == 25


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
    assert {
        "cbs-37259-bevolking",
        "cbs-85618-kwb-2023",
        "cbs-50140-gezondheidsmonitor-jv-2024",
        "nscr-brengdelicten-2023",
        "cbs-85525-onderwijsniveau-2023",
        "rivm-levensverwachting-ggd-2019-2022",
        "ggd-gezondheidsmonitor-volwassenen-2022",
    } <= keys
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


def stored(indicator: str, codes: list[str]) -> dict[str, Decimal]:
    return dict(
        IndicatorValue.objects.filter(indicator__code=indicator, region__code__in=codes).values_list(
            "region__code", "value"
        )
    )


@pytest.mark.django_db
def test_it_imports_the_victim_reported_crime_counts_of_zeeuws_vlaanderen():
    # docs/diagnosis.md, worked example: CR31 has 2,361 offences and 105,615 inhabitants, 22.35 per 1,000.
    members = list(Region.objects.get(code="CR31").municipalities.values_list("code", flat=True))
    assert sorted(members) == ["GM0677", "GM0715", "GM1714"]
    offences = sum(stored("brengdelicten", members).values())
    population = sum(stored("bevolking-buurten-2024", members).values())
    assert (offences, population) == (2361, 105615)
    assert round(1000 * offences / population, 2) == Decimal("22.35")
    # The file's derived per-1000 column is not imported: a larger region's rate is the ratio of its sums.
    assert not IndicatorValue.objects.filter(indicator__code="brengdelicten-per-1000").exists()


@pytest.mark.django_db
def test_it_imports_crime_for_every_municipality_and_gives_the_national_rate():
    totals = {}
    for code in ("brengdelicten", "bevolking-buurten-2024"):
        values = list(IndicatorValue.objects.filter(indicator__code=code).values_list("value", flat=True))
        assert len(values) == 342
        totals[code] = sum(values)
    assert round(1000 * totals["brengdelicten"] / totals["bevolking-buurten-2024"], 2) == Decimal("34.84")


@pytest.mark.django_db
def test_it_imports_higher_education_for_341_municipalities_and_none_for_schiermonnikoog():
    values = IndicatorValue.objects.filter(indicator__code="hbo-wo-pct")
    assert values.count() == 341
    assert not values.filter(region__code="GM0088").exists()
    assert str(values.get(region__code="GM0014").value.normalize()) == "44.8"


@pytest.mark.django_db
def test_it_keeps_ggd_level_values_on_the_25_ggd_regions_only():
    ggd_indicators = Indicator.objects.filter(level=Indicator.Level.GGD)
    assert ggd_indicators.count() == 10
    values = IndicatorValue.objects.filter(indicator__in=ggd_indicators)
    assert set(values.values_list("region__kind", flat=True)) == {Region.Kind.GGD}
    assert values.count() == 10 * 25
    assert stored("levensverwachting-geboorte", ["GG0111", "GG1009"]) == {
        "GG0111": Decimal("80.9"),
        "GG1009": Decimal("81.7"),
    }
    assert stored("ervaren-gezondheid-18plus", ["GG0111", "NL01"]) == {"GG0111": Decimal("69.1")}


@pytest.mark.django_db
def test_it_imports_the_new_kwb_distances_for_every_municipality():
    with open(DATA / "cbs" / "kwb2023_gemeenten.csv", encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["gemeente_code"] == "GM0114")
    assert stored("afstand-kinderdagverblijf", ["GM0114"]) == {"GM0114": Decimal(row["afstand_kinderdagverblijf_km"])}
    assert stored("basisscholen-binnen-3km", ["GM0114"]) == {"GM0114": Decimal(row["basisscholen_binnen_3km_aantal"])}
    assert IndicatorValue.objects.filter(indicator__code="afstand-kinderdagverblijf").count() == 342
