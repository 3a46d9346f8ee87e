"""Where higher apps show something on the submission page (see ``core.panels``)."""

from core.panels import Slot

# provider(request, submission, advice=<its advice or None>) -> Panel | None
SUBMISSION_PAGE = Slot("submission page")
