"""Compliance positions: recomputed for a whole year from their inputs, never typed.

`positions_recompute(year=...)` reads every input of the year's enterprises in six grouped
queries over the year's rows (the unit allocations, verification's final verified emissions,
the units, the surrender records, the granted advances, the listings), applies the one formula
(`calculations.compliance_position`) and writes every row in one upsert (batches of 1,000). It holds a row lock on the allocation settings while it runs, so a second run at
the same time waits and then writes the same rows again: running twice changes nothing.
`queue_position_recompute` is what a write calls: the task, on commit.
"""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import (
    Count,
    DecimalField,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from baotou_carbon.core.audit import save_audited, update_audited
from enterprises.models import (
    AllocationCategory,
    Enterprise,
    GeneratingUnit,
    KeyEmitterListing,
    OperatingMode,
)
from verification import selectors as verification

from .. import calculations as calc
from .. import selectors, tasks
from ..models import (
    AllocationSettings,
    CompliancePosition,
    CrossCheckStatus,
    PositionBasis,
    PositionStatus,
    ReliefApplication,
    ReliefKind,
    ReliefStatus,
    SurrenderRecord,
    UnitAllocation,
)

TONNES: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=16, decimal_places=3)
ZERO_T = Value(Decimal(0), output_field=TONNES)
UPDATED_FIELDS = [
    "status",
    "allocation_t",
    "allocation_final",
    "verified_emissions_t",
    "gas_only",
    "gap_cap_top_up_t",
    "gas_exemption_top_up_t",
    "adjusted_allocation_t",
    "shortfall_t",
    "surplus_t",
    "shortfall_ratio",
    "advance_eligible",
    "advance_max_t",
    "advance_granted_t",
    "ccer_cap_t",
    "ccer_used_t",
    "banked_t",
    "surrendered_t",
    "deadline",
    "computed_at",
    "inputs",
]


def queue_position_recompute(*, year: int, enterprise_ids: Iterable[int] | None = None) -> None:
    """After the caller's transaction commits, recompute the year's positions (of the given
    enterprises, or all) in a Celery task; without a broker the task runs in-process."""
    ids = sorted(set(enterprise_ids)) if enterprise_ids is not None else None
    transaction.on_commit(lambda: tasks.recompute_positions.delay(year=year, enterprise_ids=ids))


def _only(queryset: QuerySet, path: str, enterprise_ids: list[int] | None) -> QuerySet:
    return (
        queryset if enterprise_ids is None else queryset.filter(**{f"{path}__in": enterprise_ids})
    )


def position_inputs(year: int, enterprise_ids: Iterable[int] | None = None) -> list[dict]:
    """Every enterprise concerned by the year (listed, or with allocation data or a final
    verification), with each input of its position: six grouped queries over the year's rows,
    merged by enterprise (no query per enterprise, no correlated subquery)."""
    ids = sorted(set(enterprise_ids)) if enterprise_ids is not None else None
    enterprise = "unit__facility__enterprise_id"
    allocations = {
        row["enterprise"]: row
        for row in _only(UnitAllocation.objects.filter(year=year), enterprise, ids)
        .order_by()
        .values(enterprise=F(enterprise))
        .annotate(
            allocation_sum=Sum(
                Coalesce("approved_allocation_t", "preliminary_allocation_t", ZERO_T)
            ),
            unit_count=Count("pk"),
            valued_count=Count(
                "pk",
                filter=Q(approved_allocation_t__isnull=False)
                | Q(preliminary_allocation_t__isnull=False),
            ),
            approved_count=Count("pk", filter=Q(status=CrossCheckStatus.APPROVED)),
        )
    }
    verified = {
        row["enterprise_id"]: row["final_t"]
        for row in _only(verification.final_verified_emissions(year=year), "enterprise_id", ids)
    }
    units = {
        row["enterprise"]: row
        for row in _only(GeneratingUnit.objects.all(), "facility__enterprise_id", ids)
        .order_by()
        .values(enterprise=F("facility__enterprise_id"))
        .annotate(
            units=Count("pk"),
            other_units=Count("pk", filter=~Q(allocation_category=AllocationCategory.GAS)),
        )
    }
    surrender = {
        row["enterprise_id"]: row
        for row in _only(SurrenderRecord.objects.filter(year=year), "enterprise_id", ids).values(
            "enterprise_id", "surrendered_t", "ccer_used_t", "banked_t"
        )
    }
    granted = dict(
        _only(
            ReliefApplication.objects.filter(
                year=year, kind=ReliefKind.ADVANCE, status=ReliefStatus.GRANTED
            ),
            "enterprise_id",
            ids,
        )
        .order_by()
        .values("enterprise_id")
        .annotate(total=Sum("granted_t"))
        .values_list("enterprise_id", "total")
    )
    listed = set(
        _only(KeyEmitterListing.objects.filter(year=year), "enterprise_id", ids).values_list(
            "enterprise_id", flat=True
        )
    )
    rows = []
    for pk in sorted(listed | set(allocations) | set(verified)):
        allocation = allocations.get(pk, {})
        unit = units.get(pk, {})
        record = surrender.get(pk, {})
        rows.append(
            {
                "pk": pk,
                "allocation_sum": allocation.get("allocation_sum"),
                "unit_count": allocation.get("unit_count", 0),
                "valued_count": allocation.get("valued_count", 0),
                "approved_count": allocation.get("approved_count", 0),
                "verified_t": verified.get(pk),
                "has_units": bool(unit.get("units")),
                "has_other_units": bool(unit.get("other_units")),
                "surrendered": record.get("surrendered_t"),
                "ccer_used": record.get("ccer_used_t"),
                "banked": record.get("banked_t"),
                "advance_granted": granted.get(pk),
            }
        )
    return rows


def _lock() -> None:
    """Serialise recomputes: a row lock on the settings row (created by a migration) until
    the transaction ends; a second run waits here."""
    AllocationSettings.current()
    AllocationSettings.objects.select_for_update().get(pk=1)


def _set_result(position: CompliancePosition, result: calc.Position) -> None:
    """The formula's figures on the row, rounded as stored (3 places of tonnes)."""
    t = calc.round_t
    position.gap_cap_top_up_t = t(result.gap_cap_top_up_t)
    position.gas_exemption_top_up_t = t(result.gas_exemption_top_up_t)
    position.adjusted_allocation_t = t(result.adjusted_allocation_t)
    position.shortfall_t = t(result.shortfall_t)
    position.surplus_t = t(result.surplus_t)
    ratio = result.shortfall_ratio
    position.shortfall_ratio = calc.round_ratio(ratio) if ratio is not None else None
    position.advance_eligible = result.advance_eligible
    position.advance_max_t = t(result.advance_max_t)
    position.ccer_cap_t = t(result.ccer_max_t)


def allocation_known(row: dict) -> bool:
    """Every unit with allocation data for the year has an allocation figure (approved, or
    at least preliminary): a unit without one would count as zero and overstate a shortfall."""
    return bool(row["unit_count"]) and row["valued_count"] == row["unit_count"]


def position_for(row: dict, rules: calc.YearRules | None, *, year: int, deadline, now: datetime):
    """One enterprise's position from its inputs row (see position_inputs)."""
    zero = calc.ZERO
    allocation = row["allocation_sum"] if allocation_known(row) else None
    verified = row["verified_t"]
    gas_only = bool(row["has_units"] and not row["has_other_units"])
    surrendered = row["surrendered"] or zero
    ccer_used = row["ccer_used"] or zero
    position = CompliancePosition(
        enterprise_id=row["pk"],
        year=year,
        basis=PositionBasis.VERIFIED,
        allocation_t=allocation,
        allocation_final=bool(row["unit_count"]) and row["approved_count"] == row["unit_count"],
        verified_emissions_t=verified,
        gas_only=gas_only,
        advance_granted_t=row["advance_granted"] or zero,
        surrendered_t=surrendered,
        ccer_used_t=ccer_used,
        banked_t=row["banked"] or zero,
        deadline=deadline,
        computed_at=now,
        status=PositionStatus.PENDING,
        inputs={
            "rule_set_year": rules.year if rules else None,
            "units": row["unit_count"] or 0,
            "units_approved": row["approved_count"] or 0,
            "verified_emissions": str(verified) if verified is not None else None,
        },
    )
    if allocation is None or verified is None or rules is None:
        return position
    result = calc.compliance_position(
        rules, allocation_t=allocation, verified_emissions_t=verified, gas_only=gas_only
    )
    _set_result(position, result)
    if surrendered + ccer_used >= verified:
        position.status = PositionStatus.COMPLIED
    elif result.shortfall_t > 0:
        position.status = PositionStatus.SHORTFALL
    else:
        position.status = PositionStatus.SURPLUS
    return position


@transaction.atomic
def positions_recompute(
    *, year: int, enterprise_ids: Iterable[int] | None = None, now: datetime | None = None
) -> int:
    """Recompute the year's verified-emissions positions (all, or the given enterprises'):
    how many rows were written. Idempotent; concurrent runs wait for each other."""
    _lock()
    now = now or timezone.now()
    rule_set = selectors.rule_set_for_year(year)
    rules = selectors.year_rules(rule_set) if rule_set else None
    deadline = rule_set.surrender_deadline if rule_set else None
    ids = list(enterprise_ids) if enterprise_ids is not None else None
    positions = [
        position_for(row, rules, year=year, deadline=deadline, now=now)
        for row in position_inputs(year, ids)
    ]
    CompliancePosition.objects.bulk_create(
        positions,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["enterprise", "year", "basis"],
        update_fields=UPDATED_FIELDS,
    )
    # An enterprise no longer concerned by the year keeps no stale position.
    stale = CompliancePosition.objects.filter(year=year, basis=PositionBasis.VERIFIED).exclude(
        enterprise_id__in=[p.enterprise_id for p in positions]
    )
    if ids is not None:
        stale = stale.filter(enterprise_id__in=ids)
    stale.delete()
    return len(positions)


@transaction.atomic
def surrender_record_save(*, enterprise: Enterprise, year: int, actor, **fields) -> SurrenderRecord:
    """Record (or correct) what an enterprise surrendered, offset and banked for a year."""
    record = (
        SurrenderRecord.objects.select_for_update().filter(enterprise=enterprise, year=year).first()
    )
    if record is None:
        record = save_audited(
            SurrenderRecord(enterprise=enterprise, year=year, recorded_by=actor, **fields),
            actor=actor,
        )
    else:
        update_audited(record, fields={**fields, "recorded_by": actor}, actor=actor)
    queue_position_recompute(year=year, enterprise_ids=[enterprise.pk])
    return record


def recent_position_years(current: int) -> list[int]:
    """The years the nightly recompute covers: those with a rule set, from two years before
    `current` up to it (a compliance period's deadline falls after its years end)."""
    return [year for year in selectors.rule_set_years() if current - 2 <= year <= current]


# Early warning: positions projected from the monthly evidence ------------------------------

# GJ of heat per MWh of electricity, to weigh heat against power in the heat-supply ratio.
GJ_PER_MWH = Decimal("3.6")


def _projected_units(units: list[dict], rules: calc.YearRules, ytd, scale: Decimal) -> list:
    """The enterprise's units with the year's evidence extrapolated to twelve months and shared
    out by capacity (the evidence is kept per enterprise): the calculator's inputs."""
    electricity = (
        ytd.supply_mwh if rules.basis == calc.Basis.SUPPLIED else ytd.generation_mwh
    ) * scale
    heat = ytd.heat_gj * scale
    generated = ytd.generation_mwh * scale
    ratio = heat / (heat + generated * GJ_PER_MWH) if heat else calc.ZERO
    capacity = sum((u["capacity_mw"] for u in units), calc.ZERO)
    return [
        calc.UnitInput(
            category=u["allocation_category"],
            cooling=u["cooling"],
            electricity_mwh=electricity * u["capacity_mw"] / capacity,
            heat_gj=heat * u["capacity_mw"] / capacity,
            heat_ratio=ratio,
            load_factor=ytd.load_factor,
            chp=u["operating_mode"] == OperatingMode.CHP,
        )
        for u in units
    ]


@transaction.atomic
def projected_positions_recompute(*, year: int, now: datetime | None = None) -> int:
    """Project the year's positions from the monthly evidence received so far: emissions and
    electricity extrapolated to twelve months, allocated under the year's rule set (or, until
    it is published, the latest earlier one, named in each row's inputs). How many rows."""
    _lock()
    now = now or timezone.now()
    rule_set = selectors.rule_set_at_or_before(year)
    year_to_date = verification.evidence_year_to_date(year)
    units: dict[int, list[dict]] = {}
    for unit in GeneratingUnit.objects.filter(
        facility__enterprise_id__in=list(year_to_date)
    ).values(
        "facility__enterprise_id", "allocation_category", "capacity_mw", "cooling", "operating_mode"
    ):
        units.setdefault(unit["facility__enterprise_id"], []).append(dict(unit))
    rules = selectors.year_rules(rule_set) if rule_set else None
    positions = []
    for enterprise_id, ytd in year_to_date.items():
        position = CompliancePosition(
            enterprise_id=enterprise_id,
            year=year,
            basis=PositionBasis.PROJECTED,
            status=PositionStatus.PENDING,
            deadline=rule_set.surrender_deadline if rule_set and rule_set.year == year else None,
            computed_at=now,
            inputs={
                "months": ytd.months,
                "rule_set_year": rule_set.year if rule_set else None,
                "parameters_year": ytd.parameters_year,
                "method": "year-to-date x 12 / months",
            },
        )
        positions.append(position)
        if rules is None or not units.get(enterprise_id) or not ytd.months:
            continue
        scale = Decimal(12) / ytd.months
        try:
            allocation = calc.total_allocation(
                [
                    calc.unit_allocation(rules, unit)
                    for unit in _projected_units(units[enterprise_id], rules, ytd, scale)
                ]
            )
        except (calc.MissingInput, calc.MissingRule):
            continue
        emissions = ytd.emissions_t * scale
        gas_only = all(
            u["allocation_category"] == AllocationCategory.GAS for u in units[enterprise_id]
        )
        result = calc.compliance_position(
            rules, allocation_t=allocation, verified_emissions_t=emissions, gas_only=gas_only
        )
        position.allocation_t = calc.round_t(allocation)
        position.verified_emissions_t = calc.round_t(emissions)
        position.gas_only = gas_only
        _set_result(position, result)
        position.status = (
            PositionStatus.SHORTFALL if result.shortfall_t > 0 else PositionStatus.SURPLUS
        )
    CompliancePosition.objects.bulk_create(
        positions,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["enterprise", "year", "basis"],
        update_fields=UPDATED_FIELDS,
    )
    CompliancePosition.objects.filter(year=year, basis=PositionBasis.PROJECTED).exclude(
        enterprise_id__in=list(year_to_date)
    ).delete()
    return len(positions)


@transaction.atomic
def allocation_settings_update(*, actor, **fields) -> AllocationSettings:
    return update_audited(AllocationSettings.current(), fields=fields, actor=actor)
