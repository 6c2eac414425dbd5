"""An enterprise's work across the apps, for its registry page.

The registry cannot import the apps built on it; the dashboard sits above them all, so it gathers,
for one enterprise, what each app holds and the user may see: one query per kind of record.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from allocation import permissions as allocation_permissions
from allocation.models import PositionBasis
from assistance import permissions as assistance_permissions
from assistance.models import FollowUpStatus
from verification import permissions as verification_permissions

SHOWN = 5


@dataclass
class RelatedGroup:
    title: str
    rows: list = field(default_factory=list)  # (label, status label, url)
    more: bool = False
    empty: str = ""


def _group(title, qs: QuerySet, label, status, *, empty, url=None) -> RelatedGroup:
    """The first SHOWN records, and whether there are more (one query)."""
    records = list(qs[: SHOWN + 1])
    link = url or (lambda record: record.get_absolute_url())
    return RelatedGroup(
        title=str(title),
        rows=[(label(r), status(r), link(r)) for r in records[:SHOWN]],
        more=len(records) > SHOWN,
        empty=str(empty),
    )


def related_work(user, enterprise) -> list[RelatedGroup]:
    """Cases, reports, monthly evidence, visits, open follow-ups, compliance positions and
    relief applications of `enterprise` that `user` may see; groups the user may not see at
    all are left out."""
    groups = []
    cases = verification_permissions.cases_for_user(user).filter(enterprise=enterprise)
    groups.append(
        _group(
            _("Verification cases"),
            cases.select_related("agency").order_by("-year"),
            lambda c: f"{c.year} · {c.agency}",
            lambda c: c.get_status_display(),
            empty=_("No verification case yet."),
        )
    )
    reports = verification_permissions.reports_for_user(user).filter(enterprise=enterprise)
    groups.append(
        _group(
            _("Emission reports"),
            reports.order_by("-year", "-version"),
            lambda r: f"{r.year} · v{r.version}",
            lambda r: r.get_status_display(),
            empty=_("No emission report yet."),
        )
    )
    evidence = verification_permissions.evidence_for_user(user).filter(enterprise=enterprise)
    groups.append(
        _group(
            _("Monthly evidence"),
            evidence.order_by("-year", "-month"),
            lambda e: f"{e.year}-{e.month:02d}",
            lambda e: e.get_status_display(),
            empty=_("No monthly evidence submitted yet."),
        )
    )
    if assistance_permissions.can_read_assistance(user):
        visits = assistance_permissions.visits_for_user(user).filter(enterprises=enterprise)
        groups.append(
            _group(
                _("Assistance visits"),
                visits.order_by("-started_at"),
                str,  # the mode and the time
                lambda v: v.get_status_display(),
                empty=_("No assistance visit recorded yet."),
            )
        )
        follow_ups = assistance_permissions.follow_ups_for_user(user).filter(enterprise=enterprise)
        groups.append(
            _group(
                _("Open follow-ups"),
                follow_ups.exclude(status=FollowUpStatus.CLOSED).order_by("due_on"),
                lambda f: f"{f.due_on:%Y-%m-%d} · {f.action}",
                lambda f: f.get_status_display(),
                url=lambda f: reverse("assistance:visit_detail", args=[f.visit_id]),
                empty=_("No open follow-up."),
            )
        )
    if allocation_permissions.can_see_positions(user):
        groups.extend(_allocation_groups(user, enterprise))
    return groups


def _position_url(position) -> str:
    if position.basis == PositionBasis.PROJECTED:
        return reverse("allocation:early_warning")
    return f"{reverse('allocation:position_list')}?year={position.year}"


def _position_status(position) -> str:
    status = str(position.get_status_display())
    if position.shortfall_ratio:
        return f"{status} · {position.shortfall_percent:.2f}%"
    return status


def _allocation_groups(user, enterprise) -> list[RelatedGroup]:
    positions = allocation_permissions.positions_for_user(user).filter(enterprise=enterprise)
    relief = allocation_permissions.relief_for_user(user).filter(enterprise=enterprise)
    return [
        _group(
            _("Compliance positions"),
            positions.order_by("-year", "basis"),
            lambda p: f"{p.year} · {p.get_basis_display()}",
            _position_status,
            url=_position_url,
            empty=_("No compliance position computed yet."),
        ),
        _group(
            _("Relief applications"),
            relief.order_by("-year", "-created_at"),
            lambda r: f"{r.year} · {r.get_kind_display()}",
            lambda r: r.get_status_display(),
            empty=_("No relief application."),
        ),
    ]
