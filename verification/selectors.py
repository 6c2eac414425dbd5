"""Reads for verification: querysets shaped for their pages, parameters turned into values."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import cast

from django.db import models
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from baotou_carbon.core.history import HistoryEntry, history_entries

from . import calculations
from .models import (
    CaseStatus,
    CaseTransition,
    ChecklistItem,
    DayKind,
    DeadlineSettings,
    EmissionParameter,
    Finding,
    FindingStatus,
    GainCause,
    GainComponent,
    Holiday,
    ItemResult,
    Objection,
    ParameterKind,
    VerificationCase,
)
from .permissions import can_see_workings, cases_for_user

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


def objection_deadline(case: VerificationCase, deadlines: DeadlineSettings) -> date | None:
    if case.notified_on is None:
        return None
    return calendar_around(case.notified_on).add_working_days(
        case.notified_on, deadlines.objection_working_days
    )


def re_review_deadline(objection: Objection, deadlines: DeadlineSettings) -> date:
    return calendar_around(objection.lodged_on).add_working_days(
        objection.lodged_on, deadlines.re_review_working_days
    )


# Cases -----------------------------------------------------------------------------------


def case_list(user) -> QuerySet[VerificationCase]:
    """Cases the user may see, with finding counts and gain total (one query per page)."""
    return (
        cases_for_user(user)
        .select_related("enterprise", "agency")
        .annotate(
            finding_count=Count("findings", distinct=True),
            open_finding_count=Count(
                "findings",
                filter=Q(findings__status__in=[FindingStatus.OPEN, FindingStatus.ANSWERED]),
                distinct=True,
            ),
        )
        .order_by("-year", "enterprise__name_zh", "pk")
    )


@dataclass(frozen=True)
class CaseFigures:
    """Reported and verified emissions side by side, and the allowance gain with its split."""

    reported_t: Decimal | None
    verified_t: Decimal | None
    conservative_t: Decimal
    final_verified_t: Decimal | None
    difference_t: Decimal | None  # reported − final verified
    gain: calculations.AllowanceGain | None
    split: calculations.GainSplit | None


def case_figures(case: VerificationCase, findings: list[Finding], components) -> CaseFigures:
    conservative = [
        f.conservative_estimate_t
        for f in findings
        if f.status == FindingStatus.UNRECTIFIED and f.conservative_estimate_t is not None
    ]
    final = (
        calculations.final_verified_emissions(case.verified_emissions_t, conservative)
        if case.verified_emissions_t is not None
        else None
    )
    difference = (
        case.reported_emissions_t - final
        if final is not None and case.reported_emissions_t is not None
        else None
    )
    gain = split = None
    if (
        final is not None
        and case.reported_emissions_t is not None
        and case.allocation_before_t is not None
        and case.allocation_after_t is not None
    ):
        gain = calculations.allowance_gain(
            allocation_before_t=case.allocation_before_t,
            allocation_after_t=case.allocation_after_t,
            emissions_before_t=case.reported_emissions_t,
            emissions_after_t=final,
        )
        split = calculations.gain_split(
            gain.gain_t,
            [(c.cause, c.allocation_change_t, c.emissions_change_t) for c in components],
            GainCause.values,
        )
    return CaseFigures(
        reported_t=case.reported_emissions_t,
        verified_t=case.verified_emissions_t,
        conservative_t=sum(conservative, Decimal(0)),
        final_verified_t=final,
        difference_t=difference,
        gain=gain,
        split=split,
    )


def case_detail(user, case: VerificationCase) -> dict:
    """Everything the case page shows, in a fixed number of queries."""
    findings = list(
        Finding.objects.filter(case=case)
        .select_related("checklist_item")
        .order_by("rectification_deadline", "pk")
    )
    components = list(GainComponent.objects.filter(case=case))
    workings = can_see_workings(user, case)
    checklist = list(ChecklistItem.objects.filter(case=case)) if workings else []
    transitions = list(
        CaseTransition.objects.filter(case=case).select_related("actor").order_by("at", "pk")
    )
    objection = Objection.objects.filter(case=case).select_related("lodged_by").first()
    deadlines = DeadlineSettings.current()
    return {
        "findings": findings,
        "components": components,
        "checklist": checklist,
        "checklist_open": sum(1 for i in checklist if i.result == ItemResult.PENDING),
        "transitions": transitions,
        "objection": objection,
        "objection_deadline": objection_deadline(case, deadlines),
        "re_review_deadline": re_review_deadline(objection, deadlines) if objection else None,
        "figures": case_figures(case, findings, components),
        "history": case_history(case) if workings else [],
    }


def case_history(case: VerificationCase, limit: int = 50) -> list[HistoryEntry]:
    return history_entries(
        [
            VerificationCase.history.filter(id=case.pk),
            ChecklistItem.history.filter(case_id=case.pk),
            Finding.history.filter(case_id=case.pk),
            GainComponent.history.filter(case_id=case.pk),
            Objection.history.filter(case_id=case.pk),
        ],
        limit=limit,
    )


def gain_total(cases: QuerySet[VerificationCase]) -> Decimal:
    """The allowance gain attributed by cause over `cases` (one query)."""
    row = GainComponent.objects.filter(case__in=cases).aggregate(
        a=Sum("allocation_change_t"), e=Sum("emissions_change_t")
    )
    return (row["a"] or Decimal(0)) + (row["e"] or Decimal(0))


def gain_by_cause(cases: QuerySet[VerificationCase]) -> dict[str, Decimal]:
    totals = dict.fromkeys(GainCause.values, Decimal(0))
    for row in (
        GainComponent.objects.filter(case__in=cases)
        .values("cause")
        .annotate(a=Sum("allocation_change_t"), e=Sum("emissions_change_t"))
    ):
        totals[row["cause"]] = row["a"] + row["e"]
    return totals


def case_checklist_complete(case: VerificationCase) -> bool:
    return not ChecklistItem.objects.filter(case=case, result=ItemResult.PENDING).exists()


def case_open_findings(case: VerificationCase) -> int:
    return Finding.objects.filter(
        case=case, status__in=[FindingStatus.OPEN, FindingStatus.ANSWERED]
    ).count()


def template_items_prefetch():
    from .models import ChecklistTemplateItem

    return Prefetch("items", queryset=ChecklistTemplateItem.objects.order_by("position"))


NOTIFIED_STATES = (CaseStatus.NOTIFIED, CaseStatus.OBJECTED, CaseStatus.RE_REVIEWED)


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
    from django.db.models import Exists, OuterRef

    from enterprises.models import KeyEmitterListing

    listed = KeyEmitterListing.objects.filter(enterprise=OuterRef("pk"), year=year)
    return qs.filter(Exists(listed), is_active=True)


def board_years(user, today: date) -> list[int]:
    """The years, up to this one, in which an enterprise on the user's board is listed as a key
    emitter, newest first (1 query). The board opens on the first of them: the current
    calendar year may have no listing yet."""
    from enterprises.models import KeyEmitterListing

    from .permissions import board_enterprises_for_user

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
    from .permissions import board_enterprises_for_user, evidence_for_user

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


def evidence_detail(submission) -> dict:
    from .models import EvidenceFile, EvidenceSubmission, EvidenceTransition

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


# Annual reports --------------------------------------------------------------------------

REPORT_FIELDS = (
    "fuel_consumption_t",
    "ncv_gj_per_t",
    "carbon_content_tc_per_gj",
    "purchased_mwh",
    "generation_mwh",
    "supply_mwh",
    "heat_gj",
)


def unit_label(unit) -> str:
    """A unit named with its facility ("自备电厂 #1"): unit codes repeat across facilities."""
    return f"{unit.facility.name_zh} {unit.code}"


def report_units(report) -> list:
    from enterprises.models import GeneratingUnit

    return list(
        GeneratingUnit.objects.filter(facility__enterprise=report.enterprise_id)
        .select_related("facility")
        .order_by("facility__name_zh", "code")
    )


@dataclass(frozen=True)
class UnitEmissions:
    unit: object
    lines: list
    missing: list[int]
    breakdown: calculations.EmissionBreakdown | None
    problem: str = ""


def report_emissions(report, units: list, lines: list) -> tuple[list[UnitEmissions], Decimal]:
    """Per unit: its months, the months missing and the emissions with their breakdown."""
    from django.utils.translation import gettext as _

    params = year_parameters(report.year)
    by_unit: dict[int, list] = {u.pk: [] for u in units}
    for line in lines:
        by_unit.setdefault(line.unit_id, []).append(line)
    result, total = [], Decimal(0)
    for unit in units:
        unit_lines = sorted(by_unit.get(unit.pk, []), key=lambda line: line.month)
        breakdown, problem = None, ""
        if unit_lines:
            try:
                breakdown = calculations.emissions(
                    params=params,
                    fuels=[
                        calculations.FuelInput(
                            fuel=unit.main_fuel,
                            consumption_t=line.fuel_consumption_t,
                            ncv_gj_per_t=line.ncv_gj_per_t,
                            carbon_content_tc_per_gj=line.carbon_content_tc_per_gj,
                            label=f"{line.month:02d}",
                        )
                        for line in unit_lines
                    ],
                    purchased_mwh=sum((line.purchased_mwh for line in unit_lines), Decimal(0)),
                )
                total += breakdown.total_t
            except calculations.MissingParameter as missing:
                problem = _("No %(kind)s recorded for %(year)s.") % {
                    "kind": ParameterKind(missing.kind).label
                    if missing.kind in ParameterKind.values
                    else missing.kind,
                    "year": report.year,
                }
        result.append(
            UnitEmissions(
                unit,
                unit_lines,
                calculations.missing_months(line.month for line in unit_lines),
                breakdown,
                problem,
            )
        )
    return result, total


def report_detail(report) -> dict:
    from .models import AnnualReport, ReportLine, ReportStep

    units = report_units(report)
    lines = list(ReportLine.objects.filter(report=report))
    per_unit, total = report_emissions(report, units, lines)
    return {
        "per_unit": per_unit,
        "total_t": total,
        "complete": bool(units) and not any(u.missing for u in per_unit),
        "versions": list(
            AnnualReport.objects.filter(enterprise=report.enterprise_id, year=report.year).order_by(
                "version"
            )
        ),
        "steps": list(ReportStep.objects.filter(report=report).select_related("actor")),
        "history": history_entries(
            [
                AnnualReport.history.filter(id=report.pk),
                ReportLine.history.filter(report_id=report.pk),
            ]
        ),
    }


def report_values(lines) -> dict[tuple, Decimal | None]:
    return {
        (line.unit_id, line.month, name): getattr(line, name)
        for line in lines
        for name in REPORT_FIELDS
    }


def report_compare(before, after) -> dict:
    """Two versions side by side: every changed value, and each version's emissions."""
    from .models import ReportLine

    units = report_units(after)
    lines_before = list(ReportLine.objects.filter(report=before))
    lines_after = list(ReportLine.objects.filter(report=after))
    _per_unit_b, total_before = report_emissions(before, units, lines_before)
    _per_unit_a, total_after = report_emissions(after, units, lines_after)
    unit_labels = {u.pk: unit_label(u) for u in units}
    from .models import ReportLine as Line

    field_labels = {
        name: cast(models.Field, Line._meta.get_field(name)).verbose_name for name in REPORT_FIELDS
    }
    changes = [
        {
            "unit": unit_labels.get(d.key[0], d.key[0]),
            "month": d.key[1],
            "field": field_labels[d.key[2]],
            "before": d.before,
            "after": d.after,
        }
        for d in calculations.differences(report_values(lines_before), report_values(lines_after))
    ]
    return {
        "changes": changes,
        "total_before_t": total_before,
        "total_after_t": total_after,
        "total_change_t": total_after - total_before,
    }
