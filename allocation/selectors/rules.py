"""Reads of allocation: rule sets and the calculation rules built from them."""

from django.db.models import Prefetch, QuerySet

from .. import calculations as calc
from ..models import Benchmark, RuleSet


def rule_set_list() -> QuerySet[RuleSet]:
    return RuleSet.objects.prefetch_related(
        Prefetch("benchmarks", queryset=Benchmark.objects.order_by("category"))
    ).order_by("-year")


def rule_set_for_year(year: int) -> RuleSet | None:
    return rule_set_list().filter(year=year).first()


def rule_set_at_or_before(year: int) -> RuleSet | None:
    """The year's rule set, else the latest earlier one (a plan is often published late)."""
    return rule_set_list().filter(year__lte=year).first()


def year_rules(rule_set: RuleSet) -> calc.YearRules:
    """The plain values the calculator works with, from a rule set and its benchmarks."""
    return calc.YearRules(
        year=rule_set.year,
        basis=rule_set.basis,
        power_benchmarks={b.category: b.value for b in rule_set.benchmarks.all()},
        heat_benchmark_coal=rule_set.heat_benchmark_coal,
        heat_benchmark_gas=rule_set.heat_benchmark_gas,
        air_cooling_factor=rule_set.air_cooling_factor,
        heat_coefficient_coal=rule_set.heat_coefficient_coal,
        heat_coefficient_gas=rule_set.heat_coefficient_gas,
        load_correction=rule_set.load_correction,
        load_correction_chp=rule_set.load_correction_chp,
        gap_cap_ratio=rule_set.gap_cap_ratio,
        gas_exempt=rule_set.gas_exempt,
        advance_threshold=rule_set.advance_threshold,
        advance_share=rule_set.advance_share,
        advance_source_year=rule_set.advance_source_year,
        ccer_cap_ratio=rule_set.ccer_cap_ratio,
    )


def rules_for_year(year: int) -> calc.YearRules | None:
    rule_set = rule_set_for_year(year)
    return year_rules(rule_set) if rule_set else None


def rule_set_years() -> list[int]:
    return list(RuleSet.objects.order_by("-year").values_list("year", flat=True))
