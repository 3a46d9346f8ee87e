"""What the public portal shows: only what is public anyway, in a fixed number of queries.

Public are submissions with published advice in public rounds
(``reviews.selectors.public_advice``) and approved funding decisions with
their tranches. Drafts, unpublished advice, proposed or rejected decisions and
who reviewed are never read here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Sum
from django.db.models.fields.json import KeyTextTransform

from funding.models import Decision, Tranche
from reviews.models import Submission
from reviews.selectors import public_advice

LATEST_ADVICE = 10
LATEST_DECISIONS = 25


@dataclass(frozen=True)
class PortalOverview:
    advice_count: int
    decision_count: int
    committed_total: int
    committed_by_year: list[tuple[int, int]]
    latest_advice: list[Submission]
    latest_decisions: list[Decision]


def approved_decisions_with_tranches():
    """Approved decisions, newest first, with their tranches by year and the agenda's title (no snapshots)."""
    return (
        Decision.objects.filter(status=Decision.Status.APPROVED)
        .select_related("programme", "region")
        .prefetch_related(Prefetch("tranches", queryset=Tranche.objects.order_by("year")))
        .annotate(title_text=KeyTextTransform("title", "submission__snapshot"))
        .order_by("-decided_at", "-id")
    )


@dataclass(frozen=True)
class RegionRecord:
    advice: list[Submission]
    decisions: list[Decision]


def region_record(region) -> RegionRecord:
    """The public record of one region: published advice on its agendas and its approved decisions (two queries)."""
    return RegionRecord(
        advice=list(public_advice().filter(agenda__coalition__region=region)[:LATEST_ADVICE]),
        decisions=list(approved_decisions_with_tranches().filter(region=region)[:LATEST_DECISIONS]),
    )


def portal_overview() -> PortalOverview:
    """Six queries: the advice count and list, the decisions' count and total, the decisions and their
    tranches, the committed amounts per year."""
    advice = public_advice()
    approved = Decision.objects.filter(status=Decision.Status.APPROVED)
    totals = approved.aggregate(count=Count("id"), total=Sum("amount_awarded"))
    by_year = (
        Tranche.objects.filter(decision__status=Decision.Status.APPROVED)
        .values_list("year")
        .annotate(total=Sum("amount"))
        .order_by("year")
    )
    return PortalOverview(
        advice_count=advice.count(),
        decision_count=totals["count"],
        committed_total=totals["total"] or 0,
        committed_by_year=list(by_year),
        latest_advice=list(advice[:LATEST_ADVICE]),
        latest_decisions=list(approved_decisions_with_tranches()[:LATEST_DECISIONS]),
    )
