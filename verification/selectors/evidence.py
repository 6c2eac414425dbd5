"""Reads for monthly evidence: deadlines, the completeness board, a submission's page."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.utils import timezone

from baotou_carbon.core.history import history_entries
from enterprises.models import Fuel, GeneratingUnit, KeyEmitterListing

from .. import calculations
from ..calculations import ZERO
from ..models import (
    DeadlineSettings,
    EmissionParameter,
    EvidenceFile,
    EvidenceStatus,
    EvidenceSubmission,
    EvidenceTransition,
)
from ..permissions import board_enterprises_for_user, evidence_for_user
from .reference import year_parameters

# Monthly evidence ------------------------------------------------------------------------


def evidence_deadlines_for(year: int, month: int, deadlines: DeadlineSettings):
    return calculations.evidence_deadlines(
        year,
        month,
        enterprise_days=deadlines.evidence_enterprise_days,
        review_days=deadlines.evidence_review_days,
        ceiling_days=deadlines.evidence_ceiling_days,
    )


def obliged_enterprises(qs: QuerySet, year: int) -> QuerySet:
    """Of `qs`, the active enterprises listed as key emitters in `year`."""
    listed = KeyEmitterListing.objects.filter(enterprise=OuterRef("pk"), year=year)
    return qs.filter(Exists(listed), is_active=True)


def board_years(user, today: date) -> list[int]:
    """The years, up to this one, in which an enterprise on the user's board is listed as a key
    emitter, newest first (1 query). The board opens on the first of them: the current
    calendar year may have no listing yet."""
    return list(
        KeyEmitterListing.objects.filter(
            enterprise__in=board_enterprises_for_user(user),
            year__lte=today.year,
        )
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class BoardCell:
    month: int
    cell: calculations.MonthCell
    submission: object | None


@dataclass(frozen=True)
class BoardRow:
    enterprise: object
    cells: list[BoardCell]


def evidence_board(user, year: int, today: date) -> dict:
    """Enterprises × months of `year` with each month's state and countdown (3 queries)."""
    deadlines = DeadlineSettings.current()
    enterprises = list(
        obliged_enterprises(board_enterprises_for_user(user), year).order_by("name_zh", "pk")
    )
    submissions = {
        (s.enterprise_id, s.month): s
        for s in evidence_for_user(user).filter(year=year, enterprise__in=enterprises)
    }
    per_month = {m: evidence_deadlines_for(year, m, deadlines) for m in range(1, 13)}
    rows = []
    counts = dict.fromkeys(
        [
            calculations.MonthState.ON_TIME,
            calculations.MonthState.LATE,
            calculations.MonthState.MISSING,
            calculations.MonthState.RETURNED,
            calculations.MonthState.ACCEPTED,
            calculations.MonthState.OPEN,
        ],
        0,
    )
    for enterprise in enterprises:
        cells = []
        for month in range(1, 13):
            submission = submissions.get((enterprise.pk, month))
            cell = calculations.month_cell(
                deadlines=per_month[month],
                today=today,
                status=submission.status if submission else None,
                first_submitted_on=(
                    timezone.localtime(submission.first_submitted_at).date() if submission else None
                ),
            )
            if cell.state in counts:
                counts[cell.state] += 1
            cells.append(BoardCell(month, cell, submission))
        rows.append(BoardRow(enterprise, cells))
    late_total = sum(1 for row in rows for c in row.cells if c.cell.late)
    submitted_total = sum(1 for row in rows for c in row.cells if c.submission is not None)
    return {
        "rows": rows,
        "counts": counts,
        "awaiting_total": counts[calculations.MonthState.ON_TIME]
        + counts[calculations.MonthState.LATE],
        "late_total": late_total,
        "on_time_total": submitted_total - late_total,
        "deadlines": deadlines,
        "per_month": per_month,
    }


_FILES = Prefetch("files", queryset=EvidenceFile.objects.order_by("uploaded_at", "pk"))


def evidence_api_list(user) -> QuerySet[EvidenceSubmission]:
    """The months the user may see, newest first, with their enterprise and files (two queries
    for a page, whatever its rows)."""
    return (
        evidence_for_user(user)
        .select_related("enterprise")
        .prefetch_related(_FILES)
        .order_by("-year", "-month", "enterprise__name_zh", "pk")
    )


def with_files(submission: EvidenceSubmission) -> EvidenceSubmission:
    """Load the submission's files onto it (one query)."""
    prefetch_related_objects([submission], _FILES)
    return submission


def evidence_detail(submission) -> dict:
    deadlines = DeadlineSettings.current()
    return {
        "files": list(
            EvidenceFile.objects.filter(submission=submission).select_related(
                "duplicate_of__submission__enterprise"
            )
        ),
        "transitions": list(
            EvidenceTransition.objects.filter(submission=submission).select_related("actor")
        ),
        "month_deadlines": evidence_deadlines_for(submission.year, submission.month, deadlines),
        "history": history_entries(
            [
                EvidenceSubmission.history.filter(id=submission.pk),
                EvidenceFile.history.filter(submission_id=submission.pk),
            ]
        ),
    }


# What other apps read ---------------------------------------------------------------------------


@dataclass(frozen=True)
class YearToDate:
    """An enterprise's monthly evidence of a year so far (returned months left out)."""

    enterprise_id: int
    months: int
    emissions_t: Decimal
    supply_mwh: Decimal
    generation_mwh: Decimal
    heat_gj: Decimal
    load_factor: Decimal | None  # the months' mean, as a fraction
    parameters_year: int | None  # whose emission parameters were used


def _parameters_for(year: int) -> calculations.YearParameters | None:
    """The year's parameters, else the latest earlier year's (a year's are often published
    late); None when no year up to it has any."""
    latest = (
        EmissionParameter.objects.filter(year__lte=year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return year_parameters(latest) if latest is not None else None


def evidence_year_to_date(year: int) -> dict[int, YearToDate]:
    """Per enterprise: the months of evidence submitted or accepted so far in `year`, their
    emissions (E = FC × NCV × CC × OF × 44/12 with the enterprise's main fuel, plus purchased
    electricity) and their electricity and heat: three queries, whatever the enterprises."""
    params = _parameters_for(year)
    fuels: dict[int, str] = {}
    for enterprise_id, fuel in GeneratingUnit.objects.order_by(
        "facility__enterprise_id", "pk"
    ).values_list("facility__enterprise_id", "main_fuel"):
        fuels.setdefault(enterprise_id, fuel)
    totals: dict[int, dict] = {}
    months = (
        EvidenceSubmission.objects.filter(year=year)
        .exclude(status=EvidenceStatus.RETURNED)
        .order_by("enterprise_id", "month")
    )
    for month in months:
        if params is None:
            break
        line = calculations.FuelInput(
            fuel=fuels.get(month.enterprise_id, Fuel.COAL),
            consumption_t=month.fuel_consumption_t,
            ncv_gj_per_t=month.ncv_gj_per_t,
            carbon_content_tc_per_gj=month.carbon_content_tc_per_gj,
        )
        try:
            result = calculations.emissions(
                params=params, fuels=[line], purchased_mwh=month.purchased_mwh
            )
        except calculations.MissingParameter:
            continue
        total = totals.setdefault(
            month.enterprise_id,
            {
                "months": 0,
                "emissions": ZERO,
                "supply": ZERO,
                "generation": ZERO,
                "heat": ZERO,
                "load": ZERO,
            },
        )
        total["months"] += 1
        total["emissions"] += result.total_t
        total["supply"] += month.supply_mwh
        total["generation"] += month.generation_mwh
        total["heat"] += month.heat_gj
        total["load"] += month.load_factor / 100
    return {
        enterprise_id: YearToDate(
            enterprise_id=enterprise_id,
            months=t["months"],
            emissions_t=t["emissions"],
            supply_mwh=t["supply"],
            generation_mwh=t["generation"],
            heat_gj=t["heat"],
            load_factor=t["load"] / t["months"] if t["months"] else None,
            parameters_year=params.year if params else None,
        )
        for enterprise_id, t in totals.items()
    }


@dataclass(frozen=True)
class EvidenceCompleteness:
    """Monthly evidence of a year's listed enterprises, for the months that have ended."""

    listed: int  # active enterprises listed as key emitters in the year
    months: int  # months of the year that have ended by `today`
    expected: int  # listed × months
    submitted: int  # of those enterprise-months, with a submission in any state
    accepted: int

    @property
    def share(self) -> Decimal | None:
        return (Decimal(self.accepted) / self.expected) if self.expected else None


def evidence_completeness(
    *, year: int, today: date, district: str | None = None
) -> EvidenceCompleteness:
    """One query: the listed enterprises, joined to their submissions of the ended months."""
    months = max(0, min(12, (today.year - year) * 12 + today.month - 1))
    enterprises = KeyEmitterListing.objects.filter(year=year, enterprise__is_active=True)
    if district:
        enterprises = enterprises.filter(enterprise__district=district)
    of_months = Q(
        enterprise__evidence_submissions__year=year,
        enterprise__evidence_submissions__month__lte=months,
    )
    counts = enterprises.aggregate(
        listed=Count("pk", distinct=True),
        submitted=Count("enterprise__evidence_submissions", filter=of_months),
        accepted=Count(
            "enterprise__evidence_submissions",
            filter=of_months & Q(enterprise__evidence_submissions__status=EvidenceStatus.ACCEPTED),
        ),
    )
    listed_count = counts["listed"] or 0
    return EvidenceCompleteness(
        listed=listed_count,
        months=months,
        expected=listed_count * months,
        submitted=counts["submitted"] or 0,
        accepted=counts["accepted"] or 0,
    )
