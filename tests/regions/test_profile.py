"""The profile rule profiel-v1, on a small synthetic data set where every number can be checked by hand.

profiel-v2 has its own tests (test_profile_v2.py)."""

import pytest

from regions.profile import (
    PROFILE_V1,
    DataSnapshot,
    IndicatorSpec,
    ThemeSpec,
    compute_profile,
    lag_threshold,
    region_value,
)

MUNICIPALITIES = [f"GM{n:04d}" for n in range(1, 9)]  # 8 municipalities


def compute_profile_v1(members, data):
    return compute_profile(members, data, version=PROFILE_V1)


def snapshot(**values):
    indicators = {
        "income": IndicatorSpec(
            "income", "Inkomen", "k€", "higher", "weighted_mean", ("material",), weight="households"
        ),
        "overweight": IndicatorSpec(
            "overweight", "Overgewicht", "%", "lower", "weighted_mean", ("health",), weight="people"
        ),
        "smokers": IndicatorSpec("smokers", "Rokers", "%", "lower", "weighted_mean", ("health",), weight="people"),
        "benefit_rate": IndicatorSpec(
            "benefit_rate",
            "Bijstand per 1000",
            "‰",
            "lower",
            "ratio_of_sums",
            ("material",),
            numerator="benefit",
            denominator="people",
            scale=1000,
        ),
        "people": IndicatorSpec("people", "Inwoners", "n", "neutral", "sum", in_profile=False),
        "households": IndicatorSpec("households", "Huishoudens", "n", "neutral", "sum", in_profile=False),
        "benefit": IndicatorSpec("benefit", "Bijstand", "n", "neutral", "sum", in_profile=False),
        "urban": IndicatorSpec("urban", "Stedelijkheid", "klasse", "higher", "not_derivable", ("housing",)),
    }
    themes = [
        ThemeSpec("material", "Materiële welvaart", "here_and_now"),
        ThemeSpec("health", "Gezondheid", "here_and_now"),
        ThemeSpec("housing", "Wonen", "here_and_now"),
        ThemeSpec("safety", "Veiligheid", "here_and_now"),
    ]
    base = {
        # GM0001 is the poorest, GM0008 the richest
        "income": dict(zip(MUNICIPALITIES, [20, 25, 30, 35, 40, 45, 50, 55], strict=True)),
        "overweight": dict(zip(MUNICIPALITIES, [40, 38, 30, 28, 26, 24, 22, 20], strict=True)),
        "smokers": dict(zip(MUNICIPALITIES, [10, 30, 11, 12, 12, 12, 12, 11], strict=True)),
        "people": dict(zip(MUNICIPALITIES, [1000, 3000, 2000, 2000, 2000, 2000, 2000, 2000], strict=True)),
        "households": dict(zip(MUNICIPALITIES, [500, 1500, 1000, 1000, 1000, 1000, 1000, 1000], strict=True)),
        "benefit": dict(zip(MUNICIPALITIES, [50, 90, 20, 20, 20, 20, 20, 20], strict=True)),
        "urban": dict(zip(MUNICIPALITIES, [1, 2, 3, 4, 5, 1, 2, 3], strict=True)),
    }
    base.update(values)
    return DataSnapshot(
        indicators=indicators,
        themes=themes,
        values=base,
        years=dict.fromkeys(base, 2023),
        municipalities=MUNICIPALITIES,
        dataset_versions={"test": 1},
    )


def test_it_puts_the_threshold_at_the_least_favourable_quarter():
    data = snapshot()
    # 8 values, quarter = ceil(8/4) = 2: the 2nd lowest income, the 2nd highest overweight
    assert lag_threshold(data.indicators["income"], data) == 25
    assert lag_threshold(data.indicators["overweight"], data) == 38


def test_it_rounds_the_quarter_up_for_odd_counts():
    # 7 values: the least favourable quarter is ceil(7/4) = 2 municipalities, so the 2nd lowest
    data = snapshot(income=dict(zip(MUNICIPALITIES, range(1, 8), strict=False)))
    assert lag_threshold(data.indicators["income"], data) == 2


def test_it_judges_a_single_municipality():
    profile = compute_profile_v1(["GM0001"], snapshot())
    material = next(t for t in profile.themes if t.code == "material")
    income = next(i for i in material.indicators if i.code == "income")
    assert income.value == 20 and income.lags is True
    # benefit rate 50/1000*1000 = 50 per 1000, the highest of all: lags
    benefit = next(i for i in material.indicators if i.code == "benefit_rate")
    assert benefit.value == pytest.approx(50.0) and benefit.lags is True
    assert material.lags is True


def test_it_needs_half_of_a_themes_indicators_to_lag():
    # GM0001 lags on overweight (40) but not on smokers (10): 1 of 2 = half, so the theme lags
    health = next(t for t in compute_profile_v1(["GM0001"], snapshot()).themes if t.code == "health")
    assert (health.with_data, health.lagging, health.lags) == (2, 1, True)
    # GM0003 lags on neither
    health = next(t for t in compute_profile_v1(["GM0003"], snapshot()).themes if t.code == "health")
    assert (health.lagging, health.lags) == (0, False)


def test_it_counts_the_accumulated_deficit():
    profile = compute_profile_v1(["GM0001"], snapshot())
    assert profile.accumulated_deficit == 3  # material, health, housing (urban class 1 <= threshold 1)
    assert [t.code for t in profile.lagging_themes] == ["material", "health", "housing"]


def test_it_shows_no_data_for_a_theme_without_indicators():
    safety = next(t for t in compute_profile_v1(["GM0001"], snapshot()).themes if t.code == "safety")
    assert safety.lags is None and safety.with_data == 0


def test_it_aggregates_a_weighted_mean_for_a_region():
    data = snapshot()
    value, coverage = region_value(data.indicators["income"], ["GM0001", "GM0002"], data)
    assert value == pytest.approx((20 * 500 + 25 * 1500) / 2000)
    assert coverage == 1.0


def test_it_aggregates_a_ratio_of_sums_for_a_region():
    data = snapshot()
    value, _ = region_value(data.indicators["benefit_rate"], ["GM0001", "GM0002"], data)
    assert value == pytest.approx((50 + 90) / (1000 + 3000) * 1000)


def test_it_refuses_an_incomplete_sum():
    data = snapshot(people={"GM0001": 1000})
    value, coverage = region_value(data.indicators["people"], ["GM0001", "GM0002"], data)
    assert value is None and coverage == 0.5


def test_it_does_not_derive_a_not_derivable_indicator_for_a_region():
    data = snapshot()
    assert region_value(data.indicators["urban"], ["GM0001"], data) == (1, 1.0)
    assert region_value(data.indicators["urban"], ["GM0001", "GM0002"], data) == (None, 0.0)
    housing = next(t for t in compute_profile_v1(["GM0001", "GM0002"], data).themes if t.code == "housing")
    assert housing.lags is None


def test_it_weights_only_municipalities_with_data():
    data = snapshot(smokers={"GM0002": 30})  # only one municipality has a value
    value, coverage = region_value(data.indicators["smokers"], ["GM0001", "GM0002"], data)
    assert value == 30 and coverage == 0.5


def test_it_records_version_and_datasets():
    profile = compute_profile_v1(["GM0002", "GM0001", "GM0001"], snapshot())
    assert profile.version == PROFILE_V1
    assert profile.dataset_versions == {"test": 1}
    assert profile.municipalities == ("GM0001", "GM0002")
