from django.apps import AppConfig


class KansenagendaConfig(AppConfig):
    name = "kansenagenda"
    verbose_name = "Kansenagenda"
