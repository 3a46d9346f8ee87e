"""Demo data of the regiotoets register (local default only, called by ``kansenagenda.demo.load_demo``).

Two entries recorded by ``rijksambtenaar`` (an official of VWS and IenW in
the signals demo, ``signals.demo``) through the service, as in the app: a
proposal to close a hospital's emergency department at night in Parkstad
Limburg, negative on Gezondheid (where the region lags, so its coordinator is
notified), and an investment in a railway through the Veenkoloniën, positive
on Wonen and on Arbeid en vrije tijd. The texts are invented and say so; they
cite no figures. The ministries, regions and themes are the real ones.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import User
from regions import examples
from regiotoets import services
from regiotoets.models import Entry
from signals.models import Ministry

DEMO_NOTE = "Demo: een verzonnen besluit als voorbeeld, geen echt besluit of voorstel van het ministerie."

ENTRIES = [
    {
        "ministry": "vws",
        "title": "Spoedeisende hulp van een ziekenhuis in Parkstad 's nachts dicht (demo)",
        "summary": (
            "Voorstel om de spoedeisende hulp van een ziekenhuis in Parkstad Limburg 's nachts te sluiten en de "
            "nachtelijke zorg te concentreren in een ziekenhuis buiten de regio.\n\n" + DEMO_NOTE
        ),
        "kind": Entry.Kind.CLOSURE,
        "status": Entry.Status.PROPOSAL,
        "days": 90,
        "regions": [examples.PARKSTAD.code],
        "effects": [
            {
                "theme": "gezondheid",
                "expected": "negative",
                "reason": "Langere reistijd naar de spoedeisende hulp in de nacht voor de inwoners van Parkstad.",
                "evidence": "Demo: geen bron; in het echt de regionale spreidingsanalyse van de acute zorg.",
            },
            {
                "theme": "arbeid-en-vrije-tijd",
                "expected": "unknown",
                "reason": "Of het personeel meegaat of in de regio ander werk vindt, is nog niet bekend.",
                "evidence": "",
            },
        ],
    },
    {
        "ministry": "ienw",
        "title": "Investering in een spoorverbinding door de Veenkoloniën (demo)",
        "summary": (
            "Besluit om te investeren in een spoorverbinding door de Veenkoloniën, met nieuwe stations in de "
            "kernen langs de lijn.\n\n" + DEMO_NOTE
        ),
        "kind": Entry.Kind.INVESTMENT,
        "status": Entry.Status.DECISION,
        "days": -30,
        "regions": [examples.VEENKOLONIEN.code],
        "effects": [
            {
                "theme": "wonen",
                "expected": "positive",
                "reason": "Wonen in de kernen langs de lijn wordt aantrekkelijker met een station dichtbij.",
                "evidence": "Demo: geen bron; in het echt de maatschappelijke kosten-batenanalyse van de lijn.",
            },
            {
                "theme": "arbeid-en-vrije-tijd",
                "expected": "positive",
                "reason": "Werk en opleidingen in de steden worden zonder auto bereikbaar.",
                "evidence": "",
            },
        ],
    },
]


def load_regiotoets_demo() -> None:
    if Entry.objects.filter(title__endswith="(demo)").exists():
        return
    official = User.objects.get(username="rijksambtenaar")
    today = timezone.localdate()
    for spec in ENTRIES:
        services.entry_record(
            actor=official,
            title=spec["title"],
            summary=spec["summary"],
            ministry_id=Ministry.objects.get(slug=spec["ministry"]).pk,
            decision_date=today + datetime.timedelta(days=spec["days"]),
            kind=spec["kind"],
            status=spec["status"],
            region_codes=spec["regions"],
            effects=spec["effects"],
        )
