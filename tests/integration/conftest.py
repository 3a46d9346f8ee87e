"""Brokers for the tests of background work: a private queue on the real Redis, a broker that never answers,
and real Celery workers on that queue."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import threading
import uuid
from types import SimpleNamespace

import pytest
from celery import current_app
from django.conf import settings

from kansenagenda.celery import app


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def private_queue():
    """Messages sent during the test go to a queue of its own on the real broker (so no other run's worker
    takes them). ``messages()`` lists what waits there as (task name, args)."""
    import redis

    queue = f"test-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)

    def messages() -> list[tuple[str, list]]:
        found = []
        for raw in client.lrange(queue, 0, -1):
            message = json.loads(raw)
            args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
            found.append((message["headers"]["task"], args))
        # LPUSH puts the newest first.
        return found[::-1]

    yield SimpleNamespace(name=queue, messages=messages, clear=lambda: client.delete(queue))
    app.conf.task_default_queue = previous
    client.delete(queue)
    client.close()


@pytest.fixture
def spawn_worker(private_queue):
    """Start solo-pool workers on the private queue; ``spawn_worker(NAME=value, ...)`` adds to their environment."""
    workers: list[subprocess.Popen] = []

    def start(**env: str) -> subprocess.Popen:
        command = [sys.executable, "-m", "celery", "-A", "kansenagenda", "worker", "--pool=solo", "-Q"]
        command += [private_queue.name, "--without-gossip", "--without-mingle", "--without-heartbeat"]
        command += ["--loglevel=WARNING"]
        environment = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            **env,
        }
        worker = subprocess.Popen(command, cwd=settings.BASE_DIR, env=environment)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=20)


def forget_broker_connections() -> None:
    """Make Celery forget the connection pool it keeps, so that its next publish takes the pool of the
    broker address set now.

    Celery's own clean-up after a fork (a private method of the Celery app, reached through
    celery.current_app, which is ours): without it ``task.delay`` would go on publishing over
    the connection it made to the real broker earlier in the session. The pools themselves stay
    open (kombu keeps one per address and hands the real broker's back after ``restore()``).
    """
    current_app._after_fork()


@pytest.fixture
def silent_broker():
    """A broker that accepts connections and never answers: a stalled Redis, or a connection left
    half-open by a failover or a firewall. Sending waits on it for as long as nothing times out.

    From ``silence()`` until ``restore()`` (or the end of the test) messages are published there
    (``broker_write_url``); Celery's own connection pool is closed each time, so no connection made
    earlier gets past it.
    """
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    held: list[socket.socket] = []
    stopping = threading.Event()

    def accept() -> None:
        while not stopping.is_set():
            try:
                connection, _address = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(connection)  # read nothing, answer nothing

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    url = f"redis://127.0.0.1:{server.getsockname()[1]}/0"

    def silence() -> None:
        app.conf.broker_write_url = url
        forget_broker_connections()

    def restore() -> None:
        app.conf.broker_write_url = None
        forget_broker_connections()

    yield SimpleNamespace(url=url, connections=held, silence=silence, restore=restore)
    restore()
    stopping.set()
    thread.join(timeout=5)
    for connection in held:
        connection.close()
    server.close()
