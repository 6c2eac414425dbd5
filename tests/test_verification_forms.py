"""Bad input on the remaining verification forms: field messages, HTTP 400, nothing saved."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from verification import services
from verification.models import (
    ChecklistTemplate,
    ChecklistTemplateItem,
    DeadlineSettings,
    Holiday,
    Objection,
    VerificationCase,
)

from .factories import ChecklistTemplateItemFactory, VerificationCaseFactory


def history_count(*models) -> int:
    return sum(m.history.count() for m in models)


@pytest.fixture
def staff_client(client, personas):
    client.force_login(personas.staff)
    return client


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": "2024-13-45", "kind": "holiday", "name": "x"}, "date"),
        ({"date": "2024-10-01", "kind": "festival", "name": "x"}, "kind"),
        ({"date": "2024-10-01", "kind": "holiday", "name": ""}, "name"),
        ({"date": "2024-05-01", "kind": "holiday", "name": "劳动节"}, "date"),  # already there
    ],
)
def test_it_refuses_bad_calendar_exceptions(staff_client, data, field):
    Holiday.objects.create(date=date(2024, 5, 1), kind="holiday", name="劳动节")
    response = staff_client.post(reverse("verification:holiday_create"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Holiday.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"evidence_enterprise_days": "-3"}, "evidence_enterprise_days"),
        ({"evidence_enterprise_days": "twenty"}, "evidence_enterprise_days"),
        ({"evidence_ceiling_days": "4000"}, "evidence_ceiling_days"),
        ({"max_upload_mb": "0"}, "max_upload_mb"),
        ({"evidence_enterprise_days": "30", "evidence_ceiling_days": "25"}, "__all__"),
    ],
)
def test_it_refuses_bad_deadlines(staff_client, change, field):
    data = {
        "objection_working_days": "7",
        "re_review_working_days": "10",
        "evidence_enterprise_days": "20",
        "evidence_review_days": "5",
        "evidence_ceiling_days": "40",
        "reminder_days_before": "3",
        "max_upload_mb": "10",
    }
    data.update(change)
    response = staff_client.post(reverse("verification:deadlines"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    row = DeadlineSettings.current()
    assert (row.evidence_enterprise_days, row.evidence_ceiling_days) == (20, 40)


def test_it_saves_good_deadlines_with_the_actor(staff_client, personas):
    data = {
        "objection_working_days": "7",
        "re_review_working_days": "10",
        "evidence_enterprise_days": "15",
        "evidence_review_days": "5",
        "evidence_ceiling_days": "40",
        "reminder_days_before": "2",
        "max_upload_mb": "10",
    }
    assert staff_client.post(reverse("verification:deadlines"), data).status_code == 302
    row = DeadlineSettings.current()
    assert row.evidence_enterprise_days == 15
    assert row.history.first().history_user == personas.staff


def test_it_refuses_bad_checklist_templates_and_items(staff_client):
    item = ChecklistTemplateItemFactory.create(position=1)
    template = item.template
    before = history_count(ChecklistTemplate, ChecklistTemplateItem)
    items = ChecklistTemplateItem.objects.count()
    response = staff_client.post(reverse("verification:template_create"), {"name_zh": ""})
    assert response.status_code == 400
    url = reverse("verification:template_item_create", args=[template.pk])
    for data, field in [
        ({"position": "1", "checkpoint": "ncv", "title_zh": "重复"}, "__all__"),
        ({"position": "2", "checkpoint": "astrology", "title_zh": "x"}, "checkpoint"),
        ({"position": "-1", "checkpoint": "ncv", "title_zh": "x"}, "position"),
        ({"position": "3", "checkpoint": "ncv", "title_zh": ""}, "title_zh"),
    ]:
        response = staff_client.post(url, data)
        assert response.status_code == 400, data
        assert field in response.context["form"].errors, data
    assert ChecklistTemplateItem.objects.count() == items
    assert history_count(ChecklistTemplate, ChecklistTemplateItem) == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reported_emissions_t": "-1", "verified_emissions_t": "1"}, "reported_emissions_t"),
        ({"reported_emissions_t": "1", "verified_emissions_t": "many"}, "verified_emissions_t"),
        ({"reported_emissions_t": "1", "verified_emissions_t": "1e16"}, "verified_emissions_t"),
    ],
)
def test_it_refuses_bad_case_figures(client, personas, data, field):
    case = VerificationCaseFactory.create(enterprise=personas.enterprise_a, agency=personas.agency)
    client.force_login(personas.agency_user)
    response = client.post(
        reverse("verification:case_update", args=[case.pk]), {**data, "conclusion": ""}
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    case.refresh_from_db()
    assert case.reported_emissions_t is None and case.verified_emissions_t is None


@pytest.mark.date_sensitive  # notified today: within the objection period
def test_it_refuses_an_empty_objection(client, personas):
    case = VerificationCaseFactory.create(enterprise=personas.enterprise_a, agency=personas.agency)
    VerificationCase.objects.filter(pk=case.pk).update(
        status="notified", notified_on=timezone.localdate(), verified_emissions_t=Decimal(1)
    )
    client.force_login(personas.enterprise_a_user)
    response = client.post(reverse("verification:objection_lodge", args=[case.pk]), {"grounds": ""})
    assert response.status_code == 400
    assert "grounds" in response.context["form"].errors
    assert not Objection.objects.exists()


def test_it_refuses_a_case_transition_to_an_unknown_step(client, personas):
    case = services.case_create(
        template=ChecklistTemplateItemFactory.create().template,
        actor=personas.staff,
        enterprise=personas.enterprise_a,
        year=2022,
        agency=personas.agency,
    )
    client.force_login(personas.agency_user)
    url = reverse("verification:case_transition", args=[case.pk])
    for target in ("archived", "notified", "bogus", ""):
        response = client.post(url, {"target": target})
        assert response.status_code == 400, target
    assert VerificationCase.objects.get(pk=case.pk).status == "arranged"


# Permission matrix of the reference-data pages ------------------------------------------------

REFERENCE_PERSONAS = [
    "staff",
    "admin",
    "manager",
    "enterprise_a_user",
    "agency_user",
    "district_reviewer",
]
REFERENCE_MATRIX = {
    #                 staff admin manager ent_a agency reviewer
    "templates": (200, 200, 200, 403, 200, 403),
    "template_detail": (200, 200, 200, 403, 200, 403),
    "template_create": (200, 200, 403, 403, 403, 403),
    "template_update": (200, 200, 403, 403, 403, 403),
    "template_item_create": (200, 200, 403, 403, 403, 403),
    "template_item_update": (200, 200, 403, 403, 403, 403),
    "calculator": (200, 200, 200, 200, 200, 200),
}


@pytest.mark.parametrize("view", list(REFERENCE_MATRIX))
def test_it_applies_the_reference_data_permission_matrix(client, personas, view):
    item = ChecklistTemplateItemFactory.create()
    args = {
        "template_detail": [item.template_id],
        "template_update": [item.template_id],
        "template_item_create": [item.template_id],
        "template_item_update": [item.pk],
    }.get(view, [])
    url = reverse(f"verification:{view}", args=args)
    assert client.get(url).status_code == 302
    for persona, expected in zip(REFERENCE_PERSONAS, REFERENCE_MATRIX[view], strict=True):
        client.force_login(getattr(personas, persona))
        assert client.get(url).status_code == expected, (view, persona)


def test_it_lets_only_staff_delete_a_calendar_exception(client, personas):
    holiday = Holiday.objects.create(date=date(2024, 10, 1), kind="holiday", name="国庆节")
    url = reverse("verification:holiday_delete", args=[holiday.pk])
    for persona in ("manager", "enterprise_a_user", "agency_user", "district_reviewer"):
        client.force_login(getattr(personas, persona))
        assert client.post(url).status_code == 403, persona
    client.force_login(personas.staff)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Holiday.objects.exists()
    assert Holiday.history.filter(history_type="-").get().history_user == personas.staff


def test_it_pins_the_template_detail_query_count(client, personas, django_assert_num_queries):
    template = ChecklistTemplate.objects.get(name_zh="发电设施核查要点（2022年度）")
    client.force_login(personas.staff)
    # session, user, template, items, 2 history tables
    with django_assert_num_queries(6):
        assert client.get(template.get_absolute_url()).status_code == 200
