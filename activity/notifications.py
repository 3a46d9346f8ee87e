"""One notification mechanism for every channel.

A service records an event and calls ``notify`` in the same transaction:
one ``Notification`` row per recipient (the in-app inbox), and one
``Delivery`` row per recipient who wants the event by e-mail. After the
commit a Celery task (``activity.tasks.send_event_deliveries``) sends
the pending deliveries of the event through ``delivery_send``. Both
channels share the recipients, the wording (``describe``) and the link
(``link``).

Sending is at most once: a delivery is claimed (pending -> sending) with a
conditional UPDATE before the mail goes out, and only the claimer sends.
A row that stays "sending" (the worker died mid-send) or turns "failed" is
never sent again automatically, because the mail may have reached the
server before the failure; an administrator can set it back to pending.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from activity import registry
from activity.models import Channel, Delivery, Event, Notification, NotificationPreference
from core import background
from core.formatting import euro

logger = logging.getLogger(__name__)


def email_default(verb: str) -> bool:
    """Whether someone who has not chosen gets e-mail for ``verb``; unknown verbs: no."""
    event_type = registry.event_type(verb)
    return bool(event_type and event_type.email_label and event_type.email_default)


def email_choices_for(user: User) -> dict[str, bool]:
    """Every choosable verb with the user's choice, or the default where they have none."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("verb", "email"))
    return {verb: chosen.get(verb, default) for verb, default in registry.email_defaults().items()}


def notification_preferences_set(*, user: User, email_verbs: Iterable[str]) -> None:
    """Save the user's choice for every choosable verb: e-mail for those in ``email_verbs``.

    Every verb gets a row, so a later change of a default does not change
    what the person chose. Unknown verbs in ``email_verbs`` are ignored.
    """
    wanted = set(email_verbs)
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=user, verb=verb, email=verb in wanted) for verb in registry.email_defaults()],
        update_conflicts=True,
        unique_fields=["user", "verb"],
        update_fields=["email"],
    )


def notify(*, event: Event, recipients: Iterable[User]) -> list[Notification]:
    """Make one notification per recipient, never for the actor of the event.

    In the same call: one pending e-mail delivery per recipient who wants
    e-mail for this verb (their choice, else ``email_default``) and has an
    active account with an address; after the commit a task sends them.
    Call inside the service's transaction. At most three queries, whatever
    the number of recipients.
    """
    people = [user for user in {user.pk: user for user in recipients}.values() if user.pk != event.actor_id]
    created = Notification.objects.bulk_create(
        [Notification(recipient=user, event=event) for user in people], ignore_conflicts=True
    )
    reachable = [user for user in people if user.email and user.is_active]
    if reachable:
        chosen = dict(
            NotificationPreference.objects.filter(user__in=reachable, verb=event.verb).values_list("user_id", "email")
        )
        default = email_default(event.verb)
        wanting = [user for user in reachable if chosen.get(user.pk, default)]
        if wanting:
            Delivery.objects.bulk_create(
                [Delivery(event=event, recipient=user, channel=Channel.EMAIL) for user in wanting],
                ignore_conflicts=True,
            )
            from activity.tasks import send_event_deliveries

            # After the commit; what the broker did not take, the sweep (activity.tasks) sends.
            background.enqueue_on_commit(send_event_deliveries, event.pk)
    return created


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


# ------------------------------------------------------------------- wording


def _date(value) -> str:
    """A due date from an event's data ("2027-03-01") as the reader writes it ("1 maart 2027")."""
    day = value if isinstance(value, datetime.date) else parse_date(str(value or ""))
    return date_format(day, "j F Y") if day else str(value or "")


def _money(amount) -> str:
    """Whole euros as the reader writes them: "€ 1.250.000" in Dutch, "€1,250,000" in English."""
    if not isinstance(amount, int):
        return ""
    return euro(amount)


def describe(event: Event) -> str:
    """The sentence shown for an event, in the active language."""
    actor = event.actor.display_name if event.actor_id and event.actor else _("Iemand")
    data = event.data
    verb = event.verb
    values = {
        "actor": actor,
        "title": data.get("title", ""),
        "due": _date(data.get("due_date")),
        "where": data.get("where", ""),
        "name": data.get("name") or data.get("email", ""),
        "organisation": data.get("organisation", ""),
        "revision": data.get("revision", ""),
        "reference": data.get("reference", ""),
        "number": data.get("number", ""),
        "year": data.get("year", ""),
        "money": _money(data.get("amount")),
    }
    event_type = registry.event_type(verb)
    if event_type is not None:
        return str(event_type.sentence) % values
    return _("%(actor)s: %(verb)s") % {"actor": actor, "verb": verb}


def link(event: Event) -> str:
    """The path of the page an event is about (the app that owns its verb says which), else home."""
    return registry.link_for(event.verb, event.data) or reverse("home")


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# ------------------------------------------------------------------- e-mail


def recipient_language(user: User) -> str:
    """The language of the e-mail to ``user``: their own (set on their profile), else the site's default, Dutch."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def render_email(delivery: Delivery) -> tuple[str, str]:
    """Subject and plain-text body of a delivery, in the recipient's language."""
    event, recipient = delivery.event, delivery.recipient
    with translation.override(recipient_language(recipient)):
        text = describe(event)
        # A header may not contain line breaks; titles come from user input.
        subject = " ".join((_("Kansenagenda: %(text)s") % {"text": text}).split())[:200]
        body = render_to_string(
            "notifications/email/notification.txt",
            {
                "name": recipient.display_name,
                "text": text,
                "url": absolute_url(link(event)),
                "preferences_url": absolute_url(reverse("notifications:preferences")),
            },
        )
    return subject, body


def delivery_send(*, delivery_id: int, connection=None) -> bool:
    """Send one pending delivery, at most once; True if this call sent it.

    Must run outside a transaction (in a worker): the claim (pending ->
    sending) is committed before the mail goes out, so a second worker with
    the same row finds nothing to claim. After sending the row is "sent";
    on any error "failed" with the error, and it is not retried, because an
    SMTP error after the message data may mean the server accepted it.
    """
    now = timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    delivery = Delivery.objects.select_related("event", "event__actor", "recipient").get(pk=delivery_id)
    try:
        subject, body = render_email(delivery)
        EmailMessage(
            subject, body, settings.DEFAULT_FROM_EMAIL, [delivery.recipient.email], connection=connection
        ).send()
    except Exception as error:  # whatever went wrong, the row must not stay "sending"
        logger.exception("E-mail delivery %s failed", delivery_id)
        Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        if isinstance(error, SoftTimeLimitExceeded):
            raise  # stop the batch: the task is out of time
        return False
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), error=""
    )
    return True


def deliveries_send(*, delivery_ids: Iterable[int]) -> int:
    """Send the given deliveries that are still pending, over one mail connection; returns how many were sent.

    The connection is opened before anything is claimed: when the mail
    server is down nothing changes and the rows stay pending for the sweep.
    """
    ids = list(delivery_ids)
    if not ids:
        return 0
    connection = get_connection()
    connection.open()
    try:
        return sum(delivery_send(delivery_id=pk, connection=connection) for pk in ids)
    finally:
        connection.close()


def pending_deliveries(
    *, event_id: int | None = None, older_than: datetime.timedelta | None = None, limit: int = 200
) -> list[int]:
    """Ids of pending e-mail deliveries: of one event, or those waiting longer than ``older_than``."""
    rows = Delivery.objects.filter(status=Delivery.Status.PENDING)
    if event_id is not None:
        rows = rows.filter(event_id=event_id)
    if older_than is not None:
        rows = rows.filter(created_at__lt=timezone.now() - older_than)
    return list(rows.order_by("created_at", "id").values_list("pk", flat=True)[:limit])
