"""Compliance-position recompute benchmark on generated national-scale data, as a ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/baotou_carbon .venv/bin/python bench/positions.py

Builds a throw-away test database with 3,500 enterprises, 10,500 generating units with approved
2022 allocation data and a concluded 2022 verification case per enterprise (with an unrectified
finding for one in ten), then times the full year's recompute (`positions_recompute`: one read
of every input, the formula per enterprise, one upsert) against ONE SQL aggregate over the same
rows (the allocation sum per enterprise joined to the verified emissions), and prints the ratio
of the medians, with the recompute's query count.
"""

import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ENTERPRISES = 3500
UNITS_PER_ENTERPRISE = 3
YEAR = 2022
REPEAT = 5

AGGREGATE = """
SELECT e.id, SUM(a.approved_allocation_t) AS allocation_t, MAX(c.verified_emissions_t)
       + COALESCE(SUM(f.conservative_estimate_t), 0) AS verified_t
FROM enterprises_enterprise e
JOIN enterprises_facility fa ON fa.enterprise_id = e.id
JOIN enterprises_generatingunit u ON u.facility_id = fa.id
JOIN allocation_unitallocation a ON a.unit_id = u.id AND a.year = %s
JOIN verification_verificationcase c ON c.enterprise_id = e.id AND c.year = %s
LEFT JOIN verification_finding f ON f.case_id = c.id AND f.status = 'unrectified'
GROUP BY e.id
"""


def populate() -> None:
    from allocation.models import UnitAllocation
    from baotou_carbon.accounts.roles import Role
    from enterprises.models import District, Enterprise, Facility, GeneratingUnit
    from tests.factories import AgencyFactory, UserFactory, valid_uscc
    from verification.models import Finding, VerificationCase

    districts = list(District.values)
    Enterprise.objects.bulk_create(
        Enterprise(
            name_zh=f"基准企业{i:05d}",
            uscc=valid_uscc(i, districts[i % 9]),
            district=districts[i % 9],
            industry="power",
        )
        for i in range(ENTERPRISES)
    )
    enterprises = list(Enterprise.objects.order_by("pk"))
    Facility.objects.bulk_create(
        Facility(enterprise=e, name_zh="自备电厂", kind="captive_power") for e in enterprises
    )
    GeneratingUnit.objects.bulk_create(
        GeneratingUnit(
            facility=f,
            code=f"#{k}",
            allocation_category="coal_300_and_below",
            capacity_mw=300,
            cooling="air",
            operating_mode="chp",
            main_fuel="coal",
        )
        for f in Facility.objects.all()
        for k in range(1, UNITS_PER_ENTERPRISE + 1)
    )
    UnitAllocation.objects.bulk_create(
        UnitAllocation(
            unit=u,
            year=YEAR,
            status="approved",
            preliminary_allocation_t=Decimal(800000 + u.pk % 997),
            approved_allocation_t=Decimal(810000 + u.pk % 991),
        )
        for u in GeneratingUnit.objects.all()
    )
    agency = AgencyFactory.create()
    VerificationCase.objects.bulk_create(
        VerificationCase(
            enterprise=e,
            year=YEAR,
            agency=agency,
            status="concluded",
            reported_emissions_t=Decimal(2900000 + i * 37 % 500000),
            verified_emissions_t=Decimal(2800000 + i * 41 % 600000),
        )
        for i, e in enumerate(enterprises)
    )
    Finding.objects.bulk_create(
        Finding(
            case=case,
            description="关口表校验过期",
            rectification_deadline="2023-04-28",
            status="unrectified",
            conservative_estimate_t=Decimal(260),
        )
        for case in VerificationCase.objects.filter(
            enterprise_id__in=[e.pk for e in enterprises[::10]]
        )
    )
    UserFactory(username="bench", role=Role.BUREAU_STAFF)


def median_seconds(run) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    from allocation.models import CompliancePosition
    from allocation.services import positions_recompute

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        populate()

        def aggregate() -> None:
            with connection.cursor() as cursor:
                cursor.execute(AGGREGATE, [YEAR, YEAR])
                rows = cursor.fetchall()
            if len(rows) != ENTERPRISES:
                raise RuntimeError(f"aggregate: {len(rows)} rows")

        def recompute() -> None:
            written = positions_recompute(year=YEAR)
            if written != ENTERPRISES:
                raise RuntimeError(f"recompute: {written} rows")

        recompute()  # warm up, and the first run inserts
        with CaptureQueriesContext(connection) as queries:
            recompute()
        aggregate_s = median_seconds(aggregate)
        recompute_s = median_seconds(recompute)
        if CompliancePosition.objects.filter(year=YEAR).count() != ENTERPRISES:
            raise RuntimeError("positions missing")
        print(
            f"# Position recompute: {ENTERPRISES} enterprises, "
            f"{ENTERPRISES * UNITS_PER_ENTERPRISE} units, {connection.vendor}, "
            f"median of {REPEAT} runs"
        )
        print(f"one SQL aggregate over the same rows  {aggregate_s * 1000:8.1f} ms")
        print(
            f"full recompute (read, formula, upsert) {recompute_s * 1000:8.1f} ms  "
            f"{len(queries)} queries"
        )
        print(f"ratio recompute / aggregate            {recompute_s / aggregate_s:8.2f}x")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
