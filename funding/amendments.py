"""Amending an approved decision (wijzigingsbesluit), through the same four eyes as the decision.

An official proposes the new split into yearly tranches (money moved between
years, or a lower or — up to what was asked — higher total) with a reason. A
second official with a verified session and a mandate for the new total
approves it; only then do the tranches and the envelopes change, under the
same locks and check constraints as an approval. Tranches already paid out
cannot change. Every amendment is kept with the split before and after, so
the decision's history reads as a list of changes.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from activity.notifications import notify
from core import background
from core.formatting import euro
from funding.models import TEXT_MAX, Amendment, Decision, Envelope, Tranche
from funding.monitoring import notify_coalition
from funding.services import (
    SecondFactorRequired,
    available_for,
    check_mandate,
    cofinancing_percent,
    decision_event,
    envelope_allocation,
    officials,
    rejection_reason,
    require_official,
    submission_budget,
    tranche_errors,
)


def _split(decision: Decision) -> dict[int, int]:
    return {t.year: t.amount for t in decision.tranches.all()}


def split_problems(decision: Decision, before: dict[int, int], after: dict[int, int]) -> list[str]:
    """What is wrong with a proposed new split of ``decision``'s tranches; empty when it may be proposed.

    Paid tranches stay; the total stays within what was asked (and the
    co-financing rule holds for more money); every year's increase fits in
    the programme's envelope as far as can be known now (the approval checks
    again under locks).
    """
    problems = tranche_errors(after, snapshot=decision.submission.snapshot, programme=decision.programme)
    for tranche in decision.tranches.all():
        if tranche.status != Tranche.Status.PLANNED and after.get(tranche.year) != tranche.amount:
            problems.append(
                _("%(year)s is al uitbetaald (%(amount)s) en kan niet meer wijzigen.")
                % {"year": tranche.year, "amount": euro(tranche.amount)}
            )
    if not problems:
        total = sum(after.values())
        if after == before:
            problems.append(_("De nieuwe verdeling is gelijk aan de huidige."))
        if total > decision.amount_requested:
            problems.append(
                _("Samen %(total)s, meer dan gevraagd (%(requested)s).")
                % {"total": euro(total), "requested": euro(decision.amount_requested)}
            )
        elif total > decision.amount_awarded:
            # More money: the co-financing rule is checked again with the new total.
            share = cofinancing_percent(submission_budget(decision.submission), total)
            minimum = decision.programme.min_cofinancing_percent
            if share < minimum and not (decision.lagging and decision.cofinancing_exception):
                problems.append(
                    _("Met %(total)s is de cofinanciering %(share)s%%, minder dan de vereiste %(min)s%%.")
                    % {"total": euro(total), "share": share, "min": minimum}
                )
    if not problems:
        # Room in the envelopes, as far as can be known now; the approval checks again under locks.
        envelopes = {e.year: e for e in decision.programme.envelopes.filter(year__in=list(after))}
        for year, amount in sorted(after.items()):
            envelope = envelopes.get(year)
            free = available_for(envelope, lagging=decision.lagging) if envelope else 0
            if amount - before.get(year, 0) > free:
                problems.append(
                    _("%(year)s: nog %(free)s beschikbaar in het budget van het programma.")
                    % {"year": year, "free": euro(free)}
                )
    return problems


def amendment_propose(*, actor: User, decision_id: int, tranches: Mapping[int, int], reason: str) -> Amendment:
    """Propose a new split of an approved decision; nothing changes until a second official approves."""
    require_official(actor)
    reason = (reason or "").strip()
    decision = (
        Decision.objects.select_related("programme", "submission", "submission__agenda")
        .prefetch_related("tranches")
        .filter(pk=decision_id)
        .first()
    )
    if decision is None:
        raise ValidationError(_("Onbekende beschikking."))
    if decision.status != Decision.Status.APPROVED:
        raise ValidationError(_("Alleen een vastgestelde beschikking kan worden gewijzigd."))
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Geef de reden van de wijziging.")]
    elif len(reason) > TEXT_MAX:
        errors["reason"] = [_("Hoogstens %(max)s tekens.") % {"max": TEXT_MAX}]
    before = _split(decision)
    after = dict(tranches)
    problems = split_problems(decision, before, after)
    if problems:
        errors["tranches"] = problems
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        number = (decision.amendments.aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            with transaction.atomic():
                amendment = Amendment.objects.create(
                    decision=decision,
                    number=number,
                    reason=reason,
                    amount_before=decision.amount_awarded,
                    amount_after=sum(after.values()),
                    tranches_before={str(y): a for y, a in sorted(before.items())},
                    tranches_after={str(y): a for y, a in sorted(after.items())},
                    proposed_by=actor,
                )
        except IntegrityError:
            raise ValidationError(_("Voor deze beschikking ligt al een wijziging ter besluitvorming.")) from None
        event = decision_event(actor, decision, "decision.amendment_proposed", number=number)
        notify(event=event, recipients=[u for u in officials() if u.pk != actor.pk])
    return amendment


def _load_for_decision(amendment_id: int) -> tuple[Amendment, Decision]:
    amendment = Amendment.objects.filter(pk=amendment_id).first()
    if amendment is None:
        raise ValidationError(_("Onbekende wijziging."))
    # The decision first, then the amendment: the same order as releases and reclaims.
    decision = (
        Decision.objects.select_for_update()
        .select_related("programme", "submission", "submission__agenda")
        .get(pk=amendment.decision_id)
    )
    amendment = Amendment.objects.select_for_update().get(pk=amendment_id)
    if amendment.status != Amendment.Status.PROPOSED:
        raise ValidationError(
            _("Deze wijziging is al %(status)s.") % {"status": amendment.get_status_display().lower()}
        )
    return amendment, decision


def reallocate(changed: list[int], tranches: dict, after: dict[int, int], envelopes: dict, *, lagging: bool):
    """Move the changed years' money in the (locked) envelopes in memory: (problems, allocation per year).

    Each changed year gives back what its tranche took and takes what the new
    amount needs, the reserved part first for a lagging region; a year that
    does not fit is a problem. Nothing is saved here.
    """
    problems, allocations = [], {}
    for year in changed:
        envelope = envelopes.get(year)
        if envelope is None:
            problems.append(_("%(year)s: het programma heeft geen budget voor dit jaar.") % {"year": year})
            continue
        old = tranches.get(year)
        if old is not None:
            envelope.committed_reserved -= old.from_reserved
            envelope.committed_open -= old.from_open
        amount = after.get(year, 0)
        if amount:
            allocation = envelope_allocation(envelope, amount, lagging=lagging)
            if allocation is None:
                problems.append(
                    _("%(year)s: nog %(free)s beschikbaar, de tranche wordt %(amount)s.")
                    % {
                        "year": year,
                        "free": euro(available_for(envelope, lagging=lagging)),
                        "amount": euro(amount),
                    }
                )
                continue
            envelope.committed_reserved += allocation[0]
            envelope.committed_open += allocation[1]
            allocations[year] = allocation
    return problems, allocations


def amendment_approve(*, actor: User, amendment_id: int, verified: bool) -> Amendment:
    """A second official approves: four eyes, mandate for the new total, second factor, room in the envelopes."""
    require_official(actor)
    if not verified:
        raise SecondFactorRequired(_("Vaststellen kan alleen na bevestiging met een eenmalige code."))
    with transaction.atomic():
        amendment, decision = _load_for_decision(amendment_id)
        amendment.require_second_official(actor, approving=True)
        check_mandate(actor, amendment.amount_after)
        tranches = {t.year: t for t in Tranche.objects.select_for_update().filter(decision=decision)}
        before = {y: t.amount for y, t in tranches.items()}
        if {str(y): a for y, a in before.items()} != amendment.tranches_before:
            raise ValidationError(_("De beschikking is intussen gewijzigd; stel de wijziging opnieuw voor."))
        after = {int(y): a for y, a in amendment.tranches_after.items()}
        changed = sorted(y for y in set(before) | set(after) if before.get(y, 0) != after.get(y, 0))
        if any(tranches[y].status != Tranche.Status.PLANNED for y in changed if y in tranches):
            raise ValidationError(_("Een tranche in deze wijziging is intussen uitbetaald."))
        # Locked in year order, as in decision_approve: parallel approvals wait, never deadlock.
        envelopes = {
            e.year: e
            for e in Envelope.objects.select_for_update()
            .filter(programme_id=decision.programme_id, year__in=changed)
            .order_by("year")
        }
        problems, allocations = reallocate(changed, tranches, after, envelopes, lagging=decision.lagging)
        if problems:
            raise ValidationError({"tranches": problems})
        for year in changed:
            envelope = envelopes[year]
            Envelope.objects.filter(pk=envelope.pk).update(
                committed_reserved=envelope.committed_reserved, committed_open=envelope.committed_open
            )
            old, amount = tranches.get(year), after.get(year, 0)
            if not amount:
                old.delete()
            elif old is None:
                Tranche.objects.create(
                    decision=decision,
                    year=year,
                    amount=amount,
                    from_reserved=allocations[year][0],
                    from_open=allocations[year][1],
                )
            else:
                old.amount = amount
                old.from_reserved, old.from_open = allocations[year]
                old.save(update_fields=["amount", "from_reserved", "from_open"])
        decision.amount_awarded = amendment.amount_after
        decision.save(update_fields=["amount_awarded"])
        amendment.status = Amendment.Status.APPROVED
        amendment.decided_by = actor
        amendment.decided_at = timezone.now()
        amendment.save(update_fields=["status", "decided_by", "decided_at"])
        event = decision_event(actor, decision, "decision.amended", number=amendment.number)
        notify_coalition(event, decision, extra=[amendment.proposed_by] if amendment.proposed_by else [])
        from funding import tasks

        # After the commit; a letter the broker did not take a message for is made by the sweep (funding.tasks).
        background.enqueue_on_commit(tasks.make_amendment_letter, amendment.pk)
    return amendment


def amendment_reject(*, actor: User, amendment_id: int, reason: str) -> Amendment:
    """A second official rejects the proposed amendment, with a reason; the decision stays as it was."""
    require_official(actor)
    reason = rejection_reason(reason)
    with transaction.atomic():
        amendment, decision = _load_for_decision(amendment_id)
        amendment.require_second_official(actor, approving=False)
        amendment.status = Amendment.Status.REJECTED
        amendment.decided_by = actor
        amendment.decided_at = timezone.now()
        amendment.rejection_reason = reason
        amendment.save(update_fields=["status", "decided_by", "decided_at", "rejection_reason"])
        event = decision_event(actor, decision, "decision.amendment_rejected", number=amendment.number)
        notify(event=event, recipients=[amendment.proposed_by] if amendment.proposed_by else [])
    return amendment
