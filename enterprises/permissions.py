"""Who may see and change registry records: one scoped queryset and one getter per entity.

Not visible → 404 (the record's existence is not revealed); visible but read-only → 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from baotou_carbon.accounts.roles import BUREAU_ROLES, Role

from .models import Contact, Enterprise, Facility, GeneratingUnit, VerificationAgency


def can_edit_registry(user) -> bool:
    return bool(user.is_authenticated and user.can_edit_registry)


def can_edit_contacts(user, enterprise: Enterprise) -> bool:
    """Staff edit any enterprise's contacts; an enterprise user edits only its own."""
    if can_edit_registry(user):
        return True
    return user.role == Role.ENTERPRISE and user.enterprise_id == enterprise.pk


def can_import(user) -> bool:
    return can_edit_registry(user)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


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


def get_enterprise_for_user_or_404(user, pk: int, *, for_write: bool = False) -> Enterprise:
    enterprise = get_object_or_404(enterprises_for_user(user), pk=pk)
    if for_write:
        _require(can_edit_registry(user))
    return enterprise


def get_enterprise_contacts_for_user_or_404(user, pk: int) -> Enterprise:
    enterprise = get_object_or_404(enterprises_for_user(user), pk=pk)
    _require(can_edit_contacts(user, enterprise))
    return enterprise


# Contacts, facilities, units -------------------------------------------------------------


def contacts_for_user(user) -> QuerySet[Contact]:
    return Contact.objects.filter(enterprise_filter(user, "enterprise"))


def facilities_for_user(user) -> QuerySet[Facility]:
    return Facility.objects.filter(enterprise_filter(user, "enterprise"))


def get_facility_for_user_or_404(user, pk: int, *, for_write: bool = False) -> Facility:
    facility = get_object_or_404(facilities_for_user(user).select_related("enterprise"), pk=pk)
    if for_write:
        _require(can_edit_registry(user))
    return facility


def units_for_user(user) -> QuerySet[GeneratingUnit]:
    return GeneratingUnit.objects.filter(enterprise_filter(user, "facility__enterprise"))


def get_unit_for_user_or_404(user, pk: int, *, for_write: bool = False) -> GeneratingUnit:
    unit = get_object_or_404(units_for_user(user).select_related("facility__enterprise"), pk=pk)
    if for_write:
        _require(can_edit_registry(user))
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


def get_agency_for_user_or_404(user, pk: int, *, for_write: bool = False) -> VerificationAgency:
    agency = get_object_or_404(agencies_for_user(user), pk=pk)
    if for_write:
        _require(can_edit_registry(user))
    return agency
