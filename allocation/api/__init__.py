"""The allocation API, one module per sub-domain, re-exported here: the calculators and the
compliance positions (`positions`), the cost ledger (`costs`)."""

from .costs import CostEntryDetailView, CostEntryListView, CostEntryReverseView
from .positions import (
    API_CATEGORIES,
    AllocationCalculatorView,
    CompliancePositionCalculatorView,
    PositionDetailView,
    PositionListView,
)

__all__ = [
    "API_CATEGORIES",
    "AllocationCalculatorView",
    "CompliancePositionCalculatorView",
    "CostEntryDetailView",
    "CostEntryListView",
    "CostEntryReverseView",
    "PositionDetailView",
    "PositionListView",
]
