"""`manage.py seed_demo`: load the demonstration data, idempotently.

The command first makes the bureau's own logins (the administrator, who is the actor of every
history row the seeding writes, then staff, manager and a district reviewer), then calls each
app's `demo.seed(*, actor, password, stdout)` in the dependency order of DEMO_MODULES. An app
without a `demo` module yet is skipped. Everything runs in one transaction: a failure leaves
the database as it was.

Every demo login, the superuser included, shares one published password, so the command
refuses to run with DEBUG off unless told this is a demonstration server.
"""

import importlib
import importlib.util
from types import ModuleType

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from baotou_carbon.accounts.demo import seed_bureau_logins

# Published with the demo (README): every demo login uses it. Never deploy demo data.
DEMO_PASSWORD = "Baotou-demo-2024"

# Downward dependency order: an app's demo data may use what the apps before it seeded.
DEMO_MODULES = [
    "enterprises.demo",
    "baotou_carbon.accounts.demo",
    "verification.demo",
    "assistance.demo",
    "allocation.demo",
]


def demo_module(name: str) -> ModuleType | None:
    """The module `name`, or None when that app has no demo data yet. Errors inside an
    existing module are not hidden."""
    try:
        spec = importlib.util.find_spec(name)
    except ModuleNotFoundError:  # the app itself is absent
        return None
    return importlib.import_module(name) if spec is not None else None


class Command(BaseCommand):
    help = "Load the demonstration data (idempotent: run it again to restore it)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Seed although DEBUG is off (a demonstration server, never production).",
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "DEBUG is off: demo logins share a published password. On a demonstration "
                "server, pass --allow-without-debug."
            )
        with transaction.atomic():
            self.stdout.write("bureau logins:")
            actor, tally = seed_bureau_logins(password=DEMO_PASSWORD)
            for outcome, count in sorted(tally.items()):
                self.stdout.write(f"  {outcome}: {count}")
            for name in DEMO_MODULES:
                module = demo_module(name)
                if module is None:
                    self.stdout.write(f"{name}: none yet, skipped")
                    continue
                self.stdout.write(f"{name}:")
                module.seed(actor=actor, password=DEMO_PASSWORD, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready; every demo login's password is {DEMO_PASSWORD}")
        )
