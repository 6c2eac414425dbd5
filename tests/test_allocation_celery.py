"""The position recompute on a REAL Celery worker with a real Redis broker (see conftest's
`celery_worker_app`): queued as a task, run by the worker against the committed rows, and run
twice (a duplicate delivery) without doubling anything."""

from decimal import Decimal

import pytest

from allocation.models import CompliancePosition, PositionStatus
from allocation.tasks import recompute_positions
from verification.models import CaseStatus

from .factories import (
    EnterpriseFactory,
    FacilityFactory,
    UnitAllocationFactory,
    UnitFactory,
    VerificationCaseFactory,
)


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_it_recomputes_positions_through_a_real_worker(seeded_rule_sets, celery_worker_app):
    enterprise = EnterpriseFactory.create()
    UnitAllocationFactory.create(
        unit=UnitFactory.create(facility=FacilityFactory.create(enterprise=enterprise)),
        year=2022,
        status="approved",
        approved_allocation_t=Decimal("850"),
    )
    VerificationCaseFactory.create(
        enterprise=enterprise,
        year=2022,
        status=CaseStatus.CONCLUDED,
        verified_emissions_t=Decimal("1000"),
    )
    first = recompute_positions.delay(year=2022)
    assert first.get(timeout=30) == 1
    again = recompute_positions.delay(year=2022, enterprise_ids=[enterprise.pk])
    assert again.get(timeout=30) == 1
    row = CompliancePosition.objects.get()
    assert (row.enterprise_id, row.shortfall_t, row.status) == (
        enterprise.pk,
        Decimal("150"),
        PositionStatus.SHORTFALL,
    )
    assert row.shortfall_ratio == Decimal("0.15")
    assert row.advance_eligible and row.advance_max_t == Decimal("75")


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_it_runs_the_savings_recompute_through_a_real_worker(seeded_rule_sets, celery_worker_app):
    from allocation.models import RunStatus, SavingsFigure, SavingsRun
    from allocation.tasks import run_savings_recompute

    from .factories import GainComponentFactory

    enterprise = EnterpriseFactory.create()
    GainComponentFactory.create(
        case=VerificationCaseFactory.create(enterprise=enterprise, year=2022),
        allocation_change_t=Decimal("0"),
        emissions_change_t=Decimal("1000"),
    )
    run = SavingsRun.objects.create(years=[2022], steps_total=1)
    assert run_savings_recompute.delay(run_id=run.pk).get(timeout=30) == RunStatus.DONE
    # Delivered again (a retry, a duplicate): the finished run is left as it is.
    assert run_savings_recompute.delay(run_id=run.pk).get(timeout=30) == RunStatus.DONE
    run.refresh_from_db()
    assert (run.steps_done, run.rows_written, run.inputs["2022"]["price_yuan_per_t"]) == (
        1,
        2,
        "79.42",
    )
    figure = SavingsFigure.objects.get()
    assert (figure.gain_t, figure.savings_yuan) == (Decimal("1000.000"), Decimal("79420.00"))
