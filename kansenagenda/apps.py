from django.apps import AppConfig


class KansenagendaConfig(AppConfig):
    name = "kansenagenda"
    verbose_name = "Kansenagenda"

    def ready(self) -> None:
        from kansenagenda.celery import ensure_filesystem_broker_folders

        ensure_filesystem_broker_folders()

        from kansenagenda.portal_views import register_panels

        register_panels()

        # The whole admin needs a session verified with a second factor (accounts/admin_site.py).
        from django.contrib import admin

        from accounts.admin_site import VerifiedAdminSite

        admin.site.__class__ = VerifiedAdminSite
