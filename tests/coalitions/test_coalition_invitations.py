"""The invitation into a coalition (kind "coalition"): who may send it, what it checks, what accepting does.

The coalition fixture: alice coordinates, bob edits, victor reads, all three
on behalf of the first organisation (the municipality with the lowest CBS code
in COROP Oost-Groningen); the other member organisations have nobody.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User
from activity.models import Event
from coalitions import invitations as coalition_invitations
from coalitions import services as coalition_services
from coalitions.demo import demo_email
from coalitions.models import Affiliation, Coalition, CoalitionMembership, CoalitionRole
from invitations import services
from invitations.models import Invitation
from kansenagenda.demo import load_demo
from tests.factories import make_coalition, make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def organisations(coalition):
    return list(coalition.organisations.order_by("region__code"))


def invite(actor, coalition, *, email="nieuw@gemeente.nl", organisation=None, role=CoalitionRole.EDITOR, **extra):
    organisation = organisation or organisations(coalition)[1]
    return services.invitation_create(
        actor=actor,
        kind="coalition",
        email=email,
        name="Nina Nieuw",
        payload=coalition_invitations.payload_for(coalition=coalition, organisation_id=organisation.pk, role=role),
        **extra,
    )


SIGNUP = {
    "full_name": "Nina Nieuw",
    "password1": "een-lang-wachtwoord-42",
    "password2": "een-lang-wachtwoord-42",
    "language": "nl",
}


# --- who may invite -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("alice", True),  # coordinator
        ("bob", False),  # editor
        ("victor", False),  # viewer
        ("charlie", False),  # outsider
        ("chair", False),  # review chair: sees coalitions, does not manage them
        ("platform_admin", True),  # may invite to anything
    ],
)
def test_only_a_coordinator_or_a_platform_admin_invites(request, coalition, who, allowed):
    actor = request.getfixturevalue(who)
    if allowed:
        invitation = invite(actor, coalition)
        assert (invitation.kind, invitation.coalition_id) == ("coalition", coalition.pk)
        assert Event.objects.filter(verb="invitation.sent", coalition_id=coalition.pk).exists()
    else:
        with pytest.raises(PermissionDenied):
            invite(actor, coalition)
        assert not Invitation.objects.exists()


def test_a_coordinator_of_another_coalition_may_not_invite_here(coalition, alice):
    dora = make_user("dora")
    make_coalition(coordinator=dora, slug="delfzijl", region_code="CR02")
    with pytest.raises(PermissionDenied):
        invite(dora, coalition)
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("payload", [{}, {"coalition": "1"}, {"coalition": True}, {"coalition": None}])
def test_a_malformed_payload_is_nobodys_to_send(alice, coalition, payload):
    assert not coalition_invitations.may_invite(alice, payload)


# --- what it checks ------------------------------------------------------------------------------


def test_an_invalid_address_is_refused(alice, coalition):
    with pytest.raises(ValidationError) as error:
        invite(alice, coalition, email="geen-adres")
    assert error.value.message_dict["email"] == ["Vul een geldig e-mailadres in."]
    assert not Invitation.objects.exists()


def test_someone_already_in_is_refused_by_name(alice, bob, coalition):
    bob.full_name = "Bob de Bouwer"
    bob.save(update_fields=["full_name"])
    with pytest.raises(ValidationError) as error:
        invite(alice, coalition, email=bob.email.upper())
    message = error.value.message_dict["email"][0]
    assert "Bob de Bouwer" in message and "al lid van deze coalitie" in message and "redacteur" in message
    assert not Invitation.objects.exists()


def test_an_organisation_outside_the_coalition_is_refused(alice, coalition):
    outside = make_organisation("GM0344")  # Utrecht
    with pytest.raises(ValidationError) as error:
        invite(alice, coalition, organisation=outside)
    assert "organisation" in error.value.message_dict
    assert not Invitation.objects.exists()


def test_an_unknown_role_is_refused(alice, coalition):
    with pytest.raises(ValidationError) as error:
        invite(alice, coalition, role="koning")
    assert "role" in error.value.message_dict
    assert not Invitation.objects.exists()


def test_a_second_open_invitation_for_the_same_is_refused(alice, coalition):
    invite(alice, coalition)
    with pytest.raises(ValidationError) as error:
        invite(alice, coalition)
    assert "openstaande uitnodiging" in error.value.message_dict["email"][0]
    assert Invitation.objects.count() == 1


def test_it_says_what_the_invitation_is_for_and_where_it_is_managed(alice, coalition):
    organisation = organisations(coalition)[1]
    invitation = invite(alice, coalition, organisation=organisation)
    assert services.describe(invitation) == f"Redacteur in {coalition.name}, namens {organisation.name}"
    assert services.manage_url(invitation) == f"/coalities/{coalition.slug}/leden/"


# --- accepting ------------------------------------------------------------------------------------


def test_a_new_person_accepts_and_becomes_a_member_with_the_role_and_an_affiliation(client, alice, coalition):
    organisation = organisations(coalition)[1]
    invitation = invite(alice, coalition, organisation=organisation, role=CoalitionRole.EDITOR)
    response = client.post(services.link_path(invitation), SIGNUP)
    assert response.status_code == 302
    nina = User.objects.get(email="nieuw@gemeente.nl")
    membership = CoalitionMembership.objects.get(coalition=coalition, user=nina)
    assert (membership.role, membership.organisation) == (CoalitionRole.EDITOR, organisation)
    affiliation = Affiliation.objects.get(user=nina)
    assert (affiliation.organisation, affiliation.start_date, affiliation.end_date) == (
        organisation,
        timezone.localdate(),
        None,
    )
    # The object permissions follow the membership: she edits, she does not manage.
    fresh = User.objects.get(pk=nina.pk)
    assert fresh.has_perm("coalitions.edit_coalition_content", coalition)
    assert not fresh.has_perm("coalitions.manage_coalition_members", coalition)
    event = Event.objects.get(verb="coalition.member_added", data__user_id=nina.pk)
    assert (event.actor, event.data["name"], event.data["organisation"]) == (alice, "Nina Nieuw", organisation.name)
    assert client.get(f"/coalities/{coalition.slug}/").status_code == 200


def test_an_existing_account_accepts_and_keeps_an_open_affiliation(client, alice, charlie, coalition):
    organisation = organisations(coalition)[2]
    Affiliation.objects.create(user=charlie, organisation=organisation, start_date=datetime.date(2020, 1, 1))
    invitation = invite(alice, coalition, email=charlie.email, organisation=organisation, role=CoalitionRole.VIEWER)
    client.force_login(charlie)
    assert client.post(services.link_path(invitation)).status_code == 302
    assert CoalitionMembership.objects.get(user=charlie).role == CoalitionRole.VIEWER
    # Already tied to the organisation: no second tie.
    assert Affiliation.objects.filter(user=charlie).count() == 1


def test_accepting_after_joining_otherwise_changes_nothing(client, alice, charlie, coalition):
    invitation = invite(alice, coalition, email=charlie.email, role=CoalitionRole.COORDINATOR)
    coalition_services.coalition_set_member(
        coalition=coalition,
        user=charlie,
        organisation=organisations(coalition)[0],
        role=CoalitionRole.VIEWER,
        actor=alice,
    )
    client.force_login(charlie)
    response = client.post(services.link_path(invitation))
    assert response.status_code == 200
    assert "al lid van deze coalitie" in response.content.decode()
    assert CoalitionMembership.objects.get(user=charlie).role == CoalitionRole.VIEWER
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


# --- the demo ---------------------------------------------------------------------------------------


def test_the_demo_coalition_shows_invitations_for_its_unrepresented_partners(settings, client):
    settings.DEBUG = True
    load_demo()
    veenkolonien = Coalition.objects.get(slug="veenkolonien")
    represented = set(CoalitionMembership.objects.filter(coalition=veenkolonien).values_list("organisation", flat=True))
    unrepresented = [o for o in veenkolonien.organisations.all() if o.pk not in represented]
    assert unrepresented
    invitations = Invitation.objects.filter(kind="coalition", coalition_id=veenkolonien.pk)
    assert sorted(invitations.values_list("email", flat=True)) == sorted(demo_email(o.name) for o in unrepresented)
    assert all(i.invited_by.username == "coordinator" and "(demo)" in i.name for i in invitations)
    assert "vertegenwoordiger-aa-en-hunze@example.org" in set(invitations.values_list("email", flat=True))

    load_demo()
    assert Invitation.objects.filter(kind="coalition", coalition_id=veenkolonien.pk).count() == len(unrepresented)

    client.force_login(User.objects.get(username="coordinator"))
    page = client.get("/coalities/veenkolonien/leden/").content.decode()
    assert "vertegenwoordiger-aa-en-hunze@example.org" in page and "Opnieuw sturen" in page
