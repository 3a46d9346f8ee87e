"""API of agendas, priorities, measures, their history and comments (/api/v1/).

The same operations and rules as the HTML editor:

* An agenda someone may not see answers 404 on every endpoint, also to
  reviewers, officials and data stewards: drafts never leak. A member who may
  see but not edit (a viewer) gets 403 on writes.
* Serializers check types and shapes only (whole numbers, lengths, choices);
  the services check the rest. Their ``ValidationError`` and ``EditConflict``
  become 400 and 409 in ``core.api_errors``.
* Every save of a part names the version it started from (``version``; for a
  DELETE the ``?version=`` query parameter). PUT replaces the part (omitted
  optional fields are emptied), PATCH keeps what it does not name.
"""

from __future__ import annotations

import re

import django_filters
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from agendas import revisions, selectors, services
from agendas.api.serializers import (
    HEADER_DEFAULTS,
    MEASURE_DEFAULTS,
    PRIORITY_DEFAULTS,
    AgendaCreateSerializer,
    AgendaDocumentSerializer,
    AgendaListSerializer,
    AgendaRefSerializer,
    AgendaUpdateSerializer,
    CoalitionRefSerializer,
    CommentInputSerializer,
    CommentSerializer,
    CompareSerializer,
    ConflictSerializer,
    MeasureCreateSerializer,
    MeasureSerializer,
    MeasureUpdateSerializer,
    PriorityCreateSerializer,
    PrioritySerializer,
    PriorityUpdateSerializer,
    RevisionSerializer,
    goal_link_inputs,
)
from agendas.baselines import indicator_baselines, resolve_baseline
from agendas.comments import comment_create
from agendas.models import (
    Agenda,
    BudgetLine,
    GoalLink,
    Measure,
    Priority,
    TargetIndicator,
)
from agendas.permissions import can_comment_on_agenda, can_create_agenda, can_edit_agenda

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
        comment = comment_create(agenda=agenda, actor=request.user, body=data["body"], priority=priority)
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


def register(router) -> None:
    """Add this module's viewsets to the /api/v1/ router."""
    router.register("agendas", AgendaViewSet, basename="agenda")
    router.register("priorities", PriorityViewSet, basename="priority")
    router.register("measures", MeasureViewSet, basename="measure")
