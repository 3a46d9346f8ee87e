"""Reads of coalitions and organisations, filtered by what the user may see."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, QuerySet
from guardian.shortcuts import get_objects_for_user

from accounts.models import User
from accounts.permissions import has_global_role
from coalitions.models import Coalition, CoalitionMembership, CoalitionOrganisation
from coalitions.permissions import OVERSIGHT_ROLES


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
