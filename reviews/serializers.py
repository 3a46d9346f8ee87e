"""Serializers of the review API (``reviews.api``).

Input serializers check types and shapes only (whole numbers, dates,
lengths, choices); the services check the rules and answer with field
errors of their own. Output serializers never name a reviewer unless the
view says the reader may know (the chair, or the reviewer about their own
assignment): coalition members never learn who reviews their agenda.

Status fields are plain strings in the schema (their values are listed in
the help text), so the schema has no colliding ``Status`` enums.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.fields import WholeNumberField, YearField
from reviews import permissions, selectors, workflow
from reviews.models import (
    REASON_MAX,
    TEXT_MAX,
    Advice,
    AdviceOutcome,
    Assignment,
    Criterion,
    Question,
    ReviewRound,
    ScoringJob,
    Submission,
)
from reviews.services import NAME_MAX


def _values(choices) -> str:
    return ", ".join(value for value, _label in choices)


# ------------------------------------------------------------------ rounds


class CriterionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=_values(Criterion.Kind.choices))
    theme = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Criterion
        fields = [
            "id",
            "position",
            "kind",
            "code",
            "theme",
            "title",
            "title_en",
            "description",
            "description_en",
            "weight",
        ]
        read_only_fields = fields


class RoundSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=_values(ReviewRound.Status.choices))
    submission_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ReviewRound
        fields = [
            "id",
            "name",
            "programme_name",
            "programme_start_year",
            "programme_end_year",
            "submission_deadline",
            "review_deadline",
            "is_public",
            "status",
            "submission_count",
            "created_at",
        ]
        read_only_fields = fields


class RoundDetailSerializer(RoundSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)
    weight_total = serializers.SerializerMethodField()

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "criteria", "weight_total"]
        read_only_fields = fields

    def get_weight_total(self, review_round) -> int:
        return sum(c.weight for c in review_round.criteria.all())


class CriterionInputSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=80, help_text="theme-<theme code> of a broad-welfare theme, or a general criterion's code"
    )
    weight = WholeNumberField(min_value=1, max_value=100)


class RoundCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX)
    programme_name = serializers.CharField(max_length=NAME_MAX)
    programme_start_year = YearField()
    programme_end_year = YearField()
    submission_deadline = serializers.DateField()
    review_deadline = serializers.DateField()
    is_public = serializers.BooleanField(default=True)
    criteria = CriterionInputSerializer(many=True)


# ------------------------------------------------------------------ advice, evidence, aggregate


class AdviceSerializer(serializers.ModelSerializer):
    """The chair's advice. Drafts are for chairs only; published advice for everyone who may see the submission."""

    submission = serializers.IntegerField(source="submission_id", read_only=True)
    outcome = serializers.CharField(read_only=True, help_text=_values(AdviceOutcome.choices))
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    is_published = serializers.SerializerMethodField()
    evidence = serializers.JSONField(read_only=True, help_text="the evidence score frozen at publication ({} before)")
    aggregate = serializers.JSONField(
        read_only=True, help_text="the combined reviewer scores frozen at publication ({} before)"
    )

    class Meta:
        model = Advice
        fields = [
            "submission",
            "outcome",
            "outcome_label",
            "rationale",
            "conditions",
            "is_published",
            "published_at",
            "updated_at",
            "version",
            "evidence",
            "aggregate",
        ]
        read_only_fields = fields

    def get_is_published(self, advice) -> bool:
        return advice.published_at is not None


class AdviceInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=AdviceOutcome.choices)
    rationale = serializers.CharField(max_length=TEXT_MAX, allow_blank=True)
    conditions = serializers.CharField(max_length=TEXT_MAX, allow_blank=True, required=False, default="")


class PublishInputSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=workflow.COMMENT_MAX, allow_blank=True, required=False, default="")


class EvidenceSerializer(serializers.Serializer):
    total = serializers.DecimalField(max_digits=5, decimal_places=1)
    model_version = serializers.CharField()
    dataset_versions = serializers.JSONField()
    components = serializers.JSONField()
    computed_at = serializers.DateTimeField()


class AggregateSerializer(serializers.Serializer):
    review_count = serializers.IntegerField()
    weighted_total = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    criteria = serializers.JSONField()
    disagreement = serializers.BooleanField()
    computed_at = serializers.DateTimeField()


# ------------------------------------------------------------------ assignments


class AssignmentBriefSerializer(serializers.ModelSerializer):
    """A reviewer on a submission, for the chair."""

    reviewer = serializers.IntegerField(source="reviewer_id", read_only=True)
    reviewer_name = serializers.CharField(source="reviewer.display_name", read_only=True)
    status = serializers.CharField(read_only=True, help_text=_values(Assignment.Status.choices))

    class Meta:
        model = Assignment
        fields = ["id", "reviewer", "reviewer_name", "status", "due_date", "responded_at", "submitted_at"]
        read_only_fields = fields


class ScoreSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion_id")
    criterion_code = serializers.CharField(source="criterion.code")
    criterion_title = serializers.CharField(source="criterion.title")
    score = serializers.IntegerField()
    motivation = serializers.CharField()


class AssignmentSerializer(serializers.ModelSerializer):
    """An invitation to review (the reviewer's own, or any for the chair)."""

    submission = serializers.IntegerField(source="submission_id", read_only=True)
    submission_title = serializers.CharField(source="submission.title", read_only=True)
    round = serializers.IntegerField(source="submission.round_id", read_only=True)
    reviewer = serializers.IntegerField(source="reviewer_id", read_only=True)
    reviewer_name = serializers.CharField(source="reviewer.display_name", read_only=True)
    status = serializers.CharField(read_only=True, help_text=_values(Assignment.Status.choices))

    class Meta:
        model = Assignment
        fields = [
            "id",
            "submission",
            "submission_title",
            "round",
            "reviewer",
            "reviewer_name",
            "status",
            "due_date",
            "assigned_at",
            "responded_at",
            "submitted_at",
        ]
        read_only_fields = fields


class AssignmentDetailSerializer(AssignmentSerializer):
    """The assignment with the round's rubric and the review so far."""

    criteria = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()
    can_see_other_reviews = serializers.SerializerMethodField()

    class Meta(AssignmentSerializer.Meta):
        fields = [
            *AssignmentSerializer.Meta.fields,
            "no_conflict_declared_at",
            "decline_reason",
            "summary",
            "version",
            "criteria",
            "scores",
            "can_see_other_reviews",
        ]
        read_only_fields = fields

    @extend_schema_field(CriterionSerializer(many=True))
    def get_criteria(self, assignment):
        return CriterionSerializer(assignment.submission.round.criteria.all(), many=True).data

    @extend_schema_field(ScoreSerializer(many=True))
    def get_scores(self, assignment):
        return ScoreSerializer(assignment.scores.select_related("criterion"), many=True).data

    def get_can_see_other_reviews(self, assignment) -> bool:
        return permissions.can_see_other_reviews(self.context["request"].user, assignment)


class AssignmentCreateSerializer(serializers.Serializer):
    submission = WholeNumberField(min_value=1)
    reviewer = WholeNumberField(min_value=1, help_text="user id of a reviewer from the pool")
    due_date = serializers.DateField(required=False, allow_null=True, help_text="default: the round's review deadline")

    def validate_submission(self, value: int) -> int:
        if not Submission.objects.filter(pk=value).exists():
            raise serializers.ValidationError(_("Onbekende indiening."))
        return value


class RespondInputSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    no_conflict = serializers.BooleanField(
        default=False, help_text="required to accept: you declare having no conflict of interest"
    )
    reason = serializers.CharField(
        max_length=REASON_MAX, allow_blank=True, required=False, default="", help_text="required to decline"
    )


class ScoreInputSerializer(serializers.Serializer):
    criterion = WholeNumberField(min_value=1)
    score = WholeNumberField(min_value=1, max_value=5, allow_null=True, help_text="1-5; null removes the score")
    motivation = serializers.CharField(max_length=TEXT_MAX, allow_blank=True, required=False, default="")


class ReviewInputSerializer(serializers.Serializer):
    """The whole review: criteria left out of ``scores`` have no score."""

    scores = ScoreInputSerializer(many=True)
    summary = serializers.CharField(max_length=TEXT_MAX, allow_blank=True, required=False, default="")
    submit = serializers.BooleanField(
        default=False, help_text="hand the review in: every criterion scored, a motivation for every 1 or 2"
    )

    def validate_scores(self, scores: list[dict]) -> list[dict]:
        seen: set[int] = set()
        for item in scores:
            if item["criterion"] in seen:
                raise serializers.ValidationError(
                    _("Criterium %(id)s staat er twee keer in.") % {"id": item["criterion"]}
                )
            seen.add(item["criterion"])
        return scores


class ExtendInputSerializer(serializers.Serializer):
    due_date = serializers.DateField()


class ReopenInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX, allow_blank=True)


class OtherReviewSerializer(serializers.Serializer):
    """Another reviewer's submitted review: anonymous ("Beoordelaar 1", …) for reviewers, named for the chair."""

    label = serializers.CharField()
    assignment = serializers.IntegerField(allow_null=True, help_text="chair only")
    reviewer = serializers.IntegerField(allow_null=True, help_text="chair only")
    reviewer_name = serializers.CharField(allow_null=True, help_text="chair only")
    submitted_at = serializers.DateTimeField(allow_null=True, help_text="chair only")
    summary = serializers.CharField()
    scores = ScoreSerializer(many=True)


# ------------------------------------------------------------------ submissions


class SubmissionSerializer(serializers.ModelSerializer):
    agenda = serializers.IntegerField(source="agenda_id", read_only=True)
    round = serializers.IntegerField(source="round_id", read_only=True)
    round_name = serializers.CharField(source="round.name", read_only=True)
    title = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True, help_text=_values(Submission.Status.choices))

    class Meta:
        model = Submission
        fields = [
            "id",
            "agenda",
            "round",
            "round_name",
            "number",
            "revision_number",
            "title",
            "status",
            "submitted_at",
            "closed_at",
            "content_hash",
        ]
        read_only_fields = fields

    def get_title(self, submission) -> str:
        # The list annotates the title so it need not load the snapshots.
        title = getattr(submission, "title_text", None)
        return title if title is not None else submission.title


HASH_METHOD = _(
    "SHA-256 (hexadecimaal, kleine letters) van de UTF-8-bytes van "
    "json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(',', ':'), allow_nan=False)."
)


class SubmissionDetailSerializer(SubmissionSerializer):
    """The frozen snapshot and its hash; the advice when you may see it; for the chair the review's figures.

    Needs ``context``: ``advice`` (or None) and ``chair`` (a dict with
    ``assignments``, ``evidence``, ``aggregate``, or None for everyone else).
    """

    snapshot = serializers.JSONField(read_only=True)
    snapshot_format = serializers.SerializerMethodField()
    content_hash_method = serializers.SerializerMethodField()
    criteria = CriterionSerializer(source="round.criteria", many=True, read_only=True)
    advice = serializers.SerializerMethodField()
    assignments = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()
    aggregate = serializers.SerializerMethodField()

    class Meta(SubmissionSerializer.Meta):
        fields = [
            *SubmissionSerializer.Meta.fields,
            "snapshot_format",
            "content_hash_method",
            "snapshot",
            "criteria",
            "advice",
            "assignments",
            "evidence",
            "aggregate",
        ]
        read_only_fields = fields

    def get_snapshot_format(self, submission) -> str:
        return submission.snapshot.get("format", "")

    def get_content_hash_method(self, submission) -> str:
        return str(HASH_METHOD)

    @extend_schema_field(AdviceSerializer(allow_null=True))
    def get_advice(self, submission):
        advice = self.context.get("advice")
        return AdviceSerializer(advice).data if advice is not None else None

    @extend_schema_field(AssignmentBriefSerializer(many=True, allow_null=True, help_text="chair only"))
    def get_assignments(self, submission):
        chair = self.context.get("chair")
        return AssignmentBriefSerializer(chair["assignments"], many=True).data if chair else None

    @extend_schema_field(EvidenceSerializer(allow_null=True, help_text="chair only: the latest evidence score"))
    def get_evidence(self, submission):
        chair = self.context.get("chair")
        if not chair or chair["evidence"] is None:
            return None
        return EvidenceSerializer(chair["evidence"]).data

    @extend_schema_field(AggregateSerializer(allow_null=True, help_text="chair only: the combined reviewer scores"))
    def get_aggregate(self, submission):
        chair = self.context.get("chair")
        if not chair or chair["aggregate"] is None:
            return None
        return AggregateSerializer(chair["aggregate"]).data


# ------------------------------------------------------------------ questions to the coalition


class QuestionSerializer(serializers.Serializer):
    """A question and its answer (a ``selectors.QuestionShown``). Never names a reviewer: ``asker`` says
    "Beoordelaar 2 vraagt" or "De voorzitter vraagt"."""

    id = serializers.IntegerField(source="question.pk")
    submission = serializers.IntegerField(source="question.submission_id")
    number = serializers.IntegerField(
        source="question.number", allow_null=True, help_text="1, 2, … once sent; null for a proposal"
    )
    status = serializers.CharField(source="question.status", help_text=_values(Question.Status.choices))
    status_label = serializers.CharField(source="question.get_status_display")
    asker = serializers.CharField(help_text="who asks, never by name: “Beoordelaar 2 vraagt”, “De voorzitter vraagt”")
    text = serializers.CharField(source="question.text")
    deadline = serializers.DateField(source="question.deadline", allow_null=True)
    asked_at = serializers.DateTimeField(source="question.asked_at", allow_null=True)
    is_late = serializers.BooleanField(source="late", help_text="answered after the deadline, or open after it")
    answer = serializers.CharField(source="question.answer")
    answered_at = serializers.DateTimeField(source="question.answered_at", allow_null=True)
    attachment_name = serializers.SerializerMethodField()
    attachment_url = serializers.SerializerMethodField()
    dismiss_reason = serializers.CharField(source="question.dismiss_reason")
    proposed_by_assignment = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_attachment_name(self, shown) -> str | None:
        return shown.question.attachment_name if shown.question.attachment else None

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="GET it with the same rights"))
    def get_attachment_url(self, shown) -> str | None:
        if not shown.question.attachment:
            return None
        return reverse("question-attachment", args=[shown.question.pk])

    @extend_schema_field(
        serializers.IntegerField(
            allow_null=True, help_text="chair only: the assignment of the reviewer who proposed it"
        )
    )
    def get_proposed_by_assignment(self, shown) -> int | None:
        return shown.question.proposed_by_assignment_id if self.context.get("chair") else None


class QuestionCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_MAX, allow_blank=True)
    deadline = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="chairs: the day the answer is due (today or later, required); reviewers: leave it out",
    )


class QuestionSendSerializer(serializers.Serializer):
    deadline = serializers.DateField(allow_null=True, help_text="the day the answer is due (today or later)")
    text = serializers.CharField(
        max_length=TEXT_MAX,
        allow_blank=True,
        required=False,
        default="",
        help_text="the question rewritten; empty: sent as the reviewer proposed it",
    )


class QuestionDismissSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX, allow_blank=True, required=False, default="")


class QuestionAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=TEXT_MAX, allow_blank=True)
    attachment = serializers.FileField(
        required=False,
        allow_null=True,
        help_text="optional (multipart/form-data): a PDF, ODT, DOCX, XLSX or CSV file of at most 10 MB",
    )


# ------------------------------------------------------------------ agendas: transitions, endorsements


class TransitionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(a, workflow.ACTION_LABELS[a]) for a in workflow.ACTIONS])
    comment = serializers.CharField(max_length=workflow.COMMENT_MAX, allow_blank=True, required=False, default="")
    round = WholeNumberField(
        min_value=1, allow_null=True, required=False, default=None, help_text="submit: the round (id) to submit to"
    )


class TransitionResultSerializer(serializers.Serializer):
    agenda = serializers.IntegerField()
    state = serializers.CharField(help_text="the agenda's status after the step")
    allowed_actions = serializers.ListField(child=serializers.CharField())
    submission = serializers.IntegerField(help_text="the submission the step was about")
    submission_status = serializers.CharField(read_only=True, help_text=_values(Submission.Status.choices))
    round = serializers.IntegerField()


class TransitionRefusedSerializer(serializers.Serializer):
    """409: the step does not exist in the agenda's current state; nothing changed."""

    detail = serializers.CharField()
    state = serializers.CharField()
    action = serializers.CharField()
    allowed_actions = serializers.ListField(child=serializers.CharField())


class OrganisationEndorsementSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    name = serializers.CharField()
    endorsed = serializers.BooleanField()
    endorsed_by = serializers.CharField(allow_null=True)
    endorsed_at = serializers.DateTimeField(allow_null=True)


class EndorsementStateSerializer(serializers.Serializer):
    """Every member organisation with its endorsement of the agenda's current revision."""

    agenda = serializers.IntegerField()
    revision = serializers.IntegerField()
    status = serializers.CharField()
    complete = serializers.BooleanField(help_text="every member organisation endorsed the current revision")
    organisations = OrganisationEndorsementSerializer(many=True)


class EndorseInputSerializer(serializers.Serializer):
    organisation = WholeNumberField(min_value=1, help_text="the member organisation (id) you represent")


# ------------------------------------------------------------------ the chair's overview of a round


class RoundOverviewQuerySerializer(serializers.Serializer):
    """The query of ``GET /rounds/{id}/overview/``: the same sort and filters as the round page's form.

    Needs ``context["round"]``: a region must be one of the round's submissions'.
    """

    ordering = serializers.ChoiceField(
        choices=selectors.OVERVIEW_ORDERINGS,
        default=selectors.DEFAULT_OVERVIEW_ORDERING,
        help_text="sort by the reviewers' weighted total, the latest evidence score, disagreement between "
        "reviewers, the region's name, the state (in the order of the workflow) or the title; a leading - sorts "
        "descending. Rows without the figure come last either way; ties by title. Default: -total.",
    )
    status = serializers.ChoiceField(
        choices=Submission.Status.choices, required=False, allow_blank=True, help_text="only submissions in this state"
    )
    theme = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="only submissions whose agenda or one of its priorities names this theme (a code of /api/v1/themes/)",
    )
    region = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="only submissions of this region (its CBS code, as in the snapshot); one of the round's regions",
    )
    page = WholeNumberField(min_value=1, default=1, help_text=f"{selectors.OVERVIEW_PAGE_SIZE} rows a page")

    def validate_theme(self, value: str) -> str:
        if value and value not in selectors.theme_names():
            raise serializers.ValidationError(_("Onbekend thema: %(value)s.") % {"value": value})
        return value

    def validate_region(self, value: str) -> str:
        if value and value not in dict(selectors.overview_regions(self.context["round"])):
            raise serializers.ValidationError(_("Geen regio van deze ronde: %(value)s.") % {"value": value})
        return value

    def query(self) -> selectors.OverviewQuery:
        data = self.validated_data
        return selectors.OverviewQuery(
            ordering=data["ordering"],
            status=data.get("status", ""),
            theme=data.get("theme", ""),
            region=data.get("region", ""),
        )


class OverviewJobSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_values(ScoringJob.Kind.choices))
    status = serializers.CharField(help_text="queued, running, failed (finished jobs are not listed)")


class OverviewRowSerializer(serializers.Serializer):
    """One submission in the overview (``selectors.OverviewRow``); title, coalition and region from its snapshot."""

    submission = serializers.IntegerField(source="submission.pk")
    agenda = serializers.IntegerField(source="submission.agenda_id")
    number = serializers.IntegerField(source="submission.number")
    title = serializers.CharField(source="submission.title_text")
    coalition = serializers.CharField(source="submission.coalition_text")
    region = serializers.CharField(source="submission.region_code", allow_null=True)
    region_name = serializers.CharField(source="submission.region_name", allow_null=True)
    status = serializers.CharField(source="submission.status", help_text=_values(Submission.Status.choices))
    reviews_in = serializers.IntegerField(help_text="submitted reviews")
    reviews_expected = serializers.IntegerField(help_text="invited, accepted and submitted (declined not counted)")
    declined = serializers.IntegerField()
    weighted_total = serializers.DecimalField(
        max_digits=4, decimal_places=2, allow_null=True, help_text="the reviewers' weighted total (1-5)"
    )
    disagreement = serializers.BooleanField(allow_null=True, help_text="the reviewers disagree; null: no aggregate")
    evidence_total = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, help_text="the latest evidence score (0-100)"
    )
    unfinished_jobs = OverviewJobSerializer(source="jobs", many=True)
    advice_outcome = serializers.SerializerMethodField(help_text=_values(AdviceOutcome.choices))
    advice_published = serializers.SerializerMethodField()

    def get_advice_outcome(self, row) -> str | None:
        return row.advice.outcome if row.advice else None

    def get_advice_published(self, row) -> bool:
        return bool(row.advice and row.advice.published_at)


class StateCountsSerializer(serializers.Serializer):
    """Submissions per state in the whole round, whatever the filters."""

    submitted = serializers.IntegerField()
    in_review = serializers.IntegerField()
    advised = serializers.IntegerField()
    returned = serializers.IntegerField()
    withdrawn = serializers.IntegerField()


class RoundOverviewSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="submissions that pass the filters")
    round_total = serializers.IntegerField(help_text="submissions in the round")
    counts = StateCountsSerializer()
    ordering = serializers.CharField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    page_size = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = OverviewRowSerializer(many=True)
