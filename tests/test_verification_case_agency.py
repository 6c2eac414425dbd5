"""Reassigning a case to another agency: its own service and page, staff only, audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from verification import services
from verification.models import CaseStatus, VerificationCase

from .factories import AgencyFactory, VerificationCaseFactory


@pytest.fixture
def case(personas):
    return VerificationCaseFactory(enterprise=personas.enterprise_a, agency=personas.agency)


@pytest.fixture
def other_agency(db):
    return AgencyFactory(name_zh="另一核查机构")


@pytest.mark.parametrize("persona", ["staff", "admin"])
def test_it_lets_staff_reassign_the_agency_and_records_who_did(
    personas, case, other_agency, persona
):
    actor = getattr(personas, persona)
    services.case_agency_reassign(case=case, agency=other_agency, actor=actor)
    case.refresh_from_db()
    assert case.agency == other_agency
    latest = case.history.first()
    assert (latest.agency_id, latest.history_user) == (other_agency.pk, actor)


@pytest.mark.parametrize(
    "persona", ["manager", "agency_user", "enterprise_a_user", "district_reviewer"]
)
def test_it_refuses_a_reassignment_by_anyone_but_staff(personas, case, other_agency, persona):
    with pytest.raises(PermissionDenied):
        services.case_agency_reassign(
            case=case, agency=other_agency, actor=getattr(personas, persona)
        )
    case.refresh_from_db()
    assert case.agency == personas.agency
    assert case.history.count() == 1  # the creation only


def test_it_refuses_a_reassignment_once_the_work_is_closed(personas, case, other_agency):
    VerificationCase.objects.filter(pk=case.pk).update(status=CaseStatus.CONCLUDED)
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        services.case_agency_reassign(case=case, agency=other_agency, actor=personas.staff)
    case.refresh_from_db()
    assert case.agency == personas.agency


def test_it_keeps_the_agency_out_of_the_figures_service(personas, case, other_agency):
    with pytest.raises(TypeError, match="agency"):
        services.case_update(case=case, actor=personas.staff, agency=other_agency)
    case.refresh_from_db()
    assert case.agency == personas.agency


def test_it_reassigns_through_its_own_page(client, personas, case, other_agency):
    url = reverse("verification:case_agency", args=[case.pk])
    client.force_login(personas.staff)
    assert url in client.get(case.get_absolute_url()).content.decode()
    response = client.post(url, {"agency": other_agency.pk})
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    assert case.agency == other_agency


def test_it_offers_only_active_agencies(client, personas, case, other_agency):
    other_agency.is_active = False
    other_agency.save()
    client.force_login(personas.staff)
    response = client.post(
        reverse("verification:case_agency", args=[case.pk]), {"agency": other_agency.pk}
    )
    assert response.status_code == 400
    assert "agency" in response.context["form"].errors
    case.refresh_from_db()
    assert case.agency == personas.agency


def test_it_no_longer_offers_the_agency_on_the_figures_page(client, personas, case, other_agency):
    client.force_login(personas.staff)
    form = client.get(reverse("verification:case_update", args=[case.pk])).context["form"]
    assert "agency" not in form.fields


# GET status per persona (None: anonymous → login redirect).
#           staff admin manager ent_a ent_b agency reviewer
MATRIX = (200, 200, 403, 403, 404, 403, 404)
PERSONAS = (
    "staff",
    "admin",
    "manager",
    "enterprise_a_user",
    "enterprise_b_user",
    "agency_user",
    "district_reviewer",
)


def test_it_applies_the_permission_matrix(client, personas, case):
    url = reverse("verification:case_agency", args=[case.pk])
    assert client.get(url).status_code == 302
    for persona, expected in zip(PERSONAS, MATRIX, strict=True):
        client.force_login(getattr(personas, persona))
        assert client.get(url).status_code == expected, persona
