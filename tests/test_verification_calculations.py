"""Emission accounting, allowance gain and working days, worked by hand (no database)."""

from datetime import date
from decimal import Decimal

import pytest

from verification import calculations as calc

D = Decimal
PARAMS_2022 = calc.YearParameters(
    year=2022,
    default_carbon_content={"coal": D("0.03085")},
    oxidation_rate={"coal": D("0.99")},
    grid_factor=D("0.5703"),
)


def coal(consumption, ncv, cc=None) -> calc.FuelInput:
    return calc.FuelInput("coal", D(consumption), D(ncv), None if cc is None else D(cc))


def test_it_pins_the_co2_to_carbon_ratio_at_28_digits():
    assert D(44) / D(12) == D("3.666666666666666666666666667")
    assert str(calc.CO2_PER_CARBON) == "3.666666666666666666666666667"


def test_it_computes_a_measured_coal_line_by_hand():
    # 1000 t × 20 GJ/t = 20 000 GJ; × 0.03 tC/GJ × 0.99 = 594 tC; × 44/12 = 2 178 tCO2.
    line = calc.fuel_emissions(coal("1000", "20", "0.03"), PARAMS_2022)
    assert line.heat_gj == D("20000")
    assert line.carbon_t == D("594.0000")
    assert line.carbon_content_measured is True
    assert calc.round_t(line.emissions_t) == D("2178.000")


def test_it_applies_the_years_default_when_carbon_was_not_measured():
    # 20 000 GJ × 0.03085 × 0.99 = 610.83 tC; 610.83 × 44 / 12 = 26 876.52 / 12 = 2 239.71 t.
    line = calc.fuel_emissions(coal("1000", "20"), PARAMS_2022)
    assert line.carbon_content_tc_per_gj == D("0.03085")
    assert line.carbon_content_measured is False
    assert line.carbon_t == D("610.8300")
    assert calc.round_t(line.emissions_t) == D("2239.710")


def test_it_adds_purchased_electricity_times_the_grid_factor():
    # 100 MWh × 0.5703 = 57.03 t; total 2 178 + 57.03 = 2 235.03 t.
    result = calc.emissions(
        params=PARAMS_2022, fuels=[coal("1000", "20", "0.03")], purchased_mwh=D("100")
    )
    assert result.indirect_t == D("57.0300")
    assert calc.round_t(result.combustion_t) == D("2178.000")
    assert calc.round_t(result.total_t) == D("2235.030")


def test_it_rounds_only_at_presentation():
    # 1 t × 1 GJ/t × 0.01 × 1 × 44/12 = 0.0366…: unrounded inside, 0.037 when shown.
    params = calc.YearParameters(2022, {}, {"coal": D("1")}, None)
    line = calc.fuel_emissions(coal("1", "1", "0.01"), params)
    assert line.emissions_t == D("0.03666666666666666666666666667")
    assert calc.round_t(line.emissions_t) == D("0.037")
    assert calc.round_t(D("0.0005")) == D("0.001")  # half up


def test_it_sums_several_months_and_reports_the_measured_share():
    # Month 1 measured (2 178 t), month 2 default (2 239.71 t): 4 417.71 t; half the heat measured.
    result = calc.emissions(
        params=PARAMS_2022, fuels=[coal("1000", "20", "0.03"), coal("1000", "20")]
    )
    assert calc.round_t(result.total_t) == D("4417.710")
    assert result.measured_share == D("0.5")


def test_it_refuses_a_fuel_without_a_default_when_not_measured():
    with pytest.raises(calc.MissingParameter) as raised:
        calc.fuel_emissions(
            calc.FuelInput("coal_gangue", D("1"), D("10"), None),
            calc.YearParameters(2022, {}, {"coal_gangue": D("0.98")}, None),
        )
    assert raised.value.kind == "default_carbon_content"


def test_it_refuses_purchased_electricity_without_a_grid_factor():
    with pytest.raises(calc.MissingParameter):
        calc.electricity_emissions(D("1"), calc.YearParameters(2030))
    assert calc.electricity_emissions(D("0"), calc.YearParameters(2030)).emissions_t == 0


def test_it_adds_conservative_estimates_to_verified_emissions():
    # 118 000 + 150 + 50.5 = 118 200.5
    assert calc.final_verified_emissions(D("118000"), [D("150"), D("50.5")]) == D("118200.5")


# Working days -------------------------------------------------------------------------------

# National Day 2024: 1–7 October off; Sunday 29 September and Saturday 12 October worked.
NATIONAL_DAY_2024 = {date(2024, 10, d) for d in range(1, 8)}
WORKED_2024 = {date(2024, 9, 29), date(2024, 10, 12)}


def test_it_counts_working_days_over_a_plain_weekend():
    # Friday 2024-09-06 + 7 working days: Mon 9 … Fri 13 (5), Mon 16, Tue 17 → 2024-09-17.
    # (The Mid-Autumn holiday is not in this calendar.)
    assert calc.add_working_days(
        date(2024, 9, 6), 7, holidays=set(), working_weekend_days=set()
    ) == date(2024, 9, 17)


def test_it_skips_a_holiday_and_counts_an_adjusted_working_weekend():
    # Notified Friday 2024-09-27. Working days after it: Sun 29 Sep (adjusted, 1), Mon 30 (2),
    # 1–7 Oct holiday, Tue 8 (3), Wed 9 (4), Thu 10 (5), Fri 11 (6), Sat 12 (adjusted, 7).
    deadline = calc.add_working_days(
        date(2024, 9, 27), 7, holidays=NATIONAL_DAY_2024, working_weekend_days=WORKED_2024
    )
    assert deadline == date(2024, 10, 12)


def test_it_gives_the_re_review_ten_working_days_across_the_holiday():
    # Objection lodged Mon 2024-09-30. 1–7 Oct off; Tue 8 (1) … Fri 11 (4), Sat 12 (5),
    # Mon 14 (6) … Fri 18 (10).
    deadline = calc.add_working_days(
        date(2024, 9, 30), 10, holidays=NATIONAL_DAY_2024, working_weekend_days=WORKED_2024
    )
    assert deadline == date(2024, 10, 18)


def test_it_refuses_negative_working_days():
    with pytest.raises(ValueError):
        calc.add_working_days(date(2024, 1, 1), -1, holidays=set(), working_weekend_days=set())
