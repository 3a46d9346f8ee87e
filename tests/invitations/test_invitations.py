"""Invitations: sending, the link, accepting with a new or an existing account, resending and revoking."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts.models import GlobalRole, User
from activity.models import Event
from invitations import services, tasks
from invitations.models import Invitation
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://kansenagenda.example"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def invite(actor, email="nieuw@provincie.nl", role=GlobalRole.DATA_STEWARD, **extra):
    return services.invitation_create(
        actor=actor, kind="role", email=email, name="Nieuwe Collega", payload={"role": role}, **extra
    )


def link_in(message) -> str:
    return re.search(r"https://kansenagenda\.example(/uitnodiging/\S+/)", message.body).group(1)


def test_the_mail_names_the_inviter_the_role_and_a_working_link(
    platform_admin, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(platform_admin)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nieuw@provincie.nl"]
    assert "Beheer" in message.subject
    assert "Databeheerder" in message.body
    assert link_in(message) == services.link_path(invitation)
    invitation.refresh_from_db()
    assert invitation.sent_at is not None and invitation.send_count == 1
    assert Event.objects.filter(verb="invitation.sent", target_id=str(invitation.pk)).exists()


def test_a_new_person_creates_an_account_and_gets_the_role(client, platform_admin):
    invitation = invite(platform_admin, email="Nieuw@Provincie.nl")
    path = services.link_path(invitation)
    page = client.get(path)
    assert page.status_code == 200
    assert "Databeheerder" in page.content.decode() and "Beheer" in page.content.decode()
    response = client.post(
        path,
        {
            "full_name": "Nina Nieuw",
            "password1": "een-lang-wachtwoord-42",
            "password2": "een-lang-wachtwoord-42",
            "language": "en",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@provincie.nl")
    assert user.full_name == "Nina Nieuw" and user.language == "en"
    assert user.groups.filter(name=GlobalRole.DATA_STEWARD).exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED and invitation.accepted_by == user
    assert Event.objects.filter(verb="invitation.accepted", actor=user).exists()
    # Logged in, and can log in again by e-mail address.
    assert client.get(reverse("profile")).status_code == 200
    client.logout()
    assert client.login(request=HttpRequest(), username="nieuw@provincie.nl", password="een-lang-wachtwoord-42")


def test_the_link_works_once(client, platform_admin):
    invitation = invite(platform_admin)
    path = services.link_path(invitation)
    data = {
        "full_name": "Nina",
        "password1": "een-lang-wachtwoord-42",
        "password2": "een-lang-wachtwoord-42",
        "language": "nl",
    }
    client.post(path, data)
    client.logout()
    again = client.get(path)
    assert again.status_code == 410
    assert "al gebruikt" in again.content.decode()
    assert User.objects.filter(email="nieuw@provincie.nl").count() == 1


def test_an_existing_account_logs_in_and_accepts(client, platform_admin, charlie):
    invitation = invite(platform_admin, email=charlie.email.upper())
    path = services.link_path(invitation)
    page = client.get(path)
    assert "Inloggen en accepteren" in page.content.decode()
    assert client.post(path).url.startswith(reverse("login"))
    client.force_login(charlie)
    assert client.post(path).status_code == 302
    assert charlie.groups.filter(name=GlobalRole.DATA_STEWARD).exists()


def test_accepting_with_another_address_changes_nothing(client, platform_admin, charlie):
    invitation = invite(platform_admin)
    client.force_login(charlie)
    response = client.post(services.link_path(invitation))
    assert response.status_code == 200
    assert "maar u bent ingelogd als charlie@example.org" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert not charlie.groups.filter(name=GlobalRole.DATA_STEWARD).exists()


@pytest.mark.parametrize(
    ("spoil", "status", "words"),
    [
        (
            lambda i: Invitation.objects.filter(pk=i.pk).update(
                expires_at=timezone.now() - datetime.timedelta(seconds=1)
            ),
            410,
            "verlopen",
        ),
        (lambda i: services.invitation_revoke(actor=i.invited_by, invitation_id=i.pk), 410, "ingetrokken"),
        (lambda i: services.invitation_resend(actor=i.invited_by, invitation_id=i.pk), 410, "vervangen"),
    ],
)
def test_an_expired_revoked_or_replaced_link_gives_a_clear_page(client, platform_admin, spoil, status, words):
    invitation = invite(platform_admin)
    path = services.link_path(invitation)
    spoil(invitation)
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == status
        assert words in response.content.decode()
    assert not User.objects.filter(email="nieuw@provincie.nl").exists()


@pytest.mark.parametrize("token", ["x", "abc:def", "W1sxLCJ4Il0:bad:sig", "%00"])
def test_a_broken_link_is_a_404_page_not_a_500(client, token):
    assert client.get(f"/uitnodiging/{token}/").status_code in (400, 404)


def test_a_resent_invitation_has_a_new_link_and_a_new_expiry(platform_admin, eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(platform_admin)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(actor=platform_admin, invitation_id=invitation.pk)
    assert len(mail.outbox) == 2
    assert link_in(mail.outbox[0]) != link_in(mail.outbox[1])
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + datetime.timedelta(days=13)


def test_a_mail_is_sent_once_even_when_the_task_runs_twice(platform_admin):
    invitation = invite(platform_admin)
    assert tasks.invitation_send(invitation.pk, invitation.nonce) is True
    assert tasks.invitation_send(invitation.pk, invitation.nonce) is False
    assert len(mail.outbox) == 1


def test_the_sweep_sends_what_a_lost_task_left(platform_admin, eager):
    invitation = invite(platform_admin)  # no on-commit callback ran: the task message is "lost"
    assert tasks.sweep_invitations() == 0  # too young: its task may still come
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    assert tasks.sweep_invitations() == 1  # the task sent again (run in place here)
    assert len(mail.outbox) == 1
    assert tasks.sweep_invitations() == 0  # sent: nothing left


def test_a_failed_mail_is_released_for_the_sweep(platform_admin, monkeypatch):
    invitation = invite(platform_admin)
    monkeypatch.setattr(tasks, "send_mail", lambda *a, **k: (_ for _ in ()).throw(OSError("smtp down")))
    with pytest.raises(OSError):
        tasks.invitation_send(invitation.pk, invitation.nonce)
    invitation.refresh_from_db()
    assert invitation.sent_at is None


@pytest.mark.parametrize(
    ("email", "role", "field"),
    [
        ("geen-adres", GlobalRole.DATA_STEWARD, "email"),
        ("a@b.nl", "superuser", "role"),
        ("a@b.nl", GlobalRole.REVIEWER, "role"),  # reviewers are invited into the pool, with their expertise
    ],
)
def test_bad_invitations_name_the_field_and_change_nothing(platform_admin, email, role, field):
    with pytest.raises(ValidationError) as error:
        invite(platform_admin, email=email, role=role)
    assert field in error.value.message_dict
    assert not Invitation.objects.exists()


def test_someone_who_has_the_role_or_an_open_invitation_is_not_invited_again(platform_admin):
    steward = make_user("steward", role=GlobalRole.DATA_STEWARD)
    with pytest.raises(ValidationError, match="heeft deze rol al"):
        invite(platform_admin, email=steward.email)
    invite(platform_admin)
    with pytest.raises(ValidationError, match="openstaande uitnodiging"):
        invite(platform_admin)
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize("role", [None, GlobalRole.REVIEW_CHAIR, GlobalRole.RIJK_OFFICIAL, GlobalRole.DATA_STEWARD])
def test_only_a_platform_administrator_gives_platform_roles(role):
    actor = make_user("iemand", role=role)
    with pytest.raises(PermissionDenied):
        invite(actor)
    assert not Invitation.objects.exists()


def test_the_administrators_page_invites_and_lists(client, platform_admin, charlie):
    client.force_login(charlie)
    assert client.get(reverse("invitations:list")).status_code == 403
    client.force_login(platform_admin)
    response = client.post(
        reverse("invitations:list"), {"name": "Piet", "email": "piet@partner.nl", "role": GlobalRole.REGIONAL_PARTNER}
    )
    assert response.status_code == 302
    page = client.get(reverse("invitations:list")).content.decode()
    assert "piet@partner.nl" in page and "Regionale partner" in page
    bad = client.post(
        reverse("invitations:list"), {"name": "Piet", "email": "piet", "role": GlobalRole.REGIONAL_PARTNER}
    )
    assert bad.status_code == 200 and "geldig e-mailadres" in bad.content.decode()
    assert Invitation.objects.count() == 1


def test_only_who_may_send_it_may_revoke_or_resend(client, platform_admin, charlie):
    invitation = invite(platform_admin)
    client.force_login(charlie)
    for name in ("invitations:revoke", "invitations:resend"):
        assert client.post(reverse(name, args=[invitation.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    client.force_login(platform_admin)
    assert client.post(reverse("invitations:revoke", args=[invitation.pk])).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED


def test_a_new_account_needs_matching_strong_passwords(client, platform_admin):
    path = services.link_path(invite(platform_admin))
    weak = client.post(path, {"full_name": "Nina", "password1": "123", "password2": "123", "language": "nl"})
    assert weak.status_code == 200
    different = client.post(
        path,
        {
            "full_name": "Nina",
            "password1": "een-lang-wachtwoord-42",
            "password2": "anders-wachtwoord-42",
            "language": "nl",
        },
    )
    assert "niet gelijk" in different.content.decode()
    assert not User.objects.filter(email="nieuw@provincie.nl").exists()
    assert Group.objects.get(name=GlobalRole.DATA_STEWARD).user_set.count() == 0


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_resend_and_revoke_never_redirect_to_another_site(client, platform_admin, target):
    invitation = invite(platform_admin)
    client.force_login(platform_admin)
    resent = client.post(reverse("invitations:resend", args=[invitation.pk]), {"next": target})
    assert resent.url == reverse("invitations:list")
    services.invitation_revoke(actor=platform_admin, invitation_id=invitation.pk)
    # Revoking twice is refused with a message, still back on this site.
    again = client.post(reverse("invitations:revoke", args=[invitation.pk]), {"next": target}, follow=True)
    assert again.redirect_chain[-1][0] == reverse("invitations:list")
    assert "al ingetrokken" in again.content.decode()
