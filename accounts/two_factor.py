"""Second factor: a session verified with a one-time code (TOTP, django-otp).

Sensitive steps (approving funding) need more than a password: the user must
have confirmed an authenticator app (a TOTP device) and entered a code from it
in *this session*. The pieces:

- ``is_verified(request)``: may this request do a step that needs the second
  factor? Only for a user logged in with a session that was verified with a
  code (``django_otp.login``, set by the pages at ``/account/tweestaps/``).
  API requests authenticated with an API key are never verified, whatever the
  user has set up: a key is a single factor that outlives the session
  (accounts/api_tokens.py).
- ``has_device(user)``: has the user confirmed an authenticator app?
- ``verified_required``: a decorator for (Django, not DRF) views. It sends an
  anonymous visitor to log in, a user without an app to
  ``two_factor:setup`` and a user with an app to ``two_factor:verify``, each
  with ``?next=`` back to the page.

``django_otp.middleware.OTPMiddleware`` (settings.MIDDLEWARE) puts the
verification on ``request.user`` (``user.otp_device``, ``user.is_verified()``)
from the session; logging out flushes the session and with it the
verification. A verification lasts ``TWO_FACTOR_VERIFICATION_AGE`` from the
moment the code was entered (``verify_session`` keeps the time in the
session): a session left open for days cannot move money on a code of days
ago. After that ``is_verified`` is False and the pages ask for a new code.

An administrator removes a lost app in the Django admin (*TOTP devices*);
the user then sets up a new one.
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request

# When the session was verified with a code (seconds since the epoch).
VERIFIED_AT_SESSION_KEY = "two_factor_verified_at"


def verify_session(request, device) -> None:
    """Mark the session of ``request`` as verified by ``device``, now (after a code it accepted)."""
    django_otp.login(request, device)
    request.session[VERIFIED_AT_SESSION_KEY] = timezone.now().timestamp()


def is_verified(request) -> bool:
    """Whether ``request`` comes from a session verified with a one-time code.

    Works for a Django ``HttpRequest`` and for a DRF ``Request``:

    - Anonymous users: False.
    - DRF requests: only when DRF authenticated the request through the
      session (``request.successful_authenticator`` is a
      ``SessionAuthentication``, ``request.auth`` is None). A request
      authenticated with an API key (``api_tokens.ApiTokenAuthentication``,
      ``request.auth`` holds the key's row) or any other scheme is False, even when the user has a
      confirmed device or the same browser also holds a verified session.
    - Otherwise the session must name the device that verified it, the
      code must have been entered at most ``TWO_FACTOR_VERIFICATION_AGE``
      ago, and django-otp's middleware must have accepted the device
      (``user.is_verified()``: a confirmed device of this user).
    """
    if isinstance(request, Request):
        if request.auth is not None or not isinstance(request.successful_authenticator, SessionAuthentication):
            return False
        request = request._request
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    if session is None or not session.get(DEVICE_ID_SESSION_KEY):
        return False
    verified_at = session.get(VERIFIED_AT_SESSION_KEY)
    if not isinstance(verified_at, int | float):
        return False  # verified before the time was kept: ask again
    if timezone.now().timestamp() - verified_at > settings.TWO_FACTOR_VERIFICATION_AGE.total_seconds():
        return False
    # Set by OTPMiddleware on the session's user; a user object from another
    # source (e.g. a token) does not have it.
    check = getattr(user, "is_verified", None)
    return bool(callable(check) and check() is True)


def has_device(user) -> bool:
    """Whether ``user`` has confirmed an authenticator app (False for anonymous users)."""
    if user is None or not user.is_authenticated:
        return False
    return user_has_device(user, confirmed=True)


def url_with_next(url_name: str, next_url: str | None) -> str:
    """The URL of ``url_name`` with ``?next=next_url`` (when given)."""
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def verified_required(view):
    """Let only users with a verified session (``is_verified``) through to ``view``.

    Anonymous visitors go to the login page; a logged-in user without an
    authenticator app to ``two_factor:setup``, one with an app to
    ``two_factor:verify``, both with ``?next=`` the current page (after a
    POST the user comes back to the page with a GET, the form must be sent
    again). For DRF views call ``is_verified(request)`` instead.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if is_verified(request):
            return view(request, *args, **kwargs)
        path = request.get_full_path()
        if not request.user.is_authenticated:
            return redirect_to_login(path)
        target = "two_factor:verify" if has_device(request.user) else "two_factor:setup"
        return redirect(url_with_next(target, path))

    return wrapped
