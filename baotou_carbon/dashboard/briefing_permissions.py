"""Who may request, follow and download the leadership briefings: the bureau's managers,
staff and administrators. (The manager dashboard's own rules live in permissions.py.)

A bureau user sees every briefing, whoever requested it, so a link passed to a colleague
opens; everyone else is refused outright (403), the feature not being theirs.
"""

import enum

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from baotou_carbon.core.access import require, require_need
from enterprises.permissions import is_bureau

from .models import Briefing


class Need(enum.Enum):
    """What a caller needs to do with a briefing it fetches."""

    READ = "read"


def can_request_briefing(user) -> bool:
    """Bureau managers, staff and administrators."""
    return is_bureau(user)


def briefings_for_user(user) -> QuerySet[Briefing]:
    if not can_request_briefing(user):
        return Briefing.objects.none()
    return Briefing.objects.select_related("requested_by", "pdf")


def get_briefing_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> Briefing:
    """403 for a user the briefings are not for; 404 for a briefing that does not exist."""
    require(can_request_briefing(user))
    briefing = get_object_or_404(briefings_for_user(user), pk=pk)
    require_need(need, {Need.READ: lambda: True})
    return briefing
