"""Reads of the savings snapshot and the year's positions and relief, grouped for the manager
dashboard: each a fixed number of grouped queries, whatever the number of enterprises."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum

from ..models import (
    GAIN_MEASURES,
    RELIEF_MEASURES,
    CompliancePosition,
    Measure,
    PositionBasis,
    PositionStatus,
    ReliefApplication,
    SavingsFigure,
)

ZERO = Decimal(0)


def _in_district(district: str | None, path: str = "enterprise__district") -> Q:
    return Q(**{path: district}) if district else Q()


@dataclass
class Totals:
    gain_t: Decimal = ZERO
    savings_yuan: Decimal = ZERO

    def add(self, gain_t: Decimal, savings_yuan: Decimal | None) -> None:
        self.gain_t += gain_t
        self.savings_yuan += savings_yuan or ZERO


@dataclass
class SavingsBreakdown:
    """The year's snapshot summed by measure, district and industry (one query): `total` is
    the allowance gains (verification, cross-verification, assistance), `relief` the relief
    granted beside them; the districts and industries rank the gains."""

    total: Totals = field(default_factory=Totals)
    relief: Totals = field(default_factory=Totals)
    by_measure: dict[str, Totals] = field(default_factory=dict)
    by_district: dict[str, Totals] = field(default_factory=dict)
    by_industry: dict[str, Totals] = field(default_factory=dict)
    computed_at: datetime | None = None
    price_yuan_per_t: Decimal | None = None
    price_on: date | None = None


def savings_breakdown(*, year: int, district: str | None = None) -> SavingsBreakdown:
    breakdown = SavingsBreakdown(by_measure={m: Totals() for m in Measure.values})
    rows = list(
        SavingsFigure.objects.filter(Q(year=year) & _in_district(district))
        .order_by()
        .values("measure", "enterprise__district", "enterprise__industry")
        .annotate(
            gain_t=Sum("gain_t"),
            savings_yuan=Sum("savings_yuan"),
            computed_at=Max("computed_at"),
            price=Max("price_yuan_per_t"),
            price_on=Max("price_on"),
        )
    )
    for row in rows:
        gain, saved = row["gain_t"], row["savings_yuan"]
        breakdown.by_measure[row["measure"]].add(gain, saved)
        if row["measure"] in RELIEF_MEASURES:
            breakdown.relief.add(gain, saved)
            continue
        breakdown.total.add(gain, saved)
        breakdown.by_district.setdefault(row["enterprise__district"], Totals()).add(gain, saved)
        breakdown.by_industry.setdefault(row["enterprise__industry"], Totals()).add(gain, saved)
    for row in rows:  # evaluated once above: the stamp and price over every row
        if breakdown.computed_at is None or row["computed_at"] > breakdown.computed_at:
            breakdown.computed_at = row["computed_at"]
        breakdown.price_yuan_per_t = breakdown.price_yuan_per_t or row["price"]
        breakdown.price_on = breakdown.price_on or row["price_on"]
    return breakdown


def top_savings_enterprises(*, year: int, district: str | None = None, limit: int = 10) -> list:
    """The enterprises whose allowance gains saved most in the year: rows of `enterprise_id`,
    `enterprise__name_zh`, `enterprise__name_en`, `gain_t`, `savings_yuan` (one query)."""
    return list(
        SavingsFigure.objects.filter(
            Q(year=year, measure__in=sorted(GAIN_MEASURES)) & _in_district(district)
        )
        .order_by()
        .values("enterprise_id", "enterprise__name_zh", "enterprise__name_en")
        .annotate(gain_t=Sum("gain_t"), savings_yuan=Sum("savings_yuan"))
        .order_by("-savings_yuan", "-gain_t", "enterprise_id")[:limit]
    )


# Shortfall buckets by the shortfall ratio (shortfall ÷ verified or projected emissions).
SHORTFALL_BUCKETS = (
    ("none", None, None),
    ("under_5", Decimal(0), Decimal("0.05")),
    ("5_to_10", Decimal("0.05"), Decimal("0.10")),
    ("10_to_20", Decimal("0.10"), Decimal("0.20")),
    ("over_20", Decimal("0.20"), None),
)


def _bucket_q(low: Decimal | None, high: Decimal | None) -> Q:
    if low is None:
        return ~Q(status=PositionStatus.SHORTFALL)
    q = Q(status=PositionStatus.SHORTFALL, shortfall_ratio__gte=low)
    return q & Q(shortfall_ratio__lt=high) if high is not None else q


def position_counts(*, year: int, district: str | None = None) -> dict[str, int]:
    """Of the year's positions: `shortfall` (verified basis), `projected_shortfall`,
    `positions` (verified) and one count per shortfall bucket of the verified positions,
    keyed `bucket:<name>` (one query)."""
    verified = Q(basis=PositionBasis.VERIFIED)
    counts = {
        "positions": Count("pk", filter=verified),
        "shortfall": Count("pk", filter=verified & Q(status=PositionStatus.SHORTFALL)),
        "projected_shortfall": Count(
            "pk", filter=Q(basis=PositionBasis.PROJECTED, status=PositionStatus.SHORTFALL)
        ),
    }
    for name, low, high in SHORTFALL_BUCKETS:
        counts[f"bucket:{name}"] = Count(
            "pk", filter=verified & ~Q(status=PositionStatus.PENDING) & _bucket_q(low, high)
        )
    return CompliancePosition.objects.filter(Q(year=year) & _in_district(district)).aggregate(
        **counts
    )


def relief_counts(*, year: int, district: str | None = None) -> dict[str, int]:
    """The year's relief applications by status (one query)."""
    return dict(
        ReliefApplication.objects.filter(Q(year=year) & _in_district(district))
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )


def savings_rows(*, year: int | None = None) -> QuerySet[SavingsFigure]:
    """The snapshot's rows with their enterprise, for the list behind the dashboard's
    figures."""
    rows = SavingsFigure.objects.select_related("enterprise")
    return rows if year is None else rows.filter(year=year)
