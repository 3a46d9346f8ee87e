from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    name = "invitations"
    verbose_name = "Uitnodigingen"

    def ready(self) -> None:
        from invitations import event_types, roles

        event_types.register()
        roles.register()
