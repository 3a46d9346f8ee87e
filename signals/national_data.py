"""Signals in the synthetic national data set (``funding.national_data``, registered in ``SignalsConfig.ready()``).

Three signals per coalition (300 at ``scale=1``), about its first agenda's
priorities, to the ministries of the catalogue, filed over the last eighteen
months: about a third answered (accepted or not possible), some of those
closed, some forwarded to another ministry first, the rest acknowledged or
just filed (some of those late, and escalated); one in ten not public. Due
dates, working days and "in time" follow ``signals.working_days`` as the
services record them. Everything is labelled "(synthetisch)"; rows are written
with ``bulk_create`` (a dozen queries whatever the scale).
"""

from __future__ import annotations

import datetime
import random

from django.db.models import Min
from django.utils import timezone

from accounts.models import User
from agendas.models import Agenda, Priority
from coalitions.models import Coalition, CoalitionOrganisation
from regions.models import Theme
from signals.ministries import MINISTRIES
from signals.models import Ministry, Signal, SignalStep
from signals.working_days import add_working_days, working_days_between

LABEL = "(synthetisch)"
PER_COALITION = 3
TOPICS = [
    ("Grensoverschrijdend werken in de zorg", Signal.Kind.RULE),
    ("Leerlingenvervoer naar het mbo", Signal.Kind.PROGRAMME),
    ("Concessie openbaar vervoer in de kleine kernen", Signal.Kind.DECISION),
    ("Woningbouw op kleine locaties", Signal.Kind.RULE),
    ("Subsidie voor energiecoöperaties", Signal.Kind.PROGRAMME),
    ("Bekostiging van kleine scholen", Signal.Kind.RULE),
    ("Stikstofruimte voor de maakindustrie", Signal.Kind.DECISION),
    ("Huisartsenzorg in krimpgebieden", Signal.Kind.OTHER),
]


def synthetic_user(username: str, full_name: str) -> User:
    """An inactive account without a password or role: who filed, who answered."""
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@example.invalid", "full_name": f"{full_name} {LABEL}", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def ministries() -> list[Ministry]:
    """The catalogue's active ministries (made again from ``signals.ministries`` in an emptied database)."""
    for slug, abbreviation, name, name_en in MINISTRIES:
        defaults = {"abbreviation": abbreviation, "name": name, "name_en": name_en}
        Ministry.objects.get_or_create(slug=slug, defaults=defaults)
    return list(Ministry.objects.filter(is_active=True).order_by("pk"))


def extend(*, scale: float, rng: random.Random) -> dict[str, int]:
    coalitions = list(Coalition.objects.filter(slug__startswith="synthetisch-").order_by("pk"))
    if not coalitions:
        return {"signals": 0}
    first_agenda = dict(
        Agenda.objects.filter(coalition__in=coalitions)
        .values("coalition_id")
        .annotate(first=Min("pk"))
        .values_list("coalition_id", "first")
    )
    priorities: dict[int, list[int]] = {}
    for agenda_id, priority_id in (
        Priority.objects.filter(agenda_id__in=first_agenda.values())
        .order_by("position", "pk")
        .values_list("agenda_id", "pk")
    ):
        priorities.setdefault(agenda_id, []).append(priority_id)
    titles = dict(Priority.objects.filter(agenda_id__in=first_agenda.values()).values_list("pk", "title"))
    organisations = dict(
        CoalitionOrganisation.objects.filter(coalition__in=coalitions)
        .values("coalition_id")
        .annotate(first=Min("organisation_id"))
        .values_list("coalition_id", "first")
    )
    catalogue = ministries()
    themes = list(Theme.objects.order_by("position"))
    filer = synthetic_user("synthetisch-regio", "Indiener")
    official = synthetic_user("synthetisch-ministerie", "Ambtenaar")
    now = timezone.now()
    today = timezone.localdate(now)
    numbers: dict[int, int] = {}
    signals, plans = [], []
    for coalition in coalitions:
        agenda_id = first_agenda.get(coalition.pk)
        if agenda_id is None or not priorities.get(agenda_id) or coalition.pk not in organisations:
            continue
        for n in range(PER_COALITION):
            priority_id = priorities[agenda_id][n % len(priorities[agenda_id])]
            topic, kind = TOPICS[rng.randrange(len(TOPICS))]
            filed_at = now - datetime.timedelta(days=rng.randrange(1, 540), minutes=rng.randrange(600))
            filed_day = timezone.localdate(filed_at)
            ministry = catalogue[rng.randrange(len(catalogue))]
            numbers[filed_at.year] = numbers.get(filed_at.year, 0) + 1
            public = rng.random() >= 0.1
            signals.append(
                Signal(
                    reference=f"SIG-{filed_at.year}-{numbers[filed_at.year]:04d}",
                    coalition=coalition,
                    organisation_id=organisations[coalition.pk],
                    filed_by=filer,
                    region_id=coalition.region_id,
                    ministry=ministry,
                    agenda_id=agenda_id,
                    priority_id=priority_id,
                    blocks_label=f"Prioriteit: {titles[priority_id]}"[:300],
                    title=f"{topic} {LABEL}",
                    body=f"{topic} blokkeert een prioriteit van de agenda. Synthetische gegevens voor benchmarks.",
                    kind=kind,
                    is_public=public,
                    not_public_reason="" if public else f"Nog in overleg met de partners {LABEL}.",
                    filed_at=filed_at,
                    addressed_at=filed_at,
                    acknowledge_due=add_working_days(filed_day, ministry.acknowledge_days),
                    answer_due=add_working_days(filed_day, ministry.answer_days),
                )
            )
            plans.append(rng.random())
    Signal.objects.bulk_create(signals)
    Signal.themes.through.objects.bulk_create(
        Signal.themes.through(signal_id=s.pk, theme_id=t.pk) for s in signals for t in rng.sample(themes, 2)
    )
    steps = [SignalStep(signal=s, kind=SignalStep.Kind.FILED, at=s.filed_at, ministry=s.ministry) for s in signals]
    for signal, plan in zip(signals, plans, strict=True):
        steps += plan_steps(signal, plan, catalogue, official, rng, today)
    Signal.objects.bulk_update(
        signals,
        [
            "ministry",
            "status",
            "outcome",
            "answer",
            "answered_by",
            "addressed_at",
            "acknowledge_due",
            "answer_due",
            "acknowledged_at",
            "answered_at",
            "closed_at",
            "escalated_at",
        ],
        batch_size=500,
    )
    SignalStep.objects.bulk_create(steps, batch_size=2000)
    return {"signals": len(signals), "signal_steps": len(steps)}


def plan_steps(signal: Signal, plan: float, catalogue, official, rng, today) -> list[SignalStep]:
    """What happened to one signal (its fields set in place), as its steps after filing."""
    steps = []

    def at(day: datetime.date) -> datetime.datetime:
        moment = datetime.datetime.combine(day, datetime.time(10, rng.randrange(60)))
        return min(timezone.make_aware(moment), timezone.now())

    def answer_step(kind, outcome, text, to=None) -> SignalStep:
        start = timezone.localdate(signal.addressed_at)
        day = min(add_working_days(start, rng.randrange(1, 45)), today)
        return SignalStep(
            signal=signal,
            kind=kind,
            at=at(day),
            actor=official,
            ministry=signal.ministry,
            to_ministry=to,
            outcome=outcome,
            text=text,
            working_days=working_days_between(start, day),
            in_time=day <= signal.answer_due,
        )

    if plan < 0.15:
        # Forwarded to another ministry first, then left there (open) in its new addressing.
        others = [m for m in catalogue if m.pk != signal.ministry_id]
        target = others[rng.randrange(len(others))]
        step = answer_step(SignalStep.Kind.FORWARDED, Signal.Outcome.FORWARDED, f"Hoort bij {target.name}.", target)
        steps.append(step)
        signal.ministry, signal.addressed_at = target, step.at
        signal.acknowledge_due = add_working_days(timezone.localdate(step.at), target.acknowledge_days)
        signal.answer_due = add_working_days(timezone.localdate(step.at), target.answer_days)
    if plan >= 0.15 and plan < 0.55:
        outcome = Signal.Outcome.ACCEPTED if rng.random() < 0.7 else Signal.Outcome.NOT_POSSIBLE
        text = f"Antwoord van het ministerie {LABEL}."
        step = answer_step(SignalStep.Kind.ANSWERED, outcome, text)
        steps.append(step)
        signal.status, signal.outcome, signal.answer = Signal.Status.ANSWERED, outcome, text
        signal.answered_by, signal.answered_at, signal.acknowledged_at = official, step.at, step.at
        if plan < 0.3:
            signal.status, signal.closed_at = Signal.Status.CLOSED, step.at
            steps.append(
                SignalStep(
                    signal=signal, kind=SignalStep.Kind.CLOSED, at=step.at, actor=official, ministry=signal.ministry
                )
            )
        return steps
    if plan >= 0.55 and plan < 0.7:
        day = min(add_working_days(timezone.localdate(signal.addressed_at), 2), today)
        signal.status, signal.acknowledged_at = Signal.Status.ACKNOWLEDGED, at(day)
        steps.append(
            SignalStep(
                signal=signal, kind=SignalStep.Kind.ACKNOWLEDGED, at=signal.acknowledged_at, actor=official,
                ministry=signal.ministry,
            )
        )  # fmt: skip
    if signal.is_overdue(today):
        late = signal.status == Signal.Status.FILED and signal.acknowledge_due < today
        missed = signal.acknowledge_due if late else signal.answer_due
        signal.escalated_at = at(min(today, missed + datetime.timedelta(days=1)))
        steps.append(
            SignalStep(signal=signal, kind=SignalStep.Kind.ESCALATED, at=signal.escalated_at, ministry=signal.ministry)
        )
    return steps
