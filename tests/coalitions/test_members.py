"""The members page /coalities/<slug>/leden/ and the services behind it.

Who may do what (the coalition fixture: alice coordinates, bob edits, victor
reads; charlie is an outsider; the review chair oversees coalitions but is no
member; a platform administrator may manage any coalition):

- members see the page; the others get a 404 (they do not learn who is in);
- coordinators and platform administrators add organisations, invite, change
  roles and remove members; a member who tries gets a 403, nothing changes;
- every member may leave; a coalition always keeps one coordinator.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activity.models import Event
from coalitions import invitations as coalition_invitations
from coalitions import services
from coalitions.models import CoalitionMembership, CoalitionOrganisation
from invitations import services as invitation_services
from invitations.models import Invitation
from tests.factories import make_organisation, make_user
from tests.helpers import assert_counts, grow_coalition, measure

pytestmark = pytest.mark.django_db

ACTORS = ["alice", "bob", "victor", "charlie", "chair", "platform_admin"]
# What each actor gets from the page: members see it, the others do not learn it exists.
PAGE_STATUS = {"alice": 200, "bob": 200, "victor": 200, "charlie": 404, "chair": 404, "platform_admin": 200}
MANAGERS = {"alice", "platform_admin"}


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def dora(coalition, alice):
    """A fourth member (viewer) of the second organisation: the one changed or removed in the matrix."""
    dora = make_user("dora")
    services.coalition_set_member(
        coalition=coalition, user=dora, organisation=organisations(coalition)[1], role="viewer", actor=alice
    )
    return dora


def organisations(coalition):
    return list(coalition.organisations.order_by("region__code"))


def url(coalition) -> str:
    return f"/coalities/{coalition.slug}/leden/"


def membership(user):
    return CoalitionMembership.objects.filter(user=user).first()


def rename(user, full_name: str):
    user.full_name = full_name
    user.save(update_fields=["full_name"])
    return user


# --- the matrix: who may do what, on the page and in the services --------------------------------


@pytest.mark.parametrize("who", ACTORS)
def test_who_sees_the_members_page(client, request, coalition, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url(coalition))
    assert response.status_code == PAGE_STATUS[who]
    if response.status_code == 200:
        content = response.content.decode()
        assert ("Iemand uitnodigen" in content) == (who in MANAGERS)
        assert ("Organisatie toevoegen" in content) == (who in MANAGERS)


def test_anonymous_visitors_are_sent_to_the_login_page(client, coalition):
    response = client.get(url(coalition))
    assert response.status_code == 302 and response.url.startswith("/account/login/")


def post_action(client, coalition, action: str, dora):
    """POST one coordinator action; returns (response, whether it changed what it should)."""
    first, second = organisations(coalition)[:2]
    outside = make_organisation("GM0344")  # Utrecht
    if action == "invite":
        data = {
            "form": "invite",
            "invite-name": "Nina Nieuw",
            "invite-email": "nina@gemeente.nl",
            "invite-organisation": second.pk,
            "invite-role": "editor",
        }
        return client.post(url(coalition), data), lambda: Invitation.objects.filter(email="nina@gemeente.nl").exists()
    if action == "change":
        data = {"form": "change", "membership": membership(dora).pk, "role": "editor", "organisation": first.pk}
        return client.post(url(coalition), data), lambda: membership(dora).role == "editor"
    if action == "remove":
        data = {"form": "remove", "membership": membership(dora).pk}
        return client.post(url(coalition), data), lambda: membership(dora) is None
    assert action == "partner"
    data = {"form": "partner", "partner-organisation_choice": "existing", "partner-organisation": outside.pk}
    return client.post(url(coalition), data), lambda: coalition.organisations.filter(pk=outside.pk).exists()


@pytest.mark.parametrize("action", ["invite", "change", "remove", "partner"])
@pytest.mark.parametrize("who", ACTORS)
def test_who_may_manage_members_on_the_page(client, request, coalition, dora, who, action):
    client.force_login(request.getfixturevalue(who))
    response, changed = post_action(client, coalition, action, dora)
    if who in MANAGERS:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert changed()
    else:
        # A member who may not: 403; anyone else: the same 404 as for the page.
        assert response.status_code == (403 if PAGE_STATUS[who] == 200 else 404)
        assert not changed()


def service_action(actor, coalition, action: str, dora):
    second = organisations(coalition)[1]
    if action == "invite":
        invitation_services.invitation_create(
            actor=actor,
            kind="coalition",
            email="nina@gemeente.nl",
            payload=coalition_invitations.payload_for(coalition=coalition, organisation_id=second.pk, role="editor"),
        )
    elif action == "change":
        services.coalition_change_member(
            actor=actor,
            coalition=coalition,
            membership_id=membership(dora).pk,
            role="editor",
            organisation_id=second.pk,
        )
    elif action == "remove":
        services.coalition_end_membership(actor=actor, coalition=coalition, membership_id=membership(dora).pk)
    else:
        services.coalition_add_partner(actor=actor, coalition=coalition, organisation=make_organisation("GM0344"))


def state(coalition):
    return (
        sorted(CoalitionMembership.objects.filter(coalition=coalition).values_list("user_id", "role", "organisation")),
        sorted(coalition.organisations.values_list("pk", flat=True)),
        Invitation.objects.count(),
    )


@pytest.mark.parametrize("action", ["invite", "change", "remove", "partner"])
@pytest.mark.parametrize("who", ACTORS)
def test_who_may_manage_members_in_the_services(request, coalition, dora, who, action):
    before = state(coalition)
    actor = request.getfixturevalue(who)
    if who in MANAGERS:
        service_action(actor, coalition, action, dora)
        assert state(coalition) != before
    else:
        with pytest.raises(PermissionDenied):
            service_action(actor, coalition, action, dora)
        assert state(coalition) == before


# --- what the page shows ----------------------------------------------------------------------------


def test_it_shows_each_organisation_with_its_people_and_whether_it_is_represented(client, coalition, alice, bob):
    rename(bob, "Bob de Bouwer")
    first, second = organisations(coalition)[:2]
    client.force_login(alice)
    response = client.get(url(coalition))
    page = response.context["page"]
    by_name = {o.name: o for o in page.organisations}
    assert [m.user.display_name for m in by_name[first.name].people] == ["Alice", "Bob de Bouwer", "Victor"]
    assert by_name[first.name].has_representative and not by_name[second.name].has_representative
    assert {o.pk for o in page.unrepresented} == {o.pk for o in organisations(coalition)[1:]}
    content = response.content.decode()
    assert "Bob de Bouwer" in content and ">bob<" not in content
    assert f'href="?organisation={second.pk}#uitnodigen"' in content
    assert f'href="?organisation={first.pk}#uitnodigen"' not in content


def test_it_shows_open_invitations_under_their_organisation(client, coalition, alice, bob):
    second = organisations(coalition)[1]
    invitation_services.invitation_create(
        actor=alice,
        kind="coalition",
        email="nina@gemeente.nl",
        name="Nina Nieuw",
        payload=coalition_invitations.payload_for(coalition=coalition, organisation_id=second.pk, role="viewer"),
    )
    client.force_login(alice)
    response = client.get(url(coalition))
    (organisation,) = [o for o in response.context["page"].organisations if o.pk == second.pk]
    assert [(i.email, i.what) for i in organisation.pending] == [
        ("nina@gemeente.nl", f"Lezer in {coalition.name}, namens {second.name}")
    ]
    assert "Opnieuw sturen" in response.content.decode()
    # A member who does not manage sees who is invited, without the buttons.
    client.force_login(bob)
    content = client.get(url(coalition)).content.decode()
    assert "Nina Nieuw" in content and "Opnieuw sturen" not in content


def test_the_invite_form_preselects_the_organisation(client, coalition, alice):
    second = organisations(coalition)[1]
    client.force_login(alice)
    response = client.get(url(coalition), {"organisation": second.pk})
    assert response.context["invite_form"]["organisation"].value() == str(second.pk)
    assert f'<option value="{second.pk}" selected>' in response.content.decode()
    # An organisation of another coalition is not preselected.
    response = client.get(url(coalition), {"organisation": make_organisation("GM0344").pk})
    assert not response.context["invite_form"]["organisation"].value()


def test_the_coalition_page_links_to_the_members_and_shows_recent_changes(client, coalition, alice, victor, chair):
    rename(victor, "Victor Visser")
    services.coalition_change_member(
        actor=alice,
        coalition=coalition,
        membership_id=membership(victor).pk,
        role="editor",
        organisation_id=organisations(coalition)[0].pk,
    )
    client.force_login(alice)
    content = client.get(f"/coalities/{coalition.slug}/").content.decode()
    assert f'<a class="utrecht-link utrecht-link--html-a" href="{url(coalition)}">leden en rollen</a>' in content
    assert "Recente wijzigingen" in content
    assert f"Alice heeft Victor Visser gewijzigd in Redacteur namens {organisations(coalition)[0].name}" in content
    # Oversight sees the coalition, not its people or their changes.
    client.force_login(chair)
    content = client.get(f"/coalities/{coalition.slug}/").content.decode()
    assert "Recente wijzigingen" not in content and "Victor Visser" not in content
    assert url(coalition) not in content


# --- changes, with their events -------------------------------------------------------------------


def test_a_coordinator_changes_a_role_and_the_event_names_people_by_name(client, coalition, alice, bob):
    rename(alice, "Alice Andersen")
    rename(bob, "Bob de Bouwer")
    first = organisations(coalition)[0]
    client.force_login(alice)
    response = client.post(
        url(coalition), {"form": "change", "membership": membership(bob).pk, "role": "viewer", "organisation": first.pk}
    )
    assert response.status_code == 302
    assert membership(bob).role == "viewer"
    assert not type(bob).objects.get(pk=bob.pk).has_perm("coalitions.edit_coalition_content", coalition)
    event = Event.objects.filter(verb="coalition.member_changed").get()
    assert (event.actor, event.data["name"], event.data["from_role"], event.data["role"]) == (
        alice,
        "Bob de Bouwer",
        "editor",
        "viewer",
    )
    assert "bob" not in str(event.data)


def test_a_coordinator_adds_a_new_organisation(client, coalition, alice):
    client.force_login(alice)
    response = client.post(
        url(coalition),
        {
            "form": "partner",
            "partner-organisation_choice": "new",
            "partner-organisation_name": "Energiecoöperatie Veenkracht",
            "partner-organisation_kind": "civil_society",
        },
    )
    assert response.status_code == 302
    assert coalition.organisations.filter(name="Energiecoöperatie Veenkracht", kind="civil_society").exists()
    verbs = set(Event.objects.filter(coalition_id=coalition.pk).values_list("verb", flat=True))
    assert {"coalition.organisation_created", "coalition.organisation_added"} <= verbs


def test_a_member_leaves(client, coalition, victor):
    rename(victor, "Victor Visser")
    client.force_login(victor)
    response = client.post(url(coalition), {"form": "leave"})
    assert response.status_code == 302 and response.url == "/coalities/"
    assert membership(victor) is None
    event = Event.objects.get(verb="coalition.member_left")
    assert (event.actor, event.data["name"]) == (victor, "Victor Visser")
    assert client.get(url(coalition)).status_code == 404


def test_a_coordinator_may_leave_when_another_remains(client, coalition, alice, bob):
    services.coalition_change_member(
        actor=alice,
        coalition=coalition,
        membership_id=membership(bob).pk,
        role="coordinator",
        organisation_id=organisations(coalition)[0].pk,
    )
    client.force_login(alice)
    assert client.post(url(coalition), {"form": "leave"}).status_code == 302
    assert membership(alice) is None


# --- bad input: a clear message, nothing changed -----------------------------------------------------


def assert_unchanged(coalition, before):
    assert state(coalition) == before


def test_an_invalid_address_is_shown_at_the_field(client, coalition, alice):
    before = state(coalition)
    client.force_login(alice)
    response = client.post(
        url(coalition),
        {
            "form": "invite",
            "invite-name": "X",
            "invite-email": "geen-adres",
            "invite-organisation": organisations(coalition)[1].pk,
            "invite-role": "viewer",
        },
    )
    assert response.status_code == 400
    assert "Vul een geldig e-mailadres in" in response.content.decode()
    assert_unchanged(coalition, before)


def test_inviting_someone_already_in_names_them(client, coalition, alice, bob):
    rename(bob, "Bob de Bouwer")
    before = state(coalition)
    client.force_login(alice)
    response = client.post(
        url(coalition),
        {
            "form": "invite",
            "invite-name": "Bob",
            "invite-email": bob.email,
            "invite-organisation": organisations(coalition)[1].pk,
            "invite-role": "coordinator",
        },
    )
    assert response.status_code == 400
    assert "Bob de Bouwer (bob@example.org) is al lid van deze coalitie" in response.content.decode()
    assert_unchanged(coalition, before)


def test_an_unknown_role_is_refused(client, coalition, alice, victor):
    before = state(coalition)
    client.force_login(alice)
    first = organisations(coalition)[0]
    response = client.post(
        url(coalition),
        {"form": "change", "membership": membership(victor).pk, "role": "koning", "organisation": first.pk},
    )
    assert response.status_code == 400
    assert "Kies een rol en een organisatie." in response.content.decode()
    assert_unchanged(coalition, before)


def test_an_organisation_outside_the_coalition_is_refused(client, coalition, alice, victor):
    before = state(coalition)
    client.force_login(alice)
    outside = make_organisation("GM0344")
    response = client.post(
        url(coalition),
        {"form": "change", "membership": membership(victor).pk, "role": "viewer", "organisation": outside.pk},
    )
    assert response.status_code == 400
    assert "Deze organisatie is geen lid van de coalitie." in response.content.decode()
    assert_unchanged(coalition, before)


def test_the_last_coordinator_cannot_be_demoted(client, coalition, alice):
    before = state(coalition)
    client.force_login(alice)
    first = organisations(coalition)[0]
    response = client.post(
        url(coalition),
        {"form": "change", "membership": membership(alice).pk, "role": "editor", "organisation": first.pk},
    )
    assert response.status_code == 400
    assert "Een coalitie houdt minstens één coördinator: Alice is de enige." in response.content.decode()
    assert "Er is niets gewijzigd." in response.content.decode()
    assert_unchanged(coalition, before)


def test_the_last_coordinator_cannot_be_removed(client, coalition, alice, platform_admin):
    before = state(coalition)
    client.force_login(platform_admin)
    response = client.post(url(coalition), {"form": "remove", "membership": membership(alice).pk})
    assert response.status_code == 400
    assert "Een coalitie houdt minstens één coördinator: Alice is de enige." in response.content.decode()
    assert_unchanged(coalition, before)


def test_the_last_coordinator_cannot_leave(client, coalition, alice):
    before = state(coalition)
    client.force_login(alice)
    response = client.post(url(coalition), {"form": "leave"})
    assert response.status_code == 400
    assert "U bent de enige coördinator" in response.content.decode()
    assert_unchanged(coalition, before)
    with pytest.raises(ValidationError):
        services.coalition_end_membership(actor=alice, coalition=coalition, membership_id=membership(alice).pk)
    assert_unchanged(coalition, before)


def test_an_organisation_already_in_is_refused(coalition, alice):
    first = organisations(coalition)[0]
    with pytest.raises(ValidationError) as error:
        services.coalition_add_partner(actor=alice, coalition=coalition, organisation=first)
    assert "doet al mee" in error.value.message_dict["organisation"][0]


def test_a_new_organisation_with_a_taken_name_is_refused(client, coalition, alice):
    before = state(coalition)
    client.force_login(alice)
    response = client.post(
        url(coalition),
        {
            "form": "partner",
            "partner-organisation_choice": "new",
            "partner-organisation_name": organisations(coalition)[0].name.upper(),
            "partner-organisation_kind": "municipality",
        },
    )
    assert response.status_code == 400
    assert "Er is al een organisatie met de naam" in response.content.decode()
    assert_unchanged(coalition, before)


def test_an_unknown_membership_is_refused(client, coalition, alice):
    before = state(coalition)
    client.force_login(alice)
    response = client.post(url(coalition), {"form": "remove", "membership": 999_999})
    assert response.status_code == 400
    assert "geen lid (meer)" in response.content.decode()
    assert_unchanged(coalition, before)


# --- queries --------------------------------------------------------------------------------------

SMALL, LARGE = 1, 6


def add_invitations(coalition, coordinator, n: int) -> None:
    """``n`` more open invitations, spread over the coalition's organisations."""
    links = list(CoalitionOrganisation.objects.filter(coalition=coalition).order_by("pk"))
    start = Invitation.objects.count()
    for i in range(start, start + n):
        invitation_services.invitation_create(
            actor=coordinator,
            kind="coalition",
            email=f"genodigde-{i}@example.org",
            name=f"Genodigde {i}",
            payload=coalition_invitations.payload_for(
                coalition=coalition, organisation_id=links[i % len(links)].organisation_id, role="viewer"
            ),
        )


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # session, user, the coalition with its region, perms-user (coalition_permissions), the member
        # organisations, the memberships with people and organisations, the open invitations, the
        # register of organisations and the regions (the coordinator's forms), groups (the menu),
        # unread notifications
        ("alice", 11),
        # the same without the forms' two lists; groups are read earlier (a platform admin may manage)
        ("bob", 9),
        # session, user, coalition, perms-user, groups (a platform admin may manage), organisations,
        # memberships, invitations, the two lists, unread notifications
        ("platform_admin", 11),
    ],
)
def test_the_members_page_has_a_constant_number_of_queries(client, request, coalition, alice, who, expected):
    client.force_login(request.getfixturevalue(who))
    add_invitations(coalition, alice, SMALL)
    small_response, small = measure(client, url(coalition))
    grow_coalition(coalition, alice, LARGE)
    add_invitations(coalition, alice, LARGE)
    large_response, large = measure(client, url(coalition))
    small_page, large_page = small_response.context["page"], large_response.context["page"]
    assert len(large_page.memberships) - len(small_page.memberships) == LARGE
    assert len(large_page.organisations) - len(small_page.organisations) == LARGE
    assert sum(len(o.pending) for o in large_page.organisations) == SMALL + LARGE
    assert_counts(small, large, expected)
