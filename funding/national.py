"""The national picture of Rijk funding: where the committed money goes, next to where the need is.

Reads only, no views. Everything is built from **approved** decisions (the
public ones) and, for what an agenda is about, from the frozen submission
snapshot — never from the live agenda, which may have changed since.

The rule for "funding per inhabitant" of a municipality (the unit of the map):

* A decision's committed amount is the sum of its tranches.
* It is spread over the municipalities of the decision's region (a COROP
  region, a province or a custom region made of municipalities) in
  proportion to their population: municipality ``m`` gets
  ``amount × population(m) / population(region)``. A municipality without a
  population figure gets nothing; when no member has one, the amount is
  spread equally.
* A municipality's total is the sum over all decisions whose region
  contains it; divided by its population this is the funding per
  inhabitant. For a single decision this equals ``amount /
  population(region)`` for every member of the region.
* The population is the most recent year of "Inwoners op 1 januari" in the
  current datasets (``POPULATION_INDICATOR``).

The broad-welfare position of a municipality is its own profile (the rule of
``regions.profile``): the number of themes it lags on (accumulated deficit).
For all 342 municipalities at once this module computes the thresholds once
(:func:`municipal_deficits`, cached per set of dataset versions) instead of
342 full profiles.

Caching. The picture is computed from approved decisions, their tranches,
the frozen snapshots, region memberships, programmes and the CBS data. It is
cached per filter and per **data version** (:func:`data_version`): a digest of
aggregates over the approved tranches (count, sums weighted by year,
decision, programme and region, the latest decision date) and the approved
amendments, of the region memberships, of the programmes' names and
thresholds, and of the current dataset versions. Any approval, amendment or
changed membership gives a new version, so a cached picture is never stale;
what the version does not see (a renamed region) shows within
``CACHE_SECONDS``. The cache is Django's (Redis in production), so every web
process shares it. What the filters read from a snapshot (its themes and
goal links, :class:`AgendaFacts`) is cached per submission without expiry
worries: snapshots are frozen.

Query count: a constant handful whatever the number of decisions or regions.
On a cache hit: programmes and themes for the filters, and the data version
(one statement of aggregates). On a miss add: decisions with their
programme, region and lead partner in one query; tranches in one; the
snapshots not yet cached in one; municipalities in one; region members in
one (the data snapshot and the map come from their own caches).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Prefetch
from django.utils.text import Truncator
from django.utils.translation import get_language

from funding.models import Amendment, Decision, Programme, Tranche
from goals.models import Goal
from regions.models import Region, RegionMunicipality
from regions.profile import MUNICIPALITY, PROFILE_VERSION, DataSnapshot, compute_profile, lags_overall
from regions.selectors import current_datasets, data_snapshot
from reviews.models import Submission

POPULATION_INDICATOR = "inwoners"
# Without a programme filter: the default of Programme.lagging_min_themes.
DEFAULT_LAGGING_MIN_THEMES = Programme._meta.get_field("lagging_min_themes").default
# Pictures and page fragments are keyed on the data version; this only bounds what it does not see.
CACHE_SECONDS = 600
FACTS_KEY = "funding:national:facts:v1"
FACTS_SECONDS = 24 * 3600
# A goal's title in the filter is cut after this many characters (SDG targets are long sentences).
GOAL_TITLE_CHARS = 90
# The map's classes of funding per inhabitant (besides "none").
MAP_CLASSES = 4


# --- filters ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    programme_id: int | None = None
    theme: str = ""  # a theme code
    goal: str = ""  # "catalogue:code", e.g. "sdg:3.4" (a goal also matches its targets)

    def as_query(self) -> dict[str, str]:
        query = {}
        if self.programme_id:
            query["programme"] = str(self.programme_id)
        if self.theme:
            query["theme"] = self.theme
        if self.goal:
            query["goal"] = self.goal
        return query

    @property
    def key(self) -> str:
        return hashlib.sha256(repr((self.programme_id, self.theme, self.goal)).encode()).hexdigest()[:16]


def snapshot_themes(snapshot: dict) -> set[str]:
    """Theme codes the agenda named: on the agenda and on its priorities."""
    themes = set(snapshot.get("themes") or ())
    for priority in snapshot.get("priorities") or ():
        themes.update(priority.get("themes") or ())
    return themes


def snapshot_goal_links(snapshot: dict) -> Iterable[dict]:
    """Every goal link of the snapshot's priorities and measures."""
    for priority in snapshot.get("priorities") or ():
        yield from priority.get("goals") or ()
        for measure in priority.get("measures") or ():
            yield from measure.get("goals") or ()


@dataclass(frozen=True)
class AgendaFacts:
    """What the filters read from a frozen snapshot: its themes and its goal links."""

    themes: frozenset[str]
    goals: tuple[tuple[str, str, str, str], ...]  # (catalogue, code, parent goal code, title)

    @classmethod
    def of(cls, snapshot: dict) -> AgendaFacts:
        goals = {
            (str(link.get("catalogue")), str(link.get("code")), str(link.get("goal") or ""), link.get("title") or "")
            for link in snapshot_goal_links(snapshot)
        }
        return cls(themes=frozenset(snapshot_themes(snapshot)), goals=tuple(sorted(goals)))


def snapshot_facts(submission_ids: Iterable[int]) -> dict[int, AgendaFacts]:
    """The facts of each submission's snapshot; one query for those not cached yet.

    A snapshot never changes after submission (its content hash proves it), so
    the facts are cached by submission id alone, all in one cache entry (a
    handful of bytes per submission; one entry per submission would crowd
    out everything else in a small local-memory cache). Two processes adding
    at once may lose each other's additions: those are read again next time.
    """
    wanted = set(submission_ids)
    known: dict[int, AgendaFacts] = cache.get(FACTS_KEY) or {}
    missing = wanted - known.keys()
    if missing:
        snapshots = Submission.objects.filter(pk__in=missing).values_list("pk", "snapshot")
        known = {**known, **{pk: AgendaFacts.of(snapshot or {}) for pk, snapshot in snapshots}}
        cache.set(FACTS_KEY, known, FACTS_SECONDS)
    return {pk: known[pk] for pk in wanted if pk in known}


def _goal_matches(facts: AgendaFacts, goal: str) -> bool:
    catalogue, _, code = goal.partition(":")
    return any(link[0] == catalogue and code in (link[1], link[2]) for link in facts.goals)


def matches(decision: Decision, facts: AgendaFacts, filters: Filters) -> bool:
    if filters.programme_id and decision.programme_id != filters.programme_id:
        return False
    if filters.theme and filters.theme not in facts.themes:
        return False
    return not filters.goal or _goal_matches(facts, filters.goal)


def approved_decisions(ids: Iterable[int] | None = None) -> list[Decision]:
    """Every approved decision (or those of ``ids``) with what the picture and the exports read (two queries).

    Not loaded: the frozen snapshot (the filters read its facts, see
    :func:`snapshot_facts`) and the region's boundary — both large JSON that
    nothing here shows.
    """
    decisions = Decision.objects.filter(status=Decision.Status.APPROVED)
    if ids is not None:
        decisions = decisions.filter(pk__in=list(ids))
    return list(
        decisions.select_related("programme", "region", "lead_partner")
        .defer("dataset_versions", "region__boundary")
        .prefetch_related(Prefetch("tranches", queryset=Tranche.objects.order_by("year")))
        .order_by("reference")
    )


def goal_choices(facts: Iterable[AgendaFacts]) -> list[tuple[str, str]]:
    """The goals named in the snapshots, with code and title in the active language: ("sdg:3.4", "SDG 3.4 — …").

    A target also brings the goal it falls under (filtering on that finds all
    its targets). Titles come from the goal catalogue (one query), the
    snapshot's title when a goal is no longer there; long ones are cut.
    Sorted by catalogue, then by code as people count (SDG 3 before SDG 10).
    """
    titles: dict[tuple[str, str], str] = {}
    for agenda in facts:
        for catalogue, code, parent, title in agenda.goals:
            if parent and parent != code:
                titles.setdefault((catalogue, parent), "")
            if title or (catalogue, code) not in titles:
                titles[(catalogue, code)] = title
    if not titles:
        return []
    goals = {
        (goal.catalogue, goal.code): goal
        for goal in Goal.objects.filter(
            catalogue__in={catalogue for catalogue, _code in titles}, code__in={code for _c, code in titles}
        )
    }
    choices = []
    for (catalogue, code), snapshot_title in titles.items():
        goal = goals.get((catalogue, code))
        if goal is None:
            label, text = f"{catalogue.upper()} {code}", snapshot_title
        else:
            # A goal by its short name; a target (SDG 3.4, EU RSO2.2) has none of its own, only its sentence.
            label, text = goal.label, (goal.short if goal.parent_id is None else "") or goal.title
        choices.append(
            (f"{catalogue}:{code}", f"{label} — {Truncator(text).chars(GOAL_TITLE_CHARS)}" if text else label)
        )
    return sorted(choices, key=lambda choice: _natural(choice[0]))


def _natural(key: str) -> tuple:
    """A sort key that counts the numbers in ``key``: "sdg:3.4" < "sdg:10"."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key))


def filtered_decisions(filters: Filters, decisions: list[Decision] | None = None) -> list[Decision]:
    decisions = approved_decisions() if decisions is None else decisions
    facts = snapshot_facts(d.submission_id for d in decisions)
    return [d for d in decisions if matches(d, facts[d.submission_id], filters)]


# --- caching: the data version ---------------------------------------------------------------


def data_version(programmes: Iterable[Programme]) -> str:
    """A digest of everything the picture is computed from (one query; see the module docstring).

    ``programmes`` are all programmes (the filter form has them loaded already).
    """
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL, [Decision.Status.APPROVED, Amendment.Status.APPROVED])
        aggregates = cursor.fetchone()
    parts = (
        [str(value) for value in aggregates],
        [(p.pk, p.name, p.lagging_min_themes) for p in sorted(programmes, key=lambda p: p.pk)],
        [d.pk for d in current_datasets()],
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def _version_sql() -> str:
    """The aggregates of :func:`data_version` in one statement (it runs on every request of the page and the API).

    * approved tranches: count, euros, euros weighted by year (money moved between years), and sums of
      decision, programme and region ids, and the latest approval;
    * approved amendments: count and the latest one — approved tranches change only through an
      amendment, each with its own moment, so money moved back and forth between regions still gives a
      new version where the sums above come back the same;
    * region memberships: count and the highest id.
    """
    tranche, decision = Tranche._meta.db_table, Decision._meta.db_table
    amendment, membership = Amendment._meta.db_table, RegionMunicipality._meta.db_table
    # Table names from the models, values as parameters.
    return f"""
        SELECT t.*, a.*, m.* FROM
          (SELECT COUNT(tr.id), SUM(tr.amount), SUM(tr.amount * (tr.year - 2000)), SUM(tr.decision_id),
                  SUM(d.programme_id), SUM(d.region_id), MAX(d.decided_at)
             FROM {tranche} tr JOIN {decision} d ON d.id = tr.decision_id WHERE d.status = %s) t,
          (SELECT COUNT(id), MAX(decided_at) FROM {amendment} WHERE status = %s) a,
          (SELECT COUNT(id), MAX(id) FROM {membership}) m
    """  # noqa: S608


_VERSION_SQL = _version_sql()


def cached_goal_choices(version: str) -> list[tuple[str, str]]:
    """:func:`goal_choices` of all approved decisions, cached per data version and language."""
    key = f"funding:national:goals:v2:{get_language()}:{version}"
    choices = cache.get(key)
    if choices is None:
        approved = Decision.objects.filter(status=Decision.Status.APPROVED)
        choices = goal_choices(snapshot_facts(approved.values_list("submission_id", flat=True)).values())
        cache.set(key, choices, CACHE_SECONDS)
    return choices


def cached_picture(filters: Filters, *, version: str) -> NationalPicture:
    """:func:`national_picture` for ``filters``, cached per data version."""
    key = f"funding:national:picture:v1:{version}:{filters.key}"
    picture = cache.get(key)
    if picture is None:
        picture = national_picture(filters)
        cache.set(key, picture, CACHE_SECONDS)
    return picture


def committed(decision: Decision) -> int:
    """The decision's committed amount: the sum of its tranches."""
    return sum(t.amount for t in decision.tranches.all())


# --- deficits of all municipalities -------------------------------------------------------


@dataclass(frozen=True)
class Deficit:
    lagging_themes: int  # accumulated deficit
    themes_with_data: int


def municipal_deficits(snapshot: DataSnapshot | None = None) -> dict[str, Deficit]:
    """Every municipality's accumulated deficit, by the rule of ``regions.profile.compute_profile``.

    The same function as ``region_profile(municipality)``; the comparison
    tables are built once per snapshot. Cached per rule and set of dataset
    versions.
    """
    snapshot = snapshot or data_snapshot()
    key = f"funding:national:deficits:{PROFILE_VERSION}:{snapshot.versions_key()}"
    deficits = cache.get(key)
    if deficits is None:
        deficits = _compute_deficits(snapshot)
        cache.set(key, deficits, 3600)
    return deficits


def _compute_deficits(snapshot: DataSnapshot) -> dict[str, Deficit]:
    deficits = {}
    for municipality in snapshot.municipalities:
        profile = compute_profile([municipality], snapshot, kind=MUNICIPALITY, version=PROFILE_VERSION)
        deficits[municipality] = Deficit(
            lagging_themes=profile.accumulated_deficit, themes_with_data=profile.themes_with_data
        )
    return deficits


# --- the picture ---------------------------------------------------------------------------


@dataclass
class MunicipalityFigure:
    code: str
    name: str
    population: int | None
    deficit: int | None
    themes_with_data: int
    committed: float = 0.0
    lagging: bool = False

    @property
    def per_inhabitant(self) -> float | None:
        if not self.population:
            return None
        return self.committed / self.population


@dataclass
class RegionFigure:
    region: Region
    population: int | None
    deficit_at_decision: int  # the accumulated deficit recorded on the region's latest decision
    by_year: dict[int, int] = field(default_factory=dict)
    decisions: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_year.values())

    @property
    def per_inhabitant(self) -> float | None:
        return self.total / self.population if self.population else None


@dataclass
class NationalPicture:
    filters: Filters
    decision_ids: list[int]  # by reference
    municipalities: dict[str, MunicipalityFigure]  # by code
    regions: list[RegionFigure]  # by name
    years: list[int]
    programmes: list[Programme]  # those with commitments, by name
    by_programme_year: dict[tuple[int, int], int]  # (programme id, year) -> amount
    lagging_min_themes: int
    population_year: int | None
    total: int = 0
    _decisions: list[Decision] | None = field(default=None, repr=False, compare=False)

    @property
    def decisions(self) -> list[Decision]:
        """The decisions counted, loaded on first use (the exports need them; the page only counts them)."""
        if self._decisions is None:
            self._decisions = approved_decisions(self.decision_ids) if self.decision_ids else []
        return self._decisions

    def __getstate__(self) -> dict:
        # Cached without the decision rows: they are large, and only the exports read them.
        return {**self.__dict__, "_decisions": None}

    # answer line: does the money go to the regions that need it?
    @property
    def lagging_money_share(self) -> float | None:
        if not self.total:
            return None
        return sum(m.committed for m in self.municipalities.values() if m.lagging) / self.total

    @property
    def lagging_population_share(self) -> float | None:
        population = sum(m.population or 0 for m in self.municipalities.values())
        if not population:
            return None
        return sum(m.population or 0 for m in self.municipalities.values() if m.lagging) / population

    @property
    def lagging_count(self) -> int:
        return sum(1 for m in self.municipalities.values() if m.lagging)

    def programme_rows(self) -> list[tuple[Programme, list[int], int]]:
        """(programme, amount per year of ``years``, total) for the chart's data table."""
        rows = []
        for programme in self.programmes:
            amounts = [self.by_programme_year.get((programme.pk, year), 0) for year in self.years]
            rows.append((programme, amounts, sum(amounts)))
        return rows

    def year_totals(self) -> list[int]:
        return [sum(self.by_programme_year.get((p.pk, year), 0) for p in self.programmes) for year in self.years]

    def by_deficit(self) -> list[MunicipalityFigure]:
        """Municipalities from the largest accumulated deficit down, then by name."""
        return sorted(self.municipalities.values(), key=lambda m: (-(m.deficit or 0), m.name))


def national_picture(filters: Filters, *, decisions: list[Decision] | None = None) -> NationalPicture:
    """The figures of the page and the exports for ``filters`` (see the module docstring)."""
    decisions = filtered_decisions(filters, decisions)
    snapshot = data_snapshot()
    population_year = snapshot.years.get(POPULATION_INDICATOR)
    populations = snapshot.values.get(POPULATION_INDICATOR, {})
    deficits = municipal_deficits(snapshot)
    programme = next((d.programme for d in decisions if d.programme_id == filters.programme_id), None)
    if programme is None and filters.programme_id:
        programme = Programme.objects.filter(pk=filters.programme_id).first()
    lagging_min = programme.lagging_min_themes if programme else DEFAULT_LAGGING_MIN_THEMES

    municipalities: dict[str, MunicipalityFigure] = {}
    for code, name in Region.objects.filter(kind=Region.Kind.MUNICIPALITY).values_list("code", "name"):
        deficit = deficits.get(code)
        population = populations.get(code)
        municipalities[code] = MunicipalityFigure(
            code=code,
            name=name,
            population=int(population) if population is not None else None,
            deficit=deficit.lagging_themes if deficit else None,
            themes_with_data=deficit.themes_with_data if deficit else 0,
            lagging=bool(deficit) and lags_overall(deficit.lagging_themes, lagging_min),
        )

    members: dict[int, list[str]] = defaultdict(list)
    region_ids = {d.region_id for d in decisions}
    for region_id, code in RegionMunicipality.objects.filter(region_id__in=region_ids).values_list(
        "region_id", "municipality__code"
    ):
        members[region_id].append(code)

    regions: dict[int, RegionFigure] = {}
    by_programme_year: dict[tuple[int, int], int] = defaultdict(int)
    programmes: dict[int, Programme] = {}
    years: set[int] = set()
    total = 0
    for decision in sorted(decisions, key=lambda d: (d.decided_at is None, d.decided_at, d.pk)):
        amount = committed(decision)
        total += amount
        codes = sorted(members.get(decision.region_id, ()))
        region_population = _sum_population(codes, populations)
        figure = regions.get(decision.region_id)
        if figure is None:
            figure = regions[decision.region_id] = RegionFigure(
                region=decision.region, population=region_population, deficit_at_decision=0
            )
        figure.decisions += 1
        figure.deficit_at_decision = decision.accumulated_deficit  # the latest decision wins (sorted by date)
        programmes[decision.programme_id] = decision.programme
        for tranche in decision.tranches.all():
            figure.by_year[tranche.year] = figure.by_year.get(tranche.year, 0) + tranche.amount
            by_programme_year[(decision.programme_id, tranche.year)] += tranche.amount
            years.add(tranche.year)
        for code, share in spread(amount, codes, populations).items():
            if code in municipalities:
                municipalities[code].committed += share

    return NationalPicture(
        filters=filters,
        decision_ids=[d.pk for d in decisions],
        municipalities=municipalities,
        regions=sorted(regions.values(), key=lambda r: (r.region.name, r.region.code)),
        years=sorted(years),
        programmes=sorted(programmes.values(), key=lambda p: p.name),
        by_programme_year=dict(by_programme_year),
        lagging_min_themes=lagging_min,
        population_year=population_year,
        total=total,
        _decisions=decisions,
    )


def _sum_population(codes: list[str], populations) -> int | None:
    """The region's population, or None when a member has no figure (like ``regions.selectors.population``)."""
    if not codes or any(code not in populations for code in codes):
        return None
    return int(sum(populations[code] for code in codes))


def spread(amount: int, codes: list[str], populations) -> dict[str, float]:
    """``amount`` over ``codes`` in proportion to population (equally when none has a figure)."""
    if not codes:
        return {}
    weights = {code: float(populations.get(code) or 0) for code in codes}
    total = sum(weights.values())
    if not total:
        return {code: amount / len(codes) for code in codes}
    return {code: amount * weight / total for code, weight in weights.items()}


def funding_class(value: float | None, breaks: list[float]) -> int:
    """Map class of a per-inhabitant value: 0 for none, 1..len(breaks)+1 above each break."""
    if not value:
        return 0
    return 1 + sum(1 for b in breaks if value > b)


# Round steps of the map's classes: 1, 2, 2.5, 3, 4 or 5 × 10^k euros.
ROUND_STEPS = (1, 2, 2.5, 3, 4, 5, 10)


def class_step(top: float, classes: int = MAP_CLASSES) -> float:
    """The smallest round step (``ROUND_STEPS``) with ``classes`` steps reaching ``top`` (> 0)."""
    magnitude = 10 ** math.floor(math.log10(top / classes))
    return next(factor * magnitude for factor in ROUND_STEPS if factor * magnitude * classes >= top)


def class_breaks(values: Iterable[float], classes: int = MAP_CLASSES) -> list[float]:
    """Upper bounds of the first ``classes - 1`` classes: equal round steps from 0 up to the maximum.

    Round bounds make a legend people can read and compare between filters:
    a maximum of 118.40 gives classes up to 30, 60, 90 and 120. Empty without
    positive values.
    """
    top = max((v for v in values if v), default=0)
    if not top:
        return []
    step = class_step(top, classes)
    return [step * i for i in range(1, classes)]


def class_ceiling(values: Iterable[float], classes: int = MAP_CLASSES) -> float | None:
    """The upper bound of the last class (see :func:`class_breaks`); None without positive values."""
    top = max((v for v in values if v), default=0)
    return class_step(top, classes) * classes if top else None
