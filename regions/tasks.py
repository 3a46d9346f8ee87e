from celery import shared_task

from regions import services


@shared_task(acks_late=True, time_limit=300, soft_time_limit=240)
def run_import_job(job_id: int) -> None:
    """Import a confirmed upload. Idempotent: only a queued job is claimed."""
    services.import_job_run(job_id=job_id)


@shared_task(acks_late=True, time_limit=300, soft_time_limit=240)
def warm_profiles() -> int:
    """Compute and cache every municipality's, COROP area's and province's profile after new data."""
    from regions.selectors import warm_profiles as warm

    return warm()
