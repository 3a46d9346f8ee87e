"""Working together on an agenda: revisions, comments and notifications."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

COMMENT_MAX = 5_000


class PartType(models.TextChoices):
    HEADER = "header", _("Algemeen")
    PRIORITY = "priority", _("Prioriteit")
    MEASURE = "measure", _("Maatregel")


class Revision(models.Model):
    """One saved change of one part of an agenda.

    ``snapshot`` is the whole part as it was after the save (empty after a
    delete), so the state of any part at any revision is the newest snapshot
    of that part at or before it, and a diff between two revisions compares
    two snapshots per part. Rows are only ever inserted.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("aangemaakt")
        UPDATED = "updated", _("gewijzigd")
        DELETED = "deleted", _("verwijderd")

    agenda = models.ForeignKey("kansenagenda.Agenda", on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revisie"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    part_type = models.CharField(max_length=16, choices=PartType.choices)
    # The header's part_id is the agenda's id.
    part_id = models.PositiveBigIntegerField()
    part_label = models.CharField(max_length=200)
    part_version = models.PositiveIntegerField()
    action = models.CharField(max_length=8, choices=Action.choices)
    changed_fields = models.JSONField(default=list)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["agenda", "-number"]
        constraints = [models.UniqueConstraint(fields=["agenda", "number"], name="revision_number_unique")]
        indexes = [
            # revisions.part_state_at and the conflict message: a part's newest
            # snapshot at or before a revision.
            models.Index(fields=["agenda", "part_type", "part_id", "number"], name="revision_part"),
        ]
        verbose_name = _("revisie")
        verbose_name_plural = _("revisies")

    def __str__(self) -> str:
        return f"#{self.number} {self.part_type} {self.part_label}"


class Comment(models.Model):
    agenda = models.ForeignKey("kansenagenda.Agenda", on_delete=models.CASCADE, related_name="comments")
    # Empty for a comment on the agenda as a whole.
    priority = models.ForeignKey(
        "kansenagenda.Priority", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("reactie"), max_length=COMMENT_MAX)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")


class Notification(models.Model):
    """One event, for one person to see.

    Made in the same transaction as its event by
    ``kansenagenda.notifications.notify``. The in-app list reads these rows;
    e-mail goes through ``Delivery`` rows made in the same call.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey("kansenagenda.Event", on_delete=models.CASCADE, related_name="notifications")
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

    event = models.ForeignKey("kansenagenda.Event", on_delete=models.CASCADE, related_name="deliveries")
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
