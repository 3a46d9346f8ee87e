"""Background work that is never lost: sent after the commit without failing the caller, swept up when lost.

**Sending.** ``enqueue_on_commit(task, *args)`` sends ``task(*args)`` to the
broker once the caller's transaction has committed (at once outside a
transaction). By then the write is final, so the broker must not be able to
turn it into an error page. ``send`` publishes over a connection of its own
with short timeouts and no retries: a broker that accepts the connection but
never answers (a stalled Redis, a half-open connection after a failover)
would otherwise hold the request until the web server kills it, and the
client sees a 500 for a change that was saved. Any error is logged with the
task's name and arguments and never raised. After a failure this process
does not try that broker again for ``PAUSE_AFTER_FAILURE`` seconds, so a
request with several messages waits for one timeout, not for each.

**Sweeping.** Every kind of background work keeps its state in the database
(a job row, a pending delivery, an approved decision without its letter), so
what a lost message left undone can be found again. Each app registers a
*sweep*, a function that finds such work and sends its task again, in its
``AppConfig.ready()``; celery beat runs ``core.tasks.sweep_background_work``
every minute, which runs every sweep. Re-sending is harmless because every
task claims its work before doing it (a conditional UPDATE, or a row lock
and a check), so a message that arrives twice does the work once.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

# Seconds to connect to the broker and for each of its answers. A healthy
# broker answers in milliseconds; the sweep sends what did not make it.
PUBLISH_TIMEOUT = 2.0
# After a failed send, further sends to the same broker from this process are
# skipped (and logged) for this long, instead of each waiting for the timeout.
PAUSE_AFTER_FAILURE = 15.0

_SHORT_TRANSPORT_OPTIONS = {
    # redis-py: connecting, and every command (kombu's default is to wait forever).
    "socket_connect_timeout": PUBLISH_TIMEOUT,
    "socket_timeout": PUBLISH_TIMEOUT,
    # kombu: connect once, do not retry for broker_connection_timeout.
    "max_retries": 0,
}
_NO_RETRY = {"max_retries": 0}

# Broker URL -> time.monotonic() until which sends to it are skipped.
_paused_until: dict[str, float] = {}

Sweep = Callable[[], int]
_sweeps: dict[str, Sweep] = {}


def enqueue_on_commit(task, *args: Any) -> None:
    """Send ``task(*args)`` after the current transaction commits; never raises (see ``send``)."""
    transaction.on_commit(functools.partial(send, task, *args))


def send(task, *args: Any) -> bool:
    """Publish ``task(*args)`` now: True when the broker took it.

    False when it could not (logged with the task and its arguments); the
    registered sweep of that kind of work sends it again later. Never raises.
    """
    app = task.app
    if app.conf.task_always_eager:
        # Tests that run tasks in place: no broker involved.
        try:
            task.apply_async(args)
        except Exception:
            logger.exception("Background task %s%r failed (run in place)", task.name, args)
            return False
        return True
    url = app.conf.broker_write_url
    if _paused_until.get(url, 0.0) > time.monotonic():
        logger.error("Not sent: %s%r (the broker failed moments ago); the sweep sends it later", task.name, args)
        return False
    try:
        with app.connection_for_write(
            connect_timeout=PUBLISH_TIMEOUT, transport_options=_SHORT_TRANSPORT_OPTIONS
        ) as connection:
            task.apply_async(args, connection=connection, retry=True, retry_policy=_NO_RETRY)
    except Exception as error:  # noqa: BLE001 - any broker error: the caller's write has committed
        _paused_until[url] = time.monotonic() + PAUSE_AFTER_FAILURE
        logger.error(
            "Not sent: %s%r (%s: %s); the sweep sends it later",
            task.name,
            args,
            type(error).__name__,
            error,
            exc_info=True,
        )
        return False
    _paused_until.pop(url, None)
    return True


def register_sweep(name: str, sweep: Sweep) -> None:
    """Add the sweep of one kind of work: it sends again what is overdue and returns how many it sent.

    Registering the same name again replaces it, so a second ``ready()`` changes nothing.
    """
    _sweeps[name] = sweep


def registered_sweeps() -> dict[str, Sweep]:
    return dict(_sweeps)


def run_sweeps(sweeps: dict[str, Sweep] | None = None) -> dict[str, int]:
    """Run every registered sweep (or ``sweeps``): name -> messages sent. One that fails is logged and skipped."""
    sent = {}
    for name, sweep in sorted((_sweeps if sweeps is None else sweeps).items()):
        try:
            sent[name] = sweep()
        except Exception:
            logger.exception("Sweep %s failed; the next run tries again", name)
            sent[name] = 0
    if any(sent.values()):
        logger.info("Sweep sent again: %s", ", ".join(f"{name} {count}" for name, count in sent.items() if count))
    return sent
