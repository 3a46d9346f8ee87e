from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from coalitions import selectors
from coalitions.models import Coalition
from coalitions.panels import COALITION_PAGE
from coalitions.permissions import can_view_coalition, coalition_permissions
from core.panels import Panel
from regions.panels import REGION_PAGE


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
    return render(
        request,
        "coalitions/coalition_detail.html",
        {
            "coalition": coalition,
            "show_people": show_people,
            "panels": COALITION_PAGE.panels(request, coalition, perms=perms),
        },
    )


def region_panel(request, region) -> Panel:
    """The region page's list of the region's coalitions: only those the visitor may see."""
    return Panel(
        "coalitions/includes/region_panel.html",
        {"coalitions": selectors.coalitions_visible_to(request.user).filter(region=region)},
    )


def register_panels() -> None:
    REGION_PAGE.register(region_panel)
