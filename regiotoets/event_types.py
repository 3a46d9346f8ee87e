"""The register's events as the event log shows them: sentences, e-mail choices, links.

Registered with ``activity.registry`` in ``RegiotoetsConfig.ready()``. The
register is public, so its events never name a draft. A response names only
the two references: the signal behind it may not be public.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from activity import registry
from activity.registry import EventType

GROUP = "regiotoets"

EVENT_TYPES = [
    EventType(
        "regiotoets.recorded",
        _("%(actor)s heeft rijksbesluit %(reference)s van %(where)s vastgelegd in de regiotoets: “%(title)s”."),
    ),
    EventType(
        "regiotoets.updated",
        _("%(actor)s heeft rijksbesluit %(reference)s in de regiotoets bijgewerkt: “%(title)s”."),
    ),
    EventType(
        "regiotoets.flagged",
        _(
            "Rijksbesluit %(reference)s van %(where)s, “%(title)s”, heeft naar verwachting een negatief effect op "
            "%(name)s: een thema waarop de regio van %(organisation)s achterloopt."
        ),
        email_label=_(
            "Een rijksbesluit heeft naar verwachting een negatief effect op een thema waarop uw regio achterloopt"
        ),
        email_group=GROUP,
        email_default=True,
    ),
    EventType(
        "regiotoets.responded",
        _("%(actor)s heeft namens %(where)s gereageerd op rijksbesluit %(reference)s."),
    ),
]


def entry_link(data: dict) -> str | None:
    return reverse("regiotoets:detail", args=[data["entry_id"]]) if data.get("entry_id") else None


def register() -> None:
    registry.register_email_group(GROUP, _("Regiotoets van rijksbesluiten"), order=26)
    registry.register_event_types(*EVENT_TYPES)
    registry.register_family("regiotoets.", link=entry_link, about_drafts=False)
