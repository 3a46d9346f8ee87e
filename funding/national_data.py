"""A synthetic national-scale data set: coalitions, agendas, advice and approved Rijk funding.

For benchmarks and tests of the national picture (``funding.national``) at
the size the platform is meant for: at ``scale=1`` 100 coalitions over real
regions (the 40 COROP areas, which together cover all 342 municipalities,
the 12 provinces and 48 custom regions of real municipalities; at a smaller
scale the same mix), 1,000 agendas
with 3 priorities, 6 measures and a budget per year and source each, 600 of
them submitted, advised positively and funded by one programme with 600
approved decisions of 10 tranches each.

Everything made here is labelled "(synthetisch)": organisations, coalitions,
custom regions, agendas, the review round, the advice, the programme and the
decisions. The regions and the CBS data are the real ones (they must be
imported first).

What holds afterwards (``tests/funding/test_national_data.py`` checks it):

* every row satisfies the models' constraints (the database checks them);
* a decision's tranches lie in its agenda's period and the programme's,
  and add up to its awarded amount, which is at most what the snapshot asks
  from the Rijk; its co-financing is at least the programme's minimum;
* a decision's region position (accumulated deficit, lagging) is the region
  profile's, as ``funding.services.decision_propose`` records it;
* every envelope's ``committed_reserved`` / ``committed_open`` are the sums of
  its tranches' ``from_reserved`` / ``from_open``, allocated by the rule of
  ``funding.services`` (lagging regions use the reserved part first), in the
  order of the decision dates.

Safety: :func:`generate` refuses a database that already has agendas,
coalitions, programmes or decisions (:class:`NationalDataRefused`), and
writes everything in one transaction. It never deletes anything, so it
cannot mix synthetic data into real data or remove either: to start again,
use a fresh database.

Speed: rows are written with ``bulk_create`` (a few dozen queries per
thousand agendas); snapshots are built with ``reviews.snapshots`` from the
agendas as stored, so they have the documented form and hash.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from agendas.models import Agenda, BudgetLine, FundingSource, GoalLink, Measure, MeasureStatus, Priority, PriorityKind
from agendas.selectors import agenda_queryset
from coalitions.models import Coalition, CoalitionOrganisation, Organisation
from coalitions.services import coalition_create
from funding import services
from funding.models import Decision, Envelope, Programme, Tranche
from goals.models import Goal
from regions.models import Region, RegionMunicipality, Theme
from regions.profile import lags_overall
from regions.selectors import region_profile
from regions.services import custom_region_save
from reviews import rubric, snapshots
from reviews.models import Advice, AdviceOutcome, Criterion, ReviewRound, Submission

LABEL = "(synthetisch)"
DESCRIPTION = "Synthetische gegevens voor benchmarks en tests; geen echte plannen of besluiten."
CUSTOM_PREFIX = "RG-SYN-"

FULL_COALITIONS = 100
FULL_AGENDAS = 1000
FULL_DECISIONS = 600
TRANCHES = 10
PRIORITIES = 3
MEASURES_PER_PRIORITY = 2
# Every agenda runs at least TRANCHES years, starting in the programme's first years.
FIRST_YEAR = 2027
PROGRAMME_YEARS = 20
MAX_MUNICIPAL_PARTNERS = 12
BATCH = 5000


class NationalDataRefused(Exception):
    """The database is not one to put synthetic data in."""


# Apps above funding add their part of the data set here (``register_extension`` in their ``ready()``), as
# they register panels: ``extend(scale=, rng=) -> {kind: rows made}``, run after the rest, in the same
# transaction, in the order of their names, each with its own random generator (so one never shifts another).
EXTENSIONS: dict[str, Callable[..., dict[str, int]]] = {}


def register_extension(name: str, extend: Callable[..., dict[str, int]]) -> None:
    EXTENSIONS[name] = extend


@dataclass(frozen=True)
class Counts:
    coalitions: int
    agendas: int
    decisions: int

    @classmethod
    def at_scale(cls, scale: float) -> Counts:
        if not 0 < scale <= 1:
            raise ValueError("scale must be in (0, 1]")
        coalitions = max(1, round(FULL_COALITIONS * scale))
        agendas = max(coalitions, round(FULL_AGENDAS * scale))
        return cls(
            coalitions=coalitions, agendas=agendas, decisions=min(agendas, max(1, round(FULL_DECISIONS * scale)))
        )


def check_database() -> None:
    """Raise NationalDataRefused unless the regions are imported and there is no agenda or funding yet."""
    if not Region.objects.filter(kind=Region.Kind.MUNICIPALITY).exists():
        raise NationalDataRefused("Er zijn geen regio's: draai eerst manage.py import_regions (en import_indicators).")
    if not Theme.objects.exists():
        raise NationalDataRefused("Er zijn geen thema's: draai eerst manage.py import_indicators.")
    present = [
        label
        for label, model in (
            ("agenda's", Agenda),
            ("coalities", Coalition),
            ("programma's", Programme),
            ("beschikkingen", Decision),
        )
        if model.objects.exists()
    ]
    if present:
        raise NationalDataRefused(
            f"De database bevat al {', '.join(present)}. Synthetische gegevens komen alleen in een lege database "
            "(met alleen de CBS-regio's en -gegevens), zodat ze nooit met echte gegevens vermengd raken."
        )


def generate(*, scale: float = 1.0, seed: int = 2027) -> dict[str, int]:
    """Generate the data set (see the module docstring); returns the number of rows per kind."""
    counts = Counts.at_scale(scale)
    check_database()
    with transaction.atomic():
        made = _Generator(counts, random.Random(seed)).run()
        for name, extend in sorted(EXTENSIONS.items()):
            made.update(extend(scale=scale, rng=random.Random(f"{seed}:{name}")))
        return made


class _Generator:
    def __init__(self, counts: Counts, rng: random.Random):
        self.counts = counts
        self.rng = rng
        self.themes = list(Theme.objects.order_by("position"))
        self.sdg_targets = list(Goal.objects.filter(catalogue="sdg", parent__isnull=False).order_by("position"))

    def run(self) -> dict[str, int]:
        regions = self.coalition_regions()
        members = self.members(regions)
        organisations = self.organisations(regions, members)
        coalitions = self.coalitions(regions, organisations)
        agendas = self.agendas(coalitions, regions, organisations)
        funded = sorted(self.rng.sample(agendas, self.counts.decisions), key=lambda a: a.pk)
        submissions = self.submissions(funded, organisations)
        decisions, tranches = self.decisions(submissions, regions)
        return {
            "coalitions": len(coalitions),
            "custom_regions": sum(1 for r in regions if r.kind == Region.Kind.CUSTOM),
            "municipalities_covered": len({code for r in regions for code in members[r.pk]}),
            "organisations": len({o.pk for orgs in organisations.values() for o in orgs}),
            "agendas": len(agendas),
            "priorities": Priority.objects.filter(agenda__in=agendas).count(),
            "measures": Measure.objects.filter(agenda__in=agendas).count(),
            "budget_lines": BudgetLine.objects.filter(measure__agenda__in=agendas).count(),
            "submissions": len(submissions),
            "decisions": len(decisions),
            "tranches": tranches,
        }

    # --- regions, organisations, coalitions ----------------------------------------------------

    def coalition_regions(self) -> list[Region]:
        """40% COROP areas, 12% provinces, the rest custom regions: at full scale all 40 COROP areas
        (together every municipality) and all 12 provinces; at a small scale some of each kind."""
        wanted = self.counts.coalitions
        corops = list(Region.objects.filter(kind=Region.Kind.COROP).order_by("code"))
        provinces = list(Region.objects.filter(kind=Region.Kind.PROVINCE).order_by("code"))
        corop_count = min(len(corops), round(wanted * 0.40))
        province_count = min(len(provinces), round(wanted * 0.12))
        # In a random order, so a small scale is not all in the north (Groningen's codes come first).
        regions = self.rng.sample(corops, corop_count) + self.rng.sample(provinces, province_count)
        return regions + self.custom_regions(wanted - len(regions))

    def custom_regions(self, count: int) -> list[Region]:
        """Halves of COROP areas (by municipality code): real municipalities, a synthetic grouping."""
        members = self.municipality_codes()
        halves = []
        for corop in Region.objects.filter(kind=Region.Kind.COROP).order_by("code"):
            codes = sorted(members[corop.pk])
            if len(codes) >= 2:
                middle = (len(codes) + 1) // 2
                halves.append((corop, "west", codes[:middle]))
                halves.append((corop, "oost", codes[middle:]))
        self.rng.shuffle(halves)
        if count > len(halves):
            raise NationalDataRefused(f"Niet genoeg COROP-gebieden voor {count} eigen regio's.")
        return [
            custom_region_save(
                code=f"{CUSTOM_PREFIX}{n + 1:03d}",
                name=f"{corop.name} {part} {LABEL}",
                municipality_codes=codes,
                description=DESCRIPTION,
            )
            for n, (corop, part, codes) in enumerate(halves[:count])
        ]

    def municipality_codes(self) -> dict[int, list[str]]:
        members: dict[int, list[str]] = defaultdict(list)
        for region_id, code in RegionMunicipality.objects.values_list("region_id", "municipality__code"):
            members[region_id].append(code)
        return members

    def members(self, regions: list[Region]) -> dict[int, list[str]]:
        members = self.municipality_codes()
        return {r.pk: sorted(members[r.pk]) for r in regions}

    def organisations(self, regions: list[Region], members: dict[int, list[str]]) -> dict[int, list[Organisation]]:
        """Per region: its municipalities (at most 12), its province and two others; the first is the lead."""
        municipalities = {r.code: r for r in Region.objects.filter(kind=Region.Kind.MUNICIPALITY)}
        provinces = {r.pk: r for r in Region.objects.filter(kind=Region.Kind.PROVINCE)}
        wanted: dict[str, Organisation] = {}

        def organisation(name: str, kind: str, region: Region | None = None) -> Organisation:
            name = f"{name} {LABEL}"
            if name not in wanted:
                wanted[name] = Organisation(name=name, kind=kind, region=region)
            return wanted[name]

        by_region: dict[int, list[Organisation]] = {}
        for region in regions:
            codes = members[region.pk][:MAX_MUNICIPAL_PARTNERS]
            partners = [
                organisation(f"Gemeente {municipalities[c].name}", Organisation.Kind.MUNICIPALITY, municipalities[c])
                for c in codes
            ]
            province = provinces.get(municipalities[codes[0]].province_id) if region.kind != "province" else region
            if province is not None:
                partners.append(organisation(f"Provincie {province.name}", Organisation.Kind.PROVINCE, province))
            partners.append(organisation(f"Kennispartner {region.name} {region.code}", Organisation.Kind.KNOWLEDGE))
            partners.append(organisation(f"Ondernemers {region.name} {region.code}", Organisation.Kind.COMPANY))
            by_region[region.pk] = partners
        Organisation.objects.bulk_create(wanted.values())
        return by_region

    def coalitions(self, regions: list[Region], organisations: dict[int, list[Organisation]]) -> list[Coalition]:
        coalitions = [
            coalition_create(
                name=f"Coalitie {region.name} ({region.code}) {LABEL}",
                slug=f"synthetisch-{region.code.lower()}",
                region=region,
                actor=None,
                description=DESCRIPTION,
            )
            for region in regions
        ]
        CoalitionOrganisation.objects.bulk_create(
            CoalitionOrganisation(coalition=c, organisation=o) for c in coalitions for o in organisations[c.region_id]
        )
        return coalitions

    # --- agendas -----------------------------------------------------------------------------

    def agendas(self, coalitions, regions, organisations) -> list[Agenda]:
        rng = self.rng
        agendas = []
        for n in range(self.counts.agendas):
            coalition = coalitions[n % len(coalitions)]
            region = coalition.region
            start = FIRST_YEAR + rng.randrange(4)
            agendas.append(
                Agenda(
                    coalition=coalition,
                    region=region,
                    title=f"Kansenagenda {region.name} {n // len(coalitions) + 1} {LABEL}",
                    summary=DESCRIPTION,
                    vision=f"## Visie {LABEL}\n\n{DESCRIPTION}",
                    start_year=start,
                    end_year=start + TRANCHES - 1 + rng.randrange(7),
                    lead_partner=organisations[region.pk][0],
                )
            )
        Agenda.objects.bulk_create(agendas)
        agenda_themes = {a.pk: rng.sample(self.themes, rng.randint(2, 4)) for a in agendas}
        Agenda.themes.through.objects.bulk_create(
            Agenda.themes.through(agenda_id=pk, theme_id=t.pk) for pk, themes in agenda_themes.items() for t in themes
        )

        kinds = list(PriorityKind.values)
        priorities = [
            Priority(
                agenda=agenda,
                position=p,
                title=f"Prioriteit {p + 1} {LABEL}",
                kind=kinds[p % len(kinds)],
                description=DESCRIPTION,
            )
            for agenda in agendas
            for p in range(PRIORITIES)
        ]
        Priority.objects.bulk_create(priorities, batch_size=BATCH)
        Priority.themes.through.objects.bulk_create(
            (
                Priority.themes.through(priority_id=p.pk, theme_id=t.pk)
                for p in priorities
                for t in rng.sample(agenda_themes[p.agenda_id], 2)
            ),
            batch_size=BATCH,
        )
        if self.sdg_targets:
            GoalLink.objects.bulk_create(
                (
                    GoalLink(priority=p, goal=rng.choice(self.sdg_targets), contribution=LABEL, strength="direct")
                    for p in priorities
                ),
                batch_size=BATCH,
            )

        by_pk = {a.pk: a for a in agendas}
        measures = []
        for priority in priorities:
            agenda = by_pk[priority.agenda_id]
            partners = organisations[agenda.region_id]
            for m in range(MEASURES_PER_PRIORITY):
                start = agenda.start_year + rng.randrange(3)
                measures.append(
                    Measure(
                        agenda=agenda,
                        priority=priority,
                        position=m,
                        title=f"Maatregel {priority.position + 1}.{m + 1} {LABEL}",
                        description=DESCRIPTION,
                        lead_organisation=rng.choice(partners),
                        start_year=start,
                        end_year=agenda.end_year - rng.randrange(3),
                        status=MeasureStatus.PLANNED,
                    )
                )
        Measure.objects.bulk_create(measures, batch_size=BATCH)
        BudgetLine.objects.bulk_create(self.budget_lines(measures), batch_size=BATCH)
        return agendas

    def budget_lines(self, measures: list[Measure]):
        """Every year of a measure: the Rijk at most 40% of it, the rest from municipalities and the province."""
        rng = self.rng
        for measure in measures:
            for year in range(measure.start_year, measure.end_year + 1):
                rijk = rng.randrange(50, 400) * 1_000
                yield BudgetLine(measure=measure, year=year, source=FundingSource.RIJK, amount=rijk)
                yield BudgetLine(measure=measure, year=year, source=FundingSource.MUNICIPALITIES, amount=rijk)
                province = rijk // 2 + rng.randrange(0, 100) * 1_000
                yield BudgetLine(measure=measure, year=year, source=FundingSource.PROVINCE, amount=province)

    # --- review and advice -------------------------------------------------------------------

    def submissions(self, agendas: list[Agenda], organisations) -> list[Submission]:
        today = timezone.localdate()
        review_round = ReviewRound.objects.create(
            name=f"Ronde {FIRST_YEAR} {LABEL}",
            programme_name=f"Regiodeals brede welvaart {LABEL}",
            programme_start_year=FIRST_YEAR,
            programme_end_year=FIRST_YEAR + PROGRAMME_YEARS - 1,
            submission_deadline=today - datetime.timedelta(days=240),
            review_deadline=today - datetime.timedelta(days=200),
            is_public=True,
            status=ReviewRound.Status.CLOSED,
        )
        Criterion.objects.bulk_create(
            Criterion(
                round=review_round,
                position=n,
                kind=Criterion.Kind.GENERAL,
                code=general.code,
                title=str(general.title),
                weight=general.default_weight,
            )
            for n, general in enumerate(rubric.GENERAL_CRITERIA)
        )
        members = {region_id: sorted(partners, key=lambda o: o.name) for region_id, partners in organisations.items()}
        submissions = []
        for agenda in agenda_queryset().filter(pk__in=[a.pk for a in agendas]).order_by("pk"):
            snapshot = snapshots.build_snapshot(agenda, organisations=members[agenda.region_id])
            submissions.append(
                Submission(
                    agenda=agenda,
                    round=review_round,
                    number=1,
                    revision_number=agenda.revision_count,
                    snapshot=snapshot,
                    content_hash=snapshots.content_hash(snapshot),
                    status=Submission.Status.ADVISED,
                    closed_at=timezone.now() - datetime.timedelta(days=190),
                )
            )
        Submission.objects.bulk_create(submissions, batch_size=500)
        Agenda.objects.filter(pk__in=[a.pk for a in agendas]).update(status=Agenda.Status.ADVISED)
        published = timezone.now() - datetime.timedelta(days=190)
        Advice.objects.bulk_create(
            Advice(
                submission=s,
                outcome=AdviceOutcome.POSITIVE,
                rationale=f"Positief advies {LABEL}.",
                published_at=published,
            )
            for s in submissions
        )
        return submissions

    # --- funding -----------------------------------------------------------------------------

    def decisions(self, submissions: list[Submission], regions: list[Region]) -> tuple[list[Decision], int]:
        rng = self.rng
        proposer, approver = self.officials()
        lagging_min = Programme._meta.get_field("lagging_min_themes").default
        profiles = {r.code: region_profile(r) for r in regions}
        region_ids = {r.code: r.pk for r in regions}
        now = timezone.now()

        plans = []  # (decision, tranches by year) in the order of approval
        for n, submission in enumerate(submissions):
            snapshot = submission.snapshot
            summary = services.submission_budget(submission)
            requested = summary.rijk_total
            awarded = requested if rng.random() < 0.3 else requested * rng.randrange(60, 100) // 100
            profile = profiles[snapshot["region"]["code"]]
            start = snapshot["start_year"]
            decision = Decision(
                submission=submission,
                reference=f"BW-{FIRST_YEAR}-{submission.pk:05d}-1",
                lead_partner_id=snapshot["lead_partner"]["id"],
                region_id=region_ids[snapshot["region"]["code"]],
                amount_requested=requested,
                amount_awarded=awarded,
                difference_explanation="" if awarded == requested else f"Bijgesteld {LABEL}.",
                accumulated_deficit=profile.accumulated_deficit,
                lagging=lags_overall(profile.accumulated_deficit, lagging_min),
                profile_version=profile.version,
                dataset_versions=dict(profile.dataset_versions),
                cofinancing_percent=services.cofinancing_percent(summary, awarded),
                status=Decision.Status.APPROVED,
                proposed_by=proposer,
                decided_by=approver,
                # Spread over the last half year, in submission order.
                decided_at=now - datetime.timedelta(days=180) + datetime.timedelta(minutes=n * 30),
            )
            plans.append((decision, self.split(awarded, range(start, start + TRANCHES))))

        programme = self.programme(plans, proposer)
        for decision, _tranches in plans:
            decision.programme = programme
        envelopes = {e.year: e for e in programme.envelopes.all()}
        tranches = []
        for decision, by_year in plans:
            for year, amount in by_year.items():
                # The rule of funding.services.decision_approve, on the envelopes in memory.
                from_reserved, from_open = services.envelope_allocation(
                    envelopes[year], amount, lagging=decision.lagging
                )
                envelopes[year].committed_reserved += from_reserved
                envelopes[year].committed_open += from_open
                tranches.append(
                    Tranche(
                        decision=decision, year=year, amount=amount, from_reserved=from_reserved, from_open=from_open
                    )
                )
        decisions = Decision.objects.bulk_create([d for d, _t in plans], batch_size=500)
        # proposed_at is set on insert (auto_now_add): put the proposal a week before the approval.
        Decision.objects.filter(pk__in=[d.pk for d in decisions]).update(
            proposed_at=F("decided_at") - datetime.timedelta(days=7)
        )
        Tranche.objects.bulk_create(tranches, batch_size=BATCH)
        Envelope.objects.bulk_update(envelopes.values(), ["committed_reserved", "committed_open"])
        return decisions, len(tranches)

    def split(self, amount: int, years: range) -> dict[int, int]:
        """``amount`` over ``years`` in whole euros, every part positive, adding up exactly."""
        weights = [self.rng.randint(5, 15) for _ in years]
        parts = [amount * w // sum(weights) for w in weights]
        parts[-1] += amount - sum(parts)
        assert all(p > 0 for p in parts), "amount too small to split"
        return dict(zip(years, parts, strict=True))

    def programme(self, plans, creator: User) -> Programme:
        """One programme whose envelopes carry every tranche, with headroom, in round millions.

        Per year: the open part (70%) must carry the other regions' tranches
        plus what lagging regions need beyond the reserved part (30%).
        """
        lagging: dict[int, int] = defaultdict(int)
        other: dict[int, int] = defaultdict(int)
        for decision, by_year in plans:
            for year, amount in by_year.items():
                (lagging if decision.lagging else other)[year] += amount
        reserved_percent = 30
        years = range(FIRST_YEAR, FIRST_YEAR + PROGRAMME_YEARS)
        amounts = {}
        for year in years:
            need = max(
                (lagging[year] + other[year]) * 5 // 4,
                other[year] * 100 // (100 - reserved_percent) * 11 // 10,
            )
            amounts[year] = max(1, -(-need // 1_000_000)) * 1_000_000
        smallest = min((a for a in amounts.values() if a > 1_000_000), default=100_000_000)
        programme = Programme.objects.create(
            name=f"Regiodeals brede welvaart {FIRST_YEAR}–{years[-1]} {LABEL}",
            slug="synthetisch-regiodeals",
            description=DESCRIPTION,
            start_year=years[0],
            end_year=years[-1],
            min_cofinancing_percent=50,
            reserved_percent=reserved_percent,
            lagging_min_themes=Programme._meta.get_field("lagging_min_themes").default,
            created_by=creator,
        )
        Envelope.objects.bulk_create(
            Envelope(
                programme=programme,
                year=year,
                amount=max(amount, smallest),
                reserved_amount=max(amount, smallest) * reserved_percent // 100,
            )
            for year, amount in amounts.items()
        )
        return programme

    def officials(self) -> tuple[User, User]:
        """Two inactive accounts without a password or role: who proposed and who approved (four eyes)."""
        users = []
        for n in (1, 2):
            user, _created = User.objects.get_or_create(
                username=f"synthetisch-rijk-{n}",
                defaults={
                    "email": f"synthetisch-rijk-{n}@example.invalid",
                    "full_name": f"Rijksambtenaar {n} {LABEL}",
                    "is_active": False,
                },
            )
            if _created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            users.append(user)
        return users[0], users[1]
