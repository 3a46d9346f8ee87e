"""Signals' events as the event log shows them: sentences, e-mail choices, links.

Registered with ``activity.registry`` in ``SignalsConfig.ready()``. A signal is
never a draft: its events are read by whoever was notified (the ministry's
officials, the coalition's coordinators and the filer). The escalation goes to
programme administrators, who may not read a signal that is not public, so its
sentence names the reference and the ministry only, and it links to the
ministry in the catalogue.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from activity import registry
from activity.registry import EventType

GROUP = "signalen"

EVENT_TYPES = [
    EventType(
        "signal.filed",
        _("%(actor)s heeft signaal %(reference)s ingediend bij %(where)s: “%(title)s”."),
        email_label=_("Een signaal is ingediend bij uw ministerie"),
        email_group=GROUP,
        email_default=True,
    ),
    EventType(
        "signal.acknowledged",
        _("%(where)s heeft de ontvangst van signaal %(reference)s bevestigd: “%(title)s”."),
        email_label=_("Een ministerie heeft de ontvangst van een signaal bevestigd"),
        email_group=GROUP,
        email_default=False,
    ),
    EventType(
        "signal.answered",
        _("%(where)s heeft signaal %(reference)s beantwoord: “%(title)s”."),
        email_label=_("Een ministerie heeft een signaal beantwoord"),
        email_group=GROUP,
        email_default=True,
    ),
    EventType(
        "signal.forwarded",
        _("Signaal %(reference)s is doorgestuurd naar %(where)s: “%(title)s”."),
        email_label=_("Een signaal is doorgestuurd naar een ander ministerie"),
        email_group=GROUP,
        email_default=True,
    ),
    EventType(
        "signal.closed",
        _("Signaal %(reference)s is afgesloten: “%(title)s”."),
        email_label=_("Een signaal is afgesloten"),
        email_group=GROUP,
        email_default=False,
    ),
    EventType(
        "signal.escalated",
        _("Signaal %(reference)s aan %(where)s is over de termijn en gemeld aan de programmabeheerders."),
        email_label=_("Een signaal is over de termijn (programmabeheerders)"),
        email_group=GROUP,
        email_default=True,
    ),
    EventType("ministry.saved", _("%(actor)s heeft ministerie %(name)s in de lijst bijgewerkt.")),
    EventType("ministry.official_added", _("%(actor)s heeft %(name)s toegevoegd als ambtenaar van %(where)s.")),
    EventType("ministry.official_removed", _("%(actor)s heeft %(name)s weggehaald bij %(where)s.")),
]


def ministry_link(data: dict) -> str | None:
    return reverse("signals:ministry-edit", args=[data["ministry_id"]]) if data.get("ministry_id") else None


def signal_link(data: dict) -> str | None:
    """The signal's page; the escalation's data names no signal (see above), so it links to the ministry."""
    if data.get("signal_id"):
        return reverse("signals:detail", args=[data["signal_id"]])
    return ministry_link(data)


def register() -> None:
    registry.register_email_group(GROUP, _("Signalen aan het Rijk"), order=25)
    registry.register_event_types(*EVENT_TYPES)
    registry.register_family("signal.", link=signal_link, about_drafts=False)
    registry.register_family("ministry.", link=ministry_link, about_drafts=False)
