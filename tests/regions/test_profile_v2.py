"""The profile rule profiel-v2 (docs/diagnosis.md), each rule on a small hand-made data set."""

import random
from fractions import Fraction

import pytest

from regions.profile import (
    AHEAD,
    BEHIND,
    ELSEWHERE,
    LEVEL,
    NO_DATA,
    NOT_COMPARED,
    PROFILE_V1,
    PROFILE_V2,
    PROFILE_VERSION,
    TOO_LITTLE,
    DataSnapshot,
    IndicatorSpec,
    ThemeSpec,
    compute_profile,
    source_weights,
)

GM = [f"GM{n:04d}" for n in range(1, 9)]  # 8 municipalities
# 4 COROP areas of two municipalities, 2 provinces, 4 GGD regions cut differently
COROPS = {"CR01": GM[0:2], "CR02": GM[2:4], "CR03": GM[4:6], "CR04": GM[6:8]}
PROVINCES = {"PV01": GM[0:4], "PV02": GM[4:8]}
GGDS = {"GG0001": GM[0:3], "GG0002": GM[3:5], "GG0003": GM[5:7], "GG0004": GM[7:8]}


def spec(code, direction="lower", themes=("health",), **kwargs):
    kwargs.setdefault("weight", "people")
    kwargs.setdefault("source", "kwb")
    return IndicatorSpec(code, code, "%", direction, kwargs.pop("aggregation", "weighted_mean"), themes, **kwargs)


PEOPLE = IndicatorSpec("people", "Inwoners", "aantal", "neutral", "sum", in_profile=False, source="kwb")


def snapshot(specs, values, *, themes=None, series=None):
    themes = themes or [
        ThemeSpec("health", "Gezondheid", "here_and_now"),
        ThemeSpec("housing", "Wonen", "here_and_now"),
        ThemeSpec("safety", "Veiligheid", "here_and_now"),
        ThemeSpec("trade", "Handel en hulp", "elsewhere"),
    ]
    people = dict.fromkeys(GM, 1000.0)
    all_values = {"people": people, **values}
    return DataSnapshot(
        indicators={s.code: s for s in [PEOPLE, *specs]},
        themes=themes,
        values=all_values,
        years=dict.fromkeys(all_values, 2023),
        municipalities=GM,
        dataset_versions={"test": 1},
        units={
            "corop": {k: tuple(v) for k, v in COROPS.items()},
            "province": {k: tuple(v) for k, v in PROVINCES.items()},
            "ggd": {k: tuple(v) for k, v in GGDS.items()},
        },
        names={code: f"GGD {code[-1]}" for code in GGDS},
        series=series or {},
    )


def per_gm(*numbers):
    return dict(zip(GM, [float(n) for n in numbers], strict=True))


def theme(profile, code):
    return next(t for t in profile.themes if t.code == code)


def indicator(profile, theme_code, code):
    return next(i for i in theme(profile, theme_code).indicators if i.code == code)


def lagging_municipalities(data, code, theme_code="health", version=PROFILE_V2):
    return [m for m in GM if indicator(compute_profile([m], data, version=version), theme_code, code).lags]


# --- rule 2: positions and ties ---------------------------------------------------------------


def test_the_current_rule_is_v2():
    assert PROFILE_VERSION == PROFILE_V2
    data = snapshot([spec("a")], {"a": per_gm(1, 2, 3, 4, 5, 6, 7, 8)})
    assert compute_profile(["GM0001"], data).version == PROFILE_V2


def test_a_position_is_the_mid_rank_among_the_others():
    data = snapshot([spec("a")], {"a": per_gm(1, 2, 2, 4, 5, 6, 7, 8)})
    # GM0003 (2, lower is better): 1 more favourable, 1 equal among 7 others: (1 + 1/2) / 7
    assert indicator(compute_profile(["GM0003"], data), "health", "a").position == pytest.approx(1.5 / 7)
    assert indicator(compute_profile(["GM0001"], data), "health", "a").position == 0
    assert indicator(compute_profile(["GM0008"], data), "health", "a").position == 1


def test_a_tie_group_lags_only_when_all_of_it_lies_in_the_least_favourable_quarter():
    # Rounded distances: four at 1, three at 2, one at 3 (lower is better).
    data = snapshot([spec("km")], {"km": per_gm(1, 1, 1, 1, 2, 2, 2, 3)})
    # v1: the threshold is the 2nd least favourable value (2): four municipalities, half of them, lag.
    assert lagging_municipalities(data, "km", version=PROFILE_V1) == GM[4:8]
    # v2: the group at 2 spans ranks 5-7 of 8; it would take the quarter to 3 units: only the 3 lags.
    assert lagging_municipalities(data, "km") == ["GM0008"]


@pytest.mark.parametrize("seed", range(20))
def test_rounding_never_puts_more_than_the_cut_in_the_least_favourable_group(seed):
    rng = random.Random(seed)
    values = per_gm(*(round(rng.uniform(0, 2), 0) for _ in GM))
    data = snapshot([spec("km")], {"km": values})
    assert len(lagging_municipalities(data, "km")) <= len(GM) / 4


def test_the_cut_can_be_a_third():
    data = snapshot([spec("a")], {"a": per_gm(1, 2, 3, 4, 5, 6, 7, 8)})
    lagging = [m for m in GM if indicator(compute_profile([m], data, cut=Fraction(1, 3)), "health", "a").lags]
    assert lagging == ["GM0007", "GM0008"]  # 2 of 8 fit in a third, 3 do not


# --- rule 1: like with like -------------------------------------------------------------------


def test_a_corop_area_is_placed_among_the_corop_areas():
    data = snapshot([spec("a")], {"a": per_gm(1, 2, 3, 4, 5, 6, 7, 8)})
    profile = compute_profile(COROPS["CR04"], data, kind="corop")
    result = indicator(profile, "health", "a")
    assert (profile.compared_with, profile.units_compared) == ("corop", 4)
    assert result.value == 7.5 and result.position == 1 and result.lags is True
    assert result.compared_with == "corop" and result.units_compared == 4
    # Among the municipalities (v1), CR02's 3.5 is not in the least favourable quarter either.
    assert indicator(compute_profile(COROPS["CR03"], data, kind="corop"), "health", "a").lags is False


def test_a_province_is_placed_among_the_provinces():
    data = snapshot([spec("a")], {"a": per_gm(1, 2, 3, 4, 5, 6, 7, 8)})
    profile = compute_profile(PROVINCES["PV02"], data, kind="province")
    assert (profile.compared_with, profile.units_compared) == ("province", 2)
    assert indicator(profile, "health", "a").position == 1


def test_a_custom_region_is_placed_among_the_corop_areas_with_its_values_aggregated_the_same_way():
    data = snapshot([spec("a")], {"a": per_gm(1, 2, 3, 4, 5, 6, 7, 8)})
    profile = compute_profile(["GM0002", "GM0008"], data, kind="custom")
    result = indicator(profile, "health", "a")
    assert profile.compared_with == "corop"
    assert result.value == 5  # (2 + 8) / 2, equal weights
    # COROP values 1.5, 3.5, 5.5, 7.5: two more favourable, none equal, among 4
    assert result.position == pytest.approx(2 / 4)


def test_a_country_is_compared_with_nothing():
    data = snapshot([spec("a")], {"a": per_gm(1, 2, 3, 4, 5, 6, 7, 8)})
    profile = compute_profile(GM, data, kind="country")
    assert theme(profile, "health").status == NOT_COMPARED and profile.accumulated_deficit == 0
    assert indicator(profile, "health", "a").value == 4.5


# --- GGD-level indicators ---------------------------------------------------------------------


def test_a_ggd_level_indicator_is_the_value_of_the_ggd_region_compared_among_ggd_regions():
    life = spec("life", "higher", level="ggd", weight="people", source="rivm")
    values = {"life": {"GG0001": 80.0, "GG0002": 81.0, "GG0003": 82.0, "GG0004": 83.0}}
    data = snapshot([life], values)
    result = indicator(compute_profile(["GM0002"], data), "health", "life")
    assert result.value == 80 and result.level == "ggd" and result.compared_with == "ggd"
    assert result.units_compared == 4 and result.position == 1 and result.lags is True
    assert result.ggd_regions == ("GGD 1",)
    # The municipalities of one GGD region share its value and verdict.
    assert lagging_municipalities(data, "life") == GM[0:3]


def test_a_region_in_several_ggd_regions_gets_their_population_weighted_mean():
    life = spec("life", "higher", level="ggd", weight="people", source="rivm")
    data = snapshot([life], {"life": {"GG0001": 80.0, "GG0002": 81.0, "GG0003": 82.0, "GG0004": 83.0}})
    people = dict(data.values["people"], GM0003=3000.0)
    data = snapshot([life], {"life": data.values["life"], "people": people})
    # CR02 = GM0003 (GG0001, 3000 people) + GM0004 (GG0002, 1000 people)
    result = indicator(compute_profile(COROPS["CR02"], data, kind="corop"), "health", "life")
    assert result.value == pytest.approx((80 * 3000 + 81 * 1000) / 4000)
    assert result.ggd_regions == ("GGD 1", "GGD 2")
    # placed among the 4 GGD values as an outsider: 80.25 is better than 80 only
    assert result.position == pytest.approx(3 / 4)


# --- rule 3: one indicator, one theme ---------------------------------------------------------


def test_an_indicator_counts_in_its_first_theme_only():
    debts = spec("debts", themes=("health", "housing"))
    other = spec("rent", themes=("housing",))
    data = snapshot([debts, other], {"debts": per_gm(1, 2, 3, 4, 5, 6, 7, 8), "rent": per_gm(1, 2, 3, 4, 5, 6, 7, 8)})
    profile = compute_profile(["GM0008"], data)
    in_housing = indicator(profile, "housing", "debts")
    assert in_housing.counts is False and in_housing.counted_in == "health"
    assert indicator(profile, "health", "debts").counts is True
    assert theme(profile, "housing").with_data == 1  # rent only


def test_an_indicator_not_judged_in_v2_is_shown_without_a_verdict():
    wmo = spec("wmo", judged_in=(PROFILE_V1,))
    data = snapshot([wmo, spec("a")], {"wmo": per_gm(1, 2, 3, 4, 5, 6, 7, 8), "a": per_gm(1, 2, 3, 4, 5, 6, 7, 8)})
    result = indicator(compute_profile(["GM0008"], data), "health", "wmo")
    assert result.judged is False and result.lags is None and result.value == 8
    assert indicator(compute_profile(["GM0008"], data, version=PROFILE_V1), "health", "wmo").lags is True


# --- rule 4: theme position, source cap, too little data ---------------------------------------


def test_no_source_weighs_more_than_half_where_another_source_exists():
    weights = source_weights({"a": "youth", "b": "youth", "c": "youth", "d": "kwb"})
    assert weights == {"a": pytest.approx(1 / 6), "b": pytest.approx(1 / 6), "c": pytest.approx(1 / 6), "d": 0.5}
    # three sources: the excess of the largest goes to the others in proportion
    weights = source_weights({"a": "youth", "b": "youth", "c": "youth", "d": "youth", "e": "kwb", "f": "ggd"})
    assert weights["a"] == pytest.approx(1 / 8) and weights["e"] == pytest.approx(1 / 4) == weights["f"]
    # one source: all indicators weigh the same
    assert source_weights({"a": "youth", "b": "youth"}) == {"a": 0.5, "b": 0.5}


def test_a_theme_position_is_the_weighted_mean_of_its_indicators_positions():
    youth = [spec(f"y{n}", source="youth", age_group="16-25") for n in range(3)]
    kwb = spec("k", source="kwb")
    worst_for_youth = per_gm(1, 2, 3, 4, 5, 6, 7, 8)  # GM0008 least favourable
    best_on_kwb = per_gm(8, 7, 6, 5, 4, 3, 2, 1)  # GM0008 most favourable
    data = snapshot(
        [*youth, kwb], {"y0": worst_for_youth, "y1": worst_for_youth, "y2": worst_for_youth, "k": best_on_kwb}
    )
    health = theme(compute_profile(["GM0008"], data), "health")
    # youth 3 x (1/6 x 1) + kwb (1/2 x 0): the one survey cannot decide the theme on its own
    assert health.position == pytest.approx(0.5)
    assert health.lags is False and health.lagging == 3 and health.with_data == 4


def test_a_theme_lags_when_its_position_is_in_the_least_favourable_quarter_of_its_level():
    data = snapshot(
        [spec("a"), spec("b", source="other")],
        {"a": per_gm(1, 2, 3, 4, 5, 6, 7, 8), "b": per_gm(1, 2, 3, 4, 5, 6, 8, 7)},
    )
    lagging = [m for m in GM if theme(compute_profile([m], data), "health").lags]
    assert lagging == ["GM0007", "GM0008"]  # theme positions 13/14 each: a tie group of two, a quarter of 8


def test_one_survey_of_one_age_group_alone_is_too_little():
    data = snapshot([spec("y", source="youth", age_group="16-25")], {"y": per_gm(1, 2, 3, 4, 5, 6, 7, 8)})
    health = theme(compute_profile(["GM0008"], data), "health")
    assert health.status == TOO_LITTLE and health.lags is None
    assert indicator(compute_profile(["GM0008"], data), "health", "y").lags is True  # shown, with its own verdict
    two = snapshot(
        [spec("y", source="youth", age_group="16-25"), spec("z", source="youth", age_group="16-25")],
        {"y": per_gm(1, 2, 3, 4, 5, 6, 7, 8), "z": per_gm(1, 2, 3, 4, 5, 6, 7, 8)},
    )
    health = theme(compute_profile(["GM0008"], two), "health")
    assert health.lags is True and health.age_group == "16-25"


def test_themes_without_data_and_elsewhere_themes_say_so():
    data = snapshot([spec("a")], {"a": per_gm(1, 2, 3, 4, 5, 6, 7, 8)})
    profile = compute_profile(["GM0001"], data)
    assert theme(profile, "safety").status == NO_DATA and theme(profile, "safety").lags is None
    assert theme(profile, "trade").status == ELSEWHERE
    assert profile.themes_with_data == 1


def test_the_accumulated_deficit_counts_the_lagging_themes():
    data = snapshot(
        [spec("a"), spec("b", themes=("housing",)), spec("c", themes=("safety",))],
        {"a": per_gm(1, 2, 3, 4, 5, 6, 7, 8), "b": per_gm(1, 2, 3, 4, 5, 6, 7, 8), "c": per_gm(8, 7, 6, 5, 4, 3, 2, 1)},
    )
    profile = compute_profile(["GM0008"], data)
    assert profile.accumulated_deficit == 2 and [t.code for t in profile.lagging_themes] == ["health", "housing"]


# --- rule 6: trend ----------------------------------------------------------------------------


def test_a_trend_is_shown_against_the_national_change_and_not_judged():
    population = IndicatorSpec(
        "people", "Inwoners", "aantal", "neutral", "sum", in_profile=False, source="kwb", trend_direction="higher"
    )
    start = dict.fromkeys(GM, 1000.0)
    end = per_gm(800, 1000, 1050, 1050, 1050, 1100, 1100, 1100)  # GM0001 shrinks by a fifth
    data = snapshot([spec("a")], {"a": per_gm(1, 2, 3, 4, 5, 6, 7, 8)}, series={"people": {2013: start, 2023: end}})
    data = DataSnapshot(**{**data.__dict__, "indicators": {**data.indicators, "people": population}, "memo": {}})
    shrinking = compute_profile(["GM0001"], data).trends[0]
    assert (shrinking.start_year, shrinking.end_year, shrinking.change) == (2013, 2023, pytest.approx(-0.2))
    assert shrinking.national_change == pytest.approx(8250 / 8000 - 1)
    assert shrinking.status == BEHIND
    assert compute_profile(["GM0008"], data).trends[0].status == AHEAD
    assert compute_profile(["GM0003"], data).trends[0].status == LEVEL
    # not part of any verdict
    assert compute_profile(["GM0001"], data).accumulated_deficit == 0


def test_the_version_is_checked():
    with pytest.raises(ValueError):
        compute_profile(["GM0001"], snapshot([spec("a")], {"a": per_gm(1, 2, 3, 4, 5, 6, 7, 8)}), version="x")


def test_equal_published_values_stay_equal_whatever_the_weights():
    # 0.9 * w / w is not 0.9 in floating point for every w: a municipality's own value is used as it is.
    data = snapshot([spec("km")], {"km": per_gm(0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1.1)})
    people = {m: float(w) for m, w in zip(GM, [12345, 678, 91011, 1213, 1415, 1617, 1819, 2021], strict=True)}
    data = snapshot([spec("km")], {"km": data.values["km"], "people": people})
    positions = {indicator(compute_profile([m], data), "health", "km").position for m in GM[:7]}
    assert positions == {3 / 7}  # 6 equal of 7 others: (0 + 6 / 2) / 7, exactly the same for all seven
    assert lagging_municipalities(data, "km") == ["GM0008"]
