"""Seed the CEA prices DOMAIN §7 gives, with their confidence, and schedule the nightly
bureau-wide savings recompute at 03:00 Beijing time (after the positions' at 02:30)."""

from datetime import date
from decimal import Decimal

from django.db import migrations

TASK_NAME = "allocation: nightly savings recompute"
SOURCE = "DOMAIN §7 (Shanghai Environment and Energy Exchange bulletins)"

# (date, kind, yuan/t, confidence)
PRICES = [
    (date(2023, 1, 1), "annual_average", "68.15", "V"),
    (date(2023, 12, 29), "close", "79.42", "V"),
    (date(2024, 1, 1), "monthly_average", "72.61", "S"),
    (date(2024, 2, 1), "monthly_average", "75.42", "S"),
    (date(2024, 3, 1), "monthly_average", "85.43", "S"),
    (date(2024, 4, 1), "monthly_average", "93.58", "S"),
    (date(2024, 5, 1), "monthly_average", "94.20", "S"),
    (date(2024, 6, 1), "monthly_average", "91.85", "S"),
    (date(2024, 12, 31), "close", "97.49", "V"),
]


def seed(apps, schema_editor):
    CarbonPrice = apps.get_model("allocation", "CarbonPrice")
    for on, kind, price, status in PRICES:
        CarbonPrice.objects.update_or_create(
            on=on,
            kind=kind,
            defaults={"yuan_per_t": Decimal(price), "status": status, "source": SOURCE},
        )
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": "allocation.tasks.recompute_all_savings",
            "crontab": crontab,
            "enabled": True,
            "description": "Recompute the bureau-wide savings and compliance-cost snapshot.",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()
    CarbonPrice = apps.get_model("allocation", "CarbonPrice")
    for on, kind, _price, _status in PRICES:
        CarbonPrice.objects.filter(on=on, kind=kind).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("allocation", "0006_costs_prices_savings"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
