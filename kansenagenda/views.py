"""The project's own pages: home, health check, and the context every page gets."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from regions.models import Region
from regions.permissions import can_import_data

DEMO_REGION_CODES = ["RG-VEENKOLONIEN", "RG-PARKSTAD", "CR12", "RG-KOP-NH", "CR31"]


def home(request):
    regions = {r.code: r for r in Region.objects.filter(code__in=DEMO_REGION_CODES)}
    return render(request, "home.html", {"demo_regions": [regions[c] for c in DEMO_REGION_CODES if c in regions]})


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def data_context(request):
    """Template context: whether the data-steward links are shown."""
    return {"can_import": can_import_data(request.user)}
