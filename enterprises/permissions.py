"""Who may see and change registry records: one scoped queryset and one getter per entity.

Each getter takes what the caller needs as a keyword (`need=Need.EDIT`): not visible → 404 (the
record's existence is not revealed); visible but the need not met → 403.
"""

import enum
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from baotou_carbon.accounts.roles import BUREAU_ROLES, STAFF_ROLES, Role
from baotou_carbon.core.access import require_need

from .models import (
    Contact,
    Enterprise,
    EnterpriseApiToken,
    Facility,
    GeneratingUnit,
    KeyEmitterListing,
    VerificationAgency,
)


class Need(enum.Enum):
    """What a caller needs to do with a registry record it fetches."""

    READ = "read"
    EDIT = "edit"  # create and change records: bureau staff
    EDIT_CONTACTS = "edit_contacts"  # an enterprise's contact list: staff, or its own user
    MANAGE_TOKENS = "manage_tokens"  # an enterprise's API tokens: staff, or its own user


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_bureau(user) -> bool:
    """Bureau staff, managers and administrators: they see the whole registry."""
    return _active(user) and user.role in BUREAU_ROLES


def is_agency_user(user) -> bool:
    return _active(user) and user.role == Role.AGENCY


def can_edit_registry(user) -> bool:
    return _active(user) and user.role in STAFF_ROLES


def can_see_enterprise_users(user) -> bool:
    """Who may see the login accounts of an enterprise: the bureau."""
    return is_bureau(user)


def can_edit_contacts(user, enterprise: Enterprise) -> bool:
    """Staff edit any enterprise's contacts; an enterprise user edits only its own."""
    if can_edit_registry(user):
        return True
    return user.role == Role.ENTERPRISE and user.enterprise_id == enterprise.pk


def can_manage_api_tokens(user, enterprise: Enterprise) -> bool:
    """Staff issue and revoke any enterprise's API tokens; an enterprise user its own."""
    return can_edit_contacts(user, enterprise)


def can_import(user) -> bool:
    return can_edit_registry(user)


def _read_or_edit(user):
    return {Need.READ: lambda: True, Need.EDIT: lambda: can_edit_registry(user)}


# Which enterprises a user may see -----------------------------------------------------------

NOTHING = Q(pk__in=[])


def enterprise_filter(user, path: str = "") -> Q:
    """A Q limiting rows whose enterprise is reached through `path` (e.g. "facility__enterprise")
    to the enterprises `user` may see. An empty path filters Enterprise itself.

    Every app's permissions.py builds its scoped querysets from this filter, so the rule "an
    enterprise user sees only its own enterprise" lives in one place."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    prefix = f"{path}__" if path else ""
    if user.role in BUREAU_ROLES:
        return Q()
    if user.role == Role.ENTERPRISE:
        return Q(**{f"{prefix}pk": user.enterprise_id})
    if user.role == Role.DISTRICT_REVIEWER:
        return Q(**{f"{prefix}district": user.district})
    if user.role == Role.AGENCY and user.agency_id:
        # Agency users see the enterprises of the cases assigned to their agency, followed
        # through the cases' reverse relation. A subquery (not a join) so an enterprise with
        # several cases is still one row.
        with_cases = Enterprise.objects.filter(verification_cases__agency=user.agency_id)
        return Q(**{f"{prefix}pk__in": with_cases.values("pk")})
    return NOTHING


# Enterprises -----------------------------------------------------------------------------


def enterprises_for_user(user) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(enterprise_filter(user))


def get_enterprise_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> Enterprise:
    """`need`: READ, EDIT (the enterprise and its listings, facilities, units),
    EDIT_CONTACTS or MANAGE_TOKENS."""
    enterprise = get_object_or_404(enterprises_for_user(user), pk=pk)
    require_need(
        need,
        {
            **_read_or_edit(user),
            Need.EDIT_CONTACTS: lambda: can_edit_contacts(user, enterprise),
            Need.MANAGE_TOKENS: lambda: can_manage_api_tokens(user, enterprise),
        },
    )
    return enterprise


@dataclass(frozen=True)
class EnterpriseCapabilities:
    """What the enterprise page offers the user."""

    can_edit: bool  # the enterprise, its listings, facilities and units
    can_edit_contacts: bool
    can_manage_api_tokens: bool


def enterprise_capabilities(user, enterprise: Enterprise) -> EnterpriseCapabilities:
    return EnterpriseCapabilities(
        can_edit=can_edit_registry(user),
        can_edit_contacts=can_edit_contacts(user, enterprise),
        can_manage_api_tokens=can_manage_api_tokens(user, enterprise),
    )


def listings_for_user(user) -> QuerySet[KeyEmitterListing]:
    return KeyEmitterListing.objects.filter(enterprise_filter(user, "enterprise"))


def get_listing_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> KeyEmitterListing:
    listing = get_object_or_404(listings_for_user(user).select_related("enterprise"), pk=pk)
    require_need(need, _read_or_edit(user))
    return listing


# API tokens ----------------------------------------------------------------------------------


def api_tokens_for_user(user) -> QuerySet[EnterpriseApiToken]:
    return EnterpriseApiToken.objects.filter(enterprise_filter(user, "enterprise"))


def get_api_token_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> EnterpriseApiToken:
    """`need`: READ or MANAGE_TOKENS (revoke it)."""
    token = get_object_or_404(api_tokens_for_user(user).select_related("enterprise"), pk=pk)
    require_need(
        need,
        {
            Need.READ: lambda: can_manage_api_tokens(user, token.enterprise),
            Need.MANAGE_TOKENS: lambda: can_manage_api_tokens(user, token.enterprise),
        },
    )
    return token


# Contacts, facilities, units -------------------------------------------------------------


def contacts_for_user(user) -> QuerySet[Contact]:
    return Contact.objects.filter(enterprise_filter(user, "enterprise"))


def facilities_for_user(user) -> QuerySet[Facility]:
    return Facility.objects.filter(enterprise_filter(user, "enterprise"))


def get_facility_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> Facility:
    facility = get_object_or_404(facilities_for_user(user).select_related("enterprise"), pk=pk)
    require_need(need, _read_or_edit(user))
    return facility


def units_for_user(user) -> QuerySet[GeneratingUnit]:
    return GeneratingUnit.objects.filter(enterprise_filter(user, "facility__enterprise"))


def get_unit_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> GeneratingUnit:
    unit = get_object_or_404(units_for_user(user).select_related("facility__enterprise"), pk=pk)
    require_need(need, _read_or_edit(user))
    return unit


# Verification agencies -------------------------------------------------------------------


def agency_filter(user) -> Q:
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.role in BUREAU_ROLES:
        return Q()
    if user.role == Role.AGENCY:
        return Q(pk=user.agency_id)
    return NOTHING


def agencies_for_user(user) -> QuerySet[VerificationAgency]:
    return VerificationAgency.objects.filter(agency_filter(user))


def get_agency_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> VerificationAgency:
    agency = get_object_or_404(agencies_for_user(user), pk=pk)
    require_need(need, _read_or_edit(user))
    return agency


@dataclass(frozen=True)
class AgencyCapabilities:
    """What the agency page offers the user."""

    can_edit: bool


def agency_capabilities(user, agency: VerificationAgency) -> AgencyCapabilities:
    return AgencyCapabilities(can_edit=can_edit_registry(user))
