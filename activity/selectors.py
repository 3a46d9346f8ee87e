"""Reads of a person's notifications."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from accounts.models import User
from activity import registry
from activity.models import Notification


def notifications_for(user: User) -> QuerySet[Notification]:
    """The user's notifications, without those about drafts of coalitions they do not belong to.

    A notification's text can name a draft (its title); after leaving the
    coalition the person may not see that any more. Events of the families
    their apps registered as never about drafts (submissions, reviews,
    decisions) are always shown. The filter applies to every other verb
    (comment.*, agenda.*, endorsement.*, and any unregistered one).
    """
    not_about_drafts = Q()
    for prefix in registry.public_prefixes():
        not_about_drafts |= Q(event__verb__startswith=prefix)
    visible = Q(event__coalition_id__isnull=True)
    scope = registry.draft_scope(user)
    if scope is not None:
        visible |= Q(event__coalition_id__in=scope)
    return (
        user.notifications.filter(not_about_drafts | visible)
        .select_related("event", "event__actor")
        .order_by("-created_at", "-id")
    )


def unread_notification_count(user: User | AnonymousUser) -> int:
    if not user.is_authenticated:
        return 0
    return notifications_for(user).filter(read_at__isnull=True).count()
