"""Agenda pages: list, create, the agenda document, and the forms for header, priority and measure.

Access: a draft agenda exists only for the members of its coalition. Everyone
else (outsiders and global roles alike) gets a 404 on every agenda page; a
member who may not edit (a viewer) gets a 403 on the editing pages.
Every form page parses the input, calls one service and shows what the
service refused: ``ValidationError`` inline at the field, ``EditConflict`` as
a message listing what the other person changed, with the user's input kept.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.forms import BaseFormSet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from agendas import completeness, forms, permissions, selectors, services
from agendas.baselines import indicator_baselines, resolve_baseline
from agendas.charts import budget_chart
from agendas.models import Agenda, GoalLink, Measure, Priority, TargetIndicator
from agendas.panels import AGENDA_PAGE, SUBMIT_CHECK
from agendas.services import EditConflict
from coalitions.models import Coalition, Organisation
from coalitions.panels import COALITION_PAGE
from coalitions.permissions import coalition_permissions
from core.panels import Panel
from goals.models import Goal
from regions.models import Indicator, Theme
from regions.selectors import region_profile

# ---------------------------------------------------------------- helpers


def _gone_is_not_found(view):
    """A part deleted by someone else between loading and saving is a 404, not a 500."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ObjectDoesNotExist as error:
            raise Http404 from error

    return wrapper


def _load_agenda(request, pk: int, *, edit: bool, queryset=None) -> tuple[Agenda, frozenset[str]]:
    """The agenda and the user's permissions on its coalition; 404 if not visible, 403 if edit and not allowed."""
    queryset = queryset if queryset is not None else Agenda.objects.select_related("coalition", "region")
    agenda = get_object_or_404(queryset, pk=pk)
    perms = coalition_permissions(request.user, agenda.coalition)
    # 404, not 403: people outside the coalition do not learn which agendas exist.
    if not permissions.can_view_agenda(request.user, agenda, perms=perms):
        raise Http404
    if edit and not permissions.can_edit_agenda(request.user, agenda, perms=perms):
        raise PermissionDenied
    return agenda, perms


def _member_organisations(agenda_or_coalition) -> Any:
    coalition_id = getattr(agenda_or_coalition, "coalition_id", None) or agenda_or_coalition.pk
    return Organisation.objects.filter(coalitions__id=coalition_id).order_by("name")


def _themes():
    return Theme.objects.order_by("position", "pk")


def _goal_choices(owner: Priority | Measure | None = None) -> list:
    """Active goals, plus the goals the part links to now (a retired goal stays where it is linked)."""
    linked = Q(pk__in=GoalLink.objects.filter(**{owner._meta.model_name: owner}).values("goal_id")) if owner else Q()
    goals = Goal.objects.filter(Q(is_active=True) | linked) if owner else Goal.objects.filter(is_active=True)
    return forms.goal_choices(goals.order_by("catalogue", "position", "id"))


def _apply_service_errors(error: ValidationError, form, sections: dict[str, list[str]]) -> None:
    """Put the service's messages where they belong: at the field, in a section, or at the top."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for key, messages_ in error.message_dict.items():
        for message in messages_:
            if key in form.fields:
                form.add_error(key, message)
            elif key in sections:
                sections[key].append(message)
            else:
                form.add_error(None, message)


def _error_summary(*parts, sections: dict[str, list[str]] | None = None) -> list[tuple[str, str]]:
    """(link target, message) for the error summary at the top of a form page."""
    items: list[tuple[str, str]] = []

    def add_form(form, prefix: str = "") -> None:
        for message in form.non_field_errors():
            items.append(("", prefix + message))
        for name, errors in form.errors.items():
            if name == "__all__":
                continue
            bound = form[name]
            target = bound.id_for_label or bound.auto_id
            for message in errors:
                items.append((f"#{target}", f"{prefix}{bound.label}: {message}"))

    for part in parts:
        if part is None:
            continue
        if isinstance(part, BaseFormSet):
            for message in part.non_form_errors():
                items.append(("", message))
            for index, form in enumerate(part.forms):
                add_form(form, prefix=_("Regel %(n)s – ") % {"n": index + 1})
        elif isinstance(part, forms.BudgetTable):
            for year in part.years:
                for message in part.row_errors.get(year, []):
                    items.append((f"#budget-row-{year}", message))
        else:
            add_form(part)
    for key, messages_ in (sections or {}).items():
        for message in messages_:
            items.append((f"#{SECTION_ANCHORS.get(key, '')}", message))
    return items


SECTION_ANCHORS = {"goal_links": "doelen", "targets": "doelindicatoren", "budget_lines": "begroting"}

FIELD_LABELS = {
    "title": gettext_lazy("Titel"),
    "summary": gettext_lazy("Samenvatting"),
    "vision": gettext_lazy("Visie"),
    "start_year": gettext_lazy("Beginjaar"),
    "end_year": gettext_lazy("Eindjaar"),
    "lead_partner": gettext_lazy("Penvoerder"),
    "themes": gettext_lazy("Thema's"),
    "kind": gettext_lazy("Soort"),
    "description": gettext_lazy("Omschrijving"),
    "goal_links": gettext_lazy("Doelen"),
    "targets": gettext_lazy("Doelindicatoren"),
    "priority": gettext_lazy("Prioriteit"),
    "lead_organisation": gettext_lazy("Trekker"),
    "status": gettext_lazy("Status"),
    "budget": gettext_lazy("Begroting"),
}


def _display(field: str, value: Any) -> str:
    """A snapshot value as short text for the conflict message."""
    if value in (None, "", [], {}):
        return "—"
    if field == "goal_links":
        return "; ".join(f"{link['goal']} ({link['strength']})" for link in value)
    if field == "targets":
        return "; ".join(f"{t['indicator']}: {t['target_value']} ({t['target_year']})" for t in value)
    if field == "budget":
        return "; ".join(
            f"{year}: " + ", ".join(f"{source} {amount}" for source, amount in sources.items())
            for year, sources in value.items()
        )
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _conflict_context(conflict: EditConflict) -> dict[str, Any]:
    return {
        "conflict": conflict,
        "conflict_changes": [
            (
                FIELD_LABELS.get(change.field, change.field),
                _display(change.field, change.before),
                _display(change.field, change.after),
            )
            for change in conflict.changes
        ],
    }


# ---------------------------------------------------------------- list and create


@login_required
def agenda_list(request):
    return render(request, "agendas/agenda_list.html", {"agendas": selectors.agenda_list_for(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
@_gone_is_not_found
def agenda_create(request, slug: str):
    coalition = get_object_or_404(Coalition.objects.select_related("region"), slug=slug)
    perms = coalition_permissions(request.user, coalition)
    if "view_coalition" not in perms:
        raise Http404
    if not permissions.can_create_agenda(request.user, coalition, perms=perms):
        raise PermissionDenied
    form_kwargs = {"organisations": _member_organisations(coalition), "themes": _themes()}
    if request.method == "POST":
        form = forms.HeaderForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                agenda = services.agenda_create(
                    coalition=coalition,
                    actor=request.user,
                    title=data["title"],
                    summary=data["summary"],
                    vision=data["vision"],
                    start_year=data["start_year"],
                    end_year=data["end_year"],
                    lead_partner_id=data["lead_partner"].pk if data["lead_partner"] else None,
                    theme_ids=[theme.pk for theme in data["themes"]],
                )
            except ValidationError as error:
                _apply_service_errors(error, form, {})
            else:
                messages.success(request, _("De kansenagenda is aangemaakt."))
                return redirect("agendas:detail", pk=agenda.pk)
    else:
        start = _this_year() + 1
        form = forms.HeaderForm(initial={"start_year": start, "end_year": start + 9}, **form_kwargs)
    return render(
        request,
        "agendas/header_form.html",
        {"form": form, "coalition": coalition, "agenda": None, "error_summary": _error_summary(form)},
    )


def _this_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


# ---------------------------------------------------------------- the agenda document


def _gap_groups(document: selectors.AgendaDocument) -> list[tuple[str, list[tuple[str, str]]]]:
    """The completeness gaps per section, each with the anchor of the part on the agenda page."""
    labels = {
        "header": _("Algemeen"),
        "priority": _("Prioriteiten"),
        "measure": _("Maatregelen"),
        "budget": _("Begroting"),
    }
    groups: dict[str, list[tuple[str, str]]] = {}
    for gap in document.gaps:
        if gap.section == "header":
            anchor = "algemeen"
        elif gap.section == "priority":
            anchor = f"prioriteit-{gap.part_id}" if gap.part_id else "prioriteiten"
        elif gap.section == "measure":
            anchor = f"maatregel-{gap.part_id}"
        else:
            anchor = "begroting"
        groups.setdefault(gap.section, []).append((anchor, gap.message))
    return [(labels.get(section, section), items) for section, items in groups.items()]


def _readiness(document: selectors.AgendaDocument) -> completeness.Readiness:
    """The completeness panel's verdict: the content's gaps and the other submit rules (``SUBMIT_CHECK``)."""
    agenda = document.agenda
    state = SUBMIT_CHECK.state(agenda)
    return completeness.readiness(
        is_draft=agenda.status == Agenda.Status.DRAFT,
        found=document.gaps,
        blockers=None if state is None else list(state.blockers),
        submitted_at=None if state is None else state.submitted_at,
    )


@login_required
def agenda_detail(request, pk: int):
    agenda, perms = _load_agenda(request, pk, edit=False, queryset=selectors.agenda_queryset())
    return agenda_page(request, agenda, perms)


def agenda_page(request, agenda: Agenda, perms, *, comment_form: forms.CommentForm | None = None):
    """The agenda document; ``comment_form`` is a refused comment, shown with its error in the comment box."""
    document = selectors.agenda_document(agenda)
    profile = region_profile(agenda.region)
    agenda_theme_codes = {theme.code for theme in document.themes}
    return render(
        request,
        "agendas/agenda_detail.html",
        {
            "agenda": agenda,
            "document": document,
            "priority_rows": [
                (priority, [(m, document.budget_by_measure[m.pk].total) for m in priority.measures.all()])
                for priority in document.priorities
            ],
            "budget": document.budget,
            "budget_table": forms.BudgetTable(agenda.years, amounts=document.budget.cells),
            "budget_chart": budget_chart(document.budget),
            "gap_groups": _gap_groups(document),
            "readiness": _readiness(document),
            "profile": profile,
            "lagging_not_chosen": [t for t in profile.lagging_themes if t.code not in agenda_theme_codes],
            "can_edit": permissions.can_edit_agenda(request.user, agenda, perms=perms),
            # Evaluated here so the page's query count does not depend on the include.
            "comments": list(selectors.agenda_comments(agenda).filter(priority=None)),
            "can_comment": permissions.can_comment_on_agenda(request.user, agenda, perms=perms),
            "comment_form": comment_form or forms.CommentForm(),
            "panels": AGENDA_PAGE.panels(request, agenda, perms=perms),
        },
    )


# ---------------------------------------------------------------- header


@login_required
@require_http_methods(["GET", "POST"])
@_gone_is_not_found
def header_edit(request, pk: int):
    queryset = Agenda.objects.select_related("coalition", "region", "lead_partner").prefetch_related("themes")
    agenda, _perms = _load_agenda(request, pk, edit=True, queryset=queryset)
    form_kwargs = {"organisations": _member_organisations(agenda), "themes": _themes()}
    context: dict[str, Any] = {}
    if request.method == "POST":
        form = forms.HeaderEditForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.agenda_update_header(
                    agenda_id=agenda.pk,
                    actor=request.user,
                    base_version=data["version"],
                    title=data["title"],
                    summary=data["summary"],
                    vision=data["vision"],
                    start_year=data["start_year"],
                    end_year=data["end_year"],
                    lead_partner_id=data["lead_partner"].pk if data["lead_partner"] else None,
                    theme_ids=[theme.pk for theme in data["themes"]],
                )
            except EditConflict as conflict:
                form.set_version(conflict.current_version)
                context.update(_conflict_context(conflict))
            except ValidationError as error:
                _apply_service_errors(error, form, {})
            else:
                messages.success(request, _("De algemene gegevens zijn opgeslagen."))
                return redirect(reverse("agendas:detail", args=[agenda.pk]) + "#algemeen")
    else:
        form = forms.HeaderEditForm(
            initial={
                "version": agenda.version,
                "title": agenda.title,
                "summary": agenda.summary,
                "vision": agenda.vision,
                "start_year": agenda.start_year,
                "end_year": agenda.end_year,
                "lead_partner": agenda.lead_partner_id,
                "themes": [theme.pk for theme in agenda.themes.all()],
            },
            **form_kwargs,
        )
    context.update(
        {"form": form, "agenda": agenda, "coalition": agenda.coalition, "error_summary": _error_summary(form)}
    )
    return render(request, "agendas/header_form.html", context)


# ---------------------------------------------------------------- priorities


def _priority_queryset(agenda: Agenda):
    return Priority.objects.filter(agenda=agenda).prefetch_related(
        "themes",
        Prefetch("goal_links", queryset=GoalLink.objects.select_related("goal")),
        Prefetch("targets", queryset=TargetIndicator.objects.select_related("indicator")),
    )


@login_required
def priority_detail(request, pk: int, priority_id: int):
    agenda, perms = _load_agenda(request, pk, edit=False)
    return priority_page(request, agenda, perms, priority_id)


def priority_page(request, agenda: Agenda, perms, priority_id: int, *, comment_form: forms.CommentForm | None = None):
    """One priority with its comments; ``comment_form`` as on ``agenda_page``."""
    priority = get_object_or_404(
        _priority_queryset(agenda).prefetch_related(
            Prefetch(
                "measures",
                queryset=Measure.objects.select_related("lead_organisation").prefetch_related("budget_lines"),
            )
        ),
        pk=priority_id,
    )
    measures = [
        (measure, sum(line.amount for line in measure.budget_lines.all())) for measure in priority.measures.all()
    ]
    return render(
        request,
        "agendas/priority_detail.html",
        {
            "agenda": agenda,
            "priority": priority,
            "measures": measures,
            "can_edit": permissions.can_edit_agenda(request.user, agenda, perms=perms),
            "comments": list(selectors.agenda_comments(agenda, priority=priority)),
            "can_comment": permissions.can_comment_on_agenda(request.user, agenda, perms=perms),
            "comment_form": comment_form or forms.CommentForm(),
        },
    )


def _priority_form_parts(request, agenda: Agenda, priority: Priority | None):
    """The priority form with its goal-link and target formsets, bound on POST."""
    themes = _themes()
    indicators = Indicator.objects.filter(
        Q(in_profile=True) | Q(pk__in=[t.indicator_id for t in (priority.targets.all() if priority else [])])
    ).order_by("name_nl")
    baselines = indicator_baselines(agenda.region)
    goal_kwargs = {"goal_choices": _goal_choices(priority)}
    target_kwargs = {"indicator_choices": forms.indicator_choices(indicators, baselines)}
    creating = priority is None
    if request.method == "POST":
        form = forms.PriorityForm(request.POST, themes=themes, creating=creating)
        goals = forms.GoalLinkFormSet(request.POST, prefix="doelen", form_kwargs=goal_kwargs)
        targets = forms.TargetFormSet(request.POST, prefix="indicatoren", form_kwargs=target_kwargs)
    elif priority is None:
        form = forms.PriorityForm(creating=True, themes=themes)
        goals = forms.GoalLinkFormSet(prefix="doelen", form_kwargs=goal_kwargs)
        targets = forms.TargetFormSet(prefix="indicatoren", form_kwargs=target_kwargs)
    else:
        form = forms.PriorityForm(
            initial={
                "version": priority.version,
                "title": priority.title,
                "kind": priority.kind,
                "description": priority.description,
                "themes": [theme.pk for theme in priority.themes.all()],
            },
            themes=themes,
        )
        goals = forms.GoalLinkFormSet(
            prefix="doelen", initial=forms.goal_link_initial(priority.goal_links.all()), form_kwargs=goal_kwargs
        )
        targets = forms.TargetFormSet(
            prefix="indicatoren", initial=forms.target_initial(priority.targets.all()), form_kwargs=target_kwargs
        )
    return form, goals, targets, baselines


def _target_inputs(targets_formset, baselines) -> list[services.TargetInput]:
    """Target rows as service input; an empty baseline is filled in from the region's CBS data where there is one."""
    inputs = []
    for form in targets_formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not data.get("indicator"):
            continue
        year, value = data.get("baseline_year"), data.get("baseline_value")
        year, value, from_data = resolve_baseline(
            baselines.get(data["indicator"]), year, value, fill=year is None and value is None
        )
        inputs.append(
            services.TargetInput(
                indicator_id=data["indicator"],
                baseline_year=year,
                baseline_value=value,
                baseline_from_data=from_data,
                target_year=data["target_year"],
                target_value=data["target_value"],
            )
        )
    return inputs


def _priority_form_page(request, agenda: Agenda, priority: Priority | None):
    form, goals, targets, baselines = _priority_form_parts(request, agenda, priority)
    sections: dict[str, list[str]] = {"goal_links": [], "targets": []}
    context: dict[str, Any] = {}
    if request.method == "POST" and all([form.is_valid(), goals.is_valid(), targets.is_valid()]):
        data = form.cleaned_data
        fields = {
            "actor": request.user,
            "title": data["title"],
            "kind": data["kind"],
            "description": data["description"],
            "theme_ids": [theme.pk for theme in data["themes"]],
            "goal_links": forms.goal_link_inputs(goals),
            "targets": _target_inputs(targets, baselines),
        }
        try:
            if priority is None:
                saved = services.priority_create(agenda=agenda, **fields)
            else:
                saved = services.priority_update(priority_id=priority.pk, base_version=data["version"], **fields)
        except EditConflict as conflict:
            form.set_version(conflict.current_version)
            context.update(_conflict_context(conflict))
        except ValidationError as error:
            _apply_service_errors(error, form, sections)
        else:
            messages.success(request, _("De prioriteit “%(title)s” is opgeslagen.") % {"title": saved.title})
            return redirect(reverse("agendas:detail", args=[agenda.pk]) + f"#prioriteit-{saved.pk}")
    context.update(
        {
            "agenda": agenda,
            "priority": priority,
            "form": form,
            "goals": goals,
            "targets": targets,
            "sections": sections,
            "error_summary": _error_summary(form, goals, targets, sections=sections),
        }
    )
    return render(request, "agendas/priority_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@_gone_is_not_found
def priority_create(request, pk: int):
    agenda, _perms = _load_agenda(request, pk, edit=True)
    return _priority_form_page(request, agenda, None)


@login_required
@require_http_methods(["GET", "POST"])
@_gone_is_not_found
def priority_edit(request, pk: int, priority_id: int):
    agenda, _perms = _load_agenda(request, pk, edit=True)
    priority = get_object_or_404(_priority_queryset(agenda), pk=priority_id)
    return _priority_form_page(request, agenda, priority)


@login_required
@require_http_methods(["GET", "POST"])
@_gone_is_not_found
def priority_delete(request, pk: int, priority_id: int):
    agenda, _perms = _load_agenda(request, pk, edit=True)
    priority = get_object_or_404(Priority.objects.filter(agenda=agenda).prefetch_related("measures"), pk=priority_id)
    form = forms.DeleteForm(request.POST or None, initial={"version": priority.version})
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_delete(
                priority_id=priority.pk, actor=request.user, base_version=form.cleaned_data["version"]
            )
        except EditConflict as conflict:
            form.set_version(conflict.current_version)
            context.update(_conflict_context(conflict))
        else:
            messages.success(request, _("De prioriteit “%(title)s” is verwijderd.") % {"title": priority.title})
            return redirect(reverse("agendas:detail", args=[agenda.pk]) + "#prioriteiten")
    context.update(
        {
            "agenda": agenda,
            "form": form,
            "kind": _("prioriteit"),
            "title": priority.title,
            "cancel_url": reverse("agendas:detail", args=[agenda.pk]) + f"#prioriteit-{priority.pk}",
            "consequences": [measure.title for measure in priority.measures.all()],
        }
    )
    return render(request, "agendas/confirm_delete.html", context)


# ---------------------------------------------------------------- measures


def _measure_form_page(request, agenda: Agenda, measure: Measure | None):
    creating = measure is None
    form_kwargs = {
        "priorities": Priority.objects.filter(agenda=agenda).order_by("position", "pk"),
        "organisations": _member_organisations(agenda),
        "agenda": agenda,
        "creating": creating,
    }
    goal_kwargs = {"goal_choices": _goal_choices(measure)}
    sections: dict[str, list[str]] = {"goal_links": [], "budget_lines": []}
    context: dict[str, Any] = {}
    if request.method == "POST":
        form = forms.MeasureForm(request.POST, **form_kwargs)
        goals = forms.GoalLinkFormSet(request.POST, prefix="doelen", form_kwargs=goal_kwargs)
        table = forms.BudgetTable(agenda.years, data=request.POST)
        valid = all([form.is_valid(), goals.is_valid()])
        if valid:
            table.check_measure_years(form.cleaned_data["start_year"], form.cleaned_data["end_year"])
        if valid and table.is_valid():
            data = form.cleaned_data
            measure_input = services.MeasureInput(
                priority_id=data["priority"].pk,
                title=data["title"],
                description=data["description"],
                lead_organisation_id=data["lead_organisation"].pk,
                start_year=data["start_year"],
                end_year=data["end_year"],
                status=data["status"],
                budget=table.amounts,
                goal_links=forms.goal_link_inputs(goals),
            )
            try:
                if measure is None:
                    saved = services.measure_create(agenda=agenda, actor=request.user, data=measure_input)
                else:
                    saved = services.measure_update(
                        measure_id=measure.pk, actor=request.user, base_version=data["version"], data=measure_input
                    )
            except EditConflict as conflict:
                form.set_version(conflict.current_version)
                context.update(_conflict_context(conflict))
            except ValidationError as error:
                _apply_service_errors(error, form, sections)
            else:
                messages.success(request, _("De maatregel “%(title)s” is opgeslagen.") % {"title": saved.title})
                return redirect(reverse("agendas:detail", args=[agenda.pk]) + f"#maatregel-{saved.pk}")
    elif measure is None:
        initial: dict[str, Any] = {"start_year": agenda.start_year, "end_year": agenda.end_year, "status": "idea"}
        wanted = request.GET.get("prioriteit", "")
        if wanted.isascii() and wanted.isdigit() and len(wanted) < 19:
            initial["priority"] = int(wanted)
        form = forms.MeasureForm(initial=initial, **form_kwargs)
        goals = forms.GoalLinkFormSet(prefix="doelen", form_kwargs=goal_kwargs)
        table = forms.BudgetTable(agenda.years, amounts={})
    else:
        form = forms.MeasureForm(
            initial={
                "version": measure.version,
                "title": measure.title,
                "priority": measure.priority_id,
                "description": measure.description,
                "lead_organisation": measure.lead_organisation_id,
                "start_year": measure.start_year,
                "end_year": measure.end_year,
                "status": measure.status,
            },
            **form_kwargs,
        )
        goals = forms.GoalLinkFormSet(
            prefix="doelen", initial=forms.goal_link_initial(measure.goal_links.all()), form_kwargs=goal_kwargs
        )
        table = forms.BudgetTable(
            agenda.years, amounts={(line.year, line.source): line.amount for line in measure.budget_lines.all()}
        )
        table.measure_years = (measure.start_year, measure.end_year)
    context.update(
        {
            "agenda": agenda,
            "measure": measure,
            "form": form,
            "goals": goals,
            "table": table,
            "sections": sections,
            "error_summary": _error_summary(form, goals, table, sections=sections),
        }
    )
    return render(request, "agendas/measure_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@_gone_is_not_found
def measure_create(request, pk: int):
    agenda, _perms = _load_agenda(request, pk, edit=True)
    return _measure_form_page(request, agenda, None)


@login_required
@require_http_methods(["GET", "POST"])
@_gone_is_not_found
def measure_edit(request, pk: int, measure_id: int):
    agenda, _perms = _load_agenda(request, pk, edit=True)
    measure = get_object_or_404(
        Measure.objects.filter(agenda=agenda).prefetch_related(
            "budget_lines", Prefetch("goal_links", queryset=GoalLink.objects.select_related("goal"))
        ),
        pk=measure_id,
    )
    return _measure_form_page(request, agenda, measure)


@login_required
@require_http_methods(["GET", "POST"])
@_gone_is_not_found
def measure_delete(request, pk: int, measure_id: int):
    agenda, _perms = _load_agenda(request, pk, edit=True)
    measure = get_object_or_404(Measure.objects.filter(agenda=agenda), pk=measure_id)
    form = forms.DeleteForm(request.POST or None, initial={"version": measure.version})
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_delete(
                measure_id=measure.pk, actor=request.user, base_version=form.cleaned_data["version"]
            )
        except EditConflict as conflict:
            form.set_version(conflict.current_version)
            context.update(_conflict_context(conflict))
        else:
            messages.success(request, _("De maatregel “%(title)s” is verwijderd.") % {"title": measure.title})
            return redirect(reverse("agendas:detail", args=[agenda.pk]) + f"#prioriteit-{measure.priority_id}")
    context.update(
        {
            "agenda": agenda,
            "form": form,
            "kind": _("maatregel"),
            "title": measure.title,
            "cancel_url": reverse("agendas:detail", args=[agenda.pk]) + f"#maatregel-{measure.pk}",
            "consequences": [],
        }
    )
    return render(request, "agendas/confirm_delete.html", context)


# ---------------------------------------------------------------- panels


def coalition_panel(request, coalition: Coalition, *, perms) -> Panel | None:
    """The coalition page's list of its agendas. Agendas are drafts: only members see them."""
    if "view_coalition" not in perms:
        return None
    return Panel(
        "agendas/includes/coalition_panel.html",
        {
            "agendas": selectors.agenda_list_for(request.user).filter(coalition=coalition),
            "can_create": permissions.can_create_agenda(request.user, coalition, perms=perms),
        },
    )


def register_panels() -> None:
    COALITION_PAGE.register(coalition_panel)
