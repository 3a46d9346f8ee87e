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
        # Published advice in public rounds, in the public data version (core.public_cache).
        from core.public_cache import register_version_part, rows_changed
        from reviews.models import Advice, Criterion, ReviewRound, Submission

        advice, rounds = Advice._meta.db_table, ReviewRound._meta.db_table
        public = "r.is_public AND a.published_at IS NOT NULL"
        register_version_part(
            "reviews.public_advice",
            rows_changed(
                Submission,
                join=f"JOIN {advice} a ON a.submission_id = t.id JOIN {rounds} r ON r.id = t.round_id",
                where=public,
                also=("a", "r"),
            ),
        )
        register_version_part(
            "reviews.public_criteria",
            rows_changed(Criterion, join=f"JOIN {rounds} r ON r.id = t.round_id", where="r.is_public"),
        )
