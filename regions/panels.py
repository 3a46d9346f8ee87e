"""Where higher apps show something on the region page (see ``core.panels``)."""

from collections.abc import Callable, Collection

from django.http import HttpRequest

from core.panels import Slot

# provider(request, region) -> Panel | None
REGION_PAGE = Slot("region page")


# Marks on the region list from higher apps: marker(request, region_ids) -> {region id: short label}
# (e.g. coalitions: "coalitie" for the regions with a coalition the visitor may see).
REGION_LIST_MARKERS: list[Callable[[HttpRequest, Collection[int]], dict[int, str]]] = []


def register_region_list_marker(marker: Callable[[HttpRequest, Collection[int]], dict[int, str]]) -> None:
    """Add a marker once (a second ``ready()`` changes nothing)."""
    if marker not in REGION_LIST_MARKERS:
        REGION_LIST_MARKERS.append(marker)


def region_list_marks(request: HttpRequest, region_ids: Collection[int]) -> dict[int, list[str]]:
    marks: dict[int, list[str]] = {}
    for marker in REGION_LIST_MARKERS:
        for region_id, label in marker(request, region_ids).items():
            marks.setdefault(region_id, []).append(label)
    return marks
