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
