"""An import job always ends: done, or failed with a message; one abandoned by its worker is taken over.

Issue 15: a value the database column cannot hold passed the dry run and the job then
stayed "Bezig" for ever, because only some exceptions marked it failed; and a job whose
worker was killed stayed "running" until the broker delivered its message again an hour
later. The real worker killed mid-import is in tests/integration/test_import_worker.py.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DataError
from django.utils import timezone

from accounts.models import User
from activity.models import Event
from regions import importers, services
from regions.models import Dataset, ImportJob
from regions.tasks import run_import_job
from tests.factories import make_user
from tests.helpers import changed_kwb

KWB_FILE = Path(settings.BASE_DIR) / "regions" / "data" / "cbs" / "kwb2023_gemeenten.csv"
KWB = "cbs-85618-kwb-2023"

pytestmark = pytest.mark.django_db


def kwb_with(old: str, new: str) -> bytes:
    text = KWB_FILE.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1).encode()


def queued_job(data: bytes, **fields) -> ImportJob:
    path = default_storage.save("imports/job-test.csv", ContentFile(data))
    steward = User.objects.filter(username="steward").first() or make_user("steward", role="data_steward")
    return ImportJob.objects.create(
        source_key=KWB, file_path=path, file_name="kwb.csv", created_by=steward, sent_at=timezone.now(), **fields
    )


@pytest.fixture
def published(monkeypatch):
    """The job ids the sweep sends (nothing reaches a broker)."""
    messages: list[int] = []
    monkeypatch.setattr(run_import_job, "apply_async", lambda args, **options: messages.append(*args))
    return messages


def test_a_value_too_large_for_the_database_fails_the_job_with_its_line():
    job = queued_job(kwb_with("GM0034,Almere,222825", "GM0034,Almere,1" + "0" * 400))
    services.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.message == (
        'kwb.csv, regel 3: kolom "inwoners_aantal": waarde met 401 cijfers is te groot: hoogstens 14 cijfers voor'
        " de komma"
    )
    assert job.finished_at is not None
    assert Dataset.objects.filter(source_key=KWB).count() == 1


@pytest.mark.parametrize(
    "error",
    [
        DataError("numeric field overflow\nDETAIL:  A field with precision 20, scale 6 must round to ..."),
        RuntimeError("something nobody foresaw"),
        ZeroDivisionError("division by zero"),
    ],
    ids=["database", "bug", "arithmetic"],
)
def test_any_error_fails_the_job_with_a_message_instead_of_leaving_it_running(error, monkeypatch):
    job = queued_job(changed_kwb())

    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(importers, "import_source", broken)
    services.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    first_line = str(error).splitlines()[0]
    assert job.message == (
        f"De import is mislukt door een onverwachte fout ({type(error).__name__}: {first_line}). Er is niets"
        " geïmporteerd; de vorige versie van de gegevens blijft gelden. Probeer het opnieuw of neem contact op met"
        " de beheerder."
    )
    assert Event.objects.filter(verb="dataset.import_failed", target_id=job.pk).count() == 1


def test_a_job_over_its_time_limit_fails_with_a_message(monkeypatch):
    job = queued_job(changed_kwb())

    def too_slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(importers, "import_source", too_slow)
    services.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.message) == (
        ImportJob.Status.FAILED,
        "De import duurde te lang en is afgebroken. Er is niets geïmporteerd; de vorige versie van de gegevens"
        " blijft gelden.",
    )


def test_a_missing_file_fails_the_job_readably():
    job = queued_job(b"x")
    default_storage.delete(job.file_path)
    services.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.message.startswith("kwb.csv: het geüploade bestand is niet meer beschikbaar (")


def test_a_job_abandoned_by_its_worker_is_taken_over_after_its_takeover_time_and_imports_once(settings):
    settings.IMPORT_TAKEOVER_SECONDS = 600
    job = queued_job(changed_kwb())
    # A worker claimed it and died.
    ImportJob.objects.filter(pk=job.pk).update(status="running", attempts=1, started_at=timezone.now())

    services.import_job_run(job_id=job.pk)  # its message again, while the worker may still be alive
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", 1)

    ImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - datetime.timedelta(seconds=601))
    services.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)
    services.import_job_run(job_id=job.pk)  # and once more: nothing
    assert Dataset.objects.filter(source_key=KWB).count() == 2
    assert Event.objects.filter(verb="dataset.import_done", target_id=job.pk).count() == 1


def test_a_worker_whose_job_was_taken_over_writes_no_result(monkeypatch):
    job = queued_job(changed_kwb())
    real_import = importers.import_source

    def overtaken(*args, **kwargs):
        # While this (slow) worker imports, another takes the job over.
        ImportJob.objects.filter(pk=job.pk).update(attempts=2, started_at=timezone.now())
        return real_import(*args, **kwargs)

    monkeypatch.setattr(importers, "import_source", overtaken)
    services.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.finished_at) == ("running", 2, None)  # the other worker's to finish
    assert not Event.objects.filter(verb__startswith="dataset.import_d", target_id=job.pk).exists()


def test_a_job_that_keeps_killing_its_worker_is_given_up():
    job = queued_job(changed_kwb())
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", attempts=services.IMPORT_MAX_ATTEMPTS, started_at=long_ago
    )
    services.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.message == "Gestopt na 3 pogingen: de import brak steeds af. Probeer het opnieuw."
    assert Dataset.objects.filter(source_key=KWB).count() == 1


def test_the_sweep_sends_lost_and_abandoned_jobs_again_and_nothing_else(published, settings):
    settings.IMPORT_TAKEOVER_SECONDS = 600
    now = timezone.now()
    lost = queued_job(b"a")  # queued, its message never arrived
    ImportJob.objects.filter(pk=lost.pk).update(sent_at=now - datetime.timedelta(minutes=2))
    abandoned = queued_job(b"b", status="running", attempts=1, started_at=now - datetime.timedelta(minutes=11))
    ImportJob.objects.filter(pk=abandoned.pk).update(sent_at=now - datetime.timedelta(minutes=12))
    fresh = queued_job(b"c")  # its message is on its way
    busy = queued_job(b"d", status="running", attempts=1, started_at=now - datetime.timedelta(minutes=1))
    done = queued_job(b"e", status="done", started_at=now - datetime.timedelta(hours=1))
    failed = queued_job(b"f", status="failed", started_at=now - datetime.timedelta(hours=1))

    assert services.import_jobs_requeue() == 2
    assert sorted(published) == sorted([lost.pk, abandoned.pk])
    assert {fresh.pk, busy.pk, done.pk, failed.pk}.isdisjoint(published)
    # Sent again now: not once more at the next sweep, a minute later.
    assert services.import_jobs_requeue() == 0
