"""Benchmark: scoring 500 submissions, through a real Celery worker on Redis and in-process.

Builds its own data in a fresh, throw-away database (``test_<name>`` next to
the configured one, dropped afterwards): the CBS regions and indicators, one
agenda built through the services and frozen as a submission, and 500 open
submissions copied from its snapshot with varied regions (the COROP areas
and provinces), themes, goal links and budgets, each with three submitted
reviews scored on the round's eight criteria. It then scores every
submission (its evidence score and its reviewers' aggregate: two jobs each)

- in-process: the jobs queued with ``enqueue_evidence_many`` /
  ``enqueue_aggregate_many`` (no message sent), then ``reviews.jobs.run_job``
  called directly, one job after another;
- end to end: the same jobs queued the same way, sent after the commit (one
  message per ``reviews.jobs.MESSAGE_BATCH`` jobs) and run by a real Celery
  worker (prefork, as in production) on Redis, timed from the first enqueue
  until the last job is done;
- and once more through the worker as one RESCORE job over all submissions.

It prints submissions per second for each, the ratio in-process / worker,
the queries of one job of each kind, and checks that the worker's figures
equal the in-process ones (exit code 1 when they do not or a job failed).

Run (needs PostgreSQL and Redis):

    make bench-scoring
    # or: DATABASE_URL=postgres://... CELERY_BROKER_URL=redis://... .venv/bin/python bench/review_scoring.py

Last, it renders the chair's round overview with all submissions scored and
with one submission, and checks that both take the same number of queries.

Options: ``--submissions N`` (default 500), ``--concurrency N`` (worker
processes, default 2), ``--database NAME`` (the throw-away database; default
``test_<name>`` next to DATABASE_URL's), ``--one-by-one`` (queue every job by
itself with ``enqueue_evidence`` / ``enqueue_aggregate``, one message per job,
as when reviews come in one at a time: what the bulk enqueue saves).
"""

from __future__ import annotations

import argparse
import copy
import datetime
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kansenagenda.settings")
from bench.common import database_url, load_cbs_data, setup_django, throwaway_database  # noqa: E402 - after the path

REVIEWS_PER_SUBMISSION = 3
# The worker's submissions per second against the in-process rate (reported, not part of the exit code).
WORKER_RATIO_TARGET = 0.7


def build_submissions(count: int):
    """One agenda through the services, frozen; ``count`` varied copies of its snapshot. Returns (original, copies)."""
    from django.utils import timezone

    from agendas.models import Agenda
    from regions.models import Region, Theme
    from reviews.models import Assignment, Score, Submission
    from tests.agendas.factories import make_agenda, make_measure, make_priority
    from tests.factories import make_coalition, make_user
    from tests.reviews.factories import freeze, make_round

    chair = make_user("chair")
    coalition = make_coalition(coordinator=chair)
    review_round = make_round(chair)
    agenda = make_agenda(coalition, chair)
    for p in range(3):
        priority = make_priority(agenda, chair, title=f"Prioriteit {p + 1}")
        for m in range(2):
            make_measure(
                agenda,
                priority,
                chair,
                title=f"Maatregel {p + 1}.{m + 1}",
                budget={
                    (agenda.start_year + y, source): 50_000 * (m + 1)
                    for y in range(4)
                    for source in ("rijk", "province")
                },
            )
    original = freeze(agenda, review_round, chair)

    regions = list(Region.objects.filter(kind__in=[Region.Kind.COROP, Region.Kind.PROVINCE]).order_by("code"))
    themes = list(Theme.objects.order_by("position").values_list("code", flat=True))
    agendas = Agenda.objects.bulk_create(
        Agenda(
            coalition=coalition,
            region=regions[n % len(regions)],
            title=f"Agenda {n + 1}",
            start_year=agenda.start_year,
            end_year=agenda.end_year,
            status=Agenda.Status.SUBMITTED,
        )
        for n in range(count)
    )
    submissions = Submission.objects.bulk_create(
        Submission(
            agenda=copy_agenda,
            round=review_round,
            number=1,
            revision_number=original.revision_number,
            snapshot=varied_snapshot(original.snapshot, n, copy_agenda.region, themes),
            content_hash=original.content_hash,
            submitted_by=chair,
        )
        for n, copy_agenda in enumerate(agendas)
    )
    reviewers = [make_user(f"reviewer{r}") for r in range(REVIEWS_PER_SUBMISSION)]
    now = timezone.now()
    assignments = Assignment.objects.bulk_create(
        Assignment(
            submission=s,
            reviewer=reviewer,
            due_date=timezone.localdate(),
            status=Assignment.Status.SUBMITTED,
            submitted_at=now + datetime.timedelta(seconds=r),
        )
        for s in submissions
        for r, reviewer in enumerate(reviewers)
    )
    criteria = list(review_round.criteria.all())
    Score.objects.bulk_create(
        (
            Score(assignment=a, criterion=c, score=1 + (a.pk + position) % 5)
            for a in assignments
            for position, c in enumerate(criteria)
        ),
        batch_size=5000,
    )
    return original, submissions


def varied_snapshot(snapshot: dict, n: int, region, themes: list[str]) -> dict:
    """The snapshot for another region, with other themes, goal strengths and budget amounts."""
    varied = copy.deepcopy(snapshot)
    varied["region"] = {"code": region.code, "name": region.name}
    varied["title"] = f"Agenda {n + 1}"
    for p, priority in enumerate(varied["priorities"]):
        priority["themes"] = [themes[(n + p) % len(themes)], themes[(n + 2 * p + 5) % len(themes)]]
        for goal in priority["goals"]:
            goal["strength"] = "indirect" if (n + p) % 3 == 0 else "direct"
        for measure in priority["measures"]:
            # Some agendas ask the Rijk for more, some spread over fewer years.
            measure["budget"] = [
                {**line, "amount": line["amount"] * (1 + (n % 4 if line["source"] == "rijk" else 0))}
                for line in measure["budget"]
                if line["year"] < varied["start_year"] + 1 + n % 4
            ]
    return varied


def wait_until_finished(job_ids: list[int], timeout: float) -> None:
    from reviews.models import ScoringJob

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        unfinished = ScoringJob.objects.filter(pk__in=job_ids).exclude(status__in=["done", "failed"]).count()
        if not unfinished:
            return
        time.sleep(0.05)
    raise SystemExit(f"Jobs not finished within {timeout:.0f} s")


def results() -> tuple[dict[int, str], dict[int, str]]:
    """Evidence totals and weighted totals per submission."""
    from reviews.models import EvidenceScore, ScoreAggregate

    evidence = {s: str(t) for s, t in EvidenceScore.objects.values_list("submission_id", "total")}
    aggregates = {s: str(t) for s, t in ScoreAggregate.objects.values_list("submission_id", "weighted_total")}
    return evidence, aggregates


def forget_results() -> None:
    from reviews.models import EvidenceScore, ScoreAggregate, ScoringJob

    EvidenceScore.objects.all().delete()
    ScoreAggregate.objects.all().delete()
    ScoringJob.objects.all().delete()


def round_overview_figures(review_round, moved) -> dict:
    """Queries and median render time of the round page for the chair: the full round against a one-submission round."""
    import statistics

    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from reviews.models import Submission
    from tests.reviews.factories import make_round

    chair = User.objects.get(username="chair")
    chair.groups.add(Group.objects.get(name="review_chair"))
    client = Client()
    client.force_login(chair)
    small_round = make_round(chair, name="Ronde met één indiening")
    Submission.objects.filter(pk=moved.pk).update(round=small_round)

    def measure(round_id: int) -> tuple[int, float]:
        url = reverse("reviews:round", args=[round_id])
        client.get(url)  # warm-up
        times = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        return len(queries), statistics.median(times)

    queries_small, ms_small = measure(small_round.pk)
    queries_large, ms_large = measure(review_round.pk)
    size = Submission.objects.filter(round=review_round).count()
    Submission.objects.filter(pk=moved.pk).update(round=review_round)
    return {
        "queries_small": queries_small,
        "queries_large": queries_large,
        "ms_small": ms_small,
        "ms_large": ms_large,
        "size": size,
    }


def enqueue_all(submissions, *, one_by_one: bool = False) -> list[int]:
    """Queue the evidence score and the aggregate of every submission: the ids of the jobs.

    As the product queues many (``enqueue_*_many``: one message per batch),
    or ``one_by_one`` (``enqueue_evidence`` / ``enqueue_aggregate``: one
    message per job, as when reviews come in one at a time).
    """
    from reviews import jobs

    if one_by_one:
        return [job.pk for s in submissions for job in (jobs.enqueue_evidence(s), jobs.enqueue_aggregate(s))]
    return [job.pk for job in [*jobs.enqueue_evidence_many(submissions), *jobs.enqueue_aggregate_many(submissions)]]


def score_all(submissions, *, one_by_one: bool = False) -> None:
    """The evidence score and the reviewers' aggregate of every submission, in this process, as the jobs do it."""
    from core import background
    from reviews import jobs

    # Queued as through a worker, with the broker left out.
    with mock.patch.object(background, "send", lambda task, *args: True):
        for job_id in enqueue_all(submissions, one_by_one=one_by_one):
            jobs.run_job(job_id)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--database", help="the throw-away database (default: test_<name> next to DATABASE_URL's)")
    parser.add_argument("--one-by-one", action="store_true", help="queue each job by itself: one message per job")
    args = parser.parse_args()

    if not setup_django(postgres=False):
        return 2
    from django.conf import settings

    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        print("Needs Redis: set CELERY_BROKER_URL=redis://...", file=sys.stderr)
        return 2
    with throwaway_database(args.database):
        return measure(args)


def measure(args) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import background
    from kansenagenda.celery import app
    from reviews import jobs
    from reviews.models import ScoringJob

    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}, throw-away)")
    print("Building data: CBS regions and indicators, goal catalogues ...", flush=True)
    load_cbs_data()
    started = time.perf_counter()
    original, submissions = build_submissions(args.submissions)
    n = len(submissions)
    regions = len({s.snapshot["region"]["code"] for s in submissions})
    print(
        f"{n} open submissions in {regions} regions, {REVIEWS_PER_SUBMISSION} submitted reviews each, "
        f"built in {time.perf_counter() - started:.1f} s.\n",
        flush=True,
    )
    ok = True

    # --- in-process ---------------------------------------------------------------------
    cache.clear()
    with mock.patch.object(background, "send", lambda task, *args: True):
        # Warm-up: the data snapshot (the same for every region), like a worker that ran a job before.
        jobs.run_job(jobs.enqueue_evidence(original).pk)
        with CaptureQueriesContext(connection) as evidence_queries:
            jobs.run_job(jobs.enqueue_evidence(submissions[0]).pk)
        with CaptureQueriesContext(connection) as aggregate_queries:
            jobs.run_job(jobs.enqueue_aggregate(submissions[0]).pk)
    forget_results()
    started = time.perf_counter()
    score_all(submissions, one_by_one=args.one_by_one)
    in_process = time.perf_counter() - started
    expected = results()
    failed = ScoringJob.objects.filter(status="failed").count()
    ok &= not failed and len(expected[0]) == len(expected[1]) == n
    counts = f"evidence {len(evidence_queries)}, aggregate {len(aggregate_queries)}"
    print(f"Queries to enqueue and run one job (warm): {counts}.")

    # --- a real worker --------------------------------------------------------------------
    forget_results()
    queue = f"bench-scoring-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kansenagenda", "worker", f"--concurrency={args.concurrency}"]
        + ["-Q", queue, "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url()},
    )
    try:
        warm_up = [jobs.enqueue_evidence(original).pk]
        wait_until_finished(warm_up, timeout=120)
        started = time.perf_counter()
        job_ids = enqueue_all(submissions, one_by_one=args.one_by_one)
        enqueued = time.perf_counter() - started
        wait_until_finished(job_ids, timeout=600)
        through_worker = time.perf_counter() - started
        actual = results()
        failed = ScoringJob.objects.filter(status="failed").count()
        same = {k: v for k, v in actual[0].items() if k != original.pk} == expected[0] and actual[1] == expected[1]
        ok &= not failed and same

        # --- one RESCORE job through the worker ----------------------------------------------------
        forget_results()
        started = time.perf_counter()
        rescore = jobs.enqueue_rescore()
        wait_until_finished([rescore.pk], timeout=600)
        rescored = time.perf_counter() - started
        rescore.refresh_from_db()
        ok &= rescore.status == "done" and rescore.done == n + 1
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    # --- the chair's round overview with every submission scored --------------------------------
    overview = round_overview_figures(original.round, submissions[0])
    ok &= overview["queries_large"] == overview["queries_small"]

    how = "one by one, a message per job" if args.one_by_one else f"in bulk, {jobs.MESSAGE_BATCH} jobs a message"
    print(f"\nScoring {n} submissions (evidence score + aggregate of the reviews: {2 * n} jobs, queued {how}):")
    print(f"{'':44} {'seconds':>8} {'subm./s':>8}")
    print(f"{'in-process (run_job, one after another)':44} {in_process:8.2f} {n / in_process:8.1f}")
    label = f"Celery worker on Redis (prefork x{args.concurrency})"
    print(f"{label:44} {through_worker:8.2f} {n / through_worker:8.1f}")
    print(f"{'  of which enqueueing (after commit)':44} {enqueued:8.2f}")
    print(f"{'one RESCORE job through the worker':44} {rescored:8.2f} {(n + 1) / rescored:8.1f}")
    ratio = in_process / through_worker
    verdict = "met" if ratio >= WORKER_RATIO_TARGET else "missed"
    print(
        f"Worker / in-process (submissions per second): {ratio:.2f} "
        f"(issue 16's target: at least {WORKER_RATIO_TARGET}: {verdict})"
    )
    print(f"Worker figures equal the in-process ones: {'yes' if same else 'NO'}; failed jobs: {failed}.")
    print(
        f"\nThe chair's round overview: {overview['queries_small']} queries with 1 submission, "
        f"{overview['queries_large']} with {overview['size']} scored submissions (must be equal); "
        f"median render {overview['ms_small']:.0f} ms vs {overview['ms_large']:.0f} ms "
        f"(ratio {overview['ms_large'] / overview['ms_small']:.1f})."
    )
    print("\n" + ("OK." if ok else "Something went wrong (see above)."))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
