"""Reads of allocation, one module per sub-domain, re-exported here."""

from .costs import (
    Valuation,
    YearTotals,
    cost_entry_detail,
    cost_entry_list,
    cost_totals,
    price_list,
    savings_runs,
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
from .positions import position_api_list, position_list, position_of, position_years
from .relief import relief_detail, relief_list
from .rules import (
    rule_set_at_or_before,
    rule_set_for_year,
    rule_set_list,
    rule_set_years,
    rules_for_year,
    year_rules,
)
from .savings import (
    SHORTFALL_BUCKETS,
    SavingsBreakdown,
    position_counts,
    relief_counts,
    savings_breakdown,
    savings_rows,
    top_savings_enterprises,
)

__all__ = [
    "PARTIES",
    "SHORTFALL_BUCKETS",
    "CaseAllocation",
    "CaseGain",
    "FigureRow",
    "SavingsBreakdown",
    "Valuation",
    "YearTotals",
    "allocation_totals",
    "case_allocation",
    "case_gain",
    "cost_entry_detail",
    "cost_entry_list",
    "cost_totals",
    "figure_rows",
    "position_api_list",
    "position_counts",
    "position_list",
    "position_of",
    "position_years",
    "price_list",
    "relief_counts",
    "relief_detail",
    "relief_list",
    "rule_set_at_or_before",
    "rule_set_for_year",
    "rule_set_list",
    "rule_set_years",
    "rules_for_year",
    "savings_breakdown",
    "savings_rows",
    "savings_runs",
    "savings_years",
    "top_savings_enterprises",
    "unit_allocation_detail",
    "unit_allocation_list",
    "valuation",
    "valuations",
    "year_rules",
]
