"""The national picture of Rijk funding (public) and its exports (CSV, XLSX).

Only approved decisions count; see ``funding.national`` for the figures and
the rule that spreads a decision over the municipalities of its region.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core import charts
from core.formatting import euro, in_english
from core.public_cache import public_cache
from funding import exports, national
from funding.models import Programme
from funding.templatetags.funding_figures import euro_places
from regions.mapview import netherlands_map
from regions.models import Theme


class NationalFilterForm(forms.Form):
    programme = forms.ChoiceField(label=_("Programma"), required=False)
    theme = forms.ChoiceField(label=_("Thema"), required=False)
    goal = forms.ChoiceField(label=_("Doel"), required=False)

    def __init__(self, *args, programmes, themes, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", _("Alle programma's")), *[(str(p.pk), p.name) for p in programmes]]
        self.fields["theme"].choices = [("", _("Alle thema's")), *themes]
        self.fields["goal"].choices = [("", _("Alle doelen")), *goals]

    def filters(self) -> national.Filters:
        """The valid filters; an unknown value is ignored (its field shows the error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        programme = data.get("programme") or ""
        return national.Filters(
            programme_id=int(programme) if programme.isdigit() else None,
            theme=data.get("theme") or "",
            goal=data.get("goal") or "",
        )


def _form_and_picture(request):
    return picture_for(request.GET)


def form_and_filters(params) -> tuple[NationalFilterForm, national.Filters, str]:
    """The filter form bound to ``params`` (when there are any), the filters it selects and the data version.

    Three queries: themes and programmes for the form, and the data version (see ``funding.national``).
    """
    english = in_english()
    themes = [(t.code, t.name_en if english else t.name_nl) for t in Theme.objects.order_by("position")]
    programmes = list(Programme.objects.order_by("name"))
    version = national.data_version(programmes)
    form = NationalFilterForm(
        params or None,
        programmes=programmes,
        themes=themes,
        goals=national.cached_goal_choices(version),
    )
    filters = form.filters() if params else national.Filters()
    return form, filters, version


def picture_for(params):
    """The filter form and the picture it selects (cached per data version); the API and the exports."""
    form, filters, version = form_and_filters(params)
    return form, national.cached_picture(filters, version=version)


# The parts of the page that depend only on the data, the filters, the language and (for the paged tables)
# the page: the filter form (hundreds of goals); the answer in short; the map's section (the map itself is
# an image of its own, ``national_map``); the tables per municipality and per region, a page each; the
# chart and table per programme. They are most of the page's rendering time, so they are cached as HTML
# and the picture itself is not even loaded on a hit.
FRAGMENTS = {
    "filters": "funding/includes/national_filters.html",
    "summary": "funding/includes/national_summary.html",
    "map": "funding/includes/national_map.html",
    "municipalities": "funding/includes/national_municipalities.html",
    "programmes": "funding/includes/national_figures.html",
    "regions": "funding/includes/national_regions.html",
}
# The long tables come a page at a time: at national scale (342 municipalities, a hundred regions with a
# column per year) they were two thirds of the page. Their pages are ?gemeente_pagina= and ?regio_pagina=.
MUNICIPALITIES_PER_PAGE = 50
REGIONS_PER_PAGE = 20
PAGE_PARAMS = {"municipalities": "gemeente_pagina", "regions": "regio_pagina"}
# The map's URL names its data version, so a browser or proxy may keep it for a year without asking.
MAP_MAX_AGE = 365 * 24 * 3600


def _page_number(params, name: str) -> int:
    """The page number asked for in ``params``: anything but a whole number from 1 is page 1."""
    raw = params.get(PAGE_PARAMS[name], "")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) < 10_000 else 1


@require_GET
@public_cache
def national_picture(request):
    form, filters, version = form_and_filters(request.GET)
    prefix = f"funding:national:v3:{get_language()}:{version}:{filters.key}"
    pages = {name: _page_number(request.GET, name) for name in PAGE_PARAMS}
    keys = {name: f"{prefix}:{name}" + (f":{pages[name]}" if name in pages else "") for name in FRAGMENTS}
    # A form with errors shows what was typed: its fragment is rendered every time, never cached.
    wanted = [name for name in FRAGMENTS if not (name == "filters" and form.errors)]
    cached = cache.get_many([keys[name] for name in wanted])
    html = {name: cached.get(keys[name]) for name in wanted}
    missing = [name for name in FRAGMENTS if html.get(name) is None]
    if missing:
        picture = national.cached_picture(filters, version=version)
        fragments = _Fragments(picture, form=form, filters=filters, version=version, pages=pages)
        store = {}
        for name in missing:
            context = getattr(fragments, name)()
            html[name] = render_to_string(FRAGMENTS[name], context)
            # A page past the end shows the last one: stored under the last page's number only.
            if name in wanted and ("page" not in context or context["page"].number == pages[name]):
                store[keys[name]] = html[name]
        cache.set_many(store, national.CACHE_SECONDS)
    return render(
        request,
        "funding/national.html",
        {**html, "query": urlencode(filters.as_query())},
        status=400 if form.errors else 200,
    )


class _Fragments:
    """The context of each fragment of the page (see FRAGMENTS), built from the picture."""

    def __init__(self, picture: national.NationalPicture, *, form, filters, version: str, pages: dict[str, int]):
        self.picture, self.form, self.query, self.version, self.pages = picture, form, filters, version, pages

    def filters(self) -> dict:
        return {"form": self.form}

    def summary(self) -> dict:
        return {"picture": self.picture}

    @cached_property
    def classes(self) -> tuple[list[MapClass], dict[str, int]]:
        return _map_classes(self.picture)

    def map(self) -> dict:
        municipal_map, _provinces = netherlands_map()
        legend, _classes = self.classes
        return {
            "picture": self.picture,
            "legend": legend,
            "map_url": map_url(self.version, self.query),
            "map_width": municipal_map.width,
            "map_height": municipal_map.height,
        }

    def municipalities(self) -> dict:
        legend, classes = self.classes
        labels = {entry.index: entry.label for entry in legend}
        page = Paginator(self.picture.by_deficit(), MUNICIPALITIES_PER_PAGE).get_page(self.pages["municipalities"])
        rows = [(m, labels[classes.get(m.code, 0)]) for m in page.object_list]
        return {"picture": self.picture, "rows": rows, "page": page, **self._pager("municipalities")}

    def programmes(self) -> dict:
        return {"picture": self.picture, "chart": commitments_chart(self.picture)}

    def regions(self) -> dict:
        page = Paginator(self.picture.regions, REGIONS_PER_PAGE).get_page(self.pages["regions"])
        return {"picture": self.picture, "regions": page.object_list, "page": page, **self._pager("regions")}

    def _pager(self, name: str) -> dict:
        # The pager's links keep the filters (not the other table's page: a fragment depends on its own page only).
        return {"page_param": PAGE_PARAMS[name], "page_query": urlencode(self.query.as_query())}


def map_url(version: str, filters: national.Filters) -> str:
    """The URL of the map for ``filters`` as SVG (``national_map``), with the data version and the language."""
    query = {"v": version, "taal": get_language(), **filters.as_query()}
    return f"{reverse('funding:national-map')}?{urlencode(query)}"


@require_GET
def national_map(request):
    """The national map as an SVG image: one class of euros per inhabitant per municipality (its colour), hatching
    over the municipalities that lag on many themes, province borders, and each municipality's name and figures
    in its <title>.

    For the page's <img> (and its script, which puts the same file inline so the titles show on hover). The URL
    names the data version (``v``), the language (``taal``) and the filters of the page, so the answer never
    changes and may be kept a year (``MAP_MAX_AGE``). An unknown filter or language is a 400; a missing or old
    version is redirected to the current one. Only approved decisions count (``funding.national``). Colours are
    presentation attributes (the Content-Security-Policy allows no inline style), the same as the page's CSS.
    """
    form, filters, version = form_and_filters(request.GET)
    language = request.GET.get("taal", "")
    errors = {name: [str(e) for e in messages] for name, messages in form.errors.items()}
    if language and language not in dict(settings.LANGUAGES):
        errors["taal"] = [gettext("Onbekende taal.")]
    if errors:
        lines = [f"{name}: {' '.join(messages)}" for name, messages in errors.items()]
        return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
    if not language or request.GET.get("v") != version:
        with translation.override(language or get_language()):
            response = HttpResponseRedirect(map_url(version, filters))
        response["Cache-Control"] = "no-cache"
        return response
    key = f"funding:national:map:v1:{language}:{version}:{filters.key}"
    svg = cache.get(key)
    if svg is None:
        with translation.override(language):
            svg = render_to_string(
                "funding/national_map.svg.html", _map_context(national.cached_picture(filters, version=version))
            )
        cache.set(key, svg, national.CACHE_SECONDS)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={MAP_MAX_AGE}, immutable"
    return response


# The map's colours as presentation attributes, the same as funding/static/funding/funding.css (.nat-map): the
# image cannot use the page's style sheet; the page's CSS wins once the script has put the map inline.
MAP_FILLS = {0: "#f2f2f2", 1: "#3a93a0", 2: "#2c6ca6", 3: "#3b4795", 4: "#2c1e63"}
MAP_NONE_LINE = "#8a8a8a"
MAP_PROVINCE_LINE = "#1b1b1b"


def _map_context(picture: national.NationalPicture) -> dict:
    municipal_map, province_map = netherlands_map()
    _legend, classes = _map_classes(picture)
    shapes = [
        (shape, picture.municipalities.get(shape.code), cls, MAP_FILLS[cls])
        for shape in municipal_map.shapes
        for cls in [classes.get(shape.code, 0)]
    ]
    return {
        "shapes": shapes,
        "municipal_map": municipal_map,
        "province_map": province_map,
        "none_line": MAP_NONE_LINE,
        "province_line": MAP_PROVINCE_LINE,
    }


def _map_classes(picture: national.NationalPicture) -> tuple[list[MapClass], dict[str, int]]:
    # Classes on whole cents, so municipalities with the same shown value share a class.
    per_inhabitant = {
        code: round(m.per_inhabitant, 2) if m.per_inhabitant else None for code, m in picture.municipalities.items()
    }
    return map_classes(per_inhabitant)


@dataclass(frozen=True)
class MapClass:
    """One class of the map's colour scale (0: no commitment) with its legend text and how many municipalities."""

    index: int
    label: str
    count: int


def map_classes(per_inhabitant: dict[str, float | None]) -> tuple[list[MapClass], dict[str, int]]:
    """The legend of the map (classes of euros per inhabitant, see ``national.class_breaks``) and each code's class."""
    breaks = national.class_breaks(per_inhabitant.values())
    ceiling = national.class_ceiling(per_inhabitant.values())
    classes = {code: national.funding_class(value, breaks) for code, value in per_inhabitant.items()}
    counts = Counter(classes.values())
    bounds = [0.0, *breaks, ceiling] if ceiling else []
    # Whole euros when every bound is whole, else cents (a small programme spread over many people).
    places = 0 if all(float(b).is_integer() for b in bounds) else 2
    legend = [MapClass(0, gettext("geen toezegging"), counts[0])]
    for index in range(1, len(bounds)):
        low, high = euro_places(bounds[index - 1], places), euro_places(bounds[index], places)
        label = gettext("tot en met %(high)s") % {"high": high} if index == 1 else f"{low} – {high}"
        legend.append(MapClass(index, label, counts[index]))
    return legend, classes


def commitments_chart(picture: national.NationalPicture) -> charts.ColumnChart:
    """Committed per payment year, a segment per programme (their names in the legend and the table).

    Also for other pages that show the commitments (the public portal): build it from
    ``national.cached_picture(national.Filters(), version=...)``.
    """
    return charts.columns(
        title=gettext("Toegezegd per betaaljaar en programma"),
        categories=[str(year) for year in picture.years],
        series=[
            charts.Series(f"programme-{programme.pk}", programme.name, amounts)
            for programme, amounts, _total in picture.programme_rows()
        ],
        format_value=euro,
        category_header=gettext("Betaaljaar"),
    )


def _attachment(content: bytes, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="beschikkingen-{stamp}.{extension}"'
    return response


@require_GET
def export_csv(request):
    _form, picture = _form_and_picture(request)
    return _attachment(exports.decisions_csv(picture.decisions), "text/csv; charset=utf-8", "csv")


@require_GET
def export_xlsx(request):
    _form, picture = _form_and_picture(request)
    return _attachment(exports.decisions_xlsx(picture), exports.XLSX_TYPE, "xlsx")
