"""Celery tasks of the project app: sending e-mail notifications from the outbox.

The task is idempotent (every delivery is claimed before it is sent), so
``acks_late`` is safe: a task redelivered after a worker crash finds the
rows it already claimed and sends nothing twice. ``sweep_deliveries`` (the
e-mail's part of the sweep in core.background) sends the task again for
deliveries whose message was lost.
"""

from __future__ import annotations

import datetime

from celery import shared_task

from activity import notifications
from activity.models import Delivery
from core import background

# A delivery is normally sent seconds after its commit; one still pending
# after this long lost its task message (broker down, process killed).
SWEEP_AFTER = datetime.timedelta(minutes=1)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def send_event_deliveries(event_id: int) -> int:
    """Send the pending e-mail deliveries of one event (queued by ``notify`` after the commit)."""
    return notifications.deliveries_send(delivery_ids=notifications.pending_deliveries(event_id=event_id))


def sweep_deliveries() -> int:
    """Send the task again for every event with a delivery pending longer than SWEEP_AFTER; how many were sent."""
    pending = notifications.pending_deliveries(older_than=SWEEP_AFTER)
    event_ids = sorted(set(Delivery.objects.filter(pk__in=pending).values_list("event_id", flat=True)))
    return sum(background.send(send_event_deliveries, event_id) for event_id in event_ids)
