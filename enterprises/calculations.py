"""Pure registry rules: no ORM, no request."""

from decimal import Decimal

from django.utils.translation import gettext as _

THRESHOLD_MW = Decimal("300")
COAL_FUELS = {"coal"}
UNCONVENTIONAL_FUELS = {"coal_gangue", "coal_slime", "coal_water_slurry"}
GAS_FUELS = {"natural_gas"}


def suggested_allocation_category(*, capacity_mw: Decimal, fuel: str) -> str:
    """The allocation category DOMAIN §4 implies for a unit's fuel and capacity.

    Exactly 300 MW belongs to "300 MW and below".
    """
    if fuel in GAS_FUELS:
        return "gas"
    if fuel in UNCONVENTIONAL_FUELS:
        return "unconventional_coal"
    return "coal_above_300" if capacity_mw > THRESHOLD_MW else "coal_300_and_below"


def category_problems(*, category: str, capacity_mw: Decimal | None, fuel: str) -> dict[str, str]:
    """Field-keyed messages for a unit whose category contradicts its fuel, size or cooling."""
    problems: dict[str, str] = {}
    if not category or capacity_mw is None or not fuel:
        return problems
    if category == "gas" and fuel not in GAS_FUELS:
        problems["main_fuel"] = _("A gas unit must burn natural gas.")
    elif category != "gas" and fuel in GAS_FUELS:
        problems["allocation_category"] = _(
            "A unit burning natural gas belongs to the gas category."
        )
    elif category == "unconventional_coal" and fuel in COAL_FUELS:
        problems["main_fuel"] = _(
            "Unconventional coal units burn coal gangue, coal slime or coal-water slurry."
        )
    elif category in {"coal_above_300", "coal_300_and_below"} and fuel in UNCONVENTIONAL_FUELS:
        problems["allocation_category"] = _(
            "A unit burning coal gangue, coal slime or coal-water slurry is unconventional coal."
        )
    elif category == "coal_above_300" and capacity_mw <= THRESHOLD_MW:
        problems["capacity_mw"] = _("Units of 300 MW or less belong to '300 MW and below'.")
    elif category == "coal_300_and_below" and capacity_mw > THRESHOLD_MW:
        problems["capacity_mw"] = _("Units above 300 MW belong to 'above 300 MW'.")
    return problems
