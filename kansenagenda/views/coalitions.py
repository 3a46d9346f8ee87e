from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render

from kansenagenda.models import Coalition
from kansenagenda.permissions import can_create_agenda, can_import_data, can_view_coalition, coalition_permissions
from kansenagenda.selectors import coalitions as selectors
from kansenagenda.selectors.agendas import agenda_list_for
from regions.models import Region

DEMO_REGION_CODES = ["RG-VEENKOLONIEN", "RG-PARKSTAD", "CR12", "RG-KOP-NH", "CR31"]


def home(request):
    regions = {r.code: r for r in Region.objects.filter(code__in=DEMO_REGION_CODES)}
    return render(request, "home.html", {"demo_regions": [regions[c] for c in DEMO_REGION_CODES if c in regions]})


@login_required
def coalition_list(request):
    return render(
        request, "coalitions/coalition_list.html", {"coalitions": selectors.coalitions_visible_to(request.user)}
    )


@login_required
def coalition_detail(request, slug: str):
    coalition = get_object_or_404(Coalition, slug=slug)
    # 404, not 403: outsiders do not learn which coalitions exist.
    if not can_view_coalition(request.user, coalition):
        raise Http404
    coalition = selectors.coalition_detail(coalition.pk)
    perms = coalition_permissions(request.user, coalition)
    show_people = "view_coalition" in perms
    # Agendas are drafts: only members see them (show_people is the member check).
    agendas = agenda_list_for(request.user).filter(coalition=coalition) if show_people else []
    can_create = show_people and can_create_agenda(request.user, coalition, perms=perms)
    return render(
        request,
        "coalitions/coalition_detail.html",
        {"coalition": coalition, "show_people": show_people, "agendas": agendas, "can_create_agenda": can_create},
    )


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def data_context(request):
    """Template context: whether the data-steward links are shown."""
    return {"can_import": can_import_data(request.user)}
