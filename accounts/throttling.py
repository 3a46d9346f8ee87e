"""Brute-force protection of logging in: our parts of django-axes.

django-axes counts failed logins per account and, separately, per client
address (``AXES_*`` in settings). Its authentication backend comes first in
``AUTHENTICATION_BACKENDS``: once either has had ``AXES_FAILURE_LIMIT``
failures, every attempt is refused before a password is checked, the right
one included, until ``AXES_COOLOFF_TIME`` has passed since those failures.
Tries during the lock do not count, so the lock ends at the time we show.

It applies to every view that calls
``django.contrib.auth.authenticate(request=request, ...)``: the login page,
the admin's login and the API's token endpoint. A call without the request
fails loudly (axes raises ``AxesBackendRequestParameterRequired``), so
nothing logs in past the count; the test client's ``login()`` needs
``request=HttpRequest()`` for the same reason.

Here:

- ``login_name``: the account an attempt is about (``AXES_USERNAME_CALLABLE``),
  so that an account's e-mail address and username share one count.
- ``current_lockout``: what is locked (the account, the address) and until when.
- ``lockout_message``: that, in words, for the login form and the API.
- ``lockout_response``: what a request refused by axes gets
  (``AXES_LOCKOUT_CALLABLE``): 429, with ``Retry-After``; JSON from the API,
  the login form with the message on a page.
- ``flag_django_request``: lets axes' middleware see a lockout under a DRF view.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit, get_lockout_parameters
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.request import Request

from accounts.models import User

# AccessAttempt.username's length: a longer name would not fit in axes' table.
LOGIN_NAME_MAX_LENGTH = 255


def login_name(request, credentials: dict | None = None) -> str | None:
    """The account a login attempt names: its username when the attempt gave the e-mail address.

    People log in with either (accounts.backends.EmailOrUsernameBackend);
    without this, ten wrong passwords with the address and ten with the
    username would be two counts of ten for one account. A name that is no
    account is counted as typed (an address in lower case).
    """
    # As axes does without credentials: a DRF request's data, else the form's.
    value = (credentials or getattr(request, "data", request.POST)).get("username")
    if not isinstance(value, str):
        return None
    name = value.strip()
    if "@" in name:
        account = User.objects.filter(email__iexact=name).values_list("username", flat=True).first()
        name = account if account is not None else name.lower()
    return name[:LOGIN_NAME_MAX_LENGTH]


@dataclass(frozen=True)
class Lockout:
    # The lockout parameters that reached the limit: "username", "ip_address".
    locked: tuple[str, ...]
    ends_at: datetime

    def seconds_left(self) -> int:
        return max(1, math.ceil((self.ends_at - timezone.now()).total_seconds()))


def current_lockout(request, credentials: dict | None = None) -> Lockout | None:
    """What locks this attempt's account or address out, and until when; None when nothing does.

    Per parameter, axes adds up the failures of the attempt rows of the last
    cool-off period; a row leaves the sum when its last failure is older than
    the cool-off. The lock on a parameter ends when so many rows have left
    that the sum drops below the limit; the attempt is locked until the last
    of its parameters' locks ends.
    """
    AxesProxyHandler.update_request(request)
    handler = AxesProxyHandler.get_implementation()
    limit = get_failure_limit(request, credentials)
    cool_off = get_cool_off(request)
    locked: list[str] = []
    ends: list[datetime] = []
    parameters = get_lockout_parameters(request, credentials)
    for parameter, attempts in zip(parameters, handler.get_user_attempts(request, credentials), strict=True):
        rows = list(attempts.order_by("attempt_time").values_list("attempt_time", "failures_since_start"))
        counted = sum(failures for _time, failures in rows)
        if counted < limit:
            continue
        for attempt_time, failures in rows:
            counted -= failures
            if counted < limit:
                locked.append(parameter if isinstance(parameter, str) else "+".join(parameter))
                ends.append(attempt_time + cool_off)
                break
    if not ends:
        return None
    return Lockout(locked=tuple(locked), ends_at=max(ends))


def lockout_message(lockout: Lockout | None) -> str:
    """Why the login was refused and when to try again, in the active language."""
    if lockout is None:
        return _("Te veel mislukte inlogpogingen. Probeer het later opnieuw.")
    minutes = math.ceil(lockout.seconds_left() / 60)
    return ngettext(
        "Te veel mislukte inlogpogingen. Inloggen kan weer om %(time)s (over %(minutes)d minuut).",
        "Te veel mislukte inlogpogingen. Inloggen kan weer om %(time)s (over %(minutes)d minuten).",
        minutes,
    ) % {"time": formats.time_format(timezone.localtime(lockout.ends_at), "H:i"), "minutes": minutes}


def is_locked_out(request) -> bool:
    """Whether axes refused the login attempt of this request (set by ``authenticate``)."""
    return bool(getattr(request, "axes_locked_out", False))


def _wants_json(request) -> bool:
    # The API lives under /api/ (kansenagenda/urls.py); everything else is a page.
    return request.path_info.startswith("/api/")


def lockout_response(request, original_response: HttpResponse | None = None, credentials: dict | None = None):
    """The answer to a request that axes refused (``AXES_LOCKOUT_CALLABLE``, called by ``AxesMiddleware``).

    - The API: 429 ``{"detail": message}`` with ``Retry-After`` in seconds.
    - A page that already answered 429 told the person itself (our login
      page puts the message on its form): it is kept.
    - Any other page (the admin's login): our login page with the message.
    """
    lockout = current_lockout(request, credentials)
    message = lockout_message(lockout)
    if _wants_json(request):
        response = JsonResponse({"detail": message}, status=429)
    elif original_response is not None and original_response.status_code == 429:
        response = original_response
    else:
        from accounts.account_views import LoginForm  # the views import this module

        response = render(
            request,
            "registration/login.html",
            {"form": LoginForm(request), "lockout_message": message, "next": ""},
            status=429,
        )
    if lockout is not None:
        response["Retry-After"] = str(lockout.seconds_left())
    return response


def flag_django_request(sender, request, **kwargs) -> None:
    """Receiver of axes' ``user_locked_out``: copy the lockout to Django's request under a DRF view.

    A DRF view passes its own ``Request`` (which wraps Django's) to
    ``authenticate``; axes flags that object, but ``AxesMiddleware`` looks at
    Django's request. Without this an API view answered its usual 400 or 401
    to a locked-out attempt instead of the 429 of ``lockout_response``.
    """
    if isinstance(request, Request):
        django_request = request._request
        django_request.axes_locked_out = True
        django_request.axes_credentials = getattr(request, "axes_credentials", None)
