"""Who may see and change verification records: one scoped queryset and one getter per entity.

Bureau roles see every case; an agency user only its agency's cases; an enterprise user its own
enterprise's cases (their conclusions and findings, which it answers); district reviewers none.
Not visible → 404; visible but read-only → 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from baotou_carbon.accounts.roles import BUREAU_ROLES, STAFF_ROLES, Role
from enterprises.models import Enterprise
from enterprises.permissions import NOTHING, enterprise_filter

from .models import (
    Actor,
    AnnualReport,
    ChecklistItem,
    ChecklistTemplate,
    EmissionParameter,
    EvidenceFile,
    EvidenceSubmission,
    Finding,
    Holiday,
    VerificationCase,
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_staff(user) -> bool:
    """Bureau staff and administrators: they run cases and keep the reference data."""
    return _active(user) and user.role in STAFF_ROLES


def actor_kind(user) -> str | None:
    """The workflow actor a user acts as (models.Actor), or None."""
    if not _active(user):
        return None
    return {
        Role.BUREAU_STAFF: Actor.STAFF,
        Role.ADMINISTRATOR: Actor.STAFF,
        Role.BUREAU_MANAGER: Actor.MANAGER,
        Role.AGENCY: Actor.AGENCY,
        Role.ENTERPRISE: Actor.ENTERPRISE,
    }.get(user.role)


# Reference data: parameters, calendar, checklist templates -------------------------------


def can_edit_reference_data(user) -> bool:
    return is_staff(user)


def get_parameter_for_user_or_404(user, pk: int) -> EmissionParameter:
    _require(can_edit_reference_data(user))
    return get_object_or_404(EmissionParameter, pk=pk)


def get_holiday_for_user_or_404(user, pk: int) -> Holiday:
    _require(can_edit_reference_data(user))
    return get_object_or_404(Holiday, pk=pk)


def can_view_templates(user) -> bool:
    return _active(user) and (user.role in BUREAU_ROLES or user.role == Role.AGENCY)


def get_template_for_user_or_404(user, pk: int, *, for_write: bool = False) -> ChecklistTemplate:
    _require(can_view_templates(user))
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    if for_write:
        _require(can_edit_reference_data(user))
    return template


# Cases -----------------------------------------------------------------------------------


def case_filter(user, path: str = "") -> Q:
    """A Q limiting rows whose case is reached through `path` to the cases `user` may see."""
    if not _active(user):
        return NOTHING
    prefix = f"{path}__" if path else ""
    if user.role in BUREAU_ROLES:
        return Q()
    if user.role == Role.AGENCY:
        return Q(**{f"{prefix}agency": user.agency_id})
    if user.role == Role.ENTERPRISE:
        return Q(**{f"{prefix}enterprise": user.enterprise_id})
    return NOTHING


def cases_for_user(user) -> QuerySet[VerificationCase]:
    return VerificationCase.objects.filter(case_filter(user))


def can_create_case(user) -> bool:
    return is_staff(user)


def can_work_on_case(user, case: VerificationCase) -> bool:
    """Record checklist results, findings and figures: staff, or the case's own agency."""
    if is_staff(user):
        return True
    return _active(user) and user.role == Role.AGENCY and user.agency_id == case.agency_id


def can_see_workings(user, case: VerificationCase | None) -> bool:
    """Checklist, allowance gain and internal notes: everyone but the enterprise."""
    return _active(user) and user.role != Role.ENTERPRISE


def can_edit_gain(user) -> bool:
    return is_staff(user)


def get_case_for_user_or_404(user, pk: int, *, for_write: bool = False) -> VerificationCase:
    case = get_object_or_404(cases_for_user(user).select_related("enterprise", "agency"), pk=pk)
    if for_write:
        _require(can_work_on_case(user, case))
    return case


def get_case_for_staff_or_404(user, pk: int) -> VerificationCase:
    case = get_object_or_404(cases_for_user(user).select_related("enterprise", "agency"), pk=pk)
    _require(is_staff(user))
    return case


def is_case_enterprise(user, case: VerificationCase) -> bool:
    return (
        _active(user) and user.role == Role.ENTERPRISE and user.enterprise_id == case.enterprise_id
    )


def get_case_for_enterprise_or_404(user, pk: int) -> VerificationCase:
    case = get_object_or_404(cases_for_user(user).select_related("enterprise", "agency"), pk=pk)
    _require(is_case_enterprise(user, case))
    return case


def can_decide_re_review(user) -> bool:
    return _active(user) and user.role in BUREAU_ROLES


def get_case_for_re_review_or_404(user, pk: int) -> VerificationCase:
    case = get_object_or_404(cases_for_user(user).select_related("enterprise", "agency"), pk=pk)
    _require(can_decide_re_review(user))
    return case


# Checklist items and findings ------------------------------------------------------------


def get_checklist_item_for_user_or_404(user, pk: int) -> ChecklistItem:
    """Only those working on the case edit its checklist; the enterprise never sees it."""
    item = get_object_or_404(
        ChecklistItem.objects.filter(case_filter(user, "case")).select_related(
            "case__enterprise", "case__agency"
        ),
        pk=pk,
    )
    if not can_see_workings(user, item.case):
        raise PermissionDenied
    _require(can_work_on_case(user, item.case))
    return item


def findings_for_user(user) -> QuerySet[Finding]:
    return Finding.objects.filter(case_filter(user, "case"))


def get_finding_for_user_or_404(user, pk: int, *, for_write: bool = False) -> Finding:
    finding = get_object_or_404(
        findings_for_user(user).select_related("case__enterprise", "case__agency"), pk=pk
    )
    if for_write:
        _require(can_work_on_case(user, finding.case))
    return finding


def get_finding_for_answer_or_404(user, pk: int) -> Finding:
    finding = get_object_or_404(
        findings_for_user(user).select_related("case__enterprise", "case__agency"), pk=pk
    )
    _require(is_case_enterprise(user, finding.case))
    return finding


# Monthly evidence ------------------------------------------------------------------------
# Enterprise users see their own months, district reviewers their district's, agencies the
# enterprises of their cases (the consistency checkpoint), the bureau everything.


def evidence_for_user(user) -> QuerySet[EvidenceSubmission]:
    return EvidenceSubmission.objects.filter(enterprise_filter(user, "enterprise"))


def board_enterprises_for_user(user) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(enterprise_filter(user), is_active=True)


def can_submit_evidence(user, enterprise_id: int) -> bool:
    return _active(user) and user.role == Role.ENTERPRISE and user.enterprise_id == enterprise_id


def can_review_evidence(user, enterprise: Enterprise) -> bool:
    """The district reviewer of the enterprise's district, or bureau staff."""
    if is_staff(user):
        return True
    return (
        _active(user)
        and user.role == Role.DISTRICT_REVIEWER
        and user.district == enterprise.district
    )


def get_board_enterprise_for_submit_or_404(user, pk: int) -> Enterprise:
    enterprise = get_object_or_404(board_enterprises_for_user(user), pk=pk)
    _require(can_submit_evidence(user, enterprise.pk))
    return enterprise


def get_evidence_for_user_or_404(user, pk: int) -> EvidenceSubmission:
    return get_object_or_404(evidence_for_user(user).select_related("enterprise"), pk=pk)


def get_evidence_for_review_or_404(user, pk: int) -> EvidenceSubmission:
    submission = get_evidence_for_user_or_404(user, pk)
    _require(can_review_evidence(user, submission.enterprise))
    return submission


def get_evidence_file_for_user_or_404(user, pk: int) -> EvidenceFile:
    return get_object_or_404(
        EvidenceFile.objects.filter(enterprise_filter(user, "submission__enterprise")), pk=pk
    )


# Annual emission reports -----------------------------------------------------------------


def reports_for_user(user) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(enterprise_filter(user, "enterprise"))


def can_create_report(user) -> bool:
    return _active(user) and user.role == Role.ENTERPRISE


def is_report_owner(user, report: AnnualReport) -> bool:
    return can_submit_evidence(user, report.enterprise_id)


def can_review_report(user) -> bool:
    return is_staff(user)


def get_report_for_user_or_404(user, pk: int) -> AnnualReport:
    return get_object_or_404(reports_for_user(user).select_related("enterprise"), pk=pk)


def get_report_for_owner_or_404(user, pk: int) -> AnnualReport:
    report = get_report_for_user_or_404(user, pk)
    _require(is_report_owner(user, report))
    return report


def get_report_for_review_or_404(user, pk: int) -> AnnualReport:
    report = get_report_for_user_or_404(user, pk)
    _require(can_review_report(user))
    return report
