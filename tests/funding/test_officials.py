"""Rijk officials and their mandates: who manages them, inviting an official, approving under the current mandate."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accounts.models import GlobalRole, User
from activity.models import Event
from activity.notifications import describe as describe_event
from funding import services
from funding.models import Decision, Mandate
from invitations import services as invitations
from invitations.models import Invitation
from tests.conftest import GLOBAL_ROLE_PEOPLE
from tests.factories import make_user
from tests.funding.factories import advised_submission, give_mandate, make_programme, propose
from tests.helpers import assert_counts, measure

pytestmark = pytest.mark.django_db

ROLES = list(GLOBAL_ROLE_PEOPLE)

MANAGERS = {"programme_admin", "platform_admin"}


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def programme_admin(db):
    return make_user("programmabeheer", role=GlobalRole.PROGRAMME_ADMIN)


def limits() -> dict[str, int]:
    return dict(Mandate.objects.values_list("user__username", "limit"))


# --------------------------------------------------------------- who may


@pytest.mark.parametrize("role", ROLES)
def test_only_programme_and_platform_administrators_see_the_officials(client, people, role, approver):
    client.force_login(people[role])
    response = client.get(reverse("funding:officials"))
    assert response.status_code == (200 if role in MANAGERS else 403)
    if role in MANAGERS:
        page = response.content.decode()
        assert approver.display_name in page and "€\u00a010.000.000" in page


@pytest.mark.parametrize("role", ROLES)
def test_only_programme_and_platform_administrators_set_a_mandate(client, people, role, approver):
    client.force_login(people[role])
    response = client.post(
        reverse("funding:mandate-set", args=[approver.pk]), {f"mandate-{approver.pk}-limit": "250.000"}
    )
    assert response.status_code == (302 if role in MANAGERS else 403)
    assert limits()["approver"] == (250_000 if role in MANAGERS else 10_000_000)
    if role not in MANAGERS:
        with pytest.raises(PermissionDenied):
            services.mandate_set(actor=people[role], user=approver, limit=1)


@pytest.mark.parametrize("role", ROLES)
def test_only_programme_and_platform_administrators_withdraw_a_mandate(client, people, role, approver):
    client.force_login(people[role])
    response = client.post(reverse("funding:mandate-withdraw", args=[approver.pk]))
    assert response.status_code == (302 if role in MANAGERS else 403)
    assert ("approver" in limits()) is (role not in MANAGERS)
    # Withdrawn, the official keeps the role.
    assert approver.groups.filter(name=GlobalRole.RIJK_OFFICIAL).exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_programme_and_platform_administrators_invite_officials(client, people, role):
    client.force_login(people[role])
    data = {"name": "Olga", "email": "olga@minbzk.nl", "limit": "1.000.000"}
    response = client.post(reverse("funding:officials"), data)
    assert response.status_code == (302 if role in MANAGERS else 403)
    if role in MANAGERS:
        invitation = Invitation.objects.get()
        assert (invitation.kind, invitation.payload) == ("rijk_official", {"limit": 1_000_000})
        assert invitations.describe(invitation) == "Rijksambtenaar met een mandaat tot €\u00a01.000.000"
    else:
        assert not Invitation.objects.exists()


def test_the_page_of_someone_who_is_no_official_is_a_404(client, programme_admin, charlie):
    client.force_login(programme_admin)
    assert client.post(reverse("funding:mandate-set", args=[charlie.pk]), {"limit": "5"}).status_code == 404
    assert client.post(reverse("funding:mandate-withdraw", args=[charlie.pk])).status_code == 404
    assert not Mandate.objects.exists()


# --------------------------------------------------------------- inviting and accepting


def accept_as_new_person(invitation: Invitation) -> User:
    person = make_user("olga")
    User.objects.filter(pk=person.pk).update(email=invitation.email)
    person.refresh_from_db()
    invitations.invitation_accept(user=person, token=invitations.link_token(invitation))
    return person


@pytest.mark.parametrize("limit", [2_500_000, None])
def test_accepting_gives_exactly_the_official_role_and_the_named_mandate(programme_admin, limit):
    invitation = invitations.invitation_create(
        actor=programme_admin, kind="rijk_official", email="olga@minbzk.nl", name="Olga", payload={"limit": limit}
    )
    olga = accept_as_new_person(invitation)
    assert list(olga.groups.values_list("name", flat=True)) == [GlobalRole.RIJK_OFFICIAL]
    assert not olga.is_staff and not olga.is_superuser
    if limit is None:
        assert not Mandate.objects.filter(user=olga).exists()
        assert invitations.describe(invitation) == "Rijksambtenaar (zonder mandaat om vast te stellen)"
    else:
        mandate = Mandate.objects.get(user=olga)
        assert (mandate.limit, mandate.granted_by) == (limit, programme_admin)
        event = Event.objects.get(verb="mandate.set")
        assert event.actor == programme_admin
        assert describe_event(event) == (
            f"{programme_admin.display_name} heeft het mandaat van {olga.display_name} vastgesteld op €\u00a02.500.000."
        )


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"email": "geen-adres"}, "email", "geldig e-mailadres"),
        ({"limit": "-5"}, "limit", "niet negatief"),
        ({"limit": "veel"}, "limit", "heel bedrag"),
        ({"limit": "0"}, "limit", "positief bedrag"),
    ],
)
def test_a_bad_invitation_of_an_official_gives_a_clear_message_and_changes_nothing(
    client, programme_admin, data, field, words
):
    client.force_login(programme_admin)
    response = client.post(reverse("funding:officials"), {"name": "Olga", "email": "olga@minbzk.nl", **data})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert words in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("limit", [-5, 0, "1000", 1.5, True, 10**15])
def test_the_service_refuses_a_limit_that_is_no_positive_whole_amount(programme_admin, limit):
    with pytest.raises(ValidationError) as error:
        invitations.invitation_create(
            actor=programme_admin, kind="rijk_official", email="olga@minbzk.nl", payload={"limit": limit}
        )
    assert "limit" in error.value.message_dict
    assert not Invitation.objects.exists()


def test_an_official_is_not_invited_again(client, programme_admin, approver):
    client.force_login(programme_admin)
    response = client.post(reverse("funding:officials"), {"name": "A", "email": approver.email.upper()})
    assert response.status_code == 400
    assert "is al rijksambtenaar" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(("typed", "words"), [("-1", "niet negatief"), ("tien", "heel bedrag"), ("0", "positief")])
def test_a_bad_mandate_is_shown_at_its_official_and_changes_nothing(client, programme_admin, approver, typed, words):
    client.force_login(programme_admin)
    response = client.post(reverse("funding:mandate-set", args=[approver.pk]), {f"mandate-{approver.pk}-limit": typed})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert limits() == {"approver": 10_000_000}
    assert not Event.objects.filter(verb__startswith="mandate.").exists()


def test_a_mandate_change_and_withdrawal_are_events_with_sentences(programme_admin, approver):
    services.mandate_set(actor=programme_admin, user=approver, limit=75_000)
    services.mandate_withdraw(actor=programme_admin, user_id=approver.pk)
    set_event, withdrawn = Event.objects.filter(verb__startswith="mandate.").order_by("pk")
    assert (set_event.data["previous"], set_event.data["amount"]) == (10_000_000, 75_000)
    assert describe_event(withdrawn) == (
        f"{programme_admin.display_name} heeft het mandaat van {approver.display_name} ingetrokken."
    )
    with pytest.raises(ValidationError, match="geen mandaat"):
        services.mandate_withdraw(actor=programme_admin, user_id=approver.pk)


def test_open_invitations_are_listed_with_resend_and_revoke(client, programme_admin):
    invitation = invitations.invitation_create(
        actor=programme_admin, kind="rijk_official", email="olga@minbzk.nl", name="Olga", payload={"limit": None}
    )
    client.force_login(programme_admin)
    page = client.get(reverse("funding:officials")).content.decode()
    assert "olga@minbzk.nl" in page and reverse("invitations:revoke", args=[invitation.pk]) in page


# --------------------------------------------------------------- approving reads the mandate of now


@pytest.fixture
def proposed(coalition, alice, chair, proposer) -> Decision:
    return propose(advised_submission(coalition, alice, chair), make_programme(proposer), proposer)


def test_a_lowered_mandate_blocks_approval(proposed, approver, programme_admin):
    services.mandate_set(actor=programme_admin, user=approver, limit=proposed.amount_awarded - 1)
    with pytest.raises(ValidationError, match="mandaat"):
        services.decision_approve(actor=approver, decision_id=proposed.pk, verified=True)
    proposed.refresh_from_db()
    assert proposed.status == Decision.Status.PROPOSED


def test_a_withdrawn_mandate_blocks_approval(proposed, approver, programme_admin):
    services.mandate_withdraw(actor=programme_admin, user_id=approver.pk)
    with pytest.raises(ValidationError, match="geen mandaat"):
        services.decision_approve(actor=approver, decision_id=proposed.pk, verified=True)
    proposed.refresh_from_db()
    assert proposed.status == Decision.Status.PROPOSED
    # Set again, the same official approves.
    services.mandate_set(actor=programme_admin, user=approver, limit=proposed.amount_awarded)
    services.decision_approve(actor=approver, decision_id=proposed.pk, verified=True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_mandate_stays_locked_while_an_approval_reads_it(real_data):
    official = make_user("official", role=GlobalRole.RIJK_OFFICIAL)
    give_mandate(official, 1_000)
    outcome: list = []

    def change_meanwhile():
        try:
            with transaction.atomic():
                list(Mandate.objects.select_for_update(nowait=True).filter(user=official))
                Mandate.objects.filter(user=official).update(limit=1)
            outcome.append("changed")
        except DatabaseError:
            outcome.append("locked")
        finally:
            connection.close()

    with transaction.atomic():
        services.check_mandate(official, 1_000)
        thread = threading.Thread(target=change_meanwhile)
        thread.start()
        thread.join(timeout=30)
    assert outcome == ["locked"]
    assert limits() == {"official": 1_000}


# --------------------------------------------------------------- queries

SMALL, LARGE = 1, 5


def grow_officials(n: int, admin) -> None:
    """``n`` more officials (every other one with a mandate) and as many open invitations."""
    start = User.objects.filter(groups__name=GlobalRole.RIJK_OFFICIAL).count()
    for i in range(start, start + n):
        official = make_user(f"ambtenaar{i}", role=GlobalRole.RIJK_OFFICIAL)
        if i % 2:
            give_mandate(official, 1_000 * (i + 1))
        invitations.invitation_create(
            actor=admin, kind="rijk_official", email=f"nieuw{i}@minbzk.nl", payload={"limit": 5_000 if i % 2 else None}
        )


def test_the_officials_page_has_a_constant_number_of_queries(client, programme_admin):
    client.force_login(programme_admin)
    url = reverse("funding:officials")
    grow_officials(SMALL, programme_admin)
    small_response, small = measure(client, url)
    grow_officials(LARGE - SMALL, programme_admin)
    large_response, large = measure(client, url)
    assert (len(small_response.context["rows"]), len(large_response.context["rows"])) == (SMALL, LARGE)
    assert len(large_response.context["pending"]) == LARGE
    # session, user, groups (may_manage_mandates); the officials with their mandates; the open
    # invitations; the menu's unread count
    assert_counts(small, large, 6)
