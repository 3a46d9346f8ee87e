"""The invitation events, as people read them."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from activity import registry
from activity.registry import EventType
from invitations import registry as invitation_registry


def _manage_url(data: dict) -> str | None:
    kind = invitation_registry.kind(data.get("kind", ""))
    try:
        return kind.manage_url(data.get("payload") or {}) if kind else reverse("invitations:list")
    except (NoReverseMatch, ObjectDoesNotExist):  # removed since: no link rather than a broken page
        return None


def register() -> None:
    registry.register_event_types(
        EventType("invitation.sent", _("%(actor)s heeft %(name)s uitgenodigd als %(where)s")),
        EventType("invitation.resent", _("%(actor)s heeft de uitnodiging van %(name)s opnieuw gestuurd")),
        EventType("invitation.revoked", _("%(actor)s heeft de uitnodiging van %(name)s ingetrokken")),
        EventType(
            "invitation.accepted",
            _("%(actor)s heeft de uitnodiging geaccepteerd: %(where)s"),
            email_label=_("Iemand accepteert uw uitnodiging"),
            email_group="account",
            email_default=True,
        ),
    )
    registry.register_email_group("account", _("Uitnodigingen"), order=40)
    # Invitations never name a draft: their events are for the people who manage them.
    registry.register_family("invitation.", link=_manage_url, about_drafts=False)
