"""API of funding (/api/v1/): programmes with their yearly budgets, and decisions (beschikkingen).

* Programmes are public, also without logging in: the rules, and per year the
  budget, the part reserved for lagging regions, what is committed and what is
  left. Rijk officials create them.
* Approved decisions are public, with their tranches and their letter (PDF):
  the title and the content hash come from the frozen snapshot of the
  submission, never from the live agenda, and no reviewer is named. Proposed
  and rejected decisions exist only for Rijk officials (404 for everyone
  else), and only officials see which officials proposed and decided.
* Officials propose; another official approves or rejects (four eyes, the
  mandate and the envelopes are checked by ``funding.services``). Approving
  needs a session confirmed with a one-time code (``accounts.two_factor``):
  a request authenticated with an API token can never approve.
* Serializers check types and shapes; the services check the rules. Their
  ``ValidationError`` is a 400 with field errors, ``PermissionDenied`` a 403
  (``core.api_errors``).
"""

from __future__ import annotations

from collections import defaultdict

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.db.models.fields.json import KT
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from accounts.two_factor import is_verified
from core.api import bind
from core.fields import YEAR_MAX, YEAR_MIN
from core.public_cache import public_cache
from funding import monitoring, services
from funding import serializers as s
from funding.letters import letter_response
from funding.models import Amendment, Decision, Envelope, Programme, Tranche
from funding.permissions import can_see_advice_of, is_official
from reviews.models import Submission

NOT_FOUND = OpenApiResponse(description="Not found, or not visible to you.")
FORBIDDEN = OpenApiResponse(description="Rijk officials only.")
BAD_INPUT = OpenApiResponse(description="Field errors: {field: [messages]} (non_field_errors when not tied to one).")
NOT_VERIFIED = OpenApiResponse(
    description="Rijk officials only, in a browser session confirmed with a one-time code "
    "(/account/tweestaps/); never with an API token."
)
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


def require_official_api(user) -> None:
    if not is_official(user):
        raise PermissionDenied


def visible_object(queryset, pk):
    """The object with id ``pk`` in ``queryset``; 404 for anything that is not an id (also a huge number)."""
    if not (isinstance(pk, str) and pk.isascii() and pk.isdigit() and 0 < int(pk) <= s.ID_MAX):
        raise Http404
    obj = queryset.filter(pk=int(pk)).first()
    if obj is None:
        raise Http404
    return obj


def require_verified_session(request) -> None:
    """403 unless the request comes from a browser session confirmed with a one-time code (never a token)."""
    if not is_verified(request):
        raise PermissionDenied(
            _(
                "Dit kan alleen in een sessie die met een eenmalige code is bevestigd, nooit met een "
                "API-token. Log in op de website en bevestig uw sessie met de code uit uw authenticator-app "
                "op %(verify)s (nog geen app? Stel die in op %(setup)s)."
            )
            % {"verify": reverse("two_factor:verify"), "setup": reverse("two_factor:setup")}
        )


# ------------------------------------------------------------------ programmes


def programmes():
    return Programme.objects.prefetch_related(Prefetch("envelopes", queryset=Envelope.objects.order_by("year")))


class ProgrammeViewSet(viewsets.GenericViewSet):
    """Funding programmes of the Rijk and their yearly budgets (public)."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = s.ProgrammeSerializer
    queryset = Programme.objects.none()
    filter_backends: list = []
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return programmes()

    def list(self, request):
        """Programmes with their rules and, per payment year, the budget, the reserved part and what is committed."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.ProgrammeSerializer(page, many=True).data)

    @extend_schema(parameters=[ID], responses={200: s.ProgrammeSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk=None):
        """One programme with its yearly budgets."""
        return Response(s.ProgrammeSerializer(visible_object(self.get_queryset(), pk)).data)

    @extend_schema(
        request=s.ProgrammeCreateSerializer,
        responses={201: s.ProgrammeSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def create(self, request):
        """Create a programme with a budget for every payment year of its period (Rijk officials)."""
        require_official_api(request.user)
        data = bind(s.ProgrammeCreateSerializer, request)
        programme = services.programme_create(
            actor=request.user,
            envelopes={item["year"]: item["amount"] for item in data["envelopes"]},
            **{field: data[field] for field in services.PROGRAMME_FIELDS},
        )
        return Response(
            s.ProgrammeSerializer(self.get_queryset().get(pk=programme.pk)).data, status=status.HTTP_201_CREATED
        )


# ------------------------------------------------------------------ decisions


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """A whole number (a decimal like 1.5 is a 400, not silently rounded)."""

    field_class = forms.IntegerField


class DecisionFilter(django_filters.FilterSet):
    programme = IntegerFilter(field_name="programme_id", min_value=1, max_value=s.ID_MAX, label="programme (id)")
    region = django_filters.CharFilter(field_name="region__code", max_length=20, label="region code")
    year = IntegerFilter(
        method="filter_year", min_value=YEAR_MIN, max_value=YEAR_MAX, label="decisions with a tranche in this year"
    )
    status = django_filters.ChoiceFilter(choices=Decision.Status.choices, label="officials only: not approved ones")

    class Meta:
        model = Decision
        fields = ["programme", "region", "year", "status"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(Exists(Tranche.objects.filter(decision=OuterRef("pk"), year=value)))


def _visible(queryset, official: bool):
    """The rule: officials see every decision; everyone else (also anonymous) approved decisions only."""
    return queryset if official else queryset.filter(status=Decision.Status.APPROVED)


USER_NAME_COLUMNS = ("full_name", "first_name", "last_name", "username")  # accounts.models.User.__str__
# What serializers.AmendmentSerializer shows: its fields, with the letter for ``has_letter``; of the
# officials (proposed_by, decided_by) only their names, loaded through select_related.
AMENDMENT_COLUMNS = tuple(
    {"has_letter": "letter"}.get(field, field)
    for field in s.AmendmentSerializer.Meta.fields
    if field not in ("id", "proposed_by", "decided_by")
)


def _visible_amendments(official: bool) -> Prefetch:
    """A decision's amendments as ``visible_amendments``: all for officials (with their names), else approved ones."""
    amendments = Amendment.objects.order_by("number")
    if official:
        officials = [f"{who}__{column}" for who in ("proposed_by", "decided_by") for column in USER_NAME_COLUMNS]
        amendments = amendments.select_related("proposed_by", "decided_by").only(*AMENDMENT_COLUMNS, *officials)
    else:
        amendments = amendments.filter(status=Amendment.Status.APPROVED)
    return Prefetch("amendments", queryset=amendments, to_attr="visible_amendments")


def decisions_visible_to(user):
    """Officials: every decision; everyone else (also anonymous): approved ones. Whole rows, for actions on one."""
    official = is_official(user)
    related = ["programme", "region", "lead_partner", "submission", "submission__round", "submission__advice"]
    queryset = Decision.objects.select_related(*related, *(["proposed_by", "decided_by"] if official else [])).defer(
        "region__boundary"
    )
    queryset = queryset.prefetch_related(
        Prefetch("tranches", queryset=Tranche.objects.order_by("year")), _visible_amendments(official)
    )
    return _visible(queryset, official)


# What the API shows of a decision (``serializers.DecisionSerializer``, in the list and the detail) reads, and
# nothing else: not the submission's snapshot, the region's boundary, the advice's text and frozen figures, the
# programme's legal texts, the decision's dataset versions nor whole user rows. The agenda's title comes from
# the snapshot in a subquery, which PostgreSQL evaluates after ORDER BY ... LIMIT: for a page's rows only, not
# for every decision.
DECISION_COLUMNS = (
    "reference",
    "status",
    "programme__name",
    "programme__slug",
    "region__code",
    "region__name",
    "lead_partner__name",
    "submission__content_hash",
    "submission__submitted_at",
    "submission__round__is_public",
    "submission__advice__outcome",
    "submission__advice__published_at",
    "amount_requested",
    "amount_awarded",
    "difference_explanation",
    "conditions",
    "accumulated_deficit",
    "lagging",
    "cofinancing_percent",
    "cofinancing_exception",
    "proposed_at",
    "decided_at",
    "letter",
    "rejection_reason",
)


def decisions_shown_to(user):
    """The decisions of :func:`decisions_visible_to` with only what the API shows of them (DECISION_COLUMNS).

    For the list and the detail; their tranches come from :func:`tranches_of`. Queries: the decisions with
    their programme, region, lead partner, submission, round and advice joined (for officials also who
    proposed and decided); their amendments.
    """
    official = is_official(user)
    related = ["programme", "region", "lead_partner", "submission", "submission__round", "submission__advice"]
    columns = list(DECISION_COLUMNS)
    if official:
        related += ["proposed_by", "decided_by"]
        columns += [f"{who}__{column}" for who in ("proposed_by", "decided_by") for column in USER_NAME_COLUMNS]
    title = Submission.objects.filter(pk=OuterRef("submission_id")).order_by().values(title=KT("snapshot__title"))
    queryset = (
        Decision.objects.select_related(*related)
        .only(*columns)
        .annotate(title_text=Subquery(title))
        .prefetch_related(_visible_amendments(official))
    )
    return _visible(queryset, official)


def tranches_of(decisions) -> dict[int, list[dict]]:
    """The tranches of ``decisions`` as the API shows them, by decision id, by year (one query).

    Plain rows, not model instances: a page of 50 decisions has 500 tranches, and building and attaching
    them was a third of the list's time.
    """
    rows: dict[int, list[dict]] = defaultdict(list)
    tranches = Tranche.objects.filter(decision__in=[d.pk for d in decisions]).order_by("decision_id", "year")
    for row in tranches.values("decision_id", *s.TrancheSerializer.Meta.fields):
        rows[row.pop("decision_id")].append(row)
    return rows


class DecisionViewSet(viewsets.GenericViewSet):
    """Funding decisions (beschikkingen): approved ones are public; proposals and rejections for Rijk officials."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = s.DecisionSerializer
    queryset = Decision.objects.none()
    filter_backends = [DjangoFilterBackend]
    filterset_class = DecisionFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if self.action in ("list", "retrieve"):
            return decisions_shown_to(self.request.user)
        return decisions_visible_to(self.request.user)

    def _decision(self, pk) -> Decision:
        return visible_object(self.get_queryset(), pk)

    def _shown(self, decisions) -> s.DecisionSerializer:
        """The list and the detail alike: the decisions of ``decisions_shown_to`` with their tranches."""
        context = {"officials": is_official(self.request.user), "tranches": tranches_of(decisions)}
        return s.DecisionSerializer(decisions, many=True, context=context)

    def _detail(self, pk, status_code=status.HTTP_200_OK) -> Response:
        decision = visible_object(decisions_shown_to(self.request.user), str(pk))
        return Response(self._shown([decision]).data[0], status=status_code)

    @extend_schema(responses={200: s.DecisionSerializer(many=True), 400: BAD_INPUT})
    @public_cache
    def list(self, request):
        """Approved decisions, newest first (officials: also proposed and rejected ones; filter by ?status=)."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._shown(page).data)

    @extend_schema(parameters=[ID], responses={200: s.DecisionSerializer, 404: NOT_FOUND})
    @public_cache
    def retrieve(self, request, pk=None):
        """One decision with its tranches, the submission's content hash and the advice it follows."""
        return self._detail(pk)

    @extend_schema(
        request=s.DecisionProposeSerializer,
        responses={201: s.DecisionSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def create(self, request):
        """Propose a decision for a submission with published positive or conditional advice (Rijk officials).

        Another official approves or rejects it. The tranches add up to the
        amount awarded, at most one per year, within the agenda's period and
        the programme's, and within what is left of each year's budget.
        """
        require_official_api(request.user)
        data = bind(s.DecisionProposeSerializer, request)
        decision = services.decision_propose(
            actor=request.user,
            submission_id=data["submission"],
            programme_id=data["programme"],
            amount_awarded=data["amount_awarded"],
            tranches={item["year"]: item["amount"] for item in data["tranches"]},
            difference_explanation=data["difference_explanation"],
            conditions=data["conditions"],
            cofinancing_exception=data["cofinancing_exception"],
        )
        return self._detail(decision.pk, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[ID],
        request=None,
        responses={200: s.DecisionSerializer, 400: BAD_INPUT, 403: NOT_VERIFIED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a proposal (another official than the proposer, with a mandate covering the amount).

        Only in a browser session confirmed with a one-time code
        (/account/tweestaps/): a request with an API token is refused (403).
        The tranches are committed on the programme's yearly budgets and the
        letter is made after the commit.
        """
        decision = self._decision(pk)
        require_official_api(request.user)
        require_verified_session(request)
        services.decision_approve(actor=request.user, decision_id=decision.pk, verified=True)
        return self._detail(decision.pk)

    @extend_schema(
        parameters=[ID],
        request=s.RejectInputSerializer,
        responses={200: s.DecisionSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject a proposal with a reason (another official than the proposer); nothing is committed."""
        decision = self._decision(pk)
        require_official_api(request.user)
        data = bind(s.RejectInputSerializer, request)
        services.decision_reject(actor=request.user, decision_id=decision.pk, reason=data["reason"])
        return self._detail(decision.pk)

    @extend_schema(parameters=[ID], responses={200: s.ReportTargetSerializer(many=True), 404: NOT_FOUND})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def targets(self, request, pk=None):
        """The targets a progress report gives actual values for, with their keys (officials and the coalition)."""
        decision = self._decision(pk)
        if decision.status != Decision.Status.APPROVED or not monitoring.can_view_reports(request.user, decision):
            raise Http404
        rows = monitoring.report_targets(decision)
        return Response(s.ReportTargetSerializer([row.__dict__ for row in rows], many=True).data)

    def perform_content_negotiation(self, request, force=False):
        # The letter is a PDF whatever the client accepts; its errors are JSON.
        return super().perform_content_negotiation(request, force=force or self.action == "letter")

    @extend_schema(
        parameters=[ID],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: NOT_FOUND},
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def letter(self, request, pk=None):
        """The decision letter (PDF) of an approved decision, once it is made (404 before)."""
        decision = self._decision(pk)
        if decision.status != Decision.Status.APPROVED or not decision.letter:
            raise Http404
        if not can_see_advice_of(request.user, decision):
            raise Http404
        return letter_response(decision)


class NationalViewSet(viewsets.ViewSet):
    """The national picture as data: the figures of /financiering/landelijk/ (public)."""

    permission_classes: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("programme", OpenApiTypes.INT, description="Alleen dit programma."),
            OpenApiParameter("theme", OpenApiTypes.STR, description="Alleen agenda's die aan dit thema werken."),
            OpenApiParameter("goal", OpenApiTypes.STR, description="Alleen agenda's met dit doel (catalogus:code)."),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiResponse(description="Onbekend filter")},
    )
    @public_cache
    def list(self, request):
        """Approved commitments per programme and year, per region and per municipality (€ per inhabitant)."""
        from funding.national_views import picture_for

        form, picture = picture_for(request.query_params)
        if form.errors:
            return Response(form.errors.get_json_data(), status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {
                "filters": picture.filters.as_query(),
                "total": picture.total,
                "lagging_min_themes": picture.lagging_min_themes,
                "lagging_money_share": picture.lagging_money_share,
                "lagging_population_share": picture.lagging_population_share,
                "population_year": picture.population_year,
                "years": picture.years,
                "programmes": [
                    {"id": p.pk, "name": p.name, "by_year": dict(zip(picture.years, amounts, strict=True)), "total": t}
                    for p, amounts, t in picture.programme_rows()
                ],
                "regions": [
                    {
                        "code": r.region.code,
                        "name": r.region.name,
                        "population": r.population,
                        "deficit_at_decision": r.deficit_at_decision,
                        "decisions": r.decisions,
                        "by_year": r.by_year,
                        "total": r.total,
                        "per_inhabitant": r.per_inhabitant,
                    }
                    for r in picture.regions
                ],
                "municipalities": [
                    {
                        "code": m.code,
                        "name": m.name,
                        "population": m.population,
                        "accumulated_deficit": m.deficit,
                        "lagging": m.lagging,
                        "committed": round(m.committed, 2),
                        "per_inhabitant": m.per_inhabitant,
                    }
                    for m in picture.by_deficit()
                ],
            }
        )


def register(router) -> None:
    """Add the funding viewsets to the /api/v1/ router."""
    from funding import monitoring_api

    router.register("programmes", ProgrammeViewSet, basename="programme")
    router.register("decisions", DecisionViewSet, basename="decision")
    router.register("national", NationalViewSet, basename="national")
    monitoring_api.register(router)
