"""Reads of the allowance gain from verification (DOMAIN §6): the allocation before and after
comes from cross-verification (the units' preliminary and approved allocations), the emissions
before and after from the verification case; the gain is computed, never typed."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from enterprises.models import GeneratingUnit

from .. import calculations as calc


@dataclass(frozen=True)
class CaseAllocation:
    """An enterprise's allocation for a year as cross-verification has it so far."""

    units: int  # the enterprise's generating units
    preliminary_units: int  # ... with the bureau's preliminary allocation
    approved_units: int  # ... with an approved allocation
    preliminary_t: Decimal  # the sum so far
    approved_t: Decimal

    @property
    def before_t(self) -> Decimal | None:
        """The allocation before verification, once every unit has its preliminary one."""
        return self.preliminary_t if self.units and self.preliminary_units == self.units else None

    @property
    def after_t(self) -> Decimal | None:
        """The allocation after verification, once every unit's is approved."""
        return self.approved_t if self.units and self.approved_units == self.units else None


def allocation_totals(*, year: int) -> QuerySet:
    """Per enterprise with generating units: rows of `enterprise_id`, `units`,
    `preliminary_units`, `approved_units`, `preliminary_t`, `approved_t` for the year (one
    query; filter it on `enterprise_id`)."""
    of_year = Q(allocations__year=year)
    return (
        GeneratingUnit.objects.order_by()
        .values(enterprise_id=F("facility__enterprise_id"))
        .annotate(
            units=Count("pk", distinct=True),
            preliminary_units=Count(
                "allocations",
                filter=of_year & Q(allocations__preliminary_allocation_t__isnull=False),
            ),
            approved_units=Count(
                "allocations",
                filter=of_year & Q(allocations__approved_allocation_t__isnull=False),
            ),
            preliminary_t=Sum("allocations__preliminary_allocation_t", filter=of_year),
            approved_t=Sum("allocations__approved_allocation_t", filter=of_year),
        )
        .order_by("enterprise_id")
    )


def case_allocation(*, enterprise_id: int, year: int) -> CaseAllocation:
    row = allocation_totals(year=year).filter(facility__enterprise_id=enterprise_id).first()
    if row is None:
        return CaseAllocation(0, 0, 0, Decimal(0), Decimal(0))
    return CaseAllocation(
        units=row["units"],
        preliminary_units=row["preliminary_units"],
        approved_units=row["approved_units"],
        preliminary_t=row["preliminary_t"] or Decimal(0),
        approved_t=row["approved_t"] or Decimal(0),
    )


@dataclass(frozen=True)
class CaseGain:
    allocation: CaseAllocation
    gain: calc.AllowanceGain | None  # None until both allocations and both emissions are known
    split: calc.GainSplit | None  # the gain against the causes the case attributes it to


def case_gain(
    *,
    enterprise_id: int,
    year: int,
    emissions_before_t: Decimal | None,
    emissions_after_t: Decimal | None,
    components: Iterable[tuple[str, Decimal, Decimal]],
) -> CaseGain:
    """A verification case's gain: `emissions_before_t` is the reported emissions,
    `emissions_after_t` the final verified ones, `components` the (cause, allocation change,
    emissions change) the case attributes (one query)."""
    allocation = case_allocation(enterprise_id=enterprise_id, year=year)
    before, after = allocation.before_t, allocation.after_t
    if before is None or after is None or emissions_before_t is None or emissions_after_t is None:
        return CaseGain(allocation, None, None)
    gain = calc.allowance_gain(
        allocation_before_t=before,
        allocation_after_t=after,
        emissions_before_t=emissions_before_t,
        emissions_after_t=emissions_after_t,
    )
    return CaseGain(allocation, gain, calc.gain_split(gain.gain_t, components, ()))
