"""The event log (audit trail and outbox), notifications, deliveries and preferences."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """Who did what to which object when: the audit trail and the outbox.

    Rows are only ever inserted (``activity.events.record_event``).
    Notifications are sent from here after the transaction commits.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=80, db_index=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # Events of a coalition's objects carry the coalition, so "what happened
    # in my coalition" is one indexed query.
    # A plain id, not a foreign key: the log sits below the coalitions and
    # outlives them (an audit row keeps its coalition after a deletion).
    coalition_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="event_target")]
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb}"


class Notification(models.Model):
    """One event, for one person to see.

    Made in the same transaction as its event by
    ``activity.notifications.notify``. The in-app list reads these rows;
    e-mail goes through ``Delivery`` rows made in the same call.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey("activity.Event", on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event"], name="notification_unique"),
        ]
        indexes = [
            # The unread badge in the header on every page.
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")


class Delivery(models.Model):
    """One event sent to one person over one channel other than the app.

    Unique per (event, recipient, channel) and claimed (pending -> sending)
    with a conditional UPDATE before anything is sent, so a retried or
    duplicated task never sends twice.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Te verzenden")
        SENDING = "sending", _("Wordt verzonden")
        SENT = "sent", _("Verzonden")
        FAILED = "failed", _("Mislukt")

    event = models.ForeignKey("activity.Event", on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient", "channel"], name="delivery_unique"),
        ]
        verbose_name = _("verzending")
        verbose_name_plural = _("verzendingen")


class NotificationPreference(models.Model):
    """A person's choice, per event type, to get e-mail as well as the in-app notification."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    verb = models.CharField(max_length=80)
    email = models.BooleanField(_("ook per e-mail"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "verb"], name="notification_preference_unique")]
        verbose_name = _("meldingsvoorkeur")
        verbose_name_plural = _("meldingsvoorkeuren")
