from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    name = "signals"
    verbose_name = _("Signalen aan het Rijk")

    def ready(self) -> None:
        from signals import event_types, views, worklist

        event_types.register()
        # "Signaal indienen" on the agenda page, the coalition's signals on the coalition page.
        views.register_panels()
        # The officials' and the programme administrators' tasks on "Mijn taken" (core.worklist).
        worklist.register_worklist()
        # Overdue signals escalate to the programme administrators, once per addressing (core.background).
        from core.background import register_sweep
        from signals.services import signals_escalate_overdue

        register_sweep("signals.escalation", signals_escalate_overdue)
        # Public signals, their steps and the ministries in the public data version (core.public_cache).
        from core.public_cache import register_version_part, rows_changed
        from signals.models import Ministry, Signal, SignalStep

        signals = Signal._meta.db_table
        register_version_part("signals.signals", rows_changed(Signal, where="t.is_public"))
        register_version_part(
            "signals.steps",
            rows_changed(SignalStep, join=f"JOIN {signals} s ON s.id = t.signal_id", where="s.is_public"),
        )
        register_version_part(
            "signals.themes",
            rows_changed(
                Signal.themes.through,
                join=f"JOIN {signals} s ON s.id = t.signal_id",
                where="s.is_public",
            ),
        )
        register_version_part("signals.ministries", rows_changed(Ministry))
        # Signals in the synthetic national data set (manage.py generate_national_data).
        from funding.national_data import register_extension
        from signals import national_data

        register_extension("signals", national_data.extend)
