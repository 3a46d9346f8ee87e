"""API of agendas, priorities, measures, goals, comments and notifications (/api/v1/).

The same operations and rules as the HTML editor:

* An agenda someone may not see answers 404 on every endpoint, also to
  reviewers, officials and data stewards: drafts never leak. A member who may
  see but not edit (a viewer) gets 403 on writes.
* Serializers check types and shapes only (whole numbers, lengths, choices);
  the services check the rest. Their ``ValidationError`` and ``EditConflict``
  become 400 and 409 in ``kansenagenda.api.exceptions``.
* Every save of a part names the version it started from (``version``; for a
  DELETE the ``?version=`` query parameter). PUT replaces the part (omitted
  optional fields are emptied), PATCH keeps what it does not name.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from kansenagenda import budget as budget_figures
from kansenagenda import notifications, revisions, selectors, services
from kansenagenda.markdown import render_markdown
from kansenagenda.models import (
    Agenda,
    BudgetLine,
    Coalition,
    Comment,
    FundingSource,
    Goal,
    GoalCatalogue,
    GoalLink,
    LinkStrength,
    Measure,
    MeasureStatus,
    Notification,
    PartType,
    Priority,
    PriorityKind,
    Revision,
    TargetIndicator,
)
from kansenagenda.models.agendas import (
    AMOUNT_MAX,
    CONTRIBUTION_MAX,
    DESCRIPTION_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    VISION_MAX,
)
from kansenagenda.models.collaboration import COMMENT_MAX
from kansenagenda.permissions import can_comment_on_agenda, can_create_agenda, can_edit_agenda, can_view_coalition
from kansenagenda.selectors.baselines import indicator_baselines, resolve_baseline
from regions.models import Indicator, Theme

# Years anywhere in an agenda; the services check the narrower rules (the
# agenda's period, a measure within it). This bound keeps any number a client
# sends inside the database's small integer columns.
YEAR_MIN, YEAR_MAX = 1900, 2200
SHARE_PLACES = Decimal("0.0001")


def _in_language(nl: str, en: str) -> str:
    if (get_language() or "nl").startswith("en"):
        return en or nl
    return nl or en


# ------------------------------------------------------------------ fields


class WholeNumberField(serializers.IntegerField):
    """A whole number: a JSON integer or a string of digits; never true/false, 12.5 or "12.0"."""

    default_error_messages = {"invalid": _("Vul een geheel getal in.")}
    # The largest value a database integer column (bigint) holds: ids and amounts beyond it are 400,
    # not an overflow in the database driver.
    BIGINT_MAX = 2**63 - 1

    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", self.BIGINT_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool | float):
            self.fail("invalid")
        if isinstance(data, str) and not re.fullmatch(r"-?[0-9]{1,19}", data.strip()):
            self.fail("invalid")
        return super().to_internal_value(data)


class YearField(WholeNumberField):
    def __init__(self, **kwargs):
        super().__init__(min_value=YEAR_MIN, max_value=YEAR_MAX, **kwargs)


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
        return _in_language(target.indicator.name_nl, target.indicator.name_en)


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
            {"code": theme.code, "name": _in_language(theme.name_nl, theme.name_en), "cells": cells}
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
        return str(render_markdown(comment.body))


class CommentInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=COMMENT_MAX)
    priority = WholeNumberField(min_value=1, allow_null=True, required=False)


# --------------------------------------------------------------- helpers


def _visible(queryset: QuerySet, user, agenda_path: str = "") -> QuerySet:
    """Only rows of agendas the user may see (drafts: coalition members only)."""
    field = f"{agenda_path}__in" if agenda_path else "pk__in"
    return queryset.filter(**{field: selectors.agendas_visible_to(user).values("pk")})


def _require_edit(user, agenda: Agenda) -> None:
    if not can_edit_agenda(user, agenda):
        raise PermissionDenied


def _bind(serializer_class, request, *, patch: bool = False, data=None):
    serializer = serializer_class(data=request.data if data is None else data, context={"request": request})
    if patch:
        serializer.relax()
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _base_version(request) -> int:
    """The ``?version=`` of a DELETE."""
    raw = request.query_params.get("version", "")
    if not re.fullmatch(r"[0-9]{1,9}", raw) or int(raw) < 1:
        raise ApiValidationError({"version": [_("Geef de versie waarvan u uitgaat mee als ?version=.")]})
    return int(raw)


def _measure_queryset() -> QuerySet[Measure]:
    return Measure.objects.select_related("lead_organisation").prefetch_related(
        Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("year", "source")),
        Prefetch("goal_links", queryset=GoalLink.objects.select_related("goal")),
    )


def _priority_queryset() -> QuerySet[Priority]:
    return Priority.objects.prefetch_related(
        "themes",
        Prefetch("goal_links", queryset=GoalLink.objects.select_related("goal")),
        Prefetch("targets", queryset=TargetIndicator.objects.select_related("indicator")),
        Prefetch("measures", queryset=_measure_queryset()),
    )


def _target_inputs(agenda: Agenda, targets: list[dict]) -> list[services.TargetInput]:
    """Targets with their baselines: an omitted ``baseline_value`` is taken from the region's CBS data.

    ``baseline_from_data`` says the baseline is the data's figure: taken
    from it here, or sent back unchanged (a GET followed by a PUT keeps it).
    An explicit null means "no baseline".
    """
    inputs = []
    baselines = indicator_baselines(agenda.region) if targets else {}
    for target in targets:
        indicator = target["indicator"]
        year, value, flag = resolve_baseline(
            baselines.get(indicator.pk),
            target.get("baseline_year"),
            target.get("baseline_value"),
            fill="baseline_value" not in target,
        )
        inputs.append(
            services.TargetInput(
                indicator_id=indicator.pk,
                target_year=target["target_year"],
                target_value=target["target_value"],
                baseline_year=year,
                baseline_value=value,
                baseline_from_data=flag,
            )
        )
    return inputs


def _current_targets(priority: Priority) -> list[services.TargetInput]:
    return [
        services.TargetInput(
            indicator_id=t.indicator_id,
            target_year=t.target_year,
            target_value=t.target_value,
            baseline_year=t.baseline_year,
            baseline_value=t.baseline_value,
            baseline_from_data=t.baseline_from_data,
        )
        for t in priority.targets.all()
    ]


def _current_goal_links(owner) -> list[services.GoalLinkInput]:
    return [
        services.GoalLinkInput(goal_id=link.goal_id, contribution=link.contribution, strength=link.strength)
        for link in owner.goal_links.all()
    ]


NOT_FOUND = OpenApiResponse(description="Not found, or not visible to you (drafts are for coalition members only).")
FORBIDDEN = OpenApiResponse(description="You may see this agenda but not edit it.")
BAD_INPUT = OpenApiResponse(description="Field errors: {field: [messages]}.")
CONFLICT = OpenApiResponse(ConflictSerializer, description="Someone else saved this part since your version.")
VERSION_PARAMETER = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    required=True,
    description="the version this delete starts from",
)


# ---------------------------------------------------------------- agendas


class AgendaFilter(django_filters.FilterSet):
    coalition = django_filters.CharFilter(field_name="coalition__slug")
    region = django_filters.CharFilter(field_name="region__code")

    class Meta:
        model = Agenda
        fields = ["coalition", "region"]


class AgendaViewSet(viewsets.GenericViewSet):
    """Agendas of the coalitions you are a member of."""

    permission_classes = [IsAuthenticated]
    serializer_class = AgendaListSerializer
    filterset_class = AgendaFilter
    search_fields = ["title"]
    ordering_fields = ["updated_at", "title"]

    def get_queryset(self):
        return selectors.agenda_list_for(self.request.user)

    def _agenda(self, pk) -> Agenda:
        return get_object_or_404(
            _visible(Agenda.objects.select_related("coalition", "region"), self.request.user), pk=pk
        )

    def _document_response(self, pk, status_code=status.HTTP_200_OK) -> Response:
        agenda = get_object_or_404(_visible(selectors.agenda_queryset(), self.request.user), pk=pk)
        return Response(AgendaDocumentSerializer(selectors.agenda_document(agenda)).data, status=status_code)

    def list(self, request):
        """Agendas of the coalitions you are a member of, most recently changed first."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(AgendaListSerializer(page, many=True).data)

    @extend_schema(
        request=AgendaCreateSerializer,
        responses={201: AgendaDocumentSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
        description="Start a draft agenda for a coalition (coordinators and editors of that coalition).",
    )
    def create(self, request):
        coalition = _bind(CoalitionRefSerializer, request)["coalition"]
        if not can_create_agenda(request.user, coalition):
            raise PermissionDenied
        data = {**HEADER_DEFAULTS, **_bind(AgendaCreateSerializer, request)}
        agenda = services.agenda_create(
            coalition=coalition,
            actor=request.user,
            title=data["title"],
            summary=data["summary"],
            vision=data["vision"],
            start_year=data["start_year"],
            end_year=data["end_year"],
            lead_partner_id=data["lead_partner"],
            theme_ids=data["themes"],
        )
        return self._document_response(agenda.pk, status.HTTP_201_CREATED)

    @extend_schema(responses={200: AgendaDocumentSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk=None):
        """The whole agenda: header, priorities with their measures, budget figures, coverage and gaps."""
        return self._document_response(pk)

    @extend_schema(
        request=AgendaUpdateSerializer,
        responses={200: AgendaDocumentSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
        description="Save the header. Omitted optional fields are emptied.",
    )
    def update(self, request, pk=None):
        return self._save_header(request, pk, patch=False)

    @extend_schema(
        request=AgendaUpdateSerializer,
        responses={200: AgendaDocumentSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
        description="Save the header; fields left out keep their current value. `version` is required.",
    )
    def partial_update(self, request, pk=None):
        return self._save_header(request, pk, patch=True)

    def _save_header(self, request, pk, *, patch: bool) -> Response:
        agenda = self._agenda(pk)
        _require_edit(request.user, agenda)
        if patch:
            current = {
                "title": agenda.title,
                "summary": agenda.summary,
                "vision": agenda.vision,
                "start_year": agenda.start_year,
                "end_year": agenda.end_year,
                "lead_partner": agenda.lead_partner_id,
                "themes": list(agenda.themes.values_list("pk", flat=True)),
            }
        else:
            current = HEADER_DEFAULTS
        data = {**current, **_bind(AgendaUpdateSerializer, request, patch=patch)}
        services.agenda_update_header(
            agenda_id=agenda.pk,
            actor=request.user,
            base_version=data["version"],
            title=data["title"],
            summary=data["summary"],
            vision=data["vision"],
            start_year=data["start_year"],
            end_year=data["end_year"],
            lead_partner_id=data["lead_partner"],
            theme_ids=data["themes"],
        )
        return self._document_response(agenda.pk)

    @extend_schema(responses={200: RevisionSerializer(many=True), 404: NOT_FOUND}, filters=False)
    @action(detail=True)
    def revisions(self, request, pk=None):
        """Every saved change of the agenda, newest first."""
        agenda = self._agenda(pk)
        page = self.paginate_queryset(selectors.agenda_revisions(agenda))
        return self.get_paginated_response(RevisionSerializer(page, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True),
            OpenApiParameter("to", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True),
        ],
        responses={200: CompareSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
        filters=False,
    )
    @action(detail=True)
    def compare(self, request, pk=None):
        """What changed between two revision numbers, part by part."""
        agenda = self._agenda(pk)
        numbers, errors = {}, {}
        for name in ("from", "to"):
            raw = request.query_params.get(name, "")
            if re.fullmatch(r"[0-9]{1,9}", raw) and 1 <= int(raw) <= agenda.revision_count:
                numbers[name] = int(raw)
            else:
                errors[name] = [
                    _("Kies een revisienummer van 1 tot en met %(count)s.") % {"count": agenda.revision_count}
                ]
        if errors:
            raise ApiValidationError(errors)
        older, newer = sorted((numbers["from"], numbers["to"]))
        history = agenda.revisions.only("number", "part_type", "part_id", "part_label", "action", "snapshot")
        parts = [
            {
                "part_type": diff.part_type,
                "part_id": diff.part_id,
                "label": diff.label,
                "status": diff.status,
                "changes": [{"field": c.field, "before": c.before, "after": c.after} for c in diff.changes],
            }
            for diff in revisions.compare(list(history), older, newer)
        ]
        return Response(CompareSerializer({"from_revision": older, "to_revision": newer, "parts": parts}).data)

    @extend_schema(methods=["GET"], responses={200: CommentSerializer(many=True), 404: NOT_FOUND}, filters=False)
    @extend_schema(
        methods=["POST"],
        request=CommentInputSerializer,
        responses={201: CommentSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
        description="Post a comment (any member, viewers too); @username mentions a member.",
    )
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        agenda = self._agenda(pk)
        if request.method == "GET":
            page = self.paginate_queryset(selectors.agenda_comments(agenda))
            return self.get_paginated_response(CommentSerializer(page, many=True).data)
        if not can_comment_on_agenda(request.user, agenda):
            raise PermissionDenied
        data = _bind(CommentInputSerializer, request)
        priority = None
        if data.get("priority") is not None:
            priority = Priority.objects.filter(pk=data["priority"], agenda=agenda).first()
            if priority is None:
                raise ApiValidationError({"priority": [_("Deze prioriteit hoort niet bij de agenda.")]})
        comment = services.comment_create(agenda=agenda, actor=request.user, body=data["body"], priority=priority)
        comment = selectors.agenda_comments(agenda).get(pk=comment.pk)
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


# ------------------------------------------------------------- priorities


class PriorityViewSet(viewsets.GenericViewSet):
    """Priorities of agendas: create, read, save and delete one priority with its goal links and targets."""

    permission_classes = [IsAuthenticated]
    serializer_class = PrioritySerializer
    filter_backends: list = []

    def get_queryset(self):
        return _visible(_priority_queryset().select_related("agenda__coalition"), self.request.user, "agenda")

    def _priority(self, pk) -> Priority:
        return get_object_or_404(
            _visible(
                Priority.objects.select_related("agenda__coalition", "agenda__region"), self.request.user, "agenda"
            ),
            pk=pk,
        )

    def _response(self, pk, status_code=status.HTTP_200_OK) -> Response:
        return Response(PrioritySerializer(self.get_queryset().get(pk=pk)).data, status=status_code)

    @extend_schema(
        request=PriorityCreateSerializer,
        responses={201: PrioritySerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def create(self, request):
        agenda_id = _bind(AgendaRefSerializer, request)["agenda"]
        agenda = get_object_or_404(
            _visible(Agenda.objects.select_related("coalition", "region"), request.user), pk=agenda_id
        )
        _require_edit(request.user, agenda)
        data = {**PRIORITY_DEFAULTS, **_bind(PriorityCreateSerializer, request)}
        priority = services.priority_create(
            agenda=agenda,
            actor=request.user,
            title=data["title"],
            kind=data["kind"],
            description=data["description"],
            theme_ids=data["themes"],
            goal_links=goal_link_inputs(data["goal_links"]),
            targets=_target_inputs(agenda, data["targets"]),
        )
        return self._response(priority.pk, status.HTTP_201_CREATED)

    @extend_schema(responses={200: PrioritySerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk=None):
        return Response(PrioritySerializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    @extend_schema(
        request=PriorityUpdateSerializer,
        responses={200: PrioritySerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
        description="Save the priority; omitted optional fields (themes, goal_links, targets) are emptied.",
    )
    def update(self, request, pk=None):
        return self._save(request, pk, patch=False)

    @extend_schema(
        request=PriorityUpdateSerializer,
        responses={200: PrioritySerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
        description="Save the priority; fields left out keep their current value. `version` is required.",
    )
    def partial_update(self, request, pk=None):
        return self._save(request, pk, patch=True)

    def _save(self, request, pk, *, patch: bool) -> Response:
        priority = self._priority(pk)
        agenda = priority.agenda
        _require_edit(request.user, agenda)
        data = _bind(PriorityUpdateSerializer, request, patch=patch)
        if patch:
            current = get_object_or_404(_priority_queryset(), pk=priority.pk)
            values = {
                "title": current.title,
                "kind": current.kind,
                "description": current.description,
                "themes": [theme.pk for theme in current.themes.all()],
                "goal_links": _current_goal_links(current),
                "targets": _current_targets(current),
            }
        else:
            values = dict(PRIORITY_DEFAULTS)
        values.update(data)
        if "goal_links" in data:
            values["goal_links"] = goal_link_inputs(data["goal_links"])
        if "targets" in data:
            values["targets"] = _target_inputs(agenda, data["targets"])
        services.priority_update(
            priority_id=priority.pk,
            actor=request.user,
            base_version=data["version"],
            title=values["title"],
            kind=values["kind"],
            description=values["description"],
            theme_ids=values["themes"],
            goal_links=values["goal_links"],
            targets=values["targets"],
        )
        return self._response(priority.pk)

    @extend_schema(
        parameters=[VERSION_PARAMETER],
        responses={204: None, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
        description="Delete the priority and its measures.",
    )
    def destroy(self, request, pk=None):
        priority = self._priority(pk)
        _require_edit(request.user, priority.agenda)
        services.priority_delete(priority_id=priority.pk, actor=request.user, base_version=_base_version(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --------------------------------------------------------------- measures


class MeasureViewSet(viewsets.GenericViewSet):
    """Measures of priorities: create, read, save and delete one measure with its whole budget."""

    permission_classes = [IsAuthenticated]
    serializer_class = MeasureSerializer
    filter_backends: list = []

    def get_queryset(self):
        return _visible(_measure_queryset(), self.request.user, "agenda")

    def _measure(self, pk) -> Measure:
        return get_object_or_404(
            _visible(Measure.objects.select_related("agenda__coalition"), self.request.user, "agenda"), pk=pk
        )

    def _response(self, pk, status_code=status.HTTP_200_OK) -> Response:
        return Response(MeasureSerializer(self.get_queryset().get(pk=pk)).data, status=status_code)

    @staticmethod
    def _measure_input(data: dict) -> services.MeasureInput:
        return services.MeasureInput(
            priority_id=data["priority"],
            title=data["title"],
            description=data["description"],
            lead_organisation_id=data["lead_organisation"],
            start_year=data["start_year"],
            end_year=data["end_year"],
            status=data["status"],
            budget=data["budget_lines"],
            goal_links=data["goal_links"],
        )

    @staticmethod
    def _service_shapes(data: dict) -> dict:
        """Validated input with the budget as {(year, source): amount} and goal links as GoalLinkInput."""
        data = dict(data)
        if "budget_lines" in data:
            data["budget_lines"] = {(line["year"], line["source"]): line["amount"] for line in data["budget_lines"]}
        if "goal_links" in data:
            data["goal_links"] = goal_link_inputs(data["goal_links"])
        return data

    @extend_schema(
        request=MeasureCreateSerializer,
        responses={201: MeasureSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def create(self, request):
        agenda_id = _bind(AgendaRefSerializer, request)["agenda"]
        agenda = get_object_or_404(_visible(Agenda.objects.select_related("coalition"), request.user), pk=agenda_id)
        _require_edit(request.user, agenda)
        data = {**MEASURE_DEFAULTS, **self._service_shapes(_bind(MeasureCreateSerializer, request))}
        measure = services.measure_create(agenda=agenda, actor=request.user, data=self._measure_input(data))
        return self._response(measure.pk, status.HTTP_201_CREATED)

    @extend_schema(responses={200: MeasureSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk=None):
        return Response(MeasureSerializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    @extend_schema(
        request=MeasureUpdateSerializer,
        responses={200: MeasureSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
        description="Save the measure; `budget_lines` replaces the whole budget, omitted optional fields are emptied.",
    )
    def update(self, request, pk=None):
        return self._save(request, pk, patch=False)

    @extend_schema(
        request=MeasureUpdateSerializer,
        responses={200: MeasureSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
        description="Save the measure; fields left out keep their current value. `version` is required.",
    )
    def partial_update(self, request, pk=None):
        return self._save(request, pk, patch=True)

    def _save(self, request, pk, *, patch: bool) -> Response:
        measure = self._measure(pk)
        _require_edit(request.user, measure.agenda)
        data = self._service_shapes(_bind(MeasureUpdateSerializer, request, patch=patch))
        if patch:
            current = get_object_or_404(_measure_queryset(), pk=measure.pk)
            values = {
                "priority": current.priority_id,
                "title": current.title,
                "description": current.description,
                "lead_organisation": current.lead_organisation_id,
                "start_year": current.start_year,
                "end_year": current.end_year,
                "status": current.status,
                "budget_lines": {(line.year, line.source): line.amount for line in current.budget_lines.all()},
                "goal_links": _current_goal_links(current),
            }
        else:
            values = dict(MEASURE_DEFAULTS)
        values.update(data)
        services.measure_update(
            measure_id=measure.pk, actor=request.user, base_version=data["version"], data=self._measure_input(values)
        )
        return self._response(measure.pk)

    @extend_schema(
        parameters=[VERSION_PARAMETER],
        responses={204: None, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def destroy(self, request, pk=None):
        measure = self._measure(pk)
        _require_edit(request.user, measure.agenda)
        services.measure_delete(measure_id=measure.pk, actor=request.user, base_version=_base_version(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# ------------------------------------------------------------------ goals


class GoalSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    short = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)

    class Meta:
        model = Goal
        fields = [
            "id",
            "catalogue",
            "code",
            "label",
            "short",
            "title",
            "short_nl",
            "short_en",
            "title_nl",
            "title_en",
            "parent",
            "verified",
            "source",
        ]
        read_only_fields = fields


class GoalFilter(django_filters.FilterSet):
    catalogue = django_filters.ChoiceFilter(choices=GoalCatalogue.choices)
    parent = django_filters.NumberFilter(field_name="parent_id")

    class Meta:
        model = Goal
        fields = ["catalogue", "parent"]


class GoalViewSet(viewsets.ReadOnlyModelViewSet):
    """The goal catalogues agendas link to (SDGs with their targets, EU cohesion policy, national programmes)."""

    permission_classes = [IsAuthenticated]
    queryset = Goal.objects.filter(is_active=True)
    serializer_class = GoalSerializer
    filterset_class = GoalFilter
    search_fields = ["code", "title_nl", "title_en", "short_nl", "short_en"]
    ordering = ["catalogue", "position", "id"]


# ---------------------------------------------------------- notifications


class NotificationSerializer(serializers.ModelSerializer):
    verb = serializers.CharField(source="event.verb")
    actor = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField()
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "created_at", "read_at", "is_read", "verb", "actor", "text", "link"]
        read_only_fields = fields

    def get_actor(self, notification) -> str | None:
        actor = notification.event.actor
        return actor.display_name if actor is not None else None

    def get_text(self, notification) -> str:
        return notifications.describe(notification.event)

    def get_link(self, notification) -> str:
        return notifications.link(notification.event)

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class NotificationViewSet(viewsets.GenericViewSet):
    """Your own notifications, newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = NotificationSerializer
    filter_backends: list = []

    def get_queryset(self):
        if not self.request.user.is_authenticated:  # the schema generator
            return Notification.objects.none()
        return selectors.notifications_for(self.request.user)

    def list(self, request):
        """Your own notifications, newest first, with the sentence and the link the pages show."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)

    @extend_schema(request=None, responses={200: NotificationSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one of your notifications as read."""
        notification = get_object_or_404(self.get_queryset(), pk=pk)
        notifications.notifications_mark_read(user=request.user, ids=[notification.pk])
        return Response(NotificationSerializer(self.get_queryset().get(pk=notification.pk)).data)

    @extend_schema(request=None, responses={200: MarkedSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all your notifications as read."""
        return Response({"marked": notifications.notifications_mark_read(user=request.user)})


def register(router) -> None:
    """Add this module's viewsets to the /api/v1/ router."""
    router.register("agendas", AgendaViewSet, basename="agenda")
    router.register("priorities", PriorityViewSet, basename="priority")
    router.register("measures", MeasureViewSet, basename="measure")
    router.register("goals", GoalViewSet, basename="goal")
    router.register("notifications", NotificationViewSet, basename="notification")
