"""Compliance positions: recomputed for a whole year from allocation data, verification's final
figures, surrender records and granted advances; equal to a per-enterprise reference, idempotent,
constant in queries; queued on commit by the writes that change their inputs; on the page."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allocation import calculations as calc
from allocation import selectors, services
from allocation.models import CompliancePosition, PositionStatus, ReliefStatus
from enterprises.models import AllocationCategory, Fuel
from verification import services as verification_services
from verification.models import CaseStatus, FindingStatus

from .factories import (
    EnterpriseFactory,
    FacilityFactory,
    FindingFactory,
    ListingFactory,
    ReliefApplicationFactory,
    SurrenderRecordFactory,
    UnitAllocationFactory,
    UnitFactory,
    VerificationCaseFactory,
)

D = Decimal
LIST = reverse("allocation:position_list")


def unit_of(enterprise, category=AllocationCategory.COAL_300_AND_BELOW):
    fuel = Fuel.NATURAL_GAS if category == AllocationCategory.GAS else Fuel.COAL
    capacity = D("600") if category == AllocationCategory.COAL_ABOVE_300 else D("300")
    return UnitFactory.create(
        facility=FacilityFactory.create(enterprise=enterprise),
        allocation_category=category,
        main_fuel=fuel,
        capacity_mw=capacity,
    )


def approved(enterprise, tonnes, *, year=2022, category=AllocationCategory.COAL_300_AND_BELOW):
    return UnitAllocationFactory.create(
        unit=unit_of(enterprise, category),
        year=year,
        status="approved",
        approved_allocation_t=D(tonnes),
    )


def concluded(enterprise, tonnes, *, year=2022, status=CaseStatus.CONCLUDED):
    return VerificationCaseFactory.create(
        enterprise=enterprise, year=year, status=status, verified_emissions_t=D(tonnes)
    )


def position(enterprise, year=2022):
    return CompliancePosition.objects.get(enterprise=enterprise, year=year)


# The recompute -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_computes_a_capped_shortfall_with_the_conservative_estimates():
    enterprise = EnterpriseFactory.create()
    approved(enterprise, "400000")
    approved(enterprise, "300000")
    case = concluded(enterprise, "950000")
    FindingFactory.create(
        case=case, status=FindingStatus.UNRECTIFIED, conservative_estimate_t=D("50000")
    )
    FindingFactory.create(case=case, status=FindingStatus.RECTIFIED, conservative_estimate_t=None)
    assert services.positions_recompute(year=2022) == 1
    row = position(enterprise)
    # 700,000 allocated against 950,000 + 50,000 = 1,000,000 verified: topped up to 800,000,
    # 200,000 short (20%), advance at most 100,000 from 2023; CCER at most 50,000.
    assert (row.allocation_t, row.verified_emissions_t) == (D("700000"), D("1000000"))
    assert (row.gap_cap_top_up_t, row.adjusted_allocation_t) == (D("100000"), D("800000"))
    assert (row.shortfall_t, row.shortfall_ratio) == (D("200000"), D("0.2"))
    assert (row.advance_eligible, row.advance_max_t, row.ccer_cap_t) == (
        True,
        D("100000"),
        D("50000"),
    )
    assert row.status == PositionStatus.SHORTFALL
    assert row.allocation_final
    assert str(row.deadline) == "2023-12-31"
    assert row.inputs == {
        "rule_set_year": 2022,
        "units": 2,
        "units_approved": 2,
        "verified_emissions": "1000000.000",
    }


@pytest.mark.django_db
def test_it_exempts_an_enterprise_of_gas_units_only():
    gas = EnterpriseFactory.create()
    approved(gas, "600", category=AllocationCategory.GAS)
    concluded(gas, "1000")
    mixed = EnterpriseFactory.create()
    approved(mixed, "600", category=AllocationCategory.GAS)
    approved(mixed, "0", category=AllocationCategory.COAL_300_AND_BELOW)
    concluded(mixed, "1000")
    services.positions_recompute(year=2022)
    assert (position(gas).gas_only, position(gas).shortfall_t) == (True, D(0))
    assert position(gas).gas_exemption_top_up_t == D("200")  # after the 200 t gap-cap top-up
    assert (position(mixed).gas_only, position(mixed).shortfall_t) == (False, D("200"))


@pytest.mark.django_db
def test_it_waits_for_allocation_and_verified_figures_and_ignores_unfinished_cases():
    listed = EnterpriseFactory.create()
    ListingFactory.create(enterprise=listed, year=2022)
    working = EnterpriseFactory.create()
    approved(working, "100")
    concluded(working, "200", status=CaseStatus.ONSITE)  # figures not final yet
    services.positions_recompute(year=2022)
    assert position(listed).status == PositionStatus.PENDING
    assert position(listed).allocation_t is None
    assert position(working).status == PositionStatus.PENDING
    assert position(working).verified_emissions_t is None


@pytest.mark.django_db
def test_it_counts_a_preliminary_allocation_until_every_unit_is_approved():
    enterprise = EnterpriseFactory.create()
    approved(enterprise, "500")
    UnitAllocationFactory.create(
        unit=unit_of(enterprise), year=2022, status="agency", preliminary_allocation_t=D("300")
    )
    concluded(enterprise, "700")
    services.positions_recompute(year=2022)
    row = position(enterprise)
    assert (row.allocation_t, row.allocation_final) == (D("800"), False)
    assert row.status == PositionStatus.SURPLUS and row.surplus_t == D("100")


@pytest.mark.django_db
def test_it_reads_surrender_records_and_granted_advances():
    enterprise = EnterpriseFactory.create()
    approved(enterprise, "800")
    concluded(enterprise, "1000")
    ReliefApplicationFactory.create(
        enterprise=enterprise,
        status=ReliefStatus.GRANTED,
        granted_t=D("100"),
        decision_reference="内环发〔2023〕1号",
        decided_on="2023-10-01",
    )
    SurrenderRecordFactory.create(
        enterprise=enterprise, surrendered_t=D("960"), ccer_used_t=D("40")
    )
    services.positions_recompute(year=2022)
    row = position(enterprise)
    assert (row.advance_granted_t, row.surrendered_t, row.ccer_used_t) == (
        D("100"),
        D("960"),
        D("40"),
    )
    assert row.status == PositionStatus.COMPLIED and row.remaining_t == D(0)


@pytest.mark.django_db
def test_it_rewrites_the_same_rows_when_run_again_and_drops_stale_ones():
    enterprise = EnterpriseFactory.create()
    allocation = approved(enterprise, "800")
    concluded(enterprise, "1000")
    services.positions_recompute(year=2022)
    first = list(CompliancePosition.objects.values_list("pk", "shortfall_t", "status"))
    services.positions_recompute(year=2022)
    assert list(CompliancePosition.objects.values_list("pk", "shortfall_t", "status")) == first
    allocation.delete()
    enterprise.verification_cases.all().delete()
    services.positions_recompute(year=2022)
    assert not CompliancePosition.objects.exists()


def _reference(rules, allocation, verified, gas_only):
    """The per-enterprise reference: the formula applied to one enterprise's inputs."""
    return calc.compliance_position(
        rules, allocation_t=allocation, verified_emissions_t=verified, gas_only=gas_only
    )


tonnes = st.decimals(min_value=0, max_value=5_000_000, places=3, allow_nan=False)


@pytest.mark.django_db
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.lists(
        st.tuples(st.lists(tonnes, min_size=1, max_size=3), tonnes, st.booleans()),
        min_size=1,
        max_size=5,
    )
)
def test_it_equals_a_per_enterprise_reference_on_random_data(data):
    rules = selectors.rules_for_year(2022)
    with transaction.atomic():
        expected = {}
        for allocations, verified, gas in data:
            enterprise = EnterpriseFactory.create()
            category = AllocationCategory.GAS if gas else AllocationCategory.COAL_ABOVE_300
            for tonnes_allocated in allocations:
                approved(enterprise, tonnes_allocated, category=category)
            concluded(enterprise, verified)
            expected[enterprise.pk] = _reference(rules, sum(allocations, D(0)), verified, gas)
        services.positions_recompute(year=2022)
        services.positions_recompute(year=2022)  # idempotent
        rows = {p.enterprise_id: p for p in CompliancePosition.objects.all()}
        assert set(rows) == set(expected)
        for pk, reference in expected.items():
            row = rows[pk]
            assert row.shortfall_t == calc.round_t(reference.shortfall_t)
            assert row.surplus_t == calc.round_t(reference.surplus_t)
            assert row.gap_cap_top_up_t == calc.round_t(reference.gap_cap_top_up_t)
            assert row.gas_exemption_top_up_t == calc.round_t(reference.gas_exemption_top_up_t)
            assert row.advance_eligible == reference.advance_eligible
            assert row.advance_max_t == calc.round_t(reference.advance_max_t)
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("enterprises", [2, 8])
def test_it_recomputes_a_year_in_constant_queries(enterprises, django_assert_num_queries):
    for index in range(enterprises):
        enterprise = EnterpriseFactory.create()
        approved(enterprise, str(1000 + index))
        concluded(enterprise, "1100")
    services.positions_recompute(year=2022)  # the settings row exists from here on
    # savepoint (atomic inside the test's transaction), settings row (get_or_create), its lock,
    # rule set, benchmarks, the inputs in six grouped queries (allocations, final verified
    # emissions, units, surrender records, granted advances, listings), the upsert, the stale
    # rows' delete, savepoint released
    with django_assert_num_queries(14):
        assert services.positions_recompute(year=2022) == enterprises


# Queued by the writes that change the inputs ---------------------------------------------------


def test_it_recomputes_when_a_case_concludes(personas, django_capture_on_commit_callbacks):
    enterprise = personas.enterprise_a
    approved(enterprise, "900")
    case = concluded(enterprise, "1000", status=CaseStatus.ONSITE)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            case.reported_emissions_t = D("1100")
            case.conclusion = "核查结论：排放量 1000 t"
            case.save()
        verification_services.case_transition(
            case=case, target=CaseStatus.CONCLUDED, actor=personas.staff
        )
    assert position(enterprise).shortfall_t == D("100")


def test_it_recomputes_when_staff_record_the_surrender(
    client, personas, django_capture_on_commit_callbacks
):
    enterprise = personas.enterprise_a
    approved(enterprise, "900")
    concluded(enterprise, "1000")
    url = reverse("allocation:surrender_record_edit", args=[enterprise.pk, 2022])
    client.force_login(personas.staff)
    bad = client.post(url, {"surrendered_t": "-5", "ccer_used_t": "0", "banked_t": "0"})
    assert bad.status_code == 400 and "surrendered_t" in bad.context["form"].errors
    assert not CompliancePosition.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"surrendered_t": "1000", "ccer_used_t": "0", "banked_t": "0"})
    assert response.status_code == 302
    assert position(enterprise).status == PositionStatus.COMPLIED
    record = enterprise.surrender_records.get()
    assert record.history.first().history_user == personas.staff


# The page --------------------------------------------------------------------------------------

PERSONAS = [
    "staff",
    "admin",
    "manager",
    "enterprise_a_user",
    "enterprise_b_user",
    "agency_user",
    "district_reviewer",
]
MATRIX = {
    #              staff admin manager ent_a ent_b agency reviewer
    "list": (200, 200, 200, 200, 200, 403, 403),
    "recompute": (302, 302, 403, 403, 403, 403, 403),
    "surrender": (200, 200, 403, 403, 404, 404, 403),
}


def test_it_applies_the_permission_matrix(client, personas):
    urls = {
        "list": ("get", LIST),
        "recompute": ("post", reverse("allocation:position_recompute")),
        "surrender": (
            "get",
            reverse("allocation:surrender_record_edit", args=[personas.enterprise_a.pk, 2022]),
        ),
    }
    for view, (method, url) in urls.items():
        client.logout()
        assert getattr(client, method)(url, {"year": "2022"}).status_code == 302
        for persona, expected in zip(PERSONAS, MATRIX[view], strict=True):
            client.force_login(getattr(personas, persona))
            status = getattr(client, method)(url, {"year": "2022"}).status_code
            assert status == expected, (view, persona)


def test_it_shows_an_enterprise_only_its_own_position(client, personas):
    approved(personas.enterprise_a, "900")
    concluded(personas.enterprise_a, "1000")
    approved(personas.enterprise_b, "500")
    concluded(personas.enterprise_b, "1000")
    services.positions_recompute(year=2022)
    client.force_login(personas.enterprise_b_user)
    html = client.get(LIST, {"year": "2022"}).content.decode()
    assert personas.enterprise_b.name_zh in html
    assert personas.enterprise_a.name_zh not in html
    assert "20.00%" in html  # 1,000 − 800 after the cap = 200 short


@pytest.mark.parametrize("enterprises", [2, 7])
def test_it_pins_the_position_list_queries(
    client, personas, enterprises, django_assert_num_queries
):
    for _ in range(enterprises):
        enterprise = EnterpriseFactory.create()
        approved(enterprise, "900")
        concluded(enterprise, "1000")
    services.positions_recompute(year=2022)
    client.force_login(personas.staff)
    # session, user, rule set years, the page's rows with their enterprise, their count
    with django_assert_num_queries(5):
        response = client.get(LIST, {"year": "2022"})
    assert response.status_code == 200
    assert len(response.context["table"].rows) == enterprises


def test_it_recomputes_on_demand_for_staff(client, personas, django_capture_on_commit_callbacks):
    approved(personas.enterprise_a, "900")
    concluded(personas.enterprise_a, "1000")
    client.force_login(personas.staff)
    response = client.post(reverse("allocation:position_recompute"), {"year": "2022"})
    assert response.status_code == 302
    assert position(personas.enterprise_a).shortfall_t == D("100")
    refused = client.post(reverse("allocation:position_recompute"), {"year": "1999"})
    assert refused.status_code == 302
    assert not CompliancePosition.objects.filter(year=1999).exists()
