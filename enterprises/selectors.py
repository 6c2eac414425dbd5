"""Reads for the registry: querysets shaped for their pages, related rows fetched at the source."""

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects

from baotou_carbon.core.history import HistoryEntry, history_entries

from .models import (
    Contact,
    Enterprise,
    EnterpriseApiToken,
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


_LISTINGS = Prefetch("listings", queryset=KeyEmitterListing.objects.order_by("year"))


def enterprise_api_list(user) -> QuerySet[Enterprise]:
    """The API's list: the page's rows with their listings (one query more, whatever the rows)."""
    return enterprise_list(user).prefetch_related(_LISTINGS)


def enterprise_structure(enterprise: Enterprise) -> Enterprise:
    """Load the enterprise's listings, facilities and their units onto it (three queries)."""
    prefetch_related_objects(
        [enterprise],
        _LISTINGS,
        Prefetch(
            "facilities",
            queryset=Facility.objects.order_by("name_zh", "pk").prefetch_related(
                Prefetch("units", queryset=GeneratingUnit.objects.order_by("code", "pk"))
            ),
        ),
    )
    return enterprise


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


def api_tokens_of(enterprise: Enterprise) -> list[EnterpriseApiToken]:
    """The enterprise's tokens, newest first, with the users they act as and who issued them."""
    return list(
        EnterpriseApiToken.objects.filter(enterprise=enterprise).select_related(
            "user", "created_by"
        )
    )
