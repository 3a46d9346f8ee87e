"""The goal catalogues; data stewards keep the national one."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import apply_errors
from goals import services as goal_services
from goals.forms import NationalGoalForm
from goals.models import Goal, GoalCatalogue
from goals.permissions import can_edit_goal_catalogue


class GoalSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Zoek op code of tekst"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Bijvoorbeeld “3.4”, “armoede”, “PO2” of “energie”; Nederlands of Engels."),
        widget=forms.TextInput(attrs={"class": "utrecht-textbox utrecht-textbox--html-input", "type": "search"}),
    )


@dataclass
class GoalEntry:
    goal: Goal
    children: list[Goal]
    # Some of the children (not the goal itself) matched the search: open the <details>.
    open: bool


def _matches(goal: Goal, query: str) -> bool:
    haystack = " ".join((goal.code, goal.short_nl, goal.short_en, goal.title_nl, goal.title_en)).casefold()
    return query in haystack


def goal_catalogues(query: str, *, include_inactive: bool) -> dict[str, list[GoalEntry]]:
    """The three catalogues, top-level goals with their targets, filtered on ``query``.

    Two queries for any size: the goals, and their children. The catalogues
    hold a few hundred rows, so the search runs over the loaded rows; that
    way it also matches either language without a query per language.
    """
    children = Goal.objects.order_by("position", "id")
    goals = Goal.objects.filter(parent__isnull=True).prefetch_related(Prefetch("children", queryset=children))
    if not include_inactive:
        goals = goals.filter(is_active=True)
    needle = query.casefold()
    result: dict[str, list[GoalEntry]] = {value: [] for value in GoalCatalogue.values}
    for goal in goals.order_by("catalogue", "position", "id"):
        targets = [c for c in goal.children.all() if include_inactive or c.is_active]
        if not needle or _matches(goal, needle):
            result[goal.catalogue].append(GoalEntry(goal, targets, open=False))
            continue
        matching = [c for c in targets if _matches(c, needle)]
        if matching:
            result[goal.catalogue].append(GoalEntry(goal, matching, open=True))
    return result


@require_GET
def goal_list(request):
    form = GoalSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    can_edit = can_edit_goal_catalogue(request.user)
    catalogues = goal_catalogues(query, include_inactive=can_edit)
    found = sum(1 + len(entry.children) for entries in catalogues.values() for entry in entries)
    return render(
        request,
        "goals/goal_list.html",
        {
            "form": form,
            "query": query,
            "found": found,
            "sdg": catalogues[GoalCatalogue.SDG],
            "eu": catalogues[GoalCatalogue.EU],
            "national": catalogues[GoalCatalogue.NATIONAL],
            "catalogue_names": dict(GoalCatalogue.choices),
            "can_edit": can_edit,
        },
    )


def _require_steward(request) -> None:
    if not can_edit_goal_catalogue(request.user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
@login_required
def national_goal_create(request):
    _require_steward(request)
    form = NationalGoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = goal_services.national_goal_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Nationaal doel “%(name)s” toegevoegd.") % {"name": goal.short_nl})
            return redirect("goals:list")
    return render(request, "goals/national_goal_form.html", {"form": form, "goal": None})


@require_http_methods(["GET", "POST"])
@login_required
def national_goal_edit(request, pk: int):
    _require_steward(request)
    # SDG and EU goals come from files: they have no edit page.
    goal = get_object_or_404(Goal, pk=pk, catalogue=GoalCatalogue.NATIONAL)
    initial = {name: getattr(goal, name) for name in NationalGoalForm.base_fields}
    form = NationalGoalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            goal = goal_services.national_goal_update(goal_id=goal.pk, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Nationaal doel “%(name)s” opgeslagen.") % {"name": goal.short_nl})
            return redirect("goals:list")
    return render(request, "goals/national_goal_form.html", {"form": form, "goal": goal})
