import time

from django.core.management.base import BaseCommand, CommandError

from funding.national_data import FULL_AGENDAS, FULL_COALITIONS, FULL_DECISIONS, NationalDataRefused, generate


class Command(BaseCommand):
    help = (
        f"Genereer een synthetische landelijke dataset: {FULL_COALITIONS} coalities over echte regio's, "
        f"{FULL_AGENDAS} agenda's en {FULL_DECISIONS} vastgestelde beschikkingen met elk 10 tranches, alles "
        "gelabeld '(synthetisch)'. Alleen in een database zonder agenda's, coalities, programma's of beschikkingen, "
        "met de CBS-regio's en -gegevens geïmporteerd; alles in één transactie."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Deel van de volledige omvang, groter dan 0 en hoogstens 1."
        )
        parser.add_argument("--seed", type=int, default=2027, help="Startwaarde van de toevalsgenerator.")

    def handle(self, *args, scale, seed, **options):
        if not 0 < scale <= 1:
            raise CommandError("--scale moet groter dan 0 en hoogstens 1 zijn.")
        started = time.perf_counter()
        try:
            counts = generate(scale=scale, seed=seed)
        except NationalDataRefused as refused:
            raise CommandError(str(refused)) from None
        summary = ", ".join(f"{key} {value}" for key, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Synthetisch: {summary} ({time.perf_counter() - started:.1f} s)."))
