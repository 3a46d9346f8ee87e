from celery import shared_task

from funding import letters


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=120, soft_time_limit=100)
def make_decision_letter(decision_id: int) -> bool:
    """Idempotent: a decision whose letter exists is left alone."""
    return letters.make_letter(decision_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=120, soft_time_limit=100)
def make_amendment_letter(amendment_id: int) -> bool:
    """Idempotent: an amendment whose letter exists is left alone."""
    return letters.make_amendment_letter(amendment_id)
