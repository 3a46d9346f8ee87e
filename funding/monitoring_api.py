"""API of monitoring and amending decisions (/api/v1/).

* ``progress-reports/``: the coalition (coordinators and editors) files a
  yearly report on an approved decision; officials accept or return it.
  Reports are seen by officials and the coalition's members only (404 for
  everyone else). ``decisions/{id}/targets/`` lists the keys to report on.
* ``tranches/{id}/release/`` and ``/reclaim/``: officials pay out and
  reclaim. Like approving, only in a browser session confirmed with a
  one-time code — never with an API token (403).
* ``amendments/``: officials propose a new split of an approved decision;
  another official approves (confirmed session, mandate) or rejects it.
  Approved amendments are public, like the decision; proposed and rejected
  ones are for officials.

The rules are in ``funding.monitoring`` and ``funding.amendments``; their
``ValidationError`` is a 400 with field errors.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from guardian.shortcuts import get_objects_for_user
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from coalitions.models import Coalition
from core.api import bind
from funding import amendments, monitoring
from funding import serializers as s
from funding.api import (
    BAD_INPUT,
    FORBIDDEN,
    ID,
    NOT_FOUND,
    NOT_VERIFIED,
    decisions_visible_to,
    require_official_api,
    require_verified_session,
    visible_object,
)
from funding.letters import letter_response
from funding.models import Amendment, Decision, ProgressReport, Tranche
from funding.permissions import is_official


def _visible_decision(user, pk) -> Decision:
    return visible_object(decisions_visible_to(user), str(pk))


def reports_visible_to(user):
    """Officials: every report; coalition members: the reports on their coalition's decisions; others: none."""
    queryset = ProgressReport.objects.select_related("submitted_by").order_by("decision_id", "year", "submitted_at")
    if is_official(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    coalitions = get_objects_for_user(
        user, "coalitions.view_coalition", klass=Coalition, accept_global_perms=False, with_superuser=False
    )
    return queryset.filter(
        Q(decision__status=Decision.Status.APPROVED) & Q(decision__submission__agenda__coalition__in=coalitions)
    )


class ProgressReportViewSet(viewsets.GenericViewSet):
    """Yearly progress reports on approved decisions: for officials and the coalition."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.ProgressReportSerializer
    queryset = ProgressReport.objects.none()
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return reports_visible_to(self.request.user)

    def _detail(self, pk, status_code=status.HTTP_200_OK) -> Response:
        report = visible_object(self.get_queryset(), str(pk))
        return Response(s.ProgressReportSerializer(report).data, status=status_code)

    @extend_schema(responses={200: s.ProgressReportSerializer(many=True)})
    def list(self, request):
        """The reports you may see, by decision and year."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.ProgressReportSerializer(page, many=True).data)

    @extend_schema(parameters=[ID], responses={200: s.ProgressReportSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(
        request=s.ProgressReportInputSerializer,
        responses={201: s.ProgressReportSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def create(self, request):
        """File the report on a payment year that has started (coordinators and editors of the coalition).

        Every target needs its actual value, or the explanation says why it is
        not known yet; spending is per measure of the submitted agenda.
        """
        data = bind(s.ProgressReportInputSerializer, request)
        decision = _visible_decision(request.user, data["decision"])
        report = monitoring.progress_report_submit(
            actor=request.user,
            decision_id=decision.pk,
            year=data["year"],
            indicators=data["indicators"],
            spending={str(k): v for k, v in data["spending"].items()},
            milestones=data["milestones"],
            explanation=data["explanation"],
        )
        return self._detail(report.pk, status.HTTP_201_CREATED)

    def _decide(self, request, pk, service):
        require_official_api(request.user)
        report = visible_object(self.get_queryset(), str(pk))
        data = bind(s.ReportDecisionInputSerializer, request)
        service(actor=request.user, report_id=report.pk, comment=data["comment"])
        return self._detail(report.pk)

    @extend_schema(
        parameters=[ID],
        request=s.ReportDecisionInputSerializer,
        responses={200: s.ProgressReportSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept a submitted report (Rijk officials); it counts for releasing the next tranche."""
        return self._decide(request, pk, monitoring.progress_report_accept)

    @extend_schema(
        parameters=[ID],
        request=s.ReportDecisionInputSerializer,
        responses={200: s.ProgressReportSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request, pk=None):
        """Return a submitted report with a comment (Rijk officials); the coalition files a new one."""
        return self._decide(request, pk, monitoring.progress_report_return)


class TrancheViewSet(viewsets.GenericViewSet):
    """Paying out and reclaiming tranches of approved decisions (Rijk officials, confirmed session)."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.TrancheSerializer
    queryset = Tranche.objects.none()
    lookup_value_regex = "[0-9]+"

    def _tranche(self, request, pk) -> Tranche:
        require_official_api(request.user)
        return visible_object(Tranche.objects.filter(decision__status=Decision.Status.APPROVED), str(pk))

    @extend_schema(
        parameters=[ID],
        request=s.ReleaseInputSerializer,
        responses={200: s.TrancheSerializer, 400: BAD_INPUT, 403: NOT_VERIFIED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        """Pay out a tranche: its year has started, earlier tranches are paid, the last report is accepted."""
        tranche = self._tranche(request, pk)
        require_verified_session(request)
        data = bind(s.ReleaseInputSerializer, request)
        tranche = monitoring.tranche_release(
            actor=request.user, tranche_id=tranche.pk, verified=True, note=data["note"]
        )
        return Response(s.TrancheSerializer(tranche).data)

    @extend_schema(
        parameters=[ID],
        request=s.ReclaimInputSerializer,
        responses={201: s.TrancheSerializer, 400: BAD_INPUT, 403: NOT_VERIFIED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def reclaim(self, request, pk=None):
        """Reclaim money a tranche paid out, with a reason; at most what it paid minus earlier reclaims."""
        tranche = self._tranche(request, pk)
        require_verified_session(request)
        data = bind(s.ReclaimInputSerializer, request)
        monitoring.tranche_reclaim(
            actor=request.user, tranche_id=tranche.pk, amount=data["amount"], reason=data["reason"], verified=True
        )
        tranche.refresh_from_db()
        return Response(s.TrancheSerializer(tranche).data, status=status.HTTP_201_CREATED)


class AmendmentViewSet(viewsets.GenericViewSet):
    """Amendments of decisions: approved ones are public; proposed and rejected ones for Rijk officials."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = s.AmendmentSerializer
    queryset = Amendment.objects.none()
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        queryset = Amendment.objects.select_related("proposed_by", "decided_by")
        if is_official(self.request.user):
            return queryset
        return queryset.filter(status=Amendment.Status.APPROVED, decision__status=Decision.Status.APPROVED)

    def _detail(self, pk, status_code=status.HTTP_200_OK) -> Response:
        amendment = visible_object(self.get_queryset(), str(pk))
        context = {"officials": is_official(self.request.user)}
        return Response(s.AmendmentSerializer(amendment, context=context).data, status=status_code)

    @extend_schema(parameters=[ID], responses={200: s.AmendmentSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(
        request=s.AmendmentProposeSerializer,
        responses={201: s.AmendmentSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def create(self, request):
        """Propose a new split of an approved decision (Rijk officials); nothing changes until it is approved."""
        require_official_api(request.user)
        data = bind(s.AmendmentProposeSerializer, request)
        decision = _visible_decision(request.user, data["decision"])
        amendment = amendments.amendment_propose(
            actor=request.user,
            decision_id=decision.pk,
            tranches={item["year"]: item["amount"] for item in data["tranches"]},
            reason=data["reason"],
        )
        return self._detail(amendment.pk, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[ID],
        request=None,
        responses={200: s.AmendmentSerializer, 400: BAD_INPUT, 403: NOT_VERIFIED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve (another official, mandate for the new total, confirmed session — never an API token)."""
        require_official_api(request.user)
        amendment = visible_object(self.get_queryset(), str(pk))
        require_verified_session(request)
        amendments.amendment_approve(actor=request.user, amendment_id=amendment.pk, verified=True)
        return self._detail(amendment.pk)

    @extend_schema(
        parameters=[ID],
        request=s.RejectInputSerializer,
        responses={200: s.AmendmentSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject with a reason (another official than the proposer); the decision stays as it was."""
        require_official_api(request.user)
        amendment = visible_object(self.get_queryset(), str(pk))
        data = bind(s.RejectInputSerializer, request)
        amendments.amendment_reject(actor=request.user, amendment_id=amendment.pk, reason=data["reason"])
        return self._detail(amendment.pk)

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
        """The letter of an approved amendment (wijzigingsbesluit, PDF), once it is made (404 before)."""
        amendment = visible_object(self.get_queryset().select_related("decision"), str(pk))
        if amendment.status != Amendment.Status.APPROVED or not amendment.letter:
            raise Http404
        return letter_response(amendment)


def register(router) -> None:
    router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
    router.register("tranches", TrancheViewSet, basename="tranche")
    router.register("amendments", AmendmentViewSet, basename="amendment")
