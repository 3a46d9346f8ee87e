"""The national picture of Rijk funding (public) and its exports (CSV, XLSX).

Only approved decisions count; see ``funding.national`` for the figures and
the rule that spreads a decision over the municipalities of its region.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core import charts
from core.formatting import euro, in_english
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


# The parts of the page that depend only on the data, the filters and the language: the map, the tables
# and the chart; the filter form (hundreds of goals); the answer in short. They are most of the page's
# rendering time, so they are cached as HTML and the picture itself is not even loaded on a hit.
FRAGMENTS = {
    "figures": "funding/includes/national_figures.html",
    "filters": "funding/includes/national_filters.html",
    "summary": "funding/includes/national_summary.html",
}


@require_GET
def national_picture(request):
    form, filters, version = form_and_filters(request.GET)
    prefix = f"funding:national:v2:{get_language()}:{version}:{filters.key}"
    # A form with errors shows what was typed: its fragment is rendered every time, never cached.
    wanted = [name for name in FRAGMENTS if not (name == "filters" and form.errors)]
    cached = cache.get_many([f"{prefix}:{name}" for name in wanted])
    html = {name: cached.get(f"{prefix}:{name}") for name in wanted}
    missing = [name for name in FRAGMENTS if html.get(name) is None]
    if missing:
        picture = national.cached_picture(filters, version=version)
        contexts = {
            "figures": lambda: _figures_context(picture),
            "filters": lambda: {"form": form},
            "summary": lambda: {"picture": picture},
        }
        for name in missing:
            html[name] = render_to_string(FRAGMENTS[name], contexts[name]())
        cache.set_many({f"{prefix}:{name}": html[name] for name in missing if name in wanted}, national.CACHE_SECONDS)
    return render(
        request,
        "funding/national.html",
        {**html, "query": urlencode(filters.as_query())},
        status=400 if form.errors else 200,
    )


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


def _figures_context(picture: national.NationalPicture) -> dict:
    municipal_map, province_map = netherlands_map()
    # Classes on whole cents, so municipalities with the same shown value share a class.
    per_inhabitant = {
        code: round(m.per_inhabitant, 2) if m.per_inhabitant else None for code, m in picture.municipalities.items()
    }
    legend, classes = map_classes(per_inhabitant)
    labels = {entry.index: entry.label for entry in legend}
    shapes = [
        (shape, picture.municipalities.get(shape.code), classes.get(shape.code, 0)) for shape in municipal_map.shapes
    ]
    rows = [(m, labels[classes.get(m.code, 0)]) for m in picture.by_deficit()]
    return {
        "picture": picture,
        "shapes": shapes,
        "rows": rows,
        "municipal_map": municipal_map,
        "province_map": province_map,
        "legend": legend,
        "chart": commitments_chart(picture),
    }


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
