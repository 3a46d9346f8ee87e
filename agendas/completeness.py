"""What an agenda still lacks before it can be submitted. No database.

These rules are the submit step's rules too (the review issue): the editor
shows the gaps, the submit service refuses while there are any. Each rule
looks at plain values, so it is tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MeasureFacts:
    id: int
    title: str
    has_description: bool
    budget_total: int


@dataclass(frozen=True)
class PriorityFacts:
    id: int
    title: str
    has_description: bool
    theme_count: int
    goal_link_count: int
    target_count: int
    measures: list[MeasureFacts] = field(default_factory=list)


@dataclass(frozen=True)
class AgendaFacts:
    has_title: bool
    has_summary: bool
    has_vision: bool
    has_lead_partner: bool
    theme_count: int
    rijk_total: int
    priorities: list[PriorityFacts] = field(default_factory=list)


@dataclass(frozen=True)
class Gap:
    section: str  # "header", "priority", "measure" or "budget"
    part_id: int | None
    message: str


def gaps(agenda: AgendaFacts) -> list[Gap]:
    found: list[Gap] = []

    def add(section: str, part_id: int | None, message) -> None:
        found.append(Gap(section, part_id, str(message)))

    if not agenda.has_title:
        add("header", None, _("De agenda heeft nog geen titel."))
    if not agenda.has_summary:
        add("header", None, _("Schrijf een samenvatting."))
    if not agenda.has_vision:
        add("header", None, _("Beschrijf de visie."))
    if not agenda.has_lead_partner:
        add("header", None, _("Kies een penvoerder."))
    if not agenda.theme_count:
        add("header", None, _("Kies de thema's van brede welvaart waar de agenda aan werkt."))
    if not agenda.priorities:
        add("priority", None, _("Voeg minstens één prioriteit toe."))
    for priority in agenda.priorities:
        name = {"title": priority.title}
        if not priority.has_description:
            add("priority", priority.id, _("“%(title)s”: beschrijf de kans, behoefte of opgave.") % name)
        if not priority.theme_count:
            add("priority", priority.id, _("“%(title)s”: kies minstens één thema.") % name)
        if not priority.goal_link_count:
            add("priority", priority.id, _("“%(title)s”: koppel minstens één doel.") % name)
        if not priority.target_count:
            add("priority", priority.id, _("“%(title)s”: geef minstens één doelindicator.") % name)
        if not priority.measures:
            add("priority", priority.id, _("“%(title)s”: voeg minstens één maatregel toe.") % name)
        for measure in priority.measures:
            name = {"title": measure.title}
            if not measure.has_description:
                add("measure", measure.id, _("Maatregel “%(title)s”: beschrijf wat er gebeurt.") % name)
            if not measure.budget_total:
                add("measure", measure.id, _("Maatregel “%(title)s”: vul de begroting in.") % name)
    if agenda.priorities and not agenda.rijk_total:
        add("budget", None, _("De begroting vraagt nog geen bijdrage van het Rijk."))
    return found


@dataclass(frozen=True)
class Readiness:
    """What the completeness panel says, from the gaps and what the submit rules above this app say.

    ``state``: "submitted" (not a draft any more), "incomplete" (content gaps), "blocked" (the
    content is complete, something else is missing), "ready" (it can be submitted now) or
    "content_complete" (complete, but nobody told us the other rules).
    """

    state: str
    gaps: list[Gap]
    blockers: list[str]
    submitted_at: object = None


def readiness(*, is_draft: bool, found: list[Gap], blockers: list[str] | None, submitted_at=None) -> Readiness:
    """``blockers`` is None when no app knows the other submit rules."""
    other = list(blockers or [])
    if not is_draft:
        state = "submitted"
    elif found:
        state = "incomplete"
    elif other:
        state = "blocked"
    elif blockers is None:
        state = "content_complete"
    else:
        state = "ready"
    return Readiness(state=state, gaps=found, blockers=other, submitted_at=submitted_at)
