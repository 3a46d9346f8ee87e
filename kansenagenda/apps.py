from django.apps import AppConfig


class KansenagendaConfig(AppConfig):
    name = "kansenagenda"
    verbose_name = "Kansenagenda"

    def ready(self) -> None:
        from kansenagenda.celery import ensure_filesystem_broker_folders

        ensure_filesystem_broker_folders()

        from kansenagenda.portal_views import register_panels

        register_panels()
