"""Scoring jobs queued many at once (reviews.jobs.enqueue_*_many): one message per batch, and batches that behave.

Both tasks' ``apply_async`` are replaced by a recorder, so these tests see
which messages would be sent (task and arguments), and run the jobs
themselves. ``MESSAGE_BATCH`` is 2 here, so three jobs make two messages.
"""

from __future__ import annotations

import datetime

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from reviews import jobs, tasks
from reviews.models import EvidenceScore, ScoreAggregate, ScoringJob
from tests.reviews.factories import scorable_submission, submitted_review

pytestmark = pytest.mark.django_db

ONE, BATCH = "one", "batch"


@pytest.fixture
def sent(monkeypatch):
    """Every message sent to the scoring tasks: ("one", job id, attempt) or ("batch", [job ids])."""
    messages: list[tuple] = []
    monkeypatch.setattr(jobs, "MESSAGE_BATCH", 2)
    for kind, task in ((ONE, tasks.run_scoring_job), (BATCH, tasks.run_scoring_jobs)):
        monkeypatch.setattr(task, "apply_async", lambda args, kind=kind, **options: messages.append((kind, *args)))
    return messages


@pytest.fixture
def three(coalition, alice, review_round):
    return [scorable_submission(coalition, alice, review_round, title=f"Agenda {n}") for n in range(3)]


def _stale() -> datetime.datetime:
    return timezone.now() - jobs.stale_after() - datetime.timedelta(seconds=1)


# --- enqueue --------------------------------------------------------------------------------------


def test_many_jobs_are_one_message_per_batch_after_the_commit(three, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        queued = jobs.enqueue_evidence_many(three)
        assert sent == []

    for callback in callbacks:
        callback()
    ids = [job.pk for job in queued]
    # A batch of one is the one-job message, as before batches existed.
    assert sent == [(BATCH, ids[:2]), (ONE, ids[2], None)]
    assert [(job.kind, job.status, job.submission_id) for job in queued] == [
        ("evidence", "queued", s.pk) for s in three
    ]


def test_asking_again_for_many_sends_only_what_is_new_or_failed(three, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = jobs.enqueue_evidence_many(three[:2])
    ScoringJob.objects.filter(pk=first[0].pk).update(status=ScoringJob.Status.FAILED, attempts=2, message="kapot")
    sent.clear()

    with django_capture_on_commit_callbacks(execute=True):
        again = jobs.enqueue_evidence_many(three)

    assert [job.pk for job in again[:2]] == [job.pk for job in first]
    assert ScoringJob.objects.count() == 3
    # The failed one and the new one; the queued one is left alone.
    assert sent == [(BATCH, [first[0].pk, again[2].pk])]
    failed = ScoringJob.objects.get(pk=first[0].pk)
    assert (failed.status, failed.attempts, failed.message) == ("queued", 0, "")


def test_aggregates_run_again_only_where_the_stored_one_is_of_other_reviews(
    three, reviewers, sent, django_capture_on_commit_callbacks
):
    for submission in three:
        submitted_review(submission, reviewers[0], {"support": 4})
    for job in jobs.enqueue_aggregate_many(three):
        jobs.run_job(job.pk)
    # The second submission's aggregate is replaced by one of another set of reviews.
    ScoreAggregate.objects.filter(submission=three[1]).update(reviews_key="een-andere-set")
    sent.clear()

    with django_capture_on_commit_callbacks(execute=True):
        again = jobs.enqueue_aggregate_many(three)

    assert sent == [(ONE, again[1].pk, None)]
    assert ScoringJob.objects.get(pk=again[1].pk).status == "queued"


# --- a batch message -----------------------------------------------------------------------------


def test_a_batch_message_runs_all_its_jobs(three, reviewers, sent):
    submitted_review(three[0], reviewers[0], {"support": 4})
    ids = [job.pk for job in [*jobs.enqueue_evidence_many(three), *jobs.enqueue_aggregate_many(three)]]

    assert tasks.run_scoring_jobs(ids) == "6 jobs"

    assert set(ScoringJob.objects.filter(pk__in=ids).values_list("status", "attempts")) == {("done", 1)}
    assert EvidenceScore.objects.filter(submission__in=three).count() == 3
    assert ScoreAggregate.objects.filter(submission__in=three).count() == 3
    # A redelivered batch does nothing again.
    assert tasks.run_scoring_jobs(ids) == "6 jobs"
    assert EvidenceScore.objects.count() == 3
    assert set(ScoringJob.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == {1}


def test_a_job_claimed_elsewhere_is_skipped_and_only_it_is_tried_again(three, sent):
    first, held, last = jobs.enqueue_evidence_many(three)
    ScoringJob.objects.filter(pk=held.pk).update(status="running", attempts=1, heartbeat_at=timezone.now())

    assert jobs.run_jobs([first.pk, held.pk, last.pk]) == [held.pk]

    statuses = dict(ScoringJob.objects.values_list("pk", "status"))
    assert (statuses[first.pk], statuses[held.pk], statuses[last.pk]) == ("done", "running", "done")
    assert not EvidenceScore.objects.filter(submission=three[1]).exists()
    assert ScoringJob.objects.get(pk=held.pk).attempts == 1
    # The task retries later with the held job only (called directly, Celery raises Retry without sending).
    with pytest.raises(Retry):
        tasks.run_scoring_jobs([first.pk, held.pk, last.pk])


def test_a_batch_past_its_slice_sends_the_rest_in_a_message_of_its_own(three, sent, monkeypatch):
    ids = [job.pk for job in jobs.enqueue_evidence_many(three)]
    sent.clear()
    monkeypatch.setattr(jobs, "SLICE_SECONDS", -1)

    assert jobs.run_jobs(ids) == []

    statuses = dict(ScoringJob.objects.values_list("pk", "status"))
    assert [statuses[pk] for pk in ids] == ["done", "queued", "queued"]
    assert sent == [(BATCH, ids[1:])]


# --- the sweep ------------------------------------------------------------------------------------


def test_the_sweep_sends_a_lost_batch_again_as_batches_and_a_dead_workers_job_alone(
    coalition, alice, review_round, three, sent
):
    lost = jobs.enqueue_evidence_many(three)
    dead = jobs.enqueue_evidence(scorable_submission(coalition, alice, review_round, title="Agenda 4"))
    ScoringJob.objects.filter(pk__in=[job.pk for job in lost]).update(created_at=_stale())
    ScoringJob.objects.filter(pk=dead.pk).update(status="running", attempts=1, heartbeat_at=_stale())
    sent.clear()

    assert sorted(jobs.requeue_stale()) == sorted([*(job.pk for job in lost), dead.pk])

    lost_ids = [job.pk for job in lost]
    assert sent == [(BATCH, lost_ids[:2]), (ONE, lost_ids[2], None), (ONE, dead.pk, None)]
    # Sent again, the lost ones count as fresh; the batch runs as any other.
    assert jobs.requeue_stale() == [dead.pk]
    assert jobs.run_jobs(lost_ids) == []
    assert EvidenceScore.objects.filter(submission__in=three).count() == 3
