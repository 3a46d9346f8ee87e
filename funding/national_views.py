"""The national picture of Rijk funding (public) and its exports (CSV, XLSX).

Only approved decisions count; see ``funding.national`` for the figures and
the rule that spreads a decision over the municipalities of its region.
"""

from __future__ import annotations

from django import forms
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from funding import exports, national
from funding.models import Programme
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


def picture_for(params):
    """The filter form bound to ``params`` (when there are any) and the picture it selects; the page and the API.

    Four queries when the picture is cached (see ``funding.national``).
    """
    english = (get_language() or "nl").startswith("en")
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
    return form, national.cached_picture(filters, version=version)


@require_GET
def national_picture(request):
    form, picture = _form_and_picture(request)
    # The map, the tables and the filter form (hundreds of goals) are most of the page's rendering time.
    # Cached per language and picture (whose key changes with the data and the filters), rendered on a miss;
    # a form with errors shows what was typed, so it is never cached.
    key = f"{get_language()}:{picture.cache_key}" if picture.cache_key else None
    figures = _cached_html(
        key and f"funding:national:figures:v1:{key}",
        lambda: render_to_string("funding/includes/national_figures.html", _figures_context(picture)),
    )
    filters = _cached_html(
        key and not form.errors and f"funding:national:filters:v1:{key}",
        lambda: render_to_string("funding/includes/national_filters.html", {"form": form}),
    )
    return render(
        request,
        "funding/national.html",
        {"form": form, "picture": picture, "figures": figures, "filters": filters, "query": picture.filters.as_query()},
        status=400 if form.errors else 200,
    )


def _cached_html(key: str | None, render_html) -> str:
    """The HTML ``render_html()`` makes, from the cache under ``key`` (rendered every time without a key)."""
    html = cache.get(key) if key else None
    if html is None:
        html = render_html()
        if key:
            cache.set(key, html, national.CACHE_SECONDS)
    return html


def _figures_context(picture: national.NationalPicture) -> dict:
    municipal_map, province_map = netherlands_map()
    # Classes on whole cents, so municipalities with the same shown value share a class.
    per_inhabitant = {
        code: round(m.per_inhabitant, 2) if m.per_inhabitant else None for code, m in picture.municipalities.items()
    }
    breaks = national.class_breaks(per_inhabitant.values())
    shapes = [
        (shape, picture.municipalities.get(shape.code), national.funding_class(per_inhabitant.get(shape.code), breaks))
        for shape in municipal_map.shapes
    ]
    top = max(picture.by_programme_year.values(), default=0)
    chart = [
        (year, programme, amount, round(amount / top * 100) if top else 0)
        for programme, amounts, _total in picture.programme_rows()
        for year, amount in zip(picture.years, amounts, strict=True)
        if amount
    ]
    chart.sort(key=lambda row: (row[0], row[1].name))
    return {
        "picture": picture,
        "shapes": shapes,
        "municipal_map": municipal_map,
        "province_map": province_map,
        "legend": _legend(breaks),
        "chart": chart,
    }


def _legend(breaks: list[float]) -> list[tuple[int, float | None, float | None]]:
    """(class, lower bound exclusive, upper bound inclusive) for classes 1..len(breaks)+1."""
    bounds = [0.0, *breaks, None]
    return [(index, bounds[index - 1], bounds[index]) for index in range(1, len(bounds))]


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
