"""Writes of funding: programmes, proposing, approving and rejecting decisions.

The rules an approval keeps, whatever else happens at the same moment:

* four eyes — the official who approves (or rejects) is not the one who proposed;
* mandate — the approver's mandate covers the amount awarded;
* second factor — the approver's session was verified with a one-time code
  (the caller passes ``verified``; API token requests never are);
* envelopes — per payment year, commitments never exceed the envelope, and
  the part reserved for lagging regions is never used by other regions. The
  envelope rows are locked in year order, so parallel approvals are
  serialised; check constraints on ``Envelope`` are the last line of defence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import GlobalRole, User
from accounts.permissions import has_global_role
from activity.events import record_event
from activity.models import Event
from activity.notifications import notify
from agendas import budget as budget_figures
from coalitions.models import Organisation
from core import background
from core.formatting import euro
from funding.models import (
    LEGAL_TEXT_MAX,
    TEXT_MAX,
    Decision,
    Envelope,
    Mandate,
    OfficialFunction,
    Programme,
    Tranche,
)
from funding.permissions import is_official
from regions.models import Region
from regions.profile import lags_overall
from regions.selectors import region_profile
from reviews.models import Advice, AdviceOutcome, Submission

FUNDABLE_OUTCOMES = (AdviceOutcome.POSITIVE, AdviceOutcome.CONDITIONAL)
AMOUNT_MAX = 100_000_000_000  # a hundred billion euros: far above any programme, far inside a bigint


class SecondFactorRequired(PermissionDenied):
    """Approving needs a session verified with a one-time code."""


def require_official(user: User) -> None:
    if not is_official(user):
        raise PermissionDenied


def is_fundable(submission: Submission, advice: Advice | None) -> bool:
    """Whether a decision may be proposed: the submission is advised, its positive (or conditional) advice published."""
    return (
        submission.status == Submission.Status.ADVISED
        and advice is not None
        and advice.published_at is not None
        and advice.outcome in FUNDABLE_OUTCOMES
    )


def is_amount(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= AMOUNT_MAX


def officials() -> list[User]:
    return list(User.objects.filter(groups__name=GlobalRole.RIJK_OFFICIAL, is_active=True))


# --- Programmes ----------------------------------------------------------------------


# A programme's own fields, as the page and the API pass them to programme_create.
PROGRAMME_FIELDS = (
    "name",
    "description",
    "start_year",
    "end_year",
    "min_cofinancing_percent",
    "reserved_percent",
    "lagging_min_themes",
    "ministry",
    "ministry_en",
    "legal_basis",
    "legal_basis_en",
)
# What the decision letters of a programme say (see Programme): the programme administrator may change them.
PROGRAMME_LETTER_FIELDS = ("description", "ministry", "ministry_en", "legal_basis", "legal_basis_en")
LETTER_FIELD_MAX = {
    "description": TEXT_MAX,
    "ministry": 200,
    "ministry_en": 200,
    "legal_basis": LEGAL_TEXT_MAX,
    "legal_basis_en": LEGAL_TEXT_MAX,
}


def programme_create(
    *,
    actor: User,
    name: str,
    start_year: int,
    end_year: int,
    envelopes: Mapping[int, int],
    min_cofinancing_percent: int = 50,
    reserved_percent: int = 30,
    lagging_min_themes: int = 3,
    description: str = "",
    ministry: str = "",
    ministry_en: str = "",
    legal_basis: str = "",
    legal_basis_en: str = "",
) -> Programme:
    """A programme with an envelope for every payment year of its period."""
    require_official(actor)
    texts, errors = _letter_texts(
        description=description,
        ministry=ministry,
        ministry_en=ministry_en,
        legal_basis=legal_basis,
        legal_basis_en=legal_basis_en,
    )
    name = (name or "").strip()
    if not name:
        errors.setdefault("name", []).append(_("Geef het programma een naam."))
    elif len(name) > 200:
        errors.setdefault("name", []).append(_("Hoogstens %(max)s tekens.") % {"max": 200})
    elif Programme.objects.filter(name__iexact=name).exists():
        errors.setdefault("name", []).append(_("Er is al een programma met deze naam."))
    if not (2000 <= start_year <= 2100 and 2000 <= end_year <= 2100) or end_year < start_year:
        errors.setdefault("end_year", []).append(
            _("Kies een periode tussen 2000 en 2100; het eindjaar niet voor het beginjaar.")
        )
    elif end_year - start_year >= 30:
        errors.setdefault("end_year", []).append(_("Een programma loopt hoogstens 30 jaar."))
    for field, value in (("min_cofinancing_percent", min_cofinancing_percent), ("reserved_percent", reserved_percent)):
        if not isinstance(value, int) or not 0 <= value <= 100:
            errors.setdefault(field, []).append(_("Een percentage van 0 tot en met 100."))
    if not isinstance(lagging_min_themes, int) or not 1 <= lagging_min_themes <= 30:
        errors.setdefault("lagging_min_themes", []).append(_("Een aantal thema's van 1 tot en met 30."))
    if "end_year" not in errors:
        years = set(range(start_year, end_year + 1))
        if set(envelopes) != years:
            errors.setdefault("envelopes", []).append(
                _("Geef een budget voor elk betaaljaar van %(start)s tot en met %(end)s, en alleen daarvoor.")
                % {"start": start_year, "end": end_year}
            )
        for year, amount in sorted(envelopes.items()):
            if not is_amount(amount):
                errors.setdefault("envelopes", []).append(
                    _("%(year)s: een budget is een positief bedrag in hele euro's.") % {"year": year}
                )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        programme = Programme.objects.create(
            name=name,
            slug=_unique_slug(name),
            **texts,
            start_year=start_year,
            end_year=end_year,
            min_cofinancing_percent=min_cofinancing_percent,
            reserved_percent=reserved_percent,
            lagging_min_themes=lagging_min_themes,
            created_by=actor,
        )
        Envelope.objects.bulk_create(
            Envelope(
                programme=programme,
                year=year,
                amount=amount,
                reserved_amount=amount * reserved_percent // 100,
            )
            for year, amount in sorted(envelopes.items())
        )
        record_event(actor=actor, verb="programme.created", target=programme, data={"name": name})
    return programme


def _letter_texts(**values: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The programme's texts stripped, and the errors of those too long."""
    texts = {field: (value or "").strip() for field, value in values.items()}
    errors: dict[str, list[str]] = {}
    for field, text in texts.items():
        if len(text) > LETTER_FIELD_MAX[field]:
            errors.setdefault(field, []).append(_("Hoogstens %(max)s tekens.") % {"max": LETTER_FIELD_MAX[field]})
    return texts, errors


def may_edit_programme(user) -> bool:
    """The texts of a programme and its letters are the programme administrator's (a platform administrator's too)."""
    return has_global_role(user, GlobalRole.PROGRAMME_ADMIN, GlobalRole.PLATFORM_ADMIN)


def programme_update(*, actor: User, programme_id: int, **texts: str) -> Programme:
    """Change what a programme's letters say: its description, ministry and legal basis (``PROGRAMME_LETTER_FIELDS``).

    Before: the actor may edit programmes. After: the fields hold the
    stripped texts, a ``programme.updated`` event names the fields that
    changed. Letters already made keep what they said; new letters use the new texts.
    """
    if not may_edit_programme(actor):
        raise PermissionDenied(_("Alleen een programmabeheerder wijzigt een programma."))
    unknown = set(texts) - set(PROGRAMME_LETTER_FIELDS)
    if unknown:
        raise ValueError(f"Not a programme text: {sorted(unknown)}")
    values, errors = _letter_texts(**texts)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme_id)
        changed = [field for field, value in values.items() if getattr(programme, field) != value]
        if not changed:
            return programme
        for field in changed:
            setattr(programme, field, values[field])
        programme.save(update_fields=changed)
        record_event(
            actor=actor,
            verb="programme.updated",
            target=programme,
            data={"programme_id": programme.pk, "name": programme.name, "fields": changed},
        )
    return programme


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "programma"
    slug, n = base, 1
    while Programme.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def may_manage_mandates(user) -> bool:
    """Programme administrators delegate mandates to Rijk officials; a platform administrator may do anything."""
    return has_global_role(user, GlobalRole.PROGRAMME_ADMIN, GlobalRole.PLATFORM_ADMIN)


def mandate_set(*, actor: User | None, user: User, limit: int, by_invitation: bool = False) -> Mandate:
    """Set or change an official's mandate: the highest amount they may approve.

    Before: the actor may manage mandates (with ``by_invitation``: the actor
    invited the official with this mandate, which was checked when it was
    sent); ``user`` is a Rijk official; ``limit`` is a positive whole number
    of euros. After: the mandate holds ``limit`` and a ``mandate.set`` event
    says who changed it from what. The row is locked while it changes, so an
    approval that already read the old limit (``check_mandate``) commits first.
    """
    if not by_invitation and not (actor is not None and may_manage_mandates(actor)):
        raise PermissionDenied(_("Alleen een programmabeheerder stelt mandaten vast."))
    if not has_global_role(user, GlobalRole.RIJK_OFFICIAL):
        raise ValidationError({"user": _("Alleen rijksambtenaren hebben een mandaat.")})
    if not is_amount(limit):
        raise ValidationError({"limit": _("Een mandaat is een positief bedrag in hele euro's.")})
    with transaction.atomic():
        previous = Mandate.objects.select_for_update().filter(user=user).values_list("limit", flat=True).first()
        mandate, _created = Mandate.objects.update_or_create(user=user, defaults={"limit": limit, "granted_by": actor})
        record_event(
            actor=actor,
            verb="mandate.set",
            target=user,
            data={"user_id": user.pk, "name": user.display_name, "amount": limit, "previous": previous},
        )
    return mandate


def official_function_set(*, actor: User, user: User, function: str, function_en: str = "") -> OfficialFunction | None:
    """Set or clear a Rijk official's function, as it stands under the letters they sign.

    Before: the actor may manage mandates; ``user`` is a Rijk official. After:
    the function holds the stripped texts (none when ``function`` is empty;
    an English one alone is not enough) and an ``official.function_set`` event
    says what it was.
    """
    if not may_manage_mandates(actor):
        raise PermissionDenied(_("Alleen een programmabeheerder stelt functies van ambtenaren vast."))
    if not has_global_role(user, GlobalRole.RIJK_OFFICIAL):
        raise ValidationError({"user": _("Alleen rijksambtenaren ondertekenen beschikkingen.")})
    function, function_en = (function or "").strip(), (function_en or "").strip()
    errors: dict[str, list[str]] = {}
    for field, text in (("function", function), ("function_en", function_en)):
        if len(text) > 200:
            errors.setdefault(field, []).append(_("Hoogstens %(max)s tekens.") % {"max": 200})
    if function_en and not function:
        errors.setdefault("function", []).append(_("Geef de functie ook in het Nederlands."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        previous = OfficialFunction.objects.select_for_update().filter(user=user).first()
        before = previous.function if previous else ""
        if not function:
            if previous:
                previous.delete()
            result = None
        else:
            result, _created = OfficialFunction.objects.update_or_create(
                user=user, defaults={"function": function, "function_en": function_en, "updated_by": actor}
            )
        if (before, previous.function_en if previous else "") != (function, function_en):
            record_event(
                actor=actor,
                verb="official.function_set",
                target=user,
                data={"user_id": user.pk, "name": user.display_name, "function": function, "previous": before},
            )
    return result


def mandate_withdraw(*, actor: User, user_id: int) -> None:
    """Withdraw an official's mandate: they stay a Rijk official (propose, read) but can no longer approve.

    The row is locked before it is deleted: an approval holding it finishes
    first, and one that starts after reads no mandate.
    """
    if not may_manage_mandates(actor):
        raise PermissionDenied(_("Alleen een programmabeheerder trekt mandaten in."))
    with transaction.atomic():
        mandate = Mandate.objects.select_for_update(of=("self",)).select_related("user").filter(user_id=user_id).first()
        if mandate is None:
            raise ValidationError(_("Deze ambtenaar heeft geen mandaat (meer)."))
        official = mandate.user
        record_event(
            actor=actor,
            verb="mandate.withdrawn",
            target=official,
            data={"user_id": official.pk, "name": official.display_name, "amount": mandate.limit},
        )
        mandate.delete()


# --- What a submission asks, and the region's position ----------------------------------------


def submission_budget(submission: Submission) -> budget_figures.BudgetSummary:
    snapshot = submission.snapshot
    lines = [
        budget_figures.Line(line["year"], line["source"], line["amount"])
        for priority in snapshot.get("priorities", [])
        for measure in priority.get("measures", [])
        for line in measure.get("budget", [])
    ]
    return budget_figures.summarise(lines, range(snapshot["start_year"], snapshot["end_year"] + 1))


def cofinancing_percent(summary: budget_figures.BudgetSummary, awarded: int) -> Decimal:
    """The share of the funded agenda not paid by the Rijk: other sources / (other sources + awarded)."""
    other = summary.total - summary.rijk_total
    if other + awarded == 0:
        return Decimal("0.0")
    share = Fraction(100 * other, other + awarded)
    return (Decimal(share.numerator) / Decimal(share.denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def envelope_allocation(envelope: Envelope, amount: int, *, lagging: bool) -> tuple[int, int] | None:
    """(from reserved, from open) for a tranche, or None when the year's envelope cannot carry it.

    A lagging region uses the reserved part first, then the open part; other
    regions only the open part.
    """
    reserved_free = envelope.reserved_amount - envelope.committed_reserved if lagging else 0
    from_reserved = min(amount, reserved_free)
    from_open = amount - from_reserved
    if from_open > envelope.open_amount - envelope.committed_open:
        return None
    return from_reserved, from_open


def available_for(envelope: Envelope, *, lagging: bool) -> int:
    reserved_free = envelope.reserved_amount - envelope.committed_reserved if lagging else 0
    return reserved_free + envelope.open_amount - envelope.committed_open


# --- Decisions -----------------------------------------------------------------------------


def tranche_errors(tranches: Mapping[int, int], *, snapshot: dict, programme: Programme) -> list[str]:
    """What is wrong with a split into yearly tranches: years outside the agenda or programme, bad amounts."""
    problems = []
    period = range(snapshot["start_year"], snapshot["end_year"] + 1)
    if not tranches:
        problems.append(_("Verdeel het bedrag over minstens één jaar."))
    for year, amount in sorted(tranches.items()):
        if year not in period:
            problems.append(
                _("%(year)s ligt buiten de looptijd van de agenda (%(start)s–%(end)s).")
                % {"year": year, "start": period.start, "end": period.stop - 1}
            )
        elif year not in programme.years:
            problems.append(
                _("%(year)s ligt buiten het programma (%(start)s–%(end)s).")
                % {"year": year, "start": programme.start_year, "end": programme.end_year}
            )
        if not is_amount(amount):
            problems.append(_("%(year)s: een tranche is een positief bedrag in hele euro's.") % {"year": year})
    return problems


def decision_propose(
    *,
    actor: User,
    submission_id: int,
    programme_id: int,
    amount_awarded: int,
    tranches: Mapping[int, int],
    difference_explanation: str = "",
    conditions: str = "",
    cofinancing_exception: str = "",
) -> Decision:
    """An official proposes a decision for a submission with positive (or conditional) published advice.

    Loads what the proposal rests on, checks it (``proposal_errors``) and
    saves the decision with its tranches; a ValidationError changes nothing.
    """
    require_official(actor)
    difference_explanation = (difference_explanation or "").strip()
    conditions = (conditions or "").strip()
    cofinancing_exception = (cofinancing_exception or "").strip()
    submission = Submission.objects.select_related("agenda", "round").filter(pk=submission_id).first()
    if submission is None:
        raise ValidationError({"submission": _("Onbekende indiening.")})
    advice = Advice.objects.filter(submission=submission).first()
    if not is_fundable(submission, advice):
        raise ValidationError(_("Alleen een agenda met een gepubliceerd positief advies kan financiering krijgen."))
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        raise ValidationError({"programme": _("Kies een financieringsprogramma.")})
    summary = submission_budget(submission)
    region = Region.objects.get(code=submission.snapshot["region"]["code"])
    profile = region_profile(region)
    lagging = lags_overall(profile.accumulated_deficit, programme.lagging_min_themes)
    cofinancing = cofinancing_percent(summary, amount_awarded if is_amount(amount_awarded) else summary.rijk_total)
    errors = proposal_errors(
        snapshot=submission.snapshot,
        programme=programme,
        requested=summary.rijk_total,
        lagging=lagging,
        cofinancing=cofinancing,
        amount_awarded=amount_awarded,
        tranches=tranches,
        texts={
            "difference_explanation": difference_explanation,
            "conditions": conditions,
            "cofinancing_exception": cofinancing_exception,
        },
        envelopes=lambda: {e.year: e for e in programme.envelopes.filter(year__in=list(tranches))},
    )
    if errors:
        raise ValidationError(errors)
    lead_partner = Organisation.objects.filter(pk=(submission.snapshot.get("lead_partner") or {}).get("id")).first()
    if lead_partner is None:
        # The completeness rules require a lead partner before submitting; a snapshot without one is not fundable.
        raise ValidationError(_("De ingediende agenda noemt geen penvoerder om de beschikking aan te richten."))
    with transaction.atomic():
        previous = Decision.objects.filter(submission=submission).count()
        try:
            with transaction.atomic():
                decision = Decision.objects.create(
                    programme=programme,
                    submission=submission,
                    reference=f"BW-{programme.start_year}-{submission.pk:05d}-{previous + 1}",
                    lead_partner=lead_partner,
                    region=region,
                    amount_requested=summary.rijk_total,
                    amount_awarded=amount_awarded,
                    difference_explanation=difference_explanation,
                    conditions=conditions,
                    accumulated_deficit=profile.accumulated_deficit,
                    lagging=lagging,
                    profile_version=profile.version,
                    dataset_versions=dict(profile.dataset_versions),
                    cofinancing_percent=cofinancing,
                    cofinancing_exception=cofinancing_exception
                    if cofinancing < programme.min_cofinancing_percent
                    else "",
                    proposed_by=actor,
                )
        except IntegrityError:
            raise ValidationError(_("Voor deze indiening is al een beschikking voorgesteld of vastgesteld.")) from None
        Tranche.objects.bulk_create(
            Tranche(decision=decision, year=year, amount=amount) for year, amount in sorted(tranches.items())
        )
        event = record_event(
            actor=actor,
            verb="decision.proposed",
            target=decision,
            data={"decision_id": decision.pk, "reference": decision.reference, "title": submission.title},
        )
        notify(event=event, recipients=[u for u in officials() if u.pk != actor.pk])
    return decision


def proposal_errors(
    *,
    snapshot: dict,
    programme: Programme,
    requested: int,
    lagging: bool,
    cofinancing,
    amount_awarded,
    tranches: Mapping[int, int],
    texts: Mapping[str, str],
    envelopes: Callable[[], dict[int, Envelope]],
) -> dict[str, list[str]]:
    """Every field error of a proposal; empty when it may be saved.

    ``texts`` are the stripped explanation, conditions and cofinancing
    exception by field name. ``envelopes`` is called (one query) only when
    everything else is right: only then is the room in each year checked.
    """
    errors: dict[str, list[str]] = {}
    if not is_amount(amount_awarded):
        errors.setdefault("amount_awarded", []).append(
            _("Het toegekende bedrag is een positief bedrag in hele euro's.")
        )
    elif amount_awarded > requested:
        errors.setdefault("amount_awarded", []).append(
            _("Hoger dan gevraagd (%(requested)s).") % {"requested": euro(requested)}
        )
    elif amount_awarded < requested and not texts["difference_explanation"]:
        errors.setdefault("difference_explanation", []).append(
            _("Licht toe waarom minder wordt toegekend dan de gevraagde %(requested)s.")
            % {"requested": euro(requested)}
        )
    for field, text in texts.items():
        if len(text) > TEXT_MAX:
            errors.setdefault(field, []).append(_("Hoogstens %(max)s tekens.") % {"max": TEXT_MAX})

    tranche_problems = tranche_errors(tranches, snapshot=snapshot, programme=programme)
    if tranche_problems:
        errors.setdefault("tranches", []).extend(tranche_problems)
    if "amount_awarded" not in errors and all(is_amount(a) for a in tranches.values()):
        total = sum(tranches.values())
        if tranches and total != amount_awarded:
            errors.setdefault("tranches", []).append(
                _("De tranches tellen op tot %(total)s, niet tot het toegekende %(awarded)s.")
                % {"total": euro(total), "awarded": euro(amount_awarded)}
            )

    if cofinancing < programme.min_cofinancing_percent:
        if not lagging:
            errors.setdefault("amount_awarded", []).append(
                _(
                    "De cofinanciering is %(share)s%%, minder dan de vereiste %(min)s%%; een uitzondering kan alleen "
                    "voor een achterstandsregio."
                )
                % {"share": cofinancing, "min": programme.min_cofinancing_percent}
            )
        elif not texts["cofinancing_exception"]:
            errors.setdefault("cofinancing_exception", []).append(
                _("De cofinanciering is %(share)s%%, minder dan %(min)s%%: onderbouw de uitzondering.")
                % {"share": cofinancing, "min": programme.min_cofinancing_percent}
            )
    if not errors:
        in_programme = envelopes()
        for year, amount in sorted(tranches.items()):
            envelope = in_programme.get(year)
            if envelope is None or envelope_allocation(envelope, amount, lagging=lagging) is None:
                free = available_for(envelope, lagging=lagging) if envelope else 0
                errors.setdefault("tranches", []).append(
                    _("%(year)s: nog %(free)s beschikbaar in het budget van het programma.")
                    % {"year": year, "free": euro(free)}
                )
    return errors


def check_mandate(actor: User, amount: int) -> None:
    """The approver's mandate covers ``amount``, or a ValidationError says whose is needed.

    Called inside the approval's transaction: the mandate row stays locked
    until the approval commits, so a programme administrator lowering or
    withdrawing it at the same moment waits, and an approval that starts
    after the change reads the new limit (never one read before it).
    """
    mandate = Mandate.objects.select_for_update().filter(user=actor).first()
    if mandate is None:
        raise ValidationError(
            _(
                "U heeft geen mandaat om vast te stellen; "
                "een ambtenaar met een mandaat van ten minste %(amount)s stelt vast."
            )
            % {"amount": euro(amount)}
        )
    if mandate.limit < amount:
        limit = euro(mandate.limit)
        raise ValidationError(
            _(
                "Uw mandaat (%(limit)s) is lager dan het bedrag (%(amount)s); "
                "een ambtenaar met een hoger mandaat stelt vast."
            )
            % {"limit": limit, "amount": euro(amount)}
        )


def decision_approve(*, actor: User, decision_id: int, verified: bool) -> Decision:
    """A second official approves: four eyes, mandate, second factor, and room in every year's envelope."""
    require_official(actor)
    if not verified:
        raise SecondFactorRequired(_("Vaststellen kan alleen na bevestiging met een eenmalige code."))
    with transaction.atomic():
        decision = Decision.objects.select_for_update().select_related("submission").get(pk=decision_id)
        if decision.status != Decision.Status.PROPOSED:
            raise ValidationError(
                _("Deze beschikking is al %(status)s.") % {"status": decision.get_status_display().lower()}
            )
        decision.require_second_official(actor, approving=True)
        check_mandate(actor, decision.amount_awarded)
        tranches = list(decision.tranches.order_by("year"))
        # Locked in year order: two approvals touching the same years wait for each other, never deadlock.
        envelopes = {
            e.year: e
            for e in Envelope.objects.select_for_update()
            .filter(programme_id=decision.programme_id, year__in=[t.year for t in tranches])
            .order_by("year")
        }
        problems = []
        allocations = {}
        for tranche in tranches:
            envelope = envelopes.get(tranche.year)
            allocation = envelope_allocation(envelope, tranche.amount, lagging=decision.lagging) if envelope else None
            if allocation is None:
                free = available_for(envelope, lagging=decision.lagging) if envelope else 0
                problems.append(
                    _("%(year)s: nog %(free)s beschikbaar, de tranche is %(amount)s.")
                    % {"year": tranche.year, "free": euro(free), "amount": euro(tranche.amount)}
                )
            allocations[tranche.pk] = allocation
        if problems:
            raise ValidationError({"tranches": problems})
        for tranche in tranches:
            from_reserved, from_open = allocations[tranche.pk]
            Envelope.objects.filter(pk=envelopes[tranche.year].pk).update(
                committed_reserved=F("committed_reserved") + from_reserved,
                committed_open=F("committed_open") + from_open,
            )
            tranche.from_reserved, tranche.from_open = from_reserved, from_open
        Tranche.objects.bulk_update(tranches, ["from_reserved", "from_open"])
        decision.status = Decision.Status.APPROVED
        decision.decided_by = actor
        decision.decided_at = timezone.now()
        decision.save(update_fields=["status", "decided_by", "decided_at"])
        _decided_event(actor, decision, "decision.approved")
        from funding import tasks

        # After the commit; a letter the broker did not take a message for is made by the sweep (funding.tasks).
        background.enqueue_on_commit(tasks.make_decision_letter, decision.pk)
    return decision


def rejection_reason(reason: str) -> str:
    """The reason for rejecting a proposal, stripped; a ValidationError on ``reason`` when empty or too long."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Geef een reden.")})
    if len(reason) > TEXT_MAX:
        raise ValidationError({"reason": _("Hoogstens %(max)s tekens.") % {"max": TEXT_MAX}})
    return reason


def decision_reject(*, actor: User, decision_id: int, reason: str) -> Decision:
    """A second official rejects the proposal, with a reason; nothing is committed."""
    require_official(actor)
    reason = rejection_reason(reason)
    with transaction.atomic():
        decision = Decision.objects.select_for_update().select_related("submission").get(pk=decision_id)
        if decision.status != Decision.Status.PROPOSED:
            raise ValidationError(
                _("Deze beschikking is al %(status)s.") % {"status": decision.get_status_display().lower()}
            )
        decision.require_second_official(actor, approving=False)
        decision.status = Decision.Status.REJECTED
        decision.decided_by = actor
        decision.decided_at = timezone.now()
        decision.rejection_reason = reason
        decision.save(update_fields=["status", "decided_by", "decided_at", "rejection_reason"])
        _decided_event(actor, decision, "decision.rejected")
    return decision


def decision_event(actor: User, decision: Decision, verb: str, **extra) -> Event:
    """The event of something done to a decision, in the coalition's history too."""
    submission = decision.submission
    return record_event(
        actor=actor,
        verb=verb,
        target=decision,
        coalition_id=submission.agenda.coalition_id,
        data={
            "decision_id": decision.pk,
            "reference": decision.reference,
            "title": submission.title,
            "amount": decision.amount_awarded,
            **extra,
        },
    )


def _decided_event(actor: User, decision: Decision, verb: str) -> None:
    event = decision_event(actor, decision, verb)
    members = User.objects.filter(
        coalition_memberships__coalition_id=decision.submission.agenda.coalition_id, is_active=True
    )
    proposer = [decision.proposed_by] if decision.proposed_by else []
    recipients = proposer + (list(members) if verb == "decision.approved" else [])
    notify(event=event, recipients=recipients)
