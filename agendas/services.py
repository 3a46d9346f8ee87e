"""State changes of agendas: the header, priorities and measures.

Every save of a part:
- locks that part's row, and refuses the save with ``EditConflict`` when the
  caller's ``base_version`` is not the part's current version (optimistic
  concurrency: nothing is silently overwritten; other parts are not locked);
- validates everything first and raises one ``ValidationError`` with all
  field errors, so nothing is partially saved;
- writes one ``Revision`` (the part's snapshot after the save) and one event.

Every service checks itself that the actor may edit (``agendas.permissions.require_editor``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from activity.events import record_event
from agendas.models import (
    AMOUNT_MAX,
    CONTRIBUTION_MAX,
    DESCRIPTION_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    VISION_MAX,
    Agenda,
    BudgetLine,
    FundingSource,
    GoalLink,
    LinkStrength,
    Measure,
    MeasureStatus,
    PartType,
    Priority,
    PriorityKind,
    Revision,
    TargetIndicator,
)
from agendas.permissions import require_editor
from agendas.revisions import FieldChange, diff_snapshots
from agendas.text import normalise_text
from coalitions.models import CoalitionOrganisation
from core.errors import ServiceConflict
from goals.models import Goal
from regions.models import Indicator, Theme


@dataclass(frozen=True)
class GoalLinkInput:
    goal_id: int
    contribution: str = ""
    strength: str = LinkStrength.DIRECT


@dataclass(frozen=True)
class TargetInput:
    indicator_id: int
    target_year: int
    target_value: Decimal
    baseline_year: int | None = None
    baseline_value: Decimal | None = None
    baseline_from_data: bool = False


Budget = Mapping[tuple[int, str], int]

# Far above any real agenda (the large case is 10 and 60); they keep
# one agenda from growing without bound.
MAX_PRIORITIES = 50
MAX_MEASURES = 500


def _normalised_links(links: Sequence[GoalLinkInput]) -> list[GoalLinkInput]:
    return [replace(link, contribution=normalise_text(link.contribution)) for link in links]


class EditConflict(ServiceConflict):
    """A save based on an outdated version of a part.

    ``changes`` says what others changed since the caller's version, so the
    page and the API can show it.
    """

    def __init__(
        self, *, part_type: str, part_id: int, base_version: int, current_version: int, changes: list[FieldChange]
    ):
        self.part_type = part_type
        self.part_id = part_id
        self.base_version = base_version
        self.current_version = current_version
        self.changes = changes
        super().__init__(
            _("Iemand anders heeft dit onderdeel intussen gewijzigd (uw versie %(base)s, nu versie %(current)s).")
            % {"base": base_version, "current": current_version}
        )

    def data(self) -> dict:
        """The API's 409 body: ``{detail, part_type, part_id, base_version, current_version, changes}``."""
        return {
            "detail": str(self),
            "part_type": self.part_type,
            "part_id": self.part_id,
            "base_version": self.base_version,
            "current_version": self.current_version,
            "changes": [
                {"field": change.field, "before": change.before, "after": change.after} for change in self.changes
            ],
        }


# ---------------------------------------------------------------- validation


class _Errors:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _check_text(errors: _Errors, field: str, value: str, limit: int, *, required: bool = False) -> None:
    if required and not value.strip():
        errors.add(field, _("Dit veld is verplicht."))
    if len(value) > limit:
        errors.add(
            field,
            _("Maximaal %(limit)s tekens; nu %(length)s.")
            % {"limit": f"{limit:,}".replace(",", "."), "length": len(value)},
        )


def _check_period(errors: _Errors, start_year: int, end_year: int) -> None:
    length = end_year - start_year + 1
    if end_year < start_year:
        errors.add("end_year", _("Het eindjaar ligt vóór het beginjaar."))
    elif length < Agenda.MIN_YEARS or length > Agenda.MAX_YEARS:
        errors.add(
            "end_year",
            _("Een kansenagenda loopt minstens %(min)s en hoogstens %(max)s jaar; deze periode is %(n)s jaar.")
            % {"min": Agenda.MIN_YEARS, "max": Agenda.MAX_YEARS, "n": length},
        )
    if not 2000 <= start_year <= 2100:
        errors.add("start_year", _("Kies een beginjaar tussen 2000 en 2100."))


def _is_member_organisation(agenda: Agenda, organisation_id: int | None) -> bool:
    return (
        organisation_id is not None
        and CoalitionOrganisation.objects.filter(
            coalition_id=agenda.coalition_id, organisation_id=organisation_id
        ).exists()
    )


def _check_themes(errors: _Errors, theme_ids: Sequence[int]) -> list[int]:
    ids = list(dict.fromkeys(theme_ids))
    if ids and Theme.objects.filter(pk__in=ids).count() != len(ids):
        errors.add("themes", _("Een of meer thema's bestaan niet."))
    return ids


def _check_goal_links(errors: _Errors, links: Sequence[GoalLinkInput], linked: Iterable[int] = ()) -> None:
    """``linked``: the goals the part links to now; they stay allowed after a steward retires them."""
    goal_ids = [link.goal_id for link in links]
    if len(set(goal_ids)) != len(goal_ids):
        errors.add("goal_links", _("Elk doel kan maar één keer gekoppeld worden."))
    known = set(Goal.objects.filter(pk__in=goal_ids, is_active=True).values_list("pk", flat=True))
    known |= set(linked) & set(goal_ids)
    for index, link in enumerate(links):
        if link.goal_id not in known:
            errors.add("goal_links", _("Doel %(n)s: onbekend doel.") % {"n": index + 1})
        if link.strength not in LinkStrength.values:
            errors.add("goal_links", _("Doel %(n)s: kies direct of indirect.") % {"n": index + 1})
        if len(link.contribution) > CONTRIBUTION_MAX:
            errors.add(
                "goal_links",
                _("Doel %(n)s: de bijdrage is langer dan %(limit)s tekens.")
                % {"n": index + 1, "limit": CONTRIBUTION_MAX},
            )


def _check_budget(errors: _Errors, budget: Budget, start_year: int, end_year: int) -> dict[tuple[int, str], int]:
    cleaned: dict[tuple[int, str], int] = {}
    for (year, source), amount in budget.items():
        where = f"{year} / {source}"
        if source not in FundingSource.values:
            errors.add("budget_lines", _("%(where)s: onbekende financieringsbron.") % {"where": where})
            continue
        if isinstance(amount, bool) or not isinstance(amount, int):
            errors.add("budget_lines", _("%(where)s: vul een heel bedrag in euro's in.") % {"where": where})
            continue
        if amount < 0:
            errors.add("budget_lines", _("%(where)s: een bedrag kan niet negatief zijn.") % {"where": where})
            continue
        if amount > AMOUNT_MAX:
            errors.add("budget_lines", _("%(where)s: dit bedrag is onwaarschijnlijk hoog.") % {"where": where})
            continue
        if amount and not start_year <= year <= end_year:
            errors.add(
                "budget_lines",
                _("%(where)s: dit jaar valt buiten de looptijd van de maatregel (%(start)s–%(end)s).")
                % {"where": where, "start": start_year, "end": end_year},
            )
            continue
        if amount:
            cleaned[(year, source)] = amount
    return cleaned


def _check_targets(errors: _Errors, targets: Sequence[TargetInput], agenda: Agenda) -> None:
    indicator_ids = [t.indicator_id for t in targets]
    if len(set(indicator_ids)) != len(indicator_ids):
        errors.add("targets", _("Elke indicator kan maar één keer als doel voorkomen."))
    known = set(Indicator.objects.filter(pk__in=indicator_ids).values_list("pk", flat=True))
    for index, target in enumerate(targets):
        n = index + 1
        if target.indicator_id not in known:
            errors.add("targets", _("Doelindicator %(n)s: onbekende indicator.") % {"n": n})
        if not agenda.start_year <= target.target_year <= agenda.end_year + 10:
            errors.add(
                "targets",
                _("Doelindicator %(n)s: het doeljaar ligt niet tussen %(start)s en %(end)s.")
                % {"n": n, "start": agenda.start_year, "end": agenda.end_year + 10},
            )
        if target.baseline_year is not None and target.baseline_year > target.target_year:
            errors.add("targets", _("Doelindicator %(n)s: het basisjaar ligt na het doeljaar.") % {"n": n})


# ----------------------------------------------------------------- snapshots


def header_snapshot(agenda: Agenda) -> dict[str, Any]:
    return {
        "title": agenda.title,
        "summary": agenda.summary,
        "vision": agenda.vision,
        "start_year": agenda.start_year,
        "end_year": agenda.end_year,
        "lead_partner": agenda.lead_partner.name if agenda.lead_partner_id else None,
        "themes": sorted(agenda.themes.values_list("code", flat=True)),
    }


def _links_snapshot(links: Iterable[GoalLink]) -> list[dict[str, str]]:
    return [
        {"goal": link.goal.label, "strength": link.strength, "contribution": link.contribution}
        for link in sorted(links, key=lambda link: (link.goal.catalogue, link.goal.position))
    ]


def priority_snapshot(priority: Priority) -> dict[str, Any]:
    return {
        "title": priority.title,
        "kind": priority.kind,
        "description": priority.description,
        "themes": sorted(t.code for t in priority.themes.all()),
        "goal_links": _links_snapshot(priority.goal_links.select_related("goal")),
        "targets": [
            {
                "indicator": t.indicator.code,
                "baseline_year": t.baseline_year,
                "baseline_value": None if t.baseline_value is None else str(t.baseline_value.normalize()),
                "target_year": t.target_year,
                "target_value": str(t.target_value.normalize()),
            }
            for t in priority.targets.select_related("indicator").order_by("indicator__code")
        ],
    }


def measure_snapshot(measure: Measure) -> dict[str, Any]:
    budget: dict[str, dict[str, int]] = {}
    for line in measure.budget_lines.order_by("year", "source"):
        budget.setdefault(str(line.year), {})[line.source] = line.amount
    return {
        "title": measure.title,
        "priority": measure.priority.title,
        "description": measure.description,
        "lead_organisation": measure.lead_organisation.name,
        "start_year": measure.start_year,
        "end_year": measure.end_year,
        "status": measure.status,
        "budget": budget,
        "goal_links": _links_snapshot(measure.goal_links.select_related("goal")),
    }


def _record_revision(
    *,
    agenda_id: int,
    actor: User | None,
    part_type: str,
    part_id: int,
    part_label: str,
    part_version: int,
    action: str,
    snapshot: dict[str, Any],
    previous: dict[str, Any],
) -> Revision:
    # The counter row is locked until commit: revision numbers are gapless
    # and in commit order. The lock is on the agenda row only for the
    # moment of this update, so editors of different parts do not wait on
    # each other's editing, only on each other's commit.
    # Conditional on the draft status: a save that began before the agenda was
    # submitted cannot land after it (submitting updates the same row).
    updated = Agenda.objects.filter(pk=agenda_id, status=Agenda.Status.DRAFT).update(
        revision_count=F("revision_count") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("Deze agenda is geen concept meer en kan niet worden gewijzigd."))
    number, start_year, end_year = (
        Agenda.objects.filter(pk=agenda_id).values_list("revision_count", "start_year", "end_year").get()
    )
    # Read under the agenda row's lock: the period may have changed since the
    # measure was validated (someone saved the header meanwhile).
    is_measure_save = part_type == PartType.MEASURE and snapshot
    if is_measure_save and not start_year <= snapshot["start_year"] <= snapshot["end_year"] <= end_year:
        raise ValidationError(
            {
                "end_year": _("De looptijd van de agenda is intussen gewijzigd (%(start)s–%(end)s).")
                % {"start": start_year, "end": end_year}
            }
        )
    return Revision.objects.create(
        agenda_id=agenda_id,
        number=number,
        author=actor if actor is not None and actor.is_authenticated else None,
        part_type=part_type,
        part_id=part_id,
        part_label=part_label[:200],
        part_version=part_version,
        action=action,
        changed_fields=[change.field for change in diff_snapshots(previous, snapshot)],
        snapshot=snapshot,
    )


def _last_snapshot(agenda_id: int, part_type: str, part_id: int, version: int | None = None) -> dict[str, Any]:
    revisions = Revision.objects.filter(agenda_id=agenda_id, part_type=part_type, part_id=part_id)
    if version is not None:
        revisions = revisions.filter(part_version=version)
    revision = revisions.order_by("-number").only("snapshot").first()
    return revision.snapshot if revision else {}


PART_TYPES: dict[type, str] = {Agenda: PartType.HEADER, Priority: PartType.PRIORITY, Measure: PartType.MEASURE}


def _agenda_id_of(part: Agenda | Priority | Measure) -> int:
    return part.pk if isinstance(part, Agenda) else part.agenda_id


def _lock_part(model: type, part_id: int, base_version: int):
    """Lock one part's row and check the caller's version; return the part and its last snapshot.

    Raises EditConflict, with what changed since ``base_version``, when the
    part was saved by someone else in between.
    """
    queryset = model.objects.select_for_update()
    if model is not Agenda:
        queryset = queryset.select_related("agenda")
    part = queryset.get(pk=part_id)
    part_type, agenda_id = PART_TYPES[model], _agenda_id_of(part)
    previous = _last_snapshot(agenda_id, part_type, part.pk)
    if part.version != base_version:
        before = _last_snapshot(agenda_id, part_type, part.pk, version=base_version)
        raise EditConflict(
            part_type=part_type,
            part_id=part.pk,
            base_version=base_version,
            current_version=part.version,
            changes=diff_snapshots(before, previous) if before else [],
        )
    return part, previous


def _revise(part: Agenda | Priority | Measure, *, actor, action: str, snapshot: dict, previous: dict) -> Revision:
    """The revision of one save of ``part`` (a delete counts as the part's next version)."""
    return _record_revision(
        agenda_id=_agenda_id_of(part),
        actor=actor,
        part_type=PART_TYPES[type(part)],
        part_id=part.pk,
        part_label=part.title,
        part_version=part.version + (1 if action == Revision.Action.DELETED else 0),
        action=action,
        snapshot=snapshot,
        previous=previous,
    )


def _event(actor, verb: str, agenda: Agenda, target, data: dict[str, Any]) -> None:
    record_event(actor=actor, verb=verb, target=target, coalition_id=agenda.coalition_id, data=data)


# -------------------------------------------------------------------- header


@transaction.atomic
def agenda_create(
    *,
    coalition,
    actor: User | None,
    title: str,
    start_year: int,
    end_year: int,
    summary: str = "",
    vision: str = "",
    lead_partner_id: int | None = None,
    theme_ids: Sequence[int] = (),
) -> Agenda:
    """Start a draft agenda for the coalition's region.

    After: the agenda exists with version 1 and revision 1 (its header).
    """
    require_editor(actor, coalition.pk)
    title, summary, vision = normalise_text(title), normalise_text(summary), normalise_text(vision)
    agenda = Agenda(coalition=coalition, region_id=coalition.region_id, start_year=start_year, end_year=end_year)
    theme_ids = _validate_header(
        agenda,
        title=title,
        summary=summary,
        vision=vision,
        start_year=start_year,
        end_year=end_year,
        lead_partner_id=lead_partner_id,
        theme_ids=theme_ids,
    )
    agenda.title, agenda.summary, agenda.vision, agenda.lead_partner_id = title, summary, vision, lead_partner_id
    agenda.save()
    agenda.themes.set(theme_ids)
    _revise(agenda, actor=actor, action=Revision.Action.CREATED, snapshot=header_snapshot(agenda), previous={})
    _event(actor, "agenda.created", agenda, agenda, {"title": title})
    return agenda


def _validate_header(
    agenda: Agenda,
    *,
    title: str,
    summary: str,
    vision: str,
    start_year: int,
    end_year: int,
    lead_partner_id: int | None,
    theme_ids: Sequence[int],
) -> list[int]:
    errors = _Errors()
    _check_text(errors, "title", title, TITLE_MAX, required=True)
    _check_text(errors, "summary", summary, SUMMARY_MAX)
    _check_text(errors, "vision", vision, VISION_MAX)
    _check_period(errors, start_year, end_year)
    if lead_partner_id is not None and not _is_member_organisation(agenda, lead_partner_id):
        errors.add("lead_partner", _("De penvoerder moet een lid-organisatie van de coalitie zijn."))
    ids = _check_themes(errors, theme_ids)
    if agenda.pk and "end_year" not in errors.errors and "start_year" not in errors.errors:
        outside = list(
            agenda.measures.exclude(start_year__gte=start_year, end_year__lte=end_year).values_list("title", flat=True)[
                :5
            ]
        )
        if outside:
            errors.add(
                "end_year",
                _("Deze maatregelen vallen buiten de nieuwe periode; pas ze eerst aan: %(titles)s.")
                % {"titles": ", ".join(outside)},
            )
    errors.raise_if_any()
    return ids


@transaction.atomic
def agenda_update_header(
    *,
    agenda_id: int,
    actor: User | None,
    base_version: int,
    title: str,
    summary: str,
    vision: str,
    start_year: int,
    end_year: int,
    lead_partner_id: int | None,
    theme_ids: Sequence[int],
) -> Agenda:
    """Save the header part.

    Before: ``base_version`` is the header version the editor started from.
    After: the header holds the new values and version + 1, or nothing
    changed and ``EditConflict`` / ``ValidationError`` was raised.
    """
    agenda, previous = _lock_part(Agenda, agenda_id, base_version)
    require_editor(actor, agenda.coalition_id)
    title, summary, vision = normalise_text(title), normalise_text(summary), normalise_text(vision)
    theme_ids = _validate_header(
        agenda,
        title=title,
        summary=summary,
        vision=vision,
        start_year=start_year,
        end_year=end_year,
        lead_partner_id=lead_partner_id,
        theme_ids=theme_ids,
    )
    agenda.title, agenda.summary, agenda.vision = title, summary, vision
    agenda.start_year, agenda.end_year, agenda.lead_partner_id = start_year, end_year, lead_partner_id
    agenda.version += 1
    agenda.save(
        update_fields=["title", "summary", "vision", "start_year", "end_year", "lead_partner", "version", "updated_at"]
    )
    agenda.themes.set(theme_ids)
    _revise(agenda, actor=actor, action=Revision.Action.UPDATED, snapshot=header_snapshot(agenda), previous=previous)
    _event(actor, "agenda.header_saved", agenda, agenda, {"version": agenda.version})
    return agenda


# ---------------------------------------------------------------- priorities


def _validate_priority(
    agenda: Agenda,
    *,
    title: str,
    kind: str,
    description: str,
    theme_ids: Sequence[int],
    goal_links: Sequence[GoalLinkInput],
    targets: Sequence[TargetInput],
    linked_goals: Iterable[int] = (),
) -> list[int]:
    errors = _Errors()
    _check_text(errors, "title", title, TITLE_MAX, required=True)
    _check_text(errors, "description", description, DESCRIPTION_MAX)
    if kind not in PriorityKind.values:
        errors.add("kind", _("Kies kans, behoefte of opgave."))
    ids = _check_themes(errors, theme_ids)
    _check_goal_links(errors, goal_links, linked_goals)
    _check_targets(errors, targets, agenda)
    errors.raise_if_any()
    return ids


def _write_priority_children(
    priority: Priority, theme_ids: list[int], goal_links: Sequence[GoalLinkInput], targets: Sequence[TargetInput]
) -> None:
    priority.themes.set(theme_ids)
    priority.goal_links.all().delete()
    GoalLink.objects.bulk_create(
        GoalLink(priority=priority, goal_id=link.goal_id, contribution=link.contribution, strength=link.strength)
        for link in goal_links
    )
    priority.targets.all().delete()
    TargetIndicator.objects.bulk_create(
        TargetIndicator(
            priority=priority,
            indicator_id=t.indicator_id,
            baseline_year=t.baseline_year,
            baseline_value=t.baseline_value,
            baseline_from_data=t.baseline_from_data,
            target_year=t.target_year,
            target_value=t.target_value,
        )
        for t in targets
    )


@transaction.atomic
def priority_create(
    *,
    agenda: Agenda,
    actor: User | None,
    title: str,
    kind: str,
    description: str = "",
    theme_ids: Sequence[int] = (),
    goal_links: Sequence[GoalLinkInput] = (),
    targets: Sequence[TargetInput] = (),
) -> Priority:
    require_editor(actor, agenda.coalition_id)
    title, description, goal_links = normalise_text(title), normalise_text(description), _normalised_links(goal_links)
    ids = _validate_priority(
        agenda,
        title=title,
        kind=kind,
        description=description,
        theme_ids=theme_ids,
        goal_links=goal_links,
        targets=targets,
    )
    position = agenda.priorities.count() + 1
    if position > MAX_PRIORITIES:
        raise ValidationError(_("Een agenda heeft hoogstens %(n)s prioriteiten.") % {"n": MAX_PRIORITIES})
    priority = Priority.objects.create(
        agenda=agenda, title=title, kind=kind, description=description, position=position
    )
    _write_priority_children(priority, ids, goal_links, targets)
    _revise(priority, actor=actor, action=Revision.Action.CREATED, snapshot=priority_snapshot(priority), previous={})
    _event(actor, "agenda.priority_created", agenda, priority, {"title": title})
    return priority


@transaction.atomic
def priority_update(
    *,
    priority_id: int,
    actor: User | None,
    base_version: int,
    title: str,
    kind: str,
    description: str,
    theme_ids: Sequence[int],
    goal_links: Sequence[GoalLinkInput],
    targets: Sequence[TargetInput],
) -> Priority:
    """Save one priority with its themes, goal links and target indicators (same contract as the header)."""
    priority, previous = _lock_part(Priority, priority_id, base_version)
    require_editor(actor, priority.agenda.coalition_id)
    agenda = priority.agenda
    title, description, goal_links = normalise_text(title), normalise_text(description), _normalised_links(goal_links)
    ids = _validate_priority(
        agenda,
        title=title,
        kind=kind,
        description=description,
        theme_ids=theme_ids,
        goal_links=goal_links,
        targets=targets,
        linked_goals=priority.goal_links.values_list("goal_id", flat=True),
    )
    priority.title, priority.kind, priority.description = title, kind, description
    priority.version += 1
    priority.save(update_fields=["title", "kind", "description", "version", "updated_at"])
    _write_priority_children(priority, ids, goal_links, targets)
    _revise(
        priority, actor=actor, action=Revision.Action.UPDATED, snapshot=priority_snapshot(priority), previous=previous
    )
    _event(actor, "agenda.priority_saved", agenda, priority, {"title": title, "version": priority.version})
    return priority


@transaction.atomic
def priority_delete(*, priority_id: int, actor: User | None, base_version: int) -> None:
    """Delete a priority and its measures; each deleted measure gets its own revision too."""
    priority, previous = _lock_part(Priority, priority_id, base_version)
    require_editor(actor, priority.agenda.coalition_id)
    agenda = priority.agenda
    for measure in Measure.objects.select_for_update().filter(priority=priority):
        _delete_measure(measure, actor)
    _revise(priority, actor=actor, action=Revision.Action.DELETED, snapshot={}, previous=previous)
    _event(actor, "agenda.priority_deleted", agenda, agenda, {"title": priority.title})
    priority.delete()


# ------------------------------------------------------------------ measures


@dataclass(frozen=True)
class MeasureInput:
    priority_id: int
    title: str
    lead_organisation_id: int | None
    start_year: int
    end_year: int
    description: str = ""
    status: str = MeasureStatus.IDEA
    budget: Budget | None = None
    goal_links: Sequence[GoalLinkInput] = ()


def _normalised_measure(data: MeasureInput) -> MeasureInput:
    return replace(
        data,
        title=normalise_text(data.title),
        description=normalise_text(data.description),
        goal_links=_normalised_links(data.goal_links),
    )


def _validate_measure(
    agenda: Agenda, data: MeasureInput, linked_goals: Iterable[int] = ()
) -> dict[tuple[int, str], int]:
    errors = _Errors()
    _check_text(errors, "title", data.title, TITLE_MAX, required=True)
    _check_text(errors, "description", data.description, DESCRIPTION_MAX)
    # Locked: a priority deleted at the same moment would otherwise leave
    # this measure pointing at nothing (an IntegrityError at commit).
    if not list(Priority.objects.select_for_update().filter(pk=data.priority_id, agenda_id=agenda.pk).values("pk")):
        errors.add("priority", _("Kies een prioriteit van deze agenda."))
    if not _is_member_organisation(agenda, data.lead_organisation_id):
        errors.add("lead_organisation", _("De trekker moet een lid-organisatie van de coalitie zijn."))
    if data.status not in MeasureStatus.values:
        errors.add("status", _("Onbekende status."))
    years_ok = True
    if data.end_year < data.start_year:
        errors.add("end_year", _("Het eindjaar ligt vóór het beginjaar."))
        years_ok = False
    for field in ("start_year", "end_year"):
        year = getattr(data, field)
        if not agenda.start_year <= year <= agenda.end_year:
            errors.add(
                field,
                _("Kies een jaar binnen de looptijd van de agenda (%(start)s–%(end)s).")
                % {"start": agenda.start_year, "end": agenda.end_year},
            )
            years_ok = False
    budget: dict[tuple[int, str], int] = {}
    if years_ok:
        budget = _check_budget(errors, data.budget or {}, data.start_year, data.end_year)
    _check_goal_links(errors, data.goal_links, linked_goals)
    errors.raise_if_any()
    return budget


def _write_measure_children(measure: Measure, budget: dict[tuple[int, str], int], goal_links) -> None:
    measure.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(measure=measure, year=year, source=source, amount=amount)
        for (year, source), amount in sorted(budget.items())
    )
    measure.goal_links.all().delete()
    GoalLink.objects.bulk_create(
        GoalLink(measure=measure, goal_id=link.goal_id, contribution=link.contribution, strength=link.strength)
        for link in goal_links
    )


@transaction.atomic
def measure_create(*, agenda: Agenda, actor: User | None, data: MeasureInput) -> Measure:
    require_editor(actor, agenda.coalition_id)
    data = _normalised_measure(data)
    budget = _validate_measure(agenda, data)
    if agenda.measures.count() >= MAX_MEASURES:
        raise ValidationError(_("Een agenda heeft hoogstens %(n)s maatregelen.") % {"n": MAX_MEASURES})
    measure = Measure.objects.create(
        agenda=agenda,
        priority_id=data.priority_id,
        position=Measure.objects.filter(priority_id=data.priority_id).count() + 1,
        title=data.title,
        description=data.description,
        lead_organisation_id=data.lead_organisation_id,
        start_year=data.start_year,
        end_year=data.end_year,
        status=data.status,
    )
    _write_measure_children(measure, budget, data.goal_links)
    _revise(measure, actor=actor, action=Revision.Action.CREATED, snapshot=measure_snapshot(measure), previous={})
    _event(actor, "agenda.measure_created", agenda, measure, {"title": measure.title})
    return measure


@transaction.atomic
def measure_update(*, measure_id: int, actor: User | None, base_version: int, data: MeasureInput) -> Measure:
    """Save one measure with its budget lines and goal links (same contract as the header).

    The budget replaces the measure's whole budget: amounts left out are zero.
    """
    measure, previous = _lock_part(Measure, measure_id, base_version)
    require_editor(actor, measure.agenda.coalition_id)
    agenda = measure.agenda
    data = _normalised_measure(data)
    budget = _validate_measure(agenda, data, measure.goal_links.values_list("goal_id", flat=True))
    measure.priority_id = data.priority_id
    measure.title, measure.description, measure.status = data.title, data.description, data.status
    measure.lead_organisation_id = data.lead_organisation_id
    measure.start_year, measure.end_year = data.start_year, data.end_year
    measure.version += 1
    measure.save(
        update_fields=[
            "priority",
            "title",
            "description",
            "status",
            "lead_organisation",
            "start_year",
            "end_year",
            "version",
            "updated_at",
        ]
    )
    _write_measure_children(measure, budget, data.goal_links)
    _revise(measure, actor=actor, action=Revision.Action.UPDATED, snapshot=measure_snapshot(measure), previous=previous)
    _event(actor, "agenda.measure_saved", agenda, measure, {"title": measure.title, "version": measure.version})
    return measure


def _delete_measure(measure: Measure, actor: User | None) -> None:
    previous = _last_snapshot(measure.agenda_id, PartType.MEASURE, measure.pk)
    _revise(measure, actor=actor, action=Revision.Action.DELETED, snapshot={}, previous=previous)
    measure.delete()


@transaction.atomic
def measure_delete(*, measure_id: int, actor: User | None, base_version: int) -> None:
    measure, _previous = _lock_part(Measure, measure_id, base_version)
    require_editor(actor, measure.agenda.coalition_id)
    agenda, title = measure.agenda, measure.title
    _delete_measure(measure, actor)
    _event(actor, "agenda.measure_deleted", agenda, agenda, {"title": title})
