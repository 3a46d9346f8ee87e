"""The national picture of Rijk funding (public) and its exports (CSV, XLSX).

Only approved decisions count; see ``funding.national`` for the figures and
the rule that spreads a decision over the municipalities of its region.
"""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
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
    """The filter form bound to ``params`` (when there are any) and the picture it selects; the page and the API."""
    decisions = national.approved_decisions()
    english = (get_language() or "nl").startswith("en")
    themes = [(t.code, t.name_en if english else t.name_nl) for t in Theme.objects.order_by("position")]
    form = NationalFilterForm(
        params or None,
        programmes=list(Programme.objects.order_by("name")),
        themes=themes,
        goals=national.goal_choices(decisions),
    )
    filters = form.filters() if params else national.Filters()
    return form, national.national_picture(filters, decisions=decisions)


@require_GET
def national_picture(request):
    form, picture = _form_and_picture(request)
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
    legend = _legend(breaks)
    top = max(picture.by_programme_year.values(), default=0)
    chart = [
        (year, programme, amount, round(amount / top * 100) if top else 0)
        for programme, amounts, _total in picture.programme_rows()
        for year, amount in zip(picture.years, amounts, strict=True)
        if amount
    ]
    chart.sort(key=lambda row: (row[0], row[1].name))
    return render(
        request,
        "funding/national.html",
        {
            "form": form,
            "picture": picture,
            "shapes": shapes,
            "municipal_map": municipal_map,
            "province_map": province_map,
            "legend": legend,
            "chart": chart,
            "query": picture.filters.as_query(),
        },
        status=400 if form.errors else 200,
    )


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
