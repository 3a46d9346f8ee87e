"""The one periodic sweep of every kind of background work (core.background)."""

from __future__ import annotations

from celery import shared_task

from core import background


@shared_task(time_limit=120, soft_time_limit=100)
def sweep_background_work() -> dict[str, int]:
    """Every minute (beat): send again the work whose message was lost or whose worker died."""
    return background.run_sweeps()
