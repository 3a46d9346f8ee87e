from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Financiering")

    def ready(self) -> None:
        from funding import event_types, views

        event_types.register()
        views.register_panels()
        # The invitation of a Rijk official, with an optional mandate.
        from funding import officials

        officials.register()
        # The tasks of funding on "Mijn taken" (core.worklist).
        from funding.worklist import register_worklist

        register_worklist()
        # Letters of approved decisions and amendments whose task message was lost (core.background).
        from core.background import register_sweep
        from funding.tasks import sweep_letters

        register_sweep("funding.letters", sweep_letters)
