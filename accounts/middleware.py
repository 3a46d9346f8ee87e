"""How long a logged-in session lasts: an idle timeout besides the absolute age.

- Idle: a session ends after ``SESSION_IDLE_TIMEOUT`` without a request
  (``IdleSessionMiddleware``); the person sees why on the next page.
- Absolute: a session ends ``SESSION_COOKIE_AGE`` after the login, however
  busy it is (``start_session_clocks`` fixes the end at the login: Django
  would otherwise move it forward on every write of the session, and the
  idle clock writes it while the person is active).

The second factor expires separately (accounts.two_factor).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.utils import timezone
from django.utils.translation import ngettext

# The time of the session's last request (seconds since the epoch).
LAST_ACTIVITY_SESSION_KEY = "last_activity"
# Write the time at most this often: the session store is not written on every request.
ACTIVITY_WRITE_INTERVAL = 60


def idle_message() -> str:
    minutes = int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext(
            "U bent uitgelogd na %(hours)d uur zonder activiteit. Log opnieuw in.",
            "U bent uitgelogd na %(hours)d uur zonder activiteit. Log opnieuw in.",
            hours,
        ) % {"hours": hours}
    return ngettext(
        "U bent uitgelogd na %(minutes)d minuut zonder activiteit. Log opnieuw in.",
        "U bent uitgelogd na %(minutes)d minuten zonder activiteit. Log opnieuw in.",
        minutes,
    ) % {"minutes": minutes}


class IdleSessionMiddleware:
    """Log out a session whose last request is longer than ``SESSION_IDLE_TIMEOUT`` ago.

    Goes after the authentication and message middleware. The request then
    goes on as anonymous: a page that needs a login sends the person to the
    login page, where the message says why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        # The session's user id, not request.user: no query for the user on every request.
        if SESSION_KEY in session:
            now = timezone.now().timestamp()
            last = session.get(LAST_ACTIVITY_SESSION_KEY)
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT.total_seconds():
                logout(request)
                messages.info(request, idle_message())
            elif last is None or now - last >= ACTIVITY_WRITE_INTERVAL:
                session[LAST_ACTIVITY_SESSION_KEY] = now
        return self.get_response(request)


def start_session_clocks(sender, request, user, **kwargs) -> None:
    """Receiver of ``user_logged_in``: start the idle clock and fix the session's end.

    Only for a login into a session (``django.contrib.auth.login``): an API
    token login sends the same signal with a session nobody keeps.
    """
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return
    now = timezone.now()
    session[LAST_ACTIVITY_SESSION_KEY] = now.timestamp()
    session.set_expiry(now + timedelta(seconds=settings.SESSION_COOKIE_AGE))
