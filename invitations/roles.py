"""The invitation to a global role without further data: only a platform administrator gives these.

Reviewers (with their expertise) and Rijk officials (with a mandate) have
kinds of their own in ``reviews`` and ``funding``; a coalition role is
``coalitions``'.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import GlobalRole, User
from accounts.permissions import has_global_role
from invitations.registry import InvitationKind, register_kind

# The roles given by this kind, in the order of the form.
SIMPLE_ROLES = (
    GlobalRole.REGIONAL_PARTNER,
    GlobalRole.DATA_STEWARD,
    GlobalRole.REVIEW_CHAIR,
    GlobalRole.PROGRAMME_ADMIN,
    GlobalRole.PLATFORM_ADMIN,
)
KIND = "role"


def _role(payload: dict) -> GlobalRole:
    try:
        role = GlobalRole(payload.get("role"))
    except ValueError as error:
        raise ValidationError({"role": _("Kies een rol.")}) from error
    if role not in SIMPLE_ROLES:
        raise ValidationError({"role": _("Kies een rol.")})
    return role


def may_invite(actor: User, payload: dict) -> bool:
    return has_global_role(actor, GlobalRole.PLATFORM_ADMIN)


def describe(payload: dict) -> str:
    try:
        return str(_role(payload).label)
    except ValidationError:
        return _("Onbekende rol")


def check(payload: dict, email: str) -> None:
    role = _role(payload)
    if User.objects.filter(email__iexact=email, groups__name=role).exists():
        raise ValidationError({"email": _("%(email)s heeft deze rol al.") % {"email": email}})


def grant(user: User, payload: dict, inviter: User | None) -> None:
    group, _created = Group.objects.get_or_create(name=_role(payload))
    user.groups.add(group)
    user.__dict__.pop("_global_roles", None)


def register() -> None:
    register_kind(
        InvitationKind(
            key=KIND,
            label=_("Rol op het platform"),
            may_invite=may_invite,
            describe=describe,
            check=check,
            grant=grant,
            manage_url=lambda payload: reverse("invitations:list"),
        )
    )
