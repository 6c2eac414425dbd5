"""Savings recompute and manager dashboard benchmark on generated national-scale data, as ratios.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/baotou_carbon .venv/bin/python bench/savings.py

Builds a throw-away test database with the positions benchmark's data (3,500 enterprises,
10,500 units with 2022 allocation data, a concluded 2022 case each) plus two gain components
per case, four ledger entries per enterprise and the year's positions, then times:

- the year's full savings recompute (`savings_recompute`: grouped reads of every input, the
  formulas, the snapshot replaced) against ONE SQL aggregate over the same rows (the gain
  components and the ledger summed per enterprise);
- the manager dashboard against a minimal logged-in page (the password-changed page), both
  through the test client, with the dashboard's query count.

Prints the medians and the ratios.
"""

import os
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from positions import ENTERPRISES, YEAR, median_seconds, populate  # noqa: E402

REPEAT = 5
ENTRIES_PER_ENTERPRISE = 4

AGGREGATE = """
SELECT e.id, g.gain_t, l.cost_yuan
FROM enterprises_enterprise e
LEFT JOIN (
    SELECT c.enterprise_id, SUM(gc.allocation_change_t + gc.emissions_change_t) AS gain_t
    FROM verification_gaincomponent gc
    JOIN verification_verificationcase c ON c.id = gc.case_id AND c.year = %s
    GROUP BY c.enterprise_id
) g ON g.enterprise_id = e.id
LEFT JOIN (
    SELECT enterprise_id, SUM(amount_yuan) AS cost_yuan
    FROM allocation_costentry WHERE year = %s GROUP BY enterprise_id
) l ON l.enterprise_id = e.id
"""


def populate_savings() -> None:
    from allocation.models import CostCategory, CostEntry
    from allocation.services import positions_recompute
    from baotou_carbon.accounts.models import User
    from baotou_carbon.accounts.roles import Role
    from tests.factories import UserFactory
    from verification.models import GainComponent, VerificationCase

    cases = list(VerificationCase.objects.filter(year=YEAR))
    GainComponent.objects.bulk_create(
        GainComponent(
            case=case,
            cause=cause,
            allocation_change_t=Decimal(0),
            emissions_change_t=Decimal(10 + case.pk % 97),
        )
        for case in cases
        for cause in ("measured_carbon", "heat_data")
    )
    staff = User.objects.get(username="bench")
    categories = [
        CostCategory.VERIFICATION_CONSULTING,
        CostCategory.ENERGY_CONSERVATION,
        CostCategory.ALLOWANCES_BOUGHT,
        CostCategory.ALLOWANCES_SOLD,
    ]
    CostEntry.objects.bulk_create(
        CostEntry(
            enterprise_id=case.enterprise_id,
            year=YEAR,
            category=category,
            amount_yuan=Decimal(-50000 if category == CostCategory.ALLOWANCES_SOLD else 80000),
            occurred_on=date(YEAR + 1, 6, 30),
            description="基准",
            created_by=staff,
        )
        for case in cases
        for category in categories[:ENTRIES_PER_ENTERPRISE]
    )
    positions_recompute(year=YEAR)
    UserFactory(username="bench-manager", role=Role.BUREAU_MANAGER)


def count_queries(run) -> int:
    """The queries one run sends (the debug cursor, on for this run only)."""
    connection.queries_log.clear()
    connection.force_debug_cursor = True
    try:
        run()
    finally:
        connection.force_debug_cursor = False
    return len(connection.queries_log)


def main() -> None:
    from allocation.models import SavingsFigure
    from allocation.services import savings_recompute
    from baotou_carbon.accounts.models import User

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        populate()
        populate_savings()

        def aggregate() -> None:
            with connection.cursor() as cursor:
                cursor.execute(AGGREGATE, [YEAR, YEAR])
                rows = cursor.fetchall()
            if len(rows) != ENTERPRISES:
                raise RuntimeError(f"aggregate: {len(rows)} rows")

        def recompute() -> None:
            savings_recompute(year=YEAR)

        recompute()
        recompute_queries = count_queries(recompute)
        if SavingsFigure.objects.filter(year=YEAR).count() < ENTERPRISES:
            raise RuntimeError("savings figures missing")
        aggregate_s = median_seconds(aggregate)
        recompute_s = median_seconds(recompute)

        client = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST="localhost")
        client.force_login(User.objects.get(username="bench-manager"))

        def page(url: str):
            def get() -> None:
                response = client.get(url)
                if response.status_code != 200:
                    raise RuntimeError(f"{url}: {response.status_code}")

            return get

        minimal, dashboard = page("/accounts/password/done/"), page(f"/dashboard/?year={YEAR}")
        minimal()
        dashboard()
        dashboard_queries = count_queries(dashboard)
        minimal_s = median_seconds(minimal)
        dashboard_s = median_seconds(dashboard)

        print(
            f"# Savings and dashboard: {ENTERPRISES} enterprises, {connection.vendor}, "
            f"median of {REPEAT} runs"
        )
        print(f"one SQL aggregate over the same rows   {aggregate_s * 1000:8.1f} ms")
        print(
            f"full savings recompute                 {recompute_s * 1000:8.1f} ms  "
            f"{recompute_queries} queries"
        )
        print(f"ratio recompute / aggregate            {recompute_s / aggregate_s:8.2f}x")
        print(f"minimal logged-in page                 {minimal_s * 1000:8.1f} ms")
        print(
            f"manager dashboard                      {dashboard_s * 1000:8.1f} ms  "
            f"{dashboard_queries} queries"
        )
        print(f"ratio dashboard / minimal page         {dashboard_s / minimal_s:8.2f}x")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
