"""Reads of regions and broad-welfare data."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import Max, QuerySet
from django.utils.translation import get_language

from core.formatting import in_english
from regions.models import Dataset, Indicator, IndicatorValue, Region, RegionMunicipality, Theme
from regions.profile import DataSnapshot, IndicatorSpec, Profile, ThemeSpec, compute_profile

CURRENT_DATASETS_KEY = "regions:current-datasets"
# Every page with a profile needs the current datasets; they change only on
# an import. The importing process forgets them at once (and again on
# commit); other processes see a new version within this many seconds, or at
# once with a shared cache (DJANGO_CACHE_URL).
CURRENT_DATASETS_TTL = 60


def current_datasets() -> list[Dataset]:
    """The latest version of every source (cached, see CURRENT_DATASETS_TTL)."""
    datasets = cache.get(CURRENT_DATASETS_KEY)
    if datasets is None:
        latest = Dataset.objects.values("source_key").annotate(version=Max("version"))
        wanted = {(row["source_key"], row["version"]) for row in latest}
        datasets = [
            d for d in Dataset.objects.order_by("source_key", "-version") if (d.source_key, d.version) in wanted
        ]
        cache.set(CURRENT_DATASETS_KEY, datasets, CURRENT_DATASETS_TTL)
    return datasets


def forget_current_datasets() -> None:
    cache.delete(CURRENT_DATASETS_KEY)


def data_snapshot() -> DataSnapshot:
    """The current data as a DataSnapshot, cached per set of dataset versions.

    Costs three queries on a cache hit (datasets) and a handful on a miss.
    """
    datasets = current_datasets()
    english = in_english()
    key = "snapshot:" + ("en:" if english else "nl:") + ",".join(f"{d.pk}" for d in datasets)
    snapshot = cache.get(key)
    if snapshot is None:
        snapshot = _build_snapshot(datasets, english)
        cache.set(key, snapshot, 3600)
    return snapshot


def _build_snapshot(datasets: list[Dataset], english: bool) -> DataSnapshot:
    indicators = {}
    for indicator in Indicator.objects.prefetch_related("themes").select_related("weight", "numerator", "denominator"):
        indicators[indicator.code] = IndicatorSpec(
            code=indicator.code,
            name=indicator.name_en if english else indicator.name_nl,
            unit=indicator.unit,
            direction=indicator.direction,
            aggregation=indicator.aggregation,
            themes=tuple(t.code for t in indicator.themes.all()),
            weight=indicator.weight.code if indicator.weight else None,
            numerator=indicator.numerator.code if indicator.numerator else None,
            denominator=indicator.denominator.code if indicator.denominator else None,
            scale=indicator.scale,
            in_profile=indicator.in_profile,
        )
    themes = [ThemeSpec(t.code, t.name_en if english else t.name_nl, t.dimension) for t in Theme.objects.all()]
    # The most recent year of each indicator within the current datasets.
    latest_years = {
        row["indicator__code"]: row["year"]
        for row in IndicatorValue.objects.filter(dataset__in=datasets)
        .values("indicator__code")
        .annotate(year=Max("year"))
    }
    values: dict[str, dict[str, float]] = {}
    rows = IndicatorValue.objects.filter(dataset__in=datasets).values_list(
        "indicator__code", "region__code", "year", "value"
    )
    for indicator_code, region_code, year, value in rows.iterator(chunk_size=5000):
        if latest_years.get(indicator_code) == year:
            values.setdefault(indicator_code, {})[region_code] = float(value)
    municipalities = list(
        Region.objects.filter(kind=Region.Kind.MUNICIPALITY).order_by("code").values_list("code", flat=True)
    )
    return DataSnapshot(
        indicators=indicators,
        themes=themes,
        values=values,
        years=latest_years,
        municipalities=municipalities,
        dataset_versions={d.source_key: d.version for d in datasets},
    )


def member_codes(region: Region) -> list[str]:
    return list(RegionMunicipality.objects.filter(region=region).values_list("municipality__code", flat=True))


def region_profile(region: Region) -> Profile:
    """The region's profile: one query (its municipalities) when the data is cached.

    The computed profile is cached per data snapshot and set of
    municipalities, so a changed custom region or a new dataset gives a new
    key.
    """
    members = sorted(member_codes(region))
    snapshot = data_snapshot()
    digest = hashlib.sha256(",".join(members).encode()).hexdigest()[:16]
    versions = ",".join(f"{key}={version}" for key, version in sorted(snapshot.dataset_versions.items()))
    key = f"profile:{get_language() or 'nl'}:{versions}:{digest}"
    profile = cache.get(key)
    if profile is None:
        profile = compute_profile(members, snapshot)
        cache.set(key, profile, 3600)
    return profile


def regions_for_list(*, query: str = "", kind: str = "") -> QuerySet[Region]:
    regions = Region.objects.select_related("province", "corop").order_by("kind", "name")
    if query:
        regions = regions.filter(name__icontains=query) | regions.filter(code__iexact=query)
    if kind:
        regions = regions.filter(kind=kind)
    return regions


def population(region: Region, year: int, *, codes: list[str] | None = None) -> int | None:
    """Population on 1 January of ``year`` as the sum of the municipalities, or None if incomplete.

    ``codes``: the region's municipality codes, when the caller has them already.
    """
    codes = member_codes(region) if codes is None else codes
    datasets = current_datasets()
    values = IndicatorValue.objects.filter(
        dataset__in=datasets, indicator__code="inwoners", year=year, region__code__in=codes
    ).values_list("value", flat=True)
    values = list(values)
    if len(values) != len(codes) or not codes:
        return None
    return int(sum(values))
