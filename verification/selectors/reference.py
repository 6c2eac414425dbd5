"""Reads for verification reference data: parameters turned into values, the working-day
calendar, the checklist templates."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from .. import calculations
from ..models import ChecklistTemplateItem, DayKind, EmissionParameter, Holiday, ParameterKind

# Parameters ------------------------------------------------------------------------------


def year_parameters(year: int) -> calculations.YearParameters:
    """The year's parameter rows as the value the calculations take (one query)."""
    default_cc: dict[str, Decimal] = {}
    oxidation: dict[str, Decimal] = {}
    grid = None
    for row in EmissionParameter.objects.filter(year=year):
        if row.kind == ParameterKind.DEFAULT_CARBON_CONTENT:
            default_cc[row.fuel] = row.value
        elif row.kind == ParameterKind.OXIDATION_RATE:
            oxidation[row.fuel] = row.value
        elif row.kind == ParameterKind.GRID_FACTOR:
            grid = row.value
    return calculations.YearParameters(year, default_cc, oxidation, grid)


def parameter_rows(year: int) -> list[EmissionParameter]:
    return list(EmissionParameter.objects.filter(year=year).order_by("kind", "fuel"))


def parameter_list() -> QuerySet[EmissionParameter]:
    return EmissionParameter.objects.order_by("-year", "kind", "fuel")


# Calendar --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Calendar:
    holidays: set[date]
    working_weekend_days: set[date]

    def add_working_days(self, start: date, days: int) -> date:
        return calculations.add_working_days(
            start,
            days,
            holidays=self.holidays,
            working_weekend_days=self.working_weekend_days,
        )


def calendar_around(start: date, *, days: int = 120) -> Calendar:
    """The calendar exceptions from `start` to `days` later (one query)."""
    holidays: set[date] = set()
    working: set[date] = set()
    for day, kind in Holiday.objects.filter(
        date__gte=start, date__lte=start + timedelta(days=days)
    ).values_list("date", "kind"):
        (holidays if kind == DayKind.HOLIDAY else working).add(day)
    return Calendar(holidays, working)


# Checklist templates ---------------------------------------------------------------------


def template_items_prefetch():
    return Prefetch("items", queryset=ChecklistTemplateItem.objects.order_by("position"))
