"""Global roles: who may do what whatever the object."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from accounts.models import User


def has_global_role(user: User | AnonymousUser, *roles: str) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # Cached per request object: the group names are read once.
    names = getattr(user, "_global_roles", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._global_roles = names  # type: ignore[union-attr]
    return any(role in names for role in roles)
