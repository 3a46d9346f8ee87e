"""Who may see and act on a coalition. Each rule is one function; each condition on its own line."""

from __future__ import annotations

from collections.abc import Collection

from django.contrib.auth.models import AnonymousUser
from guardian.shortcuts import get_user_perms

from accounts.models import GlobalRole, User
from accounts.permissions import has_global_role
from coalitions.models import Coalition, CoalitionMembership, CoalitionRole

# Global roles that oversee all coalitions (not the agendas' drafts).
OVERSIGHT_ROLES = (GlobalRole.RIJK_OFFICIAL, GlobalRole.REVIEW_CHAIR, GlobalRole.DATA_STEWARD)

# The object permissions on a coalition that each role implies. Derived from
# the membership row by services.coalition_sync_permissions; nothing else
# assigns them.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    CoalitionRole.VIEWER: ("view_coalition",),
    CoalitionRole.EDITOR: ("view_coalition", "edit_coalition_content"),
    CoalitionRole.COORDINATOR: ("view_coalition", "edit_coalition_content", "manage_coalition_members"),
}
ALL_COALITION_PERMISSIONS = ("view_coalition", "edit_coalition_content", "manage_coalition_members")


def can_view_coalition(user: User | AnonymousUser, coalition: Coalition) -> bool:
    if not user.is_authenticated:
        return False
    if has_global_role(user, *OVERSIGHT_ROLES):
        return True
    return user.has_perm("coalitions.view_coalition", coalition)


def is_coordinator(user: User | AnonymousUser, coalition_id: int, *, perms: Collection[str] | None = None) -> bool:
    """Whether the user is a coordinator of the coalition: the one test of that role.

    The role lives on the membership row. A page that already looked up the
    user's coalition permissions passes them as ``perms``: they are derived
    from that row (only a coordinator has ``manage_coalition_members``), so no
    further query is needed.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if perms is not None:
        return "manage_coalition_members" in perms
    return CoalitionMembership.objects.filter(
        coalition_id=coalition_id, user=user, role=CoalitionRole.COORDINATOR
    ).exists()


def can_manage_members(user: User | AnonymousUser, coalition_id: int, *, perms: Collection[str] | None = None) -> bool:
    """Whether the user may add organisations, invite, change roles and remove members.

    A coordinator of the coalition, or a platform administrator (who may
    invite to anything). The invitation kind "coalition" asks this too.
    """
    if is_coordinator(user, coalition_id, perms=perms):
        return True
    return has_global_role(user, GlobalRole.PLATFORM_ADMIN)


def can_see_people(user: User | AnonymousUser, coalition: Coalition, *, perms: Collection[str] | None = None) -> bool:
    """The coalition's people and roles, and its latest events (which can name its drafts), on its page and in the API.

    Its members only: not an oversight role, a platform administrator or a
    superuser who is not one of them (they see the coalition and its
    organisations). Never ``user.has_perm()``, which is true for every superuser.
    """
    return has_coalition_perm(user, "view_coalition", coalition, perms)


def can_see_members(user: User | AnonymousUser, coalition_id: int, *, perms: Collection[str]) -> bool:
    """The members page: the coalition's members, and whoever may manage them."""
    if not user.is_authenticated or not user.is_active:
        return False
    if "view_coalition" in perms:
        return True
    return has_global_role(user, GlobalRole.PLATFORM_ADMIN)


def can_start_coalition(user: User | AnonymousUser) -> bool:
    """Regional partners and platform administrators start coalitions; so may any coordinator."""
    if not user.is_authenticated or not user.is_active:
        return False
    if has_global_role(user, GlobalRole.REGIONAL_PARTNER, GlobalRole.PLATFORM_ADMIN):
        return True
    return CoalitionMembership.objects.filter(user=user, role=CoalitionRole.COORDINATOR).exists()


def coalition_permissions(user: User | AnonymousUser, coalition: Coalition) -> frozenset[str]:
    """The user's object permissions on a coalition, looked up once (one query).

    A page that asks several agenda rules at once passes this set as ``perms``,
    so each rule does not look the permissions up again. Only the user's own
    object permissions count: coalition rights are never given to groups
    (services.coalition_sync_permissions assigns them per member). Looked up
    once per user object and coalition.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    # Remembered on the user object, like has_global_role's groups: a view
    # that checked access and the service it calls (which checks again) share
    # one lookup. coalition_sync_permissions forgets it when it changes them.
    known = user.__dict__.setdefault("_coalition_perms", {})
    if coalition.pk not in known:
        known[coalition.pk] = frozenset(get_user_perms(user, coalition))
    return known[coalition.pk]


def has_coalition_perm(user: User, codename: str, coalition: Coalition, perms: Collection[str] | None) -> bool:
    # Never user.has_perm(): it is true for every superuser, and a draft is for
    # the coalition's members only, whatever the user's global role.
    if not user.is_authenticated or not user.is_active:
        return False
    if perms is None:
        perms = coalition_permissions(user, coalition)
    return codename in perms
