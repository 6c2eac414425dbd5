"""Creating and editing registry records: clear messages, HTTP 400, nothing half-saved,
every change in the history with its actor."""

from decimal import Decimal

import pytest
from django.urls import reverse

from enterprises.models import Contact, Enterprise, GeneratingUnit

from .factories import ContactFactory, FacilityFactory, valid_uscc

GOOD = {
    "name_zh": "包头测试电力有限公司",
    "name_en": "Baotou Test Power Co., Ltd.",
    "uscc": "91350100M000100Y43",
    "district": "150203",
    "industry": "power",
    "registry_account": "NM-0001",
    "address": "",
    "is_active": "on",
}


def test_it_creates_an_enterprise_and_records_who_did_it(client, personas):
    client.force_login(personas.staff)
    response = client.post(reverse("enterprises:create"), GOOD)
    enterprise = Enterprise.objects.get(uscc=GOOD["uscc"])
    assert response.status_code == 302
    assert response["Location"] == enterprise.get_absolute_url()
    record = enterprise.history.get()
    assert record.history_type == "+"
    assert record.history_user == personas.staff


def test_it_upper_cases_a_lower_case_credit_code(client, personas):
    client.force_login(personas.staff)
    client.post(reverse("enterprises:create"), {**GOOD, "uscc": GOOD["uscc"].lower()})
    assert Enterprise.objects.filter(uscc=GOOD["uscc"]).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("uscc", "91350100M000100Y4Z", "it should be 3"),
        ("uscc", "123", "18 characters"),
        ("uscc", "", "This field is required."),
        ("name_zh", "", "This field is required."),
        ("district", "110000", "Select a valid choice."),
        ("industry", "banking", "Select a valid choice."),
    ],
)
def test_it_rejects_bad_input_next_to_the_field(client, personas, field, value, message):
    client.force_login(personas.staff)
    response = client.post(reverse("enterprises:create"), {**GOOD, field: value})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Enterprise.objects.filter(name_zh=GOOD["name_zh"]).exists()


def test_it_rejects_a_duplicate_credit_code(client, personas):
    client.force_login(personas.staff)
    response = client.post(
        reverse("enterprises:create"), {**GOOD, "uscc": personas.enterprise_a.uscc}
    )
    assert response.status_code == 400
    assert "uscc" in response.context["form"].errors


def test_it_shows_messages_in_chinese_by_default(client, personas):
    client.force_login(personas.staff)
    response = client.post(
        reverse("enterprises:create"),
        {**GOOD, "uscc": "91350100M000100Y4Z"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert "校验码" in response.content.decode()


def test_it_records_field_changes_in_the_history(client, personas):
    client.force_login(personas.staff)
    enterprise = personas.enterprise_a
    data = {**GOOD, "uscc": enterprise.uscc, "name_zh": "甲企业（更名）"}
    response = client.post(reverse("enterprises:update", args=[enterprise.pk]), data)
    assert response.status_code == 302
    page = client.get(enterprise.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    entry = page.context["history"][0]
    assert entry.actor == personas.staff
    assert any(c.old == "甲企业" and c.new == "甲企业（更名）" for c in entry.changes)


def test_it_lets_an_enterprise_user_edit_its_contacts_and_swap_the_primary(client, personas):
    enterprise = personas.enterprise_a
    first = ContactFactory(enterprise=enterprise, name="王工", is_primary=True)
    second = ContactFactory(enterprise=enterprise, name="李工", is_primary=False)
    client.force_login(personas.enterprise_a_user)
    data = {
        "contacts-TOTAL_FORMS": "3",
        "contacts-INITIAL_FORMS": "2",
        "contacts-0-id": first.pk,
        "contacts-0-name": "王工",
        "contacts-1-id": second.pk,
        "contacts-1-name": "李工",
        "contacts-1-is_primary": "on",
        "contacts-2-name": "赵工",
        "contacts-2-email": "zhao@example.com",
    }
    response = client.post(reverse("enterprises:contacts", args=[enterprise.pk]), data)
    assert response.status_code == 302
    primaries = list(Contact.objects.filter(enterprise=enterprise, is_primary=True))
    assert [c.name for c in primaries] == ["李工"]
    assert Contact.objects.filter(enterprise=enterprise).count() == 3
    assert Contact.history.filter(history_user=personas.enterprise_a_user).count() == 3


def test_it_refuses_two_primary_contacts_and_saves_none(client, personas):
    enterprise = personas.enterprise_a
    client.force_login(personas.enterprise_a_user)
    data = {
        "contacts-TOTAL_FORMS": "2",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "甲",
        "contacts-0-is_primary": "on",
        "contacts-1-name": "乙",
        "contacts-1-is_primary": "on",
    }
    response = client.post(reverse("enterprises:contacts", args=[enterprise.pk]), data)
    assert response.status_code == 400
    assert "only one contact" in " ".join(response.context["formset"].non_form_errors())
    assert not Contact.objects.filter(enterprise=enterprise).exists()


def test_it_rejects_a_bad_contact_email(client, personas):
    client.force_login(personas.enterprise_a_user)
    data = {
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "甲",
        "contacts-0-email": "not-an-email",
    }
    response = client.post(reverse("enterprises:contacts", args=[personas.enterprise_a.pk]), data)
    assert response.status_code == 400
    assert "email" in response.context["formset"].forms[0].errors


UNIT = {
    "code": "#1",
    "allocation_category": "coal_300_and_below",
    "capacity_mw": "300",
    "main_fuel": "coal",
    "cooling": "air",
    "operating_mode": "chp",
    "commissioned_on": "2010-06-01",
}


def test_it_creates_a_unit_of_exactly_300_mw_as_300_and_below(client, personas):
    facility = FacilityFactory(enterprise=personas.enterprise_a)
    client.force_login(personas.staff)
    response = client.post(reverse("enterprises:unit_create", args=[facility.pk]), UNIT)
    assert response.status_code == 302
    unit = GeneratingUnit.objects.get(facility=facility)
    assert unit.capacity_mw == Decimal("300.00")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"allocation_category": "coal_above_300"}, "capacity_mw"),
        ({"capacity_mw": "350"}, "capacity_mw"),
        ({"main_fuel": "natural_gas"}, "allocation_category"),
        ({"allocation_category": "gas"}, "main_fuel"),
        ({"main_fuel": "coal_gangue"}, "allocation_category"),
        ({"capacity_mw": "-5"}, "capacity_mw"),
        ({"capacity_mw": "abc"}, "capacity_mw"),
        ({"capacity_mw": "99999999"}, "capacity_mw"),
        ({"commissioned_on": "2010-13-45"}, "commissioned_on"),
    ],
)
def test_it_rejects_an_inconsistent_unit(client, personas, change, field):
    facility = FacilityFactory(enterprise=personas.enterprise_a)
    client.force_login(personas.staff)
    response = client.post(
        reverse("enterprises:unit_create", args=[facility.pk]), {**UNIT, **change}
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not GeneratingUnit.objects.filter(facility=facility).exists()


def test_it_rejects_a_duplicate_unit_code_without_a_500(client, personas):
    facility = FacilityFactory(enterprise=personas.enterprise_a)
    client.force_login(personas.staff)
    client.post(reverse("enterprises:unit_create", args=[facility.pk]), UNIT)
    response = client.post(reverse("enterprises:unit_create", args=[facility.pk]), UNIT)
    assert response.status_code == 400
    assert GeneratingUnit.objects.filter(facility=facility).count() == 1


def test_it_rejects_a_duplicate_listing_year_without_a_500(client, personas):
    client.force_login(personas.staff)
    url = reverse("enterprises:listing_create", args=[personas.enterprise_a.pk])
    data = {"year": "2022", "sector": "power", "reference": "环办气候函〔2023〕43号"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 400


def test_it_creates_and_edits_an_agency(client, personas):
    client.force_login(personas.staff)
    data = {"name_zh": "内蒙古某核查中心", "uscc": valid_uscc(77, "150000"), "is_active": "on"}
    response = client.post(reverse("enterprises:agency_create"), data)
    assert response.status_code == 302
    bad = client.post(reverse("enterprises:agency_create"), {**data, "uscc": "X"})
    assert bad.status_code == 400


def test_it_treats_a_lower_case_duplicate_code_as_a_duplicate(personas):
    from django.core.exceptions import ValidationError

    from baotou_carbon.core.audit import save_audited

    twin = Enterprise(
        name_zh="重复", uscc=personas.enterprise_a.uscc.lower(), district="150203", industry="power"
    )
    with pytest.raises(ValidationError) as info:
        save_audited(twin, actor=personas.staff)
    assert "uscc" in info.value.message_dict


def test_it_answers_the_health_check_without_login(client, db):
    response = client.get(reverse("dashboard:healthz"))
    assert (response.status_code, response.content) == (200, b"ok")


def test_it_shows_a_service_error_on_a_field_the_form_lacks_without_a_500(rf, personas):
    from django.core.exceptions import ValidationError

    from baotou_carbon.core.views import form_page
    from enterprises.forms import FacilityForm

    def failing_service():
        raise ValidationError({"enterprise": "This enterprise is archived.", "name_zh": "Taken."})

    request = rf.post("/", {"name_zh": "一期", "kind": "captive_power"})
    request.user = personas.staff
    form = FacilityForm(request.POST, enterprise=personas.enterprise_a)
    response = form_page(
        request,
        form,
        save=failing_service,
        redirect_to="/",
        title="t",
        success_message="m",
        cancel_url="/",
    )
    assert response.status_code == 400
    assert form.errors["name_zh"] == ["Taken."]
    assert "This enterprise is archived." in form.non_field_errors()[0]


def test_it_names_related_records_in_the_history_instead_of_ids(client, personas):
    from .factories import UnitFactory

    first = FacilityFactory(enterprise=personas.enterprise_a, name_zh="一期电厂")
    second = FacilityFactory(enterprise=personas.enterprise_a, name_zh="二期电厂")
    unit = UnitFactory(facility=first)
    from baotou_carbon.core.audit import update_audited

    update_audited(unit, fields={"facility": second}, actor=personas.staff)
    client.force_login(personas.staff)
    page = client.get(personas.enterprise_a.get_absolute_url())
    moved = next(e for e in page.context["history"] if e.changes)
    assert (moved.changes[0].old, moved.changes[0].new) == ("一期电厂", "二期电厂")
