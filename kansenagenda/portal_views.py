"""The public portal: what everyone may read without logging in, on one page with links to the details."""

from django.shortcuts import render
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import charts
from core.formatting import euro
from core.panels import Panel
from core.public_cache import public_cache
from kansenagenda.portal import LATEST_ADVICE, LATEST_DECISIONS, portal_overview, region_record
from regions.panels import REGION_PAGE


@require_GET
@public_cache
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
            "decisions": [(decision, tranche_items(decision)) for decision in overview.latest_decisions],
            "commitments_chart": chart,
            "latest_advice_max": LATEST_ADVICE,
            "latest_decisions_max": LATEST_DECISIONS,
        },
    )


def tranche_items(decision) -> str:
    """The decision's tranches as list items, "2026: € 60.000". Made here, not in the template: 25 decisions of
    ten tranches each were two thirds of the page's rendering time there."""
    return format_html_join("", "<li>{}: {}</li>", ((t.year, euro(t.amount)) for t in decision.tranches.all()))


def region_record_panel(request, region) -> Panel:
    """On the region page (regions.panels.REGION_PAGE): published advice and approved decisions of the region."""
    return Panel("portal/region_record.html", {"record": region_record(region), "region": region})


def register_panels() -> None:
    REGION_PAGE.register(region_record_panel)
