"""Who may see and change allocation records: one scoped queryset and one getter per entity.

- Rule sets are published policy: every active user reads them, bureau staff edit them.
- Unit allocations (cross-verification): bureau roles see all, staff work on them; an agency
  user sees the units of the enterprises and years of its agency's cases and enters its figures
  there; an enterprise user sees its own units and reviews and confirms them.
- Positions: bureau roles all; an enterprise user its own.
- Relief applications: bureau roles all, staff pre-check, forward and record decisions; an
  enterprise user its own, which it drafts, submits and may withdraw.
- The what-if calculator: bureau roles and enterprise users.

Not visible → 404; visible but the need not met → 403. Pages read what they may offer from the
frozen `*_capabilities(user, record)`.
"""

import enum
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from baotou_carbon.accounts.roles import Role
from baotou_carbon.core.access import require, require_need
from enterprises.permissions import NOTHING, is_bureau
from verification import selectors as verification
from verification.permissions import is_staff

from .models import (
    CompliancePosition,
    CostDocument,
    CostEntry,
    CrossCheckStatus,
    Party,
    ReliefApplication,
    ReliefDocument,
    ReliefStatus,
    RuleSet,
    UnitAllocation,
)


class Need(enum.Enum):
    READ = "read"
    EDIT = "edit"  # rule sets, surrender records: staff
    WORK = "work"  # cross-verification: the party whose turn it is
    APPLY = "apply"  # relief: the enterprise drafts, submits, withdraws
    HANDLE = "handle"  # relief: staff pre-check, return, forward, record the decision


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_enterprise_user(user) -> bool:
    return _active(user) and user.role == Role.ENTERPRISE and user.enterprise_id is not None


def can_edit_rule_sets(user) -> bool:
    return is_staff(user)


def can_use_what_if(user) -> bool:
    return is_bureau(user) or is_enterprise_user(user)


# Rule sets ---------------------------------------------------------------------------------


def rule_sets_for_user(user) -> QuerySet[RuleSet]:
    return RuleSet.objects.filter(Q() if _active(user) else NOTHING)


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


# Unit allocations --------------------------------------------------------------------------


def party_of(user) -> str | None:
    """The cross-verification party a user acts for, or None."""
    if is_staff(user):
        return Party.BUREAU
    if _active(user) and user.role == Role.AGENCY and user.agency_id:
        return Party.AGENCY
    if is_enterprise_user(user):
        return Party.ENTERPRISE
    return None


# Whose turn it is in each status.
TURN = {
    CrossCheckStatus.PRELIMINARY: Party.BUREAU,
    CrossCheckStatus.AGENCY: Party.AGENCY,
    CrossCheckStatus.ENTERPRISE: Party.ENTERPRISE,
    CrossCheckStatus.CONFIRMED: Party.BUREAU,
    CrossCheckStatus.APPROVED: Party.BUREAU,
}


def unit_allocation_filter(user) -> Q:
    if is_bureau(user):
        return Q()
    if is_enterprise_user(user):
        return Q(unit__facility__enterprise_id=user.enterprise_id)
    if party_of(user) == Party.AGENCY:
        covered = verification.agency_case_years(user.agency_id).filter(
            enterprise_id=OuterRef("unit__facility__enterprise_id"), year=OuterRef("year")
        )
        return Q(Exists(covered))
    return NOTHING


def unit_allocations_for_user(user) -> QuerySet[UnitAllocation]:
    return UnitAllocation.objects.filter(unit_allocation_filter(user))


def can_work_on_unit_allocation(user, unit_allocation: UnitAllocation) -> bool:
    """It is the user's party's turn (the row is already known to be visible to the user)."""
    return party_of(user) == TURN[CrossCheckStatus(unit_allocation.status)]


def get_unit_allocation_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> UnitAllocation:
    unit_allocation = get_object_or_404(
        unit_allocations_for_user(user).select_related("unit__facility__enterprise"), pk=pk
    )
    require_need(
        need,
        {
            Need.READ: lambda: True,
            Need.WORK: lambda: can_work_on_unit_allocation(user, unit_allocation),
        },
    )
    return unit_allocation


def can_create_unit_allocations(user) -> bool:
    return is_staff(user)


@dataclass(frozen=True)
class UnitAllocationCapabilities:
    enter_figures: bool  # the party whose turn it is enters or corrects its figures
    party: str | None
    send_to_agency: bool
    send_to_enterprise: bool
    confirm: bool
    dispute: bool
    approve: bool
    return_for_review: bool
    reopen: bool
    comment: bool


def unit_allocation_capabilities(
    user, unit_allocation: UnitAllocation
) -> UnitAllocationCapabilities:
    party = party_of(user)
    turn = can_work_on_unit_allocation(user, unit_allocation)
    status = unit_allocation.status
    return UnitAllocationCapabilities(
        enter_figures=turn
        and status
        in {CrossCheckStatus.PRELIMINARY, CrossCheckStatus.AGENCY, CrossCheckStatus.ENTERPRISE},
        party=party,
        send_to_agency=turn and status == CrossCheckStatus.PRELIMINARY,
        send_to_enterprise=turn and status == CrossCheckStatus.AGENCY,
        confirm=turn and status == CrossCheckStatus.ENTERPRISE,
        dispute=turn and status == CrossCheckStatus.ENTERPRISE,
        approve=turn and status == CrossCheckStatus.CONFIRMED,
        return_for_review=turn and status == CrossCheckStatus.CONFIRMED,
        reopen=turn and status == CrossCheckStatus.APPROVED,
        comment=party is not None and status != CrossCheckStatus.APPROVED,
    )


# Compliance positions ----------------------------------------------------------------------


def enterprise_scope(user, path: str = "enterprise_id") -> Q:
    """Bureau roles: every enterprise; an enterprise user: its own; anyone else: none."""
    if is_bureau(user):
        return Q()
    if is_enterprise_user(user):
        return Q(**{path: user.enterprise_id})
    return NOTHING


def can_see_positions(user) -> bool:
    return is_bureau(user) or is_enterprise_user(user)


def positions_for_user(user) -> QuerySet[CompliancePosition]:
    return CompliancePosition.objects.filter(enterprise_scope(user))


def get_position_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> CompliancePosition:
    """`need`: READ (positions are only read: the recompute writes them). A role that sees no
    positions is refused (403) before any row is read, as on the positions page."""
    require(can_see_positions(user))
    position = get_object_or_404(positions_for_user(user).select_related("enterprise"), pk=pk)
    require_need(need, {Need.READ: lambda: True})
    return position


def can_edit_surrender_records(user) -> bool:
    return is_staff(user)


def can_recompute_positions(user) -> bool:
    return is_staff(user)


# Relief applications -----------------------------------------------------------------------


def relief_for_user(user) -> QuerySet[ReliefApplication]:
    return ReliefApplication.objects.filter(enterprise_scope(user))


def can_apply_for_relief(user) -> bool:
    return is_enterprise_user(user)


def _relief_checks(user, application: ReliefApplication) -> dict:
    own = is_enterprise_user(user) and application.enterprise_id == user.enterprise_id
    return {
        Need.READ: lambda: True,
        Need.APPLY: lambda: own,
        Need.HANDLE: lambda: is_staff(user),
    }


def get_relief_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> ReliefApplication:
    application = get_object_or_404(
        relief_for_user(user).select_related("enterprise", "created_by"), pk=pk
    )
    require_need(need, _relief_checks(user, application))
    return application


def get_relief_document_for_user_or_404(user, pk: int) -> ReliefDocument:
    return get_object_or_404(
        ReliefDocument.objects.select_related("application").filter(
            application__in=relief_for_user(user)
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class ReliefCapabilities:
    edit: bool  # change the draft's figures and reasons, add documents
    submit: bool
    withdraw: bool
    return_to_enterprise: bool
    forward: bool
    decide: bool


def relief_capabilities(user, application: ReliefApplication) -> ReliefCapabilities:
    checks = _relief_checks(user, application)
    applicant, handler = checks[Need.APPLY](), checks[Need.HANDLE]()
    status = application.status
    editable = status in {ReliefStatus.DRAFT, ReliefStatus.RETURNED}
    return ReliefCapabilities(
        edit=applicant and editable,
        submit=applicant and editable,
        withdraw=applicant
        and status in {ReliefStatus.DRAFT, ReliefStatus.SUBMITTED, ReliefStatus.RETURNED},
        return_to_enterprise=handler and status == ReliefStatus.SUBMITTED,
        forward=handler and status == ReliefStatus.SUBMITTED,
        decide=handler and status == ReliefStatus.FORWARDED,
    )


# Compliance costs, carbon prices and savings ------------------------------------------------


def can_see_costs(user) -> bool:
    """The ledger: bureau roles all of it, an enterprise user its own."""
    return is_bureau(user) or is_enterprise_user(user)


def cost_entries_for_user(user) -> QuerySet[CostEntry]:
    return CostEntry.objects.filter(enterprise_scope(user))


def can_enter_costs(user) -> bool:
    """Staff for any enterprise; an enterprise user for its own."""
    return is_staff(user) or is_enterprise_user(user)


def can_enter_costs_for(user, enterprise_id: int) -> bool:
    return is_staff(user) or (is_enterprise_user(user) and user.enterprise_id == enterprise_id)


def _cost_checks(user, entry: CostEntry) -> dict:
    return {
        Need.READ: lambda: True,
        Need.EDIT: lambda: can_enter_costs_for(user, entry.enterprise_id),
    }


def get_cost_entry_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> CostEntry:
    """Need.EDIT: may reverse it (and add documents)."""
    entry = get_object_or_404(cost_entries_for_user(user).select_related("enterprise"), pk=pk)
    require_need(need, _cost_checks(user, entry))
    return entry


def get_cost_document_for_user_or_404(user, pk: int) -> CostDocument:
    return get_object_or_404(
        CostDocument.objects.select_related("entry").filter(entry__in=cost_entries_for_user(user)),
        pk=pk,
    )


@dataclass(frozen=True)
class CostEntryCapabilities:
    reverse: bool  # enter the reversing entry
    add_documents: bool


def cost_entry_capabilities(user, entry: CostEntry) -> CostEntryCapabilities:
    may = _cost_checks(user, entry)[Need.EDIT]()
    reversible = not entry.is_reversal and not hasattr(entry, "reversed_by")
    return CostEntryCapabilities(reverse=may and reversible, add_documents=may)


def can_edit_prices(user) -> bool:
    """The price series and the valuation dates are reference data: staff keep them."""
    return is_staff(user)


def can_see_savings(user) -> bool:
    """The bureau-wide savings: bureau roles (staff, managers, administrators)."""
    return is_bureau(user)


def can_recompute_savings(user) -> bool:
    return is_bureau(user)
