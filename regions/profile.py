"""The broad-welfare profile of a region: one pure, versioned function.

No Django here: :func:`compute_profile` takes a :class:`DataSnapshot` (built
from the database by ``regions.selectors.data_snapshot``) and the codes of a
region's municipalities, and returns a :class:`Profile`. The review's evidence
score and the funding priority rule call it, so it stays small and testable.

The rule (PROFILE_VERSION "profiel-v1"):

* A region's value on an indicator is derived from its municipalities with
  the indicator's aggregation: ``sum`` (all municipalities must have a value),
  ``weighted_mean`` (over municipalities with a value and a weight),
  ``ratio_of_sums`` (sum of numerators / sum of denominators x scale) or
  ``not_derivable`` (only a single municipality has a value).
* The region *lags* on an indicator when its value falls in the least
  favourable quarter of the municipalities' values: sort the municipal values
  from least to most favourable, take the value at position ceil(n / 4); the
  region lags when its value is at least as unfavourable as that threshold.
* It lags on a theme when it lags on at least half of that theme's indicators
  that have data. A theme without data has no verdict ("geen gegevens") and
  does not count.
* Its accumulated deficit (*stapeling*) is the number of themes it lags on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

PROFILE_VERSION = "profiel-v1"


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    unit: str
    direction: str  # "higher", "lower" or "neutral"
    aggregation: str  # "sum", "weighted_mean", "ratio_of_sums", "not_derivable"
    themes: tuple[str, ...] = ()
    weight: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    scale: int = 1
    in_profile: bool = True


@dataclass(frozen=True)
class ThemeSpec:
    code: str
    name: str
    dimension: str


@dataclass(frozen=True)
class DataSnapshot:
    """The data the profile reads: one year of municipal values per indicator."""

    indicators: Mapping[str, IndicatorSpec]
    themes: Sequence[ThemeSpec]
    # indicator code -> municipality code -> value
    values: Mapping[str, Mapping[str, float]]
    # indicator code -> the reference year of its values
    years: Mapping[str, int]
    municipalities: Sequence[str]
    # source key -> dataset version the values come from
    dataset_versions: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    name: str
    unit: str
    direction: str
    year: int | None
    value: float | None
    national_value: float | None
    threshold: float | None  # boundary of the least favourable quarter
    lags: bool | None  # None: no value for this region
    coverage: float  # share of the region's municipalities with data


@dataclass(frozen=True)
class ThemeResult:
    code: str
    name: str
    dimension: str
    indicators: tuple[IndicatorResult, ...]
    with_data: int
    lagging: int
    lags: bool | None  # None: geen gegevens


@dataclass(frozen=True)
class Profile:
    version: str
    municipalities: tuple[str, ...]
    themes: tuple[ThemeResult, ...]
    dataset_versions: Mapping[str, int]

    @property
    def accumulated_deficit(self) -> int:
        return sum(1 for theme in self.themes if theme.lags)

    @property
    def lagging_themes(self) -> tuple[ThemeResult, ...]:
        return tuple(theme for theme in self.themes if theme.lags)

    @property
    def themes_with_data(self) -> int:
        return sum(1 for theme in self.themes if theme.lags is not None)


def municipal_value(spec: IndicatorSpec, municipality: str, snapshot: DataSnapshot) -> float | None:
    """The indicator's value for one municipality (ratios are computed)."""
    if spec.aggregation == "ratio_of_sums":
        numerator = snapshot.values.get(spec.numerator or "", {}).get(municipality)
        denominator = snapshot.values.get(spec.denominator or "", {}).get(municipality)
        if numerator is None or not denominator:
            return None
        return numerator / denominator * spec.scale
    return snapshot.values.get(spec.code, {}).get(municipality)


def region_value(spec: IndicatorSpec, members: Sequence[str], snapshot: DataSnapshot) -> tuple[float | None, float]:
    """(value, coverage) of the indicator for a region made of ``members``."""
    if not members:
        return None, 0.0
    own = snapshot.values.get(spec.code, {})
    if spec.aggregation == "ratio_of_sums":
        numerators = snapshot.values.get(spec.numerator or "", {})
        denominators = snapshot.values.get(spec.denominator or "", {})
        pairs = [(numerators[m], denominators[m]) for m in members if m in numerators and m in denominators]
        total = sum(d for _, d in pairs)
        value = sum(n for n, _ in pairs) / total * spec.scale if pairs and total else None
        return value, len(pairs) / len(members)
    if spec.aggregation == "sum":
        present = [own[m] for m in members if m in own]
        # A sum with a municipality missing would understate the region.
        value = sum(present) if len(present) == len(members) else None
        return value, len(present) / len(members)
    if spec.aggregation == "weighted_mean":
        weights = snapshot.values.get(spec.weight or "", {})
        pairs = [(own[m], weights[m]) for m in members if m in own and weights.get(m)]
        total = sum(w for _, w in pairs)
        value = sum(v * w for v, w in pairs) / total if pairs and total else None
        return value, len(pairs) / len(members)
    # not_derivable: only a single municipality has a value of its own
    if len(members) == 1 and members[0] in own:
        return own[members[0]], 1.0
    return None, 0.0


def lag_threshold(spec: IndicatorSpec, snapshot: DataSnapshot) -> float | None:
    """The boundary value of the least favourable quarter of municipalities."""
    if spec.direction not in ("higher", "lower"):
        return None
    values = [v for m in snapshot.municipalities if (v := municipal_value(spec, m, snapshot)) is not None]
    if not values:
        return None
    least_favourable_first = sorted(values, reverse=spec.direction == "lower")
    return least_favourable_first[math.ceil(len(values) / 4) - 1]


def lags_on(spec: IndicatorSpec, value: float | None, threshold: float | None) -> bool | None:
    if value is None or threshold is None:
        return None
    return value <= threshold if spec.direction == "higher" else value >= threshold


def theme_lags(verdicts: Iterable[bool | None]) -> bool | None:
    """A region lags on a theme when it lags on at least half of the theme's indicators with data.

    ``verdicts`` are the indicator verdicts of ``lags_on`` (None: no data);
    None when no indicator of the theme has data.
    """
    known = [verdict for verdict in verdicts if verdict is not None]
    if not known:
        return None
    return 2 * sum(known) >= len(known)


def lags_overall(lagging_themes: int | None, min_themes: int) -> bool:
    """Accumulated deficits (stapeling): lagging on at least ``min_themes`` themes (a programme's threshold)."""
    return lagging_themes is not None and lagging_themes >= min_themes


def compute_profile(members: Sequence[str], snapshot: DataSnapshot) -> Profile:
    members = tuple(sorted(set(members)))
    results: dict[str, IndicatorResult] = {}
    for spec in snapshot.indicators.values():
        if not spec.in_profile or spec.direction == "neutral":
            continue
        value, coverage = region_value(spec, members, snapshot)
        national, _ = region_value(spec, snapshot.municipalities, snapshot)
        threshold = lag_threshold(spec, snapshot)
        results[spec.code] = IndicatorResult(
            code=spec.code,
            name=spec.name,
            unit=spec.unit,
            direction=spec.direction,
            year=snapshot.years.get(spec.code) or snapshot.years.get(spec.numerator or ""),
            value=value,
            national_value=national,
            threshold=threshold,
            lags=lags_on(spec, value, threshold),
            coverage=coverage,
        )
    themes = []
    for theme in snapshot.themes:
        indicators = tuple(
            results[spec.code]
            for spec in snapshot.indicators.values()
            if theme.code in spec.themes and spec.code in results
        )
        with_data = sum(1 for r in indicators if r.lags is not None)
        lagging = sum(1 for r in indicators if r.lags)
        themes.append(
            ThemeResult(
                code=theme.code,
                name=theme.name,
                dimension=theme.dimension,
                indicators=indicators,
                with_data=with_data,
                lagging=lagging,
                lags=theme_lags(r.lags for r in indicators),
            )
        )
    return Profile(
        version=PROFILE_VERSION,
        municipalities=members,
        themes=tuple(themes),
        dataset_versions=dict(snapshot.dataset_versions),
    )
