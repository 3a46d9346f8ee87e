"""Reads of coalitions and organisations, filtered by what the user may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, QuerySet
from guardian.shortcuts import get_objects_for_user

from accounts.models import User
from accounts.permissions import has_global_role
from activity.models import Event
from coalitions import invitations as coalition_invitations
from coalitions.models import Coalition, CoalitionMembership, CoalitionOrganisation, CoalitionRole, Organisation
from coalitions.permissions import OVERSIGHT_ROLES
from invitations.models import Invitation
from invitations.selectors import open_invitations
from regions.models import Region


def coalitions_visible_to(user: User | AnonymousUser) -> QuerySet[Coalition]:
    if not user.is_authenticated:
        return Coalition.objects.none()
    if has_global_role(user, *OVERSIGHT_ROLES):
        coalitions = Coalition.objects.all()
    else:
        coalitions = get_objects_for_user(user, "coalitions.view_coalition", klass=Coalition, accept_global_perms=False)
    return (
        coalitions.select_related("region")
        .annotate(
            organisation_count=Count("member_organisations", distinct=True),
            member_count=Count("memberships", distinct=True),
        )
        .order_by("name")
    )


def coalition_detail(coalition_id: int) -> Coalition:
    return (
        Coalition.objects.select_related("region")
        .annotate(
            organisation_count=Count("member_organisations", distinct=True),
            member_count=Count("memberships", distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "member_organisations",
                queryset=CoalitionOrganisation.objects.select_related("organisation", "organisation__region").order_by(
                    "organisation__name"
                ),
            ),
            Prefetch(
                "memberships",
                queryset=CoalitionMembership.objects.select_related("user", "organisation").order_by(
                    "role", "user__full_name"
                ),
            ),
        )
        .get(pk=coalition_id)
    )


@dataclass
class MembersPage:
    """The members page in three queries: the member organisations (each with ``people``,
    ``pending`` and ``has_representative``), the memberships, the open invitations."""

    organisations: list[Organisation]
    memberships: list[CoalitionMembership]
    # Open invitations on behalf of an organisation that has left the coalition since.
    other_pending: list[Invitation]

    @property
    def unrepresented(self) -> list[Organisation]:
        return [o for o in self.organisations if not o.has_representative]


ROLE_ORDER = {role: position for position, role in enumerate(CoalitionRole.values)}


def members_page(coalition: Coalition) -> MembersPage:
    organisations = [
        link.organisation
        for link in CoalitionOrganisation.objects.filter(coalition=coalition)
        .select_related("organisation", "organisation__region")
        .order_by("organisation__name")
    ]
    by_id = {o.pk: o for o in organisations}
    for organisation in organisations:
        organisation.people, organisation.pending = [], []
    memberships = sorted(
        CoalitionMembership.objects.filter(coalition=coalition).select_related("user", "organisation"),
        key=lambda m: (ROLE_ORDER.get(m.role, 9), m.user.display_name.lower()),
    )
    for membership in memberships:
        if membership.organisation_id in by_id:
            by_id[membership.organisation_id].people.append(membership)
    other_pending = []
    for invitation in open_invitations(kind=coalition_invitations.KIND, coalition_id=coalition.pk):
        organisation = by_id.get(invitation.payload.get("organisation"))
        invitation.what = coalition_invitations.what(
            role=invitation.payload.get("role", ""),
            coalition_name=coalition.name,
            organisation_name=organisation.name if organisation else "—",
        )
        (organisation.pending if organisation else other_pending).append(invitation)
    for organisation in organisations:
        organisation.has_representative = bool(organisation.people)
    return MembersPage(organisations=organisations, memberships=memberships, other_pending=other_pending)


def organisation_choices(*, exclude_coalition: Coalition | None = None) -> list[Organisation]:
    """The register of organisations (one query), without those already in ``exclude_coalition``."""
    organisations = Organisation.objects.only("pk", "name").order_by("name")
    if exclude_coalition is not None:
        organisations = organisations.exclude(
            pk__in=CoalitionOrganisation.objects.filter(coalition=exclude_coalition).values("organisation_id")
        )
    return list(organisations)


def region_choices() -> list[Region]:
    """Every region but the country (one query): for the region of a coalition or an organisation."""
    return list(Region.objects.exclude(kind=Region.Kind.COUNTRY).only("pk", "code", "name", "kind", "province_id"))


def recent_events(coalition: Coalition, limit: int) -> list[Event]:
    """The coalition's latest events, newest first (one query)."""
    events = Event.objects.filter(coalition_id=coalition.pk).select_related("actor").order_by("-created_at", "-id")
    return list(events[:limit])


def coordinated_by(user) -> QuerySet[Coalition]:
    """The coalitions the user coordinates (one query)."""
    return Coalition.objects.filter(memberships__user=user, memberships__role=CoalitionRole.COORDINATOR).order_by(
        "name"
    )
