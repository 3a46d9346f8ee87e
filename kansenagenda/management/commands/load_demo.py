from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD
from kansenagenda.demo import DemoRefused, load_demo


class Command(BaseCommand):
    help = "Laad de vijf voorbeeldregio's als coalities en de demogebruikers (alleen lokaal, DEBUG aan)."

    def handle(self, *args, **options):
        try:
            counts = load_demo()
        except DemoRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            f"Demo: {counts['coalitions']} coalities, {counts['users']} gebruikers (wachtwoord {DEMO_PASSWORD})."
        )
