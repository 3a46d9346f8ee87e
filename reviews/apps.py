from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Beoordeling")

    def ready(self) -> None:
        from regions.signals import indicator_data_changed
        from reviews import event_types, jobs, pool, views

        event_types.register()
        # The invitation into the reviewer pool, and the pool's events.
        pool.register()
        views.register_panels()
        # The tasks of reviews on "Mijn taken" (core.worklist).
        from reviews.worklist import register_worklist

        register_worklist()

        # New indicator data: every open submission gets an evidence score for it.
        indicator_data_changed.connect(jobs.rescore_on_new_data, dispatch_uid="reviews.rescore_on_new_data")
        # Scoring jobs whose worker died or whose message was lost (core.background).
        from core.background import register_sweep

        register_sweep("reviews.scoring_jobs", lambda: len(jobs.requeue_stale()))
