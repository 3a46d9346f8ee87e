"""API of signals (/api/v1/signals/, /api/v1/ministries/).

* ``GET /signals/``: the public signals for everyone (also without logging
  in), plus the ones that are not public which the caller may read (their
  coalition's, or addressed to their ministry); filters ``ministry`` (slug),
  ``region`` (code), ``theme`` (code), ``status``, as on the public page. No
  person is named. ``GET /signals/{id}/`` adds the history (steps).
* ``POST /signals/`` files a signal (a coordinator or editor of the agenda's
  coalition); ``POST /signals/{id}/acknowledge/``, ``/answer/`` and
  ``/close/`` are the ministry's steps (its officials). A signal the caller may
  not read is a 404 first; then who may act (403), the workflow (409 with the
  allowed actions) and the fields (400 with field errors), as on the pages.
* ``GET /ministries/``: the catalogue with, per ministry, the open public
  signals, the median working days to an answer and the share answered in time.

Input serializers check types and shapes only; the services check the rules.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from core.api import bind
from core.public_cache import public_cache
from regions.models import Region, Theme
from signals import permissions, selectors, services
from signals.models import ANSWER_MAX, BODY_MAX, REASON_MAX, TITLE_MAX, Ministry, Signal, SignalStep

ID_MAX = services.ID_MAX
NOT_FOUND = OpenApiResponse(description="Not found, or not visible to you.")
FORBIDDEN = OpenApiResponse(description="Not yours to do: see the operation's description.")
BAD_INPUT = OpenApiResponse(description="Field errors: {field: [messages]} (non_field_errors when not tied to one).")
NOT_ALLOWED = OpenApiResponse(
    description="Not in the workflow from the signal's state: {detail, state, action, allowed_actions}."
)
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
# What the list shows beyond the pages' list rows (selectors.LIST_COLUMNS).
API_COLUMNS = ("body", "answer", "not_public_reason", "acknowledged_at", "closed_at")


def values(choices) -> str:
    return ", ".join(value for value, _label in choices)


# --- output ------------------------------------------------------------------------------------


class SignalMinistrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Ministry
        fields = ["id", "slug", "abbreviation", "name", "name_en"]


class SignalCoalitionSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class SignalRegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SignalStepSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text=f"One of: {values(SignalStep.Kind.choices)}.")
    ministry = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="The ministry addressed then.")
    to_ministry = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="Of a forward: the ministry it went to."
    )
    outcome = serializers.CharField(help_text=f"Of an answer or forward: {values(Signal.Outcome.choices)}; else empty.")
    text = serializers.CharField(help_text="Of an answer or forward: its text; else empty.")

    class Meta:
        model = SignalStep
        fields = ["kind", "at", "ministry", "to_ministry", "outcome", "text"]


class SignalSerializer(serializers.ModelSerializer):
    """A signal as everyone who may read it sees it: no person is named."""

    kind = serializers.CharField(help_text=f"One of: {values(Signal.Kind.choices)}.")
    status = serializers.CharField(help_text=f"One of: {values(Signal.Status.choices)}.")
    outcome = serializers.CharField(
        help_text="Of the answer in force: accepted or not_possible; empty while the signal is open."
    )
    coalition = SignalCoalitionSerializer(read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    region = SignalRegionSerializer(read_only=True)
    ministry = SignalMinistrySerializer(read_only=True)
    themes = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField(help_text="A due date of its current addressing has passed.")

    class Meta:
        model = Signal
        fields = [
            "id",
            "reference",
            "title",
            "body",
            "kind",
            "status",
            "outcome",
            "answer",
            "is_public",
            "not_public_reason",
            "coalition",
            "organisation",
            "region",
            "ministry",
            "themes",
            "blocks_kind",
            "blocks_label",
            "filed_at",
            "acknowledge_due",
            "answer_due",
            "acknowledged_at",
            "answered_at",
            "closed_at",
            "escalated_at",
            "overdue",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_themes(self, signal) -> list[str]:
        return [theme.code for theme in signal.themes.all()]

    def get_overdue(self, signal) -> bool:
        return signal.is_overdue(self.context["today"])


class SignalDetailSerializer(SignalSerializer):
    steps = SignalStepSerializer(many=True, read_only=True)

    class Meta(SignalSerializer.Meta):
        fields = [*SignalSerializer.Meta.fields, "steps"]


class MinistryFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="ministry.pk")
    slug = serializers.CharField(source="ministry.slug")
    abbreviation = serializers.CharField(source="ministry.abbreviation")
    name = serializers.CharField(source="ministry.name")
    name_en = serializers.CharField(source="ministry.name_en")
    is_active = serializers.BooleanField(source="ministry.is_active")
    acknowledge_days = serializers.IntegerField(source="ministry.acknowledge_days", help_text="Working days.")
    answer_days = serializers.IntegerField(source="ministry.answer_days", help_text="Working days.")
    open = serializers.IntegerField(help_text="Public signals filed or acknowledged, not yet answered.")
    overdue = serializers.IntegerField(help_text="Of the open ones: past the answer's due date.")
    answers = serializers.IntegerField(help_text="Answers to public signals (accepted, not possible, forwarded).")
    median_days = serializers.FloatField(allow_null=True, help_text="Median working days to an answer.")
    share_in_time = serializers.SerializerMethodField(
        help_text="Answers by the due date / (answers + open ones past it), 0..1; null without either."
    )

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_share_in_time(self, figures) -> float | None:
        share = figures.share_in_time
        return None if share is None else round(float(share), 4)


# --- input -------------------------------------------------------------------------------------


class SignalFileSerializer(serializers.Serializer):
    agenda = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    ministry = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="A ministry's id (GET /ministries/).")
    title = serializers.CharField(max_length=TITLE_MAX, allow_blank=True)
    body = serializers.CharField(max_length=BODY_MAX, allow_blank=True, help_text="What blocks what.")
    kind = serializers.CharField(max_length=16, help_text=f"One of: {values(Signal.Kind.choices)}.")
    priority = serializers.IntegerField(min_value=1, max_value=ID_MAX, required=False, allow_null=True)
    measure = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, allow_null=True, help_text="At least one of priority, measure."
    )
    region = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="The agenda's region (default) or one of its municipalities' codes.",
    )
    organisation = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, allow_null=True, help_text="Default: the one you represent."
    )
    themes = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, max_length=50, help_text="Theme codes."
    )
    is_public = serializers.BooleanField(required=False, default=True)
    not_public_reason = serializers.CharField(max_length=REASON_MAX, required=False, allow_blank=True, default="")


class SignalAnswerSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=16, help_text=f"One of: {values(Signal.Outcome.choices)}.")
    text = serializers.CharField(max_length=ANSWER_MAX, allow_blank=True)
    forward_to = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, allow_null=True, help_text="With forwarded: a ministry's id."
    )


# --- views -------------------------------------------------------------------------------------


class SignalFilter(django_filters.FilterSet):
    ministry = django_filters.ModelChoiceFilter(
        queryset=Ministry.objects.all(), to_field_name="slug", field_name="ministry", label="ministry (slug)"
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.only("code"), to_field_name="code", field_name="region", label="region code"
    )
    theme = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.all(), to_field_name="code", field_name="themes", label="theme code"
    )
    status = django_filters.ChoiceFilter(choices=Signal.Status.choices)

    class Meta:
        model = Signal
        fields = ["ministry", "region", "theme", "status"]


def visible_object(queryset, pk) -> Signal:
    if not (isinstance(pk, str) and pk.isascii() and pk.isdigit() and 0 < int(pk) <= ID_MAX):
        raise Http404
    signal = selectors.signal_detail(queryset, int(pk))
    if signal is None:
        raise Http404
    return signal


class SignalViewSet(viewsets.GenericViewSet):
    """Signals from the regions to the Rijk: public ones for everyone, the others for those involved."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = SignalSerializer
    queryset = Signal.objects.none()
    filter_backends = [DjangoFilterBackend]
    filterset_class = SignalFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.visible_to(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _detail(self, pk, status_code=status.HTTP_200_OK) -> Response:
        signal = visible_object(self.get_queryset(), str(pk))
        return Response(SignalDetailSerializer(signal, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(responses={200: SignalSerializer(many=True), 400: BAD_INPUT})
    @public_cache
    def list(self, request):
        """Signals, newest first: the public ones, and those that are not public which you may read."""
        queryset = self.filter_queryset(self.get_queryset()).order_by("-filed_at", "-pk")
        page = self.paginate_queryset(selectors.listed(queryset).only(*selectors.LIST_COLUMNS, *API_COLUMNS))
        data = SignalSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    @extend_schema(parameters=[ID], responses={200: SignalDetailSerializer, 404: NOT_FOUND})
    @public_cache
    def retrieve(self, request, pk=None):
        """One signal with its history."""
        return self._detail(pk)

    @extend_schema(
        request=SignalFileSerializer, responses={201: SignalDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN}
    )
    def create(self, request):
        """File a signal about your coalition's agenda (coordinators and editors of the coalition).

        It names the priority or measure it blocks (of that agenda), the region (the agenda's or one of its
        municipalities) and an active ministry, which must acknowledge and answer it within its working days.
        """
        data = bind(SignalFileSerializer, request)
        signal = services.signal_file(
            actor=request.user,
            agenda_id=data["agenda"],
            ministry_id=data["ministry"],
            title=data["title"],
            body=data["body"],
            kind=data["kind"],
            priority_id=data.get("priority"),
            measure_id=data.get("measure"),
            region_code=data.get("region") or None,
            organisation_id=data.get("organisation"),
            theme_codes=data.get("themes", []),
            is_public=data["is_public"],
            not_public_reason=data["not_public_reason"],
        )
        return self._detail(signal.pk, status.HTTP_201_CREATED)

    def _step(self, pk, run) -> Response:
        signal = visible_object(self.get_queryset(), str(pk))
        run(signal)
        return self._detail(signal.pk)

    @extend_schema(
        parameters=[ID],
        request=None,
        responses={200: SignalDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: NOT_ALLOWED},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def acknowledge(self, request, pk=None):
        """Confirm receipt (officials of the addressed ministry)."""
        return self._step(pk, lambda signal: services.signal_acknowledge(actor=request.user, signal_id=signal.pk))

    @extend_schema(
        parameters=[ID],
        request=SignalAnswerSerializer,
        responses={
            200: SignalDetailSerializer,
            204: OpenApiResponse(description="Forwarded, and no longer yours to read."),
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: NOT_ALLOWED,
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def answer(self, request, pk=None):
        """Answer (officials of the addressed ministry): accepted, not_possible (with reasons), or forwarded to
        another ministry (``forward_to``), where the signal is filed again with new due dates.

        After a forward, a signal that is not public is no longer yours to read: the answer is then 204.
        """
        signal = visible_object(self.get_queryset(), str(pk))
        if not permissions.can_act_on(request.user, signal):
            raise PermissionDenied
        data = bind(SignalAnswerSerializer, request)
        answered = services.signal_answer(
            actor=request.user,
            signal_id=signal.pk,
            outcome=data["outcome"],
            text=data["text"],
            forward_to_ministry_id=data.get("forward_to"),
        )
        if not permissions.can_view_signal(request.user, answered):
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._detail(signal.pk)

    @extend_schema(
        parameters=[ID],
        request=None,
        responses={200: SignalDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: NOT_ALLOWED},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def close(self, request, pk=None):
        """Close an answered signal (officials of the addressed ministry)."""
        return self._step(pk, lambda signal: services.signal_close(actor=request.user, signal_id=signal.pk))


class MinistryViewSet(viewsets.ViewSet):
    """The ministries signals are addressed to, with how they answer the public ones."""

    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(responses={200: MinistryFiguresSerializer(many=True)})
    @public_cache
    def list(self, request):
        """Every active ministry (and any other with public signals), by name, with its terms and figures."""
        return Response(MinistryFiguresSerializer(selectors.ministry_figures(), many=True).data)


def register(router) -> None:
    router.register("signals", SignalViewSet, basename="signal")
    router.register("ministries", MinistryViewSet, basename="ministry")
