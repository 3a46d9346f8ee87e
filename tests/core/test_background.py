"""core.background: a message is sent after the commit and never fails its caller; one sweep for every kind of work.

The broker itself (one that refuses or never answers, and one that is back)
is in tests/integration/test_broker_down.py.
"""

from __future__ import annotations

import itertools
import logging

import pytest
from django.db import transaction

from core import background
from kansenagenda.celery import app
from regions.models import ImportJob
from regions.tasks import run_import_job

# Broker addresses never connected to (publishing is replaced in these tests), one per use.
UNUSED_PORTS = itertools.count(46390)


@pytest.fixture
def published(monkeypatch):
    """The arguments of every message the import task publishes (nothing reaches a broker)."""
    messages: list[tuple] = []
    monkeypatch.setattr(run_import_job, "apply_async", lambda args, **options: messages.append(tuple(args)))
    return messages


@pytest.fixture
def refusing_broker(monkeypatch):
    """Every publish fails as a broker that is down makes it fail.

    At an address of its own (nothing listens there), so the pause after a failure
    does not hold up the real broker for the tests that follow.
    """
    app.conf.broker_write_url = f"redis://127.0.0.1:{next(UNUSED_PORTS)}/0"
    calls: list[tuple] = []

    def refuse(args, **options):
        calls.append(tuple(args))
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(run_import_job, "apply_async", refuse)
    yield calls
    app.conf.broker_write_url = None


@pytest.mark.django_db
def test_a_message_is_sent_after_the_commit_and_not_at_all_after_a_rollback(
    published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        background.enqueue_on_commit(run_import_job, 1)
        assert published == []  # not before the commit
    assert published == [(1,)]

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ZeroDivisionError), transaction.atomic():
        background.enqueue_on_commit(run_import_job, 2)
        1 / 0  # noqa: B018 - the write fails: its message must not go out
    assert published == [(1,)]


def test_a_broker_error_is_logged_with_the_task_and_its_arguments_and_never_raised(refusing_broker, caplog):
    with caplog.at_level(logging.ERROR, logger="core.background"):
        assert background.send(run_import_job, 7) is False
    assert refusing_broker == [(7,)]
    (record,) = [r for r in caplog.records if r.name == "core.background"]
    assert "regions.tasks.run_import_job(7,)" in record.getMessage()
    assert "ConnectionRefusedError" in record.getMessage()
    assert "the sweep sends it later" in record.getMessage()


def test_after_a_failure_the_broker_is_left_alone_for_a_while(refusing_broker, monkeypatch, caplog):
    # A request with several messages waits for one broker timeout, not one for each.
    assert background.send(run_import_job, 1) is False
    with caplog.at_level(logging.ERROR, logger="core.background"):
        assert background.send(run_import_job, 2) is False
    assert refusing_broker == [(1,)]  # the second was not tried...
    assert "regions.tasks.run_import_job(2,)" in caplog.text  # ...and still logged, for the sweep

    monkeypatch.setattr(background, "PAUSE_AFTER_FAILURE", 0.0)
    app.conf.broker_write_url = f"redis://127.0.0.1:{next(UNUSED_PORTS)}/0"
    assert background.send(run_import_job, 3) is False
    assert background.send(run_import_job, 4) is False
    assert refusing_broker == [(1,), (3,), (4,)]  # without the pause, each is tried


def test_one_failing_sweep_does_not_stop_the_others(caplog):
    def broken() -> int:
        raise RuntimeError("database gone")

    with caplog.at_level(logging.ERROR, logger="core.background"):
        sent = background.run_sweeps({"a.broken": broken, "b.working": lambda: 3})
    assert sent == {"a.broken": 0, "b.working": 3}
    assert "Sweep a.broken failed" in caplog.text


def test_every_kind_of_background_work_has_its_sweep():
    assert set(background.registered_sweeps()) == {
        "activity.deliveries",
        "invitations.mails",
        "regions.import_jobs",
        "reviews.scoring_jobs",
        "funding.letters",
        "signals.escalation",
    }


def test_beat_runs_one_sweep_for_all_of_them_every_minute(settings):
    sweeps = {name: entry for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if "sweep" in entry["task"]}
    assert sweeps == {"sweep-background-work": {"task": "core.tasks.sweep_background_work", "schedule": 60.0}}
    # No other periodic task re-sends work of its own.
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} == {
        "core.tasks.sweep_background_work",
        "reviews.reminders.send_review_reminders_task",
    }
    app.loader.import_default_modules()
    assert "core.tasks.sweep_background_work" in app.tasks


@pytest.mark.django_db
def test_the_sweep_task_runs_every_sweep(published, settings):
    from core.tasks import sweep_background_work

    lost = ImportJob.objects.create(source_key="x", file_path="imports/x.csv", file_name="x.csv", sent_at=None)
    ImportJob.objects.filter(pk=lost.pk).update(created_at=lost.created_at.replace(year=2020))
    sent = sweep_background_work()
    assert sent["regions.import_jobs"] == 1
    assert published == [(lost.pk,)]
