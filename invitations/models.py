"""Invitations: how people join the platform and its roles (no open registration)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long an invitation link works.
VALID_FOR = datetime.timedelta(days=14)


class Invitation(models.Model):
    """One person invited to one role.

    What the role is, who may give it and what accepting does are the
    business of the app that owns the role (``invitations.registry``); this
    row only records the ``kind`` and its ``payload``. The link carries a
    signature of the row and its ``nonce``: resending draws a new nonce, so the
    old link stops working; no link is stored.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Openstaand")
        ACCEPTED = "accepted", _("Geaccepteerd")
        REVOKED = "revoked", _("Ingetrokken")

    email = models.EmailField(_("e-mailadres"))
    name = models.CharField(_("naam"), max_length=200, blank=True)
    kind = models.CharField(_("soort"), max_length=32)
    payload = models.JSONField(default=dict, blank=True)
    # Set for an invitation into a coalition, so its page lists it in one query.
    coalition_id = models.IntegerField(null=True, blank=True, db_index=True)
    message = models.TextField(_("persoonlijke toelichting"), max_length=2000, blank=True)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="nl")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("geldig tot"))
    # When the mail with the current link went out; None while it waits in the outbox.
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "status"]), models.Index(fields=["status", "sent_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | Q(closed_at__isnull=False), name="invitation_closed_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_by__isnull=False), name="invitation_accepted_has_user"
            ),
        ]
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")

    def __str__(self) -> str:
        return f"{self.email} ({self.kind})"

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and not self.is_expired

    @property
    def state_label(self) -> str:
        return str(_("Verlopen")) if self.is_expired else self.get_status_display()
