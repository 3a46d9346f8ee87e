"""Reads of regions and broad-welfare data."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import Case, Max, QuerySet, Value, When
from django.utils.translation import get_language

from core.formatting import in_english
from regions.models import Dataset, Indicator, IndicatorValue, Region, RegionMunicipality, Theme
from regions.profile import (
    GGD,
    PROFILE_VERSION,
    DataSnapshot,
    IndicatorSpec,
    Profile,
    ThemeSpec,
    compute_profile,
    municipal_value,
)

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


# The last few snapshots this process built or loaded, with the comparison
# tables memoised on them (regions.profile.level_table): read-only data keyed
# by dataset ids, so every process may keep its own copy.
_LOCAL_SNAPSHOTS: dict[str, DataSnapshot] = {}
_LOCAL_SNAPSHOTS_MAX = 4


def forget_snapshots() -> None:
    """Drop this process's snapshots (tests; a process otherwise replaces them by dataset ids)."""
    _LOCAL_SNAPSHOTS.clear()


def data_snapshot() -> DataSnapshot:
    """The current data as a DataSnapshot, cached per set of dataset versions.

    Costs one query for the current datasets when they are not cached, and a
    handful on a miss of both caches.
    """
    datasets = current_datasets()
    english = in_english()
    key = "snapshot:v2:" + ("en:" if english else "nl:") + ",".join(f"{d.pk}" for d in datasets)
    snapshot = _LOCAL_SNAPSHOTS.get(key)
    if snapshot is None:
        snapshot = cache.get(key)
        if snapshot is None:
            snapshot = _build_snapshot(datasets, english)
            cache.set(key, snapshot, 3600)
        while len(_LOCAL_SNAPSHOTS) >= _LOCAL_SNAPSHOTS_MAX:
            _LOCAL_SNAPSHOTS.pop(next(iter(_LOCAL_SNAPSHOTS)))
        _LOCAL_SNAPSHOTS[key] = snapshot
    return snapshot


def _build_snapshot(datasets: list[Dataset], english: bool) -> DataSnapshot:
    indicators = {}
    for indicator in Indicator.objects.prefetch_related("themes").select_related("weight", "numerator", "denominator"):
        indicators[indicator.code] = IndicatorSpec(
            code=indicator.code,
            name=indicator.name_en if english else indicator.name_nl,
            unit=(indicator.unit_en or indicator.unit) if english else indicator.unit,
            direction=indicator.direction,
            aggregation=indicator.aggregation,
            themes=tuple(t.code for t in sorted(indicator.themes.all(), key=lambda t: t.position)),
            weight=indicator.weight.code if indicator.weight else None,
            numerator=indicator.numerator.code if indicator.numerator else None,
            denominator=indicator.denominator.code if indicator.denominator else None,
            scale=indicator.scale,
            in_profile=indicator.in_profile,
            judged_in=tuple(indicator.judged_in),
            level=indicator.level,
            source=indicator.source_key,
            age_group=indicator.age_group,
            trend_direction=indicator.trend_direction,
        )
    themes = [ThemeSpec(t.code, t.name_en if english else t.name_nl, t.dimension) for t in Theme.objects.all()]
    # The most recent year of each indicator within the current datasets.
    latest_years = {
        row["indicator__code"]: row["year"]
        for row in IndicatorValue.objects.filter(dataset__in=datasets)
        .values("indicator__code")
        .annotate(year=Max("year"))
    }
    with_trend = {code for code, spec in indicators.items() if spec.trend_direction}
    values: dict[str, dict[str, float]] = {}
    series: dict[str, dict[int, dict[str, float]]] = {}
    rows = IndicatorValue.objects.filter(dataset__in=datasets).values_list(
        "indicator__code", "region__code", "year", "value"
    )
    for indicator_code, region_code, year, value in rows.iterator(chunk_size=5000):
        if latest_years.get(indicator_code) == year:
            values.setdefault(indicator_code, {})[region_code] = float(value)
        if indicator_code in with_trend:
            series.setdefault(indicator_code, {}).setdefault(year, {})[region_code] = float(value)
    municipalities = list(
        Region.objects.filter(kind=Region.Kind.MUNICIPALITY).order_by("code").values_list("code", flat=True)
    )
    units: dict[str, dict[str, list[str]]] = {}
    levels = (Region.Kind.COROP, Region.Kind.PROVINCE, Region.Kind.GGD)
    for kind, code, member in (
        RegionMunicipality.objects.filter(region__kind__in=levels)
        .values_list("region__kind", "region__code", "municipality__code")
        .order_by("region__code", "municipality__code")
    ):
        units.setdefault(kind, {}).setdefault(code, []).append(member)
    names = dict(Region.objects.filter(kind=Region.Kind.GGD).values_list("code", "name"))
    return DataSnapshot(
        indicators=indicators,
        themes=themes,
        values=values,
        years=latest_years,
        municipalities=municipalities,
        dataset_versions={d.source_key: d.version for d in datasets},
        units={kind: {code: tuple(m) for code, m in members.items()} for kind, members in units.items()},
        names=names,
        series={code: years for code, years in series.items() if len(years) >= 2},
    )


def indicator_coverage() -> dict[str, tuple[int, int]]:
    """Indicator code -> (regions with a value, regions of its level) in the current data.

    Municipal indicators count municipalities (a ratio needs both parts),
    GGD-level indicators count GGD regions.
    """
    snapshot = data_snapshot()
    ggd_regions = snapshot.units.get(GGD, {})
    coverage = {}
    for code, spec in snapshot.indicators.items():
        if spec.level == GGD:
            own = snapshot.values.get(code, {})
            coverage[code] = (sum(1 for g in ggd_regions if g in own), len(ggd_regions))
        else:
            have = sum(1 for m in snapshot.municipalities if municipal_value(spec, m, snapshot) is not None)
            coverage[code] = (have, len(snapshot.municipalities))
    return coverage


def member_codes(region: Region) -> list[str]:
    return list(RegionMunicipality.objects.filter(region=region).values_list("municipality__code", flat=True))


def region_profile(region: Region, *, version: str = PROFILE_VERSION, members: list[str] | None = None) -> Profile:
    """The region's profile by rule ``version``: one query (its municipalities) when the data is cached.

    The computed profile is cached per rule, kind of region, data snapshot and
    set of municipalities, so a changed custom region or a new dataset gives
    a new key. ``members``: the region's municipality codes, when the caller
    has them already.
    """
    members = sorted(member_codes(region) if members is None else members)
    snapshot = data_snapshot()
    digest = hashlib.sha256(",".join(members).encode()).hexdigest()[:16]
    key = f"profile:{version}:{region.kind}:{get_language() or 'nl'}:{snapshot.versions_key()}:{digest}"
    profile = cache.get(key)
    if profile is None:
        profile = compute_profile(members, snapshot, kind=region.kind, version=version)
        cache.set(key, profile, 3600)
    return profile


def warm_profiles(*, version: str = PROFILE_VERSION) -> int:
    """Compute and cache the profile of every municipality, COROP area and province; returns how many.

    Run after an import (regions.tasks.warm_profiles), so the first visitors
    of region pages do not pay for the new comparison tables.
    """
    kinds = (Region.Kind.MUNICIPALITY, Region.Kind.COROP, Region.Kind.PROVINCE)
    members: dict[int, list[str]] = {}
    for region_id, code in RegionMunicipality.objects.filter(region__kind__in=kinds).values_list(
        "region_id", "municipality__code"
    ):
        members.setdefault(region_id, []).append(code)
    regions = list(Region.objects.filter(kind__in=kinds).only("pk", "kind", "code"))
    for region in regions:
        region_profile(region, version=version, members=members.get(region.pk, []))
    return len(regions)


# Provinces, COROP areas, custom regions, municipalities: the groups of the region list.
LIST_ORDER = (
    Region.Kind.COUNTRY,
    Region.Kind.PROVINCE,
    Region.Kind.COROP,
    Region.Kind.CUSTOM,
    Region.Kind.MUNICIPALITY,
    Region.Kind.GGD,
)


def regions_for_list(*, query: str = "", kind: str = "") -> QuerySet[Region]:
    order = Case(*[When(kind=k, then=Value(n)) for n, k in enumerate(LIST_ORDER)], default=Value(len(LIST_ORDER)))
    regions = Region.objects.select_related("province", "corop").order_by(order, "name")
    if kind != Region.Kind.GGD:
        # GGD regions carry the values of GGD-level indicators; they are listed only when asked for.
        regions = regions.exclude(kind=Region.Kind.GGD)
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
