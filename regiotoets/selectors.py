"""Reads of the regiotoets register: which entries affect a region, which effects hit a lagging theme, the lists.

Two rules live here and nowhere else:

* **Affects** (:func:`overlapping_regions`, :func:`entries_affecting`): an
  entry affects region R when one of its selected regions shares a
  municipality with R. Every region lists the municipalities it consists of
  (a municipality lists itself: ``regions.RegionMunicipality``), so this one
  test covers a selected municipality inside R, R inside a selected COROP
  area or province, and custom regions by their members. One SQL statement,
  whatever the number of entries or regions.
* **Negative on a lagging theme** (:func:`is_negative_on_lagging`): an effect
  is flagged for a region when it is expected to be negative on a theme where
  the region lags by its profile (``regions.selectors.region_profile``). The
  region page's panel, the national map and the notifications all ask it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet

from regions.models import Region, RegionMunicipality, Theme
from regions.profile import PROFILE_VERSION
from regions.selectors import data_snapshot, region_profile
from regiotoets.forms import Filters
from regiotoets.models import Effect, Entry, EntryRegion, EntryResponse
from signals import permissions as signal_permissions
from signals.models import Ministry, Signal

PER_PAGE = 50
# The kinds of region an entry may name (not the country, not the GGD regions).
SELECTABLE_KINDS = (Region.Kind.PROVINCE, Region.Kind.COROP, Region.Kind.CUSTOM, Region.Kind.MUNICIPALITY)
NEGATIVE = Effect.Expected.NEGATIVE

LIST_COLUMNS = (
    "reference",
    "title",
    "kind",
    "status",
    "decision_date",
    "ministry__name",
    "ministry__name_en",
    "ministry__abbreviation",
    "ministry__slug",
)


# --- the two rules ----------------------------------------------------------------------------


def overlapping_regions(region_ids) -> QuerySet:
    """The ids of every region that shares a municipality with one of ``region_ids`` (a list or a subquery)."""
    municipalities = RegionMunicipality.objects.filter(region_id__in=region_ids).values("municipality_id")
    return RegionMunicipality.objects.filter(municipality_id__in=municipalities).values("region_id")


def affecting(region_ids) -> QuerySet:
    """The ids of the entries that affect one of ``region_ids`` (a list or a subquery): the "affects" rule above."""
    return EntryRegion.objects.filter(region_id__in=overlapping_regions(region_ids)).values("entry_id")


def entries_affecting(region: Region) -> QuerySet[Entry]:
    """The entries that affect ``region``; one statement when evaluated."""
    return Entry.objects.filter(pk__in=affecting([region.pk]))


def affects(entry_id: int, region: Region) -> bool:
    return entries_affecting(region).filter(pk=entry_id).exists()


def is_negative_on_lagging(expected: str, theme_code: str, lagging: Collection[str]) -> bool:
    """The "negative on a lagging theme" rule: the one test the panel, the map and the notifications use."""
    return expected == NEGATIVE and theme_code in lagging


def flagged(effects: Iterable[Effect], lagging: Collection[str]) -> list[Effect]:
    """The effects of an entry that are negative on a theme where the region lags (``lagging``: theme codes)."""
    return [effect for effect in effects if is_negative_on_lagging(effect.expected, effect.theme.code, lagging)]


def lagging_codes(region: Region, *, members: list[str] | None = None) -> frozenset[str]:
    """The codes of the themes where ``region`` lags by the profile in force (one query unless ``members``)."""
    profile = region_profile(region, members=members)
    return frozenset(theme.code for theme in profile.lagging_themes)


# --- the register's lists ---------------------------------------------------------------------


def effects_prefetch() -> Prefetch:
    return Prefetch("effects", queryset=Effect.objects.select_related("theme").order_by("theme__position", "pk"))


def regions_prefetch() -> Prefetch:
    return Prefetch("regions", queryset=Region.objects.only("code", "name", "kind").order_by("name"))


def listed(queryset: QuerySet[Entry]) -> QuerySet[Entry]:
    """``queryset`` with what a row of the register shows: the ministry, the effects and the regions."""
    return (
        queryset.select_related("ministry").only(*LIST_COLUMNS).prefetch_related(effects_prefetch(), regions_prefetch())
    )


def filtered(queryset: QuerySet[Entry], filters: Filters) -> QuerySet[Entry]:
    """The entries that pass ``filters`` (no query until evaluated); ``region``: the entries that affect it."""
    if filters.ministry:
        queryset = queryset.filter(ministry__slug=filters.ministry)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.theme or filters.effect:
        effects = Effect.objects.all()
        if filters.theme:
            effects = effects.filter(theme__code=filters.theme)
        if filters.effect:
            effects = effects.filter(expected=filters.effect)
        queryset = queryset.filter(pk__in=effects.values("entry_id"))
    if filters.region:
        queryset = queryset.filter(pk__in=affecting(Region.objects.filter(code=filters.region).values("pk")))
    return queryset


def page_of(queryset: QuerySet[Entry], number) -> Page:
    """One page (``PER_PAGE`` rows): the count, the page's ids, its rows, their effects and regions.

    Picking the page by id keeps the sort on the entry table alone; five queries (one on an empty page).
    """
    ids = queryset.order_by("-decision_date", "-pk").values_list("pk", flat=True)
    page = Paginator(ids, PER_PAGE).get_page(number)
    shown = list(page.object_list)
    rows = {entry.pk: entry for entry in listed(Entry.objects.filter(pk__in=shown))} if shown else {}
    page.object_list = [rows[pk] for pk in shown]
    return page


def filter_choices() -> tuple[list, list[Theme], list[tuple[str, str, str]]]:
    """The filter form's choices: the ministries, the themes, the regions one may select (three queries)."""
    ministries = list(Ministry.objects.order_by("name"))
    themes = list(Theme.objects.order_by("position").only("code", "name_nl", "name_en"))
    return ministries, themes, selectable_regions()


def selectable_regions() -> list[tuple[str, str, str]]:
    """(code, name, kind) of every region an entry may name, by kind then name (one query)."""
    order = {kind: n for n, kind in enumerate(SELECTABLE_KINDS)}
    rows = Region.objects.filter(kind__in=SELECTABLE_KINDS).values_list("code", "name", "kind")
    return sorted(rows, key=lambda row: (order[row[2]], row[1], row[0]))


def entry_detail(pk: int) -> Entry | None:
    """One entry with its ministry, effects and regions (three queries)."""
    return (
        Entry.objects.filter(pk=pk)
        .select_related("ministry")
        .prefetch_related(effects_prefetch(), Prefetch("regions", queryset=Region.objects.defer("boundary")))
        .first()
    )


def responses_for(entry: Entry, user) -> list:
    """The signals that respond to ``entry`` which ``user`` may read (public ones for everyone; one query)."""
    visible = Signal.objects.filter(signal_permissions.visible_filter(user))
    ids = EntryResponse.objects.filter(entry=entry).values("signal_id")
    return list(
        visible.filter(pk__in=ids)
        .select_related("coalition", "ministry")
        .only(
            "reference",
            "title",
            "status",
            "outcome",
            "is_public",
            "filed_at",
            "coalition__name",
            "ministry__name",
            "ministry__name_en",
            "ministry__abbreviation",
        )
        .order_by("filed_at", "pk")
    )


@dataclass
class RegionFlag:
    """A selected region of an entry with the themes where it lags and the entry expects a negative effect."""

    region: Region
    themes: list[Theme] = field(default_factory=list)


def flags_by_region(entry: Entry) -> list[RegionFlag]:
    """For each region the entry names, the flagged themes (one query for their municipalities; profiles cached)."""
    regions = list(entry.regions.all())
    members: dict[int, list[str]] = {region.pk: [] for region in regions}
    for region_id, code in RegionMunicipality.objects.filter(region_id__in=members).values_list(
        "region_id", "municipality__code"
    ):
        members[region_id].append(code)
    effects = list(entry.effects.all())
    found = []
    for region in sorted(regions, key=lambda r: r.name):
        themes = [e.theme for e in flagged(effects, lagging_codes(region, members=members[region.pk]))]
        if themes:
            found.append(RegionFlag(region, themes))
    return found


# --- the region page's panel ------------------------------------------------------------------

# The panel shows the entries with a flagged effect first, then the others, newest first, at most this many.
PANEL_MAX = 20


@dataclass
class PanelRow:
    entry: Entry
    flagged: list[Effect]


def panel_rows(region: Region) -> tuple[list[PanelRow], int]:
    """The entries affecting ``region`` for its page: flagged first, at most ``PANEL_MAX``, and how many in all.

    One query when none affects it (the page of most regions); else five: the ids of all that affect it, newest
    first; the region's municipalities (for its cached profile); which of them are flagged; the rows shown with
    their effects. The ids are a few hundred at most (the size of the register, not of the region).
    """
    ids = list(entries_affecting(region).order_by("-decision_date", "-pk").values_list("pk", flat=True))
    if not ids:
        return [], 0
    lagging = lagging_codes(region)
    hits = set()
    if lagging:
        effects = Effect.objects.filter(entry_id__in=ids, expected=NEGATIVE, theme__code__in=sorted(lagging))
        hits = set(effects.values_list("entry_id", flat=True))
    shown = ([pk for pk in ids if pk in hits] + [pk for pk in ids if pk not in hits])[:PANEL_MAX]
    rows = {
        entry.pk: entry
        for entry in Entry.objects.filter(pk__in=shown)
        .select_related("ministry")
        .only(*LIST_COLUMNS)
        .prefetch_related(effects_prefetch())
    }
    return [PanelRow(rows[pk], flagged(rows[pk].effects.all(), lagging)) for pk in shown], len(ids)


def responses_of(coalition_ids: Collection[int], entry_ids: Collection[int]) -> dict[int, list]:
    """Entry id -> the coalitions' own responses (their members read them all, public or not; one query)."""
    found: dict[int, list] = {}
    rows = (
        EntryResponse.objects.filter(entry_id__in=list(entry_ids), signal__coalition_id__in=list(coalition_ids))
        .select_related("signal")
        .only("entry_id", "signal__reference", "signal__coalition_id", "signal__is_public")
        .order_by("created_at", "pk")
    )
    for response in rows:
        found.setdefault(response.entry_id, []).append(response.signal)
    return found


# --- the national map -------------------------------------------------------------------------

LAGGING_KEY = "regiotoets:lagging-by-municipality:v1:{version}:{data}"
LAGGING_SECONDS = 3600


def lagging_by_municipality(codes: Collection[str]) -> dict[str, frozenset[str]]:
    """Municipality code -> the themes where it lags itself, for ``codes`` (cached per data snapshot).

    Computed from the municipalities' own profiles (as ``regions.selectors.warm_profiles`` caches them), without
    a query per municipality.
    """
    key = LAGGING_KEY.format(version=PROFILE_VERSION, data=data_snapshot().versions_key())
    known: dict[str, frozenset[str]] = cache.get(key) or {}
    missing = sorted(set(codes) - set(known))
    if missing:
        regions = Region.objects.filter(code__in=missing, kind=Region.Kind.MUNICIPALITY).only("code", "kind")
        for municipality in regions:
            known[municipality.code] = lagging_codes(municipality, members=[municipality.code])
        cache.set(key, known, LAGGING_SECONDS)
    return {code: known[code] for code in codes if code in known}


def negative_counts_by_municipality() -> dict[str, int]:
    """Municipality code -> the number of recorded negative effects on themes where it lags (the map's figure).

    Counts each (entry, theme) once per municipality, whichever of the entry's regions reach it. Two queries
    (the negative effects per municipality and theme; the municipalities' profiles are cached).
    """
    rows = list(
        Effect.objects.filter(expected=NEGATIVE)
        .values_list("entry__regions__municipalities__code", "theme__code", "expected")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    lagging = lagging_by_municipality({code for code, *_rest in rows if code})
    counts: dict[str, int] = {}
    for code, theme, expected, n in rows:
        if code and is_negative_on_lagging(expected, theme, lagging.get(code, ())):
            counts[code] = counts.get(code, 0) + n
    return counts
