"""Pinned query counts: pages cost the same whatever the number of rows."""

import pytest
from django.urls import reverse

from .factories import (
    ContactFactory,
    EnterpriseFactory,
    FacilityFactory,
    ListingFactory,
    UnitFactory,
)


@pytest.fixture
def many_enterprises(personas):
    for _ in range(30):
        enterprise = EnterpriseFactory()
        UnitFactory.create_batch(2, facility=FacilityFactory(enterprise=enterprise))
    return personas


def test_it_lists_enterprises_in_a_fixed_number_of_queries(
    client, many_enterprises, django_assert_num_queries
):
    client.force_login(many_enterprises.staff)
    # 1 session, 2 user, 3 count for the paginator, 4 the page of enterprises with unit counts
    with django_assert_num_queries(4):
        response = client.get(reverse("enterprises:list"), {"district": "150203"})
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == 25


def test_it_lists_units_in_a_fixed_number_of_queries(
    client, many_enterprises, django_assert_num_queries
):
    client.force_login(many_enterprises.staff)
    # 1 session, 2 user, 3 count, 4 the page of units joined to facility and enterprise
    with django_assert_num_queries(4):
        response = client.get(reverse("enterprises:unit_list"))
    assert response.status_code == 200


def test_it_exports_in_a_fixed_number_of_queries(
    client, many_enterprises, django_assert_num_queries
):
    client.force_login(many_enterprises.staff)
    # 1 session, 2 user, 3 every enterprise with unit counts (no pagination in an export)
    with django_assert_num_queries(3):
        response = client.get(reverse("enterprises:list"), {"_export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_it_shows_an_enterprise_in_a_fixed_number_of_queries(
    client, personas, django_assert_num_queries
):
    enterprise = personas.enterprise_a
    for _ in range(3):
        UnitFactory.create_batch(3, facility=FacilityFactory(enterprise=enterprise))
    ContactFactory.create_batch(3, enterprise=enterprise)
    ListingFactory(enterprise=enterprise, year=2021)
    ListingFactory(enterprise=enterprise, year=2022)
    client.force_login(personas.staff)
    # 1 session, 2 user, 3 the enterprise (scoped), 4 facilities, 5 their units,
    # 6 contacts, 7 listings, 8 user accounts of the enterprise,
    # 9–15 its verification cases, emission reports, monthly evidence, assistance visits,
    # open follow-ups, compliance positions and relief applications ("Cases and assistance"
    # tab), 16–20 history of enterprise, contacts, facilities, units, listings (with actors)
    with django_assert_num_queries(20):
        response = client.get(reverse("enterprises:detail", args=[enterprise.pk]))
    assert response.status_code == 200
    assert len(response.context["history"]) >= 15


def test_it_shows_an_agency_in_a_fixed_number_of_queries(
    client, personas, django_assert_num_queries
):
    client.force_login(personas.staff)
    # 1 session, 2 user, 3 the agency (scoped), 4 its users, 5 its history with actors
    with django_assert_num_queries(5):
        response = client.get(reverse("enterprises:agency_detail", args=[personas.agency.pk]))
    assert response.status_code == 200
