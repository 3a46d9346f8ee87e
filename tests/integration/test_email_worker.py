"""A real Celery worker on Redis sends one e-mail for an event, even when the task is sent three times.

The worker (two processes, so duplicates can run at the same moment) writes
mail with Django's file backend into a temporary folder; the test counts
the messages there after the worker has nothing left to do.
"""

import os
import subprocess
import sys
import time
import uuid

import pytest
import redis
from django.conf import settings
from django.db import transaction

from activity.events import record_event
from activity.models import Delivery
from activity.notifications import notify
from activity.tasks import send_event_deliveries
from kansenagenda.celery import app
from tests.factories import make_user


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def mail_dir(tmp_path):
    return tmp_path / "mail"


@pytest.fixture
def worker(mail_dir):
    """A worker on a private queue, so no other run's messages reach it; its name, queue and broker."""
    queue = f"test-mail-{uuid.uuid4().hex[:8]}"
    name = f"{queue}@localhost"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DJANGO_EMAIL_FILE_PATH": str(mail_dir),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kansenagenda",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "-n",
            name,
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    yield name, queue
    process.terminate()
    process.wait(timeout=20)
    app.conf.task_default_queue = previous


def messages_in(folder) -> list[str]:
    """The messages the file backend wrote (several per file when they shared a connection)."""
    if not folder.exists():
        return []
    texts = [path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())]
    return [part for text in texts for part in text.split("-" * 79) if "Message-ID:" in part]


def wait_until_idle(name: str, queue: str, deadline: float) -> None:
    """Until the queue is empty and the worker has no task running or reserved."""
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    while time.monotonic() < deadline:
        if broker.llen(queue) == 0:
            inspect = app.control.inspect(destination=[name], timeout=1)
            active, reserved = inspect.active() or {}, inspect.reserved() or {}
            if name in active and not active[name] and not reserved.get(name):
                return
        time.sleep(0.3)
    raise AssertionError("the worker did not finish in time")


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_task_sent_three_times_sends_one_email(worker, mail_dir):
    name, queue = worker
    chair = make_user("chiara")
    reviewer = make_user("rita")

    with transaction.atomic():
        event = record_event(
            actor=chair,
            verb="review.assigned",
            data={
                "submission_id": 1,
                "assignment_id": 2,
                "title": "Kansen voor Oost-Groningen",
                "due_date": "2027-03-01",
            },
        )
        notify(event=event, recipients=[reviewer])
    # The commit queued the task once; a retry and a duplicate queue it again.
    send_event_deliveries.delay(event.pk)
    send_event_deliveries.delay(event.pk)

    deadline = time.monotonic() + 60
    delivery = Delivery.objects.get(event=event)
    while time.monotonic() < deadline and delivery.status != Delivery.Status.SENT:
        time.sleep(0.3)
        delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT, delivery.error
    wait_until_idle(name, queue, deadline)

    [message] = messages_in(mail_dir)
    assert "To: rita@example.org" in message
    assert delivery.attempts == 1
