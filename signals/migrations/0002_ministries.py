"""The catalogue starts with the ministries of the Dutch government (signals/ministries.py)."""

from django.db import migrations

# A copy, not an import: a migration must keep doing what it did when the list in the app changes.
MINISTRIES = [
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
    ("vro", "VRO", "Ministerie van Volkshuisvesting en Ruimtelijke Ordening", "Ministry of Housing and Spatial Planning"),
]


def add_ministries(apps, schema_editor):
    Ministry = apps.get_model("signals", "Ministry")
    for slug, abbreviation, name, name_en in MINISTRIES:
        Ministry.objects.get_or_create(slug=slug, defaults={"abbreviation": abbreviation, "name": name, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("signals", "0001_initial")]
    operations = [migrations.RunPython(add_ministries, migrations.RunPython.noop)]
