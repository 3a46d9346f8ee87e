"""What the public portal shows: only what is public anyway, in a fixed number of queries.

Public are submissions with published advice in public rounds
(``reviews.selectors.public_advice``) and approved funding decisions with
their tranches. Drafts, unpublished advice, proposed or rejected decisions and
who reviewed are never read here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Subquery, Sum
from django.db.models.fields.json import KT

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


def approved_decisions():
    """Approved decisions, newest first, with the agenda's title, programme and region.

    Only the columns the portal and the region page show: not the snapshot (the title comes from a
    subquery, which PostgreSQL evaluates after ORDER BY ... LIMIT, for the shown rows only), nor the
    region's boundary, the programme's legal texts or the decision's long texts.
    """
    title = Submission.objects.filter(pk=OuterRef("submission_id")).order_by().values(title=KT("snapshot__title"))
    return (
        Decision.objects.filter(status=Decision.Status.APPROVED)
        .select_related("programme", "region")
        .only("reference", "amount_awarded", "decided_at", "programme__name", "region__name")
        .annotate(title_text=Subquery(title))
        .order_by("-decided_at", "-id")
    )


def approved_decisions_with_tranches():
    """:func:`approved_decisions` with their tranches by year (year and amount)."""
    tranches = Tranche.objects.only("decision_id", "year", "amount").order_by("year")
    return approved_decisions().prefetch_related(Prefetch("tranches", queryset=tranches))


# What a row of published advice shows besides the submission's own small columns: not the advice's
# rationale, conditions and frozen figures, nor the round's texts.
ADVICE_ROW_COLUMNS = ("number", "round__name", "advice__outcome", "advice__published_at")


def latest_public_advice(limit: int, **filters) -> list[Submission]:
    """The newest ``limit`` submissions with published advice (``reviews.selectors.public_advice``).

    Two queries: the ids of the newest (on the submission, advice and round rows only), then those
    rows with their title and region from the snapshot. In one query PostgreSQL extracts the title
    and region from the snapshot of every public submission before it sorts and cuts.
    """
    ids = list(public_advice().filter(**filters).values_list("pk", flat=True)[:limit])
    if not ids:
        return []
    return list(public_advice().filter(pk__in=ids).only(*ADVICE_ROW_COLUMNS))


@dataclass(frozen=True)
class RegionRecord:
    advice: list[Submission]
    decisions: list[Decision]


def region_record(region) -> RegionRecord:
    """The public record of one region: published advice on its agendas and its approved decisions.

    Three queries (two when no advice is published): the advice ids, their rows, the decisions.
    """
    return RegionRecord(
        advice=latest_public_advice(LATEST_ADVICE, agenda__coalition__region=region),
        decisions=list(approved_decisions().filter(region=region)[:LATEST_DECISIONS]),
    )


def portal_overview() -> PortalOverview:
    """Seven queries: the advice count, ids and rows, the decisions' count and total, the decisions and
    their tranches, the committed amounts per year."""
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
        latest_advice=latest_public_advice(LATEST_ADVICE),
        latest_decisions=list(approved_decisions_with_tranches()[:LATEST_DECISIONS]),
    )
