"""Who may see and edit an agenda: agendas get their access from their coalition.

A draft is seen by the coalition's members only: oversight roles, reviewers
and officials see an agenda once it is submitted, never its drafts.
"""

from __future__ import annotations

from collections.abc import Collection

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from accounts.models import User
from agendas.models import Agenda
from coalitions.models import Coalition
from coalitions.permissions import has_coalition_perm


def can_view_agenda(user: User | AnonymousUser, agenda: Agenda, *, perms: Collection[str] | None = None) -> bool:
    if not user.is_authenticated:
        return False
    return has_coalition_perm(user, "view_coalition", agenda.coalition, perms)


def can_edit_agenda(user: User | AnonymousUser, agenda: Agenda, *, perms: Collection[str] | None = None) -> bool:
    if not user.is_authenticated:
        return False
    if agenda.status != Agenda.Status.DRAFT:
        return False
    return has_coalition_perm(user, "edit_coalition_content", agenda.coalition, perms)


def can_create_agenda(
    user: User | AnonymousUser, coalition: Coalition, *, perms: Collection[str] | None = None
) -> bool:
    if not user.is_authenticated:
        return False
    return has_coalition_perm(user, "edit_coalition_content", coalition, perms)


def can_comment_on_agenda(user: User | AnonymousUser, agenda: Agenda, *, perms: Collection[str] | None = None) -> bool:
    # Viewers may comment too: a comment changes nothing in the agenda.
    return can_view_agenda(user, agenda, perms=perms)


# ------------------------------------------------------- checked by the services


def require_editor(actor: User | None, coalition_id: int) -> None:
    """Every change to an agenda's content: only the coalition's coordinators and editors write.

    The services call this themselves, whatever the caller checked before;
    ``None`` is the system (the demo loader, data generators). Whether the
    agenda is still a draft is checked when the revision is written.
    """
    if actor is None:
        return
    if not has_coalition_perm(actor, "edit_coalition_content", Coalition(pk=coalition_id), None):
        raise PermissionDenied


def require_reader(actor: User, coalition_id: int) -> None:
    """Commenting: every member who may read the agenda (viewers too)."""
    if not has_coalition_perm(actor, "view_coalition", Coalition(pk=coalition_id), None):
        raise PermissionDenied
