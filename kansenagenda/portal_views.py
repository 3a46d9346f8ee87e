"""The public portal: what everyone may read without logging in, on one page with links to the details."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from kansenagenda.portal import LATEST_ADVICE, LATEST_DECISIONS, portal_overview


@require_GET
def portal(request):
    return render(
        request,
        "portal/portal.html",
        {"overview": portal_overview(), "latest_advice_max": LATEST_ADVICE, "latest_decisions_max": LATEST_DECISIONS},
    )
