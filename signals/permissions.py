"""Who may file, read and answer signals, and keep the catalogue of ministries. One rule per function.

* **Filing** is for the coalition's coordinators and editors: the roles that
  write for the coalition (as on its agenda). A coordinator files on behalf of
  any member organisation; an editor on behalf of the organisation their
  membership names (they represent it). A viewer files nothing, whichever
  organisation they represent: a viewer only reads and comments, here as on
  the agenda.
* **Reading** a public signal is for everyone, also without logging in; a
  signal its filer marked as not public is for the coalition's members (every
  role) and the officials of the ministry it is addressed to, and a 404 for
  everyone else (a programme administrator, a superuser, an official of another
  ministry, the ministry that forwarded it).
* **Acknowledging, answering (or forwarding) and closing** are for the
  officials of the addressed ministry: a Rijk official whom the programme
  administrator named for it (``MinistryOfficial``).
* **The catalogue** (ministries, their terms, their officials) is kept by the
  programme administrators, the same people who set the officials' mandates
  (``funding.services.may_manage_mandates``).
"""

from __future__ import annotations

from collections.abc import Collection

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from accounts.models import GlobalRole, User
from accounts.permissions import has_global_role
from coalitions.models import Coalition, CoalitionMembership, CoalitionRole
from coalitions.permissions import has_coalition_perm
from funding.services import may_manage_mandates
from signals.models import MinistryOfficial, Signal


def is_rijk_official(user: User | AnonymousUser) -> bool:
    return has_global_role(user, GlobalRole.RIJK_OFFICIAL)


def may_file(user: User | AnonymousUser, coalition: Coalition, *, perms: Collection[str] | None = None) -> bool:
    """Coordinators and editors of the coalition (``edit_coalition_content``)."""
    return has_coalition_perm(user, "edit_coalition_content", coalition, perms)


def organisations_to_file_for(user: User, coalition: Coalition) -> list[int]:
    """The member organisations ``user`` may file on behalf of: all for a coordinator, else the ones they represent."""
    memberships = list(
        CoalitionMembership.objects.filter(coalition=coalition, user=user).values_list("role", "organisation_id")
    )
    if any(role == CoalitionRole.COORDINATOR for role, _organisation in memberships):
        return list(coalition.organisations.values_list("pk", flat=True))
    return [organisation for role, organisation in memberships if role == CoalitionRole.EDITOR]


def is_member(user: User | AnonymousUser, coalition: Coalition, *, perms: Collection[str] | None = None) -> bool:
    """Every member of the coalition, viewers too (never a superuser who is not one)."""
    return has_coalition_perm(user, "view_coalition", coalition, perms)


def ministries_of(user: User | AnonymousUser) -> list[int]:
    """The ids of the ministries ``user`` answers for (one query; none without the Rijk official role).

    Remembered on the user object for the request, like the global roles.
    """
    if not user.is_authenticated or not user.is_active or not is_rijk_official(user):
        return []
    known = user.__dict__.get("_signal_ministries")
    if known is None:
        known = list(MinistryOfficial.objects.filter(user=user).values_list("ministry_id", flat=True))
        user.__dict__["_signal_ministries"] = known
    return known


def forget(user: User) -> None:
    """After a change of the user's ministries (tests, and the service that changes them)."""
    user.__dict__.pop("_signal_ministries", None)


def is_ministry_official(user: User | AnonymousUser, ministry_id: int) -> bool:
    return ministry_id in ministries_of(user)


def can_view_signal(user: User | AnonymousUser, signal: Signal) -> bool:
    if signal.is_public:
        return True
    if is_ministry_official(user, signal.ministry_id):
        return True
    return is_member(user, signal.coalition)


def can_act_on(user: User | AnonymousUser, signal: Signal) -> bool:
    """Acknowledge, answer, forward, close: the officials of the addressed ministry."""
    return is_ministry_official(user, signal.ministry_id)


def visible_filter(user: User | AnonymousUser) -> Q:
    """A filter on signals: the public ones, and the others ``user`` may read (see the module docstring)."""
    visible = Q(is_public=True)
    if not user.is_authenticated or not user.is_active:
        return visible
    visible |= Q(coalition_id__in=CoalitionMembership.objects.filter(user=user).values("coalition_id"))
    ministries = ministries_of(user)
    if ministries:
        visible |= Q(ministry_id__in=ministries)
    return visible


def may_manage_catalogue(user: User | AnonymousUser) -> bool:
    return may_manage_mandates(user)
