"""Mail of the account itself: the link that confirms a new e-mail address."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import EMAIL_CHANGE_MAX_AGE, email_change_token


@shared_task(
    acks_late=True, time_limit=120, soft_time_limit=100, autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def send_email_change_link(user_id: int, email: str) -> bool:
    """Mail the confirmation link to the new address (the link is made here: no secret travels through the broker)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    with translation.override(user.language or settings.LANGUAGE_CODE):
        url = settings.SITE_URL.rstrip("/") + reverse(
            "email_change_confirm", args=[email_change_token(user=user, email=email)]
        )
        body = render_to_string(
            "registration/email_change_email.txt",
            {"name": user.display_name, "url": url, "days": EMAIL_CHANGE_MAX_AGE // 86400},
        )
        send_mail(_("Bevestig uw nieuwe e-mailadres voor Kansenagenda"), body, None, [email])
    return True
