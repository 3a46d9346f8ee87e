"""Login lockouts in the event log.

django-axes locks an account or a client address out after too many wrong
passwords (accounts.throttling). The lock is an event like any other state
change, so an administrator finds it in the log. ``accounts`` sits below the
log and cannot write to it; the receiver lives here, one floor up.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts import throttling
from accounts.models import User
from activity import registry
from activity.events import record_event
from activity.registry import EventType

VERB = "login.locked_out"


def record_lockout(sender, request, username, ip_address, **kwargs) -> None:
    """Receiver of axes' ``user_locked_out``: one event when a lock begins.

    Axes also sends the signal for each try while the lock lasts; those tries
    are not counted (``axes_failures_since_start`` stays None) and are not logged.
    """
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    lockout = throttling.current_lockout(request, getattr(request, "axes_credentials", None))
    record_event(
        actor=None,
        verb=VERB,
        target=User.objects.filter(username=username).first() if username else None,
        data={
            "name": username or "",
            "ip_address": ip_address or "",
            "locked": list(lockout.locked) if lockout else [],
            "until": lockout.ends_at.isoformat() if lockout else None,
        },
    )


def register() -> None:
    from axes.signals import user_locked_out

    registry.register_event_types(
        EventType(VERB, _("Inloggen geblokkeerd na te veel mislukte pogingen: %(name)s")),
    )
    user_locked_out.connect(record_lockout, dispatch_uid="activity.record_lockout")
