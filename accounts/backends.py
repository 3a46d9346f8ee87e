"""Log in with an e-mail address as well as a username.

People who joined by invitation know their e-mail address, not the username
the platform made for them; older accounts keep logging in by username.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from accounts.models import User


class EmailOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username:
            user = User.objects.filter(email__iexact=username.strip()).first()
            if user is None:
                # Spend the same time as a check of a real password, so a
                # wrong address cannot be told from a wrong password.
                User().set_password(password)
                return None
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
