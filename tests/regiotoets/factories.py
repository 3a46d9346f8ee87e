"""Register entries built through the services, and the people who record them."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import User
from regiotoets import services
from regiotoets.models import Entry
from signals.models import Ministry


def effect(theme: str = "gezondheid", expected: str = "negative", **fields) -> dict:
    return {"theme": theme, "expected": expected, "reason": f"Reden voor {theme}.", "evidence": "", **fields}


def entry_fields(ministry: Ministry, **fields) -> dict:
    """What ``entry_record`` takes: a decision of a week ago for CR01 (Oost-Groningen), negative on Gezondheid."""
    return {
        "title": "Sluiting van de spoedpost",
        "summary": "De spoedpost gaat 's nachts dicht.",
        "ministry_id": ministry.pk,
        "decision_date": timezone.localdate() - datetime.timedelta(days=7),
        "kind": Entry.Kind.CLOSURE,
        "status": Entry.Status.DECISION,
        "region_codes": ["CR01"],
        "effects": [effect()],
        **fields,
    }


def record(actor: User, ministry: Ministry, **fields) -> Entry:
    return services.entry_record(actor=actor, **entry_fields(ministry, **fields))
