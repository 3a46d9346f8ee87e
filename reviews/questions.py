"""Questions of the review to the coalition: proposed, asked, dismissed, answered.

While a submission is under way the chair asks the coalition questions with
a deadline, on their own or by sending what a reviewer proposed; the
coalition's coordinators and editors answer, optionally with an attachment
(``reviews.attachments``). An answer after the deadline is still taken and
shows as late; the chair can then extend the reviewers' due dates
(``services.assignment_extend``).

The states, in one table::

    (new)     propose  -> proposed   a reviewer who accepted, submission in review
    (new)     ask      -> open       the chair, submission submitted or in review
    proposed  send     -> open       the chair
    proposed  dismiss  -> dismissed  the chair
    open      answer   -> answered   a coordinator or editor of the coalition

Nothing is asked, sent or answered once the submission has left the review
(advice published, returned, withdrawn). Each function checks who acts
(``PermissionDenied``), validates everything into one ``ValidationError``
keyed by field (nothing changes on bad input), locks what it changes and
writes its event with notifications. No event text names a reviewer:
proposals are events of no coalition for the chairs, and what the coalition
reads says "de voorzitter" or nothing about who asks.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import GlobalRole, User
from activity.events import record_event
from activity.notifications import notify
from coalitions.models import CoalitionRole
from core.formatting import figure
from reviews import attachments, permissions
from reviews.models import REASON_MAX, TEXT_MAX, Assignment, Question, Submission

# (state, action) -> the state it leads to; "" is a question that does not exist yet.
TRANSITIONS = {
    ("", "propose"): Question.Status.PROPOSED,
    ("", "ask"): Question.Status.OPEN,
    (Question.Status.PROPOSED, "send"): Question.Status.OPEN,
    (Question.Status.PROPOSED, "dismiss"): Question.Status.DISMISSED,
    (Question.Status.OPEN, "answer"): Question.Status.ANSWERED,
}


def _require_chair(user: User) -> None:
    if not permissions.is_chair(user):
        raise PermissionDenied


def _text(value: str, field: str, *, empty: str, limit: int = TEXT_MAX) -> tuple[str, dict[str, list[str]]]:
    value = (value or "").strip()
    if not value:
        return value, {field: [empty]}
    if len(value) > limit:
        return value, {field: [_("Hoogstens %(max)s tekens.") % {"max": figure(limit)}]}
    return value, {}


def _deadline_errors(deadline: datetime.date | None) -> dict[str, list[str]]:
    if deadline is None:
        return {"deadline": [_("Geef de datum waarop het antwoord er moet zijn.")]}
    if deadline < timezone.localdate():
        return {"deadline": [_("De datum voor het antwoord ligt in het verleden.")]}
    return {}


def _closed() -> ValidationError:
    return ValidationError(
        {"submission": _("Deze indiening is niet meer in beoordeling: er kunnen geen vragen meer bij.")}
    )


def _lock_submission(submission_id: int) -> Submission:
    """The submission row, locked: its status cannot change and numbers are handed out one at a time."""
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("agenda", "agenda__coalition", "round")
        .get(pk=submission_id)
    )


def _lock_question(question_id: int) -> Question:
    """The question, locked after its submission (the order of every writer of the review: submission first)."""
    submission_id = Question.objects.values_list("submission_id", flat=True).get(pk=question_id)
    submission = _lock_submission(submission_id)
    question = Question.objects.select_for_update().get(pk=question_id)
    question.submission = submission
    return question


def _require_state(question: Question, action: str) -> str:
    target = TRANSITIONS.get((question.status, action))
    if target is None:
        raise ValidationError(
            {"question": _("Deze vraag is %(state)s.") % {"state": question.get_status_display().lower()}}
        )
    return target


def _next_number(submission: Submission) -> int:
    """The next number of a sent question; the submission row is locked."""
    return (Question.objects.filter(submission=submission).aggregate(n=Max("number"))["n"] or 0) + 1


# --- who hears of it ----------------------------------------------------------------------------


def _chairs() -> list[User]:
    return list(User.objects.filter(groups__name=GlobalRole.REVIEW_CHAIR, is_active=True))


def _answerers(submission: Submission) -> list[User]:
    """The coalition's coordinators and editors."""
    return list(
        User.objects.filter(
            coalition_memberships__coalition_id=submission.agenda.coalition_id,
            coalition_memberships__role__in=(CoalitionRole.COORDINATOR, CoalitionRole.EDITOR),
            is_active=True,
        ).distinct()
    )


def _reviewers(submission: Submission) -> list[User]:
    return list(
        User.objects.filter(
            review_assignments__submission=submission,
            review_assignments__status__in=permissions.VISIBLE_ASSIGNMENT,
            is_active=True,
        )
    )


def _proposer(question: Question) -> list[User]:
    """The reviewer who proposed the question (none when the chair asked it)."""
    if question.proposed_by_assignment_id is None:
        return []
    return list(User.objects.filter(review_assignments__pk=question.proposed_by_assignment_id))


def _event(actor: User, verb: str, question: Question, *, coalition: bool, recipients: list[User]) -> None:
    """The event (audit row and outbox) and its notifications. Its data never names who proposed the question."""
    submission = question.submission
    event = record_event(
        actor=actor,
        verb=verb,
        target=question,
        # Proposals and dismissals stay with the review; asked and answered questions are the coalition's too.
        coalition_id=submission.agenda.coalition_id if coalition else None,
        data={
            "submission_id": submission.pk,
            "agenda_id": submission.agenda_id,
            "question_id": question.pk,
            "title": submission.title,
            "number": question.number or "",
            "due_date": question.deadline.isoformat() if question.deadline else "",
        },
    )
    notify(event=event, recipients=recipients)


# --- the steps ----------------------------------------------------------------------------------


def question_propose(*, actor: User, assignment_id: int, text: str) -> Question:
    """A reviewer proposes a question; it goes to the chair, who sends it or not.

    Before: the actor's assignment is accepted (or their review handed in) and
    the submission is in review. After: a proposed question without number or
    deadline, seen by the chairs and this reviewer only.
    """
    text, errors = _text(text, "text", empty=_("Schrijf de vraag."))
    with transaction.atomic():
        submission_id = Assignment.objects.values_list("submission_id", flat=True).get(pk=assignment_id)
        submission = _lock_submission(submission_id)
        assignment = Assignment.objects.select_for_update().get(pk=assignment_id)
        assignment.submission = submission
        if assignment.reviewer_id != actor.pk:
            raise PermissionDenied
        if not permissions.questions_are_open(submission):
            raise _closed()
        if submission.status != Submission.Status.IN_REVIEW:
            raise ValidationError({"submission": _("Vragen voorstellen kan zodra de beoordeling is begonnen.")})
        if not permissions.can_propose_question(actor, assignment):
            raise ValidationError({"text": _("Accepteer eerst de uitnodiging om te beoordelen.")})
        if errors:
            raise ValidationError(errors)
        question = Question(
            submission=submission,
            proposed_by_assignment=assignment,
            status=TRANSITIONS[("", "propose")],
            text=text,
        )
        question.full_clean()
        question.save()
        _event(actor, "question.proposed", question, coalition=False, recipients=_chairs())
    return question


def question_ask(
    *,
    actor: User,
    submission_id: int,
    text: str = "",
    deadline: datetime.date | None,
    proposed_question_id: int | None = None,
) -> Question:
    """The chair asks the coalition a question with a deadline: a new one, or sends a reviewer's proposal.

    Before: the submission is submitted or in review; the deadline is today or
    later; a proposal named by ``proposed_question_id`` is of this submission
    and still proposed (it is sent as the reviewer wrote it, or as ``text`` when
    the chair rewrote it).
    After: the question is open with the next number; the coalition's
    coordinators and editors are told, and the reviewer who proposed it.
    """
    _require_chair(actor)
    errors = _deadline_errors(deadline)
    # A proposal goes as it was written unless the chair rewrites it.
    rewritten = proposed_question_id is None or bool((text or "").strip())
    if rewritten:
        text, text_errors = _text(text, "text", empty=_("Schrijf de vraag."))
        errors.update(text_errors)
    with transaction.atomic():
        if proposed_question_id is not None:
            question = _lock_question(proposed_question_id)
            if question.submission_id != submission_id:
                raise ValidationError({"question": _("Deze vraag hoort niet bij deze indiening.")})
            submission = question.submission
        else:
            submission = _lock_submission(submission_id)
            question = Question(submission=submission, text=text)
        if not permissions.questions_are_open(submission):
            raise _closed()
        target = TRANSITIONS[("", "ask")] if question.pk is None else _require_state(question, "send")
        if errors:
            raise ValidationError(errors)
        question.status = target
        if rewritten:
            question.text = text
        question.number = _next_number(submission)
        question.deadline = deadline
        question.asked_by = actor
        question.asked_at = timezone.now()
        question.full_clean()
        question.save()
        _event(
            actor, "question.asked", question, coalition=True, recipients=_answerers(submission) + _proposer(question)
        )
    return question


def question_dismiss(*, actor: User, question_id: int, reason: str = "") -> Question:
    """The chair does not send a reviewer's proposal; the reviewer hears so (with the reason, if any)."""
    _require_chair(actor)
    reason = (reason or "").strip()
    with transaction.atomic():
        question = _lock_question(question_id)
        if not permissions.questions_are_open(question.submission):
            raise _closed()
        target = _require_state(question, "dismiss")
        if len(reason) > REASON_MAX:
            raise ValidationError({"reason": _("Hoogstens %(max)s tekens.") % {"max": figure(REASON_MAX)}})
        question.status = target
        question.dismiss_reason = reason
        question.save(update_fields=["status", "dismiss_reason"])
        _event(actor, "question.dismissed", question, coalition=False, recipients=_proposer(question))
    return question


def question_answer(*, actor: User, question_id: int, answer: str, attachment=None) -> Question:
    """A coordinator or editor of the coalition answers an open question, with an optional attachment.

    Before: the question is open and the submission still under way. An
    answer after the deadline is taken and shows as late (``Question.is_late``).
    After: the question is answered, the file (a PDF, ODT, DOCX, XLSX or CSV of
    at most 10 MB) stored under a generated name; the chairs and the
    submission's reviewers are told.
    """
    answer, errors = _text(answer, "answer", empty=_("Schrijf het antwoord."))
    if attachment is not None:
        problems = attachments.attachment_errors(attachment)
        if problems:
            errors["attachment"] = problems
    with transaction.atomic():
        question = _lock_question(question_id)
        submission = question.submission
        if not permissions.can_answer_questions(actor, submission):
            raise PermissionDenied
        if not permissions.questions_are_open(submission):
            raise _closed()
        target = _require_state(question, "answer")
        if errors:
            raise ValidationError(errors)
        question.status = target
        question.answer = answer
        question.answered_by = actor
        question.answered_at = timezone.now()
        if attachment is not None:
            # A generated name: nobody can guess or overwrite another's file; the download uses the file's own name.
            question.attachment_name = attachments.shown_name(attachment.name)
            question.attachment.save(
                f"{uuid.uuid4().hex}{attachments.extension(attachment.name)}", attachment, save=False
            )
        question.full_clean()
        question.save()
        _event(actor, "question.answered", question, coalition=True, recipients=_chairs() + _reviewers(submission))
    return question
