"""Where higher apps show something on the agenda page (see ``core.panels``)."""

from core.panels import Slot

# provider(request, agenda, perms=<the user's coalition permissions>) -> Panel | None
AGENDA_PAGE = Slot("agenda page")
