"""The project's own pages: home, health check, and the context every page gets."""

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from core.public_cache import public_cache, public_version
from kansenagenda.portal import portal_overview
from regions.examples import REPORT_REGIONS
from regions.models import Region
from regions.permissions import can_import_data

# The home page's key figures, kept per public data version (exact, so they may go into the cached page).
HOME_FIGURES_TTL = 60


@public_cache
def home(request):
    codes = [example.code for example in REPORT_REGIONS]
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    overview = cache.get_or_set(f"home:overview:{public_version()}", portal_overview, HOME_FIGURES_TTL)
    return render(
        request,
        "home.html",
        {"demo_regions": [regions[c] for c in codes if c in regions], "overview": overview},
    )


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def data_context(request):
    """Template context: whether the data-steward links are shown."""
    return {"can_import": can_import_data(request.user)}
