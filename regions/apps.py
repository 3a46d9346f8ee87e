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
        # Regions, their members and the current data on every public page (core.public_cache):
        # a new dataset version is a new row, so an import changes the version.
        from core.public_cache import register_version_part, rows_changed
        from regions.models import Dataset, Indicator, Region, RegionMunicipality, Theme

        register_version_part("regions.regions", rows_changed(Region))
        register_version_part("regions.memberships", rows_changed(RegionMunicipality))
        register_version_part("regions.datasets", rows_changed(Dataset))
        register_version_part("regions.themes", rows_changed(Theme))
        register_version_part("regions.indicators", rows_changed(Indicator))
        register_version_part("regions.indicator_themes", rows_changed(Indicator.themes.through))
