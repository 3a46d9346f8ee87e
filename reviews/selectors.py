"""Reads of the review, each in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, Case, Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.db.models.expressions import Expression
from django.db.models.fields.json import KT, KeyTransform
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from accounts.models import GlobalRole, User
from accounts.permissions import has_global_role
from coalitions.models import Coalition
from core.formatting import in_language
from regions.models import Theme
from reviews import evidence as evidence_model
from reviews import permissions
from reviews.models import (
    Advice,
    Assignment,
    Criterion,
    EvidenceScore,
    Question,
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


# --- the chair's overview of a round ---------------------------------------------------------

OVERVIEW_PAGE_SIZE = 60

# Sort keys of the overview; "-key" sorts descending. Rows without the figure (not scored yet) come
# last in both directions; ties in the order they were submitted.
OVERVIEW_SORT_KEYS = ("total", "evidence", "disagreement", "region", "status", "title")
OVERVIEW_ORDERINGS = tuple(ordering for key in OVERVIEW_SORT_KEYS for ordering in (f"-{key}", key))
# The reviewers' total, highest first: what a chair does with the overview is rank the submissions
# for advice and see which are not scored yet (they come last, in the order they came in).
DEFAULT_OVERVIEW_ORDERING = "-total"

UNFINISHED_JOBS = (ScoringJob.Status.QUEUED, ScoringJob.Status.RUNNING, ScoringJob.Status.FAILED)


@dataclass(frozen=True)
class OverviewQuery:
    """What the chair asked the overview for: one of ``OVERVIEW_ORDERINGS`` and filters ("" is all).

    ``status`` a ``Submission.Status``; ``theme`` a theme code the snapshot names (on the agenda or on
    a priority); ``region`` the code of the snapshot's region. The page's form and the API's query
    serializer check the values (``theme_names``, ``overview_regions``) before they get here.
    """

    ordering: str = DEFAULT_OVERVIEW_ORDERING
    status: str = ""
    theme: str = ""
    region: str = ""

    def as_params(self) -> dict[str, str]:
        """The query as URL parameters, without the default ordering and the empty filters."""
        params = {"ordering": self.ordering if self.ordering != DEFAULT_OVERVIEW_ORDERING else ""}
        params.update(status=self.status, theme=self.theme, region=self.region)
        return {name: value for name, value in params.items() if value}


@dataclass
class OverviewRow:
    submission: Submission  # with title_text, coalition_text, region_code and region_name
    invited: int
    accepted: int
    declined: int
    reviews_in: int
    weighted_total: Decimal | None  # None: no aggregate yet, or no complete review
    disagreement: bool | None  # None: no aggregate yet
    evidence_total: Decimal | None  # the latest evidence score
    advice: Advice | None  # only outcome and published_at loaded
    jobs: list[ScoringJob]  # unfinished (queued, running, failed), newest first

    @property
    def job_states(self) -> list[str]:
        """Each state of the unfinished jobs once (an evidence and an aggregate job both queued: once)."""
        return list(dict.fromkeys(job.get_status_display() for job in self.jobs))

    @property
    def reviews_expected(self) -> int:
        """The reviews still to come and those in: declined invitations do not count."""
        return self.invited + self.accepted + self.reviews_in


@dataclass(frozen=True)
class RoundOverview:
    rows: list[OverviewRow]
    page: Page
    counts: dict[str, int]  # per Submission.Status value, over the whole round
    round_total: int
    matching: int  # the submissions that pass the filters

    def state_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in the order of the workflow."""
        return [(value, label, self.counts[value]) for value, label in Submission.Status.choices]


def _names_theme(code: str) -> Q:
    """Submissions whose snapshot names the theme, on the agenda or on one of its priorities.

    The rule of ``funding.national.snapshot_themes``, in SQL so the database filters the round.
    """
    if connection.vendor == "postgresql":
        # JSON containment: an element of "priorities" whose "themes" holds the code.
        return Q(snapshot__contains={"themes": [code]}) | Q(snapshot__contains={"priorities": [{"themes": [code]}]})
    # SQLite has no JSON containment: json_each reads the same two places.
    return Q(_SQLiteNamesTheme(code))


_SQLITE_NAMES_THEME = (
    "(EXISTS (SELECT 1 FROM json_each({column}, '$.themes') AS agenda_theme WHERE agenda_theme.value = %s)"
    " OR EXISTS (SELECT 1 FROM json_each({column}, '$.priorities') AS priority,"
    " json_each(priority.value, '$.themes') AS priority_theme WHERE priority_theme.value = %s))"
)


class _SQLiteNamesTheme(Expression):
    """True when the snapshot names the theme, for SQLite (see ``_names_theme``).

    An expression, not raw SQL, so the snapshot column carries the alias of
    the query it is in (the overview's page is chosen in a subquery).
    """

    output_field = BooleanField()

    def __init__(self, code: str, snapshot: Any = None):
        super().__init__()
        self.code = code
        self.snapshot = snapshot if snapshot is not None else F("snapshot")

    def get_source_expressions(self) -> list:
        return [self.snapshot]

    def set_source_expressions(self, expressions) -> None:
        (self.snapshot,) = expressions

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.snapshot)
        # The column as Django compiled it, with its query's alias; the code is a bound parameter.
        sql = _SQLITE_NAMES_THEME.replace("{column}", column)
        return sql, (*params, self.code, *params, self.code)


def _matching(query: OverviewQuery) -> Q:
    matching = Q()
    if query.status:
        matching &= Q(status=query.status)
    if query.theme:
        matching &= _names_theme(query.theme)
    if query.region:
        matching &= Q(snapshot__region__code=query.region)
    return matching


def _order_by(ordering: str) -> list:
    key = ordering.removeprefix("-")
    sort_by = {
        "total": F("aggregate__weighted_total"),
        "evidence": F("evidence_total"),
        "disagreement": F("aggregate__disagreement"),
        "region": F("region_name"),
        # In the order of the workflow, not of the alphabet.
        "status": Case(*(When(status=value, then=n) for n, value in enumerate(Submission.Status.values))),
        "title": F("title_text"),
    }[key]
    first = sort_by.desc(nulls_last=True) if ordering.startswith("-") else sort_by.asc(nulls_last=True)
    # Ties in the order of submission: by title would read every matching snapshot for every page.
    return [first, "id"]


class _CountedPaginator(Paginator):
    """A paginator told its count: the overview counts the matching rows with the counts per state."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def overview_regions(review_round: ReviewRound) -> list[tuple[str, str]]:
    """(code, name) of the regions of the round's submissions, by name: what the region filter offers (one query).

    The region is read out of each snapshot once, as a whole (see ``round_overview`` on why once).
    """
    regions = (
        Submission.objects.filter(round=review_round)
        .annotate(region=KeyTransform("region", "snapshot"))
        .values_list("region", flat=True)
        .order_by()
        .distinct()
    )
    found = {(region["code"], region["name"]) for region in regions if isinstance(region, dict)}
    return sorted(found, key=lambda region: (region[1], region[0]))


def round_overview(
    review_round: ReviewRound,
    query: OverviewQuery = OverviewQuery(),
    *,
    page: int | str = 1,
    per_page: int = OVERVIEW_PAGE_SIZE,
) -> RoundOverview:
    """One page of the chair's overview of a round, sorted and filtered, with the counts per state.

    Four queries however large the round (three when the page is empty):
    1 the counts per state in the round and the number that match the filters,
    2 the page's submissions (+aggregate, advice; title, coalition and region
    read from the snapshot and the latest evidence score as a subquery, so no
    snapshot and no history of scores is loaded), 3 their unfinished jobs,
    4 their assignments counted per state. A page number out of range gives
    the last page (``Paginator.get_page``).
    """
    in_round = Submission.objects.filter(round=review_round)
    matching = _matching(query)
    counts = in_round.aggregate(
        **{f"n_{value}": Count("pk", filter=Q(status=value)) for value in Submission.Status.values},
        matching=Count("pk", filter=matching) if matching else Count("pk"),
    )
    annotations = {
        "title_text": KT("snapshot__title"),
        "coalition_text": KT("snapshot__coalition__name"),
        "region_code": KT("snapshot__region__code"),
        "region_name": KT("snapshot__region__name"),
        "evidence_total": Subquery(
            EvidenceScore.objects.filter(submission=OuterRef("pk")).order_by("-computed_at", "-id").values("total")[:1]
        ),
    }
    order = _order_by(query.ordering)
    # The page is chosen in a subquery that computes only what the order needs for every matching
    # row (values() leaves the other annotations out): every value read out of a snapshot
    # decompresses it again, and reading all four for the whole round was most of the query's time.
    ranked = in_round.filter(matching).annotate(**annotations).order_by(*order)
    shown = _CountedPaginator(ranked.values("pk"), per_page, count=counts["matching"]).get_page(page)
    submissions = (
        Submission.objects.filter(pk__in=shown.object_list)
        .select_related("aggregate", "advice")
        .only(
            "id",
            "agenda_id",
            "round_id",
            "number",
            "status",
            "aggregate__weighted_total",
            "aggregate__disagreement",
            "advice__outcome",
            "advice__published_at",
        )
        .annotate(**annotations)
        .order_by(*order)
    )
    on_page = list(submissions) if counts["matching"] else []
    ids = [s.pk for s in on_page]
    # Jobs and assignment counts by plain queries over the page's ids: a prefetch would build
    # a queryset per row to hand out what one query already brought.
    jobs: dict[int, list[ScoringJob]] = {}
    assignments: dict[tuple[int, str], int] = {}
    if ids:
        unfinished = (
            ScoringJob.objects.filter(submission__in=ids, status__in=UNFINISHED_JOBS)
            .only("id", "submission_id", "kind", "status", "created_at")
            .order_by("-created_at", "-id")
        )
        for job in unfinished:
            jobs.setdefault(job.submission_id, []).append(job)
        assignments = {
            (submission_id, status): n
            for submission_id, status, n in Assignment.objects.filter(submission__in=ids)
            .values("submission_id", "status")
            .annotate(n=Count("id"))
            .values_list("submission_id", "status", "n")
            .order_by()
        }
    rows = []
    for s in on_page:
        aggregate = aggregate_of(s)
        rows.append(
            OverviewRow(
                submission=s,
                invited=assignments.get((s.pk, Assignment.Status.INVITED), 0),
                accepted=assignments.get((s.pk, Assignment.Status.ACCEPTED), 0),
                declined=assignments.get((s.pk, Assignment.Status.DECLINED), 0),
                reviews_in=assignments.get((s.pk, Assignment.Status.SUBMITTED), 0),
                weighted_total=aggregate.weighted_total if aggregate else None,
                disagreement=aggregate.disagreement if aggregate else None,
                evidence_total=s.evidence_total,
                advice=s.advice if _has_advice(s) else None,
                jobs=jobs.get(s.pk, []),
            )
        )
    by_state = {value: counts[f"n_{value}"] for value in Submission.Status.values}
    return RoundOverview(
        rows=rows, page=shown, counts=by_state, round_total=sum(by_state.values()), matching=counts["matching"]
    )


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


# --- reviewers by number, never by name -------------------------------------------------------------


def reviewer_numbers(submission: Submission) -> dict[int, int]:
    """Assignment id -> the reviewer's number on the submission: "Beoordelaar 2" wherever it shows (one query).

    Reviewers are numbered in the order they accepted (declared no conflict),
    among those who accepted: a number never changes once given, whatever
    others do later (decline, hand in, are reopened). Assignments that count as
    accepted without the time of it come after, by id.
    """
    accepted = (
        Assignment.objects.filter(
            submission_id=submission.pk, status__in=(Assignment.Status.ACCEPTED, Assignment.Status.SUBMITTED)
        )
        .order_by(F("no_conflict_declared_at").asc(nulls_last=True), "id")
        .values_list("pk", flat=True)
    )
    return {pk: number for number, pk in enumerate(accepted, start=1)}


def reviewer_label(number: int | None) -> str:
    """How a reviewer is named to everyone but the chair: "Beoordelaar 2"."""
    return _("Beoordelaar %(number)s") % {"number": number if number is not None else "?"}


# --- questions to the coalition (reviews.questions) ----------------------------------------------------


def questions_visible_to(user: User | AnonymousUser, submission: Submission) -> QuerySet[Question]:
    """The questions of ``submission`` that ``user`` may read: the one rule, for pages, the API and downloads.

    * the chair: all of them, proposals and dismissed ones too;
    * a reviewer invited to it (not declined): the sent ones, and their own proposals;
    * the coalition's members: the sent ones (open and answered);
    * everyone, also without logging in, once the advice is published in a
      public round (``permissions.is_public_record``): the sent ones;
    * anyone else: none.

    ``submission`` is loaded with its round and agenda's coalition.
    """
    questions = Question.objects.filter(submission_id=submission.pk)
    if permissions.is_chair(user):
        return questions
    sent = Q(status__in=Question.SENT)
    assignment = permissions.own_assignment(user, submission)
    if assignment is not None:
        return questions.filter(sent | Q(proposed_by_assignment_id=assignment.pk))
    if permissions.is_coalition_member(user, submission) or permissions.is_public_record(submission):
        return questions.filter(sent)
    return questions.none()


@dataclass(frozen=True)
class QuestionShown:
    """A question as a page shows it: who asks in words that never name a reviewer, and whether it is late."""

    question: Question
    asker: str  # "Beoordelaar 2 vraagt", "De voorzitter vraagt"
    late: bool  # answered after its deadline, or still open after it
    reviewer_name: str = ""  # for the chair only


def questions_shown(user: User | AnonymousUser, submission: Submission, *, names: bool = False) -> list[QuestionShown]:
    """``questions_visible_to`` in order (sent ones by number, then proposals), ready for a page (two queries).

    ``names``: the chair's pages add the proposing reviewer's name (one more query).
    """
    questions = list(questions_visible_to(user, submission))
    if not questions:
        return []
    numbers = reviewer_numbers(submission)
    reviewer_names: dict[int, str] = {}
    if names:
        reviewer_names = {
            a.pk: a.reviewer.display_name
            for a in Assignment.objects.filter(submission_id=submission.pk).select_related("reviewer")
        }
    today = timezone.localdate()
    shown = []
    for question in questions:
        proposer = question.proposed_by_assignment_id
        if proposer is None:
            asker = _("De voorzitter vraagt")
        else:
            asker = _("%(reviewer)s vraagt") % {"reviewer": reviewer_label(numbers.get(proposer))}
        shown.append(
            QuestionShown(
                question=question,
                asker=asker,
                late=question.is_late(today),
                reviewer_name=reviewer_names.get(proposer, "") if proposer else "",
            )
        )
    return shown
