"""What the funding's irreversible steps say before they happen (``core.confirm``): approving a decision,
releasing a tranche, reclaiming money. Amounts in words and euros, people by name."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import User
from core.confirm import Confirmation
from core.formatting import euro
from funding.models import Amendment, Decision, Tranche


def _decision_rows(decision: Decision) -> list[tuple[str, str]]:
    return [
        (_("Kenmerk"), decision.reference),
        (_("Agenda"), decision.submission.title),
        (_("Coalitie"), decision.submission.agenda.coalition.name),
        (_("Penvoerder"), decision.lead_partner.name),
        (_("Programma"), decision.programme.name),
    ]


def decision_approve(actor: User, decision: Decision, back: str) -> Confirmation:
    tranches = list(decision.tranches.order_by("year"))
    years = [t.year for t in tranches]
    period = f"{min(years)}–{max(years)}" if len(set(years)) > 1 else str(years[0]) if years else ""
    rows = _decision_rows(decision) + [
        (_("Toegekend"), euro(decision.amount_awarded)),
        (_("Tranches"), "\n".join(f"{t.year}: {euro(t.amount)}" for t in tranches)),
    ]
    if decision.conditions:
        rows.append((_("Voorwaarden"), decision.conditions))
    rows += [
        (_("Voorgesteld door"), decision.proposed_by.display_name),
        (_("Goedgekeurd door"), actor.display_name),
    ]
    return Confirmation(
        title=_("Beschikking vaststellen?"),
        sentence=_(
            "U keurt het besluit goed: %(amount)s over %(period)s voor ‘%(title)s’ van %(coalition)s; "
            "dit wordt vastgelegd, het geld wordt in het programma gereserveerd en de brief wordt gemaakt."
        )
        % {
            "amount": euro(decision.amount_awarded),
            "period": period,
            "title": decision.submission.title,
            "coalition": decision.submission.agenda.coalition.name,
        },
        rows=rows,
        back=back,
    )


def tranche_release(actor: User, decision: Decision, tranche: Tranche, note: str, back: str) -> Confirmation:
    rows = _decision_rows(decision) + [
        (_("Tranche"), str(tranche.year)),
        (_("Bedrag"), euro(tranche.amount)),
    ]
    if note.strip():
        rows.append((_("Hoe aan de voorwaarden is voldaan"), note.strip()))
    rows.append((_("Uitbetaald door"), actor.display_name))
    return Confirmation(
        title=_("Tranche uitbetalen?"),
        sentence=_(
            "U betaalt de tranche %(year)s van %(amount)s uit aan %(partner)s voor ‘%(title)s’ (beschikking "
            "%(reference)s). Dit wordt vastgelegd en de coalitie krijgt bericht; een uitbetaling kan alleen nog "
            "worden teruggevorderd, niet ongedaan gemaakt."
        )
        % {
            "year": tranche.year,
            "amount": euro(tranche.amount),
            "partner": decision.lead_partner.name,
            "title": decision.submission.title,
            "reference": decision.reference,
        },
        rows=rows,
        back=back,
    )


def tranche_reclaim(actor: User, decision: Decision, tranche: Tranche, amount: int, reason: str) -> Confirmation:
    left = tranche.amount - tranche.reclaimed_amount - amount
    rows = _decision_rows(decision) + [
        (_("Tranche"), str(tranche.year)),
        (_("Uitbetaald"), euro(tranche.amount)),
        (_("Al teruggevorderd"), euro(tranche.reclaimed_amount)),
        (_("Nu terugvorderen"), euro(amount)),
        (_("Reden"), reason.strip()),
        (_("Teruggevorderd door"), actor.display_name),
    ]
    return Confirmation(
        title=_("Geld terugvorderen?"),
        sentence=_(
            "U vordert %(amount)s terug van de tranche %(year)s bij %(partner)s voor ‘%(title)s’. Dit wordt "
            "vastgelegd en de coalitie krijgt bericht; daarna kan van deze tranche nog %(left)s worden teruggevorderd."
        )
        % {
            "amount": euro(amount),
            "year": tranche.year,
            "partner": decision.lead_partner.name,
            "title": decision.submission.title,
            "left": euro(left),
        },
        rows=rows,
    )


def amendment_approve(actor: User, amendment: Amendment, back: str) -> Confirmation:
    def split(tranches: dict) -> str:
        return "\n".join(f"{year}: {euro(amount)}" for year, amount in sorted(tranches.items()))

    decision = amendment.decision
    rows = _decision_rows(decision) + [
        (_("Reden"), amendment.reason),
        (_("Was"), f"{euro(amendment.amount_before)}\n{split(amendment.tranches_before)}"),
        (_("Wordt"), f"{euro(amendment.amount_after)}\n{split(amendment.tranches_after)}"),
        (_("Voorgesteld door"), amendment.proposed_by.display_name),
        (_("Vastgesteld door"), actor.display_name),
    ]
    return Confirmation(
        title=_("Wijziging vaststellen?"),
        sentence=_(
            "U stelt wijziging %(number)s van beschikking %(reference)s vast: het bedrag wordt %(after)s "
            "(was %(before)s). De reserveringen in het programma worden aangepast en de wijzigingsbrief wordt "
            "gemaakt; dit kan niet ongedaan worden gemaakt."
        )
        % {
            "number": amendment.number,
            "reference": decision.reference,
            "after": euro(amendment.amount_after),
            "before": euro(amendment.amount_before),
        },
        rows=rows,
        back=back,
    )
