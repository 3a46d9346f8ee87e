"""Coalition membership is the single source of truth; guardian permissions follow it."""

import pytest
from django.core.exceptions import ValidationError

from activity.models import Event
from coalitions import services
from coalitions.models import CoalitionMembership, CoalitionRole
from coalitions.permissions import can_view_coalition, is_coordinator
from tests.factories import make_organisation, make_user


def perms(user, coalition):
    user = type(user).objects.get(pk=user.pk)  # fresh object: guardian caches permissions per instance
    return {
        p
        for p in ("view_coalition", "edit_coalition_content", "manage_coalition_members")
        if user.has_perm(f"coalitions.{p}", coalition)
    }


@pytest.mark.django_db
def test_it_derives_permissions_from_the_role(coalition, alice, bob, victor, charlie):
    assert perms(alice, coalition) == {"view_coalition", "edit_coalition_content", "manage_coalition_members"}
    assert perms(bob, coalition) == {"view_coalition", "edit_coalition_content"}
    assert perms(victor, coalition) == {"view_coalition"}
    assert perms(charlie, coalition) == set()


@pytest.mark.django_db
def test_it_updates_permissions_when_the_role_changes(coalition, alice, bob):
    organisation = CoalitionMembership.objects.get(coalition=coalition, user=bob).organisation
    services.coalition_set_member(
        coalition=coalition, user=bob, organisation=organisation, role=CoalitionRole.VIEWER, actor=alice
    )
    assert perms(bob, coalition) == {"view_coalition"}
    event = Event.objects.filter(verb="coalition.member_changed").get()
    assert (event.actor, event.data["from_role"], event.data["role"]) == (alice, "editor", "viewer")


@pytest.mark.django_db
def test_it_removes_permissions_with_the_membership(coalition, alice, victor):
    services.coalition_remove_member(
        membership=CoalitionMembership.objects.get(coalition=coalition, user=victor), actor=alice
    )
    assert perms(victor, coalition) == set()
    assert not can_view_coalition(type(victor).objects.get(pk=victor.pk), coalition)


@pytest.mark.django_db
def test_it_keeps_at_least_one_coordinator(coalition, alice):
    membership = CoalitionMembership.objects.get(coalition=coalition, user=alice)
    with pytest.raises(ValidationError):
        services.coalition_set_member(
            coalition=coalition,
            user=alice,
            organisation=membership.organisation,
            role=CoalitionRole.EDITOR,
            actor=alice,
        )
    with pytest.raises(ValidationError):
        services.coalition_remove_member(membership=membership, actor=alice)
    assert CoalitionMembership.objects.get(pk=membership.pk).role == CoalitionRole.COORDINATOR


@pytest.mark.django_db
def test_it_refuses_an_organisation_outside_the_coalition(coalition, alice, charlie):
    outside = make_organisation("GM0344")  # Utrecht is not in Oost-Groningen
    with pytest.raises(ValidationError) as excinfo:
        services.coalition_set_member(
            coalition=coalition, user=charlie, organisation=outside, role=CoalitionRole.VIEWER, actor=alice
        )
    assert "organisation" in excinfo.value.message_dict
    assert not CoalitionMembership.objects.filter(user=charlie).exists()


@pytest.mark.django_db
def test_oversight_roles_see_but_do_not_manage(coalition):
    official = make_user("official", role="rijk_official")
    assert can_view_coalition(official, coalition)
    assert not is_coordinator(official, coalition.pk)
    reviewer = make_user("reviewer", role="reviewer")
    assert not can_view_coalition(reviewer, coalition)


@pytest.mark.django_db
def test_it_records_an_event_for_every_change(coalition):
    verbs = list(Event.objects.filter(coalition_id=coalition.pk).order_by("id").values_list("verb", flat=True))
    assert verbs[0] == "coalition.created"
    assert verbs.count("coalition.member_added") == 3
    assert "coalition.organisation_added" in verbs
