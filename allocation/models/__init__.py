"""Allocation models, one module per sub-domain, re-exported here."""

from .cross_check import (
    CrossCheckStatus,
    DiscrepancyComment,
    Party,
    PartyFigures,
    UnitAllocation,
    UnitAllocationChange,
)
from .positions import (
    AllocationSettings,
    CompliancePosition,
    PositionBasis,
    PositionStatus,
    SurrenderRecord,
)
from .relief import (
    DECIDED,
    ReliefApplication,
    ReliefDocument,
    ReliefKind,
    ReliefStatus,
    ReliefStatusChange,
)
from .rules import AllocationBasis, Benchmark, RuleSet

__all__ = [
    "DECIDED",
    "AllocationBasis",
    "AllocationSettings",
    "Benchmark",
    "CompliancePosition",
    "CrossCheckStatus",
    "DiscrepancyComment",
    "Party",
    "PartyFigures",
    "PositionBasis",
    "PositionStatus",
    "ReliefApplication",
    "ReliefDocument",
    "ReliefKind",
    "ReliefStatus",
    "ReliefStatusChange",
    "RuleSet",
    "SurrenderRecord",
    "UnitAllocation",
    "UnitAllocationChange",
]
