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
        # Approved decisions (with their letters), their tranches (paid out, reclaimed) and amendments, and
        # the programmes, in the public data version (core.public_cache).
        from core.public_cache import register_version_part, rows_changed
        from funding.models import Amendment, Decision, Programme, Tranche

        approved = [Decision.Status.APPROVED.value]
        decisions = Decision._meta.db_table
        register_version_part("funding.decisions", rows_changed(Decision, where="t.status = %s", params=approved))
        register_version_part(
            "funding.tranches",
            rows_changed(
                Tranche, join=f"JOIN {decisions} d ON d.id = t.decision_id", where="d.status = %s", params=approved
            ),
        )
        register_version_part(
            "funding.amendments",
            rows_changed(Amendment, where="t.status = %s", params=[Amendment.Status.APPROVED.value]),
        )
        register_version_part("funding.programmes", rows_changed(Programme))
