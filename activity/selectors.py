"""Reads of a person's notifications."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from accounts.models import User
from activity import registry
from activity.models import Notification


def readable_events(user: User, *, via: str = "") -> Q:
    """A filter on events whose text ``user`` may read (with ``via="event__"``, on rows that point at one).

    An event's text can name a draft (its title): those of a coalition's
    drafts are for its members only, whatever else the user may do (a
    superuser or an oversight role is not a member); after leaving the
    coalition the person may not see them any more. Events of the families
    their apps registered as never about drafts (submissions, reviews,
    decisions) are readable by all who see them, and so are events of no
    coalition. Every other verb (comment.*, agenda.*, endorsement.*, and any
    unregistered one) of a coalition needs its membership.
    """
    not_about_drafts = Q()
    for prefix in registry.public_prefixes():
        not_about_drafts |= Q(**{f"{via}verb__startswith": prefix})
    visible = Q(**{f"{via}coalition_id__isnull": True})
    scope = registry.draft_scope(user)
    if scope is not None:
        visible |= Q(**{f"{via}coalition_id__in": scope})
    return not_about_drafts | visible


def notifications_for(user: User) -> QuerySet[Notification]:
    """The user's notifications, without those about drafts of coalitions they are not in (``readable_events``)."""
    return (
        user.notifications.filter(readable_events(user, via="event__"))
        .select_related("event", "event__actor")
        .order_by("-created_at", "-id")
    )


def unread_notification_count(user: User | AnonymousUser) -> int:
    if not user.is_authenticated:
        return 0
    return notifications_for(user).filter(read_at__isnull=True).count()
