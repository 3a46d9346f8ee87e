"""State changes of coalitions and their members.

Each function is the one place where its change happens: it validates,
writes inside a transaction and records an event.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import User
from activity.events import record_event
from coalitions.models import Coalition, CoalitionMembership, CoalitionOrganisation, CoalitionRole, Organisation
from coalitions.permissions import ALL_COALITION_PERMISSIONS, ROLE_PERMISSIONS
from regions.models import Region


@transaction.atomic
def coalition_create(*, name: str, slug: str, region: Region, actor: User | None, description: str = "") -> Coalition:
    coalition = Coalition(name=name, slug=slug, region=region, description=description)
    coalition.full_clean()
    coalition.save()
    record_event(
        actor=actor, verb="coalition.created", target=coalition, coalition_id=coalition.pk, data={"name": name}
    )
    return coalition


@transaction.atomic
def coalition_add_organisation(
    *, coalition: Coalition, organisation: Organisation, actor: User | None
) -> CoalitionOrganisation:
    link, created = CoalitionOrganisation.objects.get_or_create(coalition=coalition, organisation=organisation)
    if created:
        record_event(
            actor=actor,
            verb="coalition.organisation_added",
            target=coalition,
            coalition_id=coalition.pk,
            data={"organisation": organisation.name},
        )
    return link


def coalition_sync_permissions(*, coalition: Coalition, user: User) -> None:
    """Make the user's guardian permissions on the coalition match their membership row.

    After: the user holds exactly ROLE_PERMISSIONS[role] on the coalition, or
    none when they are not a member.
    """
    membership = CoalitionMembership.objects.filter(coalition=coalition, user=user).first()
    wanted = set(ROLE_PERMISSIONS[membership.role]) if membership else set()
    for codename in ALL_COALITION_PERMISSIONS:
        if codename in wanted:
            assign_perm(codename, user, coalition)
        else:
            remove_perm(codename, user, coalition)
    user.__dict__.get("_coalition_perms", {}).pop(coalition.pk, None)


@transaction.atomic
def coalition_set_member(
    *, coalition: Coalition, user: User, organisation: Organisation, role: str, actor: User | None
) -> CoalitionMembership:
    """Add a person to the coalition, or change their role or organisation.

    Before: the organisation is a member organisation of the coalition.
    After: one membership row for (coalition, user) with this role; guardian
    permissions match it; an event records the change. The last coordinator
    cannot be downgraded.
    """
    if role not in CoalitionRole.values:
        raise ValidationError({"role": _("Onbekende rol.")})
    if not CoalitionOrganisation.objects.filter(coalition=coalition, organisation=organisation).exists():
        raise ValidationError({"organisation": _("Deze organisatie is geen lid van de coalitie.")})
    # Lock the coalition's memberships: two coordinators changing roles at
    # the same time must not leave the coalition without a coordinator.
    memberships = list(CoalitionMembership.objects.select_for_update().filter(coalition=coalition))
    current = next((m for m in memberships if m.user_id == user.pk), None)
    if current is not None and current.role == CoalitionRole.COORDINATOR and role != CoalitionRole.COORDINATOR:
        _ensure_other_coordinator(memberships, current)
    if current is None:
        membership = CoalitionMembership.objects.create(
            coalition=coalition, user=user, organisation=organisation, role=role
        )
        verb, data = "coalition.member_added", {"user": user.username, "role": role}
    else:
        data = {"user": user.username, "from_role": current.role, "role": role}
        current.role, current.organisation = role, organisation
        current.save(update_fields=["role", "organisation"])
        membership, verb = current, "coalition.member_changed"
    coalition_sync_permissions(coalition=coalition, user=user)
    record_event(actor=actor, verb=verb, target=coalition, coalition_id=coalition.pk, data=data)
    return membership


@transaction.atomic
def coalition_remove_member(*, membership: CoalitionMembership, actor: User | None) -> None:
    memberships = list(CoalitionMembership.objects.select_for_update().filter(coalition_id=membership.coalition_id))
    if membership.role == CoalitionRole.COORDINATOR:
        _ensure_other_coordinator(memberships, membership)
    coalition, user = membership.coalition, membership.user
    membership.delete()
    coalition_sync_permissions(coalition=coalition, user=user)
    record_event(
        actor=actor,
        verb="coalition.member_removed",
        target=coalition,
        coalition_id=coalition.pk,
        data={"user": user.username},
    )


def _ensure_other_coordinator(memberships: list[CoalitionMembership], leaving: CoalitionMembership) -> None:
    others = [m for m in memberships if m.role == CoalitionRole.COORDINATOR and m.pk != leaving.pk]
    if not others:
        raise ValidationError({"role": _("Een coalitie houdt minstens één coördinator.")})
