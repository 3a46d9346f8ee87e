"""Rounds with submissions and their figures, for the tests of the chair's round overview (page and API).

The submissions carry small hand-made snapshots (title, coalition, region,
themes): the overview reads nothing else of a snapshot, and building them
this way keeps a round of 70 fast. Their agendas are made by the agenda
factory; at most one submission of an agenda is under way (a constraint).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from itertools import cycle

from django.utils import timezone

from accounts.models import User
from coalitions.models import Coalition
from regions.models import Region, Theme
from reviews.models import (
    Advice,
    Assignment,
    EvidenceScore,
    ReviewRound,
    ScoreAggregate,
    ScoringJob,
    Submission,
)
from tests.agendas.factories import make_agenda

S = Submission.Status


def snapshot(title: str, region: Region, *, themes=(), priority_themes=()) -> dict:
    return {
        "format": "kansenagenda-snapshot/1",
        "title": title,
        "coalition": {"id": 1, "name": f"Coalitie {title}"},
        "region": {"code": region.code, "name": region.name},
        "themes": list(themes),
        "priorities": [{"title": "Eerste", "themes": []}, {"title": "Tweede", "themes": list(priority_themes)}],
    }


def add_submission(review_round, agenda, *, title, region, status=S.SUBMITTED, themes=(), priority_themes=()):
    number = Submission.objects.filter(agenda=agenda).count() + 1
    return Submission.objects.create(
        agenda=agenda,
        round=review_round,
        number=number,
        revision_number=number,
        snapshot=snapshot(title, region, themes=themes, priority_themes=priority_themes),
        content_hash=f"{agenda.pk:032x}{number:032x}",
        status=status,
    )


def add_evidence(submission, total, *, minutes_ago=0, key="") -> EvidenceScore:
    evidence = EvidenceScore.objects.create(
        submission=submission,
        model_version="bewijs-v1",
        datasets_key=key or f"cbs:{minutes_ago}",
        total=Decimal(total),
    )
    EvidenceScore.objects.filter(pk=evidence.pk).update(
        computed_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return evidence


def add_aggregate(submission, total, *, disagreement=False) -> ScoreAggregate:
    return ScoreAggregate.objects.create(
        submission=submission,
        reviews_key=f"k{submission.pk}",
        review_count=2,
        weighted_total=Decimal(total) if total is not None else None,
        disagreement=disagreement,
    )


@dataclass
class SmallRound:
    """Five submissions with figures chosen so that every sort gives another order."""

    round: ReviewRound
    by_title: dict[str, Submission]
    regions: dict[str, Region]  # CR01, CR02, CR03
    themes: list[str]  # theme codes: [0] on Alfa's agenda, [1] on a priority of Bravo's, [2] nowhere

    def ids(self, *titles: str) -> list[int]:
        return [self.by_title[title].pk for title in titles]


def small_round(review_round: ReviewRound, coalition: Coalition, coordinator: User, reviewers: list[User]):
    """Delta, Bravo, Echo, Alfa and Charlie (in that order), with their state, region, reviewers' total,
    disagreement and latest evidence score:

    Alfa     in review  CR01  3.50  no   60.0 (an older score of 90.0 is not the latest)
    Bravo    submitted  CR02  —     —    —     (no aggregate, no evidence; a queued job)
    Charlie  advised    CR03  4.20  yes  30.0  (draft advice)
    Delta    returned   CR01  2.00  no   75.5  (published advice)
    Echo     withdrawn  CR02  —     no   10.0  (an aggregate without a total)
    """
    regions = {code: Region.objects.get(code=code) for code in ("CR01", "CR02", "CR03")}
    themes = list(Theme.objects.order_by("position").values_list("code", flat=True)[:3])
    # Made in another order than the titles': ties must come out in the order of submission.
    plan = [
        ("Delta", S.RETURNED, "CR01", {}),
        ("Bravo", S.SUBMITTED, "CR02", {"priority_themes": [themes[1]]}),
        ("Echo", S.WITHDRAWN, "CR02", {}),
        ("Alfa", S.IN_REVIEW, "CR01", {"themes": [themes[0]]}),
        ("Charlie", S.ADVISED, "CR03", {}),
    ]
    by_title = {}
    for title, status, region, themed in plan:
        agenda = make_agenda(coalition, coordinator, title=title)
        by_title[title] = add_submission(
            review_round, agenda, title=title, region=regions[region], status=status, **themed
        )
    alfa, bravo, charlie, delta, echo = (by_title[t] for t in ("Alfa", "Bravo", "Charlie", "Delta", "Echo"))
    add_aggregate(alfa, "3.50")
    add_aggregate(charlie, "4.20", disagreement=True)
    add_aggregate(delta, "2.00")
    add_aggregate(echo, None)
    add_evidence(alfa, "90.0", minutes_ago=60)
    add_evidence(alfa, "60.0", minutes_ago=1)
    add_evidence(charlie, "30.0")
    add_evidence(delta, "75.5")
    add_evidence(echo, "10.0")
    due = timezone.localdate() + datetime.timedelta(days=14)
    for reviewer, status in zip(
        reviewers, (Assignment.Status.SUBMITTED, Assignment.Status.ACCEPTED, Assignment.Status.DECLINED), strict=True
    ):
        Assignment.objects.create(submission=alfa, reviewer=reviewer, due_date=due, status=status)
    ScoringJob.objects.create(kind=ScoringJob.Kind.EVIDENCE, submission=bravo, key=f"evidence:{bravo.pk}")
    Advice.objects.create(submission=charlie, outcome="conditional", rationale="Zie rapport.")
    Advice.objects.create(submission=delta, outcome="revise", rationale="Herzien.", published_at=timezone.now())
    return SmallRound(round=review_round, by_title=by_title, regions=regions, themes=themes)


# The order of the small round's titles under each ordering (region: see its test).
SORTS = {
    # The reviewers' total, highest first, those without one last (in the order of submission): the default.
    "-total": ["Charlie", "Alfa", "Delta", "Bravo", "Echo"],
    "total": ["Delta", "Alfa", "Charlie", "Bravo", "Echo"],
    # The latest evidence score: Alfa's older 90.0 does not count.
    "-evidence": ["Delta", "Alfa", "Charlie", "Echo", "Bravo"],
    "evidence": ["Echo", "Charlie", "Alfa", "Delta", "Bravo"],
    # Ties in the order of submission: Delta, Echo, Alfa.
    "-disagreement": ["Charlie", "Delta", "Echo", "Alfa", "Bravo"],
    "disagreement": ["Delta", "Echo", "Alfa", "Charlie", "Bravo"],
    # In the order of the workflow, not of the alphabet.
    "status": ["Bravo", "Alfa", "Charlie", "Delta", "Echo"],
    "-status": ["Echo", "Delta", "Charlie", "Alfa", "Bravo"],
    "title": ["Alfa", "Bravo", "Charlie", "Delta", "Echo"],
    "-title": ["Echo", "Delta", "Charlie", "Bravo", "Alfa"],
}


INACTIVE = (S.ADVISED, S.RETURNED, S.WITHDRAWN)


def grow_round(review_round, coalition, coordinator, reviewers, *, count: int, agendas: int = 2) -> list[Submission]:
    """``count`` more submissions on a few agendas, each with figures, reviewers, a job and advice."""
    regions = list(Region.objects.filter(kind=Region.Kind.COROP).order_by("code")[:6])
    themes = list(Theme.objects.order_by("position").values_list("code", flat=True))
    owners = [make_agenda(coalition, coordinator, title=f"Agenda {n}") for n in range(agendas)]
    inactive, region, theme = cycle(INACTIVE), cycle(regions), cycle(themes)
    made = []
    for n in range(count):
        agenda = owners[n % agendas]
        # The first submission of each agenda is under way, the others are done.
        status = S.SUBMITTED if n < agendas else next(inactive)
        made.append(
            add_submission(
                review_round,
                agenda,
                title=f"Agenda {n:03}",
                region=next(region),
                status=status,
                themes=[next(theme)],
                priority_themes=[next(theme)],
            )
        )
    due = timezone.localdate() + datetime.timedelta(days=14)
    ScoreAggregate.objects.bulk_create(
        ScoreAggregate(
            submission=s,
            reviews_key=f"k{s.pk}",
            review_count=2,
            weighted_total=Decimal(1 + n % 40) / 10,
            disagreement=n % 3 == 0,
        )
        for n, s in enumerate(made)
    )
    EvidenceScore.objects.bulk_create(
        EvidenceScore(submission=s, model_version="bewijs-v1", datasets_key=f"cbs:{v}", total=Decimal(n % 100 + v))
        for n, s in enumerate(made)
        for v in (1, 2)
    )
    Assignment.objects.bulk_create(
        Assignment(submission=s, reviewer=reviewer, due_date=due, status=status)
        for s in made
        for reviewer, status in zip(reviewers, (Assignment.Status.SUBMITTED, Assignment.Status.INVITED), strict=False)
    )
    ScoringJob.objects.bulk_create(
        ScoringJob(kind=ScoringJob.Kind.EVIDENCE, submission=s, key=f"evidence:{s.pk}", status=ScoringJob.Status.FAILED)
        for s in made
    )
    Advice.objects.bulk_create(Advice(submission=s, outcome="positive", rationale="Goed.") for s in made)
    return made
