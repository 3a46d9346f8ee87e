"""The ministries of the Dutch government: the catalogue the platform starts with.

The fifteen ministries as rijksoverheid.nl lists them since the cabinet of
2 July 2024 (which split Economische Zaken en Klimaat into Economische Zaken
and Klimaat en Groene Groei, renamed LNV to Landbouw, Visserij,
Voedselzekerheid en Natuur, and added Asiel en Migratie and Volkshuisvesting
en Ruimtelijke Ordening), with their English names from government.nl and
their usual abbreviations. Loaded by migration ``signals.0002_ministries`` (a
copy of this list) and, where a test emptied the database, by the demo loader
(``signals.demo``). After that the programme administrator keeps the catalogue
in the app (``/signalen/ministeries/``): a new cabinet's changes are made there.
"""

from __future__ import annotations

# slug, abbreviation, Dutch name, English name
MINISTRIES: list[tuple[str, str, str, str]] = [
    ("az", "AZ", "Ministerie van Algemene Zaken", "Ministry of General Affairs"),
    ("aenm", "AenM", "Ministerie van Asiel en Migratie", "Ministry of Asylum and Migration"),
    (
        "bzk",
        "BZK",
        "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
        "Ministry of the Interior and Kingdom Relations",
    ),
    ("bz", "BZ", "Ministerie van Buitenlandse Zaken", "Ministry of Foreign Affairs"),
    ("def", "Def", "Ministerie van Defensie", "Ministry of Defence"),
    ("ez", "EZ", "Ministerie van Economische Zaken", "Ministry of Economic Affairs"),
    ("fin", "Fin", "Ministerie van Financiën", "Ministry of Finance"),
    ("ienw", "IenW", "Ministerie van Infrastructuur en Waterstaat", "Ministry of Infrastructure and Water Management"),
    ("jenv", "JenV", "Ministerie van Justitie en Veiligheid", "Ministry of Justice and Security"),
    ("kgg", "KGG", "Ministerie van Klimaat en Groene Groei", "Ministry of Climate and Green Growth"),
    (
        "lvvn",
        "LVVN",
        "Ministerie van Landbouw, Visserij, Voedselzekerheid en Natuur",
        "Ministry of Agriculture, Fisheries, Food Security and Nature",
    ),
    ("ocw", "OCW", "Ministerie van Onderwijs, Cultuur en Wetenschap", "Ministry of Education, Culture and Science"),
    ("szw", "SZW", "Ministerie van Sociale Zaken en Werkgelegenheid", "Ministry of Social Affairs and Employment"),
    ("vws", "VWS", "Ministerie van Volksgezondheid, Welzijn en Sport", "Ministry of Health, Welfare and Sport"),
    (
        "vro",
        "VRO",
        "Ministerie van Volkshuisvesting en Ruimtelijke Ordening",
        "Ministry of Housing and Spatial Planning",
    ),
]
