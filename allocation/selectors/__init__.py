"""Reads of allocation, one module per sub-domain, re-exported here."""

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

__all__ = [
    "PARTIES",
    "CaseAllocation",
    "CaseGain",
    "FigureRow",
    "allocation_totals",
    "case_allocation",
    "case_gain",
    "figure_rows",
    "position_api_list",
    "position_list",
    "position_of",
    "position_years",
    "relief_detail",
    "relief_list",
    "rule_set_at_or_before",
    "rule_set_for_year",
    "rule_set_list",
    "rule_set_years",
    "rules_for_year",
    "unit_allocation_detail",
    "unit_allocation_list",
    "year_rules",
]
