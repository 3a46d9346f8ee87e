from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "activity"
    verbose_name = "Activiteit"

    def ready(self) -> None:
        from activity import lockouts

        lockouts.register()
        # E-mail deliveries whose task message was lost (core.background).
        from activity.tasks import sweep_deliveries
        from core.background import register_sweep

        register_sweep("activity.deliveries", sweep_deliveries)
