"""Sending, resending, revoking and accepting invitations: each change happens here, with its event.

The link in the mail is ``Signer().sign_object([id, nonce])``: it names the row and
proves it came from us, and it stops working when the row is accepted,
revoked, expired or resent (a new nonce). The mail is sent by a Celery task
after the commit; a sweep sends what a lost task message left behind.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import GlobalRole, User
from accounts.permissions import has_global_role
from activity.events import record_event
from activity.notifications import notify
from core import background
from invitations import registry
from invitations.models import VALID_FOR, Invitation

TOKEN_SALT = "invitations.link"


class LinkProblem(Exception):
    """Why a link cannot be used: shown to the visitor as is."""

    def __init__(self, title: str, message: str, invitation: Invitation | None = None):
        super().__init__(message)
        self.title, self.message, self.invitation = title, message, invitation


@dataclass(frozen=True)
class Described:
    invitation: Invitation
    what: str
    inviter: str


def _kind(key: str) -> registry.InvitationKind:
    found = registry.kind(key)
    if found is None:
        raise ValidationError({"kind": _("Onbekende soort uitnodiging.")})
    return found


def link_token(invitation: Invitation) -> str:
    return signing.Signer(salt=TOKEN_SALT).sign_object([invitation.pk, invitation.nonce])


def link_path(invitation: Invitation) -> str:
    return reverse("invitations:accept", args=[link_token(invitation)])


def describe(invitation: Invitation) -> str:
    found = registry.kind(invitation.kind)
    return found.describe(invitation.payload) if found else invitation.kind


def may_invite(actor: User, kind_key: str, payload: dict) -> bool:
    found = registry.kind(kind_key)
    return bool(found and actor.is_authenticated and actor.is_active and found.may_invite(actor, payload))


def may_manage(actor: User, invitation: Invitation) -> bool:
    """Whoever may send this invitation may revoke or resend it (the inviter, or another with the same reach)."""
    return may_invite(actor, invitation.kind, invitation.payload)


def is_platform_admin(user) -> bool:
    return has_global_role(user, GlobalRole.PLATFORM_ADMIN)


def _queue_mail(invitation: Invitation) -> None:
    from invitations.tasks import send_invitation

    # After the commit; what the broker did not take, the sweep (invitations.tasks) sends.
    background.enqueue_on_commit(send_invitation, invitation.pk, invitation.nonce)


def _event(actor, verb: str, invitation: Invitation):
    return record_event(
        actor=actor,
        verb=verb,
        target=invitation,
        coalition_id=invitation.coalition_id,
        data={
            "kind": invitation.kind,
            "email": invitation.email,
            "name": invitation.name,
            "where": describe(invitation),
            "payload": invitation.payload,
        },
    )


def invitation_create(
    *, actor: User, kind: str, email: str, payload: dict, name: str = "", message: str = ""
) -> Invitation:
    """Invite ``email`` to a role.

    Before: the actor may give this role; the address is valid; the role's own
    checks pass (e.g. not already a member); no open invitation to the same
    role for the same address. After: a pending invitation, an event, and its
    mail queued after the commit.
    """
    found = _kind(kind)
    if not may_invite(actor, kind, payload):
        raise PermissionDenied(_("U mag niemand voor deze rol uitnodigen."))
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Vul een geldig e-mailadres in.")}) from error
    found.check(payload, email)
    with transaction.atomic():
        coalition_id = found.coalition_id(payload)
        open_ones = Invitation.objects.select_for_update().filter(
            email__iexact=email, kind=kind, status=Invitation.Status.PENDING, expires_at__gt=timezone.now()
        )
        if any(existing.payload == payload for existing in open_ones):
            raise ValidationError(
                {
                    "email": _("%(email)s heeft al een openstaande uitnodiging hiervoor. Stuur die opnieuw.")
                    % {"email": email}
                }
            )
        invitation = Invitation.objects.create(
            email=email,
            name=name.strip()[:200],
            kind=kind,
            payload=payload,
            coalition_id=coalition_id,
            message=message.strip()[:2000],
            language=translation.get_language() or "nl",
            invited_by=actor,
            nonce=secrets.token_hex(16),
            expires_at=timezone.now() + VALID_FOR,
        )
        _event(actor, "invitation.sent", invitation)
        _queue_mail(invitation)
    return invitation


def _lock_open(invitation_id: int, actor: User) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    if not may_manage(actor, invitation):
        raise PermissionDenied(_("U mag deze uitnodiging niet beheren."))
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("Deze uitnodiging is al %(state)s.") % {"state": invitation.state_label.lower()})
    return invitation


@transaction.atomic
def invitation_resend(*, actor: User, invitation_id: int) -> Invitation:
    """A new link (the old one stops working), valid for another ``VALID_FOR``, mailed again."""
    invitation = _lock_open(invitation_id, actor)
    invitation.nonce = secrets.token_hex(16)
    invitation.expires_at = timezone.now() + VALID_FOR
    invitation.sent_at = None
    invitation.save(update_fields=["nonce", "expires_at", "sent_at"])
    _event(actor, "invitation.resent", invitation)
    _queue_mail(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation_id: int) -> Invitation:
    invitation = _lock_open(invitation_id, actor)
    invitation.status = Invitation.Status.REVOKED
    invitation.closed_at = timezone.now()
    invitation.save(update_fields=["status", "closed_at"])
    _event(actor, "invitation.revoked", invitation)
    return invitation


def invitation_from_token(token: str) -> Invitation:
    """The open invitation a link names, or LinkProblem saying why it cannot be used."""
    try:
        invitation_id, nonce = signing.Signer(salt=TOKEN_SALT).unsign_object(token)
        invitation = Invitation.objects.select_related("invited_by").get(pk=int(invitation_id))
    except (signing.BadSignature, ValueError, TypeError, Invitation.DoesNotExist) as error:
        raise LinkProblem(
            _("Deze link werkt niet"),
            _(
                "De link is onvolledig of klopt niet. "
                "Kopieer hem in zijn geheel uit de e-mail, of vraag een nieuwe uitnodiging."
            ),
        ) from error
    if invitation.status == Invitation.Status.ACCEPTED:
        raise LinkProblem(
            _("Deze uitnodiging is al gebruikt"),
            _("U kunt inloggen met het account waarmee de uitnodiging is geaccepteerd."),
            invitation,
        )
    if invitation.status == Invitation.Status.REVOKED:
        raise LinkProblem(
            _("Deze uitnodiging is ingetrokken"),
            _("Neem contact op met %(name)s als u denkt dat dit niet klopt.") % {"name": _inviter(invitation)},
            invitation,
        )
    if invitation.nonce != nonce:
        raise LinkProblem(
            _("Deze link is vervangen"),
            _("Er is een nieuwere uitnodiging gestuurd. Gebruik de link uit de laatste e-mail."),
            invitation,
        )
    if invitation.is_expired:
        raise LinkProblem(
            _("Deze uitnodiging is verlopen"),
            _("Vraag %(name)s om de uitnodiging opnieuw te sturen.") % {"name": _inviter(invitation)},
            invitation,
        )
    return invitation


def _inviter(invitation: Invitation) -> str:
    return invitation.invited_by.display_name if invitation.invited_by else _("de beheerder")


def described(invitation: Invitation) -> Described:
    return Described(invitation, describe(invitation), _inviter(invitation))


def invitation_accept(*, user: User, token: str) -> Invitation:
    """Accept an open invitation as ``user``, whose address must be the invited one.

    After: the role is given (by the app that owns it), the invitation is
    accepted and used up, an event is recorded and the inviter notified.
    """
    with transaction.atomic():
        invitation = invitation_from_token(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != Invitation.Status.PENDING:
            raise LinkProblem(_("Deze uitnodiging is al gebruikt"), _("Er is niets meer te doen."), invitation)
        if user.email.lower() != invitation.email.lower():
            raise ValidationError(
                _(
                    "Deze uitnodiging is voor %(invited)s, maar u bent ingelogd als %(email)s. "
                    "Log uit en log in met het uitgenodigde adres, of vraag een uitnodiging voor uw eigen adres."
                )
                % {"invited": invitation.email, "email": user.email}
            )
        _kind(invitation.kind).grant(user, invitation.payload, invitation.invited_by)
        invitation.status = Invitation.Status.ACCEPTED
        invitation.accepted_by = user
        invitation.closed_at = timezone.now()
        invitation.save(update_fields=["status", "accepted_by", "closed_at"])
        event = _event(user, "invitation.accepted", invitation)
        if invitation.invited_by and invitation.invited_by.is_active:
            notify(event=event, recipients=[invitation.invited_by])
    return invitation


def manage_url(invitation: Invitation) -> str:
    found = registry.kind(invitation.kind)
    return found.manage_url(invitation.payload) if found else reverse("invitations:list")
