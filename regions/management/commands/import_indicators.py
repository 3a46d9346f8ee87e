from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regions.importers import MAPPING_FILE, ImportProblem, import_indicators


class Command(BaseCommand):
    help = (
        "Importeer de brede-welvaartsgegevens van de bronnen in de mapping "
        "(regions/data/indicator_mapping.yaml). Een gewijzigde bron wordt een nieuwe "
        "datasetversie; een ongewijzigde bron wordt overgeslagen."
    )

    def add_arguments(self, parser):
        parser.add_argument("--mapping", type=Path, default=MAPPING_FILE)
        parser.add_argument("--source", action="append", dest="sources", help="Alleen deze bron (mag vaker).")

    def handle(self, *args, mapping, sources, **options):
        try:
            results = import_indicators(mapping, only=sources)
        except ImportProblem as problem:
            raise CommandError(str(problem)) from None
        for result in results:
            if result.status == "unchanged":
                line = f"{result.source_key}: ongewijzigd (versie {result.version})"
            else:
                line = (
                    f"{result.source_key}: versie {result.version}, {result.value_count} waarden "
                    f"({result.added} nieuw, {result.changed} gewijzigd, {result.removed} vervallen)"
                )
            if result.skipped_regions:
                line += f"; {len(result.skipped_regions)} rijen van andere gebieden overgeslagen"
            self.stdout.write(line)
