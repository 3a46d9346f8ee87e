from django.apps import AppConfig


class CoalitionsConfig(AppConfig):
    name = "coalitions"
    verbose_name = "Coalities"

    def ready(self) -> None:
        from coalitions import event_types, views

        event_types.register()
        views.register_panels()
