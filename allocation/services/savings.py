"""The savings snapshot: what the bureau's measures gained each enterprise (t), what that saved
(yuan, at the year's valuation) and the enterprise's compliance cost from its ledger.

`savings_recompute(year=..., enterprise_ids=...)` reads every input of the year in seven
grouped queries (verification's gain components, the units' preliminary and approved
allocations, the granted reliefs, assistance's corrections, the ledger's sums by category, the
valuation, the listings), applies the formulas of `calculations` and replaces the year's rows
(of those enterprises, or all) in one transaction: no query per enterprise. On PostgreSQL it
holds a transaction-level advisory lock for the year, so a second run at the same time waits
and then writes the same rows again: running twice, or two at once, changes nothing.

`savings_run_start` is what the dashboard calls (a run with progress, the task on commit);
`queue_savings_recompute` what a write calls (one enterprise's figures, on commit).
"""

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from assistance import selectors as assistance
from baotou_carbon.core.years import FIRST_YEAR
from enterprises.models import KeyEmitterListing
from verification import selectors as verification

from .. import calculations as calc
from .. import tasks
from ..models import (
    ComplianceCost,
    CostEntry,
    ReliefApplication,
    ReliefKind,
    ReliefStatus,
    RunStatus,
    SavingsFigure,
    SavingsRun,
    UnitAllocation,
)
from ..selectors.costs import Valuation, valuations

logger = logging.getLogger(__name__)

TONNES: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=16, decimal_places=3)
# An arbitrary constant naming this lock among the application's advisory locks.
LOCK_NAMESPACE = 7_320_001
ZERO = Decimal(0)
RUN_GIVES_UP_AFTER = timedelta(minutes=40)  # longer than the task's hard time limit


def _only(queryset, path: str, ids: list[int] | None):
    return queryset if ids is None else queryset.filter(**{f"{path}__in": ids})


def savings_inputs(year: int, enterprise_ids: Iterable[int] | None = None) -> dict:
    """Every input of the year's savings and costs, by enterprise: grouped queries merged in
    memory (no query per enterprise). Returns {"gains": {id: MeasureGains}, "costs": {id:
    {category: yuan}}, "valuation": Valuation, "counts": {...}}."""
    ids = sorted(set(enterprise_ids)) if enterprise_ids is not None else None
    parts: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))

    for row in _only(verification.gain_components(year=year), "case__enterprise_id", ids):
        part = parts[row["enterprise_id"]]
        part["verification_allocation_t"] += row["allocation_change_t"] or ZERO
        part["verification_emissions_t"] += row["emissions_change_t"] or ZERO

    change = ExpressionWrapper(
        F("approved_allocation_t") - F("preliminary_allocation_t"), output_field=TONNES
    )
    for row in (
        _only(
            UnitAllocation.objects.filter(
                year=year,
                approved_allocation_t__isnull=False,
                preliminary_allocation_t__isnull=False,
            ),
            "unit__facility__enterprise_id",
            ids,
        )
        .order_by()
        .values(enterprise_id=F("unit__facility__enterprise_id"))
        .annotate(change_t=Sum(change))
    ):
        parts[row["enterprise_id"]]["allocation_change_t"] += row["change_t"] or ZERO

    for row in (
        _only(
            ReliefApplication.objects.filter(
                year=year, status=ReliefStatus.GRANTED, granted_t__isnull=False
            ),
            "enterprise_id",
            ids,
        )
        .order_by()
        .values("enterprise_id", "kind")
        .annotate(granted=Sum("granted_t"))
    ):
        key = "advance_t" if row["kind"] == ReliefKind.ADVANCE else "individual_t"
        parts[row["enterprise_id"]][key] += row["granted"] or ZERO

    for row in _only(assistance.corrections_by_enterprise(year=year), "enterprise_id", ids):
        parts[row["enterprise_id"]]["corrected_t"] += row["corrected_t"] or ZERO

    costs: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in (
        _only(CostEntry.objects.filter(year=year), "enterprise_id", ids)
        .order_by()
        .values("enterprise_id", "category")
        .annotate(total=Sum("amount_yuan"))
    ):
        costs[row["enterprise_id"]][row["category"]] = row["total"]

    listed = set(
        _only(KeyEmitterListing.objects.filter(year=year), "enterprise_id", ids).values_list(
            "enterprise_id", flat=True
        )
    )
    gains = {
        enterprise_id: calc.measure_gains(
            verification_allocation_t=part["verification_allocation_t"],
            verification_emissions_t=part["verification_emissions_t"],
            allocation_change_t=part["allocation_change_t"],
            advance_t=part["advance_t"],
            individual_t=part["individual_t"],
            corrected_t=part["corrected_t"],
        )
        for enterprise_id, part in parts.items()
    }
    return {
        "gains": gains,
        "costs": dict(costs),
        "listed": listed,
        "valuation": valuations([year])[year],
    }


def _digest(year: int, inputs: dict) -> dict:
    """What the snapshot was computed from: the price used and a digest of every input, so
    two runs over the same inputs can be seen to agree."""
    valuation: Valuation = inputs["valuation"]
    material = {
        "gains": {
            str(k): {m: str(v) for m, v in g.by_measure().items()}
            for k, g in sorted(inputs["gains"].items())
        },
        "costs": {
            str(k): {c: str(v) for c, v in sorted(c.items())}
            for k, c in sorted(inputs["costs"].items())
        },
        "price": str(valuation.yuan_per_t),
    }
    digest = hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()
    return {
        "year": year,
        "price_yuan_per_t": str(valuation.yuan_per_t) if valuation.price else None,
        "price_on": valuation.price_on.isoformat() if valuation.price_on else None,
        "valuation_chosen": valuation.chosen,
        "enterprises": len(set(inputs["gains"]) | set(inputs["costs"]) | inputs["listed"]),
        "digest": digest,
    }


def _lock_year(year: int) -> None:
    """Serialise recomputes of one year (PostgreSQL; SQLite serialises every write anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, year])


@transaction.atomic
def savings_recompute(*, year: int, enterprise_ids: Iterable[int] | None = None) -> dict:
    """Replace the year's savings figures and compliance costs (of the given enterprises, or
    all) from their inputs. Returns the inputs' stamp with the rows written."""
    ids = sorted(set(enterprise_ids)) if enterprise_ids is not None else None
    _lock_year(year)
    inputs = savings_inputs(year, ids)
    stamp = _digest(year, inputs)
    now = timezone.now()
    price = inputs["valuation"].yuan_per_t
    figures = [
        SavingsFigure(
            enterprise_id=enterprise_id,
            year=year,
            measure=measure,
            gain_t=calc.round_t(gain_t),
            price_yuan_per_t=price,
            price_on=inputs["valuation"].price_on,
            savings_yuan=calc.savings_yuan(calc.round_t(gain_t), price),
            computed_at=now,
            inputs_digest=stamp["digest"],
        )
        for enterprise_id, gains in inputs["gains"].items()
        for measure, gain_t in gains.by_measure().items()
        if gain_t
    ]
    saved: dict[int, Decimal] = defaultdict(Decimal)
    for figure in figures:
        saved[figure.enterprise_id] += figure.savings_yuan or ZERO
    costs = [
        ComplianceCost(
            enterprise_id=enterprise_id,
            year=year,
            by_category={k: str(v) for k, v in sorted(by_category.items())},
            cost_yuan=calc.compliance_cost(by_category).cost_yuan,
            savings_yuan=saved.get(enterprise_id, ZERO),
            computed_at=now,
            inputs_digest=stamp["digest"],
        )
        for enterprise_id, by_category in (
            (e, inputs["costs"].get(e, {}))
            for e in sorted(set(inputs["costs"]) | set(saved) | inputs["listed"])
        )
    ]
    scope = Q(year=year) if ids is None else Q(year=year, enterprise_id__in=ids)
    SavingsFigure.objects.filter(scope).delete()
    ComplianceCost.objects.filter(scope).delete()
    SavingsFigure.objects.bulk_create(figures, batch_size=1000)
    ComplianceCost.objects.bulk_create(costs, batch_size=1000)
    return {**stamp, "rows": len(figures) + len(costs)}


def savings_run_years(current: int) -> list[int]:
    """The years a bureau-wide run covers: every reporting year from the first to the
    current one."""
    return list(range(FIRST_YEAR, current + 1))


def queue_savings_recompute(*, years: Iterable[int], enterprise_ids: Iterable[int] | None) -> None:
    """After the caller's transaction commits, recompute the figures of the years whose inputs
    changed, of the given enterprises or (None) all: a thin task; without a broker it runs
    in-process."""
    ids = sorted(set(enterprise_ids)) if enterprise_ids is not None else None

    def queue(year: int) -> None:
        transaction.on_commit(lambda: tasks.recompute_savings.delay(year=year, enterprise_ids=ids))

    for year in sorted(set(years)):
        queue(year)


@transaction.atomic
def savings_run_start(*, actor, years: list[int] | None = None) -> SavingsRun:
    """A bureau-wide recompute the dashboard's user watches: the run row now, the task on
    commit. A run already queued or under way is returned instead of a second one."""
    pending = (
        SavingsRun.objects.select_for_update()
        .filter(
            enterprise__isnull=True,
            status__in=[RunStatus.QUEUED, RunStatus.RUNNING],
            # A run older than the task's time limit was lost (a worker killed): not waited on.
            created_at__gte=timezone.now() - RUN_GIVES_UP_AFTER,
        )
        .order_by("-created_at")
        .first()
    )
    if pending is not None:
        return pending
    chosen = years or savings_run_years(timezone.localdate().year)
    run = SavingsRun.objects.create(
        years=chosen, steps_total=len(chosen), requested_by=actor if actor else None
    )
    transaction.on_commit(lambda: tasks.run_savings_recompute.delay(run_id=run.pk))
    return run


def savings_run_execute(run_id: int) -> SavingsRun | None:
    """Carry out a queued run, year by year, recording the progress after each; idempotent
    (a finished run is left as it is; a run another worker holds is skipped)."""
    with transaction.atomic():
        run = (
            SavingsRun.objects.select_for_update(skip_locked=True)
            .filter(pk=run_id, status=RunStatus.QUEUED)
            .first()
        )
        if run is None:
            return SavingsRun.objects.filter(pk=run_id).first()
        run.status, run.started_at = RunStatus.RUNNING, timezone.now()
        run.save(update_fields=["status", "started_at"])
    stamps: dict[str, dict] = {}
    rows = 0
    try:
        for done, year in enumerate(run.years, start=1):
            stamp = savings_recompute(year=year)
            rows += stamp.pop("rows")
            stamps[str(year)] = stamp
            SavingsRun.objects.filter(pk=run.pk).update(steps_done=done, rows_written=rows)
    except Exception as error:
        SavingsRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        logger.exception("Savings recompute %s failed", run.pk)
        raise
    SavingsRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE,
        inputs=stamps,
        steps_done=len(run.years),
        rows_written=rows,
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run
