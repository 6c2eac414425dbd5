"""Who may see and change assistance records: one scoped queryset and one getter per entity.

Bureau staff and administrators write; managers read everything; an enterprise user sees the
visits and trainings involving its enterprise and answers the follow-ups owed by it; a district
reviewer reads those of its district's enterprises; an agency user sees only the published
draws (even where `enterprise_filter` would show it the enterprises of its verification cases).
Each getter takes what the caller needs as a keyword (`need=Need.EDIT`): not visible → 404;
visible but the need not met → 403. The pages read what they may offer from the frozen
`*_capabilities(user, record)`.

Visits and trainings reach enterprises through many-to-many links, so scoping uses `Exists`
on the link table: no duplicate rows, no `.distinct()` needed.
"""

import enum
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from baotou_carbon.accounts.models import User
from baotou_carbon.accounts.roles import BUREAU_ROLES, STAFF_ROLES, Role
from baotou_carbon.core.access import require as require  # the views check role-only pages
from baotou_carbon.core.access import require_need
from enterprises.permissions import enterprise_filter

from .models import Draw, FollowUp, Training, TrainingFile, Visit, VisitFile

# Who may open the assistance pages at all (agency users only see published draws).
ASSISTANCE_READER_ROLES = BUREAU_ROLES | {Role.ENTERPRISE, Role.DISTRICT_REVIEWER}


class Need(enum.Enum):
    """What a caller needs to do with an assistance record it fetches."""

    READ = "read"
    # Log and change visits, draws, trainings and their files; close and reopen follow-ups:
    # staff, the same people who keep the registry.
    EDIT = "edit"
    ANSWER = "answer"  # confirm or answer a follow-up: the enterprise that owes it


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_edit(user) -> bool:
    """Who logs visits, draws, trainings and targets: the people who keep the registry."""
    return _active(user) and user.role in STAFF_ROLES


def can_read_assistance(user) -> bool:
    return _active(user) and user.role in ASSISTANCE_READER_ROLES


def can_read_progress(user) -> bool:
    return _active(user) and user.role in BUREAU_ROLES


def can_answer(user, follow_up: FollowUp) -> bool:
    """Only a user of the enterprise that owes the action confirms or answers it."""
    return (
        _active(user)
        and user.role == Role.ENTERPRISE
        and user.enterprise_id == follow_up.enterprise_id
    )


def sees_everything(user) -> bool:
    """The bureau sees every visit, follow-up and training, unfiltered."""
    return _active(user) and user.role in BUREAU_ROLES


def bureau_users() -> QuerySet[User]:
    """Who may staff a visit or be drawn as an inspector: the active bureau users."""
    return User.objects.filter(is_active=True, role__in=sorted(BUREAU_ROLES)).order_by("username")


def default_inspectors() -> QuerySet[User]:
    """The inspector pool a new draw starts from: the bureau staff."""
    return bureau_users().filter(role=Role.BUREAU_STAFF)


def is_visit_staff_by_default(user) -> bool:
    """A bureau user logging a visit is one of its staff unless they say otherwise."""
    return sees_everything(user)


def _read_or_edit(user):
    return {Need.READ: lambda: True, Need.EDIT: lambda: can_edit(user)}


# Visits ------------------------------------------------------------------------------------


def visits_for_user(user) -> QuerySet[Visit]:
    if sees_everything(user):
        return Visit.objects.all()
    if not can_read_assistance(user):
        return Visit.objects.none()
    link = Visit.enterprises.through.objects.filter(
        enterprise_filter(user, "enterprise"), visit=OuterRef("pk")
    )
    return Visit.objects.filter(Exists(link))


def get_visit_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> Visit:
    visit = get_object_or_404(visits_for_user(user), pk=pk)
    require_need(need, _read_or_edit(user))
    return visit


@dataclass(frozen=True)
class VisitCapabilities:
    """What the visit page offers the user."""

    can_edit: bool  # the visit, its files


def visit_capabilities(user, visit: Visit) -> VisitCapabilities:
    return VisitCapabilities(can_edit=can_edit(user))


def follow_ups_for_user(user) -> QuerySet[FollowUp]:
    """Bureau roles see all; an enterprise user those owed by its enterprise; a district
    reviewer those of its district's enterprises."""
    if not can_read_assistance(user):
        return FollowUp.objects.none()
    return FollowUp.objects.filter(enterprise_filter(user, "enterprise"))


def get_follow_up_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> FollowUp:
    """`need`: READ, ANSWER (confirm or answer: the owing enterprise) or EDIT (close, reopen:
    staff)."""
    follow_up = get_object_or_404(
        follow_ups_for_user(user).select_related("visit", "enterprise"), pk=pk
    )
    require_need(
        need,
        {**_read_or_edit(user), Need.ANSWER: lambda: can_answer(user, follow_up)},
    )
    return follow_up


def can_record_correction(user) -> bool:
    """Who records the allowances a follow-up corrected (the assistance measure's gain):
    staff, who judge the correction."""
    return can_edit(user)


@dataclass(frozen=True)
class FollowUpCapabilities:
    """What a follow-up offers the user, where it is shown."""

    can_answer: bool  # confirm it done, or answer it
    can_manage: bool  # close or reopen it
    can_correct: bool  # record or clear the allowances it corrected


def follow_up_capabilities(user, follow_up: FollowUp) -> FollowUpCapabilities:
    return FollowUpCapabilities(
        can_answer=can_answer(user, follow_up),
        can_manage=can_edit(user),
        can_correct=can_record_correction(user),
    )


def get_visit_file_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> VisitFile:
    visit_file = get_object_or_404(
        VisitFile.objects.filter(visit__in=visits_for_user(user)).select_related("visit"), pk=pk
    )
    require_need(need, _read_or_edit(user))
    return visit_file


# Draws: published to every logged-in user ---------------------------------------------------


def draws_for_user(user) -> QuerySet[Draw]:
    if not _active(user):
        return Draw.objects.none()
    return Draw.objects.all()


def get_draw_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> Draw:
    draw = get_object_or_404(draws_for_user(user).select_related("drawn_by", "supersedes"), pk=pk)
    require_need(need, _read_or_edit(user))
    return draw


@dataclass(frozen=True)
class DrawCapabilities:
    """What a published draw's page offers the user."""

    can_redraw: bool
    can_read_visits: bool  # link the planned visits


def draw_capabilities(user, draw: Draw, *, redrawable: bool) -> DrawCapabilities:
    """`redrawable`: the draw is the latest of its chain and none of its visits took place."""
    return DrawCapabilities(
        can_redraw=can_edit(user) and redrawable, can_read_visits=can_read_assistance(user)
    )


# Trainings ---------------------------------------------------------------------------------


def trainings_for_user(user) -> QuerySet[Training]:
    if sees_everything(user):
        return Training.objects.all()
    if not can_read_assistance(user):
        return Training.objects.none()
    invited = Training.invited.through.objects.filter(
        enterprise_filter(user, "enterprise"), training=OuterRef("pk")
    )
    return Training.objects.filter(Exists(invited))


def get_training_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> Training:
    training = get_object_or_404(trainings_for_user(user), pk=pk)
    require_need(need, _read_or_edit(user))
    return training


@dataclass(frozen=True)
class TrainingCapabilities:
    """What the training page offers the user."""

    can_edit: bool  # the training, its attendance and materials


def training_capabilities(user, training: Training) -> TrainingCapabilities:
    return TrainingCapabilities(can_edit=can_edit(user))


def get_training_file_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> TrainingFile:
    training_file = get_object_or_404(
        TrainingFile.objects.filter(training__in=trainings_for_user(user)).select_related(
            "training"
        ),
        pk=pk,
    )
    require_need(need, _read_or_edit(user))
    return training_file
