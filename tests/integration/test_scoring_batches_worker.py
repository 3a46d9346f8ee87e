"""Scoring jobs queued many at once, in a real Celery worker on Redis: one message per batch, and a lost
batch that the sweep sends again."""

from __future__ import annotations

import logging

import pytest
from django.utils import timezone

from core import background
from reviews import jobs
from reviews.models import EvidenceScore, ScoreAggregate, ScoringJob
from tests.helpers import wait_for
from tests.reviews.factories import open_submissions

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

# A full batch and a partial one.
SUBMISSIONS = jobs.MESSAGE_BATCH + 5


def _all_done(job_ids: list[int]) -> bool:
    return not ScoringJob.objects.filter(pk__in=job_ids).exclude(status__in=["done", "failed"]).exists()


def test_a_worker_runs_many_jobs_sent_one_message_per_batch(real_data, private_queue, spawn_worker):
    submissions = open_submissions(SUBMISSIONS)

    queued = [*jobs.enqueue_evidence_many(submissions), *jobs.enqueue_aggregate_many(submissions)]

    ids = [job.pk for job in queued]
    messages = private_queue.messages()
    # The evidence jobs in a full batch and one of five, the same for the aggregates: four messages.
    batches = [("reviews.tasks.run_scoring_jobs", n) for n in (jobs.MESSAGE_BATCH, 5)] * 2
    assert [(task, len(args[0])) for task, args in messages] == batches
    assert sorted(job_id for _task, args in messages for job_id in args[0]) == sorted(ids)

    spawn_worker()
    wait_for(lambda: _all_done(ids))
    assert set(ScoringJob.objects.filter(pk__in=ids).values_list("status", "attempts")) == {("done", 1)}
    assert EvidenceScore.objects.filter(submission__in=submissions).count() == SUBMISSIONS
    assert ScoreAggregate.objects.filter(submission__in=submissions).count() == SUBMISSIONS


def test_a_batch_the_broker_did_not_take_is_sent_again_by_the_sweep(
    real_data, silent_broker, private_queue, spawn_worker, caplog
):
    submissions = open_submissions(3)

    silent_broker.silence()
    with caplog.at_level(logging.ERROR, logger="core.background"):
        queued = jobs.enqueue_evidence_many(submissions)
    silent_broker.restore()

    ids = [job.pk for job in queued]
    assert any(
        record.getMessage().startswith(f"Not sent: reviews.tasks.run_scoring_jobs({ids!r},)")
        for record in caplog.records
    )
    assert private_queue.messages() == []
    # A minute or two later: nobody has touched the jobs.
    ScoringJob.objects.filter(pk__in=ids).update(created_at=timezone.now() - jobs.stale_after() * 2)

    assert background.run_sweeps()["reviews.scoring_jobs"] == 3
    assert private_queue.messages() == [("reviews.tasks.run_scoring_jobs", [ids])]
    spawn_worker()
    wait_for(lambda: _all_done(ids))
    assert set(ScoringJob.objects.filter(pk__in=ids).values_list("status", "attempts")) == {("done", 1)}
    assert EvidenceScore.objects.filter(submission__in=submissions).count() == 3
