"""Permission matrix for every registry view.

Not visible → 404 (existence not revealed), visible but read-only → 403, anonymous → login.
Personas (tests/conftest.py): enterprise A is in Kundulun (the reviewer's district), B in Qingshan.
"""

import pytest
from django.urls import reverse

from .factories import FacilityFactory, ListingFactory, UnitFactory

PERSONAS = [
    "anonymous",
    "staff",
    "manager",
    "admin",
    "enterprise_a_user",
    "enterprise_b_user",
    "agency_user",
    "district_reviewer",
]


@pytest.fixture
def world(personas):
    facility = FacilityFactory(enterprise=personas.enterprise_a)
    unit = UnitFactory(facility=facility)
    listing = ListingFactory(enterprise=personas.enterprise_a)
    return {
        "enterprise": personas.enterprise_a.pk,
        "facility": facility.pk,
        "unit": unit.pk,
        "listing": listing.pk,
        "agency": personas.agency.pk,
    }


# (url name, argument key, method) → expected status per persona, in PERSONAS order.
#                       anon staff mgr admin entA entB agency reviewer
MATRIX = {
    ("dashboard:home", None, "get"): [302, 200, 200, 200, 200, 200, 200, 200],
    ("enterprises:list", None, "get"): [302, 200, 200, 200, 200, 200, 200, 200],
    ("enterprises:detail", "enterprise", "get"): [302, 200, 200, 200, 200, 404, 404, 200],
    ("enterprises:create", None, "get"): [302, 200, 403, 200, 403, 403, 403, 403],
    ("enterprises:update", "enterprise", "get"): [302, 200, 403, 200, 403, 404, 404, 403],
    ("enterprises:contacts", "enterprise", "get"): [302, 200, 403, 200, 200, 404, 404, 403],
    ("enterprises:listing_create", "enterprise", "get"): [302, 200, 403, 200, 403, 404, 404, 403],
    ("enterprises:listing_delete", "listing", "post"): [302, 302, 403, 302, 403, 404, 404, 403],
    ("enterprises:facility_create", "enterprise", "get"): [302, 200, 403, 200, 403, 404, 404, 403],
    ("enterprises:facility_update", "facility", "get"): [302, 200, 403, 200, 403, 404, 404, 403],
    ("enterprises:unit_create", "facility", "get"): [302, 200, 403, 200, 403, 404, 404, 403],
    ("enterprises:unit_update", "unit", "get"): [302, 200, 403, 200, 403, 404, 404, 403],
    ("enterprises:unit_list", None, "get"): [302, 200, 200, 200, 200, 200, 200, 200],
    ("enterprises:agency_list", None, "get"): [302, 200, 200, 200, 200, 200, 200, 200],
    ("enterprises:agency_detail", "agency", "get"): [302, 200, 200, 200, 404, 404, 200, 404],
    ("enterprises:agency_create", None, "get"): [302, 200, 403, 200, 403, 403, 403, 403],
    ("enterprises:agency_update", "agency", "get"): [302, 200, 403, 200, 404, 404, 403, 404],
    ("enterprises:import", None, "get"): [302, 200, 403, 200, 403, 403, 403, 403],
}

CASES = [
    pytest.param(view, key, method, persona, statuses[i], id=f"{view}-{persona}")
    for (view, key, method), statuses in MATRIX.items()
    for i, persona in enumerate(PERSONAS)
]


@pytest.mark.parametrize(("view", "key", "method", "persona", "expected"), CASES)
def test_it_answers_each_role_as_the_matrix_says(
    client, personas, world, view, key, method, persona, expected
):
    if persona != "anonymous":
        client.force_login(getattr(personas, persona))
    url = reverse(view, args=[world[key]] if key else [])
    response = getattr(client, method)(url)
    assert response.status_code == expected
    if expected == 302 and persona == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))


def _names(response) -> set[str]:
    return {row.record.name_zh for row in response.context["table"].page.object_list}


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("staff", {"甲企业", "乙企业"}),
        ("manager", {"甲企业", "乙企业"}),
        ("enterprise_a_user", {"甲企业"}),
        ("enterprise_b_user", {"乙企业"}),
        ("agency_user", set()),
        ("district_reviewer", {"甲企业"}),
    ],
)
def test_it_lists_only_the_enterprises_a_role_may_see(client, personas, persona, visible):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("enterprises:list"))
    assert _names(response) == visible


def test_it_exports_only_visible_rows(client, personas):
    client.force_login(personas.enterprise_a_user)
    response = client.get(reverse("enterprises:list"), {"_export": "csv"})
    body = response.content.decode("utf-8")
    assert personas.enterprise_a.uscc in body
    assert personas.enterprise_b.uscc not in body


def test_it_lists_only_visible_units(client, personas):
    UnitFactory(facility__enterprise=personas.enterprise_a, code="A1")
    UnitFactory(facility__enterprise=personas.enterprise_b, code="B1")
    client.force_login(personas.enterprise_b_user)
    response = client.get(reverse("enterprises:unit_list"))
    codes = {row.record.code for row in response.context["table"].page.object_list}
    assert codes == {"B1"}


def test_it_lets_an_agency_see_only_its_own_agency(client, personas):
    from .factories import AgencyFactory

    other = AgencyFactory()
    client.force_login(personas.agency_user)
    response = client.get(reverse("enterprises:agency_list"))
    names = {row.record.name_zh for row in response.context["table"].page.object_list}
    assert names == {personas.agency.name_zh}
    assert client.get(reverse("enterprises:agency_detail", args=[other.pk])).status_code == 404


def test_it_refuses_an_enterprise_user_editing_another_enterprises_contacts(client, personas):
    client.force_login(personas.enterprise_a_user)
    response = client.post(
        reverse("enterprises:contacts", args=[personas.enterprise_b.pk]),
        {"contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0", "contacts-0-name": "x"},
    )
    assert response.status_code == 404
    assert not personas.enterprise_b.contacts.exists()


def test_it_hides_edit_links_from_read_only_roles(client, personas):
    client.force_login(personas.manager)
    response = client.get(reverse("enterprises:detail", args=[personas.enterprise_a.pk]))
    assert (
        reverse("enterprises:update", args=[personas.enterprise_a.pk])
        not in response.content.decode()
    )


def test_it_shows_an_enterprises_cases_only_to_those_who_may_see_them(client, personas):
    from .factories import AgencyFactory, VerificationCaseFactory

    other_agency = AgencyFactory()
    mine = VerificationCaseFactory(
        enterprise=personas.enterprise_a, agency=personas.agency, year=2022
    )
    VerificationCaseFactory(enterprise=personas.enterprise_a, agency=other_agency, year=2021)
    url = reverse("enterprises:detail", args=[personas.enterprise_a.pk])

    def cases_shown(user):
        client.force_login(user)
        groups = client.get(url).context["groups"]
        cases = next(g for g in groups if g.title == "Verification cases")
        return {href for _label, _status, href in cases.rows}

    assert len(cases_shown(personas.staff)) == 2
    assert cases_shown(personas.agency_user) == {mine.get_absolute_url()}
    titles = {g.title for g in client.get(url).context["groups"]}
    assert "Assistance visits" not in titles  # agencies do not read assistance records
