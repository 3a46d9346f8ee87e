"""The public portal: what everyone may read without logging in, on one page with links to the details."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.panels import Panel
from kansenagenda.portal import LATEST_ADVICE, LATEST_DECISIONS, portal_overview, region_record
from regions.panels import REGION_PAGE


@require_GET
def portal(request):
    return render(
        request,
        "portal/portal.html",
        {"overview": portal_overview(), "latest_advice_max": LATEST_ADVICE, "latest_decisions_max": LATEST_DECISIONS},
    )


def region_record_panel(request, region) -> Panel:
    """On the region page (regions.panels.REGION_PAGE): published advice and approved decisions of the region."""
    return Panel("portal/region_record.html", {"record": region_record(region), "region": region})


def register_panels() -> None:
    REGION_PAGE.register(region_record_panel)
