"""Scoring jobs (reviews.jobs) in the database, run in-process: idempotency, commit, rescoring, takeover.

The Celery task's ``delay`` is replaced by a recorder, so these tests see
exactly which messages would be sent, and run the jobs themselves.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.utils import timezone

from regions import importers
from regions.models import Dataset
from reviews import evidence, jobs, tasks
from reviews.models import Assignment, EvidenceScore, ScoreAggregate, ScoringJob, Submission
from tests.reviews.factories import scorable_submission, submitted_review

pytestmark = pytest.mark.django_db

KWB_SOURCE = "cbs-85618-kwb-2023"
KWB_FILE = Path(settings.BASE_DIR) / "regions" / "data" / "cbs" / "kwb2023_gemeenten.csv"


@pytest.fixture
def sent(monkeypatch):
    """The (job id, attempt) of every message sent to the scoring task."""
    messages: list[tuple[int, int | None]] = []
    # Sent through core.background.send, which publishes with apply_async.
    monkeypatch.setattr(tasks.run_scoring_job, "apply_async", lambda args, **options: messages.append(tuple(args)))
    return messages


@pytest.fixture
def submission(coalition, alice, review_round):
    return scorable_submission(coalition, alice, review_round)


def _current_key() -> str:
    latest = {}
    for dataset in Dataset.objects.all():
        latest[dataset.source_key] = max(dataset.version, latest.get(dataset.source_key, 0))
    return evidence.datasets_key(latest)


def _import_new_kwb_version(value: str = "9.9") -> None:
    """A new version of one CBS source, as a data steward's upload makes it."""
    text = KWB_FILE.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("GM0114,"))
    fields = row.split(",")
    fields[26] = value
    source = next(s for s in importers.load_mapping()["sources"] if s["key"] == KWB_SOURCE)
    result = importers.import_source(source, text.replace(row, ",".join(fields)).encode(), filename="kwb.csv")
    assert result.status == "new_version"


# --- enqueue: after commit, once --------------------------------------------------------------


def test_it_sends_the_task_only_after_the_commit(submission, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        job = jobs.enqueue_evidence(submission)
        assert sent == []

    assert len(callbacks) == 1
    callbacks[0]()
    assert sent == [(job.pk, None)]
    assert (job.kind, job.status, job.submission_id) == ("evidence", "queued", submission.pk)


def test_asking_twice_for_the_same_work_is_one_job_and_one_message(
    submission, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = jobs.enqueue_evidence(submission)
    with django_capture_on_commit_callbacks(execute=True):
        second = jobs.enqueue_evidence(submission)

    assert first.pk == second.pk
    assert sent == [(first.pk, None)]
    assert ScoringJob.objects.count() == 1


def test_a_rolled_back_enqueue_sends_nothing(submission, sent, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                jobs.enqueue_evidence(submission)
                raise RuntimeError("the service failed after enqueuing")
        except RuntimeError:
            pass

    assert callbacks == [] and sent == []
    assert not ScoringJob.objects.exists()


# --- evidence ------------------------------------------------------------------------------


def test_running_an_evidence_job_twice_gives_one_score(submission, sent):
    job = jobs.enqueue_evidence(submission)

    assert jobs.run_job(job.pk) is jobs.Outcome.FINISHED
    first = EvidenceScore.objects.get(submission=submission)
    # A redelivered message, and one more after the job was done.
    job.refresh_from_db()
    ScoringJob.objects.filter(pk=job.pk).update(status=ScoringJob.Status.QUEUED)
    assert jobs.run_job(job.pk) is jobs.Outcome.FINISHED
    assert jobs.run_job(job.pk) is jobs.Outcome.FINISHED

    assert list(EvidenceScore.objects.filter(submission=submission)) == [first]
    job.refresh_from_db()
    assert (job.status, job.total, job.done, job.percent) == ("done", 1, 1, 100)
    assert job.heartbeat_at is not None and job.finished_at is not None
    assert job.message == f"Bewijsscore {str(first.total).replace('.', ',')}."


def test_the_score_records_model_datasets_and_explained_components(submission, sent):
    job = jobs.enqueue_evidence(submission)
    jobs.run_job(job.pk)

    score = EvidenceScore.objects.get(submission=submission)
    versions = {d.source_key: d.version for d in Dataset.objects.all()}
    assert score.model_version == evidence.MODEL_VERSION == "evidence-2"
    assert score.dataset_versions == versions
    assert score.datasets_key == ",".join(f"{k}:{v}" for k, v in sorted(versions.items()))
    assert [c["code"] for c in score.components] == ["focus", "severity", "goals", "budget"]
    assert all(c["explanation"] for c in score.components)
    assert 0 <= score.total <= 100
    # The stored total is what the pure function gives for this snapshot and region.
    from regions.models import Region
    from regions.selectors import data_snapshot, region_profile

    profile = region_profile(Region.objects.get(code=submission.snapshot["region"]["code"]))
    themes = {code: spec.themes for code, spec in data_snapshot().indicators.items()}
    assert score.total == evidence.compute(evidence.inputs_from(submission.snapshot, profile, themes)).total


def test_a_snapshot_with_an_unknown_region_fails_and_can_be_queued_again(
    submission, sent, django_capture_on_commit_callbacks
):
    snapshot = {**submission.snapshot, "region": {"code": "RG-BESTAAT-NIET", "name": "?"}}
    Submission.objects.filter(pk=submission.pk).update(snapshot=snapshot)
    job = jobs.enqueue_evidence(submission)

    assert jobs.run_job(job.pk) is jobs.Outcome.FINISHED

    job.refresh_from_db()
    assert job.status == "failed" and job.message
    with django_capture_on_commit_callbacks(execute=True):
        again = jobs.enqueue_evidence(submission)
    assert again.pk == job.pk
    again.refresh_from_db()
    assert (again.status, again.attempts, again.message) == ("queued", 0, "")
    assert sent == [(job.pk, None)]


# --- aggregate -----------------------------------------------------------------------------


def test_the_aggregate_combines_submitted_reviews_only_and_anonymously(submission, reviewers, sent):
    submitted_review(submission, reviewers[0], {"support": 4, "feasibility": 2})
    submitted_review(submission, reviewers[1], {"support": 3, "feasibility": 5})
    draft = submitted_review(submission, reviewers[2], {"support": 1, "feasibility": 1})
    Assignment.objects.filter(pk=draft.pk).update(status=Assignment.Status.ACCEPTED)

    jobs.run_job(jobs.enqueue_aggregate(submission).pk)

    aggregate = ScoreAggregate.objects.get(submission=submission)
    rows = {row["code"]: row for row in aggregate.criteria}
    assert aggregate.review_count == 2
    assert (rows["support"]["scores"], rows["support"]["mean"], rows["support"]["disagreement"]) == (
        [3, 4],
        "3.50",
        False,
    )
    assert (rows["feasibility"]["spread"], rows["feasibility"]["disagreement"]) == (3, True)
    assert aggregate.disagreement is True
    # Both criteria weigh 10: (3.5 + 3.5) / 2.
    assert str(aggregate.weighted_total) == "3.50"
    assert rows["coherence"]["scores"] == []
    text = json.dumps(aggregate.criteria)
    assert all(r.username not in text for r in reviewers)
    assert set(rows["support"]) == {
        "criterion_id", "code", "title", "weight", "scores", "by_review", "mean", "min", "max", "spread",
        "disagreement",
    }  # fmt: skip
    # Reviewer 1 handed in first: the same position on every criterion, never a name.
    assert rows["support"]["by_review"] == [4, 3]
    assert rows["feasibility"]["by_review"] == [2, 5]
    assert rows["coherence"]["by_review"] == [None, None]


def test_running_the_aggregate_again_with_the_same_reviews_changes_nothing(
    submission, reviewers, sent, django_capture_on_commit_callbacks
):
    submitted_review(submission, reviewers[0], {"support": 4})
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue_aggregate(submission)
    jobs.run_job(job.pk)
    before = ScoreAggregate.objects.get(submission=submission)

    with django_capture_on_commit_callbacks(execute=True):
        again = jobs.enqueue_aggregate(submission)
    ScoringJob.objects.filter(pk=job.pk).update(status=ScoringJob.Status.QUEUED)  # a redelivery
    jobs.run_job(job.pk)

    after = ScoreAggregate.objects.get(submission=submission)
    assert again.pk == job.pk and sent == [(job.pk, None)]
    assert (after.pk, after.reviews_key, after.computed_at) == (before.pk, before.reviews_key, before.computed_at)


def test_a_reopened_review_leaves_the_aggregate_and_an_earlier_set_is_computed_again(
    submission, reviewers, sent, django_capture_on_commit_callbacks
):
    submitted_review(submission, reviewers[0], {"support": 2})
    with django_capture_on_commit_callbacks(execute=True):
        only_first = jobs.enqueue_aggregate(submission)
    jobs.run_job(only_first.pk)
    second = submitted_review(submission, reviewers[1], {"support": 4})
    with django_capture_on_commit_callbacks(execute=True):
        both = jobs.enqueue_aggregate(submission)
    jobs.run_job(both.pk)
    assert ScoreAggregate.objects.get(submission=submission).review_count == 2

    # The second reviewer reopens: the set is {first} again, whose job is done.
    Assignment.objects.filter(pk=second.pk).update(status=Assignment.Status.ACCEPTED, submitted_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        reopened = jobs.enqueue_aggregate(submission)
    jobs.run_job(reopened.pk)

    aggregate = ScoreAggregate.objects.get(submission=submission)
    assert reopened.pk == only_first.pk
    assert sent == [(only_first.pk, None), (both.pk, None), (only_first.pk, None)]
    assert aggregate.review_count == 1
    assert next(r for r in aggregate.criteria if r["code"] == "support")["scores"] == [2]


# --- rescore after new data ------------------------------------------------------------------


def test_new_indicator_data_rescores_every_open_submission_once(
    coalition, alice, review_round, sent, django_capture_on_commit_callbacks
):
    open_ones = [scorable_submission(coalition, alice, review_round, title=f"Agenda {n}") for n in range(3)]
    closed = open_ones.pop()
    Submission.objects.filter(pk=closed.pk).update(status=Submission.Status.ADVISED)
    for s in [*open_ones, closed]:
        jobs.run_job(jobs.enqueue_evidence(s).pk)
    old_key = _current_key()

    with django_capture_on_commit_callbacks(execute=True):
        _import_new_kwb_version()

    (job,) = ScoringJob.objects.filter(kind=ScoringJob.Kind.RESCORE)
    assert sent[-1] == (job.pk, None)
    assert jobs.run_job(job.pk) is jobs.Outcome.FINISHED
    job.refresh_from_db()
    new_key = _current_key()
    assert new_key != old_key and f"{KWB_SOURCE}:2" in new_key
    assert (job.status, job.total, job.done, job.attempts) == ("done", 2, 2, 1)
    for s in open_ones:
        assert sorted(s.evidence_scores.values_list("datasets_key", flat=True)) == sorted([old_key, new_key])
    assert list(closed.evidence_scores.values_list("datasets_key", flat=True)) == [old_key]

    # The same data again: the same job, nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.enqueue_rescore().pk == job.pk
    ScoringJob.objects.filter(pk=job.pk).update(status=ScoringJob.Status.QUEUED)
    jobs.run_job(job.pk)
    assert EvidenceScore.objects.filter(datasets_key=new_key).count() == 2


def test_new_data_without_open_submissions_queues_nothing(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _import_new_kwb_version()

    assert not ScoringJob.objects.exists() and sent == []


def test_a_rescore_resumes_after_a_crash_without_scoring_anything_twice(coalition, alice, review_round, sent):
    submissions = [scorable_submission(coalition, alice, review_round, title=f"Agenda {n}") for n in range(3)]
    job = jobs.enqueue_rescore()
    # The first worker scored one submission, then died.
    before_crash, _created = jobs.score_evidence(submissions[0])
    stale = timezone.now() - jobs.stale_after() - datetime.timedelta(seconds=1)
    ScoringJob.objects.filter(pk=job.pk).update(status="running", attempts=1, total=3, done=1, heartbeat_at=stale)

    assert jobs.run_job(job.pk) is jobs.Outcome.FINISHED

    job.refresh_from_db()
    assert (job.status, job.attempts, job.total, job.done) == ("done", 2, 3, 3)
    assert EvidenceScore.objects.count() == 3
    assert EvidenceScore.objects.get(submission=submissions[0]).pk == before_crash.pk


def test_a_long_rescore_continues_in_slices_under_the_same_claim(
    coalition, alice, review_round, sent, monkeypatch, django_capture_on_commit_callbacks
):
    for n in range(3):
        scorable_submission(coalition, alice, review_round, title=f"Agenda {n}")
    monkeypatch.setattr(jobs, "SLICE_SECONDS", 0)
    job = jobs.enqueue_rescore()

    with django_capture_on_commit_callbacks(execute=True):
        outcomes = [jobs.run_job(job.pk)]
    while outcomes[-1] is jobs.Outcome.CONTINUED:
        job_id, attempt = sent[-1]
        with django_capture_on_commit_callbacks(execute=True):
            outcomes.append(jobs.run_job(job_id, attempt=attempt))

    job.refresh_from_db()
    assert outcomes == [jobs.Outcome.CONTINUED] * 2 + [jobs.Outcome.FINISHED]
    assert sent == [(job.pk, 1), (job.pk, 1)]
    assert (job.status, job.attempts, job.done, job.total) == ("done", 1, 3, 3)


# --- claims, heartbeats and the safety net ------------------------------------------------------


def test_a_job_held_by_a_live_worker_is_left_alone_and_taken_over_when_its_heartbeat_is_stale(submission, sent):
    job = jobs.enqueue_evidence(submission)
    ScoringJob.objects.filter(pk=job.pk).update(status="running", attempts=1, heartbeat_at=timezone.now())

    assert jobs.run_job(job.pk) is jobs.Outcome.BUSY
    assert not EvidenceScore.objects.exists()

    stale = timezone.now() - jobs.stale_after() - datetime.timedelta(seconds=1)
    ScoringJob.objects.filter(pk=job.pk).update(heartbeat_at=stale)
    assert jobs.run_job(job.pk) is jobs.Outcome.FINISHED

    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)
    assert EvidenceScore.objects.count() == 1


def test_a_worker_that_lost_its_claim_writes_nothing(coalition, alice, review_round, sent):
    scorable_submission(coalition, alice, review_round)
    job = jobs.enqueue_rescore()
    # Attempt 1's heartbeat went stale and attempt 2 holds the job now.
    ScoringJob.objects.filter(pk=job.pk).update(status="running", attempts=2, heartbeat_at=timezone.now())

    # Attempt 1's continuation arrives late.
    assert jobs.run_job(job.pk, attempt=1) is jobs.Outcome.BUSY
    assert not EvidenceScore.objects.exists()


def test_a_job_that_keeps_killing_its_workers_fails_after_max_attempts(submission, sent):
    job = jobs.enqueue_evidence(submission)
    stale = timezone.now() - jobs.stale_after() - datetime.timedelta(seconds=1)
    ScoringJob.objects.filter(pk=job.pk).update(status="running", attempts=jobs.MAX_ATTEMPTS, heartbeat_at=stale)

    assert jobs.run_job(job.pk) is jobs.Outcome.FINISHED

    job.refresh_from_db()
    assert job.status == "failed" and str(jobs.MAX_ATTEMPTS) in job.message
    assert not EvidenceScore.objects.exists()


def test_the_task_retries_while_another_worker_holds_the_job(submission, sent):
    job = jobs.enqueue_evidence(submission)
    ScoringJob.objects.filter(pk=job.pk).update(status="running", attempts=1, heartbeat_at=timezone.now())

    with pytest.raises(Retry):
        tasks.run_scoring_job(job.pk)

    ScoringJob.objects.filter(pk=job.pk).update(status="queued")
    assert tasks.run_scoring_job(job.pk) == "finished"
    assert tasks.run_scoring_job(123456789) == "gone"


def test_requeue_sends_stale_and_lost_jobs_again_and_nothing_else(coalition, alice, review_round, sent):
    subs = [scorable_submission(coalition, alice, review_round, title=f"Agenda {n}") for n in range(4)]
    dead, lost, fresh, done = (jobs.enqueue_evidence(s) for s in subs)
    old = timezone.now() - jobs.stale_after() - datetime.timedelta(seconds=1)
    ScoringJob.objects.filter(pk=dead.pk).update(status="running", attempts=1, heartbeat_at=old)
    ScoringJob.objects.filter(pk=lost.pk).update(created_at=old)
    ScoringJob.objects.filter(pk=done.pk).update(status="done", heartbeat_at=old, created_at=old)
    sent.clear()

    assert sorted(jobs.requeue_stale()) == sorted([dead.pk, lost.pk])
    assert sorted(sent) == sorted([(dead.pk, None), (lost.pk, None)])
    # The lost one counts as fresh again; the dead one stays stale until a worker takes it over.
    assert jobs.requeue_stale() == [dead.pk]
    assert fresh.pk not in [pk for pk, _attempt in sent]
