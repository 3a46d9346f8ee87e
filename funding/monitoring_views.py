"""Pages for monitoring and amending an approved decision.

The coalition files its yearly progress reports here; Rijk officials accept
or return them, release tranches, reclaim money and amend the decision.
Releasing, reclaiming and approving an amendment need a session confirmed
with a one-time code, like approving the decision itself. Every rule is in
``funding.monitoring`` and ``funding.amendments``; these views only parse
and show.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.two_factor import is_verified, url_with_next
from core.confirm import confirm_or_run, is_going_back
from core.forms import apply_errors
from funding import amendments, confirmations, forms, monitoring
from funding.letters import letter_response
from funding.models import Amendment, Decision, ProgressReport, Tranche
from funding.permissions import is_official
from funding.views import decision_url, load_decision, official_only


def _flash_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _needs_second_factor(request, decision: Decision):
    """A redirect to the one-time-code page and back to the decision, or None when the session is verified."""
    if is_verified(request):
        return None
    messages.info(request, _("Bevestig eerst met een eenmalige code; probeer het daarna opnieuw."))
    return redirect(url_with_next("two_factor:verify", decision_url(decision)))


# --- Progress reports -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request, pk: int):
    decision = load_decision(request, pk)
    if not monitoring.can_file_report(request.user, decision):
        raise PermissionDenied
    taken = set(decision.progress_reports.exclude(status=ProgressReport.Status.RETURNED).values_list("year", flat=True))
    years = [year for year in monitoring.reportable_years(decision) if year not in taken]
    if not years:
        messages.info(request, _("Er is nu geen jaar om over te rapporteren."))
        return redirect(decision_url(decision) + "#voortgang")
    targets = monitoring.report_targets(decision)
    measures = monitoring.report_measures(decision, years[-1])
    form = forms.ProgressReportForm(
        request.POST or None, years=years, targets=targets, measures=measures, initial={"year": years[-1]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            monitoring.progress_report_submit(
                actor=request.user,
                decision_id=decision.pk,
                year=form.cleaned_data["year"],
                indicators=form.indicators(),
                spending=form.spending(),
                milestones=form.cleaned_data["milestones"],
                explanation=form.cleaned_data["explanation"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("De voortgangsrapportage is ingediend; een ambtenaar van het Rijk beoordeelt hem.")
            )
            return redirect(decision_url(decision) + "#voortgang")
    return render(
        request,
        "funding/report_form.html",
        {"form": form, "decision": decision, "title": decision.submission.title},
        status=400 if form.errors else 200,
    )


def _load_report(request, pk: int) -> ProgressReport:
    report = get_object_or_404(ProgressReport.objects.select_related("decision", "submitted_by", "decided_by"), pk=pk)
    decision = load_decision(request, report.decision_id)
    if not monitoring.can_view_reports(request.user, decision):
        raise Http404
    report.decision = decision
    return report


def report_detail(request, pk: int):
    report = _load_report(request, pk)
    return render(
        request,
        "funding/report_detail.html",
        {
            "report": report,
            "decision": report.decision,
            "can_decide": is_official(request.user) and report.status == ProgressReport.Status.SUBMITTED,
            "comment_form": forms.CommentForm(),
        },
    )


@login_required
@require_POST
def report_decide(request, pk: int, accept: bool):
    official_only(request)
    report = _load_report(request, pk)
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, ValidationError(list(form.errors["comment"])))
        return redirect("funding:report", report.pk)
    service = monitoring.progress_report_accept if accept else monitoring.progress_report_return
    try:
        service(actor=request.user, report_id=report.pk, comment=form.cleaned_data["comment"])
    except ValidationError as error:
        _flash_errors(request, error)
        return redirect("funding:report", report.pk)
    messages.success(request, _("De rapportage is geaccepteerd.") if accept else _("De rapportage is teruggestuurd."))
    return redirect(decision_url(report.decision) + "#voortgang")


# --- Tranches -------------------------------------------------------------------------------


def _load_tranche(request, pk: int) -> Tranche:
    official_only(request)
    tranche = get_object_or_404(Tranche, pk=pk)
    tranche.decision = load_decision(request, tranche.decision_id)
    return tranche


@login_required
@require_POST
def tranche_release(request, pk: int):
    tranche = _load_tranche(request, pk)
    if (to_verify := _needs_second_factor(request, tranche.decision)) is not None:
        return to_verify
    form = forms.ReleaseForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, ValidationError(list(form.errors["note"])))
    else:
        note = form.cleaned_data["note"]
        back = decision_url(tranche.decision) + "#tranches"
        try:
            # Paying out cannot be undone: the official confirms what it means first (core.confirm).
            _released, page = confirm_or_run(
                request,
                lambda: monitoring.tranche_release(actor=request.user, tranche_id=tranche.pk, verified=True, note=note),
                lambda _released: confirmations.tranche_release(request.user, tranche.decision, tranche, note, back),
            )
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            if page is not None:
                return page
            messages.success(request, _("De tranche %(year)s is uitbetaald.") % {"year": tranche.year})
    return redirect(decision_url(tranche.decision) + "#tranches")


@login_required
@require_http_methods(["GET", "POST"])
def tranche_reclaim(request, pk: int):
    tranche = _load_tranche(request, pk)
    if tranche.status == Tranche.Status.PLANNED:
        raise Http404
    if request.method == "POST" and (to_verify := _needs_second_factor(request, tranche.decision)) is not None:
        return to_verify
    form = forms.ReclaimForm(request.POST or None)
    # "Terug" on the confirmation page shows the form again with what was entered.
    if request.method == "POST" and not is_going_back(request) and form.is_valid():
        amount, reason = form.cleaned_data["amount"], form.cleaned_data["reason"]
        try:
            # Reclaiming is recorded for good: the official confirms what it means first (core.confirm).
            _reclaim, page = confirm_or_run(
                request,
                lambda: monitoring.tranche_reclaim(
                    actor=request.user, tranche_id=tranche.pk, amount=amount, reason=reason, verified=True
                ),
                lambda _reclaim: confirmations.tranche_reclaim(request.user, tranche.decision, tranche, amount, reason),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if page is not None:
                return page
            messages.success(request, _("De terugvordering is vastgelegd."))
            return redirect(decision_url(tranche.decision) + "#tranches")
    return render(
        request,
        "funding/reclaim_form.html",
        {
            "form": form,
            "tranche": tranche,
            "decision": tranche.decision,
            "room": tranche.amount - tranche.reclaimed_amount,
            "verified": is_verified(request),
        },
        status=400 if form.errors else 200,
    )


# --- Amendments -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def amendment_create(request, pk: int):
    official_only(request)
    decision = load_decision(request, pk)
    if decision.status != Decision.Status.APPROVED:
        raise Http404
    snapshot = decision.submission.snapshot
    years = range(
        max(snapshot["start_year"], decision.programme.start_year),
        min(snapshot["end_year"], decision.programme.end_year) + 1,
    )
    tranches = list(decision.tranches.all())
    form = forms.AmendmentForm(
        request.POST or None, years=years, initial={f"tranche_{t.year}": t.amount for t in tranches}
    )
    if request.method == "POST" and form.is_valid():
        try:
            amendments.amendment_propose(
                actor=request.user,
                decision_id=decision.pk,
                tranches=form.tranches(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("De wijziging staat klaar voor een tweede ambtenaar."))
            return redirect(decision_url(decision) + "#wijzigingen")
    return render(
        request,
        "funding/amendment_form.html",
        {"form": form, "decision": decision, "tranches": tranches, "title": decision.submission.title},
        status=400 if form.errors else 200,
    )


def _load_amendment(request, pk: int) -> Amendment:
    official_only(request)
    amendment = get_object_or_404(Amendment, pk=pk)
    amendment.decision = load_decision(request, amendment.decision_id)
    return amendment


@login_required
@require_POST
def amendment_approve(request, pk: int):
    amendment = _load_amendment(request, pk)
    if (to_verify := _needs_second_factor(request, amendment.decision)) is not None:
        return to_verify
    back = decision_url(amendment.decision) + "#wijzigingen"
    try:
        # Like approving a decision: the official sees what changes before it does (core.confirm).
        _approved, page = confirm_or_run(
            request,
            lambda: amendments.amendment_approve(actor=request.user, amendment_id=amendment.pk, verified=True),
            lambda _approved: confirmations.amendment_approve(request.user, amendment, back),
        )
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        if page is not None:
            return page
        messages.success(request, _("De wijziging is vastgesteld."))
    return redirect(decision_url(amendment.decision) + "#wijzigingen")


@login_required
@require_POST
def amendment_reject(request, pk: int):
    amendment = _load_amendment(request, pk)
    form = forms.RejectForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Geef een reden."))
        amendments.amendment_reject(actor=request.user, amendment_id=amendment.pk, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("De wijziging is afgewezen."))
    return redirect(decision_url(amendment.decision) + "#wijzigingen")


def amendment_letter(request, pk: int):
    """The letter of an approved amendment: public like the decision, once it is made."""
    amendment = get_object_or_404(Amendment.objects.select_related("decision"), pk=pk)
    decision = load_decision(request, amendment.decision_id)
    if decision.status != Decision.Status.APPROVED or amendment.status != Amendment.Status.APPROVED:
        raise Http404
    if not amendment.letter:
        raise Http404
    return letter_response(amendment)
