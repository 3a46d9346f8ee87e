"""What the event log needs from coalitions: what each event says, where it links, whose draft events a person may see.

Registered with ``activity.registry`` in ``CoalitionsConfig.ready()``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import get_objects_for_user

from activity import registry
from activity.registry import EventType
from coalitions.models import Coalition


def member_coalition_ids(user) -> QuerySet:
    """The coalitions the user is a member of (their own object permission; never a superuser's by default)."""
    return get_objects_for_user(
        user, "coalitions.view_coalition", klass=Coalition, accept_global_perms=False, with_superuser=False
    ).values("pk")


def _members_page(data: dict) -> str | None:
    try:
        return reverse("coalitions:members", args=[data["slug"]]) if data.get("slug") else None
    except NoReverseMatch:
        return None


def register() -> None:
    registry.register_draft_scope(member_coalition_ids)
    registry.register_event_types(
        EventType("coalition.created", _("%(actor)s heeft de coalitie %(name)s gestart (regio %(where)s)")),
        EventType("coalition.organisation_created", _("%(actor)s heeft de organisatie %(organisation)s aangemaakt")),
        EventType("coalition.organisation_added", _("%(actor)s heeft %(organisation)s aan de coalitie toegevoegd")),
        EventType("coalition.member_added", _("%(actor)s heeft %(name)s toegevoegd als %(where)s")),
        EventType("coalition.member_changed", _("%(actor)s heeft %(name)s gewijzigd in %(where)s")),
        EventType("coalition.member_removed", _("%(actor)s heeft %(name)s uit de coalitie verwijderd")),
        EventType("coalition.member_left", _("%(actor)s heeft de coalitie verlaten")),
    )
    # Membership events name people, not drafts; they are for the coalition's members (its coalition_id).
    registry.register_family("coalition.", link=_members_page)
