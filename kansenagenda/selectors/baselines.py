"""Baselines of target indicators, taken from the imported broad-welfare data."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from regions import selectors as region_selectors
from regions.models import Indicator, Region
from regions.profile import region_value

# TargetIndicator.baseline_value has four decimal places.
_PLACES = Decimal("0.0001")


def indicator_baseline(region: Region, indicator: Indicator) -> tuple[int, Decimal] | None:
    """(year, value) of the indicator for the region in the current data, or None without data.

    The value is derived from the region's municipalities by the same rule
    as the region's profile (``regions.profile.region_value``), in the most
    recent year of the current datasets; a ratio takes the year of its
    numerator.
    """
    snapshot = region_selectors.data_snapshot()
    spec = snapshot.indicators.get(indicator.code)
    if spec is None:
        return None
    value, _coverage = region_value(spec, region_selectors.member_codes(region), snapshot)
    year = snapshot.years.get(spec.code) or snapshot.years.get(spec.numerator or "")
    if value is None or year is None:
        return None
    return year, Decimal(repr(value)).quantize(_PLACES, rounding=ROUND_HALF_UP)
