"""Pages of the review: rounds, submissions, a reviewer's assignment, advice, and the agenda's submit panel.

Access follows ``reviews.permissions``; a submission someone may not see is
a 404 (nobody learns which agendas are under review). Every write calls one
service; what it refuses is shown inline (``ValidationError``), as a 409
page (``TransitionNotAllowed``) or as a 403 (``PermissionDenied``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from agendas import budget as budget_figures
from agendas.models import Agenda, FundingSource, PriorityKind
from agendas.panels import AGENDA_PAGE, SUBMIT_CHECK
from agendas.permissions import can_view_agenda
from coalitions.models import CoalitionMembership
from coalitions.permissions import is_coordinator
from core.confirm import confirm_or_run, is_going_back
from core.formatting import in_language
from core.forms import apply_errors
from core.panels import Panel
from core.public_cache import public_cache
from goals.models import Goal
from regions.models import Indicator, Region, Theme
from regions.selectors import region_profile
from reviews import charts as review_charts
from reviews import (
    confirmations,
    forms,
    permissions,
    pool_selectors,
    question_views,
    questions,
    selectors,
    services,
    workflow,
)
from reviews.models import Advice, Assignment, ReviewRound, Submission
from reviews.panels import SUBMISSION_PAGE

# ---------------------------------------------------------------- helpers


def _transition_refused(request, refused: workflow.TransitionNotAllowed, back: str):
    return render(
        request,
        "reviews/transition_refused.html",
        {
            "refused": refused,
            "allowed": [workflow.ACTION_LABELS[a] for a in refused.allowed],
            "back": back,
        },
        status=409,
    )


@dataclass(frozen=True)
class MeasureBudget:
    """One measure's budget as a table: a row per year, a column per source used."""

    sources: list[str]  # labels
    rows: list[tuple[int, list[int], int]]  # (year, amount per source, year total)
    source_totals: list[int]
    total: int


def _measure_budget(lines: list[dict[str, Any]]) -> MeasureBudget | None:
    if not lines:
        return None
    used = [source for source in budget_figures.SOURCES if any(line["source"] == source for line in lines)]
    amounts: dict[tuple[int, str], int] = {}
    for line in lines:
        amounts[(line["year"], line["source"])] = amounts.get((line["year"], line["source"]), 0) + line["amount"]
    years = sorted({line["year"] for line in lines})
    rows = [
        (year, [amounts.get((year, source), 0) for source in used], sum(amounts.get((year, s), 0) for s in used))
        for year in years
    ]
    return MeasureBudget(
        sources=[FundingSource(source).label for source in used],
        rows=rows,
        source_totals=[sum(amounts.get((year, source), 0) for year in years) for source in used],
        total=sum(total for _year, _amounts, total in rows),
    )


def snapshot_context(snapshot: dict[str, Any]) -> dict[str, Any]:
    """What the snapshot template needs besides the snapshot: names in the reader's language, the budget figures.

    The snapshot keeps the Dutch names it was frozen with; themes, indicators
    and goals are named from their catalogues in the reader's language (the
    frozen name when a code is no longer there). Three queries.
    """
    themes = {t.code: t for t in Theme.objects.all()}
    priorities = snapshot.get("priorities", [])
    measures = [measure for priority in priorities for measure in priority.get("measures", [])]
    lines = [
        budget_figures.Line(line["year"], line["source"], line["amount"])
        for measure in measures
        for line in measure.get("budget", [])
    ]
    summary = budget_figures.summarise(lines, range(snapshot["start_year"], snapshot["end_year"] + 1))
    indicator_codes = {t["indicator"] for p in priorities for t in p.get("targets", [])}
    goal_keys = {(g["catalogue"], g["code"]) for item in [*priorities, *measures] for g in item.get("goals", [])}
    indicator_names, indicator_units = {}, {}
    for code, name_nl, name_en, unit, unit_en in Indicator.objects.filter(code__in=indicator_codes).values_list(
        "code", "name_nl", "name_en", "unit", "unit_en"
    ):
        indicator_names[code], indicator_units[code] = in_language(name_nl, name_en), in_language(unit, unit_en)
    # catalogue -> code -> name
    goal_names: dict[str, dict[str, str]] = {}
    if goal_keys:
        goal_filter = Q()
        for catalogue, code in goal_keys:
            goal_filter |= Q(catalogue=catalogue, code=code)
        for goal in Goal.objects.filter(goal_filter):
            goal_names.setdefault(goal.catalogue, {})[goal.code] = goal.short or goal.title
    return {
        "snap": snapshot,
        "snap_themes": [themes[c] for c in snapshot.get("themes", []) if c in themes],
        "theme_by_code": themes,
        "indicator_names": indicator_names,
        "indicator_units": indicator_units,
        "goal_names": goal_names,
        "goal_prefixes": GOAL_PREFIXES,
        "snap_budget": summary,
        "measure_budgets": {measure["id"]: _measure_budget(measure.get("budget", [])) for measure in measures},
        "kind_labels": dict(PriorityKind.choices),
        "source_rows": [
            (FundingSource(source).label, summary.by_source.get(source, 0))
            for source in budget_figures.SOURCES
            if summary.by_source.get(source)
        ],
    }


# How a goal's catalogue is written before its code: "SDG 3.6", "EU PO2", "NL ...".
GOAL_PREFIXES = {"sdg": "SDG", "eu": "EU", "national": "NL"}


@dataclass(frozen=True)
class RegionSummary:
    """The region's broad-welfare profile in short, beside a review: where it lags and whether the agenda names it."""

    code: str
    name: str
    themes_with_data: int
    lagging: list[tuple[str, bool]]  # (theme name, named by the agenda's themes or priorities)


def region_summary(snapshot: dict[str, Any]) -> RegionSummary | None:
    """The current profile of the snapshot's region (``regions.selectors.region_profile``); None if it is gone."""
    region = Region.objects.filter(code=snapshot.get("region", {}).get("code", "")).first()
    if region is None:
        return None
    profile = region_profile(region)
    names = selectors.theme_names()
    named = set(snapshot.get("themes", [])) | {
        code for priority in snapshot.get("priorities", []) for code in priority.get("themes", [])
    }
    return RegionSummary(
        code=region.code,
        name=region.name,
        themes_with_data=profile.themes_with_data,
        lagging=[(names.get(theme.code, theme.name), theme.code in named) for theme in profile.lagging_themes],
    )


def scores_context(evidence, aggregate, criteria) -> dict[str, Any]:
    """What ``includes/scores.html`` shows: the scores in the reader's language, and their charts.

    ``evidence`` and ``aggregate`` are the stored rows or the copies frozen in a published advice.
    """
    evidence_shown = selectors.evidence_shown(evidence)
    aggregate_shown = selectors.aggregate_shown(aggregate, criteria)
    return {
        "evidence": evidence_shown,
        "evidence_chart": review_charts.evidence_chart(evidence_shown) if evidence_shown else None,
        "aggregate": aggregate_shown,
        "aggregate_chart": (
            review_charts.reviewers_chart(aggregate_shown) if aggregate_shown and aggregate_shown.review_count else None
        ),
    }


def _load_submission(request, pk: int) -> Submission:
    submission = get_object_or_404(Submission.objects.select_related("round", "agenda", "agenda__coalition"), pk=pk)
    if not permissions.can_view_submission(request.user, submission):
        raise Http404
    return submission


def _chair_only(request) -> None:
    if not permissions.is_chair(request.user):
        raise PermissionDenied


# ---------------------------------------------------------------- rounds


@login_required
def round_list(request):
    return render(
        request,
        "reviews/round_list.html",
        {"rounds": list(selectors.rounds_for(request.user)), "is_chair": permissions.is_chair(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    _chair_only(request)
    form = forms.RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review_round = services.round_create(
                actor=request.user,
                criteria=form.criteria(),
                **{field: data[field] for field in services.ROUND_FIELDS},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("De ronde is geopend."))
            return redirect("reviews:round", review_round.pk)
    return render(request, "reviews/round_form.html", {"form": form}, status=400 if form.errors else 200)


@dataclass(frozen=True)
class SortHeader:
    """A sortable column of the round overview: its header links to sorting by it (again: the other way)."""

    label: str
    href: str
    aria_sort: str  # "ascending", "descending", or "" when the overview is not sorted by this column
    action: str  # what following the link does, for screen readers


# The overview's sortable columns: (sort key, header). Figures sort the highest first when chosen,
# words from A to Z.
OVERVIEW_COLUMNS = (
    ("title", gettext_lazy("Agenda")),
    ("region", gettext_lazy("Regio")),
    ("status", gettext_lazy("Status")),
    ("total", gettext_lazy("Beoordelaars (1–5)")),
    ("evidence", gettext_lazy("Bewijsscore (0–100)")),
)
FIGURES = {"total", "evidence", "disagreement"}


def _overview_href(query: selectors.OverviewQuery, **changes: str) -> str:
    return "?" + urlencode(replace(query, **changes).as_params())


def _sort_headers(query: selectors.OverviewQuery) -> dict[str, SortHeader]:
    current = query.ordering.removeprefix("-")
    descending = query.ordering.startswith("-")
    headers = {}
    for key, label in OVERVIEW_COLUMNS:
        # The column sorted by now turns round; another starts with its natural direction.
        flipped = key if descending else f"-{key}"
        ordering = flipped if key == current else (f"-{key}" if key in FIGURES else key)
        headers[key] = SortHeader(
            label=str(label),
            href=_overview_href(query, ordering=ordering),
            aria_sort=("descending" if descending else "ascending") if key == current else "",
            action=_("sorteren: %(order)s") % {"order": forms.OVERVIEW_ORDERING_LABELS[ordering]},
        )
    return headers


def _state_links(query: selectors.OverviewQuery, overview: selectors.RoundOverview) -> list[tuple[str, int, str, bool]]:
    """(label, count, link, current) for all submissions and each state: the counts on top of the overview."""
    links = [(_("Alle"), overview.round_total, _overview_href(query, status=""), not query.status)]
    for value, label, count in overview.state_counts():
        links.append((label, count, _overview_href(query, status=value), query.status == value))
    return links


@login_required
def round_detail(request, pk: int):
    """The round and its rubric; for the chair the overview of its submissions, a page at a time.

    The overview is sorted and filtered by a GET form (``forms.RoundOverviewForm``);
    a wrong value is a 400 showing the error at its field and the overview without it.
    """
    review_round = get_object_or_404(ReviewRound, pk=pk)
    is_chair = permissions.is_chair(request.user)
    if review_round.status == ReviewRound.Status.CLOSED and not is_chair:
        raise Http404
    criteria = list(review_round.criteria.all())
    context = {
        "round": review_round,
        "criteria": criteria,
        "weight_total": sum(c.weight for c in criteria),
        "is_chair": is_chair,
    }
    status = 200
    if is_chair:
        form = forms.RoundOverviewForm(
            request.GET or None,
            themes=selectors.theme_names(),
            regions=selectors.overview_regions(review_round),
        )
        query = form.query()
        overview = selectors.round_overview(review_round, query, page=request.GET.get("page", 1))
        context.update(
            form=form,
            overview=overview,
            rows=overview.rows,
            page=overview.page,
            sort=_sort_headers(query),
            state_links=_state_links(query, overview),
            query_string=urlencode(query.as_params()),
        )
        context["rescore_jobs"] = jobs = selectors.rescore_jobs()
        context["rescore_live"] = any(job.is_active for job in jobs)
        status = 400 if form.errors else 200
    return render(request, "reviews/round_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def round_criteria(request, pk: int):
    """The chair corrects the criteria's titles and descriptions, in Dutch and in English."""
    _chair_only(request)
    review_round = get_object_or_404(ReviewRound, pk=pk)
    form = forms.CriterionTextsForm(request.POST or None, criteria=list(review_round.criteria.all()))
    if request.method == "POST" and form.is_valid():
        try:
            services.criteria_texts_update(actor=request.user, round_id=review_round.pk, texts=form.texts())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("De teksten van de criteria zijn opgeslagen."))
            return redirect(reverse("reviews:round", args=[review_round.pk]) + "#beoordelingskader")
    return render(
        request,
        "reviews/round_criteria.html",
        {"round": review_round, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def round_close(request, pk: int):
    _chair_only(request)
    get_object_or_404(ReviewRound, pk=pk)
    try:
        services.round_close(actor=request.user, round_id=pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De ronde is gesloten voor nieuwe indieningen."))
    return redirect("reviews:round", pk)


# ---------------------------------------------------------------- submissions


def submission_detail(request, pk: int):
    submission = _load_submission(request, pk)
    user = request.user
    is_chair = permissions.is_chair(user)
    is_member = permissions.is_coalition_member(user, submission)
    context: dict[str, Any] = {
        "submission": submission,
        "is_chair": is_chair,
        "is_member": is_member,
        "own_assignment": permissions.own_assignment(user, submission),
        "advice": None,
        **snapshot_context(submission.snapshot),
    }
    advice = Advice.objects.filter(submission=submission).first()
    criteria = list(submission.round.criteria.all()) if advice is not None or is_chair else []
    if advice is not None and permissions.can_view_advice(user, submission):
        context["advice"] = advice
        if advice.published_at:
            context["advice_scores"] = scores_context(advice.evidence, advice.aggregate, criteria)
    context["panels"] = SUBMISSION_PAGE.panels(request, submission, advice=advice)
    if is_chair:
        assignments = list(selectors.assignments_of(submission))
        context.update(
            assignments=assignments,
            # The pool ranked for this agenda: matching expertise first; tied and invited ones greyed out.
            assign_form=forms.AssignForm(candidates=pool_selectors.candidates(submission, assignments)),
            scores=scores_context(selectors.latest_evidence(submission), selectors.aggregate_of(submission), criteria),
            region_summary=region_summary(submission.snapshot),
            jobs=(jobs := list(submission.scoring_jobs.order_by("-created_at")[:5])),
            jobs_live=any(job.is_active for job in jobs),
            allowed=[(a, workflow.ACTION_LABELS[a]) for a in _chair_actions(submission)],
            extend_form=forms.ExtendForm(),
            reopen_form=forms.ReopenForm(),
            **question_views.chair_questions_context(request, submission),
        )
    else:
        context.update(question_views.reader_questions_context(request, submission))
    return render(request, "reviews/submission_detail.html", context)


def _chair_actions(submission: Submission) -> list[str]:
    state = submission.agenda.status
    if submission.status not in Submission.ACTIVE:
        return []
    # Advising and returning happen by publishing the advice (its own form).
    return [
        a
        for a in workflow.allowed_actions(state)
        if workflow.RULES[(state, a)].who == workflow.CHAIR and a not in ("advise", "return_for_revision")
    ]


@login_required
@require_POST
def submission_assign(request, pk: int):
    submission = _load_submission(request, pk)
    _chair_only(request)
    # Everyone in the pool is a valid choice here: the service says why a choice is refused.
    pool = [pool_selectors.Candidate(reviewer=r) for r in pool_selectors.pool_queryset()]
    form = forms.AssignForm(request.POST, candidates=pool)
    if form.is_valid():
        try:
            assignment = services.assignment_create(
                actor=request.user,
                submission_id=submission.pk,
                reviewer_id=form.cleaned_data["reviewer"],
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s is uitgenodigd.") % {"name": assignment.reviewer.display_name})
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("reviews:submission", args=[submission.pk]) + "#beoordelaars")


@login_required
@require_POST
def agenda_transition(request, pk: int, action: str):
    """Submit, withdraw, start the review: the buttons on the agenda and submission pages."""
    agenda = get_object_or_404(Agenda.objects.select_related("coalition"), pk=pk)
    # A chair acts on agendas that were submitted; a draft that never was is not theirs to know of.
    if not (
        can_view_agenda(request.user, agenda) or (permissions.is_chair(request.user) and agenda.submissions.exists())
    ):
        raise Http404
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("agendas:detail", args=[agenda.pk])
    form = forms.TransitionForm(request.POST, rounds=ReviewRound.objects.all())
    if action not in workflow.ACTIONS or not form.is_valid():
        messages.error(request, _("Deze stap kon niet worden gelezen."))
        return redirect(back)

    def step():
        return workflow.transition(
            agenda_id=agenda.pk,
            action=action,
            actor=request.user,
            comment=form.cleaned_data["comment"],
            round_id=form.cleaned_data["round"],
        )

    try:
        # Submitting freezes the agenda: the coordinator confirms it first (core.confirm).
        _result, page = (
            confirm_or_run(request, step, lambda submitted: confirmations.agenda_submit(request.user, submitted, back))
            if action == "submit"
            else (step(), None)
        )
    except workflow.TransitionNotAllowed as refused:
        return _transition_refused(request, refused, back)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if page is not None:
            return page
        messages.success(request, _("Gelukt: %(action)s.") % {"action": workflow.ACTION_LABELS[action]})
    return redirect(back)


@login_required
@require_POST
def endorse(request, pk: int):
    agenda = get_object_or_404(Agenda.objects.select_related("coalition"), pk=pk)
    if not can_view_agenda(request.user, agenda):
        raise Http404
    try:
        organisation_id = int(request.POST.get("organisation", ""))
    except ValueError:
        messages.error(request, _("Kies de organisatie namens wie u instemt."))
        return redirect(reverse("agendas:detail", args=[agenda.pk]) + "#indienen")
    try:
        services.endorse(actor=request.user, agenda_id=agenda.pk, organisation_id=organisation_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("U heeft ingestemd met deze versie van de agenda."))
    return redirect(reverse("agendas:detail", args=[agenda.pk]) + "#indienen")


def agenda_submission_panel(request, agenda: Agenda, *, perms) -> dict[str, Any]:
    """The agenda page's "Instemming en indienen" panel (registered in ``agendas.panels.AGENDA_PAGE``).

    Five queries: the user's memberships, the member organisations (with
    whether each has a representative), the endorsements of this revision,
    the open rounds, the agenda's submissions.
    """
    is_draft = agenda.status == Agenda.Status.DRAFT
    coordinator = is_coordinator(request.user, agenda.coalition_id, perms=perms)
    represented = set(
        CoalitionMembership.objects.filter(coalition_id=agenda.coalition_id, user_id=request.user.pk).values_list(
            "organisation_id", flat=True
        )
    )
    endorsements = workflow.endorsement_state(agenda)
    not_endorsed = [row.organisation for row in endorsements if row.endorsement is None]
    rounds = list(
        ReviewRound.objects.filter(
            status=ReviewRound.Status.OPEN, submission_deadline__gte=timezone.localdate()
        ).order_by("submission_deadline", "id")
    )
    submissions = list(agenda.submissions.select_related("round", "advice").defer("snapshot").order_by("-number"))
    returned = next((s for s in submissions if s.status == Submission.Status.RETURNED), None)
    return {
        "endorsements": endorsements,
        "can_endorse": [o for o in not_endorsed if o.pk in represented and is_draft],
        "endorsed_count": len(endorsements) - len(not_endorsed),
        # Which partners have not agreed yet, and which of those cannot, for want of a representative.
        "not_endorsed": not_endorsed,
        "unrepresented": [row.organisation for row in endorsements if not row.has_representative],
        "can_invite": coordinator and is_draft,
        "open_rounds": rounds,
        "submit_round": workflow.pick_round(rounds, returned.round_id if returned else None, None),
        "resubmission": returned is not None,
        "submissions": submissions,
        "can_withdraw": coordinator and agenda.status in (Agenda.Status.SUBMITTED, Agenda.Status.IN_REVIEW),
        "can_submit": coordinator and is_draft,
    }


# ---------------------------------------------------------------- reviewers


@login_required
def my_assignments(request):
    return render(
        request,
        "reviews/my_assignments.html",
        {"assignments": list(selectors.assignments_for(request.user)), "today": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_detail(request, pk: int):
    assignment = get_object_or_404(
        Assignment.objects.select_related("submission", "submission__round", "submission__agenda", "reviewer"), pk=pk
    )
    if not permissions.can_view_assignment(request.user, assignment):
        raise Http404
    submission = assignment.submission
    is_own = assignment.reviewer_id == request.user.pk
    criteria = list(submission.round.criteria.all())
    respond_form = forms.RespondForm(request.POST if request.POST.get("form") == "respond" else None)
    initial = {"summary": assignment.summary}
    for score in assignment.scores.all():
        initial[f"score_{score.criterion_id}"] = str(score.score)
        initial[f"motivation_{score.criterion_id}"] = score.motivation
    review_form = forms.ReviewForm(
        request.POST if request.POST.get("form") == "review" else None, criteria=criteria, initial=initial
    )
    propose_form = forms.QuestionProposeForm(request.POST if request.POST.get("form") == "propose" else None)
    status = 200
    if request.method == "POST":
        if not is_own:
            raise PermissionDenied
        if request.POST.get("form") == "propose" and propose_form.is_valid():
            try:
                questions.question_propose(
                    actor=request.user, assignment_id=assignment.pk, text=propose_form.cleaned_data["text"]
                )
            except ValidationError as error:
                apply_errors(propose_form, error)
            else:
                messages.success(request, _("Uw vraag is naar de voorzitter gestuurd."))
                return redirect(reverse("reviews:assignment", args=[assignment.pk]) + "#vragen")
        elif request.POST.get("form") == "respond" and respond_form.is_valid():
            data = respond_form.cleaned_data
            try:
                services.assignment_respond(
                    actor=request.user,
                    assignment_id=assignment.pk,
                    accept=data["decision"] == "accept",
                    no_conflict=data["no_conflict"],
                    reason=data["reason"],
                )
            except ValidationError as error:
                apply_errors(respond_form, error)
            else:
                messages.success(request, _("Dank u; uw antwoord is opgeslagen."))
                return redirect("reviews:assignment", assignment.pk)
        elif request.POST.get("form") == "review" and not is_going_back(request) and review_form.is_valid():
            submit = "submit" in request.POST
            scores, summary = review_form.scores(), review_form.cleaned_data["summary"]

            def save():
                return services.review_save(
                    actor=request.user, assignment_id=assignment.pk, scores=scores, summary=summary, submit=submit
                )

            try:
                # Handing the review in locks it: the reviewer confirms it first (core.confirm).
                _saved, page = (
                    confirm_or_run(
                        request, save, lambda saved: confirmations.review_submit(saved, criteria, scores, summary)
                    )
                    if submit
                    else (save(), None)
                )
            except ValidationError as error:
                apply_errors(review_form, error)
            else:
                if page is not None:
                    return page
                messages.success(
                    request, _("Uw beoordeling is ingediend.") if submit else _("Uw scores zijn opgeslagen.")
                )
                return redirect("reviews:assignment", assignment.pk)
        # "Terug" on the confirmation page: the form again, with what was entered.
        status = 200 if is_going_back(request) else 400
    show_others = permissions.can_see_other_reviews(request.user, assignment)
    shows_agenda = assignment.status != Assignment.Status.DECLINED
    others = None
    if show_others:
        numbers = selectors.reviewer_numbers(submission)
        others = [(selectors.reviewer_label(numbers.get(o.pk)), o) for o in selectors.other_reviews(assignment)]
    return render(
        request,
        "reviews/assignment_detail.html",
        {
            "assignment": assignment,
            "submission": submission,
            "is_own": is_own,
            "respond_form": respond_form,
            "review_form": review_form,
            "can_edit_review": is_own
            and assignment.status == Assignment.Status.ACCEPTED
            and submission.status == Submission.Status.IN_REVIEW,
            "overdue": timezone.localdate() > assignment.due_date,
            "own_scores": list(assignment.scores.select_related("criterion")),
            "others": others,
            "show_names": permissions.is_chair(request.user),
            "shows_agenda": shows_agenda,
            "region_summary": region_summary(submission.snapshot) if shows_agenda else None,
            # Beside the agenda: the questions to the coalition, and proposing one (to the chair).
            "question_rows": [{"shown": item} for item in selectors.questions_shown(request.user, submission)]
            if shows_agenda
            else [],
            "propose_form": propose_form,
            "can_propose": is_own and permissions.can_propose_question(request.user, assignment),
            **snapshot_context(submission.snapshot),
        },
        status=status,
    )


def _chair_assignment_action(request, pk: int, form_class, act, done: str, invalid: str):
    """A chair's button on an assignment (extend, reopen): parse, call the service, report, back to the list."""
    _chair_only(request)
    assignment = get_object_or_404(Assignment, pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
    else:
        messages.error(request, invalid)
    return redirect(reverse("reviews:submission", args=[assignment.submission_id]) + "#beoordelaars")


@login_required
@require_POST
def assignment_extend(request, pk: int):
    return _chair_assignment_action(
        request,
        pk,
        forms.ExtendForm,
        lambda data: services.assignment_extend(actor=request.user, assignment_id=pk, due_date=data["due_date"]),
        _("De termijn is verlengd."),
        _("Geef een geldige datum."),
    )


@login_required
@require_POST
def assignment_reopen(request, pk: int):
    return _chair_assignment_action(
        request,
        pk,
        forms.ReopenForm,
        lambda data: services.review_reopen(actor=request.user, assignment_id=pk, reason=data["reason"]),
        _("De beoordeling is heropend."),
        _("Geef een reden voor het heropenen."),
    )


# ---------------------------------------------------------------- advice


@login_required
@require_http_methods(["GET", "POST"])
def advice_edit(request, pk: int):
    submission = _load_submission(request, pk)
    _chair_only(request)
    advice = Advice.objects.filter(submission=submission).first()
    initial = (
        {"outcome": advice.outcome, "rationale": advice.rationale, "conditions": advice.conditions} if advice else {}
    )
    form = forms.AdviceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.advice_save(actor=request.user, submission_id=submission.pk, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Het concept-advies is opgeslagen. Het is nog niet gepubliceerd."))
            return redirect(reverse("reviews:submission", args=[submission.pk]) + "#advies")
    return render(
        request,
        "reviews/advice_form.html",
        {
            "submission": submission,
            "form": form,
            "scores": scores_context(
                selectors.latest_evidence(submission),
                selectors.aggregate_of(submission),
                list(submission.round.criteria.all()),
            ),
            # What the coalition was asked and answered, to write the advice with.
            "question_rows": [
                {"shown": item} for item in selectors.questions_shown(request.user, submission) if item.question.is_sent
            ],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def advice_publish(request, pk: int):
    submission = _load_submission(request, pk)
    _chair_only(request)
    back = reverse("reviews:submission", args=[submission.pk])
    try:
        _published, page = confirm_or_run(
            request,
            lambda: services.advice_publish(
                actor=request.user, submission_id=submission.pk, comment=request.POST.get("comment", "")
            ),
            lambda published: confirmations.advice_publish(request.user, published, back + "#advies"),
        )
    except workflow.TransitionNotAllowed as refused:
        return _transition_refused(request, refused, back)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if page is not None:
            return page
        messages.success(request, _("Het advies is gepubliceerd."))
    return redirect(back + "#advies")


# ---------------------------------------------------------------- public


PUBLIC_ADVICE_PER_PAGE = 50


@public_cache
def public_advice(request):
    """Published advice in public rounds: for everyone, also without logging in; 50 a page.

    The page is picked by id (the count and the ids read the submission, advice and round rows only),
    then its rows are read with the title and region from their snapshots: in one query PostgreSQL
    extracts those from the snapshot of every public submission before it sorts and cuts. Not read:
    the advice's texts and frozen figures. Three queries (two on an empty page).
    """
    ids = selectors.public_advice().values_list("pk", flat=True)
    page = Paginator(ids, PUBLIC_ADVICE_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    submissions = (
        list(
            selectors.public_advice()
            .filter(pk__in=shown)
            .only("number", "round__name", "advice__outcome", "advice__published_at")
        )
        if shown
        else []
    )
    return render(request, "reviews/public_advice.html", {"submissions": submissions, "page": page})


def agenda_panel(request, agenda: Agenda, *, perms) -> Panel:
    return Panel("reviews/includes/agenda_panel.html", agenda_submission_panel(request, agenda, perms=perms))


def register_panels() -> None:
    AGENDA_PAGE.register(agenda_panel)
    # Before the submit panel: while the agenda is in review, open questions come first.
    AGENDA_PAGE.register(question_views.agenda_questions_panel, order=50)
    SUBMIT_CHECK.register(workflow.submit_state)
