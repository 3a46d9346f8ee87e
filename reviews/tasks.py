"""Celery tasks of the review: they take ids and call reviews.jobs.

Crash survival, in three layers:

* ``acks_late``: the message is acknowledged only after the task returns, so
  a worker that dies mid-job leaves it unacknowledged. The jobs are
  idempotent (reviews.jobs), which is what makes acks_late safe here.
* ``reject_on_worker_lost``: when a prefork child dies (OOM killer, segfault)
  its parent puts the message back on the queue at once.
* When the whole worker dies (SIGKILL, lost host) nobody is left to do that:
  on Redis the message stays in kombu's "unacked" set, and the next worker
  that starts (or any running one, every ~100 s) puts it back once it is
  older than the broker's ``visibility_timeout`` (CELERY_VISIBILITY_TIMEOUT).
  Whoever receives it then finds the job "running" with the dead worker's
  heartbeat; it retries until the heartbeat is stale (SCORING_STALE_SECONDS)
  and then takes the job over, resuming where it stopped.
  The sweep (``jobs.requeue_stale``, run every minute by
  ``core.tasks.sweep_background_work``) re-sends such jobs too, in case the
  message itself was lost.

A batch message (``run_scoring_jobs``, sent when many jobs are queued at
once) has the same three layers: its jobs are claimed one by one, so a
redelivered batch skips those done or held by a live worker, and retries with
only the held ones.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from reviews import jobs

# Both tasks run idempotent jobs, which is what makes acks_late safe (see above).
JOB_TASK_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "max_retries": 30,
    "time_limit": 300,
    "soft_time_limit": 240,
}


def _busy_countdown() -> int:
    # Half the stale period: soon after a dead worker's heartbeat is stale.
    return max(1, settings.SCORING_STALE_SECONDS // 2)


@shared_task(**JOB_TASK_OPTIONS)
def run_scoring_job(self, job_id: int, attempt: int | None = None) -> str:
    """Run a scoring job; while another live worker holds it, look again later."""
    outcome = jobs.run_job(job_id, attempt=attempt)
    if outcome is jobs.Outcome.BUSY:
        raise self.retry(countdown=_busy_countdown())
    return outcome.value


@shared_task(**JOB_TASK_OPTIONS)
def run_scoring_jobs(self, job_ids: list[int]) -> str:
    """Run a batch of scoring jobs one after another; those another live worker holds are tried again later."""
    busy = jobs.run_jobs(job_ids)
    if busy:
        raise self.retry(args=[busy], countdown=_busy_countdown())
    return f"{len(job_ids)} jobs"
