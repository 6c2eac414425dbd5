"""Reads of compliance positions."""

from django.db.models import QuerySet

from ..models import CompliancePosition, PositionBasis
from ..permissions import positions_for_user


def position_list(user, *, year: int, basis: str = PositionBasis.VERIFIED) -> QuerySet:
    """The year's positions the user may see, with their enterprise: two queries at most
    whatever the number of enterprises (the list and its count)."""
    return (
        positions_for_user(user)
        .filter(year=year, basis=basis)
        .select_related("enterprise")
        .order_by("-shortfall_ratio", "enterprise__name_zh")
    )


def position_api_list(user) -> QuerySet:
    """Every position the user may see, newest year first, with its enterprise (one query for
    a page, whatever its rows)."""
    return (
        positions_for_user(user)
        .select_related("enterprise")
        .order_by("-year", "enterprise__name_zh", "basis", "pk")
    )


def position_years(user) -> list[int]:
    return sorted(
        set(positions_for_user(user).values_list("year", flat=True).distinct()), reverse=True
    )


def position_of(*, enterprise_id: int, year: int) -> CompliancePosition | None:
    return CompliancePosition.objects.filter(
        enterprise_id=enterprise_id, year=year, basis=PositionBasis.VERIFIED
    ).first()
