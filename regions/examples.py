"""The regions the report 'Elke regio telt!' (Rli, ROB, RVS, 2023) uses as examples, and the comparison regions.

The demo builds its coalitions on the report's five example regions, and the
diagnosis validation (``manage.py diagnosis_validation``) reports on them,
next to the four largest cities and three prosperous regions. The custom
regions are the municipalities the report names for each area.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExampleRegion:
    code: str  # a CBS code, or "RG-..." for a custom region
    name: str
    municipalities: tuple[str, ...] = ()  # municipality names, for a custom region

    @property
    def is_custom(self) -> bool:
        return bool(self.municipalities)


VEENKOLONIEN = ExampleRegion(
    "RG-VEENKOLONIEN",
    "Veenkoloniën",
    (
        "Aa en Hunze",
        "Borger-Odoorn",
        "Coevorden",
        "Emmen",
        "Midden-Drenthe",
        "Midden-Groningen",
        "Oldambt",
        "Pekela",
        "Stadskanaal",
        "Veendam",
        "Westerwolde",
    ),
)
PARKSTAD = ExampleRegion(
    "RG-PARKSTAD",
    "Parkstad Limburg",
    ("Beekdaelen", "Brunssum", "Heerlen", "Kerkrade", "Landgraaf", "Simpelveld", "Voerendaal"),
)
TWENTE = ExampleRegion("CR12", "Twente")
KOP_VAN_NOORD_HOLLAND = ExampleRegion(
    "RG-KOP-NH", "Kop van Noord-Holland", ("Den Helder", "Hollands Kroon", "Schagen", "Texel")
)
ZEEUWS_VLAANDEREN = ExampleRegion("CR31", "Zeeuws-Vlaanderen")

REPORT_REGIONS = (VEENKOLONIEN, PARKSTAD, TWENTE, KOP_VAN_NOORD_HOLLAND, ZEEUWS_VLAANDEREN)
LARGEST_CITIES = (
    ExampleRegion("GM0363", "Amsterdam"),
    ExampleRegion("GM0599", "Rotterdam"),
    ExampleRegion("GM0518", "'s-Gravenhage"),
    ExampleRegion("GM0344", "Utrecht"),
)
PROSPEROUS_REGIONS = (
    ExampleRegion("CR17", "Utrecht (COROP)"),
    ExampleRegion("CR24", "Het Gooi en Vechtstreek"),
    ExampleRegion("CR23", "Groot-Amsterdam"),
)
