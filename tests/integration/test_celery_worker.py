"""A real Celery worker on Redis picks up an import job enqueued after commit."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from kansenagenda.celery import app
from regions import services
from regions.models import Dataset, ImportJob
from tests.factories import make_user

KWB_FILE = Path(settings.BASE_DIR) / "regions" / "data" / "cbs" / "kwb2023_gemeenten.csv"


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker_queue():
    """A private queue, so no other run's messages reach this worker."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kansenagenda",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    yield queue
    worker.terminate()
    worker.wait(timeout=20)
    app.conf.task_default_queue = previous


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_it_imports_an_upload_in_a_real_worker(real_data, worker_queue):
    text = KWB_FILE.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("GM0114,"))
    fields = row.split(",")
    fields[26] = "9.9"
    path = default_storage.save("imports/worker-test.csv", ContentFile(text.replace(row, ",".join(fields)).encode()))
    steward = make_user("steward", role="data_steward")

    job = services.import_job_enqueue(
        source_key="cbs-85618-kwb-2023", file_path=path, file_name="kwb.csv", user=steward
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
            break
        time.sleep(0.3)
    assert job.status == ImportJob.Status.DONE, job.message
    assert Dataset.objects.filter(source_key="cbs-85618-kwb-2023").count() == 2
    assert not default_storage.exists(path)
