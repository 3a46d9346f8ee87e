"""Pages of the questions to the coalition (``reviews.questions``), and what other pages show of them.

The questions show on the chair's submission page (with the forms to ask,
send and dismiss), on a reviewer's review page beside the agenda (with the
form to propose one, ``views.assignment_detail``), on the agenda page of the
coalition (a panel with the answer form), in the advice form, and on the
public page of a submission with published advice in a public round.

Who reads what is ``selectors.questions_visible_to``; a question or an
attachment someone may not read is a 404. A refused form comes back on a page
of its own with the errors at their fields (400); nothing has changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agendas.models import Agenda
from core.forms import apply_errors
from core.panels import Panel
from reviews import attachments, forms, permissions, questions, selectors
from reviews.models import Question, Submission

QUESTION_RELATED = ("submission", "submission__round", "submission__agenda", "submission__agenda__coalition")


def _visible_question(request, pk: int) -> Question:
    question = get_object_or_404(Question.objects.select_related(*QUESTION_RELATED), pk=pk)
    if not selectors.questions_visible_to(request.user, question.submission).filter(pk=question.pk).exists():
        raise Http404
    return question


def _posted(request):
    """The form's data on a POST (also an empty one: then every required field says so), None on a GET."""
    return request.POST if request.method == "POST" else None


def _submission_questions_url(submission_id: int) -> str:
    return reverse("reviews:submission", args=[submission_id]) + "#vragen"


def _agenda_questions_url(question: Question) -> str:
    return reverse("agendas:detail", args=[question.submission.agenda_id]) + f"#vraag-{question.pk}"


# ---------------------------------------------------------------- what other pages show


def chair_questions_context(request, submission: Submission) -> dict[str, Any]:
    """The chair's section on the submission page: every question, the form to ask, per proposal send or not."""
    shown = selectors.questions_shown(request.user, submission, names=True)
    rows = []
    for item in shown:
        question = item.question
        forms_of = {}
        if question.status == Question.Status.PROPOSED:
            forms_of = {
                "send_form": forms.QuestionSendForm(prefix=f"send{question.pk}", initial={"text": question.text}),
                "dismiss_form": forms.QuestionDismissForm(prefix=f"dismiss{question.pk}"),
            }
        rows.append({"shown": item, **forms_of})
    return {
        "question_rows": rows,
        "question_ask_form": forms.QuestionAskForm(prefix="ask"),
        "questions_open": permissions.questions_are_open(submission),
    }


def reader_questions_context(request, submission: Submission) -> dict[str, Any]:
    """Everyone else who may read them: the list, and for the coalition's writers the way to answer."""
    return {
        "question_rows": [{"shown": item} for item in selectors.questions_shown(request.user, submission)],
        "can_answer_questions": permissions.questions_are_open(submission)
        and permissions.can_answer_questions(request.user, submission),
    }


def agenda_questions_panel(request, agenda: Agenda, *, perms) -> Panel | None:
    """The agenda page's panel "Vragen van de beoordeling": the sent questions about the submission under way.

    Nothing (and no query) for a draft or an advised agenda. Coordinators and
    editors get an answer form under each open question; viewers read.
    """
    if agenda.status not in (Agenda.Status.SUBMITTED, Agenda.Status.IN_REVIEW):
        return None
    if "view_coalition" not in perms:
        return None
    submission = (
        Submission.objects.filter(agenda_id=agenda.pk, status__in=Submission.ACTIVE)
        .select_related("round", "agenda", "agenda__coalition")
        .defer("snapshot")
        .first()
    )
    if submission is None:
        return None
    shown = selectors.questions_shown(request.user, submission)
    if not shown:
        return None
    can_answer = permissions.can_answer_questions(request.user, submission, perms=perms)
    rows = [
        {
            "shown": item,
            "answer_form": forms.QuestionAnswerForm(prefix=f"answer{item.question.pk}")
            if can_answer and item.question.status == Question.Status.OPEN
            else None,
        }
        for item in shown
    ]
    return Panel(
        "reviews/includes/agenda_questions_panel.html",
        {
            "rows": rows,
            "submission": submission,
            "can_answer": can_answer,
            "open_count": sum(1 for item in shown if item.question.status == Question.Status.OPEN),
        },
    )


# ---------------------------------------------------------------- the pages


def _form_page(request, *, form, title: str, action: str, button: str, question=None, submission, back: str):
    """A refused (or directly opened) question form on a page of its own: 400 with the errors at their fields."""
    return render(
        request,
        "reviews/question_form.html",
        {
            "form": form,
            "title": title,
            "action": action,
            "button": button,
            "question": question,
            "submission": submission,
            "back": back,
            "multipart": any(field.widget.needs_multipart_form for field in form.fields.values()),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def question_open(request, pk: int):
    """Where a notification about a question leads: each reader to the page where they read or act on it."""
    question = _visible_question(request, pk)
    submission = question.submission
    if permissions.is_chair(request.user):
        return redirect(_submission_questions_url(submission.pk))
    assignment = permissions.own_assignment(request.user, submission)
    if assignment is not None:
        return redirect(reverse("reviews:assignment", args=[assignment.pk]) + "#vragen")
    if permissions.is_coalition_member(request.user, submission) and permissions.questions_are_open(submission):
        return redirect(_agenda_questions_url(question))
    return redirect(_submission_questions_url(submission.pk))


@login_required
@require_http_methods(["GET", "POST"])
def question_ask(request, pk: int):
    """The chair asks the coalition a new question with a deadline."""
    submission = get_object_or_404(Submission.objects.select_related("round", "agenda"), pk=pk)
    if not permissions.can_view_submission(request.user, submission):
        raise Http404
    if not permissions.is_chair(request.user):
        raise PermissionDenied
    form = forms.QuestionAskForm(_posted(request), prefix="ask")
    if request.method == "POST" and form.is_valid():
        try:
            question = questions.question_ask(
                actor=request.user,
                submission_id=submission.pk,
                text=form.cleaned_data["text"],
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Vraag %(number)s is aan de coalitie gesteld.") % {"number": question.number})
            return redirect(_submission_questions_url(submission.pk))
    return _form_page(
        request,
        form=form,
        title=_("Vraag aan de coalitie"),
        action=reverse("reviews:question-ask", args=[submission.pk]),
        button=_("Vraag stellen"),
        submission=submission,
        back=_submission_questions_url(submission.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_send(request, pk: int):
    """The chair sends a reviewer's proposal to the coalition, as written or rewritten, with a deadline."""
    question = _visible_question(request, pk)
    if not permissions.is_chair(request.user):
        raise PermissionDenied
    prefix = f"send{question.pk}"
    form = forms.QuestionSendForm(_posted(request), prefix=prefix, initial={"text": question.text})
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            sent = questions.question_ask(
                actor=request.user,
                submission_id=question.submission_id,
                # Unchanged is "as proposed": the service then sends the stored text.
                text="" if text.strip() == question.text.strip() else text,
                deadline=form.cleaned_data["deadline"],
                proposed_question_id=question.pk,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Vraag %(number)s is aan de coalitie gesteld.") % {"number": sent.number})
            return redirect(_submission_questions_url(question.submission_id))
    return _form_page(
        request,
        form=form,
        title=_("Voorgestelde vraag versturen"),
        action=reverse("reviews:question-send", args=[question.pk]),
        button=_("Versturen"),
        question=question,
        submission=question.submission,
        back=_submission_questions_url(question.submission_id),
    )


@login_required
@require_POST
def question_dismiss(request, pk: int):
    """The chair does not send a reviewer's proposal."""
    question = _visible_question(request, pk)
    if not permissions.is_chair(request.user):
        raise PermissionDenied
    form = forms.QuestionDismissForm(request.POST, prefix=f"dismiss{question.pk}")
    if form.is_valid():
        try:
            questions.question_dismiss(actor=request.user, question_id=question.pk, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("De voorgestelde vraag is niet verstuurd."))
            return redirect(_submission_questions_url(question.submission_id))
    return _form_page(
        request,
        form=form,
        title=_("Voorgestelde vraag niet versturen"),
        action=reverse("reviews:question-dismiss", args=[question.pk]),
        button=_("Niet versturen"),
        question=question,
        submission=question.submission,
        back=_submission_questions_url(question.submission_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_answer(request, pk: int):
    """A coordinator or editor of the coalition answers an open question, optionally with an attachment."""
    question = _visible_question(request, pk)
    submission = question.submission
    if not permissions.can_answer_questions(request.user, submission):
        raise PermissionDenied
    form = forms.QuestionAnswerForm(
        _posted(request), request.FILES if request.method == "POST" else None, prefix=f"answer{question.pk}"
    )
    if request.method == "POST" and form.is_valid():
        try:
            questions.question_answer(
                actor=request.user,
                question_id=question.pk,
                answer=form.cleaned_data["answer"],
                attachment=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Uw antwoord op vraag %(number)s is verstuurd.") % {"number": question.number})
            return redirect(reverse("agendas:detail", args=[submission.agenda_id]) + "#vragen")
    return _form_page(
        request,
        form=form,
        title=_("Vraag %(number)s beantwoorden") % {"number": question.number},
        action=reverse("reviews:question-answer", args=[question.pk]),
        button=_("Antwoord versturen"),
        question=question,
        submission=submission,
        back=reverse("agendas:detail", args=[submission.agenda_id]) + "#vragen",
    )


def question_attachment(request, pk: int):
    """The attachment of an answer, for whoever may read the question (also the public, once it is public)."""
    question = _visible_question(request, pk)
    if not question.attachment:
        raise Http404
    return attachments.download(question.attachment, question.attachment_name)
