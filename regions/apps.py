from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regio's en brede welvaart")

    def ready(self) -> None:
        # The data stewards' tasks on "Mijn taken" (core.worklist).
        from regions.signals import indicator_data_changed, warm_profiles_on_new_data
        from regions.worklist import register_worklist

        register_worklist()
        indicator_data_changed.connect(warm_profiles_on_new_data, dispatch_uid="regions.warm_profiles_on_new_data")
        # Import jobs whose message was lost or whose worker died (core.background).
        from core.background import register_sweep
        from regions.services import import_jobs_requeue

        register_sweep("regions.import_jobs", import_jobs_requeue)
