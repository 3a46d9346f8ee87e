"""Funding tasks for *Mijn taken*: progress reports for coordinators, the Rijk officials' decisions.

* Coordinators: a progress report for every payment year of an approved
  decision that has started and has no report under consideration or
  accepted (``monitoring.reportable_years``); due at the end of that year,
  as the next year's tranche waits for it.
* Rijk officials: advised submissions without a proposal, proposals and
  amendments awaiting a second official (never their own: four eyes),
  progress reports to judge, and tranches whose year has started.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Subquery
from django.db.models.fields.json import KT
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import GlobalRole
from coalitions.worklist import COORDINATOR, coordinated, coordinator_label
from core.formatting import euro
from core.worklist import Task, register
from funding.models import Amendment, Decision, ProgressReport, Tranche
from funding.permissions import is_official
from funding.services import FUNDABLE_OUTCOMES
from reviews.models import Submission

OFFICIAL = GlobalRole.RIJK_OFFICIAL.value


def coordinator_tasks(user) -> list[Task]:
    """Progress reports due on the approved decisions of the coalitions the user coordinates (one query)."""
    coalitions = coordinated(user)
    if not coalitions:
        return []
    today = timezone.localdate()
    reported = ProgressReport.objects.filter(
        decision_id=OuterRef("decision_id"),
        year=OuterRef("year"),
        status__in=[ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED],
    )
    returned = ProgressReport.objects.filter(
        decision_id=OuterRef("decision_id"), year=OuterRef("year"), status=ProgressReport.Status.RETURNED
    )
    tranches = (
        Tranche.objects.filter(
            decision__status=Decision.Status.APPROVED,
            decision__submission__agenda__coalition__in=[c.pk for c in coalitions],
            year__lte=today.year,
        )
        .annotate(reported=Exists(reported), was_returned=Exists(returned))
        .filter(reported=False)
        .select_related("decision__submission__agenda__coalition")
        .defer("decision__submission__snapshot")
        .order_by("year", "decision_id")
    )
    return [
        Task(
            role=COORDINATOR,
            role_label=coordinator_label(),
            kind="report.file",
            title=_("Voortgangsrapportage over %(year)s") % {"year": t.year},
            detail=(
                _("Uw vorige rapportage is teruggestuurd: dien een nieuwe in.")
                if t.was_returned
                else _("Beschikking %(reference)s: indicatoren, uitgaven en mijlpalen van %(year)s.")
                % {"reference": t.decision.reference, "year": t.year}
            ),
            context=t.decision.submission.agenda.coalition.name,
            url=reverse("funding:report-create", args=[t.decision_id]),
            due=datetime.date(t.year, 12, 31),
            action=_("Rapportage invullen"),
        )
        for t in tranches
    ]


def official_tasks(user) -> list[Task]:
    """What waits for any Rijk official; five queries, one per kind of task."""
    if not is_official(user):
        return []
    label = str(GlobalRole.RIJK_OFFICIAL.label)

    def task(**fields) -> Task:
        return Task(role=OFFICIAL, role_label=label, **fields)

    tasks = []
    open_decision = Decision.objects.filter(submission_id=OuterRef("pk"), status__in=Decision.OPEN)
    for submission in (
        Submission.objects.filter(
            status=Submission.Status.ADVISED,
            advice__published_at__isnull=False,
            advice__outcome__in=FUNDABLE_OUTCOMES,
        )
        .exclude(Exists(open_decision))
        .select_related("round", "advice")
        .defer("snapshot", "advice__evidence", "advice__aggregate", "advice__rationale", "advice__conditions")
        .annotate(title_text=KT("snapshot__title"))
        .order_by("closed_at", "pk")
    ):
        tasks.append(
            task(
                kind="decision.propose",
                title=_("Stel een beschikking voor: “%(title)s”") % {"title": submission.title_text},
                detail=_("Advies: %(outcome)s.") % {"outcome": submission.advice.get_outcome_display().lower()},
                context=submission.round.name,
                url=reverse("funding:propose", args=[submission.pk]),
                action=_("Beschikking voorstellen"),
            )
        )
    for decision in (
        Decision.objects.filter(status=Decision.Status.PROPOSED)
        .exclude(proposed_by_id=user.pk)
        .select_related("proposed_by", "region")
        .order_by("proposed_at", "pk")
    ):
        tasks.append(
            task(
                kind="decision.second",
                title=_("Beslis over beschikking %(reference)s") % {"reference": decision.reference},
                detail=_("%(amount)s voor %(region)s, voorgesteld door %(name)s. Vier ogen: u stelt vast of wijst af.")
                % {
                    "amount": euro(decision.amount_awarded),
                    "region": decision.region.name,
                    "name": decision.proposed_by.display_name if decision.proposed_by else _("een collega"),
                },
                url=reverse("funding:decision", args=[decision.pk]),
                action=_("Beslissen"),
            )
        )
    for amendment in (
        Amendment.objects.filter(status=Amendment.Status.PROPOSED)
        .exclude(proposed_by_id=user.pk)
        .select_related("decision", "proposed_by")
        .order_by("proposed_at", "pk")
    ):
        tasks.append(
            task(
                kind="amendment.second",
                title=_("Beslis over wijziging %(reference)s") % {"reference": amendment.reference},
                detail=_("Van %(before)s naar %(after)s, voorgesteld door %(name)s.")
                % {
                    "before": euro(amendment.amount_before),
                    "after": euro(amendment.amount_after),
                    "name": amendment.proposed_by.display_name if amendment.proposed_by else _("een collega"),
                },
                url=reverse("funding:decision", args=[amendment.decision_id]) + "#wijzigingen",
                action=_("Beslissen"),
            )
        )
    for report in (
        ProgressReport.objects.filter(status=ProgressReport.Status.SUBMITTED)
        .select_related("decision")
        .only("pk", "year", "submitted_at", "decision__reference")
        .order_by("submitted_at", "pk")
    ):
        tasks.append(
            task(
                kind="report.judge",
                title=_("Beoordeel de voortgangsrapportage over %(year)s") % {"year": report.year},
                detail=_("Ingediend op %(date)s: accepteer haar of stuur haar terug met een opmerking.")
                % {"date": date_format(timezone.localdate(report.submitted_at), "j F Y")},
                context=report.decision.reference,
                url=reverse("funding:report", args=[report.pk]),
                action=_("Rapportage beoordelen"),
            )
        )
    tasks.extend(tranche_tasks(task))
    return tasks


def tranche_tasks(task) -> list[Task]:
    """Planned tranches of approved decisions whose year has started, with what still blocks them (one query).

    The same conditions as ``monitoring.release_blockers``, read for all
    tranches at once; a tranche behind an earlier unpaid one is left out
    (the earlier one is the task).
    """
    today = timezone.localdate()
    siblings = Tranche.objects.filter(decision_id=OuterRef("decision_id"), year__lt=OuterRef("year"))
    previous_year = Subquery(siblings.order_by("-year").values("year")[:1])
    accepted = ProgressReport.objects.filter(
        decision_id=OuterRef("decision_id"), year=OuterRef("previous_year"), status=ProgressReport.Status.ACCEPTED
    )
    pending = Amendment.objects.filter(decision_id=OuterRef("decision_id"), status=Amendment.Status.PROPOSED)
    tranches = (
        Tranche.objects.filter(
            status=Tranche.Status.PLANNED, decision__status=Decision.Status.APPROVED, year__lte=today.year
        )
        .annotate(
            earlier_unpaid=Exists(siblings.filter(status=Tranche.Status.PLANNED)),
            previous_year=previous_year,
        )
        .annotate(previous_accepted=Exists(accepted), amendment_pending=Exists(pending))
        .filter(earlier_unpaid=False)
        .select_related("decision")
        .only("pk", "year", "amount", "decision_id", "decision__reference")
        .order_by("year", "decision_id")
    )
    found = []
    for tranche in tranches:
        blockers = []
        if tranche.previous_year is not None and not tranche.previous_accepted:
            blockers.append(
                _("wacht op een geaccepteerde voortgangsrapportage over %(year)s") % {"year": tranche.previous_year}
            )
        if tranche.amendment_pending:
            blockers.append(_("er ligt een wijziging ter besluitvorming"))
        found.append(
            task(
                kind="tranche.release",
                title=_("Tranche %(year)s uitbetalen: %(amount)s")
                % {"year": tranche.year, "amount": euro(tranche.amount)},
                detail=(_("Nog niet mogelijk: %(why)s.") % {"why": "; ".join(blockers)})
                if blockers
                else _("Het jaar is begonnen; de tranche kan worden uitbetaald."),
                context=tranche.decision.reference,
                url=reverse("funding:decision", args=[tranche.decision_id]) + "#tranches",
                action=_("Naar de tranches"),
            )
        )
    return found


def register_worklist() -> None:
    register(coordinator_tasks)
    register(official_tasks)
