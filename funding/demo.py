"""Demo data of funding (local default only, called by ``kansenagenda.demo.load_demo``).

A programme with invented envelopes (labelled as demo) and mandates for the
two demo officials: ``rijksambtenaar`` proposes, ``rijksambtenaar2`` (higher
mandate) approves after confirming with a one-time code (``manage.py
demo_totp`` prints the demo keys).
"""

from __future__ import annotations

from funding import services
from funding.models import Mandate, Programme
from kansenagenda.models import User

PROGRAMME_NAME = "Kansenagenda's 2027–2036 (demo)"


def load_funding_demo(*, admin: User) -> None:
    proposer = User.objects.get(username="rijksambtenaar")
    approver = User.objects.get(username="rijksambtenaar2")
    if not Programme.objects.filter(name=PROGRAMME_NAME).exists():
        services.programme_create(
            actor=proposer,
            name=PROGRAMME_NAME,
            description="Voorbeeldprogramma voor de demo: de bedragen zijn verzonnen.",
            start_year=2027,
            end_year=2036,
            envelopes=dict.fromkeys(range(2027, 2037), 40_000_000),
            min_cofinancing_percent=50,
            reserved_percent=30,
            lagging_min_themes=4,
        )
    for user, limit in ((proposer, 5_000_000), (approver, 50_000_000)):
        if not Mandate.objects.filter(user=user).exists():
            services.mandate_set(actor=admin, user=user, limit=limit)
