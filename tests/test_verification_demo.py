"""The verification demo: 2022 cases whose allowance gains add up to exactly 118,770 t."""

import io
from decimal import Decimal

import pytest

from baotou_carbon.accounts import demo as login_demo
from baotou_carbon.accounts.roles import Role
from enterprises import demo as enterprise_demo
from verification import demo
from verification.models import (
    CaseStatus,
    CaseTransition,
    Finding,
    GainComponent,
    Holiday,
    Objection,
    VerificationCase,
)
from verification.selectors import gain_by_cause, gain_total

from .factories import UserFactory

# The story seen from after its end: the evidence then runs to May 2024 (the calendar-relative
# properties are test_seed_demo's, on several days).
pytestmark = pytest.mark.date_sensitive(today="2024-06-01")


@pytest.fixture
def seeded(db):
    admin = UserFactory.create(username="admin", role=Role.ADMINISTRATOR)
    UserFactory.create(username="staff", role=Role.BUREAU_STAFF)
    out = io.StringIO()
    enterprise_demo.seed(actor=admin, password="x-demo-password", stdout=out)
    login_demo.seed(actor=admin, password="x-demo-password", stdout=out)
    demo.seed(actor=admin, password="x-demo-password", stdout=out)
    return admin


def test_it_adds_the_declared_gains_to_exactly_118770_t():
    assert sum((c.gain_t for c in demo.CASES), Decimal(0)) == demo.TOTAL_GAIN_T == Decimal("118770")


def test_it_seeds_2022_cases_whose_gains_by_cause_add_up_to_118770_t(seeded):
    # The gain each case computes from the allocation records is the allocation demo's test.
    cases = VerificationCase.objects.filter(year=2022)
    assert cases.count() == len(demo.CASES)
    assert gain_total(cases) == Decimal("118770")
    by_cause = gain_by_cause(cases)
    assert by_cause["measured_carbon"] > by_cause["heat_data"] > 0
    assert by_cause["activity_data"] > 0
    assert by_cause["other"] == Decimal("-260")  # the conservative estimate


def test_it_walks_every_demo_case_through_the_guideline(seeded):
    assert set(VerificationCase.objects.values_list("status", flat=True)) == {CaseStatus.ARCHIVED}
    assert CaseTransition.objects.filter(to_status="notified").count() == len(demo.CASES)
    objection = Objection.objects.get()
    assert objection.outcome == "upheld"
    assert Finding.objects.filter(status="unrectified", conservative_estimate_t=260).exists()
    assert Holiday.objects.filter(date__year=2024).exists()


def test_it_writes_nothing_on_a_second_run(seeded):
    counts = (
        VerificationCase.objects.count(),
        Finding.objects.count(),
        GainComponent.objects.count(),
        VerificationCase.history.count(),
    )
    tally = demo.seed(actor=seeded, password="x", stdout=io.StringIO())
    assert not any(k.endswith("created") for k in tally)
    assert counts == (
        VerificationCase.objects.count(),
        Finding.objects.count(),
        GainComponent.objects.count(),
        VerificationCase.history.count(),
    )


def test_it_seeds_2023_monthly_evidence_with_a_realistic_mix(seeded):
    from datetime import date

    from verification.models import DeadlineSettings, EvidenceFile, EvidenceSubmission
    from verification.selectors import evidence_board

    board = evidence_board(seeded, 2023, date(2024, 6, 1))
    counts = board["counts"]
    listed = len(board["rows"])
    assert listed >= 10
    assert counts["accepted"] > counts["missing"] > 0
    assert counts["returned"] > 0
    assert counts["missing"] + counts["accepted"] + counts["returned"] == listed * 12
    late = [
        c for row in board["rows"] for c in row.cells if c.cell.late and c.cell.state == "accepted"
    ]
    assert late, "some months were accepted although submitted late"
    assert EvidenceFile.objects.filter(duplicate_of__isnull=False).count() == 1
    assert EvidenceSubmission.history.exists()
    assert DeadlineSettings.current().evidence_enterprise_days == 20
