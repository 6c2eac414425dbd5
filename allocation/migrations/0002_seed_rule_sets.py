"""Seed the power-sector rule sets 2019–2025 as far as DOMAIN §4 gives them.

Each value carries DOMAIN's confidence: a benchmark row has its own status; a rule DOMAIN
marks [?] or does not state for that year is listed in the rule set's `unconfirmed`, so the
pages show it as such until staff confirm it. 2025 is carried forward from 2024, every value
unconfirmed, so the current years have rules to project with.
"""

from datetime import date
from decimal import Decimal as D

from django.db import migrations
from django.utils import timezone

PLAN_2019 = "2019–2020年全国碳排放权交易配额总量设定与分配实施方案（发电行业）"
PLAN_2021 = "2021、2022年度全国碳排放权交易配额总量设定与分配实施方案（发电行业）国环规气候〔2023〕1号"
PLAN_2023 = "2023、2024年度全国碳排放权交易发电行业配额总量和分配方案"

SUPPLY_CORRECTIONS = {
    "basis": "supplied",
    "air_cooling_factor": D("1.05"),
    "heat_coefficient_coal": D("0.22"),
    "heat_coefficient_gas": D("0.6"),
    "load_correction": True,
    "load_correction_chp": False,
    "includes_indirect_emissions": True,
}
GENERATION_RULES = {
    "basis": "generated",
    "air_cooling_factor": None,
    "heat_coefficient_coal": None,
    "heat_coefficient_gas": None,
    "load_correction": True,
    "load_correction_chp": False,
    "includes_indirect_emissions": False,
    "gap_cap_ratio": D("0.2"),
    "gas_exempt": True,
    "ccer_cap_ratio": D("0.05"),
    "banking_base_t": D("10000"),
    "banking_net_sales_multiplier": D("1.5"),
}

# year → (power benchmarks coal >300, coal ≤300, unconventional, gas; rule-set fields;
#         the fields DOMAIN does not confirm for that year)
RULE_SETS = {
    2019: (
        ("0.877", "0.979", "1.146", "0.392"),
        {
            **SUPPLY_CORRECTIONS,
            "plan": PLAN_2019,
            "heat_benchmark_coal": D("0.126"),
            "heat_benchmark_gas": D("0.059"),
            "gap_cap_ratio": D("0.2"),
            "gas_exempt": True,
            "ccer_cap_ratio": D("0.05"),
            "surrender_deadline": date(2021, 12, 31),
        },
        [
            "air_cooling_factor",
            "heat_coefficient_coal",
            "heat_coefficient_gas",
            "load_correction",
            "load_correction_chp",
            "includes_indirect_emissions",
            "gap_cap_ratio",
            "gas_exempt",
            "ccer_cap_ratio",
            "surrender_deadline",
        ],
    ),
    2021: (
        ("0.8218", "0.8773", "0.9350", "0.3920"),
        {
            **SUPPLY_CORRECTIONS,
            "plan": PLAN_2021,
            "heat_benchmark_coal": D("0.1111"),
            "heat_benchmark_gas": D("0.0560"),
            "gap_cap_ratio": D("0.2"),
            "gas_exempt": True,
            "advance_threshold": D("0.1"),
            "advance_share": D("0.5"),
            "advance_source_year": 2023,
            "ccer_cap_ratio": D("0.05"),
            "surrender_deadline": date(2023, 12, 31),
            "interim_deadline": date(2023, 11, 15),
            "interim_enterprise_share": D("0.95"),
            "pre_allocation_share": D("0.7"),
        },
        ["load_correction_chp"],
    ),
    2022: (
        ("0.8177", "0.8729", "0.9303", "0.3901"),
        {"heat_benchmark_coal": D("0.1105"), "heat_benchmark_gas": D("0.0557")},
        ["load_correction_chp"],
    ),
    2023: (
        ("0.7950", "0.8090", "0.8285", "0.3305"),
        {
            **GENERATION_RULES,
            "plan": PLAN_2023,
            "heat_benchmark_coal": D("0.1038"),
            "heat_benchmark_gas": D("0.0536"),
            "surrender_deadline": date(2024, 12, 31),
        },
        ["load_correction", "load_correction_chp", "ccer_cap_ratio"],
    ),
    2024: (
        ("0.7910", "0.8049", "0.8244", "0.3288"),
        {
            "heat_benchmark_coal": D("0.1033"),
            "heat_benchmark_gas": D("0.0533"),
            "surrender_deadline": date(2025, 12, 31),
        },
        ["load_correction", "load_correction_chp", "ccer_cap_ratio"],
    ),
}
# Years that repeat the year before, with what changes.
REPEATS = {2020: 2019, 2022: 2021, 2024: 2023, 2025: 2024}
CATEGORIES = ("coal_above_300", "coal_300_and_below", "unconventional_coal", "gas")
SOURCE = "DOMAIN §4 ([V] official text, [S] secondary material)"
CARRIED = "Carried forward from %s: not yet published, confirm each value."


def rule_values():
    """year → (benchmarks, fields, unconfirmed, status, source) for 2019–2025."""
    seeded = {}
    for year in range(2019, 2026):
        if year in RULE_SETS:
            benchmarks, fields, unconfirmed = RULE_SETS[year]
            base = seeded[REPEATS[year]][1] if year in REPEATS else {}
            seeded[year] = (benchmarks, {**base, **fields}, unconfirmed, "S", SOURCE)
        else:
            previous = seeded[REPEATS[year]]
            carried = year == 2025
            fields = {**previous[1]}
            if carried:
                fields.update(plan="", surrender_deadline=date(year + 1, 12, 31))
            seeded[year] = (
                previous[0],
                fields,
                ["basis", *previous[1].keys()] if carried else previous[2],
                "?" if carried else "S",
                CARRIED % (year - 1) if carried else SOURCE,
            )
    return seeded


def record_history(apps, model_name, rows):
    """The rows' first history entry, so the pages show later edits against the seeded value."""
    historical = apps.get_model("allocation", f"Historical{model_name}")
    names = [f.attname for f in rows[0]._meta.concrete_fields]
    historical.objects.bulk_create(
        historical(
            **{name: getattr(row, name) for name in names},
            history_date=timezone.now(),
            history_type="+",
            history_change_reason="Seeded from DOMAIN §4",
        )
        for row in rows
    )


def seed(apps, schema_editor):
    RuleSet = apps.get_model("allocation", "RuleSet")
    Benchmark = apps.get_model("allocation", "Benchmark")
    for year, (benchmarks, fields, unconfirmed, status, source) in rule_values().items():
        rule_set = RuleSet.objects.create(
            year=year,
            status=status,
            source=source,
            unconfirmed=sorted(set(unconfirmed) - {"plan"}),
            **fields,
        )
        record_history(apps, "RuleSet", [rule_set])
        benchmarks = Benchmark.objects.bulk_create(
            Benchmark(
                rule_set=rule_set,
                category=category,
                value=D(value),
                status=status,
                source=source,
            )
            for category, value in zip(CATEGORIES, benchmarks, strict=True)
        )
        record_history(apps, "Benchmark", benchmarks)


def unseed(apps, schema_editor):
    apps.get_model("allocation", "RuleSet").objects.filter(year__in=range(2019, 2026)).delete()


class Migration(migrations.Migration):
    dependencies = [("allocation", "0001_rule_sets")]

    operations = [migrations.RunPython(seed, unseed)]
