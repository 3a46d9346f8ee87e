"""API of the review (/api/v1/): rounds, submissions, advice, questions, assignments, agenda steps and endorsements.

The same rules as the review pages (``reviews.views``):

* Everything reads the frozen snapshot of a submission, never the live
  agenda: a draft is not reachable here. A submission someone may not see
  (``selectors.submissions_visible_to``) answers 404, also its advice; an
  assignment that is neither yours nor a chair's is 404.
* Coalition members never learn who reviews their agenda: reviewer ids and
  names are only in answers for the chair and for the reviewer about their
  own assignment. Reviewers see the other reviews of a submission once their
  own is submitted, as "Beoordelaar 1", "Beoordelaar 2", …
* Serializers check types and shapes; the services and the workflow check
  the rules. Their ``ValidationError`` is a 400 with field errors,
  ``PermissionDenied`` a 403 and ``TransitionNotAllowed`` a 409 with the
  allowed actions (``core.api_errors``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.db.models.fields.json import KT
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from agendas.models import Agenda
from agendas.selectors import agendas_visible_to
from core.api import bind
from core.public_cache import public_cache
from reviews import attachments, permissions, selectors, services, workflow
from reviews import questions as question_services
from reviews import serializers as s
from reviews.models import Advice, Assignment, Question, Submission

NOT_FOUND = OpenApiResponse(description="Not found, or not visible to you.")
FORBIDDEN = OpenApiResponse(description="You may see this but not do this.")
BAD_INPUT = OpenApiResponse(description="Field errors: {field: [messages]} (non_field_errors when not tied to one).")
AGENDA_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the agenda's id")
REFUSED = OpenApiResponse(
    s.TransitionRefusedSerializer, description="The step is not possible in the agenda's current state."
)


def _require_chair(user) -> None:
    if not permissions.is_chair(user):
        raise PermissionDenied


def _transition_result(submission: Submission) -> dict:
    state = Agenda.objects.values_list("status", flat=True).get(pk=submission.agenda_id)
    return {
        "agenda": submission.agenda_id,
        "state": state,
        "allowed_actions": workflow.allowed_actions(state),
        "submission": submission.pk,
        "submission_status": submission.status,
        "round": submission.round_id,
    }


# ------------------------------------------------------------------ rounds


class RoundViewSet(viewsets.GenericViewSet):
    """Review rounds: chairs see all, everyone else who is logged in the open ones."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.RoundSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.rounds_for(self.request.user)

    def list(self, request):
        """Rounds, the latest submission deadline first."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.RoundSerializer(page, many=True).data)

    @extend_schema(responses={200: s.RoundDetailSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk=None):
        """The round with its rubric (the weighted criteria)."""
        review_round = get_object_or_404(self.get_queryset().prefetch_related("criteria__theme"), pk=pk)
        return Response(s.RoundDetailSerializer(review_round).data)

    @extend_schema(
        request=s.RoundCreateSerializer,
        responses={201: s.RoundDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def create(self, request):
        """Open a round with its rubric (chairs): criteria are theme-<code> of a theme or a general criterion."""
        _require_chair(request.user)
        data = bind(s.RoundCreateSerializer, request)
        review_round = services.round_create(
            actor=request.user,
            criteria=[services.CriterionInput(code=c["code"], weight=c["weight"]) for c in data["criteria"]],
            **{field: data[field] for field in services.ROUND_FIELDS},
        )
        review_round = self.get_queryset().prefetch_related("criteria__theme").get(pk=review_round.pk)
        return Response(s.RoundDetailSerializer(review_round).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[s.RoundOverviewQuerySerializer],
        responses={200: s.RoundOverviewSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def overview(self, request, pk=None):
        """The chair's overview of the round's submissions, 60 a page, sorted and filtered (chairs).

        The same rows, sort and filters as the round page: per submission its
        state, reviews in and expected, the reviewers' weighted total and whether
        they disagree, the latest evidence score and unfinished scoring jobs, and
        the advice. `counts` are per state over the whole round, `count` the
        submissions that pass the filters. A page past the last is a 404.
        """
        review_round = get_object_or_404(self.get_queryset(), pk=pk)
        _require_chair(request.user)
        params = s.RoundOverviewQuerySerializer(data=request.query_params, context={"round": review_round})
        params.is_valid(raise_exception=True)
        number = params.validated_data["page"]
        overview = selectors.round_overview(review_round, params.query(), page=number)
        page = overview.page
        if page.number != number:
            raise NotFound(_("Deze pagina bestaat niet."))
        url = request.build_absolute_uri()
        return Response(
            s.RoundOverviewSerializer(
                {
                    "count": overview.matching,
                    "round_total": overview.round_total,
                    "counts": overview.counts,
                    "ordering": params.validated_data["ordering"],
                    "page": page.number,
                    "pages": page.paginator.num_pages,
                    "page_size": page.paginator.per_page,
                    "next": replace_query_param(url, "page", page.next_page_number()) if page.has_next() else None,
                    "previous": (
                        replace_query_param(url, "page", page.previous_page_number()) if page.has_previous() else None
                    ),
                    "results": overview.rows,
                }
            ).data
        )


# ------------------------------------------------------------------ submissions


SUBMISSION_LIST_COLUMNS = (
    "agenda",
    "round__name",
    "number",
    "revision_number",
    "status",
    "submitted_at",
    "closed_at",
    "content_hash",
)


class SubmissionViewSet(viewsets.GenericViewSet):
    """Submitted agendas (frozen snapshots) you may see; without logging in: those with public advice."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = s.SubmissionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["round", "status"]

    def get_queryset(self):
        return selectors.submissions_visible_to(self.request.user)

    def _submission(self, pk) -> Submission:
        return get_object_or_404(self.get_queryset(), pk=pk)

    @public_cache
    def list(self, request):
        """Submissions you may see, newest first (without their snapshots)."""
        # Only the columns SubmissionSerializer shows (not the snapshot, nor the agenda and coalition rows);
        # the title in a subquery, which PostgreSQL evaluates after ORDER BY ... LIMIT: an annotation on the
        # snapshot itself is extracted from every visible submission before the sort.
        title = Submission.objects.filter(pk=OuterRef("pk")).order_by().values(title=KT("snapshot__title"))
        queryset = (
            self.filter_queryset(self.get_queryset())
            .select_related(None)
            .select_related("round")
            .only(*SUBMISSION_LIST_COLUMNS)
            .annotate(title_text=Subquery(title))
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(s.SubmissionSerializer(page, many=True).data)

    @extend_schema(responses={200: s.SubmissionDetailSerializer, 404: NOT_FOUND})
    @public_cache
    def retrieve(self, request, pk=None):
        """The snapshot and its content hash; the advice if you may see it; the review's figures for chairs.

        Anyone can check the hash: it is the SHA-256 of the snapshot's
        canonical JSON (``content_hash_method`` says how it is encoded).
        """
        submission = get_object_or_404(self.get_queryset().prefetch_related("round__criteria__theme"), pk=pk)
        user = request.user
        advice = Advice.objects.filter(submission=submission).first()
        if advice is not None and not permissions.can_view_advice(user, submission):
            advice = None
        chair = None
        if permissions.is_chair(user):
            chair = {
                "assignments": list(submission.assignments.select_related("reviewer").order_by("assigned_at", "id")),
                "evidence": selectors.latest_evidence(submission),
                "aggregate": selectors.aggregate_of(submission),
            }
        return Response(s.SubmissionDetailSerializer(submission, context={"advice": advice, "chair": chair}).data)

    def _advice(self, submission: Submission) -> Advice:
        advice = Advice.objects.filter(submission=submission).first()
        if advice is None or not permissions.can_view_advice(self.request.user, submission):
            raise Http404
        return advice

    @extend_schema(methods=["GET"], responses={200: s.AdviceSerializer, 404: NOT_FOUND})
    @extend_schema(
        methods=["PUT"],
        request=s.AdviceInputSerializer,
        responses={200: s.AdviceSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        description="Draft or redraft the advice (chairs; only while the submission is in review). "
        "It is not visible outside the review until published.",
    )
    @action(detail=True, methods=["get", "put"])
    @public_cache
    def advice(self, request, pk=None):
        """The advice: drafts for chairs, published advice for everyone who may see the submission."""
        submission = self._submission(pk)
        if request.method == "GET":
            return Response(s.AdviceSerializer(self._advice(submission)).data)
        _require_chair(request.user)
        data = bind(s.AdviceInputSerializer, request)
        advice = services.advice_save(
            actor=request.user,
            submission_id=submission.pk,
            outcome=data["outcome"],
            rationale=data["rationale"],
            conditions=data["conditions"],
        )
        return Response(s.AdviceSerializer(advice).data)

    @extend_schema(methods=["GET"], responses={200: s.QuestionSerializer(many=True), 404: NOT_FOUND}, filters=False)
    @extend_schema(
        methods=["POST"],
        request=s.QuestionCreateSerializer,
        responses={201: s.QuestionSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        description="Ask the coalition a question. Who you are decides what happens: a chair asks it "
        "(`deadline` required, today or later; the coalition's coordinators and editors are told); a reviewer "
        "of this submission who accepted proposes it to the chair (leave `deadline` out; the chair sends it "
        "or not). Anyone else: 403. Only while the submission is submitted or in review (proposing: in review).",
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def questions(self, request, pk=None):
        """The questions to the coalition that you may read, sent ones by number, then proposals.

        The chair reads all of them; a reviewer of the submission the sent ones and their own proposals;
        the coalition's members the sent ones; everyone once the advice is published in a public round.
        Reviewers show only by number ("Beoordelaar 2 vraagt").
        """
        submission = self._submission(pk)
        user = request.user
        chair = permissions.is_chair(user)
        if request.method == "GET":
            rows = selectors.questions_shown(user, submission)
            return Response(s.QuestionSerializer(rows, many=True, context={"chair": chair}).data)
        data = bind(s.QuestionCreateSerializer, request)
        if chair:
            question = question_services.question_ask(
                actor=user, submission_id=submission.pk, text=data["text"], deadline=data.get("deadline")
            )
        else:
            assignment = permissions.own_assignment(user, submission)
            if assignment is None:
                raise PermissionDenied
            if data.get("deadline") is not None:
                raise ValidationError({"deadline": _("De voorzitter bepaalt de termijn; laat die weg.")})
            question = question_services.question_propose(actor=user, assignment_id=assignment.pk, text=data["text"])
        return Response(_question_data(request, question), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.PublishInputSerializer,
        responses={200: s.TransitionResultSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: REFUSED},
    )
    @action(detail=True, methods=["post"], url_path="advice/publish")
    def advice_publish(self, request, pk=None):
        """Publish the drafted advice (chairs): the agenda is advised, or returned for revision ("revise")."""
        submission = self._submission(pk)
        _require_chair(request.user)
        data = bind(s.PublishInputSerializer, request)
        published = services.advice_publish(actor=request.user, submission_id=submission.pk, comment=data["comment"])
        return Response(_transition_result(published))


# ------------------------------------------------------------------ questions to the coalition

QUESTION_RELATED = ("submission", "submission__round", "submission__agenda", "submission__agenda__coalition")


def _visible_question(request, pk) -> Question:
    """The question if the caller may read it (``selectors.questions_visible_to``), else 404."""
    question = get_object_or_404(Question.objects.select_related(*QUESTION_RELATED), pk=pk)
    if not selectors.questions_visible_to(request.user, question.submission).filter(pk=question.pk).exists():
        raise Http404
    return question


def _question_data(request, question: Question) -> dict:
    """The question as the caller reads it, with "Beoordelaar N" rather than a name."""
    submission = Submission.objects.select_related("round", "agenda", "agenda__coalition").get(
        pk=question.submission_id
    )
    shown = next(row for row in selectors.questions_shown(request.user, submission) if row.question.pk == question.pk)
    return s.QuestionSerializer(shown, context={"chair": permissions.is_chair(request.user)}).data


class QuestionViewSet(viewsets.GenericViewSet):
    """Questions of the review to a coalition: read them, answer them (the coalition), send or dismiss (chairs).

    A question you may not read is a 404 (``GET /submissions/{id}/questions/`` lists those you may).
    """

    permission_classes = [IsAuthenticatedOrReadOnly]
    queryset = Question.objects.none()
    serializer_class = s.QuestionSerializer
    filter_backends: list = []
    pagination_class = None

    @extend_schema(responses={200: s.QuestionSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk=None):
        """One question and its answer."""
        return Response(_question_data(request, _visible_question(request, pk)))

    @extend_schema(
        request={"multipart/form-data": s.QuestionAnswerSerializer, "application/json": s.QuestionAnswerSerializer},
        responses={200: s.QuestionSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Answer an open question (the coalition's coordinators and editors), with an optional attachment.

        Send `multipart/form-data` to attach a file (a PDF, ODT, DOCX, XLSX or CSV of at most 10 MB). An
        answer after the deadline is taken and marked late (`is_late`). Viewers of the coalition: 403.
        """
        question = _visible_question(request, pk)
        data = bind(s.QuestionAnswerSerializer, request)
        question_services.question_answer(
            actor=request.user, question_id=question.pk, answer=data["answer"], attachment=data.get("attachment")
        )
        return Response(_question_data(request, question))

    @extend_schema(
        request=s.QuestionSendSerializer,
        responses={200: s.QuestionSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """Send a reviewer's proposed question to the coalition with a deadline, as proposed or rewritten (chairs)."""
        question = _visible_question(request, pk)
        _require_chair(request.user)
        data = bind(s.QuestionSendSerializer, request)
        question_services.question_ask(
            actor=request.user,
            submission_id=question.submission_id,
            text=data["text"],
            deadline=data["deadline"],
            proposed_question_id=question.pk,
        )
        return Response(_question_data(request, question))

    @extend_schema(
        request=s.QuestionDismissSerializer,
        responses={200: s.QuestionSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """Do not send a reviewer's proposed question (chairs); the reviewer is told, with the reason if given."""
        question = _visible_question(request, pk)
        _require_chair(request.user)
        data = bind(s.QuestionDismissSerializer, request)
        question_services.question_dismiss(actor=request.user, question_id=question.pk, reason=data["reason"])
        return Response(_question_data(request, question))

    @extend_schema(
        responses={
            **{
                (200, media_type.split(";")[0]): OpenApiTypes.BINARY
                for media_type in attachments.CONTENT_TYPES.values()
            },
            404: NOT_FOUND,
        },
        filters=False,
    )
    @action(detail=True, methods=["get"])
    def attachment(self, request, pk=None):
        """The answer's attachment, for whoever may read the question (404 when there is none)."""
        question = _visible_question(request, pk)
        if not question.attachment:
            raise Http404
        return attachments.download(question.attachment, question.attachment_name)

    def perform_content_negotiation(self, request, force=False):
        # The attachment is a file whatever the client accepts; its errors are JSON.
        return super().perform_content_negotiation(request, force=force or self.action == "attachment")


# ------------------------------------------------------------------ agenda steps and endorsements


class AgendaReviewViewSet(viewsets.GenericViewSet):
    """The review's steps on an agenda, and its endorsements (under /agendas/{id}/)."""

    permission_classes = [IsAuthenticated]
    queryset = Agenda.objects.none()
    filter_backends: list = []
    pagination_class = None

    def _agenda_for_step(self) -> Agenda:
        """Members see their agendas; the review's people the agendas of submissions they may see."""
        user = self.request.user
        visible = Q(pk__in=agendas_visible_to(user).values("pk")) | Q(
            pk__in=selectors.submissions_visible_to(user).values("agenda_id")
        )
        return get_object_or_404(Agenda.objects.filter(visible), pk=self.kwargs["pk"])

    def _member_agenda(self) -> Agenda:
        """Endorsements are about the draft: for the coalition's members only."""
        return get_object_or_404(
            agendas_visible_to(self.request.user).select_related("coalition"), pk=self.kwargs["pk"]
        )

    @extend_schema(
        parameters=[AGENDA_ID],
        request=s.TransitionInputSerializer,
        responses={200: s.TransitionResultSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: REFUSED},
    )
    @action(detail=False, methods=["post"])
    def transition(self, request, pk=None):
        """Take a step of the review workflow: submit, start_review, withdraw, advise, return_for_revision.

        A step that does not exist in the agenda's current state is a 409
        naming the allowed actions; a guard that fails (incomplete, not
        endorsed, no reviewers, …) is a 400; the wrong person a 403.
        """
        agenda = self._agenda_for_step()
        data = bind(s.TransitionInputSerializer, request)
        submission = workflow.transition(
            agenda_id=agenda.pk,
            action=data["action"],
            actor=request.user,
            comment=data["comment"],
            round_id=data["round"],
        )
        return Response(_transition_result(submission))

    def _endorsements(self, agenda: Agenda) -> dict:
        agenda.refresh_from_db(fields=["revision_count", "status"])
        rows = [
            {
                "organisation": organisation.pk,
                "name": organisation.name,
                "endorsed": endorsement is not None,
                "endorsed_by": (
                    endorsement.endorsed_by.display_name
                    if endorsement is not None and endorsement.endorsed_by is not None
                    else None
                ),
                "endorsed_at": endorsement.endorsed_at if endorsement is not None else None,
            }
            for organisation, endorsement, _represented in workflow.endorsement_state(agenda)
        ]
        return {
            "agenda": agenda.pk,
            "revision": agenda.revision_count,
            "status": agenda.status,
            "complete": all(row["endorsed"] for row in rows),
            "organisations": rows,
        }

    @extend_schema(
        methods=["GET"], parameters=[AGENDA_ID], responses={200: s.EndorsementStateSerializer, 404: NOT_FOUND}
    )
    @extend_schema(
        methods=["POST"],
        parameters=[AGENDA_ID],
        request=s.EndorseInputSerializer,
        responses={200: s.EndorsementStateSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        description="Endorse the agenda's current revision on behalf of a member organisation you represent.",
    )
    @action(detail=False, methods=["get", "post"])
    def endorsements(self, request, pk=None):
        """Every member organisation and its endorsement of the agenda's current revision."""
        agenda = self._member_agenda()
        if request.method == "POST":
            data = bind(s.EndorseInputSerializer, request)
            services.endorse(actor=request.user, agenda_id=agenda.pk, organisation_id=data["organisation"])
        return Response(s.EndorsementStateSerializer(self._endorsements(agenda)).data)


# ------------------------------------------------------------------ assignments


class AssignmentViewSet(viewsets.GenericViewSet):
    """Invitations to review: your own; chairs see and manage all of them."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.AssignmentSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["submission", "status"]

    def get_queryset(self):
        user = self.request.user
        if permissions.is_chair(user):
            queryset = Assignment.objects.order_by("submission_id", "assigned_at", "id")
        elif user.is_authenticated:
            queryset = selectors.assignments_for(user)
        else:  # the schema generator
            return Assignment.objects.none()
        return queryset.select_related("submission", "submission__round", "reviewer")

    def _assignment(self, pk) -> Assignment:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def _detail(self, pk, status_code=status.HTTP_200_OK) -> Response:
        assignment = self._assignment(pk)
        return Response(
            s.AssignmentDetailSerializer(assignment, context={"request": self.request}).data, status=status_code
        )

    def list(self, request):
        """Your invitations (chairs: all; filter by ?submission=)."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.AssignmentSerializer(page, many=True).data)

    @extend_schema(
        request=s.AssignmentCreateSerializer,
        responses={201: s.AssignmentDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def create(self, request):
        """Invite a reviewer from the pool (chairs). A reviewer tied to the coalition cannot be assigned."""
        _require_chair(request.user)
        data = bind(s.AssignmentCreateSerializer, request)
        assignment = services.assignment_create(
            actor=request.user,
            submission_id=data["submission"],
            reviewer_id=data["reviewer"],
            due_date=data.get("due_date"),
        )
        return self._detail(assignment.pk, status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.AssignmentDetailSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk=None):
        """The assignment with the round's criteria and the review so far."""
        return self._detail(pk)

    @extend_schema(
        request=s.RespondInputSerializer,
        responses={200: s.AssignmentDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        """Accept (declaring no conflict of interest) or decline with a reason: the invited reviewer only."""
        assignment = self._assignment(pk)
        data = bind(s.RespondInputSerializer, request)
        services.assignment_respond(
            actor=request.user,
            assignment_id=assignment.pk,
            accept=data["accept"],
            no_conflict=data["no_conflict"],
            reason=data["reason"],
        )
        return self._detail(assignment.pk)

    @extend_schema(
        request=s.ReviewInputSerializer,
        responses={200: s.AssignmentDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        description="Save your review: the scores you send replace the saved ones (criteria left out have no "
        "score). With `submit` the review is handed in and locked: every criterion needs a score and a score "
        "of 1 or 2 a motivation (errors under `score_<criterion id>` / `motivation_<criterion id>`). "
        "After the due date nothing can be saved until the chair extends it.",
    )
    @action(detail=True, methods=["put"])
    def review(self, request, pk=None):
        assignment = self._assignment(pk)
        data = bind(s.ReviewInputSerializer, request)
        scores = {criterion_id: services.ScoreInput(None) for criterion_id in _criterion_ids(assignment)}
        for item in data["scores"]:
            scores[item["criterion"]] = services.ScoreInput(item["score"], item["motivation"])
        services.review_save(
            actor=request.user,
            assignment_id=assignment.pk,
            scores=scores,
            summary=data["summary"],
            submit=data["submit"],
        )
        return self._detail(assignment.pk)

    @extend_schema(
        request=s.ExtendInputSerializer,
        responses={200: s.AssignmentDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Move the due date to a later day (chairs), also after it has passed."""
        assignment = self._assignment(pk)
        _require_chair(request.user)
        data = bind(s.ExtendInputSerializer, request)
        services.assignment_extend(actor=request.user, assignment_id=assignment.pk, due_date=data["due_date"])
        return self._detail(assignment.pk)

    @extend_schema(
        request=s.ReopenInputSerializer,
        responses={200: s.AssignmentDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen a submitted review so the reviewer can change it (chairs, with a reason)."""
        assignment = self._assignment(pk)
        _require_chair(request.user)
        data = bind(s.ReopenInputSerializer, request)
        services.review_reopen(actor=request.user, assignment_id=assignment.pk, reason=data["reason"])
        return self._detail(assignment.pk)

    @extend_schema(responses={200: s.OtherReviewSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND}, filters=False)
    @action(detail=True, methods=["get"], pagination_class=None)
    def others(self, request, pk=None):
        """The other submitted reviews of the same submission: once your own is submitted (blind until then).

        Reviewers see them as "Beoordelaar 1", "Beoordelaar 2", … (each reviewer's number on the submission, in
        the order they accepted: the same number as on the questions); chairs with the reviewers' names.
        """
        assignment = self._assignment(pk)
        if not permissions.can_see_other_reviews(request.user, assignment):
            raise PermissionDenied(
                _("U ziet de andere beoordelingen pas nadat u uw eigen beoordeling heeft ingediend.")
            )
        named = permissions.is_chair(request.user)
        numbers = selectors.reviewer_numbers(assignment.submission)
        rows = [
            {
                "label": selectors.reviewer_label(numbers.get(other.pk)),
                "assignment": other.pk if named else None,
                "reviewer": other.reviewer_id if named else None,
                "reviewer_name": other.reviewer.display_name if named else None,
                "submitted_at": other.submitted_at if named else None,
                "summary": other.summary,
                "scores": list(other.scores.all()),
            }
            for other in selectors.other_reviews(assignment)
        ]
        return Response(s.OtherReviewSerializer(rows, many=True).data)


def _criterion_ids(assignment: Assignment) -> list[int]:
    return list(assignment.submission.round.criteria.values_list("pk", flat=True))


def register(router) -> None:
    """Add the review's viewsets to the /api/v1/ router."""
    router.register("rounds", RoundViewSet, basename="review-round")
    router.register("submissions", SubmissionViewSet, basename="submission")
    router.register("assignments", AssignmentViewSet, basename="assignment")
    router.register("questions", QuestionViewSet, basename="question")
    # /agendas/{id}/transition/ and /agendas/{id}/endorsements/ next to the agenda API's own routes.
    router.register(r"agendas/(?P<pk>[^/.]+)", AgendaReviewViewSet, basename="agenda-review")
