"""Who may see and change assistance records: one scoped queryset and one getter per entity.

Bureau staff and administrators write; managers read everything; an enterprise user sees the
visits and trainings involving its enterprise and answers the follow-ups owed by it; a district
reviewer reads those of its district's enterprises; an agency user sees only the published
draws (even where `enterprise_filter` would show it the enterprises of its verification cases).
Not visible → 404; visible but not allowed → 403.

Visits and trainings reach enterprises through many-to-many links, so scoping uses `Exists`
on the link table: no duplicate rows, no `.distinct()` needed.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from baotou_carbon.accounts.roles import BUREAU_ROLES, STAFF_ROLES, Role
from enterprises.permissions import enterprise_filter

from .models import Draw, FollowUp, Training, TrainingFile, Visit, VisitFile

# Who may open the assistance pages at all (agency users only see published draws).
ASSISTANCE_READER_ROLES = BUREAU_ROLES | {Role.ENTERPRISE, Role.DISTRICT_REVIEWER}


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


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _unrestricted(user) -> bool:
    return _active(user) and user.role in BUREAU_ROLES


# Visits ------------------------------------------------------------------------------------


def visits_for_user(user) -> QuerySet[Visit]:
    if _unrestricted(user):
        return Visit.objects.all()
    if not can_read_assistance(user):
        return Visit.objects.none()
    link = Visit.enterprises.through.objects.filter(
        enterprise_filter(user, "enterprise"), visit=OuterRef("pk")
    )
    return Visit.objects.filter(Exists(link))


def get_visit_for_user_or_404(user, pk: int, *, for_write: bool = False) -> Visit:
    visit = get_object_or_404(visits_for_user(user), pk=pk)
    if for_write:
        require(can_edit(user))
    return visit


def follow_ups_for_user(user) -> QuerySet[FollowUp]:
    """Bureau roles see all; an enterprise user those owed by its enterprise; a district
    reviewer those of its district's enterprises."""
    if not can_read_assistance(user):
        return FollowUp.objects.none()
    return FollowUp.objects.filter(enterprise_filter(user, "enterprise"))


def get_follow_up_for_user_or_404(user, pk: int, *, action: str = "read") -> FollowUp:
    """`action`: "read", "answer" (confirm or answer: the owing enterprise) or "manage"
    (close, reopen: staff)."""
    follow_up = get_object_or_404(
        follow_ups_for_user(user).select_related("visit", "enterprise"), pk=pk
    )
    if action == "answer":
        require(can_answer(user, follow_up))
    elif action == "manage":
        require(can_edit(user))
    return follow_up


def get_visit_file_for_user_or_404(user, pk: int, *, for_write: bool = False) -> VisitFile:
    visit_file = get_object_or_404(
        VisitFile.objects.filter(visit__in=visits_for_user(user)).select_related("visit"), pk=pk
    )
    if for_write:
        require(can_edit(user))
    return visit_file


# Draws: published to every logged-in user ---------------------------------------------------


def draws_for_user(user) -> QuerySet[Draw]:
    if not _active(user):
        return Draw.objects.none()
    return Draw.objects.all()


def get_draw_for_user_or_404(user, pk: int, *, for_write: bool = False) -> Draw:
    draw = get_object_or_404(draws_for_user(user).select_related("drawn_by", "supersedes"), pk=pk)
    if for_write:
        require(can_edit(user))
    return draw


# Trainings ---------------------------------------------------------------------------------


def trainings_for_user(user) -> QuerySet[Training]:
    if _unrestricted(user):
        return Training.objects.all()
    if not can_read_assistance(user):
        return Training.objects.none()
    invited = Training.invited.through.objects.filter(
        enterprise_filter(user, "enterprise"), training=OuterRef("pk")
    )
    return Training.objects.filter(Exists(invited))


def get_training_for_user_or_404(user, pk: int, *, for_write: bool = False) -> Training:
    training = get_object_or_404(trainings_for_user(user), pk=pk)
    if for_write:
        require(can_edit(user))
    return training


def get_training_file_for_user_or_404(user, pk: int, *, for_write: bool = False) -> TrainingFile:
    training_file = get_object_or_404(
        TrainingFile.objects.filter(training__in=trainings_for_user(user)).select_related(
            "training"
        ),
        pk=pk,
    )
    if for_write:
        require(can_edit(user))
    return training_file
