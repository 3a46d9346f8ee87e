"""Who may read, record, edit and respond to the regiotoets register. One rule per function.

* **Reading** the register (list, entry, CSV, API) is for everyone, also
  without logging in: the register is public. It names no official.
* **Recording** an entry is for a Rijk official who answers for the entry's
  ministry (``signals.MinistryOfficial``), and for programme administrators
  (and platform administrators, who may do anything), for any ministry.
* **Editing** is for the same people: the officials of the entry's ministry
  (and, when the ministry changes, of the new one too) and the administrators.
* **Responding** is filing a signal (``signals.permissions.may_file``: the
  coalition's coordinators and editors) for a coalition whose region the
  entry affects (``regiotoets.selectors.affects``). What the signal says is
  read by whom signals' rules say (a response that is not public stays with
  the coalition and the ministry).
"""

from __future__ import annotations

from collections.abc import Collection

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from accounts.models import GlobalRole, User
from accounts.permissions import has_global_role
from coalitions.models import Coalition
from signals import permissions as signal_permissions
from signals.models import Ministry


def is_administrator(user: User | AnonymousUser) -> bool:
    """Programme administrators record for every ministry; a platform administrator may do anything."""
    return has_global_role(user, GlobalRole.PROGRAMME_ADMIN, GlobalRole.PLATFORM_ADMIN)


def may_record_for(user: User | AnonymousUser, ministry_id: int) -> bool:
    """Record or edit an entry of this ministry."""
    if is_administrator(user):
        return True
    return signal_permissions.is_ministry_official(user, ministry_id)


def may_record(user: User | AnonymousUser) -> bool:
    """Record an entry of at least one ministry (the "new entry" page and its link)."""
    return is_administrator(user) or bool(signal_permissions.ministries_of(user))


def recordable_ministries(user: User | AnonymousUser) -> Collection[Ministry]:
    """The active ministries ``user`` may record for, by name (one query)."""
    ministries = Ministry.objects.filter(is_active=True).order_by("name")
    if is_administrator(user):
        return list(ministries)
    ids = signal_permissions.ministries_of(user)
    return list(ministries.filter(pk__in=ids)) if ids else []


def may_edit(user: User | AnonymousUser, entry) -> bool:
    return may_record_for(user, entry.ministry_id)


def may_respond_for(user: User | AnonymousUser, coalition: Coalition, *, perms=None) -> bool:
    """File a response on behalf of ``coalition``: its coordinators and editors (signals' rule)."""
    return signal_permissions.may_file(user, coalition, perms=perms)


def coalitions_to_respond_for(user: User | AnonymousUser, coalitions: QuerySet[Coalition]) -> list[Coalition]:
    """The coalitions of ``coalitions`` that ``may_respond_for`` allows, by name, in one query (for lists).

    The same object permission as signals' ``may_file`` (``edit_coalition_content``: coordinators and editors),
    the user's own only: never a superuser's or a group's.
    """
    if not user.is_authenticated or not user.is_active:
        return []
    allowed = get_objects_for_user(
        user,
        "coalitions.edit_coalition_content",
        klass=coalitions,
        use_groups=False,
        with_superuser=False,
        accept_global_perms=False,
    )
    return list(allowed.order_by("name"))
