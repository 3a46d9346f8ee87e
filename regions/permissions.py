"""Who may change the regional data."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from accounts.models import GlobalRole, User
from accounts.permissions import has_global_role


def can_import_data(user: User | AnonymousUser) -> bool:
    return has_global_role(user, GlobalRole.DATA_STEWARD)
