"""Agenda tasks for *Mijn taken*, and the reads of agendas that the review's providers share.

:func:`agendas_of` loads the agendas of the user's coalitions once;
:func:`coordinated_drafts` adds to each draft the coordinator sees the number
of completeness gaps, counted by ``agendas.completeness`` from facts read in
two more queries for all drafts together (the editor's
``selectors.agenda_document`` reads one agenda with all its parts; here only
counts are needed, for any number of agendas).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from agendas import completeness
from agendas.models import Agenda, BudgetLine, FundingSource, GoalLink, Measure, Priority, TargetIndicator
from coalitions.worklist import COORDINATOR, coordinated, coordinator_label, memberships
from core.worklist import Task, count_of, register, shared, sum_of

WORKLIST_FIELDS = (
    "pk",
    "coalition_id",
    "coalition__name",
    "title",
    "summary",
    "vision",
    "lead_partner_id",
    "status",
    "revision_count",
)


def agendas_of(user) -> list[Agenda]:
    """Every agenda of the user's coalitions, with its coalition (one query, shared).

    Each carries ``theme_count`` and ``rijk_total``: what completeness reads of the whole agenda.
    """
    coalition_ids = [m.coalition_id for m in memberships(user)]
    if not coalition_ids:
        return []

    def compute() -> list[Agenda]:
        return list(
            Agenda.objects.filter(coalition_id__in=coalition_ids)
            .select_related("coalition")
            # What the providers read (a coalition may have hundreds of agendas): no times, no years.
            .only(*WORKLIST_FIELDS)
            .annotate(
                theme_count=count_of(Agenda.themes.through.objects.all(), "agenda"),
                rijk_total=sum_of(BudgetLine.objects.filter(source=FundingSource.RIJK), "measure__agenda", "amount"),
            )
            .order_by("coalition__name", "title", "pk")
        )

    return shared(user, "agendas.agendas_of", compute)


def drafts_of(user) -> list[Agenda]:
    return [a for a in agendas_of(user) if a.status == Agenda.Status.DRAFT]


def coordinated_drafts(user) -> list[Agenda]:
    """The drafts of the coalitions the user coordinates, each with ``gap_count`` (two more queries, shared)."""
    coordinated_ids = {c.pk for c in coordinated(user)}
    drafts = [a for a in drafts_of(user) if a.coalition_id in coordinated_ids]
    if not drafts:
        return []

    def compute() -> list[Agenda]:
        gaps = gap_counts(drafts)
        for agenda in drafts:
            agenda.gap_count = gaps[agenda.pk]
        return drafts

    return shared(user, "agendas.coordinated_drafts", compute)


def gap_counts(agendas: list[Agenda]) -> dict[int, int]:
    """How many completeness gaps each agenda has; the agendas come from :func:`agendas_of`.

    Two queries whatever the number of agendas, priorities or measures: the
    priorities with their counts of themes, goal links and targets, and the
    measures with their budget totals.
    """
    ids = [a.pk for a in agendas]
    priorities = list(
        Priority.objects.filter(agenda_id__in=ids)
        .only("pk", "agenda_id", "title", "description")
        .annotate(
            theme_count=count_of(Priority.themes.through.objects.all(), "priority"),
            goal_link_count=count_of(GoalLink.objects.all(), "priority"),
            target_count=count_of(TargetIndicator.objects.all(), "priority"),
        )
        .order_by("position", "pk")
    )
    measures = list(
        Measure.objects.filter(agenda_id__in=ids)
        .only("pk", "priority_id", "title", "description")
        .annotate(budget_total=sum_of(BudgetLine.objects.all(), "measure", "amount"))
        .order_by("position", "pk")
    )
    measures_of: dict[int, list[completeness.MeasureFacts]] = {}
    for m in measures:
        measures_of.setdefault(m.priority_id, []).append(
            completeness.MeasureFacts(
                id=m.pk, title=m.title, has_description=bool(m.description.strip()), budget_total=m.budget_total
            )
        )
    priorities_of: dict[int, list[completeness.PriorityFacts]] = {}
    for p in priorities:
        priorities_of.setdefault(p.agenda_id, []).append(
            completeness.PriorityFacts(
                id=p.pk,
                title=p.title,
                has_description=bool(p.description.strip()),
                theme_count=p.theme_count,
                goal_link_count=p.goal_link_count,
                target_count=p.target_count,
                measures=measures_of.get(p.pk, []),
            )
        )
    return {
        agenda.pk: len(
            completeness.gaps(
                completeness.AgendaFacts(
                    has_title=bool(agenda.title.strip()),
                    has_summary=bool(agenda.summary.strip()),
                    has_vision=bool(agenda.vision.strip()),
                    has_lead_partner=agenda.lead_partner_id is not None,
                    theme_count=agenda.theme_count,
                    rijk_total=agenda.rijk_total,
                    priorities=priorities_of.get(agenda.pk, []),
                )
            )
        )
        for agenda in agendas
    }


def coordinator_tasks(user) -> list[Task]:
    """A coalition the user coordinates that has no agenda yet: start one."""
    coalitions = coordinated(user)
    if not coalitions:
        return []
    with_agenda = {a.coalition_id for a in agendas_of(user)}
    return [
        Task(
            role=COORDINATOR,
            role_label=coordinator_label(),
            kind="agenda.start",
            title=_("Begin aan de kansenagenda"),
            detail=_("De coalitie heeft nog geen kansenagenda. Leg samen met de redacteuren de prioriteiten vast."),
            context=coalition.name,
            url=reverse("agendas:create", args=[coalition.slug]),
            action=_("Kansenagenda beginnen"),
        )
        for coalition in coalitions
        if coalition.pk not in with_agenda
    ]


def register_worklist() -> None:
    register(coordinator_tasks)
