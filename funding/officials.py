"""Rijk officials, their mandates and functions: inviting an official, and the officials as their page lists them.

An official joins by an invitation of the kind ``"rijk_official"``
(registered in ``FundingConfig.ready()``), sent by a programme or platform
administrator, optionally with a mandate: the highest amount they may
approve. Mandates change through ``funding.services.mandate_set`` and
``mandate_withdraw``; approving reads them under a lock (``check_mandate``).
An official's function (``OfficialFunction``, set through
``funding.services.official_function_set``) stands under the letters they sign.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import GlobalRole, User
from core.formatting import euro
from funding import services
from invitations.registry import InvitationKind, register_kind

KIND = "rijk_official"


def officials_with_mandates() -> QuerySet[User]:
    """Every Rijk official with their mandate and function (or none): one query."""
    return (
        User.objects.filter(groups__name=GlobalRole.RIJK_OFFICIAL)
        .select_related("funding_mandate", "funding_function")
        .order_by("-is_active", "full_name", "username")
    )


def mandate_of(official: User):
    """The mandate loaded with ``select_related``, None without one."""
    try:
        return official.funding_mandate
    except User.funding_mandate.RelatedObjectDoesNotExist:
        return None


def function_of(official: User):
    """The function (``OfficialFunction``) loaded with ``select_related``, None without one."""
    try:
        return official.funding_function
    except User.funding_function.RelatedObjectDoesNotExist:
        return None


def _limit(payload: dict) -> int | None:
    limit = payload.get("limit")
    if limit is None:
        return None
    if not services.is_amount(limit):
        raise ValidationError({"limit": _("Een mandaat is een positief bedrag in hele euro's, of leeg.")})
    return limit


def may_invite(actor: User, payload: dict) -> bool:
    return services.may_manage_mandates(actor)


def describe(payload: dict) -> str:
    try:
        limit = _limit(payload)
    except ValidationError:
        limit = None
    if limit is None:
        return _("Rijksambtenaar (zonder mandaat om vast te stellen)")
    return _("Rijksambtenaar met een mandaat tot %(limit)s") % {"limit": euro(limit)}


def check(payload: dict, email: str) -> None:
    _limit(payload)
    if User.objects.filter(email__iexact=email, groups__name=GlobalRole.RIJK_OFFICIAL).exists():
        raise ValidationError({"email": _("%(email)s is al rijksambtenaar op het platform.") % {"email": email}})


def grant(user: User, payload: dict, inviter: User | None) -> None:
    """Accepting: the Rijk official role, and the mandate the invitation named (if any)."""
    limit = _limit(payload)
    user.groups.add(Group.objects.get_or_create(name=GlobalRole.RIJK_OFFICIAL)[0])
    user.__dict__.pop("_global_roles", None)
    if limit is not None:
        services.mandate_set(actor=inviter, user=user, limit=limit, by_invitation=True)


def register() -> None:
    register_kind(
        InvitationKind(
            key=KIND,
            label=gettext_lazy("Rijksambtenaar"),
            may_invite=may_invite,
            describe=describe,
            check=check,
            grant=grant,
            manage_url=lambda payload: reverse("funding:officials"),
        )
    )
