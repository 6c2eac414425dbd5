"""Reads of the cost ledger, the carbon price series, the valuation of a year's savings and the
savings snapshot."""

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum

from .. import calculations as calc
from ..models import (
    CarbonPrice,
    CostCategory,
    CostDocument,
    CostEntry,
    PriceKind,
    RuleSet,
    SavingsFigure,
    SavingsRun,
    YearValuation,
)
from ..permissions import cost_entries_for_user

ZERO = Decimal(0)


@dataclass(frozen=True)
class Valuation:
    """The price a year's savings are valued at, and why that one."""

    year: int
    valued_at: date | None  # the date asked for: the chosen one, else the surrender deadline
    chosen: bool  # staff chose the date (a YearValuation), rather than the default
    price: CarbonPrice | None  # the close on that date or the last trading day before it

    @property
    def yuan_per_t(self) -> Decimal | None:
        return self.price.yuan_per_t if self.price else None

    @property
    def price_on(self) -> date | None:
        return self.price.on if self.price else None


def valuations(years: Iterable[int]) -> dict[int, Valuation]:
    """Each year's valuation in three queries whatever the number of years: the chosen dates,
    the rule sets' surrender deadlines and the closes up to the latest date asked."""
    wanted = sorted(set(years))
    chosen = dict(YearValuation.objects.filter(year__in=wanted).values_list("year", "price_on"))
    deadlines = dict(
        RuleSet.objects.filter(year__in=wanted, surrender_deadline__isnull=False).values_list(
            "year", "surrender_deadline"
        )
    )
    asked = {year: chosen.get(year) or deadlines.get(year) for year in wanted}
    dates = [d for d in asked.values() if d is not None]
    closes = (
        list(CarbonPrice.objects.filter(kind=PriceKind.CLOSE, on__lte=max(dates)).order_by("on"))
        if dates
        else []
    )
    days = [price.on for price in closes]

    def close_on_or_before(day: date | None) -> CarbonPrice | None:
        if day is None:
            return None
        index = bisect_right(days, day)
        return closes[index - 1] if index else None

    return {
        year: Valuation(
            year=year,
            valued_at=asked[year],
            chosen=year in chosen,
            price=close_on_or_before(asked[year]),
        )
        for year in wanted
    }


def valuation(year: int) -> Valuation:
    return valuations([year])[year]


def price_list() -> QuerySet[CarbonPrice]:
    return CarbonPrice.objects.order_by("-on", "kind")


def cost_entry_list(user) -> QuerySet[CostEntry]:
    return (
        cost_entries_for_user(user)
        .select_related("enterprise", "created_by", "reverses", "reversed_by")
        .order_by("-year", "enterprise__name_zh", "-occurred_on", "-pk")
    )


@dataclass(frozen=True)
class YearTotals:
    """A year's ledger summed by category (reversals net out), in `CostCategory` order, and
    the compliance cost those sums make."""

    year: int
    by_category: dict[str, Decimal]
    breakdown: calc.ComplianceCostBreakdown

    @property
    def amounts(self) -> list[Decimal]:
        return [self.by_category.get(category, ZERO) for category in CostCategory.values]


def cost_totals(entries: QuerySet[CostEntry]) -> list[YearTotals]:
    """The entries' sums per year and category in one grouped query, latest year first."""
    sums: dict[int, dict[str, Decimal]] = {}
    rows = (
        entries.order_by()
        .values("year", "category")
        .annotate(total=Sum("amount_yuan"))
        .values_list("year", "category", "total")
    )
    for year, category, total in rows:
        sums.setdefault(year, {})[category] = total
    return [
        YearTotals(year=year, by_category=by_category, breakdown=calc.compliance_cost(by_category))
        for year, by_category in sorted(sums.items(), reverse=True)
    ]


def cost_entry_detail(entry: CostEntry) -> CostEntry:
    return (
        CostEntry.objects.select_related(
            "enterprise", "created_by", "reverses", "reversed_by", "reversed_by__created_by"
        )
        .prefetch_related(
            Prefetch("documents", queryset=CostDocument.objects.select_related("uploaded_by"))
        )
        .get(pk=entry.pk)
    )


def savings_years() -> list[int]:
    """The years the snapshot holds figures for, latest first."""
    return sorted(
        set(SavingsFigure.objects.values_list("year", flat=True).distinct()), reverse=True
    )


def savings_runs() -> QuerySet[SavingsRun]:
    return SavingsRun.objects.select_related("requested_by")
