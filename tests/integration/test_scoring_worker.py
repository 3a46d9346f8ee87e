"""Scoring jobs in real Celery workers on Redis: they complete, and survive a worker killed mid-job.

How the killed job comes back (see reviews/tasks.py): the task is acks_late,
so its message stays in kombu's Redis "unacked" set while it runs. SIGKILL
leaves it there. A worker that starts restores unacked messages older than
the broker's visibility_timeout; the workers here get a 2-second one
(CELERY_VISIBILITY_TIMEOUT) instead of an hour, and the second worker is
started only once the message is that old, so it restores it at start-up
rather than at kombu's next sweep (~100 s later). It then finds the job
"running" with the dead worker's heartbeat, retries until that heartbeat is
stale (SCORING_STALE_SECONDS, 2 s here), takes the job over and resumes.
"""

from __future__ import annotations

import signal
import time

import pytest
from django.utils import timezone

from reviews import jobs
from reviews.models import EvidenceScore, ScoreAggregate, ScoringJob
from tests.helpers import wait_for
from tests.reviews.factories import open_submissions

VISIBILITY_TIMEOUT = 2
STALE_SECONDS = 2


@pytest.fixture
def start_worker(spawn_worker):
    """Solo-pool workers on a private queue, with a short visibility timeout and a short stale limit."""
    return lambda: spawn_worker(
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT), SCORING_STALE_SECONDS=str(STALE_SECONDS)
    )


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_computes_the_evidence_and_the_aggregate(real_data, start_worker):
    (submission,) = open_submissions(1)
    start_worker()

    evidence_job = jobs.enqueue_evidence(submission)
    aggregate_job = jobs.enqueue_aggregate(submission)

    for job in (evidence_job, aggregate_job):
        wait_for(lambda job=job: ScoringJob.objects.get(pk=job.pk).status in ("done", "failed"))
        job.refresh_from_db()
        assert (job.status, job.attempts, job.done, job.total) == ("done", 1, 1, 1), job.message
    assert EvidenceScore.objects.filter(submission=submission).count() == 1
    assert ScoreAggregate.objects.get(submission=submission).review_count == 0


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_rescore_survives_a_worker_killed_mid_job_and_completes_exactly_once(real_data, start_worker):
    submissions = open_submissions(200)
    first_worker = start_worker()

    job = jobs.enqueue_rescore()
    wait_for(lambda: ScoringJob.objects.get(pk=job.pk).done >= 1, interval=0.02)
    first_worker.send_signal(signal.SIGKILL)
    first_worker.wait(timeout=10)
    killed_at = timezone.now()

    job.refresh_from_db()
    assert job.status == "running" and 1 <= job.done < job.total == len(submissions), (job.done, job.total)
    scored_before = EvidenceScore.objects.count()
    assert scored_before == job.done
    # The message was delivered before the job started; once it is older than
    # the visibility timeout, a starting worker restores it.
    time.sleep(max(0.0, (job.started_at - timezone.now()).total_seconds() + VISIBILITY_TIMEOUT + 0.5))
    start_worker()

    wait_for(lambda: ScoringJob.objects.get(pk=job.pk).status in ("done", "failed"))
    job.refresh_from_db()
    assert (job.status, job.attempts, job.done, job.total) == ("done", 2, len(submissions), len(submissions))
    scores = EvidenceScore.objects.filter(submission__in=submissions)
    assert scores.count() == len(submissions)
    assert sorted(scores.values_list("submission_id", flat=True)) == sorted(s.pk for s in submissions)
    # What the killed worker committed stayed; nothing was scored twice.
    assert scores.filter(computed_at__lte=killed_at).count() == scored_before
    assert len(set(scores.values_list("datasets_key", flat=True))) == 1
