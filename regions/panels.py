"""Where higher apps show something on the region page (see ``core.panels``)."""

from core.panels import Slot

# provider(request, region) -> Panel | None
REGION_PAGE = Slot("region page")
