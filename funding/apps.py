from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Financiering")

    def ready(self) -> None:
        from funding import event_types, views

        event_types.register()
        views.register_panels()
