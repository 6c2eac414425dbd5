"""Who may see and change allocation records: one scoped queryset and one getter per entity.

Rule sets are published policy: every active user reads them, bureau staff edit them. The
what-if calculator is for bureau roles and enterprise users. Not visible → 404; visible but the
need not met → 403.
"""

import enum
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from baotou_carbon.accounts.roles import BUREAU_ROLES, STAFF_ROLES, Role
from baotou_carbon.core.access import require_need
from enterprises.permissions import NOTHING

from .models import RuleSet


class Need(enum.Enum):
    READ = "read"
    EDIT = "edit"  # rule sets: staff


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_edit_rule_sets(user) -> bool:
    return _active(user) and user.role in STAFF_ROLES


def can_use_what_if(user) -> bool:
    return _active(user) and (user.role in BUREAU_ROLES or user.role == Role.ENTERPRISE)


def rule_sets_for_user(user) -> QuerySet[RuleSet]:
    return RuleSet.objects.filter() if _active(user) else RuleSet.objects.filter(NOTHING)


def get_rule_set_for_user_or_404(user, year: int, *, need: Need = Need.READ) -> RuleSet:
    rule_set = get_object_or_404(rule_sets_for_user(user), year=year)
    require_need(need, {Need.READ: lambda: True, Need.EDIT: lambda: can_edit_rule_sets(user)})
    return rule_set


@dataclass(frozen=True)
class RuleSetCapabilities:
    edit: bool
    copy: bool


def rule_set_capabilities(user, rule_set: RuleSet) -> RuleSetCapabilities:
    editor = can_edit_rule_sets(user)
    return RuleSetCapabilities(edit=editor, copy=editor)
