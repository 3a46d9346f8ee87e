from django.core.management.base import BaseCommand, CommandError

from regions import validation


class Command(BaseCommand):
    help = (
        "Schrijf de validatie van het bredewelvaartsprofiel (profiel-v1 naast profiel-v2) in docs/diagnosis.md, "
        "berekend uit de geïmporteerde gegevens. Met --check: controleer alleen of de tekst daar nog klopt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Alleen controleren; afwijking geeft exitcode 1.")
        parser.add_argument(
            "--print", action="store_true", dest="print_only", help="Schrijf de sectie naar de uitvoer."
        )

    def handle(self, *args, check, print_only, **options):
        section = validation.generate()
        if print_only:
            self.stdout.write(section, ending="")
            return
        document = validation.DOC.read_text(encoding="utf-8")
        try:
            updated = validation.replace_section(document, section)
        except ValueError as err:
            raise CommandError(str(err)) from None
        if check:
            if updated != document:
                raise CommandError(
                    f"{validation.DOC.name} is niet bijgewerkt: voer 'manage.py diagnosis_validation' uit "
                    "en neem de wijziging op."
                )
            self.stdout.write(f"{validation.DOC.name}: de validatie klopt met de gegevens.")
            return
        if updated != document:
            validation.DOC.write_text(updated, encoding="utf-8")
            self.stdout.write(f"{validation.DOC.name}: validatie bijgewerkt.")
        else:
            self.stdout.write(f"{validation.DOC.name}: validatie was al actueel.")
