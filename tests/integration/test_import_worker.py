"""An import job whose worker is killed mid-import finishes, once, after the sweep sends it again.

Before issue 15 nothing sent it again: the task is acks_late, so its message stays in
Redis' "unacked" set and comes back only after the broker's visibility timeout (an hour;
kept at that here, so only the sweep can bring the job back). The worker is stopped at a
known point of the import: the test holds the lock on the source's dataset rows that the
import takes before it writes, waits until the worker waits for it, and kills it there.
"""

from __future__ import annotations

import datetime
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from activity.models import Event
from core import background
from regions import services
from regions.models import Dataset, ImportJob
from tests.factories import make_user
from tests.helpers import changed_kwb, wait_for

KWB_FILE = Path(settings.BASE_DIR) / "regions" / "data" / "cbs" / "kwb2023_gemeenten.csv"
KWB = "cbs-85618-kwb-2023"
TAKEOVER_SECONDS = 2


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_an_import_killed_mid_job_finishes_once_after_the_sweep(real_data, spawn_worker, private_queue, settings):
    settings.IMPORT_TAKEOVER_SECONDS = TAKEOVER_SECONDS  # the sweep runs here, the workers get it below
    workers_env = {"IMPORT_TAKEOVER_SECONDS": str(TAKEOVER_SECONDS), "CELERY_VISIBILITY_TIMEOUT": "3600"}
    path = default_storage.save("imports/killed-worker.csv", ContentFile(changed_kwb()))
    steward = make_user("steward", role="data_steward")
    job = services.import_job_enqueue(source_key=KWB, file_path=path, file_name="kwb.csv", user=steward)

    with transaction.atomic():
        # The lock the import takes before it writes its new version: the worker stops there.
        list(Dataset.objects.select_for_update().filter(source_key=KWB))
        first = spawn_worker(**workers_env)
        wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.RUNNING)
        wait_for(_someone_waits_for_a_lock)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)

    job.refresh_from_db()
    assert (job.status, job.attempts, job.finished_at) == ("running", 1, None)
    assert Dataset.objects.filter(source_key=KWB).count() == 1  # nothing of it was written

    second = spawn_worker(**workers_env)
    # Past the takeover time, with a live worker: nothing brings the job back by itself...
    time.sleep(TAKEOVER_SECONDS + 2)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", 1)
    assert second.poll() is None

    # ...until the sweep sends it again.
    assert background.run_sweeps()["regions.import_jobs"] == 1
    wait_for(lambda: ImportJob.objects.get(pk=job.pk).status in ("done", "failed"))
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2), job.message
    assert job.message.startswith("Versie 2 met ")
    versions = Dataset.objects.filter(source_key=KWB)
    assert sorted(versions.values_list("version", flat=True)) == [1, 2]
    assert job.dataset == versions.get(version=2)
    assert Event.objects.filter(verb="dataset.import_done", target_id=job.pk).count() == 1
    assert not default_storage.exists(path)

    # Done: the next sweeps leave it alone, and its old message, should it come back, does nothing.
    ImportJob.objects.filter(pk=job.pk).update(sent_at=timezone.now() - datetime.timedelta(hours=1))
    assert background.run_sweeps()["regions.import_jobs"] == 0
    assert services.import_job_run(job_id=job.pk).attempts == 2
    assert Dataset.objects.filter(source_key=KWB).count() == 2
