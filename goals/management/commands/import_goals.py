from django.core.management.base import BaseCommand

from goals.importer import import_goals


class Command(BaseCommand):
    help = "Laadt de doelencatalogi (SDG's, EU-cohesiebeleid, nationale transities). Mag vaker draaien."

    def handle(self, *args, **options):
        summary = import_goals()
        self.stdout.write(f"Doelen: {summary.created} nieuw, {summary.updated} bijgewerkt.")
