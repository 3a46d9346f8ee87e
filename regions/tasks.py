from celery import shared_task

from regions import services


@shared_task(acks_late=True, time_limit=300, soft_time_limit=240)
def run_import_job(job_id: int) -> str | None:
    """Import a confirmed upload. Idempotent: only a queued (or abandoned) job is claimed."""
    job = services.import_job_run(job_id=job_id)
    return job.status if job else None


@shared_task(acks_late=True, time_limit=300, soft_time_limit=240)
def warm_profiles() -> int:
    """Compute and cache every municipality's, COROP area's and province's profile after new data."""
    from regions.selectors import warm_profiles as warm

    return warm()
