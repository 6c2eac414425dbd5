"""Recompute the savings and compliance-cost snapshot from the shell, in-process (the same
code the Celery task runs): every reporting year up to this one, or `--year Y`."""

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from baotou_carbon.core.years import FIRST_YEAR, LAST_YEAR

from ...models import SavingsRun
from ...services import savings_run_execute, savings_run_years


class Command(BaseCommand):
    help = "Recompute the savings and compliance-cost snapshot (all years, or --year)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="Only this data year.")

    def handle(self, *args, year: int | None = None, **options) -> None:
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            self.stderr.write(f"--year must be between {FIRST_YEAR} and {LAST_YEAR}.")
            raise SystemExit(2)
        years = [year] if year is not None else savings_run_years(timezone.localdate().year)
        run = SavingsRun.objects.create(years=years, steps_total=len(years))
        finished = savings_run_execute(run.pk) or run
        for key, stamp in sorted(finished.inputs.items()):
            self.stdout.write(
                f"{key}: {stamp['enterprises']} enterprises, price {stamp['price_yuan_per_t']}"
                f" ({stamp['price_on']}), inputs {stamp['digest'][:12]}"
            )
        self.stdout.write(f"{finished.status}: {finished.rows_written} rows written")
