"""The compliance cost and the savings by measure (DOMAIN §1, §7): the formulas on hand-worked
cases, the set-based recompute against a per-enterprise reference on random data, and the
recompute run twice, at once, and from the shell."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allocation import calculations as calc
from allocation import selectors, services
from allocation.models import (
    CarbonPrice,
    ComplianceCost,
    CostCategory,
    CostEntry,
    Measure,
    PriceKind,
    ReliefApplication,
    ReliefKind,
    ReliefStatus,
    RunStatus,
    SavingsFigure,
    SavingsRun,
    YearValuation,
)
from assistance.models import FollowUp

from .factories import (
    EnterpriseFactory,
    FacilityFactory,
    FollowUpFactory,
    GainComponentFactory,
    ReliefApplicationFactory,
    UnitAllocationFactory,
    UnitFactory,
    UserFactory,
    VerificationCaseFactory,
    VisitFactory,
)

D = Decimal


# The formulas --------------------------------------------------------------------------------


def test_it_computes_the_compliance_cost_from_the_ledger_sums():
    # 履约成本 = reduction + bought − sold + fines + management + other
    cost = calc.compliance_cost(
        {
            "energy_conservation": D("1000000"),
            "technical_transformation": D("250000"),
            "allowances_bought": D("794200"),  # 10,000 t at 79.42
            "allowances_sold": D("-97490"),  # 1,000 t at 97.49, kept negative
            "fines": D("20000"),
            "asset_management": D("30000"),
            "verification_consulting": D("86000"),
            "other": D("4000"),
        }
    )
    assert cost.reduction_yuan == D("1250000")
    assert cost.sold_yuan == D("97490")
    assert cost.other_yuan == D("90000")
    assert cost.cost_yuan == D("1250000") + D("794200") - D("97490") + D("20000") + D("30000") + D(
        "90000"
    )
    assert cost.cost_yuan == D("2086710")


def test_it_counts_cross_verification_only_beyond_what_verification_attributes():
    gains = calc.measure_gains(
        verification_allocation_t=D("300"),
        verification_emissions_t=D("1200"),
        allocation_change_t=D("500"),  # approved − preliminary over the units
        advance_t=D("0"),
        individual_t=D("800"),
        corrected_t=D("25.5"),
    )
    assert gains.by_measure() == {
        "verification": D("1500"),
        "cross_check": D("200"),
        "relief_advance": D("0"),
        "relief_individual": D("800"),
        "assistance": D("25.5"),
    }


def test_it_values_the_seeds_headline_at_the_2023_close():
    # DOMAIN §1: 118,770 t × 79.42 yuan/t = 9,432,713.40 yuan.
    assert calc.savings_yuan(D("118770"), D("79.42")) == D("9432713.40")
    assert calc.savings_yuan(D("1"), None) is None


# Valuation -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_values_2022_at_the_close_before_its_surrender_deadline():
    valuation = selectors.valuation(2022)
    # Rule set 2022's surrender deadline is 2023-12-31, a Sunday: the last close is the 29th.
    assert valuation.valued_at == date(2023, 12, 31)
    assert (valuation.yuan_per_t, valuation.price_on, valuation.chosen) == (
        D("79.42"),
        date(2023, 12, 29),
        False,
    )


@pytest.mark.django_db
def test_it_values_a_year_at_the_date_staff_chose():
    staff = UserFactory(role="bureau_staff")
    CarbonPrice.objects.create(on=date(2024, 6, 28), kind=PriceKind.CLOSE, yuan_per_t=D("91.20"))
    services.year_valuation_set(year=2022, price_on=date(2024, 6, 30), note="中期估值", actor=staff)
    valuation = selectors.valuation(2022)
    assert (valuation.chosen, valuation.yuan_per_t, valuation.price_on) == (
        True,
        D("91.20"),
        date(2024, 6, 28),
    )
    services.year_valuation_set(year=2022, price_on=None, actor=staff)
    assert not YearValuation.objects.exists()
    assert selectors.valuation(2022).yuan_per_t == D("79.42")


@pytest.mark.django_db
def test_it_ignores_averages_when_it_values():
    # Only closes value a year: the 2024 monthly averages never stand in for one.
    CarbonPrice.objects.filter(kind=PriceKind.CLOSE).delete()
    assert selectors.valuation(2022).price is None


# The recompute on hand-built data ------------------------------------------------------------


def _unit_of(enterprise):
    return UnitFactory(facility=FacilityFactory(enterprise=enterprise))


@pytest.mark.django_db
def test_it_writes_each_measure_and_the_cost_for_an_enterprise():
    staff = UserFactory(role="bureau_staff")
    enterprise = EnterpriseFactory()
    case = VerificationCaseFactory(enterprise=enterprise, year=2022)
    GainComponentFactory(case=case, allocation_change_t=D("300"), emissions_change_t=D("1200"))
    UnitAllocationFactory(
        unit=_unit_of(enterprise),
        year=2022,
        status="approved",
        preliminary_allocation_t=D("10000"),
        approved_allocation_t=D("10500"),
    )
    ReliefApplicationFactory(
        enterprise=enterprise,
        year=2022,
        kind=ReliefKind.INDIVIDUAL,
        status=ReliefStatus.GRANTED,
        granted_t=D("800"),
        decision_reference="内环函〔2023〕1号",
        decided_on=date(2023, 11, 1),
    )
    follow_up = FollowUpFactory(visit=VisitFactory(enterprises=[enterprise]))
    FollowUp.objects.filter(pk=follow_up.pk).update(corrected_year=2022, corrected_t=D("25.5"))
    services.cost_entry_create(
        enterprise=enterprise,
        year=2022,
        category=CostCategory.ALLOWANCES_SOLD,
        amount_yuan=D("97490"),
        quantity_t=D("1000"),
        occurred_on=date(2023, 11, 1),
        description="出售富余配额",
        actor=staff,
    )
    services.cost_entry_create(
        enterprise=enterprise,
        year=2022,
        category=CostCategory.VERIFICATION_CONSULTING,
        amount_yuan=D("86000"),
        occurred_on=date(2023, 5, 1),
        description="核查咨询费",
        actor=staff,
    )

    stamp = services.savings_recompute(year=2022)

    figures = {
        f.measure: (f.gain_t, f.savings_yuan)
        for f in SavingsFigure.objects.filter(enterprise=enterprise, year=2022)
    }
    assert figures == {
        Measure.VERIFICATION: (D("1500.000"), D("119130.00")),
        Measure.CROSS_CHECK: (D("200.000"), D("15884.00")),
        Measure.RELIEF_INDIVIDUAL: (D("800.000"), D("63536.00")),
        Measure.ASSISTANCE: (D("25.500"), D("2025.21")),
    }
    cost = ComplianceCost.objects.get(enterprise=enterprise, year=2022)
    assert cost.cost_yuan == D("86000") - D("97490")
    assert cost.savings_yuan == D("119130.00") + D("15884.00") + D("63536.00") + D("2025.21")
    assert cost.by_category == {
        "allowances_sold": "-97490.00",
        "verification_consulting": "86000.00",
    }
    assert stamp["price_yuan_per_t"] == "79.42" and stamp["price_on"] == "2023-12-29"
    assert stamp["rows"] == 5


@pytest.mark.django_db
def test_it_nets_a_reversed_entry_to_nothing():
    staff = UserFactory(role="bureau_staff")
    enterprise = EnterpriseFactory()
    entry = services.cost_entry_create(
        enterprise=enterprise,
        year=2022,
        category=CostCategory.FINES,
        amount_yuan=D("20000"),
        occurred_on=date(2023, 3, 1),
        description="罚款",
        actor=staff,
    )
    reversal = services.cost_entry_reverse(entry=entry, reason="录入错误", actor=staff)
    assert reversal.amount_yuan == D("-20000") and reversal.reverses == entry
    services.savings_recompute(year=2022)
    assert ComplianceCost.objects.get(enterprise=enterprise).cost_yuan == D("0")
    assert CostEntry.objects.count() == 2  # nothing edited, nothing deleted


@pytest.mark.django_db
def test_it_rewrites_the_same_snapshot_when_run_twice():
    enterprise = EnterpriseFactory()
    GainComponentFactory(case=VerificationCaseFactory(enterprise=enterprise, year=2022))
    first = services.savings_recompute(year=2022)
    rows = list(SavingsFigure.objects.values_list("enterprise_id", "measure", "gain_t"))
    second = services.savings_recompute(year=2022)
    assert first["digest"] == second["digest"]
    # Each row is stamped with when, and with the digest of the inputs it was computed from.
    assert set(SavingsFigure.objects.values_list("inputs_digest", flat=True)) == {first["digest"]}
    assert set(ComplianceCost.objects.values_list("inputs_digest", flat=True)) == {first["digest"]}
    assert list(SavingsFigure.objects.values_list("enterprise_id", "measure", "gain_t")) == rows


@pytest.mark.django_db
def test_it_recomputes_one_enterprise_without_touching_the_others():
    a, b = EnterpriseFactory(), EnterpriseFactory()
    GainComponentFactory(case=VerificationCaseFactory(enterprise=a, year=2022))
    GainComponentFactory(case=VerificationCaseFactory(enterprise=b, year=2022))
    services.savings_recompute(year=2022)
    SavingsFigure.objects.filter(enterprise=b).update(gain_t=D("1"))
    services.savings_recompute(year=2022, enterprise_ids=[a.pk])
    assert SavingsFigure.objects.get(enterprise=b).gain_t == D("1")  # left as it was
    assert SavingsFigure.objects.get(enterprise=a).gain_t == D("100.000")


@pytest.mark.django_db
def test_it_queries_a_fixed_number_of_times_whatever_the_enterprises(
    django_assert_num_queries,
):
    for _ in range(5):
        GainComponentFactory(case=VerificationCaseFactory(enterprise=EnterpriseFactory()))
    # the advisory lock (PostgreSQL only); gain components, allocation changes,
    # reliefs, corrections, ledger sums, listings; valuation: chosen dates, deadlines, closes;
    # two deletes, two inserts; the savepoint of the atomic block and its release
    expected = 16 if connection.vendor == "postgresql" else 15
    with django_assert_num_queries(expected):
        services.savings_recompute(year=2022)
    assert SavingsFigure.objects.count() == 5


# Set-based against a per-enterprise reference -----------------------------------------------


def _reference(enterprise_id: int, year: int, price: Decimal) -> dict[str, Decimal | None]:
    """What the measures gained one enterprise, computed row by row from its inputs."""
    from allocation.models import ReliefApplication, UnitAllocation
    from verification.models import GainComponent

    components = GainComponent.objects.filter(case__enterprise_id=enterprise_id, case__year=year)
    allocation_part = sum((c.allocation_change_t for c in components), D(0))
    emissions_part = sum((c.emissions_change_t for c in components), D(0))
    change = sum(
        (
            u.approved_allocation_t - u.preliminary_allocation_t
            for u in UnitAllocation.objects.filter(
                unit__facility__enterprise_id=enterprise_id, year=year
            )
            if u.approved_allocation_t is not None and u.preliminary_allocation_t is not None
        ),
        D(0),
    )
    granted = ReliefApplication.objects.filter(
        enterprise_id=enterprise_id, year=year, status=ReliefStatus.GRANTED
    )
    gains = {
        "verification": allocation_part + emissions_part,
        "cross_check": change - allocation_part,
        "relief_advance": sum(
            (r.granted_t or D(0) for r in granted if r.kind == ReliefKind.ADVANCE), D(0)
        ),
        "relief_individual": sum(
            (r.granted_t or D(0) for r in granted if r.kind == ReliefKind.INDIVIDUAL), D(0)
        ),
        "assistance": D(0),
    }
    return {m: calc.savings_yuan(calc.round_t(t), price) for m, t in gains.items() if t}


tonnes = st.decimals(min_value=-5000, max_value=5000, places=3, allow_nan=False)
enterprise_inputs = st.fixed_dictionaries(
    {
        "components": st.lists(st.tuples(tonnes, tonnes), max_size=3),
        "units": st.lists(st.tuples(tonnes.map(abs), tonnes), max_size=2),
        "relief": st.one_of(
            st.none(), st.tuples(st.sampled_from(ReliefKind.values), tonnes.map(abs))
        ),
    }
)


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.lists(enterprise_inputs, min_size=1, max_size=4))
def test_it_equals_the_per_enterprise_reference_on_random_data(data):
    SavingsFigure.objects.all().delete()
    ReliefApplication.objects.all().delete()
    enterprises = []
    for inputs in data:
        enterprise = EnterpriseFactory()
        enterprises.append(enterprise)
        case = VerificationCaseFactory(enterprise=enterprise, year=2022)
        for allocation_change, emissions_change in inputs["components"]:
            GainComponentFactory(
                case=case,
                allocation_change_t=allocation_change,
                emissions_change_t=emissions_change,
            )
        for preliminary, delta in inputs["units"]:
            UnitAllocationFactory(
                unit=_unit_of(enterprise),
                year=2022,
                status="approved",
                preliminary_allocation_t=preliminary + 10000,
                approved_allocation_t=preliminary + 10000 + delta,
            )
        if inputs["relief"]:
            kind, granted = inputs["relief"]
            ReliefApplicationFactory(
                enterprise=enterprise,
                year=2022,
                kind=kind,
                status=ReliefStatus.GRANTED,
                granted_t=granted,
                decision_reference="内环函〔2023〕1号",
                decided_on=date(2023, 11, 1),
            )
    services.savings_recompute(year=2022)
    for enterprise in enterprises:
        written = {
            f.measure: f.savings_yuan
            for f in SavingsFigure.objects.filter(enterprise=enterprise, year=2022)
        }
        assert written == _reference(enterprise.pk, 2022, D("79.42"))


# Runs: twice at once, from the dashboard, from the shell -------------------------------------


@pytest.mark.django_db(transaction=True)
def test_it_gives_the_same_snapshot_when_two_recomputes_run_at_once(seeded_rule_sets):

    for _n in range(3):
        GainComponentFactory(case=VerificationCaseFactory(enterprise=EnterpriseFactory()))
    errors: list[Exception] = []

    def run():
        try:
            services.savings_recompute(year=2022)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert SavingsFigure.objects.count() == 3  # neither doubled nor lost
    assert set(SavingsFigure.objects.values_list("savings_yuan", flat=True)) == {D("7942.00")}


@pytest.mark.django_db
def test_it_returns_the_run_under_way_instead_of_starting_a_second(
    django_capture_on_commit_callbacks,
):
    manager = UserFactory(role="bureau_manager")
    running = SavingsRun.objects.create(years=[2022], steps_total=1, status=RunStatus.RUNNING)
    assert services.savings_run_start(actor=manager) == running
    SavingsRun.objects.filter(pk=running.pk).update(status=RunStatus.DONE)
    with django_capture_on_commit_callbacks(execute=True):
        started = services.savings_run_start(actor=manager, years=[2021, 2022])
    started.refresh_from_db()
    assert (started.status, started.steps_done, started.percent) == (RunStatus.DONE, 2, 100)
    assert set(started.inputs) == {"2021", "2022"}
    # A finished run is left as it is when its task is delivered again.
    assert services.savings_run_execute(started.pk).finished_at == started.finished_at


@pytest.mark.django_db
def test_it_recomputes_from_the_shell(capsys):
    GainComponentFactory(case=VerificationCaseFactory(year=2022))
    call_command("recompute_savings", "--year", "2022")
    out = capsys.readouterr().out
    assert "2022: 1 enterprises, price 79.42 (2023-12-29)" in out
    assert "done: 2 rows written" in out  # one savings figure, one compliance cost
    assert SavingsRun.objects.get().status == RunStatus.DONE
