"""API of the regiotoets register (/api/v1/regiotoets/).

* ``GET /regiotoets/``: the register for everyone (also without logging in),
  newest decision date first, 50 a page, with the filters of the page:
  ``ministry`` (slug), ``kind``, ``status``, ``theme`` (code), ``effect``
  (positive / negative / unknown; with ``theme``: on that theme) and
  ``region`` (a region code: the entries that affect it, by the rule of
  ``regiotoets.selectors``). A wrong filter value is a 400 with the error at
  its parameter. No official is named.
* ``GET /regiotoets/{id}/``: one entry with its regions, effects and the
  responses (signals) the caller may read.
* ``POST /regiotoets/`` records an entry, ``PATCH /regiotoets/{id}/`` changes
  one (fields left out keep their value; ``regions`` and ``effects`` are
  replaced as a whole when given): officials of the entry's ministry and
  programme administrators (403 for others). A field error is a 400
  ``{field: [messages]}``; about one theme's effect under
  ``effect-<theme>-expected`` / ``-reason`` / ``-evidence``.

Input serializers check types and shapes only; the services check the rules.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from core.api import bind
from core.public_cache import public_cache
from regions.models import Region, Theme
from regiotoets import permissions, selectors, services
from regiotoets.forms import Filters
from regiotoets.models import EVIDENCE_MAX, REASON_MAX, REGIONS_MAX, SUMMARY_MAX, TITLE_MAX, Effect, Entry
from signals.models import Ministry, Signal

ID_MAX = services.ID_MAX
NOT_FOUND = OpenApiResponse(description="Not found.")
FORBIDDEN = OpenApiResponse(
    description="Not yours to do: officials of the entry's ministry and programme administrators."
)
BAD_INPUT = OpenApiResponse(
    description="Field errors: {field: [messages]}; about one theme's effect under effect-<theme>-<field>."
)
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
# What the API shows beyond the page's rows (selectors.LIST_COLUMNS).
API_COLUMNS = ("summary", "source_url", "created_at", "updated_at")


def values(choices) -> str:
    return ", ".join(value for value, _label in choices)


# --- output ------------------------------------------------------------------------------------


class EntryMinistrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Ministry
        fields = ["id", "slug", "abbreviation", "name", "name_en"]


class EntryRegionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="municipality, corop, province or custom.")

    class Meta:
        model = Region
        fields = ["code", "name", "kind"]


class EffectSerializer(serializers.ModelSerializer):
    theme = serializers.CharField(source="theme.code", help_text="The theme's code (GET /themes/).")
    expected = serializers.CharField(help_text=f"One of: {values(Effect.Expected.choices)}.")

    class Meta:
        model = Effect
        fields = ["theme", "expected", "reason", "evidence"]


class EntrySerializer(serializers.ModelSerializer):
    ministry = EntryMinistrySerializer(read_only=True)
    kind = serializers.CharField(help_text=f"One of: {values(Entry.Kind.choices)}.")
    status = serializers.CharField(help_text=f"One of: {values(Entry.Status.choices)}.")
    decision_date = serializers.DateField(
        help_text="Of a decision: the day it was taken; of a proposal: the day it is expected to be decided."
    )
    regions = EntryRegionSerializer(many=True, read_only=True, help_text="The regions it was recorded for.")
    effects = EffectSerializer(many=True, read_only=True)

    class Meta:
        model = Entry
        fields = [
            "id",
            "reference",
            "title",
            "summary",
            "ministry",
            "kind",
            "status",
            "decision_date",
            "source_url",
            "regions",
            "effects",
            "created_at",
            "updated_at",
        ]


class EntryResponseSerializer(serializers.ModelSerializer):
    """A response as a signal (GET /signals/{id}/ has the rest)."""

    coalition = serializers.CharField(source="coalition.name")
    status = serializers.CharField(help_text=f"One of: {values(Signal.Status.choices)}.")

    class Meta:
        model = Signal
        fields = ["id", "reference", "title", "coalition", "status", "is_public", "filed_at"]


class EntryDetailSerializer(EntrySerializer):
    responses = EntryResponseSerializer(
        many=True,
        read_only=True,
        source="visible_responses",
        help_text="The coalitions' responses (signals to the ministry) you may read: the public ones for everyone.",
    )

    class Meta(EntrySerializer.Meta):
        fields = [*EntrySerializer.Meta.fields, "responses"]


# --- input -------------------------------------------------------------------------------------


class EffectInputSerializer(serializers.Serializer):
    theme = serializers.CharField(max_length=64, help_text="A theme's code (GET /themes/).")
    expected = serializers.CharField(max_length=16, help_text=f"One of: {values(Effect.Expected.choices)}.")
    reason = serializers.CharField(max_length=REASON_MAX, allow_blank=True, help_text="A short reason (required).")
    evidence = serializers.CharField(
        max_length=EVIDENCE_MAX, allow_blank=True, required=False, default="", help_text="A source: text or a URL."
    )


class EntryInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX, allow_blank=True)
    summary = serializers.CharField(max_length=SUMMARY_MAX, allow_blank=True)
    ministry = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="A ministry's id (GET /ministries/).")
    kind = serializers.CharField(max_length=16, help_text=f"One of: {values(Entry.Kind.choices)}.")
    status = serializers.CharField(max_length=16, help_text=f"One of: {values(Entry.Status.choices)}.")
    decision_date = serializers.DateField(
        help_text="A decision's: today or earlier; a proposal's (the expected decision): today or later."
    )
    source_url = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")
    regions = serializers.ListField(
        child=serializers.CharField(max_length=32),
        max_length=REGIONS_MAX,
        help_text="Region codes: municipalities (GM...), COROP areas (CR...), provinces (PV...), custom (RG-...).",
    )
    effects = EffectInputSerializer(many=True, help_text="At least one; each theme once.")


class EntryPatchSerializer(EntryInputSerializer):
    """The same fields, each optional: what is left out keeps its value."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


def service_arguments(data: dict) -> dict:
    return {
        "title": data["title"],
        "summary": data["summary"],
        "ministry_id": data["ministry"],
        "decision_date": data["decision_date"],
        "kind": data["kind"],
        "status": data["status"],
        "source_url": data["source_url"],
        "region_codes": list(data["regions"]),
        "effects": [dict(effect) for effect in data["effects"]],
    }


def current_values(entry: Entry) -> dict:
    """An entry as input (for a PATCH: what is left out keeps its value)."""
    return {
        "title": entry.title,
        "summary": entry.summary,
        "ministry": entry.ministry_id,
        "decision_date": entry.decision_date,
        "kind": entry.kind,
        "status": entry.status,
        "source_url": entry.source_url,
        "regions": [region.code for region in entry.regions.all()],
        "effects": [
            {"theme": e.theme.code, "expected": e.expected, "reason": e.reason, "evidence": e.evidence}
            for e in entry.effects.all()
        ],
    }


# --- views -------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class CodeFilter(django_filters.ModelChoiceFilter):
    """A row chosen by its code (``to_field_name``): a string in the schema, whatever the model's field is called."""


class EntryFilter(django_filters.FilterSet):
    """The page's filters (``regiotoets.forms.FilterForm``), applied by the one rule of ``selectors.filtered``."""

    ministry = django_filters.ModelChoiceFilter(
        queryset=Ministry.objects.all(), to_field_name="slug", label="ministry (slug)"
    )
    kind = django_filters.ChoiceFilter(choices=Entry.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Entry.Status.choices)
    theme = CodeFilter(queryset=Theme.objects.all(), to_field_name="code", label="theme code")
    effect = django_filters.ChoiceFilter(
        choices=Effect.Expected.choices, label="expected effect (with theme: on that theme)"
    )
    region = CodeFilter(
        queryset=Region.objects.filter(kind__in=selectors.SELECTABLE_KINDS).only("code"),
        to_field_name="code",
        label="region code: the entries that affect it",
    )

    class Meta:
        model = Entry
        fields = ["ministry", "kind", "status", "theme", "effect", "region"]

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        filters = Filters(
            ministry=data["ministry"].slug if data.get("ministry") else "",
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            theme=data["theme"].code if data.get("theme") else "",
            effect=data.get("effect") or "",
            region=data["region"].code if data.get("region") else "",
        )
        return selectors.filtered(queryset, filters)


def entry_object(pk) -> Entry:
    if not (isinstance(pk, str) and pk.isascii() and pk.isdigit() and 0 < int(pk) <= ID_MAX):
        raise Http404
    entry = selectors.entry_detail(int(pk))
    if entry is None:
        raise Http404
    return entry


class EntryViewSet(viewsets.GenericViewSet):
    """The regiotoets register: national decisions and proposals with their expected effects per region and theme."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = EntrySerializer
    queryset = Entry.objects.none()
    filter_backends = [DjangoFilterBackend]
    filterset_class = EntryFilter
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Entry.objects.all()

    def _detail(self, pk, status_code=status.HTTP_200_OK) -> Response:
        entry = entry_object(str(pk))
        entry.visible_responses = selectors.responses_for(entry, self.request.user)
        return Response(EntryDetailSerializer(entry).data, status=status_code)

    @extend_schema(responses={200: EntrySerializer(many=True), 400: BAD_INPUT})
    @public_cache
    def list(self, request):
        """The register, newest decision date first. Five queries a page, whatever the size of the register."""
        ids = self.filter_queryset(self.get_queryset()).order_by("-decision_date", "-pk").values_list("pk", flat=True)
        page = self.paginate_queryset(ids)
        shown = selectors.listed(Entry.objects.filter(pk__in=list(page))).only(*selectors.LIST_COLUMNS, *API_COLUMNS)
        rows = {entry.pk: entry for entry in shown}
        entries = [rows[pk] for pk in page]
        return self.get_paginated_response(EntrySerializer(entries, many=True).data)

    @extend_schema(parameters=[ID], responses={200: EntryDetailSerializer, 404: NOT_FOUND})
    @public_cache
    def retrieve(self, request, pk=None):
        """One entry with its regions, its effects and the responses you may read."""
        return self._detail(pk)

    @extend_schema(request=EntryInputSerializer, responses={201: EntryDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN})
    def create(self, request):
        """Record a national decision or proposal (officials of its ministry, programme administrators).

        At least one region and one effect; a decision's date is today or earlier, a proposal's today or later.
        The coordinators of the coalitions whose region lags on a theme with a negative effect are notified.
        """
        data = bind(EntryInputSerializer, request)
        entry = services.entry_record(actor=request.user, **service_arguments(data))
        return self._detail(entry.pk, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[ID],
        request=EntryPatchSerializer,
        responses={200: EntryDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def partial_update(self, request, pk=None):
        """Change an entry (officials of its ministry, programme administrators). Fields left out keep their
        value; ``regions`` and ``effects``, when given, replace the current ones."""
        entry = entry_object(str(pk))
        if not permissions.may_edit(request.user, entry):
            raise PermissionDenied
        data = {**current_values(entry), **bind(EntryPatchSerializer, request)}
        services.entry_update(actor=request.user, entry_id=entry.pk, **service_arguments(data))
        return self._detail(entry.pk)


def register(router) -> None:
    router.register("regiotoets", EntryViewSet, basename="regiotoets-entry")
