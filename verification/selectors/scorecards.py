"""Verification-agency scorecards: per agency and reporting year, how its cases went.

Every figure counts the cases of the year assigned to the agency (the agency a case has now:
it can only be reassigned while the work is open, before any figure below exists).

- **Cases on time** follow each case's own statutory periods, in working days of the
  working-day calendar with the periods of `DeadlineSettings` (`calculations.case_timeliness`):
  the objection period from the day the enterprise was notified (`notified_on`) and, if it
  objected, the re-review period from the day the objection was lodged (`lodged_on`). A case
  is *not yet due* while no period has started (not notified) or one still runs; it is
  counted among the cases but neither on time nor late, and the on-time share is on time ÷
  (on time + late), the cases that are due.
- **Findings** are all findings of the cases; **rectified** those the enterprise rectified
  (status "rectified"), against those left unrectified, estimated conservatively, or still open.
- **Objections** are the cases with an objection lodged. An objection is **overturned** when
  the re-review upheld it, wholly or in part (the decision went the enterprise's way).
- **Re-reviews** are the objections decided: the cases that took the step "re-review
  decided". A re-review is **overturned** when it changed the case's verified emissions: the
  figure the case carried when it took that step differs from the one it carried when the
  objection was lodged (both read off the case's history rows written by those two steps).
- **Gains found** sum the cases' gain components, allocation change + emissions change (t),
  as `gain_by_cause` does.

Each share is a Decimal, unrounded, or None when its denominator is 0.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import VerificationAgency

from .. import calculations
from ..calculations import Timeliness
from ..models import (
    CaseStatus,
    DeadlineSettings,
    Finding,
    FindingStatus,
    GainComponent,
    ObjectionOutcome,
    VerificationCase,
)
from .reference import calendar_around

# Outcomes that go the enterprise's way: the objection is overturned.
OVERTURNING_OUTCOMES = (ObjectionOutcome.UPHELD, ObjectionOutcome.PARTLY_UPHELD)
# The reach of the working-day calendar beyond the last period's start (as calendar_around).
CALENDAR_MARGIN_DAYS = 120


class ScorecardMark(models.TextChoices):
    """A scorecard column's cases, as the case list filters them (`?scorecard=`)."""

    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    NOT_DUE = "not_due", _("Not yet due")
    WITH_FINDINGS = "with_findings", _("With findings")
    WITH_RECTIFIED = "with_rectified", _("With rectified findings")
    OBJECTED = "objected", _("Objected to")
    OBJECTION_OVERTURNED = "objection_overturned", _("Objection upheld")
    RE_REVIEWED = "re_reviewed", _("Re-reviewed")
    RE_REVIEW_OVERTURNED = "re_review_overturned", _("Figures changed on re-review")


@dataclass(frozen=True)
class AgencyScorecard:
    """One agency's year; `agency` is None on the total row."""

    agency: VerificationAgency | None
    year: int
    cases: int = 0
    on_time: int = 0
    late: int = 0
    findings: int = 0
    findings_rectified: int = 0
    objections: int = 0
    objections_overturned: int = 0
    re_reviews: int = 0
    re_reviews_overturned: int = 0
    gain_t: Decimal = field(default_factory=lambda: Decimal(0))

    @property
    def not_due(self) -> int:
        return self.cases - self.on_time - self.late

    @property
    def due(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_share(self) -> Decimal | None:
        return calculations.ratio(self.on_time, self.due)

    @property
    def findings_per_case(self) -> Decimal | None:
        return calculations.ratio(self.findings, self.cases)

    @property
    def rectified_share(self) -> Decimal | None:
        return calculations.ratio(self.findings_rectified, self.findings)

    @property
    def objections_overturned_share(self) -> Decimal | None:
        return calculations.ratio(self.objections_overturned, self.objections)

    @property
    def re_reviews_overturned_share(self) -> Decimal | None:
        return calculations.ratio(self.re_reviews_overturned, self.re_reviews)


COUNTED = [f.name for f in fields(AgencyScorecard) if f.name not in ("agency", "year")]


def scorecard_years(cases: QuerySet[VerificationCase]) -> list[int]:
    """The reporting years with cases among `cases`, latest first (one query)."""
    return list(cases.order_by("-year").values_list("year", flat=True).distinct())


def agency_scorecards(
    *,
    year: int,
    agency_ids: Iterable[int] | None = None,
    today: date | None = None,
    deadlines: DeadlineSettings | None = None,
) -> list[AgencyScorecard]:
    """One scorecard per agency, by Chinese name: the agencies `agency_ids` names, else every
    active agency and every agency with a case in `year`; `today` decides which periods are
    over, `deadlines` (read when not given) how long they are. Eight queries at most, whatever the
    number of agencies and cases: the agencies; cases, findings and gains grouped by agency;
    the notified cases, the deadline settings and the calendar for the periods; the history
    of the re-reviewed cases."""
    today = today or timezone.localdate()
    agencies = VerificationAgency.objects.order_by("name_zh", "pk")
    if agency_ids is not None:
        agencies = agencies.filter(pk__in=list(agency_ids))
    else:
        agencies = agencies.filter(
            Q(is_active=True)
            | Exists(VerificationCase.objects.filter(agency=OuterRef("pk"), year=year))
        )
    agency_list = list(agencies)
    cases = VerificationCase.objects.filter(year=year, agency__in=[a.pk for a in agency_list])
    counts: defaultdict[int, defaultdict[str, Any]] = defaultdict(lambda: defaultdict(int))

    for row in (
        cases.order_by()
        .values("agency_id")
        .annotate(
            cases=Count("pk"),
            objections=Count("objection"),
            objections_overturned=Count(
                "objection", filter=Q(objection__outcome__in=OVERTURNING_OUTCOMES)
            ),
            re_reviews=Count("objection", filter=Q(objection__decided_on__isnull=False)),
        )
    ):
        counts[row.pop("agency_id")].update(row)
    for row in (
        Finding.objects.filter(case__in=cases)
        .order_by()
        .values("case__agency_id")
        .annotate(
            findings=Count("pk"),
            findings_rectified=Count("pk", filter=Q(status=FindingStatus.RECTIFIED)),
        )
    ):
        counts[row.pop("case__agency_id")].update(row)
    for row in (
        GainComponent.objects.filter(case__in=cases)
        .order_by()
        .values("case__agency_id")
        .annotate(a=Sum("allocation_change_t"), e=Sum("emissions_change_t"))
    ):
        counts[row["case__agency_id"]]["gain_t"] = row["a"] + row["e"]
    for agency_id, state in cases_timeliness(cases, today=today, deadlines=deadlines).values():
        if state != Timeliness.NOT_DUE:
            counts[agency_id][state] += 1
    for agency_id in re_reviews_changing_figures(cases).values():
        counts[agency_id]["re_reviews_overturned"] += 1

    return [
        AgencyScorecard(agency=agency, year=year, **counts[agency.pk]) for agency in agency_list
    ]


def scorecards_total(cards: list[AgencyScorecard], *, year: int) -> AgencyScorecard:
    """The total row: every count summed (its shares are recomputed from the sums)."""
    sums: dict[str, Any] = {name: sum(getattr(c, name) for c in cards) for name in COUNTED}
    sums["gain_t"] = sum((c.gain_t for c in cards), Decimal(0))
    return AgencyScorecard(agency=None, year=year, **sums)


# The per-case rules, shared with the case list's filter -------------------------------------


def cases_timeliness(
    cases: QuerySet[VerificationCase], *, today: date, deadlines: DeadlineSettings | None = None
) -> dict[int, tuple[int, str]]:
    """Case id → (agency id, Timeliness) for the notified cases among `cases` (a case never
    notified is not due). Three queries: the cases, the deadline settings unless given, the
    calendar."""
    # Notified, so notified_on is set (the stubs cannot know the filter did it).
    rows = cast(
        list[dict[str, Any]],
        list(
            cases.filter(notified_on__isnull=False)
            .order_by()
            .values(
                "pk",
                "agency_id",
                "status",
                "notified_on",
                "objection__lodged_on",
                "objection__decided_on",
            )
        ),
    )
    if not rows:
        return {}
    deadlines = deadlines or DeadlineSettings.current()
    starts = [r["notified_on"] for r in rows] + [
        r["objection__lodged_on"] for r in rows if r["objection__lodged_on"]
    ]
    first, last = min(starts), max(starts)
    calendar = calendar_around(first, days=(last - first).days + CALENDAR_MARGIN_DAYS)
    result = {}
    for r in rows:
        lodged_on = r["objection__lodged_on"]
        state = calculations.case_timeliness(
            today=today,
            objection_deadline=calendar.add_working_days(
                r["notified_on"], deadlines.objection_working_days
            ),
            closed=r["status"] == CaseStatus.ARCHIVED,
            lodged_on=lodged_on,
            decided_on=r["objection__decided_on"],
            re_review_deadline=calendar.add_working_days(
                lodged_on, deadlines.re_review_working_days
            )
            if lodged_on
            else None,
        )
        result[r["pk"]] = (r["agency_id"], state)
    return result


def re_reviews_changing_figures(cases: QuerySet[VerificationCase]) -> dict[int, int]:
    """Case id → agency id of the re-reviewed cases among `cases` whose verified emissions
    changed between the objection and the re-review decision (one query over the history)."""
    re_reviewed = cases.filter(objection__decided_on__isnull=False).values("pk")
    figure_at: dict[tuple[int, str], Decimal | None] = {}
    agency_of: dict[int, int] = {}
    for case_id, agency_id, status, figure in (
        VerificationCase.history.filter(  # type: ignore[attr-defined]
            id__in=re_reviewed, status__in=[CaseStatus.OBJECTED, CaseStatus.RE_REVIEWED]
        )
        .order_by("id", "history_date", "history_id")
        .values_list("id", "agency_id", "status", "verified_emissions_t")
    ):
        # The first row in each status is the one its step wrote.
        figure_at.setdefault((case_id, status), figure)
        agency_of[case_id] = agency_id
    return {
        case_id: agency_id
        for case_id, agency_id in agency_of.items()
        if (case_id, CaseStatus.RE_REVIEWED) in figure_at
        and figure_at[(case_id, CaseStatus.OBJECTED)]
        != figure_at[(case_id, CaseStatus.RE_REVIEWED)]
    }


def scorecard_cases(
    cases: QuerySet[VerificationCase], mark: str, *, today: date | None = None
) -> QuerySet[VerificationCase]:
    """The cases among `cases` a scorecard column counts (`ScorecardMark`), by the rules of
    `agency_scorecards`. `cases` may carry annotations (the case list's): the per-case rules
    read the plain cases it selects."""
    today = today or timezone.localdate()
    plain = VerificationCase.objects.filter(pk__in=cases.order_by().values("pk"))
    if mark in (ScorecardMark.ON_TIME, ScorecardMark.LATE, ScorecardMark.NOT_DUE):
        states = cases_timeliness(plain, today=today)
        if mark == ScorecardMark.NOT_DUE:
            settled = [pk for pk, (_a, s) in states.items() if s != Timeliness.NOT_DUE]
            return cases.exclude(pk__in=settled)
        return cases.filter(pk__in=[pk for pk, (_a, s) in states.items() if s == mark])
    if mark == ScorecardMark.RE_REVIEW_OVERTURNED:
        return cases.filter(pk__in=list(re_reviews_changing_figures(plain)))
    findings = Finding.objects.filter(case=OuterRef("pk"))
    filters = {
        ScorecardMark.WITH_FINDINGS: Exists(findings),
        ScorecardMark.WITH_RECTIFIED: Exists(findings.filter(status=FindingStatus.RECTIFIED)),
        ScorecardMark.OBJECTED: Q(objection__isnull=False),
        ScorecardMark.OBJECTION_OVERTURNED: Q(objection__outcome__in=OVERTURNING_OUTCOMES),
        ScorecardMark.RE_REVIEWED: Q(objection__decided_on__isnull=False),
    }
    return cases.filter(filters[ScorecardMark(mark)])
