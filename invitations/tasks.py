"""Mailing invitations, at most once per link.

The task claims the row (sets ``sent_at`` where it is still empty for this
nonce) before sending and releases the claim when sending fails, so a
redelivered or swept task never mails a link twice and a failed one is retried.
"""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import background
from invitations import services
from invitations.models import Invitation

logger = logging.getLogger(__name__)

SWEEP_AFTER = datetime.timedelta(minutes=1)


def render_mail(invitation: Invitation) -> tuple[str, str]:
    with translation.override(invitation.language):
        info = services.described(invitation)
        subject = " ".join((_("%(inviter)s nodigt u uit voor Kansenagenda") % {"inviter": info.inviter}).split())[:200]
        body = render_to_string(
            "invitations/email/invitation.txt",
            {
                "invitation": invitation,
                "what": info.what,
                "inviter": info.inviter,
                "url": settings.SITE_URL.rstrip("/") + services.link_path(invitation),
                "expires": date_format(timezone.localtime(invitation.expires_at), "j F Y"),
            },
        )
    return subject, body


def invitation_send(invitation_id: int, nonce: str) -> bool:
    """Send the mail for this link if nobody did; True if this call sent it."""
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation_id, nonce=nonce, status=Invitation.Status.PENDING, sent_at__isnull=True
    ).update(sent_at=now)
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("invited_by").get(pk=invitation_id)
    subject, body = render_mail(invitation)
    try:
        send_mail(subject, body, None, [invitation.email])
    except Exception:
        Invitation.objects.filter(pk=invitation_id, nonce=nonce, sent_at=now).update(sent_at=None)
        logger.exception("Invitation %s could not be mailed; the sweep tries again", invitation_id)
        raise
    Invitation.objects.filter(pk=invitation_id).update(send_count=invitation.send_count + 1)
    return True


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def send_invitation(invitation_id: int, nonce: str) -> bool:
    return invitation_send(invitation_id, nonce)


def sweep_invitations() -> int:
    """Send the task again for open invitations whose mail was not sent SWEEP_AFTER after the link was made.

    Their task message was lost, or sending failed and released the claim.
    The invitations' part of the sweep in core.background; returns how many were sent.
    """
    waiting = Invitation.objects.filter(
        status=Invitation.Status.PENDING,
        sent_at__isnull=True,
        created_at__lt=timezone.now() - SWEEP_AFTER,
        expires_at__gt=timezone.now(),
    ).values_list("pk", "nonce")
    return sum(background.send(send_invitation, invitation_id, nonce) for invitation_id, nonce in waiting[:200])
