"""Reads of allocation, one module per sub-domain, re-exported here."""

from .costs import (
    Valuation,
    YearTotals,
    compliance_costs,
    cost_entry_detail,
    cost_entry_list,
    cost_totals,
    latest_run,
    price_list,
    savings_figures,
    savings_years,
    valuation,
    valuations,
)
from .cross_check import (
    PARTIES,
    FigureRow,
    figure_rows,
    unit_allocation_detail,
    unit_allocation_list,
)
from .gains import CaseAllocation, CaseGain, allocation_totals, case_allocation, case_gain
from .positions import position_list, position_of, position_years
from .relief import relief_detail, relief_list
from .rules import (
    rule_set_at_or_before,
    rule_set_for_year,
    rule_set_list,
    rule_set_years,
    rules_for_year,
    year_rules,
)

__all__ = [
    "PARTIES",
    "CaseAllocation",
    "CaseGain",
    "FigureRow",
    "Valuation",
    "YearTotals",
    "allocation_totals",
    "case_allocation",
    "case_gain",
    "compliance_costs",
    "cost_entry_detail",
    "cost_entry_list",
    "cost_totals",
    "figure_rows",
    "latest_run",
    "position_list",
    "position_of",
    "position_years",
    "price_list",
    "relief_detail",
    "relief_list",
    "rule_set_at_or_before",
    "rule_set_for_year",
    "rule_set_list",
    "rule_set_years",
    "rules_for_year",
    "savings_figures",
    "savings_years",
    "unit_allocation_detail",
    "unit_allocation_list",
    "valuation",
    "valuations",
    "year_rules",
]
