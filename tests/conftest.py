"""Shared personas: one user per role, two enterprises (A and B) and one agency."""

from dataclasses import dataclass

import pytest

from baotou_carbon.accounts.roles import Role
from enterprises.models import District

from .factories import AgencyFactory, EnterpriseFactory, UserFactory


@dataclass
class Personas:
    staff: object
    manager: object
    admin: object
    enterprise_a_user: object
    enterprise_b_user: object
    agency_user: object
    district_reviewer: object
    enterprise_a: object
    enterprise_b: object
    agency: object


@pytest.fixture
def personas(db) -> Personas:
    enterprise_a = EnterpriseFactory(name_zh="甲企业", district=District.KUNDULUN)
    enterprise_b = EnterpriseFactory(name_zh="乙企业", district=District.QINGSHAN)
    agency = AgencyFactory()
    return Personas(
        staff=UserFactory(username="staff", role=Role.BUREAU_STAFF),
        manager=UserFactory(username="manager", role=Role.BUREAU_MANAGER),
        admin=UserFactory(username="admin", role=Role.ADMINISTRATOR),
        enterprise_a_user=UserFactory(
            username="ent_a", role=Role.ENTERPRISE, enterprise=enterprise_a
        ),
        enterprise_b_user=UserFactory(
            username="ent_b", role=Role.ENTERPRISE, enterprise=enterprise_b
        ),
        agency_user=UserFactory(username="agency", role=Role.AGENCY, agency=agency),
        district_reviewer=UserFactory(
            username="reviewer", role=Role.DISTRICT_REVIEWER, district=District.KUNDULUN
        ),
        enterprise_a=enterprise_a,
        enterprise_b=enterprise_b,
        agency=agency,
    )


@pytest.fixture
def client(client):
    """The test client speaks English unless a test asks otherwise (the site default is zh-hans)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
