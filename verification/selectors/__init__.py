"""Reads for verification: querysets shaped for their pages, parameters turned into values.

One module per sub-domain: reference data, cases, monthly evidence, annual reports."""

from .cases import (
    NOTIFIED_STATES,
    CaseFigures,
    case_checklist_complete,
    case_detail,
    case_figures,
    case_history,
    case_list,
    case_open_findings,
    gain_by_cause,
    gain_total,
    objection_deadline,
    re_review_deadline,
)
from .evidence import (
    BoardCell,
    BoardRow,
    board_years,
    evidence_board,
    evidence_deadlines_for,
    evidence_detail,
    obliged_enterprises,
)
from .reference import (
    Calendar,
    calendar_around,
    parameter_list,
    parameter_rows,
    template_items_prefetch,
    year_parameters,
)
from .reports import (
    UnitEmissions,
    report_compare,
    report_detail,
    report_emissions,
    report_units,
    report_values,
    unit_label,
)

__all__ = [
    "NOTIFIED_STATES",
    "BoardCell",
    "BoardRow",
    "Calendar",
    "CaseFigures",
    "UnitEmissions",
    "board_years",
    "calendar_around",
    "case_checklist_complete",
    "case_detail",
    "case_figures",
    "case_history",
    "case_list",
    "case_open_findings",
    "evidence_board",
    "evidence_deadlines_for",
    "evidence_detail",
    "gain_by_cause",
    "gain_total",
    "objection_deadline",
    "obliged_enterprises",
    "parameter_list",
    "parameter_rows",
    "re_review_deadline",
    "report_compare",
    "report_detail",
    "report_emissions",
    "report_units",
    "report_values",
    "template_items_prefetch",
    "unit_label",
    "year_parameters",
]
