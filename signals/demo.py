"""Demo data of signals (local default only, called by ``kansenagenda.demo.load_demo``).

The ministries of the catalogue (``signals.ministries``), ``rijksambtenaar`` as
the official of VWS and IenW, and two demo signals of the Veenkoloniën
coalition about its demo agenda: one answered by VWS, one still open at IenW.
Their texts are invented and say so, like the rest of the demo; the ministries
are the real ones. Everything goes through the services, as in the app.
"""

from __future__ import annotations

from accounts.models import User
from agendas.models import Agenda, Measure
from coalitions.models import Coalition
from signals import services
from signals.ministries import MINISTRIES
from signals.models import Ministry, MinistryOfficial, Signal

DEMO_NOTE = "Demo: een verzonnen signaal als voorbeeld, geen echte melding aan het ministerie."
OFFICIAL_MINISTRIES = ("vws", "ienw")

ANSWERED = {
    "ministry": "vws",
    "measure": "Huisartsenposten in de kernen",
    "kind": Signal.Kind.RULE,
    "title": "Zorgverleners uit Duitsland kunnen niet snel aan de slag (demo)",
    "body": (
        "Huisartsen en verpleegkundigen uit het Duitse grensgebied willen in de huisartsenposten in de kernen "
        "werken, maar de erkenning van hun diploma en de BIG-registratie duren gemiddeld meer dan een half jaar. "
        "Zo blijven de posten in de avond en het weekend onderbezet. Een snellere route voor zorgverleners uit "
        "de buurlanden zou de maatregel mogelijk maken.\n\n" + DEMO_NOTE
    ),
    "themes": ["gezondheid"],
    "answer": (
        "VWS werkt aan een versnelde erkenningsprocedure voor zorgverleners uit Duitsland en België, met "
        "voorrang voor grensregio's. We nemen de Veenkoloniën op als proefregio.\n\n" + DEMO_NOTE
    ),
}
OPEN = {
    "ministry": "ienw",
    "measure": "Leerwerkplekken in de maakindustrie",
    "kind": Signal.Kind.PROGRAMME,
    "title": "Geen openbaar vervoer naar de leerwerkplekken in de vroege ochtend (demo)",
    "body": (
        "Jongeren zonder auto kunnen de leerwerkplekken op de bedrijventerreinen niet bereiken voor de ochtenddienst: "
        "de eerste bus rijdt pas na achten. De landelijke regels voor de bijdrage aan het regionale openbaar "
        "vervoer rekenen alleen met reizigersaantallen, zodat vroege ritten in dunbevolkte gebieden nooit uit "
        "kunnen.\n\n" + DEMO_NOTE
    ),
    "themes": ["arbeid-en-vrije-tijd"],
}


def ensure_ministries() -> None:
    """The catalogue, when a test emptied the database after the migration made it."""
    for slug, abbreviation, name, name_en in MINISTRIES:
        defaults = {"abbreviation": abbreviation, "name": name, "name_en": name_en}
        Ministry.objects.get_or_create(slug=slug, defaults=defaults)


def file(coordinator: User, agenda: Agenda, spec: dict) -> Signal:
    measure = Measure.objects.get(agenda=agenda, title=spec["measure"])
    return services.signal_file(
        actor=coordinator,
        agenda_id=agenda.pk,
        ministry_id=Ministry.objects.get(slug=spec["ministry"]).pk,
        title=spec["title"],
        body=spec["body"],
        kind=spec["kind"],
        measure_id=measure.pk,
        theme_codes=spec["themes"],
    )


def load_signal_demo(*, admin: User) -> None:
    ensure_ministries()
    official = User.objects.get(username="rijksambtenaar")
    for slug in OFFICIAL_MINISTRIES:
        ministry = Ministry.objects.get(slug=slug)
        if not MinistryOfficial.objects.filter(ministry=ministry, user=official).exists():
            services.ministry_official_set(actor=admin, ministry_id=ministry.pk, user_id=official.pk)
    coalition = Coalition.objects.get(slug="veenkolonien")
    if Signal.objects.filter(coalition=coalition).exists():
        return
    coordinator = User.objects.get(username="coordinator")
    agenda = Agenda.objects.filter(coalition=coalition).order_by("pk").first()
    answered = file(coordinator, agenda, ANSWERED)
    services.signal_acknowledge(actor=official, signal_id=answered.pk)
    services.signal_answer(
        actor=official, signal_id=answered.pk, outcome=Signal.Outcome.ACCEPTED, text=ANSWERED["answer"]
    )
    file(coordinator, agenda, OPEN)
