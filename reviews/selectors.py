"""Reads of the review, each in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.fields.json import KT
from guardian.shortcuts import get_objects_for_user

from accounts.models import GlobalRole, User
from accounts.permissions import has_global_role
from coalitions.models import Coalition
from core.formatting import in_language
from regions.models import Theme
from reviews import evidence as evidence_model
from reviews import permissions
from reviews.models import (
    Assignment,
    Criterion,
    EvidenceScore,
    ReviewRound,
    Score,
    ScoreAggregate,
    ScoringJob,
    Submission,
)


def rounds_for(user: User | AnonymousUser) -> QuerySet[ReviewRound]:
    rounds = ReviewRound.objects.annotate(submission_count=Count("submissions")).order_by("-submission_deadline", "id")
    if permissions.is_chair(user):
        return rounds
    return rounds.filter(status=ReviewRound.Status.OPEN)


def submissions_visible_to(user: User | AnonymousUser) -> QuerySet[Submission]:
    """What the submission list and the API show: the rule of ``permissions.can_view_submission`` as a query."""
    public = Q(round__is_public=True, advice__published_at__isnull=False)
    base = Submission.objects.select_related("round", "agenda", "agenda__coalition")
    if not user.is_authenticated or not user.is_active:
        return base.filter(public)
    if has_global_role(user, GlobalRole.REVIEW_CHAIR, GlobalRole.RIJK_OFFICIAL):
        return base
    coalitions = get_objects_for_user(
        user, "coalitions.view_coalition", klass=Coalition, accept_global_perms=False, with_superuser=False
    )
    reviewing = Q(assignments__reviewer=user, assignments__status__in=permissions.VISIBLE_ASSIGNMENT)
    return base.filter(public | Q(agenda__coalition__in=coalitions) | reviewing).distinct()


def public_advice() -> QuerySet[Submission]:
    """Submissions with published advice in public rounds, newest advice first: readable by everyone.

    Without their snapshots (the title and region are annotated), so a list
    costs one query however large the agendas are.
    """
    return (
        Submission.objects.filter(round__is_public=True, advice__published_at__isnull=False)
        .select_related("round", "advice")
        .defer("snapshot")
        .annotate(title_text=KT("snapshot__title"), region_text=KT("snapshot__region__name"))
        .order_by("-advice__published_at", "-id")
    )


def latest_evidence(submission: Submission) -> EvidenceScore | None:
    return submission.evidence_scores.order_by("-computed_at", "-id").first()


def aggregate_of(submission: Submission):
    try:
        return submission.aggregate
    except Submission.aggregate.RelatedObjectDoesNotExist:
        return None


# --- scores as a page shows them: in the reader's language --------------------------------


@dataclass(frozen=True)
class EvidenceShown:
    total: Decimal
    model_version: str
    dataset_versions: Mapping[str, int]
    # Stored components with title and explanation in the reader's language (reviews.evidence.present).
    components: list[dict[str, Any]]


@dataclass(frozen=True)
class AggregateShown:
    review_count: int
    weighted_total: Decimal | None
    disagreement: bool
    # Stored rows with the criterion's title in the reader's language.
    criteria: list[dict[str, Any]]


def theme_names() -> dict[str, str]:
    """Theme code -> name in the reader's language (one query)."""
    return {code: in_language(nl, en) for code, nl, en in Theme.objects.values_list("code", "name_nl", "name_en")}


def evidence_shown(evidence: EvidenceScore | Mapping[str, Any] | None) -> EvidenceShown | None:
    """An evidence score, or the copy frozen in a published advice, for a page (one query for theme names)."""
    if not evidence:
        return None
    if isinstance(evidence, EvidenceScore):
        total, model_version = evidence.total, evidence.model_version
        dataset_versions, components = evidence.dataset_versions, evidence.components
    else:
        total, model_version = Decimal(evidence["total"]), evidence.get("model_version", "")
        dataset_versions, components = evidence.get("dataset_versions", {}), evidence.get("components", [])
    return EvidenceShown(
        total=total,
        model_version=model_version,
        dataset_versions=dataset_versions,
        components=evidence_model.present(components, theme_names()),
    )


def aggregate_shown(
    aggregate: ScoreAggregate | Mapping[str, Any] | None, criteria: Iterable[Criterion]
) -> AggregateShown | None:
    """The reviewers' aggregate, or the copy frozen in a published advice, with ``criteria``'s titles.

    A row whose criterion is not among ``criteria`` keeps the title it was stored with.
    """
    if not aggregate:
        return None
    if isinstance(aggregate, ScoreAggregate):
        weighted_total, review_count = aggregate.weighted_total, aggregate.review_count
        rows, disagreement = aggregate.criteria, aggregate.disagreement
    else:
        weighted = aggregate.get("weighted_total")
        weighted_total = Decimal(weighted) if weighted is not None else None
        review_count, rows = aggregate.get("review_count", 0), aggregate.get("criteria", [])
        disagreement = aggregate.get("disagreement", False)
    titles = {c.pk: c.shown_title for c in criteria}
    return AggregateShown(
        review_count=review_count,
        weighted_total=weighted_total,
        disagreement=disagreement,
        criteria=[{**row, "title": titles.get(row.get("criterion_id"), row.get("title", ""))} for row in rows],
    )


@dataclass
class OverviewRow:
    submission: Submission
    invited: int
    accepted: int
    declined: int
    reviews_in: int
    evidence: EvidenceScore | None
    aggregate: object | None
    advice: object | None
    jobs: list[ScoringJob]


def round_overview(review_round: ReviewRound) -> list[OverviewRow]:
    """The chair's overview of a round: 3 queries however many submissions.

    1 submissions (+agenda, coalition, aggregate, advice) with the
    assignment counts, 2 their evidence scores, 3 their unfinished jobs.
    """
    counts = {
        name: Count("assignments", filter=Q(assignments__status=status), distinct=True)
        for name, status in (
            ("n_invited", Assignment.Status.INVITED),
            ("n_accepted", Assignment.Status.ACCEPTED),
            ("n_declined", Assignment.Status.DECLINED),
            ("n_submitted", Assignment.Status.SUBMITTED),
        )
    }
    submissions = list(
        Submission.objects.filter(round=review_round)
        .select_related("aggregate", "advice")
        # The snapshot can be large; the overview needs only its title.
        .defer("snapshot")
        .annotate(title_text=KT("snapshot__title"), coalition_text=KT("snapshot__coalition__name"), **counts)
        .prefetch_related(
            Prefetch("evidence_scores", queryset=EvidenceScore.objects.order_by("-computed_at", "-id")),
            Prefetch(
                "scoring_jobs",
                queryset=ScoringJob.objects.filter(
                    status__in=[ScoringJob.Status.QUEUED, ScoringJob.Status.RUNNING, ScoringJob.Status.FAILED]
                ).order_by("-created_at"),
            ),
        )
        .order_by("title_text", "id")
    )
    rows = []
    for s in submissions:
        evidence = s.evidence_scores.all()
        rows.append(
            OverviewRow(
                submission=s,
                invited=s.n_invited,
                accepted=s.n_accepted,
                declined=s.n_declined,
                reviews_in=s.n_submitted,
                evidence=evidence[0] if evidence else None,
                aggregate=aggregate_of(s),
                advice=getattr(s, "advice", None) if _has_advice(s) else None,
                jobs=list(s.scoring_jobs.all()),
            )
        )
    return rows


def _has_advice(submission: Submission) -> bool:
    try:
        submission.advice  # noqa: B018 - loaded by select_related
    except Submission.advice.RelatedObjectDoesNotExist:
        return False
    return True


def assignments_for(user: User) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(reviewer=user)
        .select_related("submission", "submission__round")
        .order_by("status", "due_date", "id")
    )


def assignments_of(submission: Submission) -> QuerySet[Assignment]:
    return submission.assignments.select_related("reviewer").prefetch_related(
        Prefetch("scores", queryset=Score.objects.select_related("criterion"))
    )


def other_reviews(assignment: Assignment) -> list[Assignment]:
    """The other submitted reviews of the same submission, with their scores."""
    return list(
        assignments_of(assignment.submission)
        .filter(status=Assignment.Status.SUBMITTED)
        .exclude(pk=assignment.pk)
        .order_by("submitted_at", "id")
    )


def rescore_jobs(limit: int = 5) -> list[ScoringJob]:
    return list(ScoringJob.objects.filter(kind=ScoringJob.Kind.RESCORE).order_by("-created_at")[:limit])
