"""Demo data of the reviewer pool (local default only, called by ``kansenagenda.demo.load_demo``).

The demo reviewers get an expertise, so the chair's choice of reviewer is
ranked; and the demo chair has one open invitation into the pool, to a
demo address, to show on the pool page. Loading twice changes nothing.
"""

from __future__ import annotations

from accounts.models import User
from invitations import services as invitations
from invitations.models import Invitation
from reviews import pool
from reviews.models import ReviewerProfile

EXPERTISE = {
    "beoordelaar": ["gezondheid", "arbeid-en-vrije-tijd"],
    "beoordelaar2": ["materiele-welvaart", "menselijk-kapitaal", "arbeid-en-vrije-tijd"],
    "beoordelaar3": ["wonen", "milieu"],
}
INVITED_EMAIL = "nieuwe-beoordelaar@demo.kansenagenda.localhost"


def load_pool_demo(*, chair: User) -> None:
    known = set(pool.theme_names())
    for username, codes in EXPERTISE.items():
        reviewer = User.objects.filter(username=username).first()
        if reviewer is not None:
            ReviewerProfile.objects.get_or_create(
                user=reviewer, defaults={"expertise": [code for code in codes if code in known]}
            )
    if not Invitation.objects.filter(kind=pool.KIND, email=INVITED_EMAIL).exists():
        invitations.invitation_create(
            actor=chair,
            kind=pool.KIND,
            email=INVITED_EMAIL,
            name="Nadia Bos (demo)",
            payload={"expertise": [code for code in ("gezondheid", "wonen") if code in known], "affiliations": []},
            message="Demo-uitnodiging: dit adres bestaat niet; de uitnodiging laat zien hoe de pool groeit.",
        )
