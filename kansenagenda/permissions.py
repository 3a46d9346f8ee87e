"""Who may do what. Each rule is one function; each condition on its own line."""

from __future__ import annotations

from collections.abc import Collection

from django.contrib.auth.models import AnonymousUser
from guardian.shortcuts import get_user_perms

from kansenagenda.models import Agenda, Coalition, CoalitionRole, GlobalRole, User

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


def can_view_coalition(user: User | AnonymousUser, coalition: Coalition) -> bool:
    if not user.is_authenticated:
        return False
    if has_global_role(user, *OVERSIGHT_ROLES):
        return True
    return user.has_perm("kansenagenda.view_coalition", coalition)


def can_manage_members(user: User | AnonymousUser, coalition: Coalition) -> bool:
    if not user.is_authenticated:
        return False
    return user.has_perm("kansenagenda.manage_coalition_members", coalition)


def can_import_data(user: User | AnonymousUser) -> bool:
    return has_global_role(user, GlobalRole.DATA_STEWARD)


# Agendas get their access from their coalition. A draft is seen by the
# coalition's members only: oversight roles, reviewers and officials see an
# agenda once it is submitted (the review issue), never its drafts.


def coalition_permissions(user: User | AnonymousUser, coalition: Coalition) -> frozenset[str]:
    """The user's object permissions on a coalition, looked up once (one query).

    A page that asks several agenda rules at once passes this set as ``perms``,
    so each rule does not look the permissions up again. Only the user's own
    object permissions count: coalition rights are never given to groups
    (services.coalition_sync_permissions assigns them per member).
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(get_user_perms(user, coalition))


def _has_coalition_perm(user: User, codename: str, coalition: Coalition, perms: Collection[str] | None) -> bool:
    # Never user.has_perm(): it is true for every superuser, and a draft is for
    # the coalition's members only, whatever the user's global role.
    if perms is None:
        perms = coalition_permissions(user, coalition)
    return codename in perms


def can_view_agenda(user: User | AnonymousUser, agenda: Agenda, *, perms: Collection[str] | None = None) -> bool:
    if not user.is_authenticated:
        return False
    return _has_coalition_perm(user, "view_coalition", agenda.coalition, perms)


def can_edit_agenda(user: User | AnonymousUser, agenda: Agenda, *, perms: Collection[str] | None = None) -> bool:
    if not user.is_authenticated:
        return False
    if agenda.status != Agenda.Status.DRAFT:
        return False
    return _has_coalition_perm(user, "edit_coalition_content", agenda.coalition, perms)


def can_create_agenda(
    user: User | AnonymousUser, coalition: Coalition, *, perms: Collection[str] | None = None
) -> bool:
    if not user.is_authenticated:
        return False
    return _has_coalition_perm(user, "edit_coalition_content", coalition, perms)


def can_comment_on_agenda(user: User | AnonymousUser, agenda: Agenda, *, perms: Collection[str] | None = None) -> bool:
    # Viewers may comment too: a comment changes nothing in the agenda.
    return can_view_agenda(user, agenda, perms=perms)


def can_edit_goal_catalogue(user: User | AnonymousUser) -> bool:
    return has_global_role(user, GlobalRole.DATA_STEWARD)
