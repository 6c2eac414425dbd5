"""Registry benchmark on generated national-scale data, reported as ratios.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/baotou_carbon .venv/bin/python bench/registry.py

Builds a throw-away test database, times each registry page at a small scale (a city's ~30
enterprises) and at national scale (3,500 enterprises with 10,500 generating units: the power
sector plus the 2024 steel, cement and aluminium entrants), and prints, per operation, the
national/city ratio of median time, of queries and of peak Python memory. A paginated page
should stay near 1×; an export grows with the rows it writes.
"""

import io
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

SCALES = {"city": 30, "national": 3500}
UNITS_PER_ENTERPRISE = 3
REPEAT = 5


def populate(n: int) -> None:
    from baotou_carbon.accounts.roles import Role
    from enterprises.models import District, Enterprise, Facility, GeneratingUnit
    from tests.factories import UserFactory, valid_uscc

    districts = list(District.values)
    Enterprise.objects.bulk_create(
        Enterprise(
            name_zh=f"基准企业{i:05d}",
            name_en=f"Benchmark Enterprise {i:05d}",
            uscc=valid_uscc(i, districts[i % 9]),
            district=districts[i % 9],
            industry="power",
        )
        for i in range(n)
    )
    enterprises = list(Enterprise.objects.all())
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
    if not UserFactory._meta.model.objects.filter(username="bench").exists():
        UserFactory(username="bench", role=Role.BUREAU_STAFF)


def import_file(n: int):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from tests.factories import valid_uscc

    book = Workbook()
    sheet = book.active
    sheet.append(["name_zh", "uscc", "district", "industry"])
    for i in range(n):
        sheet.append([f"导入企业{i}", valid_uscc(900_000 + i, "150203"), "150203", "steel"])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("bench.xlsx", buffer.getvalue())


def measure(client: Client, label: str, request) -> dict:
    request(client)  # warm-up: template loading and first-use imports are not the page's cost
    times, peaks = [], []
    queries = 0
    for _ in range(REPEAT):
        tracemalloc.start()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = request(client)
            times.append(time.perf_counter() - start)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        queries = len(ctx.captured_queries)
        if response.status_code not in (200, 400):
            raise RuntimeError(f"{label}: HTTP {response.status_code}")
    return {"time": statistics.median(times), "queries": queries, "peak": max(peaks)}


def operations(n: int) -> dict:
    from enterprises.models import Enterprise

    some = Enterprise.objects.order_by("pk")[n // 2].pk
    upload_rows = max(30, n // 10)
    return {
        "enterprise list, page 1": lambda c: c.get(reverse("enterprises:list")),
        "enterprise list, search + district": lambda c: c.get(
            reverse("enterprises:list"), {"q": "基准企业0001", "district": "150203"}
        ),
        "unit list, page 1": lambda c: c.get(reverse("enterprises:unit_list")),
        "enterprise detail": lambda c: c.get(reverse("enterprises:detail", args=[some])),
        "export all enterprises (xlsx)": lambda c: c.get(
            reverse("enterprises:list"), {"_export": "xlsx"}
        ),
        f"import dry run ({upload_rows} rows)": lambda c: c.post(
            reverse("enterprises:import"),
            {"kind": "enterprises", "file": import_file(upload_rows), "dry_run": "on"},
        ),
    }


def main() -> None:
    from baotou_carbon.accounts.models import User
    from enterprises.models import Enterprise, Facility, GeneratingUnit

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        results = {}
        for scale, n in SCALES.items():
            GeneratingUnit.objects.all().delete()
            Facility.objects.all().delete()
            Enterprise.objects.all().delete()
            populate(n)
            client = Client(HTTP_ACCEPT_LANGUAGE="en")
            client.force_login(User.objects.get(username="bench"))
            results[scale] = {
                label: measure(client, label, op) for label, op in operations(n).items()
            }
        city, national = results["city"], results["national"]
        print(
            f"# Registry benchmark: national ({SCALES['national']} enterprises, "
            f"{SCALES['national'] * UNITS_PER_ENTERPRISE} units) vs city ({SCALES['city']})"
        )
        print(f"# {connection.vendor}, median of {REPEAT} runs; ratio = national / city")
        print(f"{'operation':44} {'time ratio':>10} {'queries':>9} {'memory ratio':>13}")
        for (_, c), (label, m) in zip(city.items(), national.items(), strict=True):
            print(
                f"{label:44} {m['time'] / c['time']:>9.2f}x "
                f"{c['queries']:>4}→{m['queries']:<4} {m['peak'] / c['peak']:>12.2f}x"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
