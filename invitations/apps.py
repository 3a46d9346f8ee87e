from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    name = "invitations"
    verbose_name = "Uitnodigingen"

    def ready(self) -> None:
        from invitations import event_types, roles

        event_types.register()
        roles.register()
        # The tasks of invitations on "Mijn taken" (core.worklist).
        from invitations.worklist import register_worklist

        register_worklist()
        # Invitation mails whose task message was lost or whose sending failed (core.background).
        from core.background import register_sweep
        from invitations.tasks import sweep_invitations

        register_sweep("invitations.mails", sweep_invitations)
