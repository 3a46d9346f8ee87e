"""Writes of the regiotoets register: recording and editing an entry, and a coalition's response to one.

Each service takes keyword arguments and the ``actor``, checks who may act
(``regiotoets.permissions``) before anything else, validates every field at
once (a ``ValidationError`` keyed by field: nothing is changed), and writes
the rows, an event and its notifications in one transaction.

Field errors are keyed as the API's and the form's fields are named:
``title``, ``summary``, ``ministry``, ``decision_date``, ``kind``,
``status``, ``source_url``, ``regions``, ``effects`` (about the list as a
whole: none, an unknown or repeated theme) and, about one theme's effect,
``effect-<theme code>-expected`` / ``-reason`` / ``-evidence``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from activity.events import record_event
from activity.notifications import notify
from agendas.models import Agenda
from agendas.text import normalise_text
from coalitions.models import Coalition, CoalitionRole
from core.formatting import figure
from core.references import save_with_reference
from regions.models import Region, RegionMunicipality, Theme
from regiotoets import permissions, selectors
from regiotoets.models import (
    EVIDENCE_MAX,
    REASON_MAX,
    REGIONS_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    Effect,
    Entry,
    EntryRegion,
    EntryResponse,
    effect_field,
)
from signals import permissions as signal_permissions
from signals import services as signal_services
from signals.models import Ministry, Signal

ID_MAX = 2**63 - 1
# The earliest date an entry may carry: catches a mistyped year (0227 for 2027).
EARLIEST = datetime.date(2000, 1, 1)


def is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= ID_MAX


def next_reference(year: int) -> str:
    """The next free "RT-<year>-<nnnn>" (the caller saves it; a clash with a parallel recording is retried)."""
    prefix = f"RT-{year}-"
    # The highest number (zero-padded, so the text sorts as the number); synthetic "RT-<year>-S..." ones do not count.
    last = (
        Entry.objects.filter(reference__regex=rf"^RT-{year}-[0-9]+$")
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last and last.removeprefix(prefix).isdigit() else 1
    return f"{prefix}{number:04d}"


# --- validation -------------------------------------------------------------------------------


def clean_text(value, field: str, *, required: str, maximum: int, errors: dict) -> str:
    text = normalise_text(value if isinstance(value, str) else "")
    if not text:
        errors[field] = required
    elif len(text) > maximum:
        errors[field] = _("Hoogstens %(max)s tekens.") % {"max": figure(maximum)}
    return text


def clean_date(value, status: str, *, changed: bool, errors: dict) -> datetime.date | None:
    """A decision is taken (today or earlier); a proposal's decision is expected (today or later, when set)."""
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        errors["decision_date"] = _("Geef de datum van het besluit.")
        return None
    today = timezone.localdate()
    if value < EARLIEST:
        errors["decision_date"] = _("Een datum vanaf 1 januari 2000.")
    elif status == Entry.Status.DECISION and value > today:
        errors["decision_date"] = _(
            "Een besluit is al genomen: de datum ligt vandaag of eerder. Gaat het om een voorstel, kies dan 'voorstel'."
        )
    elif status == Entry.Status.PROPOSAL and changed and value < today:
        errors["decision_date"] = _(
            "Deze datum ligt in het verleden. Van een voorstel geeft u de dag waarop het besluit wordt verwacht; is "
            "het al genomen, kies dan 'besluit'."
        )
    return value


def clean_regions(codes, errors: dict) -> list[Region]:
    if isinstance(codes, str) or not isinstance(codes, Iterable):
        codes = []
    codes = list(dict.fromkeys(code for code in codes if isinstance(code, str) and code))
    if not codes:
        errors["regions"] = _("Kies minstens één regio die het besluit raakt.")
        return []
    if len(codes) > REGIONS_MAX:
        errors["regions"] = _(
            "Hoogstens %(max)s regio's: kies voor een besluit dat meer raakt de provincies of COROP-gebieden."
        ) % {"max": REGIONS_MAX}
        return []
    found = {
        region.code: region
        for region in Region.objects.filter(code__in=codes, kind__in=selectors.SELECTABLE_KINDS).only("code", "name")
    }
    unknown = [code for code in codes if code not in found]
    if unknown:
        errors["regions"] = _(
            "Onbekende regio: %(codes)s. Kies gemeenten, COROP-gebieden, provincies of eigen regio's."
        ) % {"codes": ", ".join(unknown[:5])}
        return []
    return [found[code] for code in codes]


def clean_effects(effects, errors: dict) -> list[Effect]:
    """The effects as unsaved rows (theme, expected, reason, evidence); every error at its field."""
    if isinstance(effects, dict | str) or not isinstance(effects, Iterable):
        effects = []
    effects = [effect for effect in effects if isinstance(effect, dict)]
    if not effects:
        errors["effects"] = _("Leg het verwachte effect vast op minstens één thema (positief, negatief of onbekend).")
        return []
    themes = {theme.code: theme for theme in Theme.objects.all()}
    rows, seen = [], set()
    for effect in effects:
        code = effect.get("theme")
        theme = themes.get(code) if isinstance(code, str) else None
        if theme is None:
            errors["effects"] = _("Onbekend thema: %(theme)s. Kies thema's uit de lijst.") % {"theme": str(code)[:64]}
            continue
        if code in seen:
            errors["effects"] = _("Elk thema één keer: %(theme)s staat er twee keer in.") % {"theme": theme.name_nl}
            continue
        seen.add(code)
        expected = effect.get("expected")
        if expected not in Effect.Expected.values:
            errors[effect_field(code, "expected")] = _("Kies het verwachte effect: positief, negatief of onbekend.")
        reason = clean_text(
            effect.get("reason"),
            effect_field(code, "reason"),
            required=_("Geef in een korte zin de reden voor dit effect."),
            maximum=REASON_MAX,
            errors=errors,
        )
        evidence = normalise_text(effect.get("evidence") if isinstance(effect.get("evidence"), str) else "")
        if len(evidence) > EVIDENCE_MAX:
            errors[effect_field(code, "evidence")] = _("Hoogstens %(max)s tekens.") % {"max": figure(EVIDENCE_MAX)}
        rows.append(Effect(theme=theme, expected=expected, reason=reason, evidence=evidence))
    return rows


def clean_entry(
    *, actor: User, fields: dict, entry: Entry | None
) -> tuple[dict, Ministry | None, list[Region], list[Effect]]:
    """Every field of an entry checked at once; ``PermissionDenied`` for a ministry the actor does not record for."""
    errors: dict[str, str] = {}
    values = {
        "title": clean_text(
            fields.get("title"), "title", required=_("Geef het besluit een titel."), maximum=TITLE_MAX, errors=errors
        ),
        "summary": clean_text(
            fields.get("summary"),
            "summary",
            required=_("Vat samen wat het Rijk besluit of voorstelt."),
            maximum=SUMMARY_MAX,
            errors=errors,
        ),
    }
    ministry_id = fields.get("ministry_id")
    ministry = Ministry.objects.filter(pk=ministry_id, is_active=True).first() if is_id(ministry_id) else None
    if ministry is None and entry is not None and ministry_id == entry.ministry_id:
        ministry = entry.ministry  # an entry keeps its ministry when that one became inactive
    if ministry is None:
        errors["ministry"] = _("Kies een ministerie uit de lijst.")
    elif not permissions.may_record_for(actor, ministry.pk):
        raise PermissionDenied(_("U legt alleen besluiten vast van een ministerie waarvoor u werkt."))
    kind, status = fields.get("kind"), fields.get("status")
    if kind not in Entry.Kind.values:
        errors["kind"] = _(
            "Kies de soort: sluiting, verplaatsing, concessie, regelgeving, investering of subsidieregeling."
        )
    if status not in Entry.Status.values:
        errors["status"] = _("Kies of het een besluit of een voorstel is.")
    changed = entry is None or fields.get("decision_date") != entry.decision_date or status != entry.status
    values["decision_date"] = clean_date(fields.get("decision_date"), status, changed=changed, errors=errors)
    source_url = fields.get("source_url") or ""
    values["source_url"] = source_url.strip() if isinstance(source_url, str) else ""
    values["kind"], values["status"] = kind, status
    regions = clean_regions(fields.get("region_codes"), errors)
    effects = clean_effects(fields.get("effects"), errors)
    if errors:
        raise ValidationError(errors)
    return values, ministry, regions, effects


def require_recorder(actor: User) -> None:
    if not permissions.may_record(actor):
        raise PermissionDenied(
            _("Alleen ambtenaren van een ministerie en programmabeheerders leggen rijksbesluiten vast.")
        )


# --- recording and editing --------------------------------------------------------------------


def entry_record(
    *,
    actor: User,
    title: str,
    summary: str,
    ministry_id: int,
    decision_date: datetime.date,
    kind: str,
    status: str,
    region_codes: Iterable[str],
    effects: Iterable[dict],
    source_url: str = "",
) -> Entry:
    """An official records a national decision or proposal with the regions it affects and its expected effects.

    Before: ``actor`` records for some ministry (else ``PermissionDenied``) and
    for this one (an official of it, or a programme administrator; else
    ``PermissionDenied``); the ministry is active; title and summary are not
    empty; kind and status are choices; a decision's date is not in the
    future and a proposal's not in the past; at least one region (a
    municipality, COROP area, province or custom region, known) and at least
    one effect (a known theme, once; positive, negative or unknown; a reason).
    Every failing field is reported at once and nothing is saved.

    After: the entry with its reference, regions and effects; a
    ``regiotoets.recorded`` event; and for every coalition whose region the
    entry affects and lags on a theme with a negative effect, a
    ``regiotoets.flagged`` event notifying its coordinators.
    """
    require_recorder(actor)
    values, ministry, regions, effects = clean_entry(
        actor=actor,
        fields={
            "title": title,
            "summary": summary,
            "ministry_id": ministry_id,
            "decision_date": decision_date,
            "kind": kind,
            "status": status,
            "source_url": source_url,
            "region_codes": region_codes,
            "effects": effects,
        },
        entry=None,
    )
    now = timezone.now()
    entry = Entry(ministry=ministry, recorded_by=actor, created_at=now, updated_at=now, **values)
    entry.full_clean(exclude=["reference"])
    with transaction.atomic():
        save_with_reference(entry, lambda: next_reference(timezone.localdate(now).year))
        save_parts(entry, regions, effects)
        record_event(actor=actor, verb="regiotoets.recorded", target=entry, data=event_data(entry))
        notify_flagged(actor, entry, already=set())
    return entry


def entry_update(
    *,
    actor: User,
    entry_id: int,
    title: str,
    summary: str,
    ministry_id: int,
    decision_date: datetime.date,
    kind: str,
    status: str,
    region_codes: Iterable[str],
    effects: Iterable[dict],
    source_url: str = "",
) -> Entry:
    """An official of the entry's ministry (or a programme administrator) changes an entry; all fields at once.

    Before: as for ``entry_record``, and the actor may edit the entry (its
    current ministry) and record for the new ministry. A proposal's date in
    the past is refused only when the date or the status changes (a proposal
    whose expected day has passed can still be corrected otherwise).

    After: the fields, regions and effects replaced; a ``regiotoets.updated``
    event; coalitions that are flagged now and were not before are notified
    (``regiotoets.flagged``).
    """
    with transaction.atomic():
        entry = (
            Entry.objects.select_for_update().select_related("ministry").filter(pk=entry_id).first()
            if is_id(entry_id)
            else None
        )
        if entry is None:
            raise Entry.DoesNotExist
        if not permissions.may_edit(actor, entry):
            raise PermissionDenied(_("Alleen ambtenaren van het ministerie van dit besluit passen het aan."))
        values, ministry, regions, effects = clean_entry(
            actor=actor,
            fields={
                "title": title,
                "summary": summary,
                "ministry_id": ministry_id,
                "decision_date": decision_date,
                "kind": kind,
                "status": status,
                "source_url": source_url,
                "region_codes": region_codes,
                "effects": effects,
            },
            entry=entry,
        )
        already = {coalition.pk for coalition, _themes in flagged_coalitions(entry)}
        for name, value in values.items():
            setattr(entry, name, value)
        entry.ministry = ministry
        entry.updated_at = timezone.now()
        entry.full_clean()
        entry.save(update_fields=[*values, "ministry", "updated_at"])
        EntryRegion.objects.filter(entry=entry).delete()
        Effect.objects.filter(entry=entry).delete()
        save_parts(entry, regions, effects)
        record_event(actor=actor, verb="regiotoets.updated", target=entry, data=event_data(entry))
        notify_flagged(actor, entry, already=already)
    return entry


def save_parts(entry: Entry, regions: list[Region], effects: list[Effect]) -> None:
    EntryRegion.objects.bulk_create([EntryRegion(entry=entry, region=region) for region in regions])
    for effect in effects:
        effect.entry = entry
        # Unique per theme and a reason: checked by clean_effects (and the database), not again per row.
        effect.full_clean(exclude=["entry", "theme"], validate_unique=False, validate_constraints=False)
    Effect.objects.bulk_create(effects)


def event_data(entry: Entry, **extra) -> dict:
    return {
        "entry_id": entry.pk,
        "reference": entry.reference,
        "title": entry.title,
        "where": entry.ministry.name,
        **extra,
    }


# --- who hears of it ---------------------------------------------------------------------------


def flagged_coalitions(entry: Entry) -> list[tuple[Coalition, list[Theme]]]:
    """The coalitions whose region the entry affects and lags on a theme where the entry expects a negative effect.

    With the themes, by name of the coalition. One query for the coalitions, one for their regions'
    municipalities; the profiles are cached.
    """
    negative = [
        effect for effect in entry.effects.select_related("theme") if effect.expected == Effect.Expected.NEGATIVE
    ]
    if not negative:
        return []
    selected = EntryRegion.objects.filter(entry=entry).values("region_id")
    coalitions = list(
        Coalition.objects.filter(region_id__in=selectors.overlapping_regions(selected))
        .select_related("region")
        .only("name", "slug", "region__code", "region__name", "region__kind")
        .order_by("name")
    )
    members: dict[int, list[str]] = {coalition.region_id: [] for coalition in coalitions}
    for region_id, code in RegionMunicipality.objects.filter(region_id__in=list(members)).values_list(
        "region_id", "municipality__code"
    ):
        members[region_id].append(code)
    found = []
    for coalition in coalitions:
        lagging = selectors.lagging_codes(coalition.region, members=members[coalition.region_id])
        themes = [effect.theme for effect in selectors.flagged(negative, lagging)]
        if themes:
            found.append((coalition, themes))
    return found


def notify_flagged(actor: User, entry: Entry, *, already: set[int]) -> None:
    """A ``regiotoets.flagged`` event per coalition newly flagged by ``entry``, to its coordinators."""
    for coalition, themes in flagged_coalitions(entry):
        if coalition.pk in already:
            continue
        event = record_event(
            actor=actor,
            verb="regiotoets.flagged",
            target=entry,
            coalition_id=coalition.pk,
            data=event_data(
                entry,
                name=", ".join(theme.name_nl for theme in themes),
                region=coalition.region.name,
                organisation=coalition.name,
            ),
        )
        coordinators = User.objects.filter(
            coalition_memberships__coalition=coalition,
            coalition_memberships__role=CoalitionRole.COORDINATOR,
            is_active=True,
        ).distinct()
        notify(event=event, recipients=coordinators)


# --- responding -------------------------------------------------------------------------------


def entry_respond(
    *,
    actor: User,
    entry_id: int,
    agenda_id: int,
    title: str,
    body: str,
    kind: str = Signal.Kind.DECISION,
    region_code: str | None = None,
    priority_id: int | None = None,
    measure_id: int | None = None,
    organisation_id: int | None = None,
    theme_codes: Iterable[str] = (),
    is_public: bool = True,
    not_public_reason: str = "",
) -> EntryResponse:
    """A coalition responds to an entry: a signal to the entry's ministry about its agenda, linked to the entry.

    Before: the entry exists (else ``Entry.DoesNotExist``); the agenda is one
    of a coalition the actor is a member of (else a field error on
    ``agenda``) with the coordinator or editor role (else
    ``PermissionDenied``); the entry affects the coalition's region (else a
    field error on ``entry``); the entry's ministry takes signals (is
    active). The rest is signals' (``signals.services.signal_file``: the
    priority or measure it concerns, the organisation, the title and text,
    public or not with a reason), reported at the fields.

    After, in one transaction: the signal (with its own "filed" step, event
    and notification to the ministry's officials), the response that links it
    to the entry, and a ``regiotoets.responded`` event that names the two
    references only (the signal may not be public).
    """
    entry = Entry.objects.select_related("ministry").filter(pk=entry_id).first() if is_id(entry_id) else None
    if entry is None:
        raise Entry.DoesNotExist
    agenda = (
        Agenda.objects.select_related("coalition", "coalition__region").filter(pk=agenda_id).first()
        if is_id(agenda_id)
        else None
    )
    if agenda is None or not signal_permissions.is_member(actor, agenda.coalition):
        raise ValidationError({"agenda": _("Onbekende agenda: kies een agenda van uw eigen coalitie.")})
    if not permissions.may_respond_for(actor, agenda.coalition):
        raise PermissionDenied(_("Alleen coördinatoren en redacteuren van de coalitie reageren namens haar."))
    if not selectors.affects(entry.pk, agenda.coalition.region):
        raise ValidationError({"entry": _("Dit rijksbesluit raakt de regio van uw coalitie niet.")})
    if not entry.ministry.is_active:
        raise ValidationError(
            {"entry": _("%(ministry)s neemt geen signalen meer aan.") % {"ministry": entry.ministry.name}}
        )
    with transaction.atomic():
        signal = signal_services.signal_file(
            actor=actor,
            agenda_id=agenda.pk,
            ministry_id=entry.ministry_id,
            title=title,
            body=body,
            kind=kind,
            region_code=region_code,
            priority_id=priority_id,
            measure_id=measure_id,
            organisation_id=organisation_id,
            theme_codes=theme_codes,
            is_public=is_public,
            not_public_reason=not_public_reason,
        )
        response = EntryResponse.objects.create(entry=entry, signal=signal, created_at=signal.filed_at)
        record_event(
            actor=actor,
            verb="regiotoets.responded",
            target=entry,
            coalition_id=agenda.coalition_id,
            data={
                "entry_id": entry.pk,
                "reference": entry.reference,
                "title": entry.title,
                "signal_reference": signal.reference,
                "where": agenda.coalition.name,
            },
        )
    return response
