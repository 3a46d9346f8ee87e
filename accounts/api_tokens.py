"""API keys (``Authorization: Token <key>``): stored hashed, expiring, several per person, revocable by their owner.

The rows are django-rest-knox's tokens (``accounts.models.ApiToken``): the database keeps the SHA-512
digest of a key and its first 15 characters (``token_key``, the *prefix* a
person uses to tell their keys apart), never the key itself. A key is shown
once, in the answer that creates it (``POST /api/v1/auth/token/`` or the page
*API-sleutels* at ``/account/api-sleutels/``).

- **Expiry.** A key works for ``settings.REST_KNOX["TOKEN_TTL"]`` after it was
  made (``DJANGO_API_TOKEN_DAYS``, default 30 days). Using it extends nothing
  (knox's ``AUTO_REFRESH`` is off): a leaked key stops working on a known
  date whatever happens to it. After that the holder makes a new one.
- **Revoking.** The owner revokes a key by its prefix (API or page); it stops
  working with the next request, as the check reads the row every time.
  Administrators can delete keys in the Django admin, which shows only the
  prefix, owner and dates (``accounts.admin``).
- **What a key may do.** Everything its owner may do through the API, except
  what needs a session verified with a second factor: ``two_factor.is_verified``
  is False for every request authenticated with a key.

Keys from before this module (``rest_framework.authtoken``, stored in plain
text) were not carried over: a digest of them would only keep alive a secret
that sat readable in the database.
"""

from __future__ import annotations

import binascii
from hmac import compare_digest

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions

from accounts.models import ApiToken, User

# How many characters of a key are stored in the clear to find its row (knox's constant).
PREFIX_LENGTH = CONSTANTS.TOKEN_KEY_LENGTH


# ------------------------------------------------------------------- reads


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's keys that still work, newest first (one query). Never the key: it is not stored."""
    return (
        ApiToken.objects.filter(user=user, expiry__gt=timezone.now())
        .only("token_key", "created", "expiry", "user_id")
        .order_by("-created", "token_key")
    )


def api_token_of(user: User, prefix: str) -> ApiToken | None:
    """The user's working key with this prefix, or None (also for someone else's key: the caller answers 404)."""
    return api_tokens_of(user).filter(token_key=prefix).first()


# ------------------------------------------------------------------ writes


@transaction.atomic
def api_token_create(*, user: User) -> tuple[ApiToken, str]:
    """Make a new key for ``user``: ``(row, key)``. The key exists only in the return value.

    Before: ``user`` is active and has just proven who they are (password). After:
    one more row holding the key's digest and prefix, expiring after the
    configured lifetime; the user's expired rows are gone (they can never
    work again, so there is no reason to keep them).
    """
    ApiToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    return ApiToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)


def api_token_revoke(*, user: User, prefix: str) -> int:
    """Delete ``user``'s key(s) with this prefix; the number deleted (0 when it is not theirs or unknown).

    After: the key no longer authenticates, from the next request on.
    """
    deleted, _per_model = ApiToken.objects.filter(user=user, token_key=prefix).delete()
    return deleted


# ---------------------------------------------------------- authentication


class ApiTokenAuthentication(TokenAuthentication):
    """knox's ``Authorization: Token <key>`` check, in one query per request.

    knox's own check also loads all other keys of the owner on every request
    (to delete the expired ones): a second query on every API call and a
    write on a read. Here only the presented key's row is read; an expired
    one is refused (and deleted, it can never work again). Other expired
    keys go when their owner makes a new one (``api_token_create``).

    A header that is not ASCII is refused as an invalid key (knox would fail
    with a server error on bytes that are not UTF-8).
    """

    def authenticate_credentials(self, token: bytes):
        message = _("Ongeldige API-sleutel.")
        try:
            key = token.decode("ascii")
            digest = hash_token(key)
        except (UnicodeDecodeError, TypeError, binascii.Error):
            raise exceptions.AuthenticationFailed(message) from None
        candidates = ApiToken.objects.filter(token_key=key[:PREFIX_LENGTH]).select_related("user")
        for auth_token in candidates:
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.expiry is not None and auth_token.expiry <= timezone.now():
                auth_token.delete()
                raise exceptions.AuthenticationFailed(_("Deze API-sleutel is verlopen. Maak een nieuwe."))
            return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(message)
