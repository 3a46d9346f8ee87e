"""Serializers of the agenda API: shapes and types only; the services check the rest (see ``views``)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agendas import budget as budget_figures
from agendas import services
from agendas.comments import comment_html
from agendas.models import (
    AMOUNT_MAX,
    COMMENT_MAX,
    CONTRIBUTION_MAX,
    DESCRIPTION_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    VISION_MAX,
    Agenda,
    BudgetLine,
    Comment,
    FundingSource,
    GoalLink,
    LinkStrength,
    Measure,
    MeasureStatus,
    PartType,
    Priority,
    PriorityKind,
    Revision,
    TargetIndicator,
)
from coalitions.models import Coalition
from coalitions.permissions import can_view_coalition
from core.fields import WholeNumberField, YearField
from core.formatting import in_language
from regions.models import Indicator, Theme

SHARE_PLACES = Decimal("0.0001")


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}], "description": "id or slug"})
class CoalitionField(serializers.Field):
    """A coalition the user may see, by id or by slug; any other value is a field error (never 403/404)."""

    default_error_messages = {"unknown": _("Onbekende coalitie.")}

    def to_internal_value(self, data) -> Coalition:
        coalitions = Coalition.objects.select_related("region")
        if isinstance(data, int) and not isinstance(data, bool):
            coalition = coalitions.filter(pk=data).first()
        elif isinstance(data, str) and data.strip():
            value = data.strip()
            coalition = coalitions.filter(pk=int(value)).first() if value.isascii() and value.isdigit() else None
            coalition = coalition or coalitions.filter(slug=value).first()
        else:
            coalition = None
        if coalition is None or not can_view_coalition(self.context["request"].user, coalition):
            self.fail("unknown")
        return coalition

    def to_representation(self, value):
        return value.slug


class ThemeCodesField(serializers.ListField):
    """Theme codes in, theme ids out (one query)."""

    child = serializers.CharField(max_length=64)

    def to_internal_value(self, data) -> list[int]:
        codes = super().to_internal_value(data)
        ids = dict(Theme.objects.filter(code__in=codes).values_list("code", "pk"))
        unknown = [code for code in codes if code not in ids]
        if unknown:
            raise serializers.ValidationError(_("Onbekende thema's: %(codes)s.") % {"codes": ", ".join(unknown)})
        return [ids[code] for code in codes]


# ------------------------------------------------------------ output: parts


class GoalLinkSerializer(serializers.ModelSerializer):
    goal = serializers.IntegerField(source="goal_id")
    label = serializers.CharField(source="goal.label")
    title = serializers.CharField(source="goal.title")

    class Meta:
        model = GoalLink
        fields = ["goal", "label", "title", "contribution", "strength"]
        read_only_fields = fields


class TargetSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code")
    indicator_name = serializers.SerializerMethodField()

    class Meta:
        model = TargetIndicator
        fields = [
            "indicator",
            "indicator_name",
            "baseline_year",
            "baseline_value",
            "baseline_from_data",
            "target_year",
            "target_value",
        ]
        read_only_fields = fields

    def get_indicator_name(self, target) -> str:
        return in_language(target.indicator.name_nl, target.indicator.name_en)


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["year", "source", "amount"]
        read_only_fields = fields


class MeasureSerializer(serializers.ModelSerializer):
    agenda = serializers.IntegerField(source="agenda_id")
    priority = serializers.IntegerField(source="priority_id")
    lead_organisation = serializers.IntegerField(source="lead_organisation_id")
    lead_organisation_name = serializers.CharField(source="lead_organisation.name")
    budget_lines = BudgetLineSerializer(many=True)
    goal_links = GoalLinkSerializer(many=True)
    budget_total = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = [
            "id",
            "agenda",
            "priority",
            "position",
            "title",
            "description",
            "lead_organisation",
            "lead_organisation_name",
            "start_year",
            "end_year",
            "status",
            "version",
            "budget_lines",
            "budget_total",
            "goal_links",
            "updated_at",
        ]
        read_only_fields = fields

    def get_budget_total(self, measure) -> int:
        return sum(line.amount for line in measure.budget_lines.all())


class PrioritySerializer(serializers.ModelSerializer):
    agenda = serializers.IntegerField(source="agenda_id")
    themes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    goal_links = GoalLinkSerializer(many=True)
    targets = TargetSerializer(many=True)
    measures = MeasureSerializer(many=True)

    class Meta:
        model = Priority
        fields = [
            "id",
            "agenda",
            "position",
            "title",
            "kind",
            "description",
            "themes",
            "goal_links",
            "targets",
            "version",
            "updated_at",
            "measures",
        ]
        read_only_fields = fields


# --------------------------------------------------------- output: agendas


class AgendaListSerializer(serializers.ModelSerializer):
    coalition = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    coalition_name = serializers.CharField(source="coalition.name", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    status = serializers.CharField(read_only=True)
    priority_count = serializers.IntegerField(read_only=True)
    measure_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Agenda
        fields = [
            "id",
            "title",
            "status",
            "coalition",
            "coalition_name",
            "region",
            "region_name",
            "start_year",
            "end_year",
            "version",
            "priority_count",
            "measure_count",
            "updated_at",
        ]
        read_only_fields = fields


class YearAmountSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    amount = serializers.IntegerField()


class BudgetSummarySerializer(serializers.Serializer):
    """Whole euros; the shares as numbers rounded to four places (null without any budget)."""

    total = serializers.IntegerField()
    rijk_total = serializers.IntegerField()
    cofinancing_total = serializers.IntegerField()
    rijk_share = serializers.DecimalField(max_digits=5, decimal_places=4, coerce_to_string=False, allow_null=True)
    cofinancing_ratio = serializers.DecimalField(
        max_digits=5, decimal_places=4, coerce_to_string=False, allow_null=True
    )
    by_year = YearAmountSerializer(many=True)
    by_source = serializers.DictField(child=serializers.IntegerField())
    by_group = serializers.DictField(child=serializers.IntegerField())


def _share(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def budget_data(summary: budget_figures.BudgetSummary) -> dict[str, Any]:
    return {
        "total": summary.total,
        "rijk_total": summary.rijk_total,
        "cofinancing_total": summary.cofinancing_total,
        "rijk_share": _share(summary.rijk_share),
        "cofinancing_ratio": _share(summary.cofinancing_ratio),
        "by_year": [{"year": year, "amount": summary.by_year.get(year, 0)} for year in summary.years],
        "by_source": {source: summary.by_source.get(source, 0) for source in budget_figures.SOURCES},
        "by_group": {group: summary.by_group.get(group, 0) for group in budget_figures.GROUPS},
    }


def _cell() -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=LinkStrength.choices, allow_null=True)


class ThemeRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    cells = serializers.ListField(child=_cell())


class GoalRowSerializer(serializers.Serializer):
    goal = serializers.IntegerField()
    label = serializers.CharField()
    short = serializers.CharField()
    cells = serializers.ListField(child=_cell())


class ThemeCoverageSerializer(serializers.Serializer):
    """One row per theme; ``cells`` in the order of ``priorities`` (ids): "direct", "indirect" or null."""

    priorities = serializers.ListField(child=serializers.IntegerField())
    rows = ThemeRowSerializer(many=True)


class GoalCoverageSerializer(serializers.Serializer):
    """One row per goal (a linked target counts for its goal); cells as in the theme coverage."""

    priorities = serializers.ListField(child=serializers.IntegerField())
    rows = GoalRowSerializer(many=True)


class GapSerializer(serializers.Serializer):
    section = serializers.CharField()
    part_id = serializers.IntegerField(allow_null=True)
    message = serializers.CharField()


class AgendaDocumentSerializer(serializers.Serializer):
    """The whole agenda: header, priorities with measures, budget, coverage and what is still missing."""

    id = serializers.IntegerField(source="agenda.pk")
    title = serializers.CharField(source="agenda.title")
    status = serializers.CharField(source="agenda.status")
    coalition = serializers.CharField(source="agenda.coalition.slug")
    coalition_name = serializers.CharField(source="agenda.coalition.name")
    region = serializers.CharField(source="agenda.region.code")
    region_name = serializers.CharField(source="agenda.region.name")
    summary = serializers.CharField(source="agenda.summary")
    vision = serializers.CharField(source="agenda.vision")
    start_year = serializers.IntegerField(source="agenda.start_year")
    end_year = serializers.IntegerField(source="agenda.end_year")
    lead_partner = serializers.IntegerField(source="agenda.lead_partner_id", allow_null=True)
    lead_partner_name = serializers.SerializerMethodField()
    themes = serializers.SerializerMethodField()
    version = serializers.IntegerField(source="agenda.version")
    revision_count = serializers.IntegerField(source="agenda.revision_count")
    created_at = serializers.DateTimeField(source="agenda.created_at")
    updated_at = serializers.DateTimeField(source="agenda.updated_at")
    priorities = PrioritySerializer(many=True)
    budget = serializers.SerializerMethodField()
    theme_coverage = serializers.SerializerMethodField()
    goal_coverage = serializers.SerializerMethodField()
    gaps = GapSerializer(many=True)
    is_complete = serializers.BooleanField()

    def get_lead_partner_name(self, document) -> str | None:
        partner = document.agenda.lead_partner
        return partner.name if partner is not None else None

    def get_themes(self, document) -> list[str]:
        return [theme.code for theme in document.themes]

    @extend_schema_field(BudgetSummarySerializer)
    def get_budget(self, document):
        return BudgetSummarySerializer(budget_data(document.budget)).data

    @extend_schema_field(ThemeCoverageSerializer)
    def get_theme_coverage(self, document):
        matrix = document.theme_coverage
        rows = [
            {"code": theme.code, "name": in_language(theme.name_nl, theme.name_en), "cells": cells}
            for theme, cells in matrix.table()
        ]
        return {"priorities": [p.pk for p in matrix.columns], "rows": rows}

    @extend_schema_field(GoalCoverageSerializer)
    def get_goal_coverage(self, document):
        matrix = document.goal_coverage
        rows = [
            {"goal": goal.pk, "label": goal.label, "short": goal.short, "cells": cells}
            for goal, cells in matrix.table()
        ]
        return {"priorities": [p.pk for p in matrix.columns], "rows": rows}


class ConflictChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class ConflictSerializer(serializers.Serializer):
    """409: the part was saved by someone else since ``base_version``; ``changes`` says what they changed."""

    detail = serializers.CharField()
    part_type = serializers.CharField()
    part_id = serializers.IntegerField()
    base_version = serializers.IntegerField()
    current_version = serializers.IntegerField()
    changes = ConflictChangeSerializer(many=True)


# ------------------------------------------------------------------- input


class _WriteSerializer(serializers.Serializer):
    """Input of a save. For PATCH, ``relax`` makes every top-level field but ``version`` optional.

    Nested items stay strict (a goal link without a goal is an error in a
    PATCH too), which DRF's ``partial`` would not do.
    """

    def relax(self) -> None:
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class GoalLinkInputSerializer(serializers.Serializer):
    goal = WholeNumberField(min_value=1)
    contribution = serializers.CharField(max_length=CONTRIBUTION_MAX, allow_blank=True, required=False)
    strength = serializers.ChoiceField(choices=LinkStrength.choices, required=False)


def goal_link_inputs(items: list[dict]) -> list[services.GoalLinkInput]:
    return [
        services.GoalLinkInput(
            goal_id=item["goal"],
            contribution=item.get("contribution", ""),
            strength=item.get("strength", LinkStrength.DIRECT),
        )
        for item in items
    ]


class HeaderInputSerializer(_WriteSerializer):
    title = serializers.CharField(max_length=TITLE_MAX)
    summary = serializers.CharField(max_length=SUMMARY_MAX, allow_blank=True, required=False, trim_whitespace=False)
    vision = serializers.CharField(max_length=VISION_MAX, allow_blank=True, required=False, trim_whitespace=False)
    start_year = YearField()
    end_year = YearField()
    lead_partner = WholeNumberField(min_value=1, allow_null=True, required=False, help_text="organisation id")
    themes = ThemeCodesField(required=False, help_text="theme codes")


HEADER_DEFAULTS: dict[str, Any] = {"summary": "", "vision": "", "lead_partner": None, "themes": []}


class AgendaCreateSerializer(HeaderInputSerializer):
    coalition = CoalitionField()


class CoalitionRefSerializer(serializers.Serializer):
    coalition = CoalitionField()


class AgendaUpdateSerializer(HeaderInputSerializer):
    version = WholeNumberField(min_value=1, help_text="the header version this save starts from")


class TargetInputSerializer(serializers.Serializer):
    indicator = serializers.SlugRelatedField(slug_field="code", queryset=Indicator.objects.all())
    baseline_year = YearField(allow_null=True, required=False)
    baseline_value = serializers.DecimalField(
        max_digits=20,
        decimal_places=4,
        allow_null=True,
        required=False,
        help_text="omitted: taken from the CBS data of the agenda's region when there is any",
    )
    target_year = YearField()
    target_value = serializers.DecimalField(max_digits=20, decimal_places=4)


class PriorityInputSerializer(_WriteSerializer):
    title = serializers.CharField(max_length=TITLE_MAX)
    kind = serializers.ChoiceField(choices=PriorityKind.choices)
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX, allow_blank=True, required=False, trim_whitespace=False
    )
    themes = ThemeCodesField(required=False, help_text="theme codes")
    goal_links = GoalLinkInputSerializer(many=True, required=False)
    targets = TargetInputSerializer(many=True, required=False)


PRIORITY_DEFAULTS: dict[str, Any] = {"description": "", "themes": [], "goal_links": [], "targets": []}


class AgendaRefSerializer(serializers.Serializer):
    agenda = WholeNumberField(min_value=1)


class PriorityCreateSerializer(PriorityInputSerializer):
    agenda = WholeNumberField(min_value=1)


class PriorityUpdateSerializer(PriorityInputSerializer):
    version = WholeNumberField(min_value=1, help_text="the priority version this save starts from")


class BudgetLineInputSerializer(serializers.Serializer):
    year = YearField()
    source = serializers.ChoiceField(choices=FundingSource.choices)
    amount = WholeNumberField(min_value=0, max_value=AMOUNT_MAX, help_text="whole euros")


class MeasureInputSerializer(_WriteSerializer):
    priority = WholeNumberField(min_value=1)
    title = serializers.CharField(max_length=TITLE_MAX)
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX, allow_blank=True, required=False, trim_whitespace=False
    )
    lead_organisation = WholeNumberField(min_value=1, help_text="organisation id")
    start_year = YearField()
    end_year = YearField()
    status = serializers.ChoiceField(choices=MeasureStatus.choices, required=False)
    budget_lines = BudgetLineInputSerializer(
        many=True, required=False, help_text="the whole budget: lines left out are zero"
    )
    goal_links = GoalLinkInputSerializer(many=True, required=False)

    def validate_budget_lines(self, lines: list[dict]) -> list[dict]:
        seen: set[tuple[int, str]] = set()
        for line in lines:
            key = (line["year"], line["source"])
            if key in seen:
                raise serializers.ValidationError(
                    _("%(year)s / %(source)s staat er twee keer in.") % {"year": key[0], "source": key[1]}
                )
            seen.add(key)
        return lines


MEASURE_DEFAULTS: dict[str, Any] = {
    "description": "",
    "status": MeasureStatus.IDEA,
    "budget_lines": {},
    "goal_links": [],
}


class MeasureCreateSerializer(MeasureInputSerializer):
    agenda = WholeNumberField(min_value=1)


class MeasureUpdateSerializer(MeasureInputSerializer):
    version = WholeNumberField(min_value=1, help_text="the measure version this save starts from")


# ------------------------------------------------------- history, comments


class RevisionSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = Revision
        fields = [
            "number",
            "author",
            "created_at",
            "part_type",
            "part_id",
            "part_label",
            "part_version",
            "action",
            "changed_fields",
        ]
        read_only_fields = fields

    def get_author(self, revision) -> str | None:
        return revision.author.display_name if revision.author is not None else None


class PartDiffSerializer(serializers.Serializer):
    part_type = serializers.ChoiceField(choices=PartType.choices)
    part_id = serializers.IntegerField()
    label = serializers.CharField()
    status = serializers.ChoiceField(choices=[("added", "added"), ("removed", "removed"), ("changed", "changed")])
    changes = ConflictChangeSerializer(many=True)


class CompareSerializer(serializers.Serializer):
    from_revision = serializers.IntegerField()
    to_revision = serializers.IntegerField()
    parts = PartDiffSerializer(many=True)


class CommentSerializer(serializers.ModelSerializer):
    agenda = serializers.IntegerField(source="agenda_id")
    priority = serializers.IntegerField(source="priority_id", allow_null=True)
    author = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "agenda", "priority", "author", "body", "body_html", "created_at"]
        read_only_fields = fields

    def get_author(self, comment) -> str | None:
        return comment.author.display_name if comment.author is not None else None

    def get_body_html(self, comment) -> str:
        # Mentions by name and highlighted, as on the page; ``body`` keeps what was written.
        return str(comment_html(comment))


class CommentInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=COMMENT_MAX)
    priority = WholeNumberField(min_value=1, allow_null=True, required=False)
