"""A person's own account: creating it (by invitation), their name, language and e-mail address.

An e-mail change takes effect only when the person follows the link sent to
the new address: the link is signed (it carries the user and the address, no
secret is stored) and expires after ``EMAIL_CHANGE_MAX_AGE``.
"""

from __future__ import annotations

import re

from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core import background

EMAIL_CHANGE_SALT = "accounts.email-change"
EMAIL_CHANGE_MAX_AGE = 3 * 24 * 3600  # seconds


def email_in_use(email: str, *, except_user: User | None = None) -> bool:
    users = User.objects.filter(email__iexact=email)
    if except_user is not None:
        users = users.exclude(pk=except_user.pk)
    return users.exists()


def _free_username(email: str) -> str:
    base = re.sub(r"[^a-z0-9_.-]", "", email.split("@")[0].lower())[:140] or "gebruiker"
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


@transaction.atomic
def account_create(*, email: str, full_name: str, password: str, language: str = "") -> User:
    """A new account for an invited person; the username is made from the address (people log in by e-mail)."""
    email = email.strip().lower()
    validate_email(email)
    if email_in_use(email):
        raise ValidationError({"email": _("Er bestaat al een account met dit e-mailadres. Log in om verder te gaan.")})
    full_name = full_name.strip()
    if not full_name:
        raise ValidationError({"full_name": _("Vul uw naam in.")})
    user = User(username=_free_username(email), email=email, full_name=full_name, language=language)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from error
    user.set_password(password)
    user.save()
    return user


def profile_update(*, user: User, full_name: str, language: str) -> User:
    full_name = full_name.strip()
    if not full_name:
        raise ValidationError({"full_name": _("Vul uw naam in.")})
    user.full_name, user.language = full_name, language
    user.full_clean(validate_unique=False, exclude=["password", "username", "email"])
    user.save(update_fields=["full_name", "language"])
    return user


def email_change_token(*, user: User, email: str) -> str:
    return signing.dumps({"u": user.pk, "e": email, "o": user.email}, salt=EMAIL_CHANGE_SALT)


def email_change_request(*, user: User, email: str) -> str:
    """Check the new address and queue the confirmation link to it (after the commit); returns the address."""
    email = email.strip().lower()
    validate_email(email)
    if email == user.email.lower():
        raise ValidationError({"email": _("Dit is al uw e-mailadres.")})
    if email_in_use(email, except_user=user):
        raise ValidationError({"email": _("Dit e-mailadres hoort al bij een ander account.")})
    from accounts.tasks import send_email_change_link

    # After the commit, never failing the request. There is no row to sweep: when the broker did not take
    # the message (logged), no link arrives and the person asks again.
    background.enqueue_on_commit(send_email_change_link, user.pk, email)
    return email


@transaction.atomic
def email_change_confirm(*, token: str) -> User:
    """Set the new address from a confirmation link; an old, changed or forged link changes nothing."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(_("Deze link is verlopen. Vraag de wijziging opnieuw aan.")) from error
    except signing.BadSignature as error:
        raise ValidationError(_("Deze link is ongeldig.")) from error
    user = User.objects.select_for_update().filter(pk=data["u"], is_active=True).first()
    # A link is used once: after the change the old address no longer matches.
    if user is None or user.email != data["o"]:
        raise ValidationError(_("Deze link is al gebruikt of niet meer geldig."))
    if email_in_use(data["e"], except_user=user):
        raise ValidationError(_("Dit e-mailadres hoort inmiddels bij een ander account."))
    user.email = data["e"]
    user.save(update_fields=["email"])
    return user
