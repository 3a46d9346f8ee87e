"""The invitation into a coalition: a person joins with a role, on behalf of a member organisation.

Registered with ``invitations.registry`` in ``CoalitionsConfig.ready()``. The
payload is ``{"coalition": id, "organisation": id, "role": "coordinator" |
"editor" | "viewer"}``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from coalitions import services
from coalitions.models import Coalition, CoalitionMembership, CoalitionOrganisation, CoalitionRole, Organisation
from coalitions.permissions import can_manage_members
from invitations.registry import InvitationKind, register_kind

KIND = "coalition"


def _id(payload: dict, key: str) -> int | None:
    value = payload.get(key)
    # bool is an int too; a payload comes from a form or an API, never trust its types.
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def payload_for(*, coalition: Coalition, organisation_id: int, role: str) -> dict:
    return {"coalition": coalition.pk, "organisation": organisation_id, "role": str(role)}


def may_invite(actor: User, payload: dict) -> bool:
    coalition_id = _id(payload, "coalition")
    return coalition_id is not None and can_manage_members(actor, coalition_id)


def what(*, role: str, coalition_name: str, organisation_name: str) -> str:
    """The invitation in words: "Redacteur in Coalitie X, namens Gemeente Y"."""
    return _("%(role)s in %(coalition)s, namens %(organisation)s") % {
        "role": services.role_label(role),
        "coalition": coalition_name,
        "organisation": organisation_name,
    }


def describe(payload: dict) -> str:
    coalition = Coalition.objects.filter(pk=_id(payload, "coalition")).values_list("name", flat=True).first()
    organisation = Organisation.objects.filter(pk=_id(payload, "organisation")).values_list("name", flat=True).first()
    if coalition is None or organisation is None:
        return _("Lid van een coalitie die niet meer bestaat")
    return what(role=payload.get("role", ""), coalition_name=coalition, organisation_name=organisation)


def check(payload: dict, email: str) -> None:
    coalition_id, organisation_id = _id(payload, "coalition"), _id(payload, "organisation")
    if coalition_id is None or not Coalition.objects.filter(pk=coalition_id).exists():
        raise ValidationError({"coalition": _("Deze coalitie bestaat niet.")})
    if (
        organisation_id is None
        or not CoalitionOrganisation.objects.filter(coalition_id=coalition_id, organisation_id=organisation_id).exists()
    ):
        raise ValidationError({"organisation": _("Kies een organisatie die lid is van de coalitie.")})
    if payload.get("role") not in CoalitionRole.values:
        raise ValidationError({"role": _("Kies een rol: coördinator, redacteur of lezer.")})
    member = (
        CoalitionMembership.objects.filter(coalition_id=coalition_id, user__email__iexact=email)
        .select_related("user", "organisation")
        .first()
    )
    if member is not None:
        raise ValidationError(
            {
                "email": _(
                    "%(name)s (%(email)s) is al lid van deze coalitie, als %(role)s namens %(organisation)s. "
                    "Wijzig de rol bij de leden."
                )
                % {
                    "name": member.user.display_name,
                    "email": email,
                    "role": services.role_label(member.role).lower(),
                    "organisation": member.organisation.name,
                }
            }
        )


def grant(user: User, payload: dict, inviter: User | None) -> None:
    """Make the person a member with the role, tied to the organisation (runs inside the accepting transaction)."""
    check(payload, user.email)
    coalition = Coalition.objects.get(pk=payload["coalition"])
    organisation = Organisation.objects.get(pk=payload["organisation"])
    services.coalition_set_member(
        coalition=coalition, user=user, organisation=organisation, role=payload["role"], actor=inviter
    )
    services.affiliation_open(user=user, organisation=organisation)


def manage_url(payload: dict) -> str:
    slug = Coalition.objects.filter(pk=_id(payload, "coalition")).values_list("slug", flat=True).get()
    return reverse("coalitions:members", args=[slug])


def register() -> None:
    register_kind(
        InvitationKind(
            key=KIND,
            label=gettext_lazy("Lid van een coalitie"),
            may_invite=may_invite,
            describe=describe,
            check=check,
            grant=grant,
            manage_url=manage_url,
            coalition_id=lambda payload: _id(payload, "coalition"),
        )
    )
