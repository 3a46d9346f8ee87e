"""The event log: every state change writes one row here.

``record_event`` is called inside the service's transaction, so the event
exists exactly when the change does; notifications are sent from these rows
after the commit (the outbox pattern).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from accounts.models import User
from activity.models import Event


def record_event(
    *,
    actor: User | None,
    verb: str,
    target: models.Model | None = None,
    coalition_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Log one state change; ``coalition_id`` when the change belongs to a coalition (its drafts' events)."""
    return Event.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        coalition_id=coalition_id,
        data=data or {},
    )
