"""Baselines of target indicators, taken from the imported broad-welfare data."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from regions import selectors as region_selectors
from regions.models import Indicator, Region
from regions.profile import DataSnapshot, region_value

# TargetIndicator.baseline_value has four decimal places.
_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Baseline:
    year: int
    value: Decimal


def _baseline(code: str, members: list[str], snapshot: DataSnapshot) -> Baseline | None:
    spec = snapshot.indicators.get(code)
    if spec is None:
        return None
    value, _coverage = region_value(spec, members, snapshot)
    year = snapshot.years.get(spec.code) or snapshot.years.get(spec.numerator or "")
    if value is None or year is None:
        return None
    return Baseline(year, Decimal(repr(value)).quantize(_PLACES, rounding=ROUND_HALF_UP))


def indicator_baseline(region: Region, indicator: Indicator) -> tuple[int, Decimal] | None:
    """(year, value) of the indicator for the region in the current data, or None without data.

    The value is derived from the region's municipalities by the same rule
    as the region's profile (``regions.profile.region_value``), in the most
    recent year of the current datasets; a ratio takes the year of its
    numerator.
    """
    baseline = _baseline(indicator.code, region_selectors.member_codes(region), region_selectors.data_snapshot())
    return None if baseline is None else (baseline.year, baseline.value)


def resolve_baseline(
    data: Baseline | None, year: int | None, value: Decimal | None, *, fill: bool
) -> tuple[int | None, Decimal | None, bool]:
    """The one rule for a target's baseline, for the form and the API alike.

    With ``fill`` (the caller gave no baseline value) it is taken from the
    region's data, when there is data for that year. It counts as the data's
    figure (``baseline_from_data``) when it equals it, also when sent back
    unchanged. Returns (year, value, from_data).
    """
    if fill and data is not None and year in (None, data.year):
        year, value = data.year, data.value
    from_data = data is not None and value is not None and (year, value) == (data.year, data.value)
    return year, value, from_data


def indicator_baselines(region: Region) -> dict[int, Baseline]:
    """Indicator id -> baseline for every indicator the region has data for (same rule as above)."""
    snapshot = region_selectors.data_snapshot()
    members = region_selectors.member_codes(region)
    baselines = {}
    for pk, code in Indicator.objects.values_list("pk", "code"):
        baseline = _baseline(code, members, snapshot)
        if baseline is not None:
            baselines[pk] = baseline
    return baselines
