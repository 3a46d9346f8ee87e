from django.core.management.base import BaseCommand, CommandError

from regions.importers import ImportProblem, import_regions


class Command(BaseCommand):
    help = "Importeer provincies, COROP-gebieden en gemeenten (CBS-indeling 2023) met grenzen. Idempotent."

    def handle(self, *args, **options):
        try:
            result = import_regions()
        except ImportProblem as problem:
            raise CommandError(str(problem)) from None
        self.stdout.write(self.style.SUCCESS(f"Regio's: {result}"))
