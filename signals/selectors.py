"""Reads of signals: who sees which, the lists a page at a time, and the figures per ministry.

Every list reads the same columns (``LIST_COLUMNS``: no region boundary, no
body, no answer text) with the themes in one more query, so a page costs the
same number of queries however many signals there are.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from fractions import Fraction

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from regions.models import Region, Theme
from signals import permissions
from signals.forms import Filters
from signals.models import Ministry, Signal, SignalStep

PER_PAGE = 50

LIST_COLUMNS = (
    "reference",
    "title",
    "kind",
    "status",
    "outcome",
    "is_public",
    "filed_at",
    "acknowledge_due",
    "answer_due",
    "answered_at",
    "escalated_at",
    "blocks_kind",
    "blocks_label",
    "coalition__name",
    "coalition__slug",
    "organisation__name",
    "region__code",
    "region__name",
    "ministry__name",
    "ministry__name_en",
    "ministry__abbreviation",
    "ministry__slug",
)


def themes_prefetch() -> Prefetch:
    return Prefetch("themes", queryset=Theme.objects.order_by("position").only("code", "name_nl", "name_en"))


def listed(queryset: QuerySet[Signal]) -> QuerySet[Signal]:
    """``queryset`` with what a list row shows."""
    return (
        queryset.select_related("coalition", "organisation", "region", "ministry")
        .only(*LIST_COLUMNS)
        .prefetch_related(themes_prefetch())
    )


def public_signals() -> QuerySet[Signal]:
    return Signal.objects.filter(is_public=True)


def visible_to(user) -> QuerySet[Signal]:
    """The public signals and those ``user`` may read that are not public (``permissions.visible_filter``)."""
    return Signal.objects.filter(permissions.visible_filter(user))


def filtered(queryset: QuerySet[Signal], filters: Filters) -> QuerySet[Signal]:
    if filters.ministry:
        queryset = queryset.filter(ministry__slug=filters.ministry)
    if filters.region:
        queryset = queryset.filter(region__code=filters.region)
    if filters.theme:
        queryset = queryset.filter(themes__code=filters.theme)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return queryset


def page_of(queryset: QuerySet[Signal], number, *, order=("-filed_at", "-pk")) -> Page:
    """One page of ``queryset`` (``PER_PAGE`` rows): the count, the page's ids, its rows with their themes.

    Picking the page by id keeps the sort on the signal table alone; four queries (the count alone when empty).
    """
    ids = queryset.order_by(*order).values_list("pk", flat=True)
    page = Paginator(ids, PER_PAGE).get_page(number)
    shown = list(page.object_list)
    rows = {s.pk: s for s in listed(Signal.objects.filter(pk__in=shown))} if shown else {}
    page.object_list = [rows[pk] for pk in shown]
    return page


def filter_choices() -> tuple[list[Ministry], list[tuple[str, str]], list[Theme]]:
    """The public filter form's choices: the ministries, the regions named by public signals, the themes (3 queries)."""
    ministries = list(Ministry.objects.order_by("name"))
    regions = list(
        Region.objects.filter(pk__in=public_signals().values("region_id")).order_by("name").values_list("code", "name")
    )
    themes = list(Theme.objects.order_by("position").only("code", "name_nl", "name_en"))
    return ministries, regions, themes


def signal_detail(queryset: QuerySet[Signal], pk: int) -> Signal | None:
    """One signal of ``queryset`` with its coalition, organisation, region, ministry, themes and steps (3 queries)."""
    steps = SignalStep.objects.select_related("ministry", "to_ministry", "actor").order_by("at", "pk")
    return (
        queryset.filter(pk=pk)
        .select_related("coalition", "organisation", "region", "ministry", "filed_by", "answered_by")
        .defer("region__boundary")
        .prefetch_related(themes_prefetch(), Prefetch("steps", queryset=steps))
        .first()
    )


# --- figures per ministry -------------------------------------------------------------------------


@dataclass
class MinistryFigures:
    """How one ministry deals with the public signals addressed to it.

    ``open``: filed or acknowledged, not yet answered; ``overdue``: of those,
    past the answer's due date. An answer is an accepted or not-possible
    answer, or a forward to another ministry (the forwarding ministry's answer);
    ``median_days`` the median working days from receipt to answer; the share
    in time counts the answers by the due date among all answers and the open
    signals already too late for one (so a ministry that does not answer does
    not look punctual).
    """

    ministry: Ministry
    open: int = 0
    overdue: int = 0
    answers: int = 0
    in_time: int = 0
    median_days: float | None = None

    @property
    def share_in_time(self) -> Fraction | None:
        total = self.answers + self.overdue
        return Fraction(self.in_time, total) if total else None


def ministry_figures(ministries: list[Ministry] | None = None, *, today=None) -> list[MinistryFigures]:
    """Per ministry (the active ones and any with public signals), by name: three queries (two with ``ministries``)."""
    today = today or timezone.localdate()
    if ministries is None:
        ministries = list(Ministry.objects.order_by("name"))
    counts = {
        row["ministry_id"]: row
        for row in public_signals()
        .filter(status__in=Signal.OPEN)
        .order_by()
        .values("ministry_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(answer_due__lt=today)))
    }
    days: dict[int, list[int]] = {}
    in_time: dict[int, int] = {}
    answers = SignalStep.objects.filter(signal__is_public=True, kind__in=SignalStep.ANSWERS).order_by()
    for ministry_id, working_days, punctual in answers.values_list("ministry_id", "working_days", "in_time"):
        days.setdefault(ministry_id, []).append(working_days or 0)
        in_time[ministry_id] = in_time.get(ministry_id, 0) + (1 if punctual else 0)
    figures = []
    for ministry in ministries:
        count = counts.get(ministry.pk, {})
        answered = days.get(ministry.pk, [])
        if not ministry.is_active and not count and not answered:
            continue
        figures.append(
            MinistryFigures(
                ministry=ministry,
                open=count.get("open", 0),
                overdue=count.get("overdue", 0),
                answers=len(answered),
                in_time=in_time.get(ministry.pk, 0),
                median_days=statistics.median(answered) if answered else None,
            )
        )
    return figures


# --- the people's own lists ---------------------------------------------------------------------


def ministries_for(user: User) -> list[Ministry]:
    """The ministries ``user`` answers for, by name."""
    ids = permissions.ministries_of(user)
    return list(Ministry.objects.filter(pk__in=ids).order_by("name")) if ids else []
