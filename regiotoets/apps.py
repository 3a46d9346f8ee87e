from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegiotoetsConfig(AppConfig):
    name = "regiotoets"
    verbose_name = _("Regiotoets van rijksbesluiten")

    def ready(self) -> None:
        from regiotoets import event_types, views

        event_types.register()
        # "Regiotoets: rijksbesluiten die deze regio raken" on the region page (regions.panels.REGION_PAGE).
        views.register_panels()
        # Register entries in the synthetic national data set (funding.national_data).
        from funding.national_data import register_extension
        from regiotoets.national_data import generate_entries

        register_extension("regiotoets", generate_entries)
        # The register is public: its entries, their regions and effects, and the responses that are public
        # signals, in the public data version (core.public_cache; the signals register their own rows).
        from core.public_cache import register_version_part, rows_changed
        from regiotoets.models import Effect, Entry, EntryRegion, EntryResponse
        from signals.models import Signal

        register_version_part("regiotoets.entries", rows_changed(Entry))
        register_version_part("regiotoets.regions", rows_changed(EntryRegion))
        register_version_part("regiotoets.effects", rows_changed(Effect))
        register_version_part(
            "regiotoets.responses",
            rows_changed(
                EntryResponse, join=f"JOIN {Signal._meta.db_table} s ON s.id = t.signal_id", where="s.is_public"
            ),
        )
