"""Where higher apps show something on the coalition page (see ``core.panels``)."""

from core.panels import Slot

# provider(request, coalition, perms=<the user's coalition permissions>) -> Panel | None
COALITION_PAGE = Slot("coalition page")
