"""Reads of cross-verification: the three parties' figures side by side, with the flags."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from .. import calculations as calc
from ..models import (
    AllocationSettings,
    DiscrepancyComment,
    Party,
    PartyFigures,
    UnitAllocation,
    UnitAllocationChange,
)
from ..permissions import unit_allocations_for_user

PARTIES = (Party.BUREAU, Party.AGENCY, Party.ENTERPRISE)


def unit_allocation_list(user) -> QuerySet[UnitAllocation]:
    return unit_allocations_for_user(user).select_related("unit__facility__enterprise")


@dataclass
class FigureRow:
    """One figure across the parties: its values in PARTIES order, whether they differ by more
    than the tolerance, and the comments on it."""

    name: str
    label: str
    values: list[Decimal | str | None]
    displays: list[str]
    differs: bool
    comments: list[DiscrepancyComment] = field(default_factory=list)


def _display(figures: PartyFigures | None, name: str) -> str:
    if figures is None:
        return ""
    value = getattr(figures, name)
    if value is None:
        return "—"
    if isinstance(value, str):
        return str(getattr(figures, f"get_{name}_display")())
    return str(value)


def figure_rows(unit_allocation: UnitAllocation, tolerance: Decimal) -> list[FigureRow]:
    by_party = {f.party: f for f in unit_allocation.figures.all()}
    comments: dict[str, list[DiscrepancyComment]] = {}
    for comment in unit_allocation.comments.all():
        comments.setdefault(comment.field, []).append(comment)
    rows = []
    for name in PartyFigures.FIGURE_FIELDS:
        present = [by_party.get(party) for party in PARTIES]
        values = [getattr(f, name) if f is not None else None for f in present]
        entered = [value for f, value in zip(present, values, strict=True) if f is not None]
        rows.append(
            FigureRow(
                name=name,
                label=str(PartyFigures._meta.get_field(name).verbose_name),  # type: ignore[union-attr]
                values=values,
                displays=[_display(f, name) for f in present],
                differs=calc.figures_differ(entered, tolerance),
                comments=comments.get(name, []),
            )
        )
    return rows


def unit_allocation_detail(unit_allocation: UnitAllocation) -> dict:
    """The figures side by side, the steps, the comments, the tolerance."""
    unit_allocation = (
        UnitAllocation.objects.select_related("unit__facility__enterprise")
        .prefetch_related(
            Prefetch("figures", queryset=PartyFigures.objects.select_related("entered_by")),
            Prefetch("comments", queryset=DiscrepancyComment.objects.select_related("author")),
            Prefetch(
                "status_changes", queryset=UnitAllocationChange.objects.select_related("actor")
            ),
        )
        .get(pk=unit_allocation.pk)
    )
    tolerance = AllocationSettings.current().tolerance_ratio
    rows = figure_rows(unit_allocation, tolerance)
    by_party = {f.party: f for f in unit_allocation.figures.all()}
    return {
        "unit_allocation": unit_allocation,
        "parties": [(party, Party(party).label, by_party.get(party)) for party in PARTIES],
        "rows": rows,
        "flagged": [row for row in rows if row.differs],
        "tolerance": tolerance,
        "steps": list(unit_allocation.status_changes.all()),
    }
