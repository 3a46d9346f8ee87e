"""The pages of the regiotoets register.

* Public: the register (``/regiotoets/``: a GET form of filters, where a
  wrong value is a 400 with the error at its field; 50 a page; the national
  map of negative effects on lagging themes per municipality with its table),
  the map as an SVG image, one entry, and the register as CSV. Cached per
  public data version for anonymous visitors. No official is named.
* Recording and editing an entry: the officials of its ministry and the
  programme administrators (403 for others).
* Responding: a coordinator or editor of a coalition whose region the entry
  affects files a signal to the entry's ministry (404 for who is not in the
  coalition or whose region it does not affect, 403 for a viewer).
* The panel on the region page (``regions.panels.REGION_PAGE``): the entries
  that affect the region, those with a negative effect on a theme where it
  lags first and marked, and "Reageren" for the coalition of that region.

Every write calls one service; what it refuses is shown at its field (400).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agendas.models import Agenda
from coalitions.models import Coalition, CoalitionMembership
from coalitions.permissions import coalition_permissions
from core.documents import CSV_DELIMITER, neutralise
from core.forms import apply_errors
from core.panels import Panel
from core.public_cache import public_cache
from regions.mapview import netherlands_map
from regions.models import Region, Theme
from regions.panels import REGION_PAGE
from regiotoets import permissions, selectors, services
from regiotoets.forms import EntryForm, FilterForm, ResponseForm, theme_label
from regiotoets.models import Entry, EntryRegion
from signals import permissions as signal_permissions
from signals import services as signal_services

# --- the register -------------------------------------------------------------------------------


def filter_form(params) -> FilterForm:
    """The filter form bound to ``params`` (when there are any): three queries for its choices."""
    ministries, themes, regions = selectors.filter_choices()
    return FilterForm(params or None, ministries=ministries, themes=themes, regions=regions)


def filtered_entries(form: FilterForm):
    filters = form.filters()
    return filters, selectors.filtered(Entry.objects.all(), filters)


@dataclass(frozen=True)
class MapClass:
    """One class of the map's colour scale (0: none) with its legend text and how many municipalities."""

    index: int
    label: str
    count: int


# The map's classes of counts, lowest first: (from, to or None); class 0 is "none".
MAP_BOUNDS = ((1, 1), (2, 4), (5, 9), (10, None))
# Presentation attributes (an image gets no style sheet); the same colours as regiotoets.css's swatches.
MAP_FILLS = {0: "#f2f2f2", 1: "#d4711f", 2: "#b24a0b", 3: "#8f3207", 4: "#5e1c05"}
MAP_NONE_LINE = "#8a8a8a"


def map_class(count: int) -> int:
    for index, (low, high) in enumerate(MAP_BOUNDS, start=1):
        if count >= low and (high is None or count <= high):
            return index
    return 0


def map_legend(counts: dict[str, int], municipalities: int) -> list[MapClass]:
    per_class = dict.fromkeys(range(len(MAP_BOUNDS) + 1), 0)
    for count in counts.values():
        per_class[map_class(count)] += 1
    per_class[0] = municipalities - sum(per_class[index] for index in range(1, len(MAP_BOUNDS) + 1))
    labels = [_("geen")]
    for low, high in MAP_BOUNDS:
        if high is None:
            labels.append(_("%(low)s of meer") % {"low": low})
        elif low == high:
            labels.append(str(low))
        else:
            labels.append(_("%(low)s tot en met %(high)s") % {"low": low, "high": high})
    return [MapClass(index, labels[index], per_class[index]) for index in range(len(labels))]


def map_rows(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(code, name, count) of the municipalities with at least one, most first (the map's table)."""
    names = {shape.code: shape.name for shape in netherlands_map()[0].shapes}
    rows = [(code, names.get(code, code), count) for code, count in counts.items() if count]
    return sorted(rows, key=lambda row: (-row[2], row[1]))


@require_GET
@public_cache
def register(request):
    """The register, newest decision first, 50 a page, with the national map.

    Queries: the filter's ministries, themes and regions; the count and the page's ids; the rows; their effects;
    their regions; the map's counts. Nine, whatever the number of entries (the municipalities' lagging themes
    are cached per data version).
    """
    form = filter_form(request.GET)
    filters, entries = filtered_entries(form)
    page = selectors.page_of(entries, request.GET.get("page"))
    query_string = "&".join(f"{name}={value}" for name, value in filters.as_params().items())
    counts = selectors.negative_counts_by_municipality()
    municipal_map, _provinces = netherlands_map()
    return render(
        request,
        "regiotoets/register.html",
        {
            "form": form,
            "page": page,
            "entries": page.object_list,
            "query_string": query_string,
            "export_url": reverse("regiotoets:export-csv") + (f"?{query_string}" if query_string else ""),
            "may_record": permissions.may_record(request.user),
            "legend": map_legend(counts, len(municipal_map.shapes)),
            "map_rows": map_rows(counts),
            "map_width": municipal_map.width,
            "map_height": municipal_map.height,
        },
        status=400 if form.errors else 200,
    )


@require_GET
@public_cache
def map_svg(request):
    """The national map as an SVG image: each municipality coloured by its number of recorded negative effects on
    themes where it lags itself, named with that number in its <title>; province borders on top. Two queries."""
    counts = selectors.negative_counts_by_municipality()
    municipal_map, province_map = netherlands_map()
    shapes = [
        (shape, counts.get(shape.code, 0), MAP_FILLS[map_class(counts.get(shape.code, 0))])
        for shape in municipal_map.shapes
    ]
    return render(
        request,
        "regiotoets/map.svg.html",
        {"shapes": shapes, "municipal_map": municipal_map, "province_map": province_map},
        content_type="image/svg+xml; charset=utf-8",
    )


@require_GET
@public_cache
def entry_detail(request, pk: int):
    """One entry: its regions (those lagging on a theme with a negative effect named), effects and the responses
    the visitor may read; for officials of its ministry "Bewerken", for coalitions it affects "Reageren"."""
    entry = selectors.entry_detail(pk)
    if entry is None:
        raise Http404
    return render(
        request,
        "regiotoets/entry_detail.html",
        {
            "entry": entry,
            "flags": selectors.flags_by_region(entry),
            "responses": selectors.responses_for(entry, request.user),
            "may_edit": permissions.may_edit(request.user, entry),
            "respond_as": respond_as(request.user, entry),
        },
    )


def respond_as(user, entry: Entry) -> list[Coalition]:
    """The coalitions ``user`` may respond for whose region ``entry`` affects (no query for anonymous visitors)."""
    selected = EntryRegion.objects.filter(entry=entry).values("region_id")
    affected = Coalition.objects.filter(region_id__in=selectors.overlapping_regions(selected)).only("name", "slug")
    return permissions.coalitions_to_respond_for(user, affected)


def csv_header() -> list[str]:
    return [
        _("Kenmerk"),
        _("Titel"),
        _("Besluit of voorstel"),
        _("Soort"),
        _("Ministerie"),
        _("Datum van het besluit"),
        _("Regiocodes"),
        _("Regio's"),
        _("Thema"),
        _("Verwacht effect"),
        _("Reden"),
        _("Onderbouwing"),
        _("Bron"),
        _("Samenvatting"),
    ]


def csv_rows(entry: Entry) -> list[list]:
    """One row per expected effect (every entry has at least one)."""
    regions = list(entry.regions.all())
    common = [
        neutralise(entry.reference),
        neutralise(entry.title),
        str(entry.get_status_display()),
        str(entry.get_kind_display()),
        neutralise(entry.ministry.name),
        entry.decision_date.isoformat(),
        neutralise(", ".join(region.code for region in regions)),
        neutralise(", ".join(region.name for region in regions)),
    ]
    return [
        [
            *common,
            neutralise(theme_label(effect.theme)),
            str(effect.get_expected_display()),
            neutralise(effect.reason),
            neutralise(effect.evidence),
            neutralise(entry.source_url),
            neutralise(entry.summary),
        ]
        for effect in entry.effects.all()
    ]


@require_GET
@public_cache
def export_csv(request):
    """The register as CSV for Dutch Excel (``;``, UTF-8 with a byte order mark), one row per expected effect, with
    the page's filters; 400 on a wrong filter (its message in the body). Six queries, whatever the size."""
    form = filter_form(request.GET)
    _filters, entries = filtered_entries(form)
    if form.errors:
        text = "\n".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    rows = (
        entries.select_related("ministry")
        .prefetch_related(selectors.effects_prefetch(), selectors.regions_prefetch())
        .order_by("-decision_date", "-pk")
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(csv_header())
    for entry in rows:
        writer.writerows(csv_rows(entry))
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="regiotoets-{timezone.localdate().isoformat()}.csv"'
    return response


# --- recording and editing -----------------------------------------------------------------------


def entry_form(request, *, entry: Entry | None = None) -> EntryForm:
    kwargs = {
        "ministries": list(permissions.recordable_ministries(request.user)),
        "regions": selectors.selectable_regions(),
        "themes": list(Theme.objects.order_by("position")),
    }
    if entry is not None and entry.ministry_id not in {m.pk for m in kwargs["ministries"]}:
        kwargs["ministries"].append(entry.ministry)  # an inactive ministry stays the entry's
    if request.method == "POST":
        return EntryForm(request.POST, **kwargs)
    if entry is not None:
        return EntryForm.of(entry, **kwargs)
    return EntryForm(**kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request):
    """Record an entry: officials of a ministry and programme administrators (403 for others)."""
    if not permissions.may_record(request.user):
        raise PermissionDenied
    form = entry_form(request)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                entry = services.entry_record(actor=request.user, **form.service_arguments())
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, _("Rijksbesluit %(reference)s staat in de regiotoets.") % {"reference": entry.reference}
                )
                return redirect("regiotoets:detail", entry.pk)
        status = 400
    return render(request, "regiotoets/entry_form.html", {"form": form, "entry": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, pk: int):
    """Edit an entry: officials of its ministry and programme administrators (403 for others)."""
    entry = selectors.entry_detail(pk)
    if entry is None:
        raise Http404
    if not permissions.may_edit(request.user, entry):
        raise PermissionDenied
    form = entry_form(request, entry=entry)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.entry_update(actor=request.user, entry_id=entry.pk, **form.service_arguments())
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Het rijksbesluit is bijgewerkt."))
                return redirect("regiotoets:detail", entry.pk)
        status = 400
    return render(request, "regiotoets/entry_form.html", {"form": form, "entry": entry}, status=status)


# --- responding ----------------------------------------------------------------------------------

# Where the service's errors about the blocked part go on signals' form.
RESPONSE_FIELDS = {"priority": "blocks", "measure": "blocks"}


def remapped(error: ValidationError) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    moved: dict[str, list] = {}
    for field, errors in error.error_dict.items():
        moved.setdefault(RESPONSE_FIELDS.get(field, field), []).extend(errors)
    return ValidationError(moved)


@login_required
@require_http_methods(["GET", "POST"])
def entry_respond(request, pk: int, slug: str):
    """Respond to an entry for a coalition: a signal to its ministry about a priority or measure of the agenda.

    404 for an unknown entry, for who is not a member of the coalition and when the entry does not affect the
    coalition's region; 403 for a viewer (signals' rule: coordinators and editors file).
    """
    entry = get_object_or_404(Entry.objects.select_related("ministry"), pk=pk)
    coalition = get_object_or_404(Coalition.objects.select_related("region"), slug=slug)
    perms = coalition_permissions(request.user, coalition)
    if not signal_permissions.is_member(request.user, coalition, perms=perms):
        raise Http404
    if not permissions.may_respond_for(request.user, coalition, perms=perms):
        raise PermissionDenied
    if not selectors.affects(entry.pk, coalition.region):
        raise Http404
    agendas = list(Agenda.objects.filter(coalition=coalition).order_by("title").only("title", "coalition_id"))
    chosen = request.POST.get("agenda") or request.GET.get("agenda") or ""
    agenda = next((a for a in agendas if str(a.pk) == chosen), agendas[0] if len(agendas) == 1 else None)
    context = {"entry": entry, "coalition": coalition, "agendas": agendas, "agenda": agenda, "form": None}
    if agenda is None:
        return render(request, "regiotoets/respond_form.html", context)
    agenda = Agenda.objects.select_related("coalition", "region").get(pk=agenda.pk)
    lagging = selectors.lagging_codes(coalition.region)
    own = (
        CoalitionMembership.objects.filter(coalition=coalition, user=request.user)
        .values_list("organisation_id", flat=True)
        .first()
    )
    form = ResponseForm(
        request.POST or None,
        agenda=agenda,
        regions=signal_services.region_choices(agenda),
        organisations=signal_services.organisations_for(request.user, agenda),
        own_organisation_id=own,
        entry=entry,
        flagged_themes=[effect.theme for effect in selectors.flagged(entry.effects.select_related("theme"), lagging)],
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                response = services.entry_respond(
                    actor=request.user, entry_id=entry.pk, agenda_id=agenda.pk, **form.service_arguments()
                )
            except ValidationError as error:
                apply_errors(form, remapped(error))
            else:
                messages.success(
                    request,
                    _("Uw reactie is als signaal %(reference)s ingediend bij %(ministry)s.")
                    % {"reference": response.signal.reference, "ministry": entry.ministry.display_name},
                )
                return redirect("signals:detail", response.signal_id)
        status = 400
    return render(request, "regiotoets/respond_form.html", {**context, "agenda": agenda, "form": form}, status=status)


# --- the panel on the region page ----------------------------------------------------------------


def region_panel(request, region: Region) -> Panel | None:
    """The entries that affect ``region``: flagged first (negative on a theme where it lags), at most twenty.

    One query when no entry affects the region, else five (``selectors.panel_rows``); signed in, two more: the
    coalitions of this region the person may respond for, and their own responses. Constant in the number of
    entries.
    """
    rows, total = selectors.panel_rows(region)
    coalitions, responses = [], {}
    if rows and request.user.is_authenticated:
        coalitions = permissions.coalitions_to_respond_for(request.user, Coalition.objects.filter(region=region))
        if coalitions:
            responses = selectors.responses_of([c.pk for c in coalitions], [row.entry.pk for row in rows])
    return Panel(
        "regiotoets/includes/region_panel.html",
        {
            "region": region,
            "rows": [(row, responses.get(row.entry.pk, [])) for row in rows],
            "total": total,
            "flagged_count": sum(1 for row in rows if row.flagged),
            "coalitions": coalitions,
        },
    )


def register_panels() -> None:
    REGION_PAGE.register(region_panel, order=200)
