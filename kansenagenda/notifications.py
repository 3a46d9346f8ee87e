"""One notification mechanism for every channel.

A service records an event and calls ``notify`` in the same transaction:
one ``Notification`` row per recipient. The in-app list reads those rows.
E-mail (the review issue) is a second channel: a task sends the rows whose
``emailed_at`` is empty and sets it, so both channels share the recipients,
the wording (``describe``) and the link (``link``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kansenagenda.models import Event, Notification, User


def notify(*, event: Event, recipients: Iterable[User]) -> list[Notification]:
    """Make one notification per recipient; never for the actor of the event."""
    rows = [
        Notification(recipient=user, event=event)
        for user in {user.pk: user for user in recipients}.values()
        if user.pk != event.actor_id
    ]
    return Notification.objects.bulk_create(rows, ignore_conflicts=True)


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications as read: all of them, or only ``ids``.

    Only the user's own notifications are touched (ids of other people's are
    ignored), already-read ones keep their first ``read_at``. Returns the
    number of notifications marked.
    """
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def describe(event: Event) -> str:
    """The sentence shown for an event, in the reader's language."""
    actor = event.actor.display_name if event.actor_id and event.actor else _("Iemand")
    data = event.data
    if event.verb == "comment.mentioned":
        return _("%(actor)s noemde u in een reactie op “%(where)s”.") % {"actor": actor, "where": data.get("where", "")}
    return _("%(actor)s: %(verb)s") % {"actor": actor, "verb": event.verb}


def link(event: Event) -> str:
    data = event.data
    if "agenda_id" in data:
        url = reverse("agendas:detail", args=[data["agenda_id"]])
        if data.get("priority_id"):
            return reverse("agendas:priority", args=[data["agenda_id"], data["priority_id"]]) + "#reacties"
        return url + "#reacties"
    return reverse("home")
