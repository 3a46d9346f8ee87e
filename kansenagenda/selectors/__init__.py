"""Reads, filtered by what the user may see; one module per subject."""

from kansenagenda.selectors.agendas import (  # noqa: F401
    AgendaDocument,
    agenda_comments,
    agenda_document,
    agenda_list_for,
    agenda_queryset,
    agenda_revisions,
    agendas_visible_to,
    notifications_for,
    unread_notification_count,
)
from kansenagenda.selectors.coalitions import coalition_detail, coalitions_visible_to  # noqa: F401
