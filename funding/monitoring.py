"""Monitoring of approved decisions: yearly progress reports, releasing tranches, reclaims.

* The coalition (its coordinators and editors) files a progress report per
  payment year: the actual value of every target indicator of the submitted
  agenda, the money spent per measure, and the milestones. A Rijk official
  accepts it or returns it with a comment; a returned report stays as
  history and the coalition files a new one.
* A tranche is released (paid out) by an official with a verified session
  once its year has started, the earlier tranches are paid, the progress
  report on the previous payment year is accepted, no amendment is pending,
  and — when the decision names conditions — the official states how they
  were met. ``release_blockers`` says what is still missing, for the page
  and for the error.
* Money paid out can be reclaimed (*terugvordering*), with a reason, up to
  what the tranche paid. The reclaimed money returns to the Rijk: the
  programme's envelope of a past year does not get it back.

Releases, reclaims and the decisions on reports are events, with
notifications to the coalition and the officials.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from activity.notifications import notify
from coalitions.permissions import coalition_permissions
from core.formatting import euro
from funding.models import TEXT_MAX, Amendment, Decision, ProgressReport, Reclaim, Tranche
from funding.permissions import is_official
from funding.services import (
    AMOUNT_MAX,
    SecondFactorRequired,
    decision_event,
    is_amount,
    officials,
    require_official,
)

VALUE_MAX_DIGITS = 14  # indicator values: at most 14 digits, as the indicator tables store them


@dataclass(frozen=True)
class TargetRow:
    """One target of the submitted agenda, as a progress report asks for it."""

    key: str
    priority: str
    indicator: str
    name: str
    unit: str
    baseline_value: str | None
    target_year: int | None
    target_value: str | None


@dataclass(frozen=True)
class MeasureRow:
    key: str
    measure_id: int
    title: str
    planned: int  # the measure's budget in the year, all sources


def report_targets(decision: Decision) -> list[TargetRow]:
    """The targets of the submitted snapshot, keyed ``<priority id>-<indicator code>``."""
    rows, seen = [], set()
    for priority in decision.submission.snapshot.get("priorities", []):
        for target in priority.get("targets", []):
            key = f"{priority['id']}-{target['indicator']}"
            if key in seen:
                continue
            seen.add(key)
            rows.append(
                TargetRow(
                    key=key,
                    priority=priority.get("title", ""),
                    indicator=target["indicator"],
                    name=target.get("name", target["indicator"]),
                    unit=target.get("unit", ""),
                    baseline_value=target.get("baseline_value"),
                    target_year=target.get("target_year"),
                    target_value=target.get("target_value"),
                )
            )
    return rows


def report_measures(decision: Decision, year: int) -> list[MeasureRow]:
    """The measures of the submitted snapshot with their planned budget (all sources) in ``year``."""
    return [
        MeasureRow(
            key=str(measure["id"]),
            measure_id=measure["id"],
            title=measure.get("title", ""),
            planned=sum(line["amount"] for line in measure.get("budget", []) if line["year"] == year),
        )
        for priority in decision.submission.snapshot.get("priorities", [])
        for measure in priority.get("measures", [])
    ]


def can_file_report(user: User, decision: Decision, *, perms: Collection[str] | None = None) -> bool:
    """Coordinators and editors of the decision's coalition file its progress reports.

    A page asking both rules passes the user's coalition permissions as ``perms`` (one lookup).
    """
    if not user.is_authenticated or decision.status != Decision.Status.APPROVED:
        return False
    if perms is None:
        perms = coalition_permissions(user, decision.submission.agenda.coalition)
    return "edit_coalition_content" in perms


def can_view_reports(user: User, decision: Decision, *, perms: Collection[str] | None = None) -> bool:
    """Officials and the members of the decision's coalition see its reports; nobody else."""
    if is_official(user):
        return True
    if perms is None:
        perms = coalition_permissions(user, decision.submission.agenda.coalition)
    return "view_coalition" in perms


def reportable_years(
    decision: Decision, *, tranches: list[Tranche] | None = None, today: datetime.date | None = None
) -> list[int]:
    """Payment years of the decision that have started: a report is about a year under way or past."""
    today = today or timezone.localdate()
    tranches = decision.tranches.all() if tranches is None else tranches
    return sorted(t.year for t in tranches if t.year <= today.year)


def _decimal_text(value) -> str:
    """A decimal as plain text without trailing zeros ("12.5", "100")."""
    return format(value.normalize(), "f")


def progress_report_submit(
    *,
    actor: User,
    decision_id: int,
    year: int,
    indicators: Mapping[str, object],
    spending: Mapping[str, object],
    milestones: str,
    explanation: str = "",
    today: datetime.date | None = None,
) -> ProgressReport:
    """The coalition files its report on ``year``: actual values per target, spending per measure, milestones.

    ``indicators`` maps a target key (``report_targets``) to its actual value
    (a decimal, or empty when the figure is not known yet — then the
    explanation says why); ``spending`` maps a measure id to whole euros.
    """
    decision = (
        Decision.objects.select_related("submission", "submission__agenda", "submission__agenda__coalition")
        .filter(pk=decision_id)
        .first()
    )
    if decision is None or not can_file_report(actor, decision):
        raise PermissionDenied
    milestones = (milestones or "").strip()
    explanation = (explanation or "").strip()
    errors: dict[str, list[str]] = {}
    if year not in reportable_years(decision, today=today):
        errors.setdefault("year", []).append(_("Rapporteer over een betaaljaar van de beschikking dat al begonnen is."))
    if not milestones:
        errors.setdefault("milestones", []).append(_("Beschrijf welke mijlpalen zijn gehaald en welke niet."))
    for field, text in (("milestones", milestones), ("explanation", explanation)):
        if len(text) > TEXT_MAX:
            errors.setdefault(field, []).append(_("Hoogstens %(max)s tekens.") % {"max": TEXT_MAX})

    indicator_rows, missing = reported_indicators(report_targets(decision), indicators, errors)
    if missing and not explanation and not any(k.startswith("indicator_") for k in errors):
        errors.setdefault("explanation", []).append(
            _("Licht toe waarom deze waarden ontbreken: %(names)s.") % {"names": ", ".join(missing)}
        )
    spending_rows = (
        reported_spending(report_measures(decision, year), spending, errors) if not errors.get("year") else []
    )
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        try:
            with transaction.atomic():
                report = ProgressReport.objects.create(
                    decision=decision,
                    year=year,
                    indicators=indicator_rows,
                    spending=spending_rows,
                    milestones=milestones,
                    explanation=explanation,
                    submitted_by=actor,
                )
        except IntegrityError:
            raise ValidationError(
                {"year": [_("Over %(year)s is al een rapportage ingediend of geaccepteerd.") % {"year": year}]}
            ) from None
        event = decision_event(actor, decision, "progress.submitted", year=year)
        notify(event=event, recipients=officials())
    return report


def reported_indicators(targets, indicators: Mapping[str, object], errors: dict[str, list[str]]):
    """The report's rows of target indicators, and the names of those without a value.

    Pure: Dutch input ("12,5") is read, bad values and unknown keys go into
    ``errors`` under ``indicator_<key>`` and ``indicators``.
    """
    known = {t.key for t in targets}
    for key in indicators:
        if key not in known:
            errors.setdefault("indicators", []).append(_("Onbekend doel: %(key)s.") % {"key": key})
    rows, missing = [], []
    for target in targets:
        raw = indicators.get(target.key)
        actual = None
        if raw not in (None, ""):
            try:
                value = Decimal(str(raw).strip().replace(",", "."))
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite() or len(value.as_tuple().digits) > VALUE_MAX_DIGITS:
                errors.setdefault(f"indicator_{target.key}", []).append(
                    _("%(name)s: geef een getal, bijvoorbeeld 12,5.") % {"name": target.name}
                )
            else:
                actual = _decimal_text(value)
        if actual is None:
            missing.append(target.name)
        rows.append(
            {
                "key": target.key,
                "indicator": target.indicator,
                "name": target.name,
                "unit": target.unit,
                "baseline_value": target.baseline_value,
                "target_year": target.target_year,
                "target_value": target.target_value,
                "actual_value": actual,
            }
        )
    return rows, missing


def reported_spending(measures, spending: Mapping[str, object], errors: dict[str, list[str]]) -> list[dict]:
    """The report's rows of money spent per measure (whole euros, empty is 0); bad input goes into ``errors``."""
    known = {m.key for m in measures}
    for key in spending:
        if str(key) not in known:
            errors.setdefault("spending", []).append(_("Onbekende maatregel: %(key)s.") % {"key": key})
    rows = []
    for measure in measures:
        raw = spending.get(measure.key, spending.get(measure.measure_id, 0))
        if raw in (None, ""):
            raw = 0
        if not (isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw <= AMOUNT_MAX):
            errors.setdefault(f"spending_{measure.key}", []).append(
                _("%(title)s: een bedrag in hele euro's, 0 of meer.") % {"title": measure.title}
            )
            continue
        rows.append(
            {"measure_id": measure.measure_id, "title": measure.title, "planned": measure.planned, "spent": raw}
        )
    return rows


def _decide_report(*, actor: User, report_id: int, status: str, comment: str) -> ProgressReport:
    require_official(actor)
    comment = (comment or "").strip()
    if status == ProgressReport.Status.RETURNED and not comment:
        raise ValidationError({"comment": _("Zeg wat er anders moet.")})
    if len(comment) > TEXT_MAX:
        raise ValidationError({"comment": _("Hoogstens %(max)s tekens.") % {"max": TEXT_MAX}})
    with transaction.atomic():
        report = (
            ProgressReport.objects.select_for_update()
            .select_related("decision", "decision__submission", "decision__submission__agenda")
            .filter(pk=report_id)
            .first()
        )
        if report is None:
            raise ValidationError(_("Onbekende rapportage."))
        if report.status != ProgressReport.Status.SUBMITTED:
            raise ValidationError(
                _("Deze rapportage is al %(status)s.") % {"status": report.get_status_display().lower()}
            )
        report.status = status
        report.decided_by = actor
        report.decided_at = timezone.now()
        report.review_comment = comment
        report.save(update_fields=["status", "decided_by", "decided_at", "review_comment"])
        verb = "progress.accepted" if status == ProgressReport.Status.ACCEPTED else "progress.returned"
        event = decision_event(actor, report.decision, verb, year=report.year)
        notify_coalition(event, report.decision, extra=[report.submitted_by] if report.submitted_by else [])
    return report


def progress_report_accept(*, actor: User, report_id: int, comment: str = "") -> ProgressReport:
    return _decide_report(actor=actor, report_id=report_id, status=ProgressReport.Status.ACCEPTED, comment=comment)


def progress_report_return(*, actor: User, report_id: int, comment: str) -> ProgressReport:
    return _decide_report(actor=actor, report_id=report_id, status=ProgressReport.Status.RETURNED, comment=comment)


def notify_coalition(event, decision: Decision, *, extra=()) -> None:
    members = list(
        User.objects.filter(
            coalition_memberships__coalition_id=decision.submission.agenda.coalition_id, is_active=True
        ).distinct()
    )
    recipients = {u.pk: u for u in [*members, *extra, *officials()]}
    notify(event=event, recipients=recipients.values())


# --- Releasing and reclaiming -----------------------------------------------------------


def release_blockers(
    decision: Decision,
    tranche: Tranche,
    *,
    tranches: list[Tranche] | None = None,
    accepted_years: set[int] | None = None,
    amendment_pending: bool | None = None,
    today: datetime.date | None = None,
) -> list[str]:
    """What stands between this tranche and its payment; empty when it can be released.

    A page that shows every tranche passes the decision's tranches, accepted
    report years and pending amendment once, so this asks nothing more.
    """
    today = today or timezone.localdate()
    if tranches is None:
        tranches = list(decision.tranches.order_by("year"))
    if accepted_years is None:
        accepted_years = set(
            decision.progress_reports.filter(status=ProgressReport.Status.ACCEPTED).values_list("year", flat=True)
        )
    if amendment_pending is None:
        amendment_pending = decision.amendments.filter(status=Amendment.Status.PROPOSED).exists()
    if decision.status != Decision.Status.APPROVED:
        return [_("De beschikking is niet vastgesteld.")]
    if tranche.status != Tranche.Status.PLANNED:
        return [_("Deze tranche is al uitbetaald.")]
    blockers = []
    if tranche.year > today.year:
        blockers.append(_("Het jaar %(year)s is nog niet begonnen.") % {"year": tranche.year})
    earlier = [t for t in tranches if t.year < tranche.year]
    if any(t.status == Tranche.Status.PLANNED for t in earlier):
        blockers.append(_("Eerst de tranches van eerdere jaren uitbetalen."))
    if earlier and earlier[-1].year not in accepted_years:
        blockers.append(
            _("De voortgangsrapportage over %(year)s is nog niet geaccepteerd.") % {"year": earlier[-1].year}
        )
    if amendment_pending:
        blockers.append(_("Er ligt een wijziging van de beschikking ter besluitvorming."))
    return blockers


def _lock_tranche(tranche_id: int) -> tuple[Decision, Tranche]:
    """The tranche and its decision, locked: the decision first, as amendments lock it.

    The decision's lock serialises releases, reclaims and amendments of it. Call inside a transaction.
    """
    tranche = Tranche.objects.filter(pk=tranche_id).first()
    if tranche is None:
        raise ValidationError(_("Onbekende tranche."))
    decision = (
        Decision.objects.select_for_update()
        .select_related("submission", "submission__agenda")
        .get(pk=tranche.decision_id)
    )
    # An amendment approved meanwhile may have removed it.
    tranche = Tranche.objects.select_for_update().filter(pk=tranche_id, decision=decision).first()
    if tranche is None:
        raise ValidationError(_("Onbekende tranche."))
    return decision, tranche


def tranche_release(
    *, actor: User, tranche_id: int, verified: bool, note: str = "", today: datetime.date | None = None
) -> Tranche:
    """Pay out a tranche; the conditions are checked under the decision's lock."""
    require_official(actor)
    if not verified:
        raise SecondFactorRequired(_("Uitbetalen kan alleen na bevestiging met een eenmalige code."))
    note = (note or "").strip()
    if len(note) > TEXT_MAX:
        raise ValidationError({"note": _("Hoogstens %(max)s tekens.") % {"max": TEXT_MAX}})
    with transaction.atomic():
        decision, tranche = _lock_tranche(tranche_id)
        blockers = release_blockers(decision, tranche, today=today)
        if decision.conditions and not note:
            blockers.append(_("Beschrijf hoe aan de voorwaarden van de beschikking is voldaan."))
        if blockers:
            raise ValidationError({"release": blockers})
        tranche.status = Tranche.Status.RELEASED
        tranche.released_at = timezone.now()
        tranche.released_by = actor
        tranche.release_note = note
        tranche.save(update_fields=["status", "released_at", "released_by", "release_note"])
        event = decision_event(actor, decision, "tranche.released", year=tranche.year, amount=tranche.amount)
        notify_coalition(event, decision)
    return tranche


def tranche_reclaim(*, actor: User, tranche_id: int, amount: int, reason: str, verified: bool) -> Reclaim:
    """Reclaim money a tranche paid out: at most what it paid minus earlier reclaims, with a reason."""
    require_official(actor)
    if not verified:
        raise SecondFactorRequired(_("Terugvorderen kan alleen na bevestiging met een eenmalige code."))
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Geef de reden van de terugvordering.")]
    elif len(reason) > TEXT_MAX:
        errors["reason"] = [_("Hoogstens %(max)s tekens.") % {"max": TEXT_MAX}]
    if not is_amount(amount):
        errors["amount"] = [_("Een positief bedrag in hele euro's.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        decision, tranche = _lock_tranche(tranche_id)
        if tranche.status == Tranche.Status.PLANNED:
            raise ValidationError({"amount": [_("Alleen uitbetaald geld kan worden teruggevorderd.")]})
        room = tranche.amount - tranche.reclaimed_amount
        if amount > room:
            raise ValidationError(
                {"amount": [_("Hoogstens %(room)s kan nog worden teruggevorderd.") % {"room": euro(room)}]}
            )
        reclaim = Reclaim.objects.create(tranche=tranche, amount=amount, reason=reason, created_by=actor)
        Tranche.objects.filter(pk=tranche.pk).update(
            reclaimed_amount=F("reclaimed_amount") + amount, status=Tranche.Status.RECLAIMED
        )
        event = decision_event(actor, decision, "tranche.reclaimed", year=tranche.year, amount=amount)
        notify_coalition(event, decision)
    return reclaim
