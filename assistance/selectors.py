"""Reads for assistance: querysets shaped for their pages, related rows fetched at the source."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import zip_longest

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from baotou_carbon.accounts.models import User
from baotou_carbon.core.history import HistoryEntry, history_entries
from enterprises.models import District, Enterprise, Industry, KeyEmitterListing
from enterprises.permissions import enterprise_filter, enterprises_for_user

from . import calculations
from .models import (
    Attendee,
    Draw,
    FollowUp,
    FollowUpStatus,
    Invitation,
    Measure,
    Mode,
    Occasion,
    Target,
    Training,
    TrainingFile,
    TrainingMode,
    Visit,
    VisitFile,
    VisitStatus,
)
from .permissions import (
    draws_for_user,
    follow_ups_for_user,
    sees_everything,
    trainings_for_user,
    visits_for_user,
)

# Follow-ups ------------------------------------------------------------------------------------


def overdue_q(today: date | None = None) -> Q:
    """Not closed and past its due date."""
    today = today or timezone.localdate()
    return Q(due_on__lt=today) & ~Q(status=FollowUpStatus.CLOSED)


def with_overdue(qs: QuerySet[FollowUp], today: date | None = None) -> QuerySet[FollowUp]:
    return qs.annotate(is_overdue=ExpressionWrapper(overdue_q(today), output_field=BooleanField()))


def follow_up_list(user) -> QuerySet[FollowUp]:
    return with_overdue(follow_ups_for_user(user)).select_related("visit", "enterprise")


# Visits ----------------------------------------------------------------------------------------


def visit_list(user) -> QuerySet[Visit]:
    """Visits the user may see, newest first, with their open and overdue follow-up counts."""
    today = timezone.localdate()
    return (
        visits_for_user(user)
        .annotate(
            open_follow_ups=Count(
                "follow_ups", filter=~Q(follow_ups__status=FollowUpStatus.CLOSED)
            ),
            overdue_follow_ups=Count(
                "follow_ups",
                filter=Q(follow_ups__due_on__lt=today)
                & ~Q(follow_ups__status=FollowUpStatus.CLOSED),
            ),
        )
        .prefetch_related(
            Prefetch("enterprises", queryset=Enterprise.objects.only("pk", "name_zh")),
            Prefetch(
                "staff", queryset=User.objects.only("pk", "username", "first_name", "last_name")
            ),
        )
        .order_by("-started_at", "-pk")
    )


def visit_detail(user, visit: Visit) -> dict:
    """Everything the visit page shows, in a fixed number of queries."""
    follow_ups = list(
        with_overdue(FollowUp.objects.filter(visit=visit)).select_related("enterprise")
    )
    visible = set(follow_ups_for_user(user).filter(visit=visit).values_list("pk", flat=True))
    # An enterprise (or a district reviewer) sees follow-ups owed by others only as a count.
    own = [f for f in follow_ups if f.pk in visible]
    enterprises = list(visit.enterprises.order_by("name_zh"))
    return {
        "enterprises": enterprises,
        "visible_enterprise_ids": visible_enterprise_ids(
            user, [e.pk for e in enterprises] + [f.enterprise_id for f in own]
        ),
        "staff": list(visit.staff.order_by("username")),
        "follow_ups": own,
        "hidden_follow_ups": len(follow_ups) - len(own),
        "files": list(VisitFile.objects.filter(visit=visit)),
        "history": visit_history(visit, user=user),
    }


def visit_history(visit: Visit, *, user, limit: int = 50) -> list[HistoryEntry]:
    """The visit's audit trail; follow-ups owed by enterprises the user may not see left out."""
    follow_up_history = FollowUp.history.filter(visit_id=visit.pk)
    if not sees_everything(user):
        follow_up_history = follow_up_history.filter(
            enterprise_id__in=Enterprise.objects.filter(enterprise_filter(user)).values("pk")
        )
    return history_entries(
        [
            Visit.history.filter(id=visit.pk),
            follow_up_history,
            VisitFile.history.filter(visit_id=visit.pk),
        ],
        limit=limit,
    )


# Draws -----------------------------------------------------------------------------------------


def draw_list(user) -> QuerySet[Draw]:
    return (
        draws_for_user(user)
        .select_related("drawn_by", "supersedes")
        .annotate(is_superseded=Exists(Draw.objects.filter(supersedes=OuterRef("pk"))))
        .order_by("-drawn_at", "-pk")
    )


@dataclass
class DrawnRow:
    enterprise: Enterprise | None
    enterprise_id: int
    inspectors: list
    visit: Visit | None


def visible_enterprise_ids(user, ids) -> set[int]:
    """Which of these enterprises `user` may open (one query), to link only those."""
    ids = set(ids)
    if not ids:
        return set()
    return set(enterprises_for_user(user).filter(pk__in=ids).values_list("pk", flat=True))


def draw_detail(user, draw: Draw) -> dict:
    """The published result: who was drawn, by whom inspected, and the redraw chain; the
    enterprises `user` may open are linked."""
    team_ids = {int(k): v for k, v in draw.teams.items()}
    people = {u.pk: u for u in User.objects.filter(pk__in=draw.inspector_pool)}
    enterprises = Enterprise.objects.in_bulk(draw.enterprise_pool)
    visits = {}
    for visit in draw.visits.prefetch_related("enterprises"):
        for enterprise in visit.enterprises.all():
            visits[enterprise.pk] = visit
    rows = [
        DrawnRow(
            enterprise=enterprises.get(eid),
            enterprise_id=eid,
            inspectors=[people.get(i, i) for i in team_ids.get(eid, [])],
            visit=visits.get(eid),
        )
        for eid in draw.drawn_enterprises
    ]
    superseded_by = Draw.objects.filter(supersedes=draw).first()
    return {
        "rows": rows,
        "pool_filter_labels": pool_filter_labels(draw.pool_filter),
        "can_be_redrawn": superseded_by is None
        and not any(v.status == VisitStatus.DONE for v in visits.values()),
        "pool_enterprises": [enterprises.get(e, e) for e in draw.enterprise_pool],
        "visible_enterprise_ids": visible_enterprise_ids(user, enterprises),
        "pool_inspectors": [people.get(i, i) for i in draw.inspector_pool],
        "superseded_by": superseded_by,
        "history": history_entries([Draw.history.filter(id=draw.pk)]),
    }


def pool_filter_labels(pool_filter: dict) -> list[str]:
    """The registry filter of a draw as people read it."""
    labels = []
    if pool_filter.get("district"):
        labels.append(str(District(pool_filter["district"]).label))
    if pool_filter.get("industry"):
        labels.append(str(Industry(pool_filter["industry"]).label))
    if pool_filter.get("listed_year"):
        labels.append(gettext("Key emitter in %(year)s") % {"year": pool_filter["listed_year"]})
    return labels


@dataclass
class DrawnTeam:
    """One drawn enterprise and its inspectors, with names when the ids are still known."""

    enterprise_id: int | None
    enterprise: Enterprise | None
    inspector_ids: list[int]
    inspectors: list  # User, or the bare id when the account is gone

    @property
    def enterprise_label(self) -> str:
        if self.enterprise is not None:
            return self.enterprise.name_zh
        return "" if self.enterprise_id is None else f"#{self.enterprise_id}"


@dataclass
class CheckRow:
    """One place of the draw: what was published and what a fresh draw gives."""

    position: int
    published: DrawnTeam
    recomputed: DrawnTeam

    @property
    def matches(self) -> bool:
        return (
            self.published.enterprise_id == self.recomputed.enterprise_id
            and self.published.inspector_ids == self.recomputed.inspector_ids
        )


@dataclass
class DrawCheck:
    matches: bool
    recomputed: calculations.DrawResult
    stored_enterprises: list[int]
    stored_teams: dict[int, list[int]]
    rows: list[CheckRow] = field(default_factory=list)
    enterprise_pool: list[Enterprise | int] = field(default_factory=list)  # sorted by id
    inspector_pool: list = field(default_factory=list)  # sorted by id; User or bare id


def draw_verification(draw: Draw) -> DrawCheck:
    """Recompute the draw from its stored seed and pools and compare with the stored result,
    place by place, with the names of the enterprises and inspectors.

    Queries: the enterprises of the pool and of both results; the inspectors likewise."""
    recomputed = calculations.draw(
        seed=int(draw.seed),
        enterprise_pool=draw.enterprise_pool,
        inspector_pool=draw.inspector_pool,
        enterprise_count=draw.enterprise_count,
        inspectors_per_enterprise=draw.inspectors_per_enterprise,
    )
    stored_enterprises = list(draw.drawn_enterprises)
    stored_teams = {int(k): list(v) for k, v in draw.teams.items()}
    enterprise_ids = sorted(set(draw.enterprise_pool))
    inspector_ids = sorted(set(draw.inspector_pool))
    enterprises = Enterprise.objects.only("pk", "name_zh").in_bulk(
        set(enterprise_ids) | set(stored_enterprises) | set(recomputed.enterprises)
    )
    people = User.objects.only("pk", "username", "first_name", "last_name").in_bulk(
        set(inspector_ids).union(*stored_teams.values(), *recomputed.teams.values())
    )

    def team(enterprise_id: int | None, teams: dict[int, list[int]]) -> DrawnTeam:
        ids = list(teams.get(enterprise_id, [])) if enterprise_id is not None else []
        return DrawnTeam(
            enterprise_id=enterprise_id,
            enterprise=enterprises.get(enterprise_id) if enterprise_id is not None else None,
            inspector_ids=ids,
            inspectors=[people.get(i, i) for i in ids],
        )

    rows = [
        CheckRow(
            position=position,
            published=team(published, stored_teams),
            recomputed=team(fresh, recomputed.teams),
        )
        for position, (published, fresh) in enumerate(
            zip_longest(stored_enterprises, recomputed.enterprises), start=1
        )
    ]
    return DrawCheck(
        matches=(recomputed.enterprises == stored_enterprises and recomputed.teams == stored_teams),
        recomputed=recomputed,
        stored_enterprises=stored_enterprises,
        stored_teams=stored_teams,
        rows=rows,
        enterprise_pool=[enterprises.get(e, e) for e in enterprise_ids],
        inspector_pool=[people.get(i, i) for i in inspector_ids],
    )


def draw_pool(*, district: str = "", industry: str = "", listed_year: int | None = None):
    """The enterprise pool of a draw: active enterprises matching the registry filter."""
    qs = Enterprise.objects.filter(is_active=True)
    if district:
        qs = qs.filter(district=district)
    if industry:
        qs = qs.filter(industry=industry)
    if listed_year:
        qs = qs.filter(
            Exists(KeyEmitterListing.objects.filter(enterprise=OuterRef("pk"), year=listed_year))
        )
    return qs.order_by("pk")


# Trainings -------------------------------------------------------------------------------------


def training_list(user) -> QuerySet[Training]:
    attended = Attendee.objects.filter(invitation__training=OuterRef("pk"), attended=True)
    return (
        trainings_for_user(user)
        .annotate(
            invited_count=Count("invitations", distinct=True),
            attendee_count=Count(
                "invitations__attendees",
                filter=Q(invitations__attendees__attended=True),
                distinct=True,
            ),
            has_attendance=Exists(attended),
        )
        .prefetch_related("topics")
        .order_by("-held_on", "-pk")
    )


def training_detail(user, training: Training) -> dict:
    """The training page: an enterprise user or a district reviewer sees only the invitations
    (and their history) of the enterprises it may see."""
    invitations = Invitation.objects.filter(training=training)
    invitation_history = Invitation.history.filter(training_id=training.pk)
    if not sees_everything(user):
        in_scope = Enterprise.objects.filter(enterprise_filter(user)).values("pk")
        invitations = invitations.filter(enterprise_id__in=in_scope)
        invitation_history = invitation_history.filter(enterprise_id__in=in_scope)
    rows = list(
        invitations.select_related("enterprise").prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.order_by("name", "pk"))
        )
    )
    return {
        "topics": list(training.topics.all()),
        "invitations": rows,
        "attended_count": sum(1 for i in rows for a in i.attendees.all() if a.attended),
        "files": list(TrainingFile.objects.filter(training=training)),
        "history": history_entries(
            [
                Training.history.filter(id=training.pk),
                invitation_history,
                Attendee.history.filter(invitation_id__in=invitation_history.values("id")),
                TrainingFile.history.filter(training_id=training.pk),
            ]
        ),
    }


# Progress --------------------------------------------------------------------------------------


VISIT_MEASURES = {Mode.ON_SITE: Measure.ON_SITE_VISITS, Mode.REMOTE: Measure.REMOTE_SESSIONS}
TRAINING_MEASURES = {
    TrainingMode.ON_SITE: Measure.ON_SITE_TRAININGS,
    TrainingMode.ONLINE: Measure.ONLINE_TRAININGS,
}


@dataclass
class MonthRow:
    month: date
    counts: dict[str, int] = field(default_factory=dict)  # measure → count in the month
    cumulative: dict[str, int] = field(default_factory=dict)

    @property
    def cells(self) -> list[tuple[int, int]]:
        """(count, running total) per measure, in `Measure` order, for the table."""
        return [(self.counts[m], self.cumulative[m]) for m in Measure.values]


@dataclass
class MeasureTotal:
    measure: str
    label: str
    done: int
    target: int | None
    share: Decimal | None


@dataclass
class Coverage:
    year: int | None  # the year of the key emitter list used
    listed: int
    covered: int
    share: Decimal | None
    period_year: int  # the year of the end of the period, whose list is wanted

    @property
    def uses_earlier_list(self) -> bool:
        """No list recorded for the period's year: the latest earlier one stands in."""
        return self.year is not None and self.year != self.period_year


def _months(since: date, as_of: date) -> list[date]:
    months, current = [], since.replace(day=1)
    while current <= as_of:
        months.append(current)
        current = current.replace(
            year=current.year + current.month // 12, month=current.month % 12 + 1
        )
    return months


def _month_key(value) -> date:
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return value.replace(day=1)


def progress(*, as_of: date, since: date | None = None) -> dict:
    """Done visits and held trainings from `since` (1 January of `as_of`'s year by default)
    up to and including `as_of`, per month, per measure and per occasion, against the annual
    targets of the years the period touches; plus training coverage of the key emitters.

    Queries: visits per month and mode; visits per occasion and mode; trainings per month and
    mode; targets; the latest key emitter list year; coverage."""
    since = since or as_of.replace(month=1, day=1)
    visits = Visit.objects.filter(
        status=VisitStatus.DONE, started_at__date__gte=since, started_at__date__lte=as_of
    )
    trainings = Training.objects.filter(held_on__gte=since, held_on__lte=as_of)
    months = {
        m: MonthRow(month=m, counts=dict.fromkeys(Measure.values, 0)) for m in _months(since, as_of)
    }

    for row in (
        visits.annotate(month=TruncMonth("started_at"))
        .values("month", "mode")
        .annotate(n=Count("id"))
        .order_by()
    ):
        months[_month_key(row["month"])].counts[VISIT_MEASURES[row["mode"]]] += row["n"]
    for row in (
        trainings.annotate(month=TruncMonth("held_on"))
        .values("month", "mode")
        .annotate(n=Count("id"))
        .order_by()
    ):
        months[_month_key(row["month"])].counts[TRAINING_MEASURES[row["mode"]]] += row["n"]

    running = dict.fromkeys(Measure.values, 0)
    for month_row in months.values():
        for measure, n in month_row.counts.items():
            running[measure] += n
        month_row.cumulative = dict(running)

    by_occasion = {o: dict.fromkeys(Mode.values, 0) for o in Occasion.values}
    for row in visits.values("occasion", "mode").annotate(n=Count("id")).order_by():
        by_occasion[row["occasion"]][row["mode"]] += row["n"]

    years = list(range(since.year, as_of.year + 1))
    targets: dict[str, int] = {}
    for target in Target.objects.filter(year__in=years):
        targets[target.measure] = targets.get(target.measure, 0) + target.target

    totals = [
        MeasureTotal(
            measure=m,
            label=str(Measure(m).label),
            done=running[m],
            target=targets.get(m),
            share=calculations.share(running[m], targets.get(m, 0)),
        )
        for m in Measure.values
    ]
    return {
        "since": since,
        "as_of": as_of,
        "years": years,
        "months": list(months.values()),
        "totals": totals,
        "by_occasion": [
            {
                "occasion": o,
                "label": Occasion(o).label,
                **counts,
                "total": sum(counts.values()),
            }
            for o, counts in by_occasion.items()
        ],
        "coverage": training_coverage(since=since, as_of=as_of),
    }


def training_coverage(*, since: date, as_of: date) -> Coverage:
    """Share of the key emitters of `as_of`'s year (the latest list up to it) with at least one
    attendee at a training held between `since` and `as_of`."""
    year = (
        KeyEmitterListing.objects.filter(year__lte=as_of.year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if year is None:
        return Coverage(year=None, listed=0, covered=0, share=None, period_year=as_of.year)
    attended = Attendee.objects.filter(
        invitation__enterprise=OuterRef("enterprise_id"),
        attended=True,
        invitation__training__held_on__gte=since,
        invitation__training__held_on__lte=as_of,
    )
    counts = KeyEmitterListing.objects.filter(year=year).aggregate(
        listed=Count("pk"), covered=Count("pk", filter=Exists(attended))
    )
    return Coverage(
        year=year,
        listed=counts["listed"],
        covered=counts["covered"],
        share=calculations.share(counts["covered"], counts["listed"]),
        period_year=as_of.year,
    )


def corrections_by_enterprise(*, year: int) -> QuerySet:
    """The allowances (t) assistance follow-ups corrected for the data year: rows of
    `enterprise_id`, `corrected_t` (one grouped query; filter it on `enterprise_id`)."""
    return (
        FollowUp.objects.filter(corrected_year=year, corrected_t__isnull=False)
        .order_by()
        .values("enterprise_id")
        .annotate(corrected_t=Sum("corrected_t"))
        .order_by("enterprise_id")
    )


@dataclass(frozen=True)
class AssistanceSummary:
    """The period's assistance for the manager dashboard: done visits and held trainings per
    measure against the targets of the period's first year (targets are annual: never summed
    across years), per month, and the enterprises visited."""

    since: date
    until: date
    done: dict[str, int]  # Measure → count
    targets: dict[str, int | None]  # Measure → the target of `since`'s year
    by_month: list[tuple[date, int, int]]  # (month, on-site visits, remote sessions)
    enterprises_visited: int


def assistance_summary(
    *, since: date, until: date, district: str | None = None
) -> AssistanceSummary:
    """Four queries: visits per month and mode, trainings per mode, the targets, the
    enterprises visited (a training is the city's: the district filter counts visits only)."""
    visits = Visit.objects.filter(
        status=VisitStatus.DONE, started_at__date__gte=since, started_at__date__lte=until
    )
    if district:
        visits = visits.filter(enterprises__district=district).distinct()
    months = {m: [0, 0] for m in _months(since, until)}
    done = dict.fromkeys(Measure.values, 0)
    for row in (
        Visit.objects.filter(pk__in=visits.values("pk"))
        .annotate(month=TruncMonth("started_at"))
        .values("month", "mode")
        .annotate(n=Count("id"))
        .order_by()
    ):
        months[_month_key(row["month"])][0 if row["mode"] == Mode.ON_SITE else 1] += row["n"]
        done[VISIT_MEASURES[row["mode"]]] += row["n"]
    for row in (
        Training.objects.filter(held_on__gte=since, held_on__lte=until)
        .values("mode")
        .annotate(n=Count("id"))
        .order_by()
    ):
        done[TRAINING_MEASURES[row["mode"]]] += row["n"]
    targets: dict[str, int | None] = dict.fromkeys(Measure.values)
    targets.update(
        Target.objects.filter(year=since.year).values_list("measure", "target").order_by()
    )
    visited = (
        Enterprise.objects.filter(assistance_visits__in=visits.values("pk"))
        .filter(**({"district": district} if district else {}))
        .distinct()
        .count()
    )
    return AssistanceSummary(
        since=since,
        until=until,
        done=done,
        targets=targets,
        by_month=[(m, on_site, remote) for m, (on_site, remote) in months.items()],
        enterprises_visited=visited,
    )
