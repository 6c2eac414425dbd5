"""Reads for the registry: querysets shaped for their pages, related rows fetched at the source."""

from django.db.models import Count, Prefetch, Q, QuerySet

from baotou_carbon.core.history import HistoryEntry, history_entries

from .models import (
    Contact,
    Enterprise,
    Facility,
    GeneratingUnit,
    KeyEmitterListing,
    VerificationAgency,
)
from .permissions import (
    agencies_for_user,
    can_see_enterprise_users,
    enterprises_for_user,
    units_for_user,
)


def enterprise_search(qs: QuerySet[Enterprise], term: str) -> QuerySet[Enterprise]:
    term = term.strip()
    if not term:
        return qs
    return qs.filter(
        Q(name_zh__icontains=term)
        | Q(name_en__icontains=term)
        | Q(uscc__icontains=term)
        | Q(registry_account__icontains=term)
    )


def enterprise_list(user) -> QuerySet[Enterprise]:
    """Enterprises the user may see, with their unit count and total capacity."""
    return (
        enterprises_for_user(user)
        .annotate(unit_count=Count("facilities__units", distinct=True))
        .order_by("name_zh", "pk")
    )


def enterprise_detail(user, enterprise: Enterprise) -> dict:
    """Everything the enterprise page shows, in a fixed number of queries."""
    facilities = list(
        Facility.objects.filter(enterprise=enterprise).prefetch_related(
            Prefetch("units", queryset=GeneratingUnit.objects.order_by("code"))
        )
    )
    return {
        "facilities": facilities,
        "unit_count": sum(len(f.units.all()) for f in facilities),
        "contacts": list(Contact.objects.filter(enterprise=enterprise)),
        "listings": list(KeyEmitterListing.objects.filter(enterprise=enterprise)),
        "users": list(enterprise.users.order_by("username"))
        if can_see_enterprise_users(user)
        else [],
        "history": enterprise_history(enterprise),
    }


def enterprise_history(enterprise: Enterprise, limit: int = 50) -> list[HistoryEntry]:
    """The audit trail of the enterprise and its contacts, facilities, units and listings."""
    return history_entries(
        [
            Enterprise.history.filter(id=enterprise.pk),
            Contact.history.filter(enterprise_id=enterprise.pk),
            Facility.history.filter(enterprise_id=enterprise.pk),
            GeneratingUnit.history.filter(
                facility_id__in=Facility.history.filter(enterprise_id=enterprise.pk).values("id")
            ),
            KeyEmitterListing.history.filter(enterprise_id=enterprise.pk),
        ],
        limit=limit,
    )


def unit_list(user) -> QuerySet[GeneratingUnit]:
    return units_for_user(user).select_related("facility__enterprise")


def agency_list(user):
    return (
        agencies_for_user(user)
        .annotate(user_count=Count("users", distinct=True))
        .order_by("name_zh", "pk")
    )


def agency_history(agency, limit: int = 50) -> list[HistoryEntry]:
    return history_entries([VerificationAgency.history.filter(id=agency.pk)], limit=limit)
