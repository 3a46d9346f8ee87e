"""History and diff of an agenda, comments, and notifications."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from agendas import comments, revisions, selectors
from agendas.forms import CommentForm
from agendas.models import Agenda, FundingSource, MeasureStatus, PartType, Priority, PriorityKind, Revision
from agendas.permissions import can_comment_on_agenda, can_view_agenda
from agendas.views import agendas as agenda_views
from coalitions.permissions import coalition_permissions
from core.formatting import figure, in_english, unit_places
from regions.models import Indicator, Theme

REVISIONS_PER_PAGE = 25

# The human names of the snapshot keys (agendas.services.*_snapshot).
FIELD_LABELS: dict[str, Any] = {
    "title": gettext_lazy("titel"),
    "summary": gettext_lazy("samenvatting"),
    "vision": gettext_lazy("visie"),
    "start_year": gettext_lazy("beginjaar"),
    "end_year": gettext_lazy("eindjaar"),
    "lead_partner": gettext_lazy("penvoerder"),
    "themes": gettext_lazy("thema's"),
    "kind": gettext_lazy("soort"),
    "description": gettext_lazy("toelichting"),
    "goal_links": gettext_lazy("gekoppelde doelen"),
    "targets": gettext_lazy("doelindicatoren"),
    "priority": gettext_lazy("prioriteit"),
    "lead_organisation": gettext_lazy("trekker"),
    "status": gettext_lazy("status"),
    "budget": gettext_lazy("begroting"),
}
# The order of the fields on the page, per part (the snapshots' own key order
# is not kept: PostgreSQL's jsonb sorts keys).
FIELD_ORDER = {
    PartType.HEADER: ["title", "summary", "vision", "start_year", "end_year", "lead_partner", "themes"],
    PartType.PRIORITY: ["title", "kind", "description", "themes", "goal_links", "targets"],
    PartType.MEASURE: [
        "title",
        "priority",
        "description",
        "lead_organisation",
        "start_year",
        "end_year",
        "status",
        "budget",
        "goal_links",
    ],
}
# A measure's description is called "omschrijving" on its form.
MEASURE_FIELD_LABELS = {**FIELD_LABELS, "description": gettext_lazy("omschrijving")}
# Free text that is shown as a word diff; other strings are shown as before → after.
LONG_TEXT_FIELDS = {"summary", "vision", "description"}
CHOICE_LABELS = {"kind": dict(PriorityKind.choices), "status": dict(MeasureStatus.choices)}
STRENGTH_LABELS = {"direct": gettext_lazy("direct"), "indirect": gettext_lazy("indirect")}
STATUS_LABELS = {
    "added": gettext_lazy("toegevoegd"),
    "removed": gettext_lazy("verwijderd"),
    "changed": gettext_lazy("gewijzigd"),
}


def field_label(part_type: str, key: str) -> str:
    labels = MEASURE_FIELD_LABELS if part_type == PartType.MEASURE else FIELD_LABELS
    return str(labels.get(key, key))


def in_field_order(part_type: str, keys: list[str]) -> list[str]:
    order = {key: index for index, key in enumerate(FIELD_ORDER.get(part_type, []))}
    return sorted(keys, key=lambda key: order.get(key, len(order)))


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _agenda_for_member(request, pk: int) -> Agenda:
    """The agenda, or 404 for everyone who may not see it (drafts never leak)."""
    agenda = get_object_or_404(Agenda.objects.select_related("coalition"), pk=pk)
    if not can_view_agenda(request.user, agenda):
        raise Http404
    return agenda


# ------------------------------------------------------------------- history


@dataclass
class HistoryRow:
    revision: Revision
    changed: list[str]
    previous: int | None


@require_GET
@login_required
def history(request, pk: int):
    agenda = _agenda_for_member(request, pk)
    page = Paginator(selectors.agenda_revisions(agenda), REVISIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        HistoryRow(
            revision=revision,
            changed=[
                field_label(revision.part_type, key)
                for key in in_field_order(revision.part_type, revision.changed_fields)
            ],
            previous=revision.number - 1 if revision.number > 1 else None,
        )
        for revision in page.object_list
    ]
    newest = agenda.revision_count
    form = CompareForm(initial={"van": max(newest - 1, 1), "tot": newest}, newest=newest)
    return render(request, "agendas/history.html", {"agenda": agenda, "page": page, "rows": rows, "form": form})


# ------------------------------------------------------------------- compare


class CompareForm(forms.Form):
    van = forms.IntegerField(label=gettext_lazy("Van revisie"), min_value=1)
    tot = forms.IntegerField(label=gettext_lazy("Tot en met revisie"), min_value=1)

    def __init__(self, *args, newest: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.newest = newest
        for name in ("van", "tot"):
            self.fields[name].widget.attrs.update(
                {
                    "class": "utrecht-textbox utrecht-textbox--html-input utrecht-textbox--numeric ka-textbox--short",
                    "inputmode": "numeric",
                    "max": newest,
                }
            )

    def clean(self):
        data = super().clean()
        for name in ("van", "tot"):
            number = data.get(name)
            if number is not None and number > self.newest:
                self.add_error(
                    name,
                    ValidationError(
                        _("Revisie %(n)s bestaat niet; deze agenda heeft %(newest)s revisies.")
                        % {"n": number, "newest": self.newest},
                        code="missing",
                    ),
                )
        return data

    def has_non_number(self) -> bool:
        return any(self.has_error(name, "invalid") for name in ("van", "tot"))


@dataclass
class ChangeRow:
    """One changed field, ready to show; ``kind`` picks the template branch."""

    label: str
    kind: str  # "text", "value", "budget" or "list"
    segments: list[tuple[str, str]] = field(default_factory=list)
    before: Any = None
    after: Any = None
    cells: list[dict[str, Any]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)


@dataclass
class PartSection:
    part_type: str
    part_type_label: str
    label: str
    status: str
    status_label: str
    rows: list[ChangeRow]


class _Names:
    """Names for the codes in snapshots (themes, indicators): one query each, only when needed."""

    def __init__(self, diffs: list[revisions.PartDiff]):
        theme_codes: set[str] = set()
        indicator_codes: set[str] = set()
        for diff in diffs:
            for change in diff.changes:
                for value in (change.before, change.after):
                    if change.field == "themes" and isinstance(value, list):
                        theme_codes.update(str(code) for code in value)
                    if change.field == "targets" and isinstance(value, list):
                        indicator_codes.update(str(t.get("indicator")) for t in value if isinstance(t, dict))
        english = in_english()
        self.themes: dict[str, str] = {}
        if theme_codes:
            themes = Theme.objects.filter(code__in=theme_codes)
            self.themes = {t.code: t.name_en if english else t.name_nl for t in themes}
        self.indicators: dict[str, str] = {}
        self.units: dict[str, str] = {}
        if indicator_codes:
            indicators = list(Indicator.objects.filter(code__in=indicator_codes))
            self.indicators = {i.code: i.name_en if english else i.name_nl for i in indicators}
            self.units = {i.code: i.unit for i in indicators}


def _describe_goal_link(link: Any) -> str:
    if not isinstance(link, dict):
        return str(link)
    text = f"{link.get('goal', '')} ({STRENGTH_LABELS.get(link.get('strength'), link.get('strength', ''))})"
    if link.get("contribution"):
        text += f": {link['contribution']}"
    return text


def _describe_target(target: Any, names: _Names) -> str:
    if not isinstance(target, dict):
        return str(target)
    code = str(target.get("indicator", ""))
    name = names.indicators.get(code, code)
    unit = names.units.get(code, "")
    if target.get("baseline_value") is not None:
        return _("%(name)s: van %(baseline)s (%(baseline_year)s) naar %(target)s in %(target_year)s") % {
            "name": name,
            "baseline": _measure(target["baseline_value"], unit),
            "baseline_year": target.get("baseline_year") or "?",
            "target": _measure(target.get("target_value"), unit),
            "target_year": target.get("target_year"),
        }
    return _("%(name)s: %(target)s in %(target_year)s") % {
        "name": name,
        "target": _measure(target.get("target_value"), unit),
        "target_year": target.get("target_year"),
    }


def _measure(value: Any, unit: str) -> str:
    """A snapshot's decimal ("5E+1", "56.2831") with the precision of the indicator's unit ("50,0", "56,3")."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    return figure(number, unit_places(unit))


def _list_items(key: str, value: Any, names: _Names) -> list[str]:
    if not isinstance(value, list):
        return [] if value in (None, "") else [str(value)]
    if key == "themes":
        return [names.themes.get(str(code), str(code)) for code in value]
    if key == "goal_links":
        return [_describe_goal_link(link) for link in value]
    if key == "targets":
        return [_describe_target(target, names) for target in value]
    return [str(item) for item in value]


def _budget_cells(before: Any, after: Any) -> list[dict[str, Any]]:
    """The (year, source) amounts that differ, with euros before and after (0 when absent)."""

    def flat(budget: Any) -> dict[tuple[str, str], int]:
        if not isinstance(budget, dict):
            return {}
        return {
            (str(year), str(source)): amount
            for year, sources in budget.items()
            if isinstance(sources, dict)
            for source, amount in sources.items()
        }

    old, new = flat(before), flat(after)
    source_labels = dict(FundingSource.choices)
    order = {source: index for index, source in enumerate(FundingSource.values)}
    cells = []
    for year, source in sorted(set(old) | set(new), key=lambda key: (key[0], order.get(key[1], 99))):
        was, now = old.get((year, source), 0), new.get((year, source), 0)
        if was != now:
            cells.append(
                {
                    "year": year,
                    "source": source_labels.get(source, source),
                    "before": was,
                    "after": now,
                    "difference": abs(now - was) if isinstance(now, int) and isinstance(was, int) else None,
                    "increase": isinstance(now, int) and isinstance(was, int) and now > was,
                }
            )
    return cells


def _change_row(part_type: str, change: revisions.FieldChange, names: _Names) -> ChangeRow:
    key, label = change.field, field_label(part_type, change.field)
    if key == "budget":
        return ChangeRow(label=label, kind="budget", cells=_budget_cells(change.before, change.after))
    if isinstance(change.before, list) or isinstance(change.after, list):
        old, new = _list_items(key, change.before, names), _list_items(key, change.after, names)
        return ChangeRow(
            label=label,
            kind="list",
            removed=[item for item in old if item not in new],
            added=[item for item in new if item not in old],
        )
    if key in LONG_TEXT_FIELDS and change.is_text:
        return ChangeRow(label=label, kind="text", segments=revisions.text_diff(change.before, change.after))
    choices = CHOICE_LABELS.get(key, {})
    return ChangeRow(
        label=label,
        kind="value",
        before=choices.get(change.before, change.before),
        after=choices.get(change.after, change.after),
    )


def compare_sections(diffs: list[revisions.PartDiff]) -> list[PartSection]:
    names = _Names(diffs)
    part_types = dict(PartType.choices)
    return [
        PartSection(
            part_type=diff.part_type,
            part_type_label=str(part_types.get(diff.part_type, diff.part_type)),
            label=diff.label,
            status=diff.status,
            status_label=str(STATUS_LABELS.get(diff.status, diff.status)),
            rows=[_change_row(diff.part_type, change, names) for change in _shown_changes(diff)],
        )
        for diff in diffs
    ]


def _shown_changes(diff: revisions.PartDiff) -> list[revisions.FieldChange]:
    """The changes in page order; "nothing" becoming "nothing" (None → []) is no change to show."""
    by_key = {change.field: change for change in diff.changes}
    return [
        by_key[key]
        for key in in_field_order(diff.part_type, list(by_key))
        if not (_is_empty(by_key[key].before) and _is_empty(by_key[key].after))
    ]


@require_GET
@login_required
def compare(request, pk: int):
    agenda = _agenda_for_member(request, pk)
    newest = agenda.revision_count
    context: dict[str, Any] = {"agenda": agenda, "sections": None, "older": None, "newer": None}
    status = 200
    if "van" not in request.GET and "tot" not in request.GET:
        form = CompareForm(initial={"van": max(newest - 1, 1), "tot": newest}, newest=newest)
    else:
        form = CompareForm(request.GET, newest=newest)
        if form.is_valid():
            older, newer = sorted((form.cleaned_data["van"], form.cleaned_data["tot"]))
            rows = (
                Revision.objects.filter(agenda_id=agenda.pk, number__lte=newer)
                .only("agenda_id", "number", "part_type", "part_id", "part_label", "action", "snapshot")
                .order_by("number")
            )
            context.update(
                older=older, newer=newer, sections=compare_sections(revisions.compare(list(rows), older, newer))
            )
        else:
            # Words where numbers belong are a bad request; numbers of revisions
            # that do not exist are a thing that is not there.
            status = 400 if form.has_non_number() or not all(request.GET.get(n) for n in ("van", "tot")) else 404
    context["form"] = form
    return render(request, "agendas/compare.html", context, status=status)


# ------------------------------------------------------------------ comments


@require_POST
@login_required
def comment_create(request, pk: int):
    """Post a comment; a refused one is shown again on its page, with the error at the comment box."""
    agenda = get_object_or_404(Agenda.objects.select_related("coalition", "region"), pk=pk)
    perms = coalition_permissions(request.user, agenda.coalition)
    if not can_comment_on_agenda(request.user, agenda, perms=perms):
        raise Http404
    priority = None
    priority_id = request.POST.get("priority", "").strip()
    if priority_id:
        if not (priority_id.isascii() and priority_id.isdigit() and len(priority_id) < 19):
            raise Http404
        priority = get_object_or_404(Priority, pk=int(priority_id), agenda=agenda)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comments.comment_create(
                agenda=agenda, actor=request.user, body=form.cleaned_data["body"], priority=priority
            )
        except ValidationError as error:
            for messages_of_field in error.message_dict.values():
                for message in messages_of_field:
                    form.add_error("body", message)
    if form.errors:
        if priority is not None:
            return agenda_views.priority_page(request, agenda, perms, priority.pk, comment_form=form)
        # The agenda page needs the whole document.
        agenda = selectors.agenda_queryset().get(pk=agenda.pk)
        return agenda_views.agenda_page(request, agenda, perms, comment_form=form)
    messages.success(request, _("Uw reactie is geplaatst."))
    if priority is not None:
        target = reverse("agendas:priority", args=[agenda.pk, priority.pk])
    else:
        target = reverse("agendas:detail", args=[agenda.pk])
    return redirect(target + "#reacties")


@require_GET
@login_required
def mention_members(request, pk: int):
    """The coalition's members a comment may mention, for the suggestions under the comment box.

    ``{"members": [{"handle": "jan", "name": "Jan de Vries"}, ...]}``; a 404 for everyone who may not comment.
    """
    agenda = get_object_or_404(Agenda.objects.select_related("coalition"), pk=pk)
    if not can_comment_on_agenda(request.user, agenda):
        raise Http404
    members = [{"handle": m.handle, "name": m.name} for m in comments.mentionable_members(agenda)]
    response = JsonResponse({"members": members})
    response["Cache-Control"] = "private, max-age=60"
    return response
