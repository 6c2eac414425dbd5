"""Writes of allocation, one module per sub-domain: every one atomic, validated and attributed
to its actor; side effects queued on commit."""

from .costs import (
    CostRow,
    carbon_price_delete,
    carbon_price_save,
    cost_document_add,
    cost_entries_import,
    cost_entry_create,
    cost_entry_reverse,
    signed_amount,
    year_valuation_set,
)
from .cross_check import (
    discrepancy_comment_add,
    party_figures_save,
    unit_allocation_advance,
    unit_allocation_create,
    unit_allocations_open,
)
from .positions import (
    allocation_settings_update,
    positions_recompute,
    projected_positions_recompute,
    queue_position_recompute,
    recent_position_years,
    surrender_record_save,
)
from .relief import (
    relief_create,
    relief_decide,
    relief_document_add,
    relief_forward,
    relief_precheck,
    relief_return,
    relief_submit,
    relief_update,
    relief_withdraw,
)
from .rules import rule_set_copy, rule_set_update
from .savings import (
    queue_savings_recompute,
    savings_inputs,
    savings_recompute,
    savings_run_execute,
    savings_run_start,
    savings_years,
)

__all__ = [
    "CostRow",
    "allocation_settings_update",
    "carbon_price_delete",
    "carbon_price_save",
    "cost_document_add",
    "cost_entries_import",
    "cost_entry_create",
    "cost_entry_reverse",
    "discrepancy_comment_add",
    "party_figures_save",
    "positions_recompute",
    "projected_positions_recompute",
    "queue_position_recompute",
    "queue_savings_recompute",
    "recent_position_years",
    "relief_create",
    "relief_decide",
    "relief_document_add",
    "relief_forward",
    "relief_precheck",
    "relief_return",
    "relief_submit",
    "relief_update",
    "relief_withdraw",
    "rule_set_copy",
    "rule_set_update",
    "savings_inputs",
    "savings_recompute",
    "savings_run_execute",
    "savings_run_start",
    "savings_years",
    "signed_amount",
    "surrender_record_save",
    "unit_allocation_advance",
    "unit_allocation_create",
    "unit_allocations_open",
    "year_valuation_set",
]
