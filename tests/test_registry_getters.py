"""The registry's access getters: one per entity, what the caller needs as a keyword; not
visible → 404, visible but the need not met → 403. And the frozen capabilities of its pages."""

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from enterprises import permissions
from enterprises.permissions import Need

from .factories import FacilityFactory, ListingFactory, UnitFactory

PERSONAS = (
    "staff",
    "manager",
    "admin",
    "enterprise_a_user",
    "enterprise_b_user",
    "agency_user",
    "district_reviewer",
)


def outcome(get, *args, **kwargs) -> int:
    """What a view built on the getter answers: 200, 403 or 404."""
    try:
        get(*args, **kwargs)
    except Http404:
        return 404
    except PermissionDenied:
        return 403
    return 200


@pytest.fixture
def records(personas):
    """Enterprise A's records. The agency has no case of A, so it does not see A; the district
    reviewer is A's district's."""
    facility = FacilityFactory(enterprise=personas.enterprise_a)
    return {
        "enterprise": personas.enterprise_a,
        "facility": facility,
        "unit": UnitFactory(facility=facility),
        "listing": ListingFactory(enterprise=personas.enterprise_a),
        "agency": personas.agency,
    }


GETTERS = {
    "enterprise": permissions.get_enterprise_for_user_or_404,
    "facility": permissions.get_facility_for_user_or_404,
    "unit": permissions.get_unit_for_user_or_404,
    "listing": permissions.get_listing_for_user_or_404,
    "agency": permissions.get_agency_for_user_or_404,
}
A_RECORD_READ = (200, 200, 200, 200, 404, 404, 200)
A_RECORD_EDIT = (200, 403, 200, 403, 404, 404, 403)

#                                 staff manager admin ent_a ent_b agency reviewer
MATRIX = {
    ("enterprise", Need.READ): A_RECORD_READ,
    ("enterprise", Need.EDIT): A_RECORD_EDIT,
    ("enterprise", Need.EDIT_CONTACTS): (200, 403, 200, 200, 404, 404, 403),
    ("facility", Need.READ): A_RECORD_READ,
    ("facility", Need.EDIT): A_RECORD_EDIT,
    ("unit", Need.READ): A_RECORD_READ,
    ("unit", Need.EDIT): A_RECORD_EDIT,
    ("listing", Need.READ): A_RECORD_READ,
    ("listing", Need.EDIT): A_RECORD_EDIT,
    ("agency", Need.READ): (200, 200, 200, 404, 404, 200, 404),
    ("agency", Need.EDIT): (200, 403, 200, 404, 404, 403, 404),
}


@pytest.mark.parametrize(("entity", "need"), list(MATRIX), ids=lambda v: getattr(v, "name", v))
def test_it_answers_each_need_of_each_persona(personas, records, entity, need):
    get, pk = GETTERS[entity], records[entity].pk
    got = tuple(outcome(get, getattr(personas, p), pk, need=need) for p in PERSONAS)
    assert got == MATRIX[(entity, need)]


@pytest.mark.parametrize("entity", list(GETTERS))
def test_it_reads_by_default_and_hides_a_missing_row(personas, records, entity):
    get = GETTERS[entity]
    assert get(personas.staff, records[entity].pk) == records[entity]
    assert outcome(get, personas.staff, 10**9, need=Need.EDIT) == 404


def test_it_refuses_a_need_the_entity_does_not_have(personas, records):
    with pytest.raises(ValueError, match="EDIT_CONTACTS"):
        permissions.get_unit_for_user_or_404(
            personas.staff, records["unit"].pk, need=Need.EDIT_CONTACTS
        )


def test_it_freezes_the_capabilities_and_builds_them_from_the_predicates(personas):
    enterprise = personas.enterprise_a
    for name in PERSONAS:
        user = getattr(personas, name)
        caps = permissions.enterprise_capabilities(user, enterprise)
        assert caps == permissions.EnterpriseCapabilities(
            can_edit=permissions.can_edit_registry(user),
            can_edit_contacts=permissions.can_edit_contacts(user, enterprise),
            can_manage_api_tokens=permissions.can_manage_api_tokens(user, enterprise),
        ), name
        agency_caps = permissions.agency_capabilities(user, personas.agency)
        assert agency_caps.can_edit == permissions.can_edit_registry(user), name
    with pytest.raises(dataclasses.FrozenInstanceError):
        caps.can_edit = True  # type: ignore[misc]
    assert permissions.enterprise_capabilities(personas.enterprise_a_user, enterprise) == (
        permissions.EnterpriseCapabilities(
            can_edit=False, can_edit_contacts=True, can_manage_api_tokens=True
        )
    )
