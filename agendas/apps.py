from django.apps import AppConfig


class AgendasConfig(AppConfig):
    name = "agendas"
    verbose_name = "Agenda's"

    def ready(self) -> None:
        from agendas import event_types
        from agendas.views import agendas

        event_types.register()
        agendas.register_panels()
        # The tasks of agendas on "Mijn taken" (core.worklist).
        from agendas.worklist import register_worklist

        register_worklist()
