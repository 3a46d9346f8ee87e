"""The agenda's events as the event log shows them: sentences, e-mail choices, links.

Registered with ``activity.registry`` in ``AgendasConfig.ready()``.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from activity import registry
from activity.registry import EventType

EVENT_TYPES = [
    EventType(
        "comment.mentioned",
        _("%(actor)s noemde u in een reactie op “%(where)s”."),
        email_label=_("Iemand noemt u in een reactie"),
        email_group="samenwerking",
        email_default=True,
    ),
]


def _agenda_link(data: dict) -> str | None:
    """Any event that names an agenda (a comment, a save) leads to its comments."""
    if "agenda_id" not in data:
        return None
    if data.get("priority_id"):
        return reverse("agendas:priority", args=[data["agenda_id"], data["priority_id"]]) + "#reacties"
    return reverse("agendas:detail", args=[data["agenda_id"]]) + "#reacties"


def register() -> None:
    registry.register_email_group("samenwerking", _("Samenwerking"), order=30)
    registry.register_event_types(*EVENT_TYPES)
    registry.register_fallback_link(_agenda_link)
