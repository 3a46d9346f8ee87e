"""Celery tasks of the project app: sending e-mail notifications from the outbox.

Both tasks are idempotent (every delivery is claimed before it is sent), so
``acks_late`` is safe: a task redelivered after a worker crash finds the
rows it already claimed and sends nothing twice.
"""

from __future__ import annotations

import datetime

from celery import shared_task

from activity import notifications

# A delivery is normally sent seconds after its commit; one still pending
# after this long lost its task message (broker down, process killed).
SWEEP_AFTER = datetime.timedelta(minutes=1)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def send_event_deliveries(event_id: int) -> int:
    """Send the pending e-mail deliveries of one event (queued by ``notify`` after the commit)."""
    return notifications.deliveries_send(delivery_ids=notifications.pending_deliveries(event_id=event_id))


@shared_task(acks_late=True, time_limit=300, soft_time_limit=240)
def send_pending_deliveries() -> int:
    """Every minute (beat): send deliveries whose task message was lost."""
    return notifications.deliveries_send(delivery_ids=notifications.pending_deliveries(older_than=SWEEP_AFTER))
