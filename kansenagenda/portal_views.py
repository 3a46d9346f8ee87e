"""The public portal: what everyone may read without logging in, on one page with links to the details."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import charts
from core.formatting import euro
from core.panels import Panel
from kansenagenda.portal import LATEST_ADVICE, LATEST_DECISIONS, portal_overview, region_record
from regions.panels import REGION_PAGE


@require_GET
def portal(request):
    overview = portal_overview()
    by_year = overview.committed_by_year
    chart = charts.columns(
        title=_("Toegezegd per betaaljaar (vastgestelde beschikkingen)"),
        categories=[str(year) for year, _total in by_year],
        series=[charts.Series("committed", _("Toegezegd"), [total for _year, total in by_year])],
        format_value=euro,
        category_header=_("Jaar"),
    )
    return render(
        request,
        "portal/portal.html",
        {
            "overview": overview,
            "commitments_chart": chart,
            "latest_advice_max": LATEST_ADVICE,
            "latest_decisions_max": LATEST_DECISIONS,
        },
    )


def region_record_panel(request, region) -> Panel:
    """On the region page (regions.panels.REGION_PAGE): published advice and approved decisions of the region."""
    return Panel("portal/region_record.html", {"record": region_record(region), "region": region})


def register_panels() -> None:
    REGION_PAGE.register(region_record_panel)
