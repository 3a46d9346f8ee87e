"""Background scoring: the evidence score, the reviewers' aggregate, and rescoring after new data.

A ``ScoringJob`` row is a job's identity, state and progress. Its unique
``key`` says what it computes from, so asking twice for the same work finds
the same job and sends no second message:

* ``evidence:<submission>:<model>:<datasets>`` — one submission's evidence
  score for the current indicator data (``enqueue_evidence``);
* ``aggregate:<submission>:<reviews_key>`` — the combined scores of the
  submitted reviews (``enqueue_aggregate``);
* ``rescore:<model>:<datasets>`` — every open submission after new indicator
  data (``enqueue_rescore``, sent on ``regions.signals.indicator_data_changed``).

Messages are sent after the enqueuing transaction commits: one per job, or
one per ``MESSAGE_BATCH`` jobs when many are queued at once
(``enqueue_evidence_many``, ``enqueue_aggregate_many``; the task
``run_scoring_jobs`` runs a batch's jobs one after another). A worker runs a
job only after claiming it with a conditional UPDATE (queued, or running with
a heartbeat older than ``SCORING_STALE_SECONDS`` because its worker died);
each claim adds one to ``attempts``, and that number fences the writes: a
worker that lost its claim cannot write progress any more. Results are
written idempotently (an evidence score is unique per submission, model and
datasets; an aggregate is skipped when its reviews are unchanged), each
together with the job's progress in one transaction, so a job killed at any
point and run again completes exactly once.
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q, Value
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import background
from regions.models import Dataset, Region
from regions.profile import Profile
from regions.selectors import current_datasets, data_snapshot, forget_current_datasets, region_profile
from reviews import aggregation, evidence
from reviews.models import Assignment, Criterion, EvidenceScore, Score, ScoreAggregate, ScoringJob, Submission

logger = logging.getLogger(__name__)

# A job that was claimed this often (each time its worker died, or it failed
# to finish) is marked failed instead of being tried again.
MAX_ATTEMPTS = 5
# A RESCORE hands its worker back after this long and queues its own
# continuation, so it stays far below the task's time limit whatever the
# number of submissions, and other jobs get a turn.
SLICE_SECONDS = 60
# Submissions loaded per query while rescoring.
BATCH_SIZE = 50
# Jobs per message when many are queued at once (and when the sweep sends lost
# ones again). A message costs a broker connection on the sending side and a
# task start on the worker's, an evidence or aggregate job a few milliseconds:
# per job, 1,000 jobs spent more time in the broker than in the work
# (bench/review_scoring.py). Small enough that a round's worth of jobs is
# still spread over every worker process.
MESSAGE_BATCH = 25
# Jobs the sweep sends again per run (every minute).
SWEEP_LIMIT = 500


class Outcome(enum.Enum):
    FINISHED = "finished"  # done or failed (by this call or earlier)
    CONTINUED = "continued"  # a slice of a RESCORE; its continuation is queued
    BUSY = "busy"  # another worker holds the job and is alive: try again later
    GONE = "gone"  # no such job (its submission was deleted)


class _LostClaim(Exception):
    """Another worker took the job over (our heartbeat went stale): stop without writing."""


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.SCORING_STALE_SECONDS)


# --- enqueue -------------------------------------------------------------------------


def enqueue_evidence(submission: Submission) -> ScoringJob:
    """Queue the evidence score of ``submission`` for the current indicator data.

    After: a ScoringJob for (submission, model version, current datasets)
    exists; its task is sent when the caller's transaction commits, unless
    the job already existed and is queued, running or done (a failed one is
    queued again).
    """
    (job,) = enqueue_evidence_many([submission])
    return job


def enqueue_evidence_many(submissions: Sequence[Submission]) -> list[ScoringJob]:
    """``enqueue_evidence`` for each submission, in a few queries and one message per ``MESSAGE_BATCH`` jobs sent.

    Returns the jobs in the order of ``submissions``.
    """
    datasets = _digest(_current_datasets_key())
    return _enqueue_many(
        [
            _Request(f"evidence:{s.pk}:{evidence.MODEL_VERSION}:{datasets}", ScoringJob.Kind.EVIDENCE, s)
            for s in submissions
        ]
    )


def enqueue_aggregate(submission: Submission) -> ScoringJob:
    """Queue combining the scores of the submission's submitted reviews.

    Call after a review is submitted or reopened. The job's key holds the
    reviews' key, so the same set of reviews is the same job; a done job is
    run again when the stored aggregate is of another set (a review was
    reopened and the set is back to an earlier one).
    """
    (job,) = enqueue_aggregate_many([submission])
    return job


def enqueue_aggregate_many(submissions: Sequence[Submission]) -> list[ScoringJob]:
    """``enqueue_aggregate`` for each submission, in a few queries and one message per ``MESSAGE_BATCH`` jobs sent.

    Returns the jobs in the order of ``submissions``.
    """
    ids = [s.pk for s in submissions]
    reviews = _submitted_reviews_of(ids)
    stored = set(ScoreAggregate.objects.filter(submission_id__in=ids).values_list("submission_id", "reviews_key"))
    requests = []
    for submission in submissions:
        reviews_key = aggregation.reviews_key(reviews[submission.pk])
        outdated = (submission.pk, reviews_key) not in stored
        key = f"aggregate:{submission.pk}:{reviews_key}"
        requests.append(_Request(key, ScoringJob.Kind.AGGREGATE, submission, rerun_done=outdated))
    return _enqueue_many(requests)


def enqueue_rescore() -> ScoringJob:
    """Queue scoring every open submission with the current indicator data.

    A second call for the same data is the same job.
    """
    key = f"rescore:{evidence.MODEL_VERSION}:{_digest(_current_datasets_key())}"
    (job,) = _enqueue_many([_Request(key, ScoringJob.Kind.RESCORE, total=0)])
    return job


def rescore_on_new_data(sender, **kwargs) -> None:
    """Receiver of ``regions.signals.indicator_data_changed`` (connected in reviews.apps)."""
    if Submission.objects.filter(status__in=Submission.ACTIVE).exists():
        enqueue_rescore()


@dataclass(frozen=True)
class _Request:
    """One job asked for: its key (its identity) and what to create when it is new."""

    key: str
    kind: str
    submission: Submission | None = None
    total: int = 1
    # Run a done job again (an aggregate whose stored result is of other reviews).
    rerun_done: bool = False


def _enqueue_many(requests: list[_Request]) -> list[ScoringJob]:
    """Find or create the job of each request; send the new ones and those to run again after the commit.

    A job that exists and is queued, running or done is left alone (no
    message); a failed one, or a done one with ``rerun_done``, is queued again.
    """
    asked = {r.key: r for r in requests}
    with transaction.atomic():
        # Locked: whether a job is to run again is decided on its current state.
        jobs = {job.key: job for job in ScoringJob.objects.select_for_update().filter(key__in=list(asked))}
        rerun = [
            job
            for key, job in jobs.items()
            if job.status == ScoringJob.Status.FAILED
            or (asked[key].rerun_done and job.status == ScoringJob.Status.DONE)
        ]
        if rerun:
            fields = {
                "status": ScoringJob.Status.QUEUED,
                "done": 0,
                "attempts": 0,
                "message": "",
                "started_at": None,
                "finished_at": None,
                # Counts as fresh for requeue_stale: it is about to be sent.
                "heartbeat_at": timezone.now(),
            }
            ScoringJob.objects.filter(pk__in=[job.pk for job in rerun]).update(**fields)
            for job in rerun:
                for name, value in fields.items():
                    setattr(job, name, value)
        new = [r for key, r in asked.items() if key not in jobs]
        created = []
        if new:
            # A key that another transaction creates meanwhile is skipped here and found below, so it
            # is sent twice (by its creator too): harmless, only one worker can claim a job.
            ScoringJob.objects.bulk_create(
                [ScoringJob(key=r.key, kind=r.kind, submission=r.submission, total=r.total) for r in new],
                ignore_conflicts=True,
            )
            created = list(ScoringJob.objects.filter(key__in=[r.key for r in new]))
            jobs.update((job.key, job) for job in created)
        # After the commit; a message the broker did not take is sent again by requeue_stale.
        for batch in _batches(sorted(job.pk for job in [*created, *rerun]), MESSAGE_BATCH):
            background.enqueue_on_commit(*_message(batch))
    return [jobs[r.key] for r in requests]


def _message(job_ids: list[int]) -> tuple:
    """The task and arguments of one message running ``job_ids``: the task of one job for one, of a batch for more."""
    from reviews.tasks import run_scoring_job, run_scoring_jobs

    if len(job_ids) == 1:
        return run_scoring_job, job_ids[0], None
    return run_scoring_jobs, job_ids


def _task():
    from reviews.tasks import run_scoring_job

    return run_scoring_job


def requeue_stale() -> list[int]:
    """Send again the jobs nobody is working on: the scoring jobs' sweep (core.background, every minute).

    Running jobs whose heartbeat is stale (their worker died and the broker
    did not deliver the message again) and queued jobs not touched for as
    long (their message was lost). Re-sending is harmless: only one worker
    can claim a job. Lost queued jobs go out ``MESSAGE_BATCH`` to a message,
    as they were sent; a job whose worker died goes alone (it may be what
    killed the worker, and must not take a batch down with it again), and so
    does a RESCORE (it holds its worker for a whole slice).
    """
    cutoff = timezone.now() - stale_after()
    jobs = list(
        ScoringJob.objects.annotate(seen=Coalesce("heartbeat_at", "created_at"))
        .filter(status__in=[ScoringJob.Status.QUEUED, ScoringJob.Status.RUNNING], seen__lt=cutoff)
        .order_by("seen", "pk")
        .values_list("pk", "status", "kind")[:SWEEP_LIMIT]
    )
    # Queued ones count as fresh again, so a long queue is not sent twice a minute.
    queued = [pk for pk, status, _kind in jobs if status == ScoringJob.Status.QUEUED]
    ScoringJob.objects.filter(pk__in=queued, status=ScoringJob.Status.QUEUED).update(heartbeat_at=timezone.now())
    together = [
        pk for pk, status, kind in jobs if status == ScoringJob.Status.QUEUED and kind != ScoringJob.Kind.RESCORE
    ]
    alone = sorted({pk for pk, _status, _kind in jobs} - set(together))
    for batch in [*_batches(together, MESSAGE_BATCH), *([pk] for pk in alone)]:
        background.send(*_message(batch))
    return [pk for pk, _status, _kind in jobs]


# --- run ------------------------------------------------------------------------------


def run_job(job_id: int, *, attempt: int | None = None) -> Outcome:
    """Run one scoring job if this worker can claim it.

    ``attempt``: set by a RESCORE's continuation message; the continuation
    keeps the claim of the slice before it when nobody took it over.
    Returns BUSY when another live worker holds the job (the task retries
    later), FINISHED when the job is done or failed, CONTINUED after a slice.
    """
    if not _claim(job_id, attempt):
        status = ScoringJob.objects.filter(pk=job_id).values_list("status", flat=True).first()
        if status is None:
            return Outcome.GONE
        return Outcome.BUSY if status == ScoringJob.Status.RUNNING else Outcome.FINISHED
    job = ScoringJob.objects.select_related("submission").get(pk=job_id)
    # Nobody else can claim it now: the attempt read here is ours.
    attempt = job.attempts
    try:
        with translation.override(settings.LANGUAGE_CODE):
            if job.kind == ScoringJob.Kind.EVIDENCE:
                _run_evidence(job, attempt)
            elif job.kind == ScoringJob.Kind.AGGREGATE:
                _run_aggregate(job, attempt)
            elif _run_rescore(job, attempt, deadline=time.monotonic() + SLICE_SECONDS):
                return Outcome.FINISHED
            else:
                _continue(job, attempt)
                return Outcome.CONTINUED
    except _LostClaim:
        logger.warning("Scoring job %s (attempt %s) was taken over by another worker", job_id, attempt)
    except SoftTimeLimitExceeded:
        _continue(job, attempt)
        return Outcome.CONTINUED
    except Exception as error:
        logger.exception("Scoring job %s failed", job_id)
        ScoringJob.objects.filter(pk=job_id, status=ScoringJob.Status.RUNNING, attempts=attempt).update(
            status=ScoringJob.Status.FAILED, finished_at=timezone.now(), message=str(error)[:1000]
        )
    return Outcome.FINISHED


def run_jobs(job_ids: list[int]) -> list[int]:
    """Run the jobs of one batch message in turn (``run_job`` each); returns those another live worker holds.

    The caller tries those again later. After ``SLICE_SECONDS`` the jobs not
    yet started go out in a message of their own, so a batch stays far below
    the task's time limit; were that message lost, they are still queued and
    the sweep sends them.
    """
    deadline = time.monotonic() + SLICE_SECONDS
    busy = []
    for position, job_id in enumerate(job_ids):
        if position and time.monotonic() > deadline:
            background.send(*_message(job_ids[position:]))
            break
        if run_job(job_id) is Outcome.BUSY:
            busy.append(job_id)
    return busy


def _claim(job_id: int, attempt: int | None) -> bool:
    """Whether this worker now holds the job (a continuation keeps ``attempt``, a claim adds one)."""
    now = timezone.now()
    running = ScoringJob.Status.RUNNING
    if attempt is not None:
        kept = ScoringJob.objects.filter(pk=job_id, status=running, attempts=attempt).update(heartbeat_at=now)
        if kept:
            return True
    claimable = Q(status=ScoringJob.Status.QUEUED) | Q(status=running, heartbeat_at__lt=now - stale_after())
    claimed = ScoringJob.objects.filter(claimable, pk=job_id, attempts__lt=MAX_ATTEMPTS).update(
        status=running,
        attempts=F("attempts") + 1,
        heartbeat_at=now,
        started_at=Coalesce("started_at", Value(now)),
        finished_at=None,
    )
    if claimed:
        return True
    # Claimed too often: whatever kills its workers, stop trying.
    ScoringJob.objects.filter(claimable, pk=job_id, attempts__gte=MAX_ATTEMPTS).update(
        status=ScoringJob.Status.FAILED,
        finished_at=now,
        message=_("Gestopt na %(count)s pogingen.") % {"count": MAX_ATTEMPTS},
    )
    return False


def _advance(job: ScoringJob, attempt: int, **fields) -> None:
    """Write progress (and beat) if this worker still holds the job; part of the caller's transaction."""
    updated = ScoringJob.objects.filter(pk=job.pk, status=ScoringJob.Status.RUNNING, attempts=attempt).update(
        heartbeat_at=timezone.now(), **fields
    )
    if not updated:
        raise _LostClaim(job.pk)


def _finish(job: ScoringJob, attempt: int, message, **fields) -> None:
    _advance(job, attempt, status=ScoringJob.Status.DONE, finished_at=timezone.now(), message=message, **fields)


def _continue(job: ScoringJob, attempt: int) -> None:
    """Queue the next slice; it keeps this claim unless the heartbeat goes stale first."""
    background.enqueue_on_commit(_task(), job.pk, attempt)


# --- the work -------------------------------------------------------------------------


@dataclass
class _Context:
    """What scoring many submissions shares: the region profiles and the indicators' themes."""

    profiles: dict[str, Profile] = field(default_factory=dict)
    indicator_themes: dict[str, tuple[str, ...]] | None = None

    def profile(self, region_code: str) -> Profile:
        if region_code not in self.profiles:
            self.profiles[region_code] = region_profile(Region.objects.get(code=region_code))
        return self.profiles[region_code]

    def themes(self) -> dict[str, tuple[str, ...]]:
        if self.indicator_themes is None:
            self.indicator_themes = {code: spec.themes for code, spec in data_snapshot().indicators.items()}
        return self.indicator_themes


def score_evidence(submission: Submission, context: _Context | None = None) -> tuple[EvidenceScore, bool]:
    """The submission's evidence score for the current data: (score, created).

    Idempotent: an existing score for the same model and datasets is returned
    as it is. Raises Region.DoesNotExist when the snapshot's region is gone.
    """
    context = context or _Context()
    # The stored sentences and theme names are in the site's language whoever triggers the computation
    # (a worker, or a chair publishing advice in English); pages write them again in the reader's.
    with translation.override(settings.LANGUAGE_CODE):
        profile = context.profile(submission.snapshot["region"]["code"])
        # Computing is cheaper than a query: compute, then find or create.
        result = evidence.compute(evidence.inputs_from(submission.snapshot, profile, context.themes()))
    return EvidenceScore.objects.get_or_create(
        submission=submission,
        model_version=result.model_version,
        datasets_key=result.datasets_key,
        defaults={"dataset_versions": result.dataset_versions, "total": result.total, "components": result.components},
    )


def _run_evidence(job: ScoringJob, attempt: int) -> None:
    _use_current_datasets()
    with transaction.atomic():
        score, _created = score_evidence(job.submission)
        _finish(job, attempt, _("Bewijsscore %(total)s.") % {"total": _number(score.total)}, done=1, total=1)


def _run_aggregate(job: ScoringJob, attempt: int) -> None:
    with transaction.atomic():
        aggregate, _changed = aggregate_reviews(job.submission)
        total = "–" if aggregate.weighted_total is None else _number(aggregate.weighted_total)
        message = _("%(count)s beoordelingen, gewogen totaal %(total)s.") % {
            "count": aggregate.review_count,
            "total": total,
        }
        _finish(job, attempt, message, done=1, total=1)


@transaction.atomic
def aggregate_reviews(submission: Submission) -> tuple[ScoreAggregate, bool]:
    """Bring the submission's ScoreAggregate up to date with its submitted reviews: (aggregate, changed).

    Nothing is written when the stored aggregate has the same reviews_key.
    """
    # One aggregate at a time per submission: two jobs racing (a review
    # submitted while another is reopened) write in turn, each from the
    # reviews as they are then, so the last write is the current state.
    list(Submission.objects.select_for_update().filter(pk=submission.pk).values_list("pk", flat=True))
    reviews = _submitted_reviews(submission.pk)
    key = aggregation.reviews_key(reviews)
    aggregate = ScoreAggregate.objects.filter(submission=submission).first()
    if aggregate is not None and aggregate.reviews_key == key:
        return aggregate, False
    scores: dict[int, dict[int, int]] = {}
    for assignment_id, criterion_id, score in Score.objects.filter(
        assignment_id__in=[pk for pk, _at in reviews]
    ).values_list("assignment_id", "criterion_id", "score"):
        scores.setdefault(criterion_id, {})[assignment_id] = score
    # Reviewer 1, 2, ... in the order they handed in (the same numbers on every criterion).
    order = [pk for pk, _at in sorted(reviews, key=lambda r: (r[1] is None, r[1], r[0]))]
    result = aggregation.aggregate(
        (
            aggregation.CriterionScores(
                c.pk,
                c.code,
                c.title,
                c.weight,
                list(scores.get(c.pk, {}).values()),
                by_review=[scores.get(c.pk, {}).get(pk) for pk in order],
            )
            for c in Criterion.objects.filter(round_id=submission.round_id).order_by("position", "id")
        ),
        review_count=len(reviews),
    )
    fields = {
        "reviews_key": key,
        "review_count": result.review_count,
        "weighted_total": result.weighted_total,
        "criteria": result.criteria,
        "disagreement": result.disagreement,
    }
    # Under the submission's lock nobody else creates or replaces it meanwhile.
    if aggregate is None:
        return ScoreAggregate.objects.create(submission=submission, **fields), True
    for name, value in fields.items():
        setattr(aggregate, name, value)
    aggregate.save(update_fields=[*fields, "computed_at"])
    return aggregate, True


def _run_rescore(job: ScoringJob, attempt: int, *, deadline: float) -> bool:
    """Score the open submissions not yet scored for the current data; True when all are."""
    key = _use_current_datasets()
    open_ids = list(Submission.objects.filter(status__in=Submission.ACTIVE).order_by("pk").values_list("pk", flat=True))
    scored = set(
        EvidenceScore.objects.filter(
            submission_id__in=open_ids, model_version=evidence.MODEL_VERSION, datasets_key=key
        ).values_list("submission_id", flat=True)
    )
    todo = [pk for pk in open_ids if pk not in scored]
    # Progress restarts from what is really there, also after a crash.
    # Submissions that could not be scored are tried (and reported) again in
    # every slice: they are never "scored", so the message starts empty.
    _advance(job, attempt, total=len(open_ids), done=len(open_ids) - len(todo), message="")
    context = _Context()
    processed = 0
    for batch in _batches(todo, BATCH_SIZE):
        for submission in Submission.objects.filter(pk__in=batch).order_by("pk"):
            # At least one submission per slice, so every slice makes progress.
            if processed and time.monotonic() > deadline:
                return False
            with transaction.atomic():
                progress = {"done": F("done") + 1}
                try:
                    with transaction.atomic():
                        score_evidence(submission, context)
                except (Region.DoesNotExist, KeyError) as error:
                    # One broken snapshot must not keep the others from being scored.
                    problem = _("Indiening %(id)s: %(error)s.") % {"id": submission.pk, "error": error}
                    progress["message"] = Concat("message", Value(f" {problem}"))
                _advance(job, attempt, **progress)
            processed += 1
    message = _("%(count)s open indieningen gescoord.") % {"count": len(open_ids)}
    _finish(job, attempt, Concat(Value(message), "message"), done=F("total"))
    return True


# --- helpers --------------------------------------------------------------------------


def _submitted_reviews(submission_id: int) -> list[tuple[int, datetime.datetime | None]]:
    return _submitted_reviews_of([submission_id])[submission_id]


def _submitted_reviews_of(submission_ids: list[int]) -> dict[int, list[tuple[int, datetime.datetime | None]]]:
    """(assignment id, submitted at) of the submitted reviews, per submission: one query for all."""
    reviews: dict[int, list[tuple[int, datetime.datetime | None]]] = defaultdict(list)
    for submission_id, pk, submitted_at in Assignment.objects.filter(
        submission_id__in=submission_ids, status=Assignment.Status.SUBMITTED
    ).values_list("submission_id", "pk", "submitted_at"):
        reviews[submission_id].append((pk, submitted_at))
    return reviews


def _current_datasets_key() -> str:
    # Straight from the database, not the cached current_datasets(): right
    # after an import (the signal) this process's cache may still be old.
    rows = Dataset.objects.values("source_key").annotate(version=Max("version"))
    return evidence.datasets_key({row["source_key"]: row["version"] for row in rows})


def _use_current_datasets() -> str:
    """Make this process's cached current datasets (which the profiles read) those in the database.

    Another process may have imported data since this worker cached them
    (without a shared cache it would not know for CURRENT_DATASETS_TTL); the
    scores must be for the data as it is now. One query when nothing changed.
    """
    key = _current_datasets_key()
    if evidence.datasets_key({d.source_key: d.version for d in current_datasets()}) != key:
        forget_current_datasets()
    return key


def _digest(text: str) -> str:
    # The datasets key is long (one entry per source); the job key has 200 characters.
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _batches(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _number(value) -> str:
    return str(value).replace(".", ",")
