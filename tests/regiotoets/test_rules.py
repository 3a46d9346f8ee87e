"""The register's two rules: which regions an entry affects, and which effects hit a theme where a region lags.

"Affects" is tested on the real CBS regions: Oost-Groningen (CR01) is a COROP area in the province of
Groningen (PV20); Stadskanaal (GM0037) is one of its municipalities; Utrecht (CR17) is elsewhere. "Negative on
a lagging theme" is tested with a hand-made profile (the region lags on Gezondheid only), and once on the real one.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from regions.models import Region
from regions.services import custom_region_save
from regiotoets import selectors
from regiotoets.models import Effect
from tests.regiotoets.factories import effect, record
from tests.signals.factories import make_ministry, make_official

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry():
    return make_ministry("vws")


@pytest.fixture
def official(ministry):
    return make_official("ambtenaar", ministry)


def affected(entry) -> set[str]:
    """The codes of the named regions the entry affects, of those this module asks about."""
    codes = ["GM0037", "GM0014", "CR01", "CR02", "CR17", "PV20", "PV26", "RG-TEST", "NL01"]
    return {code for code in codes if Region.objects.filter(code=code).exists() and affects(entry, code)}


def affects(entry, code: str) -> bool:
    return selectors.affects(entry.pk, Region.objects.get(code=code))


def test_a_municipality_affects_itself_its_corop_area_its_province_and_the_country(official, ministry):
    entry = record(official, ministry, region_codes=["GM0037"])
    assert affected(entry) == {"GM0037", "CR01", "PV20", "NL01"}


def test_a_corop_area_affects_its_municipalities_and_its_province_not_its_neighbours(official, ministry):
    entry = record(official, ministry, region_codes=["CR01"])
    assert affected(entry) == {"GM0037", "CR01", "PV20", "NL01"}
    assert not affects(entry, "GM0014")  # the city of Groningen: same province, another COROP area


def test_a_province_affects_every_corop_area_and_municipality_in_it(official, ministry):
    entry = record(official, ministry, region_codes=["PV20"])
    assert affected(entry) == {"GM0037", "GM0014", "CR01", "CR02", "PV20", "NL01"}


def test_a_custom_region_is_affected_through_its_members(official, ministry):
    custom_region_save(code="RG-TEST", name="Testregio", municipality_codes=["GM0037", "GM0307"])
    inside = record(official, ministry, region_codes=["GM0307"])  # Amersfoort, in CR17
    assert affected(inside) == {"RG-TEST", "CR17", "PV26", "NL01"}
    custom = record(official, ministry, region_codes=["RG-TEST"])
    assert affected(custom) == {"GM0037", "CR01", "CR17", "PV20", "PV26", "RG-TEST", "NL01"}
    outside = record(official, ministry, region_codes=["GM0014"])
    assert not affects(outside, "RG-TEST")


def test_entries_affecting_is_one_statement_whatever_the_data(official, ministry, django_assert_num_queries):
    for code in ("GM0037", "CR01", "PV20", "CR17"):
        record(official, ministry, region_codes=[code])
    region = Region.objects.get(code="CR01")
    with django_assert_num_queries(1):
        assert len(list(selectors.entries_affecting(region))) == 3


# --- negative on a lagging theme --------------------------------------------------------------------------------


def test_the_rule_is_negative_and_lagging_both():
    lagging = {"gezondheid"}
    assert selectors.is_negative_on_lagging("negative", "gezondheid", lagging)
    assert not selectors.is_negative_on_lagging("positive", "gezondheid", lagging)
    assert not selectors.is_negative_on_lagging("unknown", "gezondheid", lagging)
    assert not selectors.is_negative_on_lagging("negative", "wonen", lagging)
    assert not selectors.is_negative_on_lagging("negative", "gezondheid", set())


@pytest.fixture
def lags_on_health_only(monkeypatch):
    """Every region lags on Gezondheid, and on nothing else (a hand-made profile)."""
    profile = SimpleNamespace(lagging_themes=(SimpleNamespace(code="gezondheid", name="Gezondheid"),))
    monkeypatch.setattr(selectors, "region_profile", lambda region, **kwargs: profile)


def test_the_panel_the_flags_and_the_map_follow_the_hand_made_profile(official, ministry, lags_on_health_only):
    hit = record(official, ministry, title="Negatief op gezondheid", effects=[effect("gezondheid", "negative")])
    record(official, ministry, title="Positief op gezondheid", effects=[effect("gezondheid", "positive")])
    record(official, ministry, title="Negatief op wonen", effects=[effect("wonen", "negative")])
    region = Region.objects.get(code="CR01")
    lagging = selectors.lagging_codes(region)
    assert lagging == {"gezondheid"}
    rows, total = selectors.panel_rows(region)
    assert total == 3
    assert [row.entry.title for row in rows if row.flagged] == ["Negatief op gezondheid"]
    assert rows[0].entry == hit and [e.theme.code for e in rows[0].flagged] == ["gezondheid"]
    assert [flag.region.code for flag in selectors.flags_by_region(hit)] == ["CR01"]
    # The map: one negative effect on a lagging theme in each municipality of CR01, none elsewhere.
    counts = selectors.negative_counts_by_municipality()
    assert counts == dict.fromkeys(region.municipalities.values_list("code", flat=True), 1)


def test_an_effect_counts_once_per_municipality_on_the_map(official, ministry, lags_on_health_only):
    # Named through a municipality and its COROP area: still one effect for that municipality.
    record(official, ministry, region_codes=["GM0037", "CR01"], effects=[effect(), effect("wonen", "negative")])
    counts = selectors.negative_counts_by_municipality()
    assert counts["GM0037"] == 1 and set(counts.values()) == {1}


def test_the_real_profile_of_oost_groningen_lags_on_health_and_utrecht_does_not(official, ministry):
    entry = record(official, ministry, region_codes=["CR01", "CR17"])
    flagged = {flag.region.code: [t.code for t in flag.themes] for flag in selectors.flags_by_region(entry)}
    assert flagged == {"CR01": ["gezondheid"]}
    effects = list(entry.effects.select_related("theme"))
    assert selectors.flagged(effects, selectors.lagging_codes(Region.objects.get(code="CR17"))) == []
    assert effects[0].expected == Effect.Expected.NEGATIVE
