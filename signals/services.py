"""Writes of signals: filing, the ministry's steps, escalation, and the catalogue of ministries.

Each service takes keyword arguments and the ``actor``, checks who may act
(``signals.permissions``) before anything else, checks the state against the
table (``signals.workflow``) on the locked row, validates every field at once
(a ``ValidationError`` keyed by field: nothing is changed), saves with
``update_fields``, writes a ``SignalStep`` (the history the pages show) and
an event with its notifications, all in one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import GlobalRole, User
from activity.events import record_event
from activity.notifications import notify
from agendas.models import Agenda, Measure, Priority
from agendas.text import normalise_text
from coalitions.models import CoalitionMembership, CoalitionRole, Organisation
from core.formatting import figure
from core.references import save_with_reference
from regions.models import Region, Theme
from signals import permissions, workflow
from signals.models import (
    ACKNOWLEDGE_DAYS_MAX,
    ANSWER_DAYS_MAX,
    ANSWER_MAX,
    BODY_MAX,
    REASON_MAX,
    TITLE_MAX,
    Ministry,
    MinistryOfficial,
    Signal,
    SignalStep,
)
from signals.working_days import add_working_days, working_days_between

ID_MAX = 2**63 - 1
OUTCOME = Signal.Outcome
# How many overdue signals one sweep escalates; the next sweep (a minute later) takes the rest.
ESCALATION_BATCH = 200


def is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= ID_MAX


def due_dates(ministry: Ministry, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(acknowledge by, answer by) for a signal the ministry got on ``day``."""
    return add_working_days(day, ministry.acknowledge_days), add_working_days(day, ministry.answer_days)


# --- filing ----------------------------------------------------------------------------------


def region_choices(agenda: Agenda) -> list[Region]:
    """The regions a signal about ``agenda`` may name: the agenda's region, then its municipalities by name."""
    municipalities = (
        agenda.region.municipalities.exclude(pk=agenda.region_id).order_by("name").only("code", "name", "kind")
    )
    return [agenda.region, *municipalities]


def blocked_part(agenda: Agenda, priority_id, measure_id, errors: dict) -> tuple[Priority | None, Measure | None]:
    """The priority and measure the signal names, both of ``agenda``; a measure alone brings its priority."""
    priority = measure = None
    if measure_id not in (None, ""):
        measure = Measure.objects.filter(pk=measure_id, agenda=agenda).first() if is_id(measure_id) else None
        if measure is None:
            errors["measure"] = _("Kies een maatregel van deze agenda.")
    if priority_id not in (None, ""):
        priority = Priority.objects.filter(pk=priority_id, agenda=agenda).first() if is_id(priority_id) else None
        if priority is None:
            errors["priority"] = _("Kies een prioriteit van deze agenda.")
    if measure is not None and priority is not None and measure.priority_id != priority.pk:
        errors["measure"] = _("Deze maatregel hoort niet bij de gekozen prioriteit.")
    if measure is not None and priority is None and "priority" not in errors:
        priority = measure.priority
    if priority is None and measure is None and not ({"priority", "measure"} & errors.keys()):
        errors["priority"] = _("Kies de prioriteit of maatregel die het signaal blokkeert.")
    return priority, measure


def blocks(priority: Priority | None, measure: Measure | None) -> tuple[str, str]:
    """(kind, title) of what the signal blocks, kept with it: the kind's word is said when it is read."""
    if measure is not None:
        return Signal.BlocksKind.MEASURE, measure.title[:300]
    if priority is not None:
        return Signal.BlocksKind.PRIORITY, priority.title[:300]
    return "", ""


def next_reference(year: int) -> str:
    """The next free "SIG-<year>-<nnnn>" (the caller saves it; a clash with a parallel filing is retried)."""
    prefix = f"SIG-{year}-"
    last = (
        Signal.objects.filter(reference__startswith=prefix).order_by("-pk").values_list("reference", flat=True).first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last and last.removeprefix(prefix).isdigit() else 1
    return f"{prefix}{number:04d}"


def signal_file(
    *,
    actor: User,
    agenda_id: int,
    ministry_id: int,
    title: str,
    body: str,
    kind: str,
    region_code: str | None = None,
    priority_id: int | None = None,
    measure_id: int | None = None,
    organisation_id: int | None = None,
    theme_codes: Iterable[str] = (),
    is_public: bool = True,
    not_public_reason: str = "",
) -> Signal:
    """A coordinator or editor files a signal about their coalition's agenda, addressed to a ministry.

    Before: ``actor`` is a member of the agenda's coalition (else a field
    error on ``agenda``, which names no other coalition's agenda) with the
    coordinator or editor role (else ``PermissionDenied``). The ministry is
    active; the priority and/or measure belong to the agenda (at least one);
    the region is the agenda's or one of its municipalities (default: the
    agenda's); the organisation is one the actor may file for (default: the
    one their membership names); title and body are not empty; a signal that
    is not public says why. Every failing field is reported at once and
    nothing is saved.

    After: the signal is filed with its reference, due dates in working days
    from today, a "filed" step, and a ``signal.filed`` event notifying the
    ministry's officials.
    """
    agenda = (
        Agenda.objects.select_related("coalition", "region").filter(pk=agenda_id).first() if is_id(agenda_id) else None
    )
    if agenda is None or not permissions.is_member(actor, agenda.coalition):
        raise ValidationError({"agenda": _("Onbekende agenda: kies een agenda van uw eigen coalitie.")})
    coalition = agenda.coalition
    if not permissions.may_file(actor, coalition):
        raise PermissionDenied(_("Alleen coördinatoren en redacteuren van de coalitie dienen signalen in."))

    errors: dict[str, str] = {}
    ministry = Ministry.objects.filter(pk=ministry_id, is_active=True).first() if is_id(ministry_id) else None
    if ministry is None:
        errors["ministry"] = _("Kies een ministerie uit de lijst.")
    priority, measure = blocked_part(agenda, priority_id, measure_id, errors)

    allowed_regions = {region.code: region for region in region_choices(agenda)}
    region = agenda.region if region_code in (None, "") else allowed_regions.get(region_code)
    if region is None:
        errors["region"] = _("Kies de regio van de agenda of een van haar gemeenten.")

    allowed_organisations = permissions.organisations_to_file_for(actor, coalition)
    if organisation_id in (None, ""):
        own = CoalitionMembership.objects.filter(coalition=coalition, user=actor).values_list(
            "organisation_id", flat=True
        )
        organisation_id = next(iter(own), None)
    if organisation_id not in allowed_organisations:
        errors["organisation"] = _(
            "Kies een partnerorganisatie van de coalitie namens wie u indient (als redacteur: de organisatie die u "
            "vertegenwoordigt)."
        )

    theme_codes = list(dict.fromkeys(theme_codes or ()))
    themes = list(Theme.objects.filter(code__in=[code for code in theme_codes if isinstance(code, str)]))
    if len(themes) != len(theme_codes):
        errors["themes"] = _("Onbekend thema: kies thema's uit de lijst.")

    title, body = normalise_text(title or ""), normalise_text(body or "")
    not_public_reason = normalise_text(not_public_reason or "") if not is_public else ""
    if not title:
        errors["title"] = _("Geef het signaal een titel.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("Hoogstens %(max)s tekens.") % {"max": figure(TITLE_MAX)}
    if not body:
        errors["body"] = _("Beschrijf welke regel, welk programma of besluit wat in de agenda blokkeert.")
    elif len(body) > BODY_MAX:
        errors["body"] = _("Hoogstens %(max)s tekens.") % {"max": figure(BODY_MAX)}
    if kind not in Signal.Kind.values:
        errors["kind"] = _("Kies wat voor regel het is.")
    if not is_public and not not_public_reason:
        errors["not_public_reason"] = _("Zeg waarom dit signaal niet openbaar is: openbaar is de norm.")
    elif len(not_public_reason) > REASON_MAX:
        errors["not_public_reason"] = _("Hoogstens %(max)s tekens.") % {"max": figure(REASON_MAX)}
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    acknowledge_due, answer_due = due_dates(ministry, timezone.localdate(now))
    blocks_kind, blocks_title = blocks(priority, measure)
    signal = Signal(
        coalition=coalition,
        organisation_id=organisation_id,
        filed_by=actor,
        region=region,
        ministry=ministry,
        agenda=agenda,
        priority=priority,
        measure=measure,
        blocks_kind=blocks_kind,
        blocks_label=blocks_title,
        title=title,
        body=body,
        kind=kind,
        is_public=bool(is_public),
        not_public_reason=not_public_reason,
        filed_at=now,
        addressed_at=now,
        acknowledge_due=acknowledge_due,
        answer_due=answer_due,
    )
    signal.full_clean(exclude=["reference"])
    with transaction.atomic():
        save_with_reference(signal, lambda: next_reference(timezone.localdate(now).year))
        signal.themes.set(themes)
        SignalStep.objects.create(signal=signal, kind=SignalStep.Kind.FILED, at=now, actor=actor, ministry=ministry)
        event = _event(actor, "signal.filed", signal)
        notify(event=event, recipients=officials_of(ministry.pk))
    return signal


# --- the ministry's steps ----------------------------------------------------------------------


def officials_of(ministry_id: int) -> list[User]:
    return list(
        User.objects.filter(
            ministry_roles__ministry_id=ministry_id, is_active=True, groups__name=GlobalRole.RIJK_OFFICIAL
        ).distinct()
    )


def coalition_side(signal: Signal) -> list[User]:
    """Who hears of the ministry's steps: the coalition's coordinators and whoever filed it (if still a member)."""
    return list(
        User.objects.filter(
            Q(coalition_memberships__role=CoalitionRole.COORDINATOR) | Q(pk=signal.filed_by_id),
            coalition_memberships__coalition_id=signal.coalition_id,
            is_active=True,
        ).distinct()
    )


def _event(actor: User | None, verb: str, signal: Signal, **extra):
    data = {
        "signal_id": signal.pk,
        "reference": signal.reference,
        "title": signal.title,
        "where": signal.ministry.name,
        "ministry_id": signal.ministry_id,
        **extra,
    }
    return record_event(actor=actor, verb=verb, target=signal, coalition_id=signal.coalition_id, data=data)


def _locked(signal_id: int, actor: User, action: str) -> Signal:
    """The signal row, locked; who may act is checked before the state (``signals.workflow``)."""
    signal = Signal.objects.select_for_update().select_related("ministry").filter(pk=signal_id).first()
    if signal is None:
        raise Signal.DoesNotExist
    if not permissions.can_act_on(actor, signal):
        raise PermissionDenied(
            _("Alleen ambtenaren van het ministerie waaraan het signaal is gericht, handelen het af.")
        )
    workflow.rule(signal.status, action)
    return signal


def signal_acknowledge(*, actor: User, signal_id: int) -> Signal:
    """An official of the addressed ministry confirms receipt. After: acknowledged, a step and an event."""
    with transaction.atomic():
        signal = _locked(signal_id, actor, "acknowledge")
        now = timezone.now()
        signal.status = workflow.rule(signal.status, "acknowledge").target
        signal.acknowledged_at = now
        signal.save(update_fields=["status", "acknowledged_at"])
        SignalStep.objects.create(
            signal=signal, kind=SignalStep.Kind.ACKNOWLEDGED, at=now, actor=actor, ministry=signal.ministry
        )
        notify(event=_event(actor, "signal.acknowledged", signal), recipients=coalition_side(signal))
    return signal


def signal_answer(
    *, actor: User, signal_id: int, outcome: str, text: str, forward_to_ministry_id: int | None = None
) -> Signal:
    """An official of the addressed ministry answers: accepted, not possible, or forwarded to another ministry.

    Before: the actor is an official of the addressed ministry; the signal is
    filed or acknowledged; the outcome is one of the three; the text (what the
    ministry does, the reasons, or why the other ministry) is not empty; a
    forward names another active ministry. Every failing field at once,
    nothing changed.

    After, for *accepted* and *not possible*: answered with the outcome and the
    text, an "answered" step with the working days it took and whether by the
    due date, a ``signal.answered`` event to the coalition's coordinators and
    the filer. For *forwarded*: addressed to the other ministry, filed there
    again with new due dates from today and no escalation, a "forwarded" step
    (the forwarding ministry's answer), a ``signal.forwarded`` event to the
    coalition's side and the new ministry's officials.
    """
    action = "forward" if outcome == OUTCOME.FORWARDED else "answer"
    with transaction.atomic():
        signal = _locked(signal_id, actor, action)
        errors: dict[str, str] = {}
        if outcome not in OUTCOME.values:
            errors["outcome"] = _("Kies een uitkomst: overgenomen, niet mogelijk of doorgestuurd.")
        text = normalise_text(text or "")
        if not text:
            errors["text"] = (
                _("Zeg waarom het niet mogelijk is.")
                if outcome == OUTCOME.NOT_POSSIBLE
                else _("Licht het antwoord toe: wat doet het ministerie, of waarom het andere ministerie?")
            )
        elif len(text) > ANSWER_MAX:
            errors["text"] = _("Hoogstens %(max)s tekens.") % {"max": figure(ANSWER_MAX)}
        target = None
        if outcome == OUTCOME.FORWARDED:
            if forward_to_ministry_id in (None, ""):
                errors["forward_to"] = _("Kies het ministerie waarnaar u het signaal doorstuurt.")
            elif forward_to_ministry_id == signal.ministry_id:
                errors["forward_to"] = _("Kies een ander ministerie dan dat waaraan het signaal nu is gericht.")
            else:
                target = (
                    Ministry.objects.filter(pk=forward_to_ministry_id, is_active=True).first()
                    if is_id(forward_to_ministry_id)
                    else None
                )
                if target is None:
                    errors["forward_to"] = _("Kies een ministerie uit de lijst.")
        if errors:
            raise ValidationError(errors)

        now = timezone.now()
        today = timezone.localdate(now)
        step = SignalStep(
            signal=signal,
            kind=SignalStep.Kind.FORWARDED if target else SignalStep.Kind.ANSWERED,
            at=now,
            actor=actor,
            ministry=signal.ministry,
            to_ministry=target,
            outcome=outcome,
            text=text,
            working_days=working_days_between(timezone.localdate(signal.addressed_at), today),
            in_time=today <= signal.answer_due,
        )
        step.save()
        if target is not None:
            signal.ministry = target
            signal.status = workflow.rule(signal.status, "forward").target
            signal.addressed_at = now
            signal.acknowledge_due, signal.answer_due = due_dates(target, today)
            signal.acknowledged_at = signal.escalated_at = None
            signal.save(
                update_fields=[
                    "ministry",
                    "status",
                    "addressed_at",
                    "acknowledge_due",
                    "answer_due",
                    "acknowledged_at",
                    "escalated_at",
                ]
            )
            event = _event(actor, "signal.forwarded", signal, from_ministry=step.ministry.name)
            notify(event=event, recipients=[*coalition_side(signal), *officials_of(target.pk)])
        else:
            signal.status = workflow.rule(signal.status, "answer").target
            signal.outcome, signal.answer, signal.answered_by, signal.answered_at = outcome, text, actor, now
            signal.acknowledged_at = signal.acknowledged_at or now
            signal.save(update_fields=["status", "outcome", "answer", "answered_by", "answered_at", "acknowledged_at"])
            notify(event=_event(actor, "signal.answered", signal), recipients=coalition_side(signal))
    return signal


def signal_close(*, actor: User, signal_id: int) -> Signal:
    """An official of the addressed ministry closes an answered signal. After: closed, a step and an event."""
    with transaction.atomic():
        signal = _locked(signal_id, actor, "close")
        now = timezone.now()
        signal.status = workflow.rule(signal.status, "close").target
        signal.closed_at = now
        signal.save(update_fields=["status", "closed_at"])
        SignalStep.objects.create(
            signal=signal, kind=SignalStep.Kind.CLOSED, at=now, actor=actor, ministry=signal.ministry
        )
        notify(event=_event(actor, "signal.closed", signal), recipients=coalition_side(signal))
    return signal


# --- escalation ---------------------------------------------------------------------------------


def overdue_filter(today: datetime.date) -> Q:
    """Open signals past a due date of their current addressing, not yet escalated (``Signal.is_overdue``)."""
    return Q(escalated_at__isnull=True) & (
        Q(status=Signal.Status.FILED, acknowledge_due__lt=today) | Q(status__in=Signal.OPEN, answer_due__lt=today)
    )


def programme_administrators() -> list[User]:
    return list(User.objects.filter(groups__name=GlobalRole.PROGRAMME_ADMIN, is_active=True).distinct())


def signals_escalate_overdue(*, today: datetime.date | None = None) -> int:
    """Escalate every overdue signal to the programme administrators, once per addressing; returns how many.

    Runs in the sweep of background work every minute (``core.background``).
    Idempotent: each signal is locked and checked again before it is marked
    (``escalated_at``), so two sweeps at once escalate it once. A forward
    starts a new addressing (``escalated_at`` is cleared), which may escalate
    again. The event names the reference and the ministry, not the title: the
    programme administrators may not read a signal that is not public.
    """
    today = today or timezone.localdate()
    ids = list(Signal.objects.filter(overdue_filter(today)).order_by("answer_due", "pk").values_list("pk", flat=True))
    escalated = 0
    admins = None
    for signal_id in ids[:ESCALATION_BATCH]:
        with transaction.atomic():
            signal = (
                Signal.objects.select_for_update()
                .select_related("ministry")
                .filter(overdue_filter(today), pk=signal_id)
                .first()
            )
            if signal is None:
                continue
            now = timezone.now()
            signal.escalated_at = now
            signal.save(update_fields=["escalated_at"])
            SignalStep.objects.create(signal=signal, kind=SignalStep.Kind.ESCALATED, at=now, ministry=signal.ministry)
            event = record_event(
                actor=None,
                verb="signal.escalated",
                target=signal,
                coalition_id=signal.coalition_id,
                # No signal_id: the event links to the ministry in the catalogue (signals.event_types).
                data={
                    "reference": signal.reference,
                    "where": signal.ministry.name,
                    "ministry_id": signal.ministry_id,
                    "public": signal.is_public,
                },
            )
            if admins is None:
                admins = programme_administrators()
            notify(event=event, recipients=admins)
            escalated += 1
    return escalated


# --- the catalogue ------------------------------------------------------------------------------


def require_catalogue_manager(actor: User) -> None:
    if not permissions.may_manage_catalogue(actor):
        raise PermissionDenied(_("Alleen programmabeheerders houden de ministeries bij."))


def ministry_save(
    *,
    actor: User,
    name: str,
    abbreviation: str,
    name_en: str = "",
    acknowledge_days: int = 5,
    answer_days: int = 30,
    is_active: bool = True,
    ministry_id: int | None = None,
) -> Ministry:
    """The programme administrator adds a ministry to the catalogue or changes one.

    Before: the actor may manage the catalogue; a name and abbreviation;
    1..60 working days to acknowledge, and to answer at least that and at most
    250. A new ministry's slug follows its abbreviation (or name). Changing the
    terms applies to signals addressed from then on; open signals keep their
    due dates. After: saved, and a ``ministry.saved`` event.
    """
    require_catalogue_manager(actor)
    with transaction.atomic():
        if ministry_id is None:
            ministry = Ministry()
        else:
            ministry = Ministry.objects.select_for_update().filter(pk=ministry_id).first()
            if ministry is None:
                raise Ministry.DoesNotExist
        errors: dict[str, str] = {}
        name, name_en, abbreviation = (name or "").strip(), (name_en or "").strip(), (abbreviation or "").strip()
        if not name:
            errors["name"] = _("Geef de naam van het ministerie.")
        elif Ministry.objects.filter(name__iexact=name).exclude(pk=ministry.pk).exists():
            errors["name"] = _("Dit ministerie staat al in de lijst.")
        if not abbreviation:
            errors["abbreviation"] = _("Geef de afkorting (bijvoorbeeld BZK).")
        if not (isinstance(acknowledge_days, int) and 1 <= acknowledge_days <= ACKNOWLEDGE_DAYS_MAX):
            errors["acknowledge_days"] = _("Een termijn van 1 tot en met %(max)s werkdagen.") % {
                "max": ACKNOWLEDGE_DAYS_MAX
            }
        if not (isinstance(answer_days, int) and 1 <= answer_days <= ANSWER_DAYS_MAX):
            errors["answer_days"] = _("Een termijn van 1 tot en met %(max)s werkdagen.") % {"max": ANSWER_DAYS_MAX}
        elif "acknowledge_days" not in errors and answer_days < acknowledge_days:
            errors["answer_days"] = _("Antwoorden kan niet eerder dan de ontvangst bevestigen.")
        if errors:
            raise ValidationError(errors)
        ministry.name, ministry.name_en, ministry.abbreviation = name, name_en, abbreviation
        ministry.acknowledge_days, ministry.answer_days, ministry.is_active = acknowledge_days, answer_days, is_active
        if not ministry.slug:
            base = slugify(abbreviation) or slugify(name) or "ministerie"
            slug, n = base[:70], 2
            while Ministry.objects.filter(slug=slug).exists():
                slug, n = f"{base[:70]}-{n}", n + 1
            ministry.slug = slug
        ministry.full_clean()
        ministry.save()
        record_event(actor=actor, verb="ministry.saved", target=ministry, data={"name": ministry.name})
    return ministry


def ministry_official_set(*, actor: User, ministry_id: int, user_id: int) -> MinistryOfficial:
    """The programme administrator names a Rijk official for a ministry (idempotent). After: a row and an event."""
    require_catalogue_manager(actor)
    with transaction.atomic():
        ministry = Ministry.objects.filter(pk=ministry_id).first() if is_id(ministry_id) else None
        if ministry is None:
            raise ValidationError({"ministry": _("Onbekend ministerie.")})
        official = (
            User.objects.filter(pk=user_id, groups__name=GlobalRole.RIJK_OFFICIAL, is_active=True).first()
            if is_id(user_id)
            else None
        )
        if official is None:
            raise ValidationError({"user": _("Kies een rijksambtenaar uit de lijst.")})
        row, created = MinistryOfficial.objects.get_or_create(ministry=ministry, user=official)
        if created:
            record_event(
                actor=actor,
                verb="ministry.official_added",
                target=ministry,
                data={"name": official.display_name, "where": ministry.name, "ministry_id": ministry.pk},
            )
        permissions.forget(official)
    return row


def ministry_official_remove(*, actor: User, ministry_id: int, user_id: int) -> bool:
    """The programme administrator takes an official off a ministry; True when they were on it."""
    require_catalogue_manager(actor)
    with transaction.atomic():
        row = (
            MinistryOfficial.objects.select_related("ministry", "user")
            .filter(ministry_id=ministry_id, user_id=user_id)
            .first()
        )
        if row is None:
            return False
        row.delete()
        record_event(
            actor=actor,
            verb="ministry.official_removed",
            target=row.ministry,
            data={"name": row.user.display_name, "where": row.ministry.name, "ministry_id": row.ministry_id},
        )
        permissions.forget(row.user)
    return True


def organisations_for(actor: User, agenda: Agenda) -> list[Organisation]:
    """The member organisations ``actor`` may file for (for the form's choices), by name."""
    ids = permissions.organisations_to_file_for(actor, agenda.coalition)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))
