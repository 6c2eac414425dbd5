"""Reads for verification cases: their pages, figures, history and deadlines."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from baotou_carbon.core.history import HistoryEntry, history_entries

from .. import calculations
from ..models import (
    CaseStatus,
    CaseTransition,
    ChecklistItem,
    DeadlineSettings,
    Finding,
    FindingStatus,
    GainCause,
    GainComponent,
    ItemResult,
    Objection,
    VerificationCase,
)
from ..permissions import can_see_workings, cases_for_user
from .reference import calendar_around

# What other apps read -------------------------------------------------------------------------

# A case's verified figures count from its conclusion on.
FINAL_STATES = frozenset(
    {
        CaseStatus.CONCLUDED,
        CaseStatus.NOTIFIED,
        CaseStatus.OBJECTED,
        CaseStatus.RE_REVIEWED,
        CaseStatus.ARCHIVED,
    }
)


def final_verified_emissions(*, year: int | None = None) -> QuerySet:
    """Verified emissions after conservative estimates, per enterprise and year, of the cases
    whose figures are final: rows of `enterprise_id`, `year`, `final_t` (the one source of
    truth other apps read; filter it further, or use it as a subquery on `enterprise_id`)."""
    cases = VerificationCase.objects.filter(
        status__in=FINAL_STATES, verified_emissions_t__isnull=False
    )
    if year is not None:
        cases = cases.filter(year=year)
    estimates = Coalesce(
        Sum(
            "findings__conservative_estimate_t",
            filter=Q(findings__status=FindingStatus.UNRECTIFIED),
        ),
        Value(Decimal(0)),
        output_field=DecimalField(max_digits=14, decimal_places=3),
    )
    return (
        cases.order_by()
        .values("enterprise_id", "year")
        .annotate(final_t=F("verified_emissions_t") + estimates)
    )


def agency_case_years(agency_id: int) -> QuerySet:
    """The enterprises and years an agency's cases cover: rows of `enterprise_id`, `year`."""
    return (
        VerificationCase.objects.filter(agency_id=agency_id)
        .order_by()
        .values("enterprise_id", "year")
    )


# Case deadlines --------------------------------------------------------------------------


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
    """Reported and verified emissions side by side (the allowance gain, which needs the
    allocation before and after, is allocation's: `allocation.selectors.case_gain`)."""

    reported_t: Decimal | None
    verified_t: Decimal | None
    conservative_t: Decimal
    final_verified_t: Decimal | None
    difference_t: Decimal | None  # reported − final verified


def case_figures(case: VerificationCase, findings: list[Finding]) -> CaseFigures:
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
    return CaseFigures(
        reported_t=case.reported_emissions_t,
        verified_t=case.verified_emissions_t,
        conservative_t=sum(conservative, Decimal(0)),
        final_verified_t=final,
        difference_t=difference,
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
        "figures": case_figures(case, findings),
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


def gain_components(*, year: int) -> QuerySet:
    """The gain attributed by cause in the year's cases: rows of `enterprise_id`, `cause`,
    `allocation_change_t`, `emissions_change_t` (summed per enterprise and cause)."""
    return (
        GainComponent.objects.filter(case__year=year)
        .order_by()
        .values("cause", enterprise_id=F("case__enterprise_id"))
        .annotate(
            allocation_change_t=Sum("allocation_change_t"),
            emissions_change_t=Sum("emissions_change_t"),
        )
        .order_by("enterprise_id", "cause")
    )


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


NOTIFIED_STATES = (CaseStatus.NOTIFIED, CaseStatus.OBJECTED, CaseStatus.RE_REVIEWED)
