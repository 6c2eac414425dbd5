"""Power-sector allocation and compliance position (DOMAIN §4), worked by hand (no database).

Every expected value is written out as arithmetic next to its assertion; the rule sets are the
2021, 2022 (supply-based) and 2023 (generation-based) figures of DOMAIN §4, built directly.
"""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allocation import calculations as calc
from allocation.calculations import MissingInput, MissingRule, UnitInput, YearRules

D = Decimal

RULES_2021 = YearRules(
    year=2021,
    basis="supplied",
    power_benchmarks={
        "coal_above_300": D("0.8218"),
        "coal_300_and_below": D("0.8773"),
        "unconventional_coal": D("0.9350"),
        "gas": D("0.3920"),
    },
    heat_benchmark_coal=D("0.1111"),
    heat_benchmark_gas=D("0.0560"),
    air_cooling_factor=D("1.05"),
    heat_coefficient_coal=D("0.22"),
    heat_coefficient_gas=D("0.6"),
    load_correction=True,
    load_correction_chp=False,
    gap_cap_ratio=D("0.20"),
    gas_exempt=True,
    advance_threshold=D("0.10"),
    advance_share=D("0.50"),
    advance_source_year=2023,
    ccer_cap_ratio=D("0.05"),
)

RULES_2022 = YearRules(
    year=2022,
    basis="supplied",
    power_benchmarks={
        "coal_above_300": D("0.8177"),
        "coal_300_and_below": D("0.8729"),
        "unconventional_coal": D("0.9303"),
        "gas": D("0.3901"),
    },
    heat_benchmark_coal=D("0.1105"),
    heat_benchmark_gas=D("0.0557"),
    air_cooling_factor=D("1.05"),
    heat_coefficient_coal=D("0.22"),
    heat_coefficient_gas=D("0.6"),
    load_correction=True,
    load_correction_chp=False,
    gap_cap_ratio=D("0.20"),
    gas_exempt=True,
    advance_threshold=D("0.10"),
    advance_share=D("0.50"),
    advance_source_year=2023,
    ccer_cap_ratio=D("0.05"),
)

RULES_2023 = YearRules(
    year=2023,
    basis="generated",
    power_benchmarks={
        "coal_above_300": D("0.7950"),
        "coal_300_and_below": D("0.8090"),
        "unconventional_coal": D("0.8285"),
        "gas": D("0.3305"),
    },
    heat_benchmark_coal=D("0.1038"),
    heat_benchmark_gas=D("0.0536"),
    air_cooling_factor=None,
    heat_coefficient_coal=None,
    heat_coefficient_gas=None,
    load_correction=True,
    load_correction_chp=False,
    gap_cap_ratio=D("0.20"),
    gas_exempt=True,
    advance_threshold=None,
    advance_share=None,
    advance_source_year=None,
    ccer_cap_ratio=D("0.05"),
)


def coal_unit(**overrides) -> UnitInput:
    """A water-cooled condensing coal unit above 300 MW at full load, 1 000 MWh."""
    base = UnitInput(
        category="coal_above_300",
        cooling="water",
        electricity_mwh=D("1000"),
        load_factor=D("0.90"),
    )
    return replace(base, **overrides)


# F_load ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("load_factor", "expected"),
    [
        ("0.95", "1"),  # F ≥ 85% → 1
        ("0.85", "1"),  # exactly 85% → 1
        ("0.84", "1.0014"),  # 1 + 0.0014 × (85 − 84) = 1.0014
        ("0.82", "1.0042"),  # 1 + 0.0014 × (85 − 82) = 1.0042
        ("0.80", "1.007"),  # exactly 80%: 1 + 0.0014 × (85 − 80) = 1.007
        ("0.78", "1.0102"),  # 1.007 + 0.0016 × (80 − 78) = 1.0102
        ("0.75", "1.015"),  # exactly 75%: 1.007 + 0.0016 × (80 − 75) = 1.015
        ("0.70", "1.030225"),  # 1.015^(16 − 14) = 1.015² = 1.030225
        ("0.60", "1.061363550625"),  # 1.015^(16 − 12) = 1.030225² = 1.061363550625
    ],
)
def test_it_corrects_for_the_load_factor_band_by_band(load_factor, expected):
    assert calc.load_factor_correction(D(load_factor)) == D(expected)


def test_it_raises_to_a_fractional_power_below_75_percent():
    # 0.72: 1.015^(16 − 14.4) = 1.015^1.6; ln 1.015 = 0.0148886125 × 1.6 = 0.0238217800;
    # e^0.0238217800 = 1.0241077851… → 1.024108 at 6 places.
    f_load = calc.load_factor_correction(D("0.72"))
    assert f_load.quantize(D("0.000001")) == D("1.024108")


@pytest.mark.parametrize(
    ("just_below", "at_boundary"),
    [
        # 84.99%: 1 + 0.0014 × 0.01 = 1.000014, against 1 at 85%
        ("0.8499", "0.85"),
        # 79.99%: 1.007 + 0.0016 × 0.01 = 1.007016, against 1 + 0.0014 × 5 = 1.007 at 80%
        ("0.7999", "0.80"),
        # 74.99%: 1.015^(16 − 14.998) = 1.015^1.002 = 1.0150302…, against 1.015 at 75%
        ("0.7499", "0.75"),
    ],
)
def test_it_keeps_the_load_correction_continuous_at_the_boundaries(just_below, at_boundary):
    below = calc.load_factor_correction(D(just_below))
    at = calc.load_factor_correction(D(at_boundary))
    assert below > at
    assert below - at < D("0.0001")


@pytest.mark.parametrize(
    ("boundary", "left_formula"),
    [
        # the band below each boundary, evaluated at the boundary, meets the band above it
        ("0.85", "1"),  # 1 + 0.0014 × (85 − 85) = 1
        ("0.80", "1.007"),  # 1.007 + 0.0016 × (80 − 80) = 1.007
        ("0.75", "1.015"),  # 1.015^(16 − 15) = 1.015
    ],
)
def test_it_meets_the_lower_bands_formula_at_each_boundary(boundary, left_formula):
    assert calc.load_factor_correction(D(boundary)) == D(left_formula)


# One unit ----------------------------------------------------------------------------------


def test_it_breaks_down_a_water_cooled_condensing_unit_above_300_mw_in_2022():
    unit = coal_unit(electricity_mwh=D("1000000"), load_factor=D("0.82"), label="#1")
    result = calc.unit_allocation(RULES_2022, unit)
    assert result.label == "#1"
    assert result.category == "coal_above_300"
    assert result.basis == "supplied"
    assert result.power_benchmark == D("0.8177")
    assert result.electricity_mwh == D("1000000")
    assert result.f_cooling == D("1")  # water-cooled
    assert result.f_heat == D("1")  # no heat supplied
    assert result.f_load == D("1.0042")  # 1 + 0.0014 × (85 − 82)
    # 0.8177 × 1 000 000 × 1 × 1 × 1.0042 = 817 700 × 1.0042 = 821 134.34
    assert result.power_t == D("821134.34")
    assert result.heat_benchmark == D("0.1105")
    assert result.heat_gj == D("0")
    assert result.heat_t == D("0")  # 0.1105 × 0
    assert result.allocation_t == D("821134.34")  # 821 134.34 + 0
    assert result.applied == ("f_load",)
    assert result.factors["f_load"] == D("1.0042")
    assert result.factors["basis"] == "supplied"


@pytest.mark.parametrize(
    ("cooling", "f_cooling", "power_t"),
    [
        ("water", "1", "817.7"),  # 0.8177 × 1 000 × 1 = 817.7
        ("air", "1.05", "858.585"),  # 0.8177 × 1 000 × 1.05 = 858.585
        ("back_pressure", "1", "817.7"),  # 0.8177 × 1 000 × 1 = 817.7
    ],
)
def test_it_applies_the_cooling_factor_by_cooling_type(cooling, f_cooling, power_t):
    result = calc.unit_allocation(RULES_2022, coal_unit(cooling=cooling))
    assert result.f_cooling == D(f_cooling)
    assert result.f_load == D("1")  # 90% load
    assert result.power_t == D(power_t)
    assert result.allocation_t == D(power_t)


def test_it_corrects_a_chp_unit_for_heat_without_load_correction_by_default():
    unit = coal_unit(chp=True, heat_gj=D("2000"), heat_ratio=D("0.30"), load_factor=D("0.80"))
    result = calc.unit_allocation(RULES_2022, unit)
    assert result.f_heat == D("0.934")  # 1 − 0.22 × 0.30 = 1 − 0.066
    assert result.f_load == D("1")  # load_correction_chp False: 80% load ignored
    # 0.8177 × 1 000 × 1 × 0.934 × 1 = 763.7318
    assert result.power_t == D("763.7318")
    assert result.heat_benchmark == D("0.1105")
    assert result.heat_t == D("221")  # 0.1105 × 2 000
    assert result.allocation_t == D("984.7318")  # 763.7318 + 221
    assert result.applied == ("f_heat",)


def test_it_does_not_need_a_chp_units_load_factor_when_the_correction_skips_chp():
    unit = coal_unit(chp=True, heat_gj=D("2000"), heat_ratio=D("0.30"), load_factor=None)
    result = calc.unit_allocation(RULES_2022, unit)
    assert result.f_load == D("1")
    assert result.allocation_t == D("984.7318")  # 0.8177 × 1 000 × 0.934 + 0.1105 × 2 000


def test_it_applies_the_load_correction_to_chp_units_when_the_rule_set_widens_it():
    rules = replace(RULES_2022, load_correction_chp=True)
    unit = coal_unit(
        cooling="air", chp=True, heat_gj=D("2000"), heat_ratio=D("0.30"), load_factor=D("0.80")
    )
    result = calc.unit_allocation(rules, unit)
    assert result.f_cooling == D("1.05")
    assert result.f_heat == D("0.934")  # 1 − 0.22 × 0.30
    assert result.f_load == D("1.007")  # 1 + 0.0014 × (85 − 80)
    # 0.8177 × 1 000 × 1.05 × 0.934 × 1.007 = 858.585 × 0.934 × 1.007
    #   = 801.91839 × 1.007 = 807.53181873
    assert result.power_t == D("807.53181873")
    assert result.heat_t == D("221")  # 0.1105 × 2 000
    assert result.allocation_t == D("1028.53181873")  # 807.53181873 + 221
    assert result.applied == ("f_cooling", "f_heat", "f_load")


def test_it_allocates_a_low_load_unit_with_the_power_formula():
    unit = coal_unit(category="coal_300_and_below", load_factor=D("0.72"))
    result = calc.unit_allocation(RULES_2022, unit)
    # 0.8729 × 1 000 × 1.015^1.6 = 872.9 × 1.0241077851… = 893.94368… → 893.944
    assert calc.round_t(result.power_t) == D("893.944")
    assert calc.round_t(result.allocation_t) == D("893.944")


def test_it_never_corrects_an_unconventional_coal_unit_for_load():
    unit = coal_unit(category="unconventional_coal", load_factor=D("0.60"))
    result = calc.unit_allocation(RULES_2022, unit)
    assert result.f_load == D("1")  # 60% load would give 1.015^4 for conventional coal
    assert result.power_t == D("930.3")  # 0.9303 × 1 000 × 1 × 1 × 1
    assert result.applied == ()


def test_it_allocates_an_unconventional_coal_unit_without_a_load_factor():
    unit = coal_unit(category="unconventional_coal", load_factor=None)
    assert calc.unit_allocation(RULES_2022, unit).power_t == D("930.3")  # 0.9303 × 1 000


def test_it_corrects_a_gas_unit_for_heat_only():
    unit = UnitInput(
        category="gas",
        cooling="air",  # ignored: cooling is a coal correction
        electricity_mwh=D("1000"),
        heat_gj=D("3000"),
        heat_ratio=D("0.40"),
        load_factor=D("0.60"),  # ignored: load is a conventional-coal correction
        chp=True,
    )
    result = calc.unit_allocation(RULES_2022, unit)
    assert result.power_benchmark == D("0.3901")
    assert result.f_cooling == D("1")
    assert result.f_heat == D("0.76")  # 1 − 0.6 × 0.40 = 1 − 0.24
    assert result.f_load == D("1")
    assert result.power_t == D("296.476")  # 0.3901 × 1 000 × 0.76
    assert result.heat_benchmark == D("0.0557")  # the gas heat benchmark, not 0.1105
    assert result.heat_t == D("167.1")  # 0.0557 × 3 000
    assert result.allocation_t == D("463.576")  # 296.476 + 167.1
    assert result.applied == ("f_heat",)


def test_it_uses_the_300_mw_and_below_benchmark_for_that_category():
    # The calculator takes the category; the registry's check constraints
    # (unit_300_and_below_capacity / unit_above_300_capacity) put a unit of exactly 300 MW in
    # "coal_300_and_below", so an exactly-300-MW unit gets 0.8729 in 2022, not 0.8177.
    result = calc.unit_allocation(RULES_2022, coal_unit(category="coal_300_and_below"))
    assert result.power_benchmark == D("0.8729")
    assert result.power_t == D("872.9")  # 0.8729 × 1 000 × 1 × 1 × 1


@pytest.mark.parametrize(
    ("rules", "category", "power_t"),
    [
        (RULES_2021, "coal_above_300", "821.8"),  # 0.8218 × 1 000
        (RULES_2021, "coal_300_and_below", "877.3"),  # 0.8773 × 1 000
        (RULES_2021, "unconventional_coal", "935"),  # 0.9350 × 1 000
        (RULES_2021, "gas", "392"),  # 0.3920 × 1 000
        (RULES_2022, "coal_above_300", "817.7"),  # 0.8177 × 1 000
        (RULES_2022, "coal_300_and_below", "872.9"),  # 0.8729 × 1 000
        (RULES_2022, "unconventional_coal", "930.3"),  # 0.9303 × 1 000
        (RULES_2022, "gas", "390.1"),  # 0.3901 × 1 000
    ],
)
def test_it_uses_the_years_benchmark_for_the_category(rules, category, power_t):
    result = calc.unit_allocation(rules, coal_unit(category=category))
    assert result.power_t == D(power_t)


@pytest.mark.parametrize(
    ("rules", "category", "heat_t"),
    [
        (RULES_2021, "coal_above_300", "111.1"),  # 0.1111 × 1 000
        (RULES_2021, "unconventional_coal", "111.1"),  # coal heat benchmark for every coal
        (RULES_2021, "gas", "56"),  # 0.0560 × 1 000
        (RULES_2022, "coal_300_and_below", "110.5"),  # 0.1105 × 1 000
        (RULES_2022, "gas", "55.7"),  # 0.0557 × 1 000
    ],
)
def test_it_uses_the_years_heat_benchmark_by_fuel(rules, category, heat_t):
    unit = coal_unit(category=category, electricity_mwh=D("0"), heat_gj=D("1000"), chp=True)
    result = calc.unit_allocation(rules, unit)
    assert result.heat_t == D(heat_t)
    assert result.allocation_t == D(heat_t)


def test_it_allocates_2023_on_generation_without_cooling_or_heat_corrections():
    unit = coal_unit(
        cooling="air", chp=True, heat_gj=D("2000"), heat_ratio=D("0.30"), load_factor=D("0.80")
    )
    result = calc.unit_allocation(RULES_2023, unit)
    assert result.basis == "generated"
    assert result.factors["basis"] == "generated"
    assert result.f_cooling == D("1")  # no air-cooling factor in 2023
    assert result.f_heat == D("1")  # no heat correction in 2023
    assert result.f_load == D("1")  # a CHP unit, load_correction_chp False
    assert result.power_t == D("795")  # 0.7950 × 1 000
    assert result.heat_t == D("207.6")  # 0.1038 × 2 000
    assert result.allocation_t == D("1002.6")  # 795 + 207.6
    assert result.applied == ()


def test_it_still_corrects_a_2023_condensing_unit_for_load():
    unit = coal_unit(cooling="air", load_factor=D("0.78"))
    result = calc.unit_allocation(RULES_2023, unit)
    assert result.f_cooling == D("1")
    assert result.f_load == D("1.0102")  # 1.007 + 0.0016 × (80 − 78)
    assert result.power_t == D("803.109")  # 0.7950 × 1 000 × 1.0102 = 795 × 1.0102


@pytest.mark.parametrize("category", ["gas", "coal_300_and_below"])
def test_it_refuses_a_unit_whose_benchmark_the_rule_set_lacks(category):
    benchmarks = {k: v for k, v in RULES_2022.power_benchmarks.items() if k != category}
    rules = replace(RULES_2022, power_benchmarks=benchmarks)
    with pytest.raises(MissingRule) as raised:
        calc.unit_allocation(rules, coal_unit(category=category))
    assert raised.value.name == f"power_benchmark:{category}"


def test_it_refuses_heat_when_the_rule_set_lacks_the_heat_benchmark():
    rules = replace(RULES_2022, heat_benchmark_coal=None)
    with pytest.raises(MissingRule) as raised:
        calc.unit_allocation(rules, coal_unit(chp=True, heat_gj=D("100")))
    assert raised.value.name == "heat_benchmark_coal"


@pytest.mark.parametrize("category", ["coal_above_300", "coal_300_and_below"])
def test_it_asks_for_the_load_factor_of_a_conventional_condensing_unit(category):
    with pytest.raises(MissingInput) as raised:
        calc.unit_allocation(RULES_2022, coal_unit(category=category, load_factor=None))
    assert raised.value.name == "load_factor"


def test_it_sums_the_units_allocations():
    units = [
        coal_unit(),  # 817.7
        coal_unit(category="gas"),  # 390.1
    ]
    breakdowns = [calc.unit_allocation(RULES_2022, unit) for unit in units]
    assert calc.total_allocation(breakdowns) == D("1207.8")  # 817.7 + 390.1
    assert calc.total_allocation([]) == D("0")


# Compliance position -----------------------------------------------------------------------


def position(rules=RULES_2022, *, allocation, emissions, gas_only=False) -> calc.Position:
    return calc.compliance_position(
        rules, allocation_t=D(allocation), verified_emissions_t=D(emissions), gas_only=gas_only
    )


def test_it_reports_a_surplus_without_shortfall():
    result = position(allocation="1000", emissions="900")
    assert result.gap_cap_top_up_t == D("0")  # 1 000 ≥ 0.8 × 900 = 720
    assert result.gas_exemption_top_up_t == D("0")
    assert result.adjusted_allocation_t == D("1000")
    assert result.shortfall_t == D("0")
    assert result.surplus_t == D("100")  # 1 000 − 900
    assert result.shortfall_ratio == D("0")  # 0 ÷ 900
    assert result.advance_eligible is False
    assert result.advance_max_t == D("0")


def test_it_reports_a_shortfall_below_the_cap_as_is():
    result = position(allocation="950", emissions="1000")
    assert result.gap_cap_top_up_t == D("0")  # 950 ≥ 0.8 × 1 000 = 800
    assert result.adjusted_allocation_t == D("950")
    assert result.shortfall_t == D("50")  # 1 000 − 950
    assert result.surplus_t == D("0")
    assert result.shortfall_ratio == D("0.05")  # 50 ÷ 1 000
    assert result.shortfall_percent == D("5")
    assert result.advance_eligible is False  # 5% < 10%


def test_it_tops_an_allocation_below_80_percent_up_to_80_percent():
    result = position(allocation="700", emissions="1000")
    assert result.uncapped_shortfall_t == D("300")  # 1 000 − 700 = 30%
    assert result.gap_cap_top_up_t == D("100")  # 0.8 × 1 000 − 700 = 800 − 700
    assert result.adjusted_allocation_t == D("800")  # 700 + 100
    assert result.shortfall_t == D("200")  # 1 000 − 800 = 20% of emissions
    assert result.shortfall_ratio == D("0.2")  # 200 ÷ 1 000
    assert result.surplus_t == D("0")


@pytest.mark.parametrize(
    ("allocation", "gap_top_up", "gas_top_up", "surplus"),
    [
        ("700", "100", "200", "0"),  # cap to 800, then gas to 1 000: 1 000 − 700 − 100
        ("950", "0", "50", "0"),  # no cap; gas 1 000 − 950
        ("1100", "0", "0", "100"),  # nothing to top up; surplus 1 100 − 1 000 kept
    ],
)
def test_it_tops_a_gas_only_enterprise_up_to_its_emissions(
    allocation, gap_top_up, gas_top_up, surplus
):
    result = position(allocation=allocation, emissions="1000", gas_only=True)
    assert result.gap_cap_top_up_t == D(gap_top_up)
    assert result.gas_exemption_top_up_t == D(gas_top_up)
    assert result.adjusted_allocation_t == D(allocation) + D(gap_top_up) + D(gas_top_up)
    assert result.shortfall_t == D("0")
    assert result.surplus_t == D(surplus)
    assert result.advance_eligible is False


def test_it_ignores_gas_only_when_the_rules_do_not_exempt_gas():
    rules = replace(RULES_2022, gas_exempt=False)
    result = position(rules, allocation="700", emissions="1000", gas_only=True)
    assert result.gas_exemption_top_up_t == D("0")
    assert result.gap_cap_top_up_t == D("100")  # 800 − 700, the cap still holds
    assert result.shortfall_t == D("200")  # 1 000 − 800


@pytest.mark.parametrize(
    ("allocation", "shortfall", "ratio", "eligible", "advance_max", "source_year"),
    [
        # 10 000 − 9 001 = 999; 999 ÷ 10 000 = 9.99% < 10%
        ("9001", "999", "0.0999", False, "0", None),
        # 10 000 − 9 000 = 1 000; 1 000 ÷ 10 000 = 10% ≥ 10%; 50% × 1 000 = 500
        ("9000", "1000", "0.1", True, "500", 2023),
    ],
)
def test_it_opens_advance_from_a_shortfall_ratio_of_10_percent(
    allocation, shortfall, ratio, eligible, advance_max, source_year
):
    result = position(allocation=allocation, emissions="10000")
    assert result.shortfall_t == D(shortfall)
    assert result.shortfall_ratio == D(ratio)
    assert result.advance_threshold == D("0.10")
    assert result.advance_threshold_percent == D("10")
    assert result.advance_eligible is eligible
    assert result.advance_max_t == D(advance_max)
    assert result.advance_source_year == source_year


def test_it_judges_advance_on_the_shortfall_after_the_cap():
    result = position(allocation="7000", emissions="10000")
    assert result.uncapped_shortfall_t == D("3000")  # 10 000 − 7 000 = 30%
    assert result.shortfall_t == D("2000")  # capped: 10 000 − 0.8 × 10 000 = 20%
    assert result.shortfall_ratio == D("0.2")
    assert result.advance_eligible is True
    # 50% × 2 000 = 1 000 = 10% of emissions (not 50% × 3 000 = 1 500)
    assert result.advance_max_t == D("1000")
    assert result.advance_source_year == 2023


def test_it_offers_no_advance_under_the_2023_rules():
    result = position(RULES_2023, allocation="8000", emissions="10000")
    assert result.shortfall_t == D("2000")  # 10 000 − 8 000, at the cap
    assert result.shortfall_ratio == D("0.2")  # 20% ≥ what was 10%
    assert result.advance_threshold is None
    assert result.advance_threshold_percent is None
    assert result.advance_eligible is False
    assert result.advance_max_t == D("0")
    assert result.advance_source_year is None


@pytest.mark.parametrize(("allocation", "surplus"), [("0", "0"), ("100", "100")])
def test_it_has_no_shortfall_ratio_when_nothing_was_emitted(allocation, surplus):
    result = position(allocation=allocation, emissions="0")
    assert result.shortfall_t == D("0")
    assert result.surplus_t == D(surplus)
    assert result.shortfall_ratio is None
    assert result.shortfall_percent is None
    assert result.advance_eligible is False
    assert result.advance_max_t == D("0")
    assert result.ccer_max_t == D("0")  # 5% × 0


@pytest.mark.parametrize(
    ("rules", "emissions", "ccer_max"),
    [
        (RULES_2022, "10000", "500"),  # 5% × 10 000
        (RULES_2022, "12345.678", "617.2839"),  # 0.05 × 12 345.678
        (RULES_2023, "900", "45"),  # 0.05 × 900
    ],
)
def test_it_caps_ccer_offsets_at_5_percent_of_verified_emissions(rules, emissions, ccer_max):
    result = position(rules, allocation="9000", emissions=emissions)
    assert result.ccer_max_t == D(ccer_max)


tonnes = st.decimals(
    min_value=D("0"), max_value=D("100000000"), places=3, allow_nan=False, allow_infinity=False
)


@given(allocation=tonnes, emissions=tonnes)
def test_it_keeps_the_2022_position_within_the_cap(allocation, emissions):
    result = calc.compliance_position(
        RULES_2022, allocation_t=allocation, verified_emissions_t=emissions
    )
    assert result.shortfall_t <= D("0.20") * emissions
    assert result.shortfall_t - result.surplus_t == emissions - result.adjusted_allocation_t
    assert result.adjusted_allocation_t >= allocation
    assert result.shortfall_t >= 0
    assert result.surplus_t >= 0


# Verification gain --------------------------------------------------------------------------


def test_it_computes_the_allowance_gain_by_hand():
    # (105 000 − 100 000) + (120 000 − 118 000) = 5 000 + 2 000 = 7 000 t.
    gain = calc.allowance_gain(
        allocation_before_t=D("100000"),
        allocation_after_t=D("105000"),
        emissions_before_t=D("120000"),
        emissions_after_t=D("118000"),
    )
    assert (gain.allocation_change_t, gain.emissions_change_t, gain.gain_t) == (
        D("5000"),
        D("2000"),
        D("7000"),
    )


def test_it_splits_the_gain_by_cause_and_shows_what_is_unattributed():
    split = calc.gain_split(
        D("7000"),
        [
            ("measured_carbon", D("0"), D("1500")),
            ("heat_data", D("5000"), D("0")),
            ("measured_carbon", D("0"), D("300")),
        ],
        ["measured_carbon", "activity_data", "heat_data"],
    )
    shares = {s.cause: s.gain_t for s in split.shares}
    assert shares == {"measured_carbon": D("1800"), "activity_data": D(0), "heat_data": D("5000")}
    assert split.attributed_t == D("6800")
    assert split.unattributed_t == D("200")
