"""Rewrite the parameter source notes first seeded by 0002: they pointed to an internal document
("DOMAIN §5") and were English-only. The note now names the official document; the row gives
the year, kind and fuel, and its status how sure the value is. Rows whose note staff have since
edited are left alone. Reversing restores the old notes on the rows this migration rewrote."""

from django.db import migrations

GUIDELINE = "环办气候函〔2022〕485号"
GRID = "全国电网平均排放因子 (national grid average emission factor)"
_OLD_GUIDELINE = "环办气候函〔2022〕485号 (power facilities accounting guideline); DOMAIN §5"
OLD = [
    f"Default coal carbon content before 2021 reporting; {_OLD_GUIDELINE}",
    f"Default coal carbon content for 2021–2022 reporting; {_OLD_GUIDELINE}",
    f"Coal oxidation rate 99%; {_OLD_GUIDELINE}",
    "National grid average emission factor for 2022 (secondary source); DOMAIN §5",
    "Earlier national grid average factor; not confirmed (DOMAIN §5)",
]

# (year, kind, fuel) → the old note, to reverse exactly.
REVERSE = {
    **{(y, "default_carbon_content", "coal"): OLD[0] for y in (2019, 2020)},
    **{(y, "default_carbon_content", "coal"): OLD[1] for y in (2021, 2022)},
    **{(y, "oxidation_rate", "coal"): OLD[2] for y in (2019, 2020, 2021, 2022)},
    (2022, "grid_factor", ""): OLD[3],
    **{(y, "grid_factor", ""): OLD[4] for y in (2019, 2020, 2021)},
}


def _new(kind: str) -> str:
    return GRID if kind == "grid_factor" else GUIDELINE


def rewrite(apps, schema_editor):
    EmissionParameter = apps.get_model("verification", "EmissionParameter")
    for row in EmissionParameter.objects.filter(source__in=OLD):
        row.source = _new(row.kind)
        row.save(update_fields=["source"])


def restore(apps, schema_editor):
    EmissionParameter = apps.get_model("verification", "EmissionParameter")
    for (year, kind, fuel), old in REVERSE.items():
        EmissionParameter.objects.filter(
            year=year, kind=kind, fuel=fuel, source=_new(kind)
        ).update(source=old)


class Migration(migrations.Migration):
    dependencies = [
        ("verification", "0006_unify_monthly_activity_data"),
    ]

    operations = [
        migrations.RunPython(rewrite, restore),
    ]
