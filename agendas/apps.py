from django.apps import AppConfig


class AgendasConfig(AppConfig):
    name = "agendas"
    verbose_name = "Agenda's"

    def ready(self) -> None:
        from agendas import event_types
        from agendas.views import agendas

        event_types.register()
        agendas.register_panels()
