"""Early warning: the year's position projected from the monthly evidence received so far."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from allocation import services, tasks
from allocation.models import AllocationSettings, CompliancePosition, PositionBasis
from enterprises.models import AllocationCategory, Cooling, OperatingMode
from verification.models import EvidenceStatus, EvidenceSubmission

from .factories import FacilityFactory, UnitFactory

D = Decimal
TZ = ZoneInfo("Asia/Shanghai")
URL = reverse("allocation:early_warning")


def evidence(enterprise, year, month, **data):
    when = datetime(year, month, 28, 10, tzinfo=TZ)
    values = {
        "fuel_consumption_t": D("100000"),
        "ncv_gj_per_t": D("20"),
        "carbon_content_tc_per_gj": None,
        "purchased_mwh": D("0"),
        "generation_mwh": D("150000"),
        "supply_mwh": D("140000"),
        "heat_gj": D("0"),
        "operating_hours": D("600"),
        "load_factor": D("80"),
        "status": EvidenceStatus.ACCEPTED,
    }
    values.update(data)
    return EvidenceSubmission.objects.create(
        enterprise=enterprise,
        year=year,
        month=month,
        first_submitted_at=when,
        submitted_at=when,
        **values,
    )


@pytest.fixture
def projected(personas):
    UnitFactory.create(
        facility=FacilityFactory.create(enterprise=personas.enterprise_a),
        allocation_category=AllocationCategory.COAL_300_AND_BELOW,
        cooling=Cooling.WATER,
        operating_mode=OperatingMode.CONDENSING,
    )
    for month in (1, 2, 3):
        evidence(personas.enterprise_a, 2024, month)
    evidence(personas.enterprise_a, 2024, 4, status=EvidenceStatus.RETURNED)  # not counted
    return personas


def test_it_projects_the_year_from_three_months_of_evidence(projected):
    assert services.projected_positions_recompute(year=2024) == 1
    row = CompliancePosition.objects.get(basis=PositionBasis.PROJECTED)
    # Emissions a month: 100,000 t × 20 GJ/t × 0.03085 tC/GJ (the latest default, 2022's) ×
    # 0.99 × 44/12 = 223,971 t; × 12 = 2,687,652 t.
    assert row.verified_emissions_t == D("2687652.000")
    # Allocation on 2024's generation basis: 0.8049 × 150,000 × 12 × F_load(80%) 1.007
    # = 1,458,961.74 t, below 80% of the emissions: capped to 2,150,121.6, 20% short.
    assert row.allocation_t == D("1458961.740")
    assert (row.shortfall_t, row.shortfall_ratio) == (D("537530.400"), D("0.2"))
    assert row.inputs["months"] == 3
    assert (row.inputs["rule_set_year"], row.inputs["parameters_year"]) == (2024, 2022)
    assert not CompliancePosition.objects.filter(basis=PositionBasis.VERIFIED).exists()


def test_it_falls_back_to_the_latest_rule_set_until_the_year_is_published(projected):
    for month in (1, 2):
        evidence(projected.enterprise_a, 2031, month)
    services.projected_positions_recompute(year=2031)
    row = CompliancePosition.objects.get(year=2031)
    assert row.inputs["rule_set_year"] == 2025
    assert row.deadline is None


@pytest.mark.date_sensitive(today="2024-04-15")
def test_it_lists_the_enterprises_past_the_threshold_for_staff_and_its_own_to_an_enterprise(
    client, projected
):
    services.projected_positions_recompute(year=2024)
    client.force_login(projected.staff)
    html = client.get(URL).content.decode()
    assert projected.enterprise_a.name_zh in html and "20.00%" in html
    AllocationSettings.objects.filter(pk=1).update(warning_shortfall_ratio=D("0.25"))
    assert projected.enterprise_a.name_zh not in client.get(URL).content.decode()
    assert projected.enterprise_a.name_zh in client.get(URL, {"all": "1"}).content.decode()
    client.force_login(projected.enterprise_a_user)
    assert projected.enterprise_a.name_zh in client.get(URL).content.decode()
    client.force_login(projected.enterprise_b_user)
    assert projected.enterprise_a.name_zh not in client.get(URL).content.decode()


@pytest.mark.date_sensitive(today="2024-04-15")
def test_it_projects_on_demand_for_staff_only(client, projected):
    project = reverse("allocation:early_warning_project")
    for persona, expected in (
        ("manager", 403),
        ("enterprise_a_user", 403),
        ("agency_user", 403),
        ("staff", 302),
    ):
        client.force_login(getattr(projected, persona))
        assert client.post(project).status_code == expected, persona
    assert CompliancePosition.objects.filter(year=2024, basis=PositionBasis.PROJECTED).exists()
    for persona, expected in (("agency_user", 403), ("district_reviewer", 403), ("manager", 200)):
        client.force_login(getattr(projected, persona))
        assert client.get(URL).status_code == expected, persona


def test_it_lets_staff_change_the_threshold_with_history(client, personas):
    url = reverse("allocation:settings")
    client.force_login(personas.manager)
    assert client.get(url).status_code == 403
    client.force_login(personas.staff)
    bad = client.post(url, {"tolerance_ratio": "0.9", "warning_shortfall_ratio": "0.1"})
    assert bad.status_code == 400 and "tolerance_ratio" in bad.context["form"].errors
    assert (
        client.post(url, {"tolerance_ratio": "0.02", "warning_shortfall_ratio": "0.1"}).status_code
        == 302
    )
    current = AllocationSettings.current()
    assert (current.tolerance_ratio, current.warning_shortfall_ratio) == (D("0.02"), D("0.1"))
    assert current.history.first().history_user == personas.staff


@pytest.mark.date_sensitive
def test_the_nightly_run_projects_the_current_year_too(projected):
    year = timezone.localdate().year
    for month in (1, 2):
        evidence(projected.enterprise_a, year, month)
    written = tasks.recompute_recent_positions()
    assert written[f"{year} projected"] == 1
    row = CompliancePosition.objects.get(year=year, basis=PositionBasis.PROJECTED)
    assert row.inputs["months"] == 2 and row.status == "shortfall"
