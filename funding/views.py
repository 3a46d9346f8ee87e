"""Funding pages: programmes and their envelopes, decisions (public once approved), proposing and deciding.

Approved decisions are public, like every decision about public money.
Proposals and rejected ones are for Rijk officials only (404 for others).
Approving needs a session confirmed with a one-time code: an unconfirmed
official is sent to the second-factor page and back.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.two_factor import is_verified, url_with_next
from coalitions.permissions import coalition_permissions
from core import charts
from core.confirm import confirm_or_run
from core.formatting import euro
from core.forms import apply_errors
from core.panels import Panel
from core.public_cache import public_cache
from funding import confirmations, forms, monitoring, services
from funding.letters import letter_response
from funding.models import Amendment, Decision, Programme, ProgressReport, Tranche
from funding.permissions import can_see_advice_of, is_official
from reviews.models import Advice, Submission
from reviews.panels import SUBMISSION_PAGE


def official_only(request) -> None:
    if not is_official(request.user):
        raise PermissionDenied


def programme_list(request):
    programmes = list(Programme.objects.prefetch_related("envelopes").order_by("start_year", "name"))
    return render(
        request,
        "funding/programme_list.html",
        {
            "programmes": programmes,
            "is_official": is_official(request.user),
            "may_edit": services.may_edit_programme(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request):
    official_only(request)
    form = forms.ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.programme_create(
                actor=request.user,
                envelopes=dict.fromkeys(range(data["start_year"], data["end_year"] + 1), data["amount_per_year"]),
                **{field: data[field] for field in services.PROGRAMME_FIELDS},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Het programma is aangemaakt."))
            return redirect("funding:programmes")
    return render(request, "funding/programme_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request, pk: int):
    """The programme administrator changes what the programme's letters say (description, ministry, legal basis)."""
    if not services.may_edit_programme(request.user):
        raise PermissionDenied
    programme = get_object_or_404(Programme, pk=pk)
    form = forms.ProgrammeTextsForm(
        request.POST or None, initial={field: getattr(programme, field) for field in services.PROGRAMME_LETTER_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(
                actor=request.user,
                programme_id=programme.pk,
                **{field: form.cleaned_data[field] for field in services.PROGRAMME_LETTER_FIELDS},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Het programma is opgeslagen; nieuwe brieven gebruiken de nieuwe teksten."))
            return redirect(f"{reverse('funding:programmes')}#programme-{programme.pk}")
    return render(
        request,
        "funding/programme_form.html",
        {"form": form, "programme": programme},
        status=400 if form.errors else 200,
    )


DECISIONS_PER_PAGE = 50


@public_cache
def decision_list(request):
    """Every approved decision (officials: also proposals and rejections), newest first, 50 a page."""
    decisions = Decision.objects.select_related("programme", "region", "lead_partner").prefetch_related("tranches")
    if not is_official(request.user):
        decisions = decisions.filter(status=Decision.Status.APPROVED)
    page = Paginator(decisions.order_by("-decided_at", "-proposed_at", "-id"), DECISIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "funding/decision_list.html",
        {"decisions": page.object_list, "page": page, "is_official": is_official(request.user)},
    )


def load_decision(request, pk: int) -> Decision:
    decision = get_object_or_404(
        Decision.objects.select_related(
            "programme",
            "region",
            "lead_partner",
            "submission",
            "submission__round",
            "submission__agenda__coalition",
            "proposed_by",
            "decided_by",
        ),
        pk=pk,
    )
    if decision.status != Decision.Status.APPROVED and not is_official(request.user):
        raise Http404
    return decision


@public_cache
def decision_detail(request, pk: int):
    decision = load_decision(request, pk)
    official = is_official(request.user)
    approved = decision.status == Decision.Status.APPROVED
    tranches = list(decision.tranches.all())
    perms = coalition_permissions(request.user, decision.submission.agenda.coalition)
    # Progress reports: officials and the coalition. Amendments: all for officials, the approved ones for everyone.
    show_reports = approved and monitoring.can_view_reports(request.user, decision, perms=perms)
    reports = (
        list(decision.progress_reports.select_related("submitted_by", "decided_by").order_by("-year", "-submitted_at"))
        if show_reports
        else []
    )
    amendment_list = list(decision.amendments.select_related("proposed_by", "decided_by").order_by("-number"))
    if not official:
        amendment_list = [a for a in amendment_list if a.status == Amendment.Status.APPROVED]
    pending = next((a for a in amendment_list if a.status == Amendment.Status.PROPOSED), None)
    if official and approved:
        accepted = {r.year for r in reports if r.status == ProgressReport.Status.ACCEPTED}
        for tranche in tranches:
            tranche.blockers = monitoring.release_blockers(
                decision, tranche, tranches=tranches, accepted_years=accepted, amendment_pending=pending is not None
            )
    open_years = set(monitoring.reportable_years(decision, tranches=tranches)) - {
        r.year for r in reports if r.status != ProgressReport.Status.RETURNED
    }
    return render(
        request,
        "funding/decision_detail.html",
        {
            "decision": decision,
            "tranches": tranches,
            "tranche_chart": tranche_chart(tranches),
            "reports": reports,
            "show_reports": show_reports,
            "can_file_report": bool(open_years) and monitoring.can_file_report(request.user, decision, perms=perms),
            "amendments": amendment_list,
            "pending_amendment": pending,
            "can_decide_amendment": pending is not None and official and pending.proposed_by_id != request.user.pk,
            "can_amend": official and approved and pending is None,
            "title": decision.submission.title,
            "advice": Advice.objects.filter(submission=decision.submission, published_at__isnull=False).first()
            if can_see_advice_of(request.user, decision)
            else None,
            "is_official": official,
            "can_decide": official
            and decision.status == Decision.Status.PROPOSED
            and decision.proposed_by_id != request.user.pk,
            "verified": is_verified(request),
            "reject_form": forms.RejectForm(),
        },
    )


def tranche_chart(tranches: list[Tranche]) -> charts.ColumnChart:
    """The decision's tranches per year: paid out (net of reclaims), reclaimed, and still to pay."""
    paid, reclaimed, due = [], [], []
    for tranche in tranches:
        released = tranche.status != Tranche.Status.PLANNED
        paid.append(tranche.amount - tranche.reclaimed_amount if released else 0)
        reclaimed.append(tranche.reclaimed_amount)
        due.append(0 if released else tranche.amount)
    return charts.columns(
        title=_("Tranches per jaar"),
        categories=[str(tranche.year) for tranche in tranches],
        series=[
            charts.Series("paid", _("Uitbetaald"), paid),
            charts.Series("reclaimed", _("Teruggevorderd"), reclaimed),
            charts.Series("due", _("Nog te betalen"), due),
        ],
        format_value=euro,
        category_header=_("Jaar"),
        summary=_("Van %(total)s is %(paid)s uitbetaald, %(reclaimed)s teruggevorderd en %(due)s nog te betalen.")
        % {
            "total": euro(sum(t.amount for t in tranches)),
            "paid": euro(sum(paid)),
            "reclaimed": euro(sum(reclaimed)),
            "due": euro(sum(due)),
        },
    )


@login_required
@require_POST
def decision_approve(request, pk: int):
    official_only(request)
    decision = load_decision(request, pk)
    if not is_verified(request):
        messages.info(request, _("Bevestig eerst met een eenmalige code; daarna kunt u vaststellen."))
        return redirect(url_with_next("two_factor:verify", decision_url(decision)))
    try:
        # Approving commits public money: the official confirms what it means first (core.confirm).
        _approved, page = confirm_or_run(
            request,
            lambda: services.decision_approve(actor=request.user, decision_id=decision.pk, verified=True),
            lambda _approved: confirmations.decision_approve(request.user, decision, decision_url(decision)),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if page is not None:
            return page
        messages.success(request, _("De beschikking is vastgesteld; de brief wordt gemaakt."))
    return redirect("funding:decision", decision.pk)


@login_required
@require_POST
def decision_reject(request, pk: int):
    official_only(request)
    decision = load_decision(request, pk)
    form = forms.RejectForm(request.POST)
    if form.is_valid():
        try:
            services.decision_reject(actor=request.user, decision_id=decision.pk, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Het voorstel is afgewezen."))
    else:
        messages.error(request, _("Geef een reden."))
    return redirect("funding:decision", decision.pk)


def decision_url(decision: Decision) -> str:
    return reverse("funding:decision", args=[decision.pk])


def decision_letter(request, pk: int):
    decision = load_decision(request, pk)
    if decision.status != Decision.Status.APPROVED or not decision.letter:
        raise Http404
    if not can_see_advice_of(request.user, decision):
        raise Http404
    return letter_response(decision)


@login_required
@require_http_methods(["GET", "POST"])
def decision_propose(request, submission_pk: int):
    official_only(request)
    submission = get_object_or_404(Submission.objects.select_related("round"), pk=submission_pk)
    snapshot = submission.snapshot
    years = range(snapshot["start_year"], snapshot["end_year"] + 1)
    summary = services.submission_budget(submission)
    form = forms.ProposeForm(request.POST or None, years=years)
    if request.method == "GET":
        # Start from what was asked: the Rijk's amount per year of the agenda's budget.
        form.initial.update(
            {f"tranche_{year}": summary.cells[(year, "rijk")] for year in years if summary.cells.get((year, "rijk"))}
        )
        form.initial["amount_awarded"] = summary.rijk_total
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_propose(
                actor=request.user,
                submission_id=submission.pk,
                programme_id=form.cleaned_data["programme"].pk,
                amount_awarded=form.cleaned_data["amount_awarded"],
                tranches=form.tranches(),
                difference_explanation=form.cleaned_data["difference_explanation"],
                conditions=form.cleaned_data["conditions"],
                cofinancing_exception=form.cleaned_data["cofinancing_exception"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Het voorstel staat klaar voor een tweede ambtenaar."))
            return redirect("funding:decision", decision.pk)
    return render(
        request,
        "funding/propose_form.html",
        {"form": form, "submission": submission, "summary": summary, "requested": summary.rijk_total},
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------- panels


def submission_panel(request, submission: Submission, *, advice) -> Panel | None:
    """The submission page's funding section: its decisions (officials see all, others the approved), and proposing."""
    official = is_official(request.user)
    decisions = Decision.objects.filter(submission=submission).order_by("-proposed_at")
    if not official:
        decisions = decisions.filter(status=Decision.Status.APPROVED)
    decisions = list(decisions)
    can_propose = (
        official and services.is_fundable(submission, advice) and not any(d.status in Decision.OPEN for d in decisions)
    )
    if not decisions and not can_propose:
        return None
    return Panel("funding/includes/submission_panel.html", {"list": decisions, "can_propose": can_propose})


def register_panels() -> None:
    SUBMISSION_PAGE.register(submission_panel)
