"""What the event log needs from coalitions: whose draft events a person may see.

Registered with ``activity.registry`` in ``CoalitionsConfig.ready()``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from activity import registry
from coalitions.models import Coalition


def member_coalition_ids(user) -> QuerySet:
    """The coalitions the user is a member of (their own object permission; never a superuser's by default)."""
    return get_objects_for_user(
        user, "coalitions.view_coalition", klass=Coalition, accept_global_perms=False, with_superuser=False
    ).values("pk")


def register() -> None:
    registry.register_draft_scope(member_coalition_ids)
