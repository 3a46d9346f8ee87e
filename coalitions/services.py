"""State changes of coalitions and their members.

Each function is the one place where its change happens: it validates,
writes inside a transaction and records an event.

Two kinds of functions live here. ``coalition_create``,
``coalition_add_organisation``, ``coalition_set_member`` and
``coalition_remove_member`` do not ask who acts: their callers did (a page
through the ``coalition_*`` functions below them, an accepted invitation
through the inviter's right when it was sent, the demo). The functions that
people reach from a page (``coalition_start``, ``coalition_add_partner``,
``coalition_change_member``, ``coalition_end_membership``) check the actor
first and raise ``PermissionDenied``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import User
from activity.events import record_event
from coalitions.models import (
    Affiliation,
    Coalition,
    CoalitionMembership,
    CoalitionOrganisation,
    CoalitionRole,
    Organisation,
)
from coalitions.permissions import (
    ALL_COALITION_PERMISSIONS,
    ROLE_PERMISSIONS,
    can_manage_members,
    can_start_coalition,
)
from regions.models import Region
from regions.services import custom_region_save

# Region.code holds 32 characters: "RG-", the name's slug and a "-<n>" to make it unique.
REGION_CODE_SLUG = 24
SLUG_LENGTH = Coalition._meta.get_field("slug").max_length - 6
DESCRIPTION_MAX = 2_000


@dataclass(frozen=True)
class NewOrganisation:
    """An organisation that is not in the register yet, made where it joins a coalition."""

    name: str
    kind: str
    region: Region | None = None


@dataclass(frozen=True)
class NewRegion:
    """A region of one's own, made of municipalities (CBS codes), when a coalition starts."""

    name: str
    municipality_codes: tuple[str, ...]


def role_label(role: str) -> str:
    return str(CoalitionRole(role).label) if role in CoalitionRole.values else role


def _member_data(coalition: Coalition, user: User, organisation: Organisation, role: str) -> dict:
    # Names, not usernames: the timeline and e-mails show these as they were.
    return {
        "slug": coalition.slug,
        "user_id": user.pk,
        "name": user.display_name,
        "organisation": organisation.name,
        "role": role,
        "where": _("%(role)s namens %(organisation)s") % {"role": role_label(role), "organisation": organisation.name},
    }


@transaction.atomic
def coalition_create(*, name: str, slug: str, region: Region, actor: User | None, description: str = "") -> Coalition:
    coalition = Coalition(name=name, slug=slug, region=region, description=description)
    coalition.full_clean()
    coalition.save()
    record_event(
        actor=actor,
        verb="coalition.created",
        target=coalition,
        coalition_id=coalition.pk,
        data={"name": name, "slug": slug, "where": region.name},
    )
    return coalition


@transaction.atomic
def coalition_add_organisation(
    *, coalition: Coalition, organisation: Organisation, actor: User | None
) -> CoalitionOrganisation:
    link, created = CoalitionOrganisation.objects.get_or_create(
        coalition=coalition, organisation=organisation, defaults={"joined_on": timezone.localdate()}
    )
    if created:
        record_event(
            actor=actor,
            verb="coalition.organisation_added",
            target=coalition,
            coalition_id=coalition.pk,
            data={"organisation": organisation.name, "organisation_id": organisation.pk, "slug": coalition.slug},
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
        raise ValidationError({"role": _("Kies een rol: coördinator, redacteur of lezer.")})
    if not CoalitionOrganisation.objects.filter(coalition=coalition, organisation=organisation).exists():
        raise ValidationError({"organisation": _("Deze organisatie is geen lid van de coalitie.")})
    # Lock the coalition's memberships: two coordinators changing roles at
    # the same time must not leave the coalition without a coordinator.
    memberships = list(CoalitionMembership.objects.select_for_update().filter(coalition=coalition))
    current = next((m for m in memberships if m.user_id == user.pk), None)
    if current is not None and current.role == CoalitionRole.COORDINATOR and role != CoalitionRole.COORDINATOR:
        _ensure_other_coordinator(memberships, current, leaving=False)
    data = _member_data(coalition, user, organisation, role)
    if current is None:
        membership = CoalitionMembership.objects.create(
            coalition=coalition, user=user, organisation=organisation, role=role
        )
        verb = "coalition.member_added"
    else:
        if current.role == role and current.organisation_id == organisation.pk:
            return current
        data["from_role"] = current.role
        current.role, current.organisation = role, organisation
        current.save(update_fields=["role", "organisation"])
        membership, verb = current, "coalition.member_changed"
    coalition_sync_permissions(coalition=coalition, user=user)
    record_event(actor=actor, verb=verb, target=coalition, coalition_id=coalition.pk, data=data)
    return membership


@transaction.atomic
def coalition_remove_member(*, membership: CoalitionMembership, actor: User | None) -> None:
    """Remove a person from the coalition; when ``actor`` is that person, they leave.

    The last coordinator can neither be removed nor leave.
    """
    memberships = list(CoalitionMembership.objects.select_for_update().filter(coalition_id=membership.coalition_id))
    locked = next((m for m in memberships if m.pk == membership.pk), None)
    if locked is None:
        raise ValidationError({"membership": _("Deze persoon is geen lid (meer) van de coalitie.")})
    # The role as it is now (another coordinator may just have changed it).
    membership.role = locked.role
    leaving = actor is not None and actor.pk == membership.user_id
    if membership.role == CoalitionRole.COORDINATOR:
        _ensure_other_coordinator(memberships, membership, leaving=leaving)
    coalition, user = membership.coalition, membership.user
    data = _member_data(coalition, user, membership.organisation, membership.role)
    membership.delete()
    coalition_sync_permissions(coalition=coalition, user=user)
    record_event(
        actor=actor,
        verb="coalition.member_left" if leaving else "coalition.member_removed",
        target=coalition,
        coalition_id=coalition.pk,
        data=data,
    )


def _ensure_other_coordinator(
    memberships: list[CoalitionMembership], changing: CoalitionMembership, *, leaving: bool
) -> None:
    """The one rule: a coalition keeps at least one coordinator (callers hold the lock on its memberships)."""
    others = [m for m in memberships if m.role == CoalitionRole.COORDINATOR and m.pk != changing.pk]
    if others:
        return
    if leaving:
        message = _("U bent de enige coördinator: maak eerst iemand anders coördinator voordat u de coalitie verlaat.")
    else:
        message = _(
            "Een coalitie houdt minstens één coördinator: %(name)s is de enige. Maak eerst iemand anders coördinator."
        ) % {"name": changing.user.display_name}
    raise ValidationError({"role": message})


def affiliation_open(*, user: User, organisation: Organisation) -> Affiliation:
    """The person's open tie to the organisation, made (from today) if there is none.

    The review's conflict-of-interest check reads these ties.
    """
    today = timezone.localdate()
    current = (
        Affiliation.objects.filter(user=user, organisation=organisation, start_date__lte=today)
        .exclude(end_date__lt=today)
        .first()
    )
    return current or Affiliation.objects.create(user=user, organisation=organisation, start_date=today)


# --- What people do on the pages: each checks who acts first. ------------------------------------


def _unique(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def coalition_slug(name: str) -> str:
    """A free slug made of the name (e.g. "regio-twente", else "regio-twente-2")."""
    base = slugify(name)[:SLUG_LENGTH].strip("-") or "coalitie"
    return _unique(base, set(Coalition.objects.filter(slug__startswith=base).values_list("slug", flat=True)))


def _custom_region_code(name: str) -> str:
    # A fresh code: custom_region_save updates a region with an existing code, and a
    # coalition's starter must never change a region someone else made.
    base = "RG-" + (slugify(name)[:REGION_CODE_SLUG].strip("-").upper() or "REGIO")
    return _unique(base, set(Region.objects.filter(code__startswith=base).values_list("code", flat=True)))


def _check_new_organisation(new: NewOrganisation) -> dict[str, str]:
    errors = {}
    name = new.name.strip()
    if not name:
        errors["organisation_name"] = _("Vul de naam van de organisatie in.")
    elif len(name) > Organisation._meta.get_field("name").max_length:
        errors["organisation_name"] = _("De naam is te lang.")
    elif Organisation.objects.filter(name__iexact=name).exists():
        errors["organisation_name"] = _("Er is al een organisatie met de naam %(name)s: kies die.") % {"name": name}
    if new.kind not in Organisation.Kind.values:
        errors["organisation_kind"] = _("Kies wat voor organisatie het is.")
    return errors


def _organisation_create(new: NewOrganisation, *, actor: User, coalition_id: int | None) -> Organisation:
    organisation = Organisation(name=new.name.strip(), kind=new.kind, region=new.region)
    organisation.full_clean()
    organisation.save()
    record_event(
        actor=actor,
        verb="coalition.organisation_created",
        target=organisation,
        coalition_id=coalition_id,
        data={"organisation": organisation.name, "organisation_id": organisation.pk},
    )
    return organisation


def coalition_start(
    *,
    actor: User,
    name: str,
    region: Region | NewRegion,
    organisation: Organisation | NewOrganisation,
    description: str = "",
) -> Coalition:
    """A regional partner (or a coordinator, or a platform administrator) starts a coalition.

    Before: the actor may start coalitions; the name is free; a new
    organisation's name is free; a new region consists of known municipalities.
    After: the coalition (with a free slug made of its name) over the region;
    the organisation (made if new) is its first member organisation; the
    actor is its first coordinator on behalf of that organisation, with an
    open affiliation to it. Each step writes its event. Nothing changes when
    anything fails.
    """
    if not can_start_coalition(actor):
        raise PermissionDenied(_("U mag geen coalitie starten."))
    name, description = (name or "").strip(), (description or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Vul de naam van de coalitie in.")
    elif len(name) > Coalition._meta.get_field("name").max_length:
        errors["name"] = _("De naam is te lang.")
    elif Coalition.objects.filter(name__iexact=name).exists():
        errors["name"] = _("Er is al een coalitie met de naam %(name)s.") % {"name": name}
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = _("Een omschrijving is hoogstens %(max)s tekens.") % {"max": DESCRIPTION_MAX}
    if isinstance(organisation, NewOrganisation):
        errors.update(_check_new_organisation(organisation))
    if isinstance(region, Region) and region.kind == Region.Kind.COUNTRY:
        errors["region"] = _("Kies een regio binnen Nederland, niet het hele land.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if isinstance(region, NewRegion):
            region_name = region.name.strip() or name
            region = custom_region_save(
                code=_custom_region_code(region_name),
                name=region_name,
                municipality_codes=region.municipality_codes,
                description=_("Eigen regio van de coalitie %(name)s.") % {"name": name},
            )
        coalition = coalition_create(
            name=name, slug=coalition_slug(name), region=region, actor=actor, description=description
        )
        if isinstance(organisation, NewOrganisation):
            organisation = _organisation_create(organisation, actor=actor, coalition_id=coalition.pk)
        coalition_add_organisation(coalition=coalition, organisation=organisation, actor=actor)
        coalition_set_member(
            coalition=coalition, user=actor, organisation=organisation, role=CoalitionRole.COORDINATOR, actor=actor
        )
        affiliation_open(user=actor, organisation=organisation)
    return coalition


def _require_manager(actor: User, coalition: Coalition) -> None:
    if not can_manage_members(actor, coalition.pk):
        raise PermissionDenied(_("Alleen een coördinator beheert de leden van deze coalitie."))


def coalition_add_partner(
    *, actor: User, coalition: Coalition, organisation: Organisation | NewOrganisation
) -> CoalitionOrganisation:
    """A coordinator adds an organisation (from the register, or a new one) to the coalition.

    Before: the actor manages the coalition's members; the organisation does
    not take part yet. After: it is a member organisation, with events.
    """
    _require_manager(actor, coalition)
    if isinstance(organisation, NewOrganisation):
        errors = _check_new_organisation(organisation)
        if errors:
            raise ValidationError(errors)
    elif CoalitionOrganisation.objects.filter(coalition=coalition, organisation=organisation).exists():
        raise ValidationError(
            {"organisation": _("%(name)s doet al mee in deze coalitie.") % {"name": organisation.name}}
        )
    with transaction.atomic():
        if isinstance(organisation, NewOrganisation):
            organisation = _organisation_create(organisation, actor=actor, coalition_id=coalition.pk)
        return coalition_add_organisation(coalition=coalition, organisation=organisation, actor=actor)


def _membership_of(coalition: Coalition, membership_id: int) -> CoalitionMembership:
    membership = (
        CoalitionMembership.objects.filter(pk=membership_id, coalition=coalition)
        .select_related("user", "organisation", "coalition")
        .first()
    )
    if membership is None:
        raise ValidationError({"membership": _("Deze persoon is geen lid (meer) van de coalitie.")})
    return membership


def coalition_change_member(
    *, actor: User, coalition: Coalition, membership_id: int, role: str, organisation_id: int
) -> CoalitionMembership:
    """A coordinator changes a member's role or the organisation they represent (see ``coalition_set_member``)."""
    _require_manager(actor, coalition)
    membership = _membership_of(coalition, membership_id)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise ValidationError({"organisation": _("Kies een organisatie van de coalitie.")})
    return coalition_set_member(
        coalition=coalition, user=membership.user, organisation=organisation, role=role, actor=actor
    )


def coalition_end_membership(*, actor: User, coalition: Coalition, membership_id: int) -> None:
    """A coordinator removes a member, or a member leaves (see ``coalition_remove_member``)."""
    manager = can_manage_members(actor, coalition.pk)
    membership = (
        CoalitionMembership.objects.filter(pk=membership_id, coalition=coalition)
        .select_related("user", "organisation", "coalition")
        .first()
    )
    # Anyone may leave; only a coordinator removes someone else.
    if not manager and (membership is None or membership.user_id != actor.pk):
        raise PermissionDenied(_("Alleen een coördinator beheert de leden van deze coalitie."))
    if membership is None:
        raise ValidationError({"membership": _("Deze persoon is geen lid (meer) van de coalitie.")})
    coalition_remove_member(membership=membership, actor=actor)
