"""Annual emission reports: monthly forms per unit, draft, submit, return, new version, compare."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from verification import services
from verification.models import (
    AnnualReport,
    EvidenceSubmission,
    ReportLine,
    ReportStatus,
    ReportStep,
)

from .factories import FacilityFactory, ListingFactory, UnitFactory

# 2022's reports, in the 2023 reporting season: a report may be started only for a year that
# is over by today, which `report_create` reads itself. A test written relative to today
# carries its own `date_sensitive` marker, which wins over this one.
pytestmark = pytest.mark.date_sensitive(today="2023-03-15")

D = Decimal
MONTH = {
    "fuel_consumption_t": "1000",
    "ncv_gj_per_t": "20",
    "carbon_content_tc_per_gj": "0.03",
    "purchased_mwh": "10",
    "generation_mwh": "2000",
    "supply_mwh": "1850",
    "heat_gj": "3000",
}


def months_post(months=range(1, 13), **overrides_by_month):
    """The unit form's POST: `months` filled with MONTH, the others left empty."""
    data = {
        "months-TOTAL_FORMS": "12",
        "months-INITIAL_FORMS": "12",
        "months-MIN_NUM_FORMS": "12",
        "months-MAX_NUM_FORMS": "12",
    }
    for index in range(12):
        month = index + 1
        values = dict(MONTH) if month in months else dict.fromkeys(MONTH, "")
        values.update(overrides_by_month.get(f"m{month}", {}))
        for name, value in values.items():
            data[f"months-{index}-{name}"] = value
    return data


@pytest.fixture
def unit(personas):
    facility = FacilityFactory.create(enterprise=personas.enterprise_a)
    return UnitFactory.create(facility=facility, main_fuel="coal")


@pytest.fixture
def report(personas, unit):
    ListingFactory.create(enterprise=personas.enterprise_a, year=2022)
    return services.report_create(
        enterprise=personas.enterprise_a, year=2022, actor=personas.enterprise_a_user
    )


def unit_url(report, unit):
    return reverse("verification:report_unit", args=[report.pk, unit.pk])


def fill(client, personas, report, unit, **kwargs):
    client.force_login(personas.enterprise_a_user)
    response = client.post(unit_url(report, unit), months_post(**kwargs))
    assert response.status_code == 302, response.context and response.context["formset"].errors
    return response


def test_it_computes_the_reports_emissions_by_hand(client, personas, report, unit):
    # Each month: 1 000 t × 20 GJ/t × 0.03 × 0.99 × 44/12 = 2 178 t; 12 months = 26 136 t.
    # Purchased: 10 MWh × 0.5703 × 12 = 68.436 t. Total 26 204.436 t.
    fill(client, personas, report, unit)
    html = client.get(report.get_absolute_url()).content.decode()
    assert 'data-testid="report-total">26,204.436<' in html
    assert ReportLine.objects.filter(report=report).count() == 12
    assert report.history.first().history_user == personas.enterprise_a_user


def test_it_keeps_a_draft_with_missing_months_but_refuses_to_submit_it(
    client, personas, report, unit
):
    fill(client, personas, report, unit, months=range(1, 12))
    response = client.post(reverse("verification:report_submit", args=[report.pk]))
    assert response.status_code == 400
    assert "12" in " ".join(response.context["submit_errors"])
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert not ReportStep.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"m1": {"fuel_consumption_t": "-1"}}, "fuel_consumption_t"),
        ({"m1": {"fuel_consumption_t": "lots"}}, "fuel_consumption_t"),
        ({"m2": {"fuel_consumption_t": "1e12"}}, "fuel_consumption_t"),
        ({"m3": {"ncv_gj_per_t": "20000"}}, "ncv_gj_per_t"),
        ({"m4": {"carbon_content_tc_per_gj": "30.85"}}, "carbon_content_tc_per_gj"),
        ({"m5": {"supply_mwh": "2500"}}, "supply_mwh"),  # more supplied than generated
        ({"m6": {"heat_gj": ""}}, "heat_gj"),  # a half-filled month
        ({"m7": {"purchased_mwh": "-0.5"}}, "purchased_mwh"),
    ],
)
def test_it_refuses_bad_months_with_field_messages_and_saves_nothing(
    client, personas, report, unit, overrides, field
):
    client.force_login(personas.enterprise_a_user)
    response = client.post(unit_url(report, unit), months_post(**overrides))
    assert response.status_code == 400
    month = int(next(iter(overrides))[1:])
    assert field in response.context["formset"].forms[month - 1].errors
    assert 'class="form-control form-control-sm is-invalid"' in response.content.decode()
    assert not ReportLine.objects.exists()


def test_it_refuses_a_tampered_formset(client, personas, report, unit):
    client.force_login(personas.enterprise_a_user)
    data = months_post()
    data["months-TOTAL_FORMS"] = "13"
    assert client.post(unit_url(report, unit), data).status_code == 400
    assert not ReportLine.objects.exists()


def test_it_runs_return_and_resubmission_as_versions_that_compare(client, personas, report, unit):
    fill(client, personas, report, unit)
    assert client.post(reverse("verification:report_submit", args=[report.pk])).status_code == 302
    client.force_login(personas.staff)
    review = reverse("verification:report_review", args=[report.pk])
    assert client.post(review, {"decision": "return", "comment": ""}).status_code == 400
    assert (
        client.post(review, {"decision": "return", "comment": "3月元素碳无检测报告"}).status_code
        == 302
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED

    client.force_login(personas.enterprise_a_user)
    response = client.post(reverse("verification:report_revise", args=[report.pk]))
    revision = AnnualReport.objects.get(version=2)
    assert response.url == revision.get_absolute_url()
    assert revision.previous == report
    assert revision.lines.count() == 12
    # March without a valid measurement: the default 0.03085 applies.
    fill(client, personas, revision, unit, m3={"carbon_content_tc_per_gj": ""})
    assert client.post(reverse("verification:report_submit", args=[revision.pk])).status_code == 302

    # 20 000 GJ × (0.03085 − 0.03) × 0.99 × 44/12 = 61.71 t more.
    html = client.get(reverse("verification:report_compare", args=[revision.pk])).content.decode()
    assert 'data-testid="compare-change">61.710<' in html
    assert html.count('data-testid="change-row"') == 1
    # The returned version is kept as it was.
    assert ReportLine.objects.get(report=report, month=3).carbon_content_tc_per_gj == D("0.03")
    client.force_login(personas.staff)
    client.post(
        reverse("verification:report_review", args=[revision.pk]),
        {"decision": "accept", "comment": ""},
    )
    assert AnnualReport.objects.get(pk=revision.pk).status == ReportStatus.ACCEPTED


def test_it_refuses_illegal_report_steps(personas, report, unit):
    with pytest.raises(ValidationError):  # a draft cannot be reviewed
        services.report_review(report=report, accept=True, comment="", actor=personas.staff)
    with pytest.raises(ValidationError):  # only a returned report is revised
        services.report_revise(report=report, actor=personas.enterprise_a_user)
    with pytest.raises(PermissionDenied):
        services.report_submit(report=report, actor=personas.enterprise_b_user)
    with pytest.raises(PermissionDenied):
        services.report_review(report=report, accept=True, comment="", actor=personas.agency_user)
    with pytest.raises(ValidationError):  # a second report for the same year
        services.report_create(
            enterprise=personas.enterprise_a, year=2022, actor=personas.enterprise_a_user
        )
    assert AnnualReport.objects.get().status == ReportStatus.DRAFT


def test_it_refuses_to_change_a_submitted_report(client, personas, report, unit):
    fill(client, personas, report, unit)
    client.post(reverse("verification:report_submit", args=[report.pk]))
    assert client.get(unit_url(report, unit)).status_code == 403
    with pytest.raises(ValidationError):
        services.report_submit(report=report, actor=personas.enterprise_a_user)


def test_it_refuses_a_report_year_out_of_range(client, personas):
    client.force_login(personas.enterprise_a_user)
    for year in ("1999", "abc", "3000"):
        response = client.post(reverse("verification:report_create"), {"year": year})
        assert response.status_code == 400
    assert not AnnualReport.objects.exists()


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
    #           staff admin manager ent_a ent_b agency reviewer(Kundulun: A's district)
    "list": (200, 200, 200, 200, 200, 200, 200),
    "create": (403, 403, 403, 200, 200, 403, 403),
    "detail": (200, 200, 200, 200, 404, 404, 200),
    "unit": (403, 403, 403, 200, 404, 404, 403),
    "review": (200, 200, 403, 403, 404, 404, 403),
}


@pytest.mark.parametrize("view", list(MATRIX))
def test_it_applies_the_permission_matrix(client, personas, report, unit, view):
    url = {
        "list": reverse("verification:report_list"),
        "create": reverse("verification:report_create"),
        "detail": report.get_absolute_url(),
        "unit": unit_url(report, unit),
        "review": reverse("verification:report_review", args=[report.pk]),
    }[view]
    assert client.get(url).status_code == 302
    for persona, expected in zip(PERSONAS, MATRIX[view], strict=True):
        client.force_login(getattr(personas, persona))
        assert client.get(url).status_code == expected, (view, persona)


@pytest.mark.parametrize("name", ["report_submit", "report_revise"])
def test_it_lets_only_the_owner_post_submit_and_revise(client, personas, report, name):
    url = reverse(f"verification:{name}", args=[report.pk])
    for persona, expected in [("staff", 403), ("enterprise_b_user", 404), ("agency_user", 404)]:
        client.force_login(getattr(personas, persona))
        assert client.post(url).status_code == expected, persona


def test_it_pins_the_report_list_query_count(client, personas, report, django_assert_num_queries):
    client.force_login(personas.staff)
    # session, user, count, page of reports with their enterprise
    with django_assert_num_queries(4):
        assert client.get(reverse("verification:report_list")).status_code == 200


def test_it_pins_the_report_detail_query_count(
    client, personas, report, unit, django_assert_num_queries
):
    fill(client, personas, report, unit)
    # session, user, report (+enterprise), units (+facility), lines, parameters of the year,
    # versions, steps (+actor), 2 history tables
    with django_assert_num_queries(10):
        assert client.get(report.get_absolute_url()).status_code == 200


def test_it_refuses_another_enterprises_unit_in_a_report(client, personas, report):
    foreign = UnitFactory.create(facility=FacilityFactory.create(enterprise=personas.enterprise_b))
    client.force_login(personas.enterprise_a_user)
    assert client.get(unit_url(report, foreign)).status_code == 404
    assert client.post(unit_url(report, foreign), months_post()).status_code == 404
    assert not ReportLine.objects.exists()


# Which years may be reported -----------------------------------------------------------------


@pytest.mark.date_sensitive  # whatever year it is
@pytest.mark.parametrize("offset", [0, 1])  # the current year, next year
def test_it_refuses_a_report_for_a_year_not_over_yet(client, personas, offset):
    year = timezone.localdate().year + offset
    ListingFactory.create(enterprise=personas.enterprise_a, year=year)
    client.force_login(personas.enterprise_a_user)
    response = client.post(reverse("verification:report_create"), {"year": str(year)})
    assert response.status_code == 400
    assert "is not over yet" in " ".join(response.context["form"].errors["year"])
    assert not AnnualReport.objects.exists()


def test_it_refuses_a_report_for_a_year_the_enterprise_is_not_listed(client, personas):
    ListingFactory.create(enterprise=personas.enterprise_b, year=2022)  # another enterprise
    ListingFactory.create(enterprise=personas.enterprise_a, year=2021)  # another year
    client.force_login(personas.enterprise_a_user)
    response = client.post(reverse("verification:report_create"), {"year": "2022"})
    assert response.status_code == 400
    assert "not listed as a key emitting enterprise for 2022" in " ".join(
        response.context["form"].errors["year"]
    )
    assert not AnnualReport.objects.exists()


def test_it_starts_a_report_for_a_listed_past_year(client, personas):
    ListingFactory.create(enterprise=personas.enterprise_a, year=2022)
    client.force_login(personas.enterprise_a_user)
    response = client.post(reverse("verification:report_create"), {"year": "2022"})
    assert response.status_code == 302
    assert AnnualReport.objects.get().year == 2022


# Pre-filled from the accepted monthly evidence -------------------------------------------------


def _evidence(personas, month, status="accepted", **values):
    at = timezone.now()
    fields = {name: D(value) for name, value in MONTH.items()}
    return EvidenceSubmission.objects.create(
        enterprise=personas.enterprise_a,
        year=2022,
        month=month,
        status=status,
        operating_hours=D("600"),
        load_factor=D("80"),
        first_submitted_at=at,
        submitted_at=at,
        **(fields | values),
    )


def test_it_prefills_a_single_unit_report_from_the_accepted_evidence(personas, unit):
    ListingFactory.create(enterprise=personas.enterprise_a, year=2022)
    _evidence(personas, 1, fuel_consumption_t=D("1234.5"))
    _evidence(personas, 2)
    _evidence(personas, 3, status="returned")
    report = services.report_create(
        enterprise=personas.enterprise_a, year=2022, actor=personas.enterprise_a_user
    )
    lines = {line.month: line for line in ReportLine.objects.filter(report=report)}
    assert sorted(lines) == [1, 2]  # accepted months only
    assert lines[1].unit == unit
    assert lines[1].fuel_consumption_t == D("1234.5")


def test_it_leaves_a_multi_unit_report_empty_but_links_the_evidence(client, personas, unit):
    UnitFactory.create(facility=unit.facility, main_fuel="coal")
    ListingFactory.create(enterprise=personas.enterprise_a, year=2022)
    _evidence(personas, 1)
    report = services.report_create(
        enterprise=personas.enterprise_a, year=2022, actor=personas.enterprise_a_user
    )
    assert not ReportLine.objects.filter(report=report).exists()
    client.force_login(personas.enterprise_a_user)
    html = client.get(report.get_absolute_url()).content.decode()
    assert f'href="{reverse("verification:evidence_board")}?year=2022"' in html


def test_it_names_the_unit_with_its_facility_in_submit_errors(client, personas, report, unit):
    fill(client, personas, report, unit, months=range(1, 12))
    response = client.post(reverse("verification:report_submit", args=[report.pk]))
    assert response.status_code == 400
    assert (
        f"{unit.facility.name_zh} {unit.code}: months missing: 12."
        in response.context["submit_errors"]
    )


# The list's empty state ------------------------------------------------------------------------


def test_it_invites_a_first_report_on_an_empty_list(client, personas):
    client.force_login(personas.enterprise_a_user)
    html = client.get(reverse("verification:report_list")).content.decode()
    assert "No emission reports yet." in html
    assert 'data-testid="reports-empty"' in html
    assert html.count(f'href="{reverse("verification:report_create")}"') >= 1
    filtered = client.get(reverse("verification:report_list") + "?year=2022").content.decode()
    assert "No emission reports yet." not in filtered
