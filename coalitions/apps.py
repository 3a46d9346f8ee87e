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
        # In the public data version (core.public_cache): organisations are named as lead partners of
        # public decisions. Coalitions and their members are not public today (a region page lists a
        # coalition to its members only), but that page is cached, so they count as well.
        from coalitions.models import Coalition, CoalitionMembership, CoalitionOrganisation, Organisation
        from core.public_cache import register_version_part, rows_changed

        register_version_part("coalitions.organisations", rows_changed(Organisation))
        register_version_part("coalitions.coalitions", rows_changed(Coalition))
        register_version_part("coalitions.memberships", rows_changed(CoalitionMembership))
        register_version_part("coalitions.partners", rows_changed(CoalitionOrganisation))
