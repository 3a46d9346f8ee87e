"""Reads of agendas: what a user may see, and the whole agenda in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from accounts.models import User
from agendas import budget as budget_figures
from agendas import completeness
from agendas.models import Agenda, BudgetLine, Comment, GoalLink, Measure, Priority, Revision, TargetIndicator
from coalitions.models import Coalition
from goals.models import Goal
from regions.models import Theme


def agendas_visible_to(user: User | AnonymousUser) -> QuerySet[Agenda]:
    """Drafts are visible to the members of their coalition only, whatever the user's global role."""
    if not user.is_authenticated:
        return Agenda.objects.none()
    coalitions = get_objects_for_user(
        user, "coalitions.view_coalition", klass=Coalition, accept_global_perms=False, with_superuser=False
    )
    return Agenda.objects.filter(coalition__in=coalitions)


def agenda_list_for(user: User | AnonymousUser) -> QuerySet[Agenda]:
    return (
        agendas_visible_to(user)
        .select_related("coalition", "region")
        .annotate(priority_count=Count("priorities", distinct=True), measure_count=Count("measures", distinct=True))
        .order_by("-updated_at", "id")
    )


@dataclass
class CoverageMatrix:
    """Rows (themes or goals) × columns (priorities); a cell is None, "indirect" or "direct"."""

    rows: list
    columns: list[Priority]
    cells: dict[tuple[int, int], str]

    def table(self) -> list[tuple[object, list[str | None]]]:
        return [(row, [self.cells.get((row.pk, col.pk)) for col in self.columns]) for row in self.rows]


@dataclass
class AgendaDocument:
    """Everything the editor page, the API detail and the exports show."""

    agenda: Agenda
    priorities: list[Priority]
    themes: list[Theme]
    budget: budget_figures.BudgetSummary
    budget_by_measure: dict[int, budget_figures.BudgetSummary]
    theme_coverage: CoverageMatrix
    goal_coverage: CoverageMatrix
    gaps: list[completeness.Gap]

    @property
    def measures(self) -> list[Measure]:
        return [m for p in self.priorities for m in p.measures.all()]

    @property
    def is_complete(self) -> bool:
        return not self.gaps


def agenda_queryset() -> QuerySet[Agenda]:
    """The agenda with every part prefetched: a fixed number of queries for any size.

    1 agenda (+coalition, region, lead partner), 2 its themes, 3 priorities,
    4 their themes, 5 their targets (+indicator), 6 measures (+lead
    organisation), 7 their budget lines; ``agenda_document`` adds 8: the goal
    links of all priorities and measures together.
    """
    measures = Measure.objects.select_related("lead_organisation").prefetch_related(
        Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("year", "source")),
    )
    priorities = Priority.objects.prefetch_related(
        "themes",
        Prefetch("targets", queryset=TargetIndicator.objects.select_related("indicator")),
        Prefetch("measures", queryset=measures),
    )
    return Agenda.objects.select_related("coalition", "region", "lead_partner").prefetch_related(
        "themes", Prefetch("priorities", queryset=priorities)
    )


def _share_goal_links(priorities: list[Priority]) -> None:
    """Load the goal links of all priorities and measures in one query, and hand them out as prefetched.

    Two prefetches (one for priorities, one for measures) would cost two
    queries; after this, ``priority.goal_links.all()`` and
    ``measure.goal_links.all()`` read from memory, exactly as after
    ``prefetch_related``.
    """
    measures = [m for p in priorities for m in p.measures.all()]
    links = list(
        GoalLink.objects.filter(Q(priority__in=[p.pk for p in priorities]) | Q(measure__in=[m.pk for m in measures]))
        .select_related("goal", "goal__parent")
        .order_by("goal__catalogue", "goal__position", "id")
    )
    by_priority: dict[int, list[GoalLink]] = defaultdict(list)
    by_measure: dict[int, list[GoalLink]] = defaultdict(list)
    for link in links:
        if link.priority_id:
            by_priority[link.priority_id].append(link)
        else:
            by_measure[link.measure_id].append(link)
    for owner, owned in [(p, by_priority[p.pk]) for p in priorities] + [(m, by_measure[m.pk]) for m in measures]:
        queryset = owner.goal_links.all()
        queryset._result_cache = owned
        queryset._prefetch_done = True
        owner.__dict__.setdefault("_prefetched_objects_cache", {})["goal_links"] = queryset


def agenda_document(agenda: Agenda) -> AgendaDocument:
    """Assemble the document from an agenda loaded with ``agenda_queryset``; one more query (the goal links)."""
    priorities = list(agenda.priorities.all())
    _share_goal_links(priorities)
    lines: list[budget_figures.Line] = []
    by_measure: dict[int, budget_figures.BudgetSummary] = {}
    for priority in priorities:
        for measure in priority.measures.all():
            measure_lines = [budget_figures.Line(b.year, b.source, b.amount) for b in measure.budget_lines.all()]
            by_measure[measure.pk] = budget_figures.summarise(
                measure_lines, range(measure.start_year, measure.end_year + 1)
            )
            lines.extend(measure_lines)
    summary = budget_figures.summarise(lines, agenda.years)
    themes = list(agenda.themes.all())
    return AgendaDocument(
        agenda=agenda,
        priorities=priorities,
        themes=themes,
        budget=summary,
        budget_by_measure=by_measure,
        theme_coverage=_theme_coverage(priorities, themes),
        goal_coverage=_goal_coverage(priorities),
        gaps=completeness.gaps(_facts(agenda, priorities, themes, summary, by_measure)),
    )


def _theme_coverage(priorities: list[Priority], agenda_themes: list[Theme]) -> CoverageMatrix:
    themes: dict[int, Theme] = {t.pk: t for t in agenda_themes}
    cells: dict[tuple[int, int], str] = {}
    for priority in priorities:
        for theme in priority.themes.all():
            themes.setdefault(theme.pk, theme)
            cells[(theme.pk, priority.pk)] = "direct"
    rows = sorted(themes.values(), key=lambda t: (t.position, t.pk))
    return CoverageMatrix(rows=rows, columns=priorities, cells=cells)


def _goal_coverage(priorities: list[Priority]) -> CoverageMatrix:
    """Goals (a target counts for its goal) × priorities; a priority covers what it or its measures link to."""
    goals: dict[int, Goal] = {}
    cells: dict[tuple[int, int], str] = {}
    for priority in priorities:
        links = list(priority.goal_links.all())
        for measure in priority.measures.all():
            links.extend(measure.goal_links.all())
        for link in links:
            goal = link.goal
            key = (goal.goal_id, priority.pk)
            goals[goal.goal_id] = goal.parent or goal
            if cells.get(key) != "direct":
                cells[key] = link.strength
    rows = sorted(goals.values(), key=lambda g: (g.catalogue, g.position))
    return CoverageMatrix(rows=rows, columns=priorities, cells=cells)


def _facts(agenda, priorities, themes, summary, by_measure) -> completeness.AgendaFacts:
    return completeness.AgendaFacts(
        has_title=bool(agenda.title.strip()),
        has_summary=bool(agenda.summary.strip()),
        has_vision=bool(agenda.vision.strip()),
        has_lead_partner=agenda.lead_partner_id is not None,
        theme_count=len(themes),
        rijk_total=summary.rijk_total,
        priorities=[
            completeness.PriorityFacts(
                id=p.pk,
                title=p.title,
                has_description=bool(p.description.strip()),
                theme_count=len(p.themes.all()),
                goal_link_count=len(p.goal_links.all()),
                target_count=len(p.targets.all()),
                measures=[
                    completeness.MeasureFacts(
                        id=m.pk,
                        title=m.title,
                        has_description=bool(m.description.strip()),
                        budget_total=by_measure[m.pk].total,
                    )
                    for m in p.measures.all()
                ],
            )
            for p in priorities
        ],
    )


def agenda_revisions(agenda: Agenda) -> QuerySet[Revision]:
    return agenda.revisions.select_related("author").order_by("-number")


def agenda_comments(agenda: Agenda, priority: Priority | None = None) -> QuerySet[Comment]:
    # The mentions: comments show the mentioned people by name (comments.body_with_names).
    comments = agenda.comments.select_related("author", "priority").prefetch_related("mentions")
    if priority is not None:
        return comments.filter(priority=priority)
    return comments
