"""Letters of approved decisions and amendments, made by a worker after the commit.

Making a letter is idempotent (letters.make_letter: the row is locked and a
letter that exists is left alone), so a message that arrives twice writes
one letter. ``sweep_letters`` (the letters' part of the sweep in
core.background) sends the task again for every approved decision or
amendment still without its letter: its message was lost (broker down,
worker killed) or making it failed.
"""

import datetime

from celery import shared_task
from django.utils import timezone

from core import background
from funding import letters
from funding.models import Amendment, Decision

# Longer than a letter's time limit: a letter still missing after this is not on its way.
SWEEP_AFTER = datetime.timedelta(minutes=3)
# Per kind and sweep, so a letter that keeps failing cannot crowd out the rest.
SWEEP_BATCH = 50


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=120, soft_time_limit=100)
def make_decision_letter(decision_id: int) -> bool:
    """Idempotent: a decision whose letter exists is left alone."""
    return letters.make_letter(decision_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=120, soft_time_limit=100)
def make_amendment_letter(amendment_id: int) -> bool:
    """Idempotent: an amendment whose letter exists is left alone."""
    return letters.make_amendment_letter(amendment_id)


def sweep_letters() -> int:
    """Send the task again for approved decisions and amendments without a letter; how many were sent."""
    before = timezone.now() - SWEEP_AFTER
    decisions = (
        Decision.objects.filter(status=Decision.Status.APPROVED, letter="", decided_at__lt=before)
        .order_by("decided_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    amendments = (
        Amendment.objects.filter(status=Amendment.Status.APPROVED, letter="", decided_at__lt=before)
        .order_by("decided_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    return sum(background.send(make_decision_letter, pk) for pk in decisions) + sum(
        background.send(make_amendment_letter, pk) for pk in amendments
    )
