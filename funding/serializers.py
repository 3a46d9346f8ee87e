"""Serializers of the funding API (``funding.api``).

Input serializers check types and shapes only (whole numbers within bounds,
one tranche or envelope per year, lengths, ids that exist); the services check
the rules (``funding.services``) and answer with field errors of their own.

Output serializers read a decision's title from the frozen snapshot of its
submission, never from the live agenda, and name no reviewer. The officials
who proposed and decided are named only when the view says the reader is an
official (``context["officials"]``).

Status fields are plain strings in the schema (their values are listed in
the help text), so the schema has no colliding ``Status`` enums.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.fields import WholeNumberField, YearField
from funding.models import LEGAL_TEXT_MAX, TEXT_MAX, Amendment, Decision, Envelope, Programme, ProgressReport, Tranche
from funding.services import AMOUNT_MAX
from reviews.models import AdviceOutcome, Submission

# Ids are bigints; anything larger is not an id (and would not fit the database's column).
ID_MAX = 2**63 - 1
NAME_MAX = Programme._meta.get_field("name").max_length
# A programme runs at most 30 years; a few more entries than that are never needed.
YEARS_MAX = 50


def _values(choices) -> str:
    return ", ".join(value for value, _label in choices)


def _display(user) -> str | None:
    return user.display_name if user is not None else None


# ------------------------------------------------------------------ programmes


class EnvelopeSerializer(serializers.ModelSerializer):
    """One payment year of a programme: the budget, the part reserved for lagging regions, and what is committed."""

    reserved = serializers.IntegerField(source="reserved_amount", read_only=True)
    open = serializers.IntegerField(source="open_amount", read_only=True, help_text="amount - reserved")
    committed = serializers.IntegerField(read_only=True, help_text="committed_reserved + committed_open")
    available = serializers.IntegerField(read_only=True, help_text="amount - committed")
    available_reserved = serializers.SerializerMethodField(help_text="left of the reserved part")
    available_open = serializers.SerializerMethodField(help_text="left of the open part")

    class Meta:
        model = Envelope
        fields = [
            "year",
            "amount",
            "reserved",
            "open",
            "committed_reserved",
            "committed_open",
            "committed",
            "available",
            "available_reserved",
            "available_open",
        ]
        read_only_fields = fields

    def get_available_reserved(self, envelope) -> int:
        return envelope.reserved_amount - envelope.committed_reserved

    def get_available_open(self, envelope) -> int:
        return envelope.open_amount - envelope.committed_open


class ProgrammeRulesSerializer(serializers.Serializer):
    min_cofinancing_percent = serializers.IntegerField(
        help_text="at least this share of a funded agenda comes from other sources than the Rijk"
    )
    reserved_percent = serializers.IntegerField(help_text="share of every year's budget only for lagging regions")
    lagging_min_themes = serializers.IntegerField(
        help_text="a region is lagging when behind on at least this many themes"
    )


class ProgrammeTotalsSerializer(serializers.Serializer):
    """The programme's years added up."""

    amount = serializers.IntegerField()
    reserved = serializers.IntegerField()
    committed = serializers.IntegerField()
    available = serializers.IntegerField()


class ProgrammeSerializer(serializers.ModelSerializer):
    rules = serializers.SerializerMethodField()
    years = serializers.SerializerMethodField()
    envelopes = EnvelopeSerializer(many=True, read_only=True)
    totals = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "ministry",
            "ministry_en",
            "legal_basis",
            "legal_basis_en",
            "start_year",
            "end_year",
            "years",
            "rules",
            "envelopes",
            "totals",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ProgrammeRulesSerializer)
    def get_rules(self, programme):
        return ProgrammeRulesSerializer(programme).data

    def get_years(self, programme) -> list[int]:
        return list(programme.years)

    @extend_schema_field(ProgrammeTotalsSerializer)
    def get_totals(self, programme):
        envelopes = list(programme.envelopes.all())
        return {
            "amount": sum(e.amount for e in envelopes),
            "reserved": sum(e.reserved_amount for e in envelopes),
            "committed": sum(e.committed for e in envelopes),
            "available": sum(e.available for e in envelopes),
        }


class EnvelopeInputSerializer(serializers.Serializer):
    year = YearField()
    amount = WholeNumberField(min_value=1, max_value=AMOUNT_MAX, help_text="whole euros")


def _one_per_year(items: list[dict], message) -> list[dict]:
    seen: set[int] = set()
    for item in items:
        if item["year"] in seen:
            raise serializers.ValidationError(message % {"year": item["year"]})
        seen.add(item["year"])
    return items


class ProgrammeCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX)
    description = serializers.CharField(max_length=TEXT_MAX, allow_blank=True, required=False, default="")
    start_year = YearField()
    end_year = YearField()
    min_cofinancing_percent = WholeNumberField(min_value=0, max_value=100, required=False, default=50)
    reserved_percent = WholeNumberField(min_value=0, max_value=100, required=False, default=30)
    lagging_min_themes = WholeNumberField(min_value=1, max_value=30, required=False, default=3)
    ministry = serializers.CharField(
        max_length=200, allow_blank=True, required=False, default="", help_text="the ministry that decides (Dutch)"
    )
    ministry_en = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    legal_basis = serializers.CharField(
        max_length=LEGAL_TEXT_MAX,
        allow_blank=True,
        required=False,
        default="",
        help_text="the regulation and article the decision letters rest on (Dutch)",
    )
    legal_basis_en = serializers.CharField(max_length=LEGAL_TEXT_MAX, allow_blank=True, required=False, default="")
    envelopes = EnvelopeInputSerializer(
        many=True, max_length=YEARS_MAX, help_text="a budget for every payment year of the period"
    )

    def validate_envelopes(self, envelopes: list[dict]) -> list[dict]:
        return _one_per_year(envelopes, _("Hoogstens één budget per jaar: %(year)s staat er twee keer in."))


# ------------------------------------------------------------------ decisions


class ProgrammeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SubmissionRefSerializer(serializers.Serializer):
    """The submitted (frozen) agenda the decision is about: anyone can check the content hash."""

    id = serializers.IntegerField()
    content_hash = serializers.CharField(help_text="SHA-256 of the snapshot (see /api/v1/submissions/{id}/)")
    submitted_at = serializers.DateTimeField()


class AdviceRefSerializer(serializers.Serializer):
    outcome = serializers.CharField(help_text=_values(AdviceOutcome.choices))
    outcome_label = serializers.CharField()
    published_at = serializers.DateTimeField()


class TrancheSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=_values(Tranche.Status.choices))

    class Meta:
        model = Tranche
        fields = ["id", "year", "amount", "status", "from_reserved", "from_open", "released_at", "reclaimed_amount"]
        read_only_fields = fields


class AmendmentSerializer(serializers.ModelSerializer):
    """An amendment of a decision. Needs ``context["officials"]``: the officials' names are for officials only."""

    status = serializers.CharField(read_only=True, help_text=_values(Amendment.Status.choices))
    decision = serializers.IntegerField(source="decision_id", read_only=True)
    tranches_before = serializers.DictField(child=serializers.IntegerField(), help_text="{year: amount}")
    tranches_after = serializers.DictField(child=serializers.IntegerField(), help_text="{year: amount}")
    proposed_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()
    rejection_reason = serializers.SerializerMethodField()
    has_letter = serializers.SerializerMethodField()

    class Meta:
        model = Amendment
        fields = [
            "id",
            "decision",
            "number",
            "status",
            "reason",
            "amount_before",
            "amount_after",
            "tranches_before",
            "tranches_after",
            "proposed_at",
            "decided_at",
            "proposed_by",
            "decided_by",
            "rejection_reason",
            "has_letter",
        ]
        read_only_fields = fields

    def get_has_letter(self, amendment) -> bool:
        return amendment.status == Amendment.Status.APPROVED and bool(amendment.letter)

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="officials only"))
    def get_proposed_by(self, amendment):
        return _display(amendment.proposed_by) if self.context.get("officials") else None

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="officials only"))
    def get_decided_by(self, amendment):
        return _display(amendment.decided_by) if self.context.get("officials") else None

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="officials only"))
    def get_rejection_reason(self, amendment):
        return amendment.rejection_reason if self.context.get("officials") else None


# One instance for formatting dates inside method fields (a field per row would be built for nothing).
_DATETIME = serializers.DateTimeField()


def _label(choices, value: str) -> str:
    """The label of ``value`` as ``get_FOO_display()`` gives it, without hashing every lazy label of the choices."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class DecisionSerializer(serializers.ModelSerializer):
    """A decision (beschikking). Needs ``context["officials"]``: whether the reader is a Rijk official.

    Public for approved decisions; the officials' names and a rejection's
    reason are for officials only (null for everyone else).

    The list and the detail share it: one shape, one code path
    (``funding.api.DecisionViewSet._shown``). It is instantiated once for a
    list (``many=True``) and its nested fields once with it; nothing builds a
    serializer per row (a serializer instance deep-copies its declared
    fields, which was most of the list's time). Needs the decisions of
    ``funding.api.decisions_shown_to`` (only the columns shown, the title
    annotated, ``visible_amendments`` prefetched: which amendments a reader
    may see) and ``context["tranches"]`` (``funding.api.tranches_of``).
    """

    title = serializers.SerializerMethodField(help_text="the agenda's title as submitted (from the snapshot)")
    status = serializers.CharField(read_only=True, help_text=_values(Decision.Status.choices))
    status_label = serializers.SerializerMethodField()
    programme = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    lead_partner = serializers.SerializerMethodField()
    submission = serializers.SerializerMethodField()
    advice = serializers.SerializerMethodField()
    tranches = serializers.SerializerMethodField()
    has_letter = serializers.SerializerMethodField()
    proposed_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()
    rejection_reason = serializers.SerializerMethodField()
    amendments = AmendmentSerializer(
        many=True,
        read_only=True,
        source="visible_amendments",
        help_text="the decision's history of amendments: approved ones, for officials all of them",
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "reference",
            "title",
            "status",
            "status_label",
            "programme",
            "region",
            "lead_partner",
            "submission",
            "advice",
            "amount_requested",
            "amount_awarded",
            "difference_explanation",
            "conditions",
            "accumulated_deficit",
            "lagging",
            "cofinancing_percent",
            "cofinancing_exception",
            "tranches",
            "proposed_at",
            "decided_at",
            "has_letter",
            "proposed_by",
            "decided_by",
            "rejection_reason",
            "amendments",
        ]
        read_only_fields = fields

    def _officials(self) -> bool:
        return bool(self.context.get("officials"))

    def get_title(self, decision) -> str:
        # The list annotates the title so it need not load the snapshots.
        title = getattr(decision, "title_text", None)
        return title if title is not None else decision.submission.title

    def get_status_label(self, decision) -> str:
        return _label(Decision.Status, decision.status)

    @extend_schema_field(ProgrammeRefSerializer)
    def get_programme(self, decision):
        programme = decision.programme
        return {"id": programme.pk, "name": programme.name, "slug": programme.slug}

    @extend_schema_field(RegionRefSerializer)
    def get_region(self, decision):
        return {"code": decision.region.code, "name": decision.region.name}

    @extend_schema_field(OrganisationRefSerializer)
    def get_lead_partner(self, decision):
        return {"id": decision.lead_partner_id, "name": decision.lead_partner.name}

    @extend_schema_field(SubmissionRefSerializer)
    def get_submission(self, decision):
        submission = decision.submission
        return {
            "id": submission.pk,
            "content_hash": submission.content_hash,
            "submitted_at": _DATETIME.to_representation(submission.submitted_at),
        }

    @extend_schema_field(
        AdviceRefSerializer(
            allow_null=True,
            help_text="the published advice the decision follows; null for the public when the round is not public",
        )
    )
    def get_advice(self, decision):
        # The advice is public only in a public round (funding.permissions.can_see_advice_of).
        if not (self._officials() or decision.submission.round.is_public):
            return None
        try:
            advice = decision.submission.advice
        except Submission.advice.RelatedObjectDoesNotExist:
            return None
        if advice.published_at is None:
            return None
        return {
            "outcome": advice.outcome,
            "outcome_label": _label(AdviceOutcome, advice.outcome),
            "published_at": _DATETIME.to_representation(advice.published_at),
        }

    @extend_schema_field(TrancheSerializer(many=True))
    def get_tranches(self, decision) -> list[dict]:
        # Plain rows with the fields of TrancheSerializer (funding.api.tranches_of, one query for a whole page).
        rows = self.context["tranches"].get(decision.pk, ())
        return [{**row, "released_at": _DATETIME.to_representation(row["released_at"])} for row in rows]

    def get_has_letter(self, decision) -> bool:
        # The letter cites the advice: for the public only in a public round.
        visible = self._officials() or decision.submission.round.is_public
        return visible and decision.status == Decision.Status.APPROVED and bool(decision.letter)

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="officials only"))
    def get_proposed_by(self, decision):
        return _display(decision.proposed_by) if self._officials() else None

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="officials only"))
    def get_decided_by(self, decision):
        return _display(decision.decided_by) if self._officials() else None

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="officials only"))
    def get_rejection_reason(self, decision):
        return decision.rejection_reason if self._officials() else None


class TrancheInputSerializer(serializers.Serializer):
    year = YearField()
    amount = WholeNumberField(min_value=1, max_value=AMOUNT_MAX, help_text="whole euros")


class DecisionProposeSerializer(serializers.Serializer):
    submission = WholeNumberField(min_value=1, max_value=ID_MAX, help_text="an advised submission (id)")
    programme = WholeNumberField(min_value=1, max_value=ID_MAX, help_text="the funding programme (id)")
    amount_awarded = WholeNumberField(min_value=1, max_value=AMOUNT_MAX, help_text="whole euros")
    tranches = TrancheInputSerializer(
        many=True, max_length=YEARS_MAX, help_text="the amount per payment year; they add up to amount_awarded"
    )
    difference_explanation = serializers.CharField(
        max_length=TEXT_MAX,
        allow_blank=True,
        required=False,
        default="",
        help_text="required when less is awarded than requested",
    )
    conditions = serializers.CharField(max_length=TEXT_MAX, allow_blank=True, required=False, default="")
    cofinancing_exception = serializers.CharField(
        max_length=TEXT_MAX,
        allow_blank=True,
        required=False,
        default="",
        help_text="lagging regions only: why less co-financing than the programme's minimum is accepted",
    )

    def validate_submission(self, value: int) -> int:
        if not Submission.objects.filter(pk=value).exists():
            raise serializers.ValidationError(_("Onbekende indiening."))
        return value

    def validate_programme(self, value: int) -> int:
        if not Programme.objects.filter(pk=value).exists():
            raise serializers.ValidationError(_("Onbekend financieringsprogramma."))
        return value

    def validate_tranches(self, tranches: list[dict]) -> list[dict]:
        return _one_per_year(tranches, _("Hoogstens één tranche per jaar: %(year)s staat er twee keer in."))


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX, help_text="why the proposal is rejected")


# ------------------------------------------------------------ monitoring and amendments


class AmendmentProposeSerializer(serializers.Serializer):
    decision = WholeNumberField(min_value=1, max_value=ID_MAX, help_text="an approved decision (id)")
    tranches = TrancheInputSerializer(
        many=True, max_length=YEARS_MAX, help_text="the whole new split per payment year (paid years unchanged)"
    )
    reason = serializers.CharField(max_length=TEXT_MAX, help_text="why the decision changes")

    def validate_tranches(self, tranches: list[dict]) -> list[dict]:
        return _one_per_year(tranches, _("Hoogstens één tranche per jaar: %(year)s staat er twee keer in."))


class ReportIndicatorSerializer(serializers.Serializer):
    key = serializers.CharField()
    indicator = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    baseline_value = serializers.CharField(allow_null=True)
    target_year = serializers.IntegerField(allow_null=True)
    target_value = serializers.CharField(allow_null=True)
    actual_value = serializers.CharField(allow_null=True, help_text="a decimal as text; null when not known yet")


class ReportSpendingSerializer(serializers.Serializer):
    measure_id = serializers.IntegerField()
    title = serializers.CharField()
    planned = serializers.IntegerField(help_text="the measure's budget in the year, all sources")
    spent = serializers.IntegerField()


class ProgressReportSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=_values(ProgressReport.Status.choices))
    decision = serializers.IntegerField(source="decision_id", read_only=True)
    indicators = ReportIndicatorSerializer(many=True, read_only=True)
    spending = ReportSpendingSerializer(many=True, read_only=True)
    submitted_by = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "decision",
            "year",
            "status",
            "indicators",
            "spending",
            "milestones",
            "explanation",
            "submitted_at",
            "submitted_by",
            "decided_at",
            "review_comment",
        ]
        read_only_fields = fields

    def get_submitted_by(self, report) -> str | None:
        return _display(report.submitted_by)


class ProgressReportInputSerializer(serializers.Serializer):
    decision = WholeNumberField(min_value=1, max_value=ID_MAX, help_text="an approved decision (id)")
    year = YearField()
    indicators = serializers.DictField(
        child=serializers.CharField(max_length=40, allow_blank=True),
        required=False,
        default=dict,
        help_text="{target key: actual value as a decimal text}; keys as in GET /api/v1/decisions/{id}/targets/",
    )
    spending = serializers.DictField(
        child=WholeNumberField(min_value=0, max_value=AMOUNT_MAX),
        required=False,
        default=dict,
        help_text="{measure id: whole euros spent in the year}",
    )
    milestones = serializers.CharField(max_length=TEXT_MAX)
    explanation = serializers.CharField(max_length=TEXT_MAX, allow_blank=True, required=False, default="")


class ReportDecisionInputSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=TEXT_MAX, allow_blank=True, required=False, default="")


class ReleaseInputSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=TEXT_MAX,
        allow_blank=True,
        required=False,
        default="",
        help_text="how the decision's conditions were met (required when it has conditions)",
    )


class ReclaimInputSerializer(serializers.Serializer):
    amount = WholeNumberField(min_value=1, max_value=AMOUNT_MAX, help_text="whole euros")
    reason = serializers.CharField(max_length=TEXT_MAX)


class ReportTargetSerializer(serializers.Serializer):
    key = serializers.CharField()
    priority = serializers.CharField()
    indicator = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    target_year = serializers.IntegerField(allow_null=True)
    target_value = serializers.CharField(allow_null=True)
