"""The coalition part of the demo (``kansenagenda.demo``): open invitations to the partners nobody represents yet.

So the members page of the demo coalition shows what a coordinator does
next. The addresses are demo addresses (``example.org`` never receives mail),
and the names say "(demo)". Loading again creates nothing twice: a partner that
was invited before (whatever became of the invitation) is not invited again.
"""

from __future__ import annotations

from django.utils.text import slugify

from accounts.models import User
from coalitions import invitations as coalition_invitations
from coalitions.models import Coalition, CoalitionMembership, CoalitionRole
from invitations.models import Invitation
from invitations.services import invitation_create

DEMO_MESSAGE = "Demo-uitnodiging: dit is een voorbeeld, het adres bestaat niet."


def demo_email(organisation_name: str) -> str:
    """vertegenwoordiger-<place>@example.org, e.g. for "Gemeente Aa en Hunze": vertegenwoordiger-aa-en-hunze."""
    place = slugify(organisation_name.split(" ", 1)[-1]) or slugify(organisation_name)
    return f"vertegenwoordiger-{place}@example.org"


def invite_missing_representatives(coalition: Coalition, coordinator: User) -> int:
    """The coordinator invites a (demo) representative for every member organisation without a member.

    Returns how many invitations were made now.
    """
    represented = set(CoalitionMembership.objects.filter(coalition=coalition).values_list("organisation_id", flat=True))
    invited = set(
        Invitation.objects.filter(kind=coalition_invitations.KIND, coalition_id=coalition.pk).values_list(
            "email", flat=True
        )
    )
    made = 0
    for organisation in coalition.organisations.order_by("name"):
        email = demo_email(organisation.name)
        if organisation.pk in represented or email in invited:
            continue
        invitation_create(
            actor=coordinator,
            kind=coalition_invitations.KIND,
            email=email,
            name=f"Vertegenwoordiger {organisation.name} (demo)",
            message=DEMO_MESSAGE,
            payload=coalition_invitations.payload_for(
                coalition=coalition, organisation_id=organisation.pk, role=CoalitionRole.VIEWER
            ),
        )
        made += 1
    return made
