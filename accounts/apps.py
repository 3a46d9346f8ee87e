from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import start_session_clocks
        from accounts.throttling import flag_django_request

        user_logged_in.connect(start_session_clocks, dispatch_uid="accounts.start_session_clocks")
        user_locked_out.connect(flag_django_request, dispatch_uid="accounts.flag_django_request")
