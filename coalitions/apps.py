from django.apps import AppConfig


class CoalitionsConfig(AppConfig):
    name = "coalitions"
    verbose_name = "Coalities"

    def ready(self) -> None:
        from coalitions import event_types, invitations, views

        event_types.register()
        invitations.register()
        views.register_panels()
        # The tasks of coalitions on "Mijn taken" (core.worklist).
        from coalitions.worklist import register_worklist

        register_worklist()
