"""Who may see and change verification records: one scoped queryset and one getter per entity.

Bureau roles see every case; an agency user only its agency's cases; an enterprise user its own
enterprise's cases (their conclusions and findings, which it answers); district reviewers none.
Each getter takes what the caller needs as a keyword (`need=Need.WORK`): not visible → 404;
visible but the need not met → 403. The pages read what they may offer from the frozen
`*_capabilities(user, record)`.
"""

import enum
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from baotou_carbon.accounts.roles import BUREAU_ROLES, STAFF_ROLES, Role
from baotou_carbon.core.access import require, require_need
from enterprises.models import Enterprise
from enterprises.permissions import NOTHING, agencies_for_user, enterprise_filter

from .models import (
    WORKING_STATES,
    Actor,
    AnnualReport,
    CaseStatus,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateItem,
    EmissionParameter,
    EvidenceFile,
    EvidenceStatus,
    EvidenceSubmission,
    Finding,
    GainComponent,
    Holiday,
    ReportStatus,
    VerificationCase,
)


class Need(enum.Enum):
    """What a caller needs to do with a verification record it fetches."""

    READ = "read"
    EDIT = "edit"  # reference data and checklist templates: staff
    WORK = "work"  # a case's checklist, findings, figures and steps: staff or its agency
    MANAGE = "manage"  # a case's gain and agency: staff
    ANSWER = "answer"  # answer a finding: the case's enterprise
    OBJECT = "object"  # object to a case's conclusion: the case's enterprise
    RE_REVIEW = "re_review"  # decide on an objection: the bureau
    SUBMIT = "submit"  # monthly evidence and annual reports: the enterprise's own user
    REVIEW = "review"  # evidence: its district's reviewer or staff; reports: staff


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


def _reference_needs(user):
    """Reference data belongs to no enterprise: every user reads it, staff edit it. The role
    decides before any row is read."""
    return {Need.READ: lambda: _active(user), Need.EDIT: lambda: can_edit_reference_data(user)}


def get_parameter_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> EmissionParameter:
    require_need(need, _reference_needs(user))
    return get_object_or_404(EmissionParameter, pk=pk)


def get_holiday_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> Holiday:
    require_need(need, _reference_needs(user))
    return get_object_or_404(Holiday, pk=pk)


def can_view_templates(user) -> bool:
    return _active(user) and (user.role in BUREAU_ROLES or user.role == Role.AGENCY)


def _template_needs(user):
    return {Need.READ: lambda: True, Need.EDIT: lambda: can_edit_reference_data(user)}


def get_template_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> ChecklistTemplate:
    require(can_view_templates(user))
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    require_need(need, _template_needs(user))
    return template


def get_template_item_for_user_or_404(
    user, pk: int, *, need: Need = Need.READ
) -> ChecklistTemplateItem:
    require(can_view_templates(user))
    item = get_object_or_404(ChecklistTemplateItem.objects.select_related("template"), pk=pk)
    require_need(need, _template_needs(user))
    return item


@dataclass(frozen=True)
class TemplateCapabilities:
    """What the checklist template pages offer the user."""

    can_edit: bool


def template_capabilities(user) -> TemplateCapabilities:
    return TemplateCapabilities(can_edit=can_edit_reference_data(user))


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


def can_edit_gain(user, case: VerificationCase) -> bool:
    """Staff attribute the gain to causes until the case is closed."""
    return is_staff(user) and case.status != CaseStatus.ARCHIVED


def can_reassign_agency(user) -> bool:
    """Only staff hand a case to another verification agency."""
    return is_staff(user)


def is_case_enterprise(user, case: VerificationCase) -> bool:
    return (
        _active(user) and user.role == Role.ENTERPRISE and user.enterprise_id == case.enterprise_id
    )


def can_decide_re_review(user) -> bool:
    return _active(user) and user.role in BUREAU_ROLES


def get_case_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> VerificationCase:
    """`need`: READ, WORK, MANAGE, OBJECT or RE_REVIEW."""
    case = get_object_or_404(cases_for_user(user).select_related("enterprise", "agency"), pk=pk)
    require_need(
        need,
        {
            Need.READ: lambda: True,
            Need.WORK: lambda: can_work_on_case(user, case),
            Need.MANAGE: lambda: is_staff(user),
            Need.OBJECT: lambda: is_case_enterprise(user, case),
            Need.RE_REVIEW: lambda: can_decide_re_review(user),
        },
    )
    return case


@dataclass(frozen=True)
class CaseCapabilities:
    """What the case page offers the user."""

    can_see_agency: bool  # link the agency: the bureau and the agency's own users see it
    can_work: bool  # take the case's next step
    can_edit_open: bool  # record checklist results, findings and figures while work is open
    can_see_workings: bool  # checklist, allowance gain, internal notes, history
    can_edit_gain: bool  # the gain components (causes)
    can_reassign_agency: bool
    can_answer_findings: bool
    can_object: bool
    can_decide: bool  # the re-review of an objection
    can_see_conclusion: bool


def case_capabilities(user, case: VerificationCase) -> CaseCapabilities:
    """One query: whether the user may see the case's agency."""
    can_work = can_work_on_case(user, case)
    workings = can_see_workings(user, case)
    working = case.status in WORKING_STATES
    return CaseCapabilities(
        can_see_agency=agencies_for_user(user).filter(pk=case.agency_id).exists(),
        can_work=can_work,
        can_edit_open=can_work and working,
        can_see_workings=workings,
        can_edit_gain=can_edit_gain(user, case),
        can_reassign_agency=can_reassign_agency(user) and working,
        can_answer_findings=is_case_enterprise(user, case),
        can_object=is_case_enterprise(user, case) and case.status == CaseStatus.NOTIFIED,
        can_decide=can_decide_re_review(user) and case.status == CaseStatus.OBJECTED,
        # The enterprise learns the figures and the conclusion once notified.
        can_see_conclusion=workings
        or case.status
        in (CaseStatus.NOTIFIED, CaseStatus.OBJECTED, CaseStatus.RE_REVIEWED, CaseStatus.ARCHIVED),
    )


# Agency scorecards -------------------------------------------------------------------------


def can_view_scorecards(user) -> bool:
    """The bureau reads every agency's scorecard, an agency user its own agency's; enterprises
    and district reviewers none."""
    return _active(user) and (user.role in BUREAU_ROLES or user.role == Role.AGENCY)


def scorecard_agency_ids(user) -> list[int] | None:
    """The agencies whose scorecards `user` reads: None for every agency (the bureau), else its
    own agency's id. 403 for a user who reads none."""
    require(can_view_scorecards(user))
    if user.role in BUREAU_ROLES:
        return None
    return [user.agency_id] if user.agency_id else []


# Checklist items, findings and gain components -------------------------------------------


def get_checklist_item_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> ChecklistItem:
    """`need`: READ or WORK. Only those working on the case edit its checklist; the enterprise
    never sees it."""
    item = get_object_or_404(
        ChecklistItem.objects.filter(case_filter(user, "case")).select_related(
            "case__enterprise", "case__agency"
        ),
        pk=pk,
    )
    require_need(
        need,
        {
            Need.READ: lambda: can_see_workings(user, item.case),
            Need.WORK: lambda: can_work_on_case(user, item.case),  # they see the workings too
        },
    )
    return item


def get_gain_component_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> GainComponent:
    """`need`: READ (all but the enterprise, as the checklist) or MANAGE (staff)."""
    component = get_object_or_404(
        GainComponent.objects.filter(case_filter(user, "case")).select_related(
            "case__enterprise", "case__agency"
        ),
        pk=pk,
    )
    require_need(
        need,
        {
            Need.READ: lambda: can_see_workings(user, component.case),
            Need.MANAGE: lambda: is_staff(user),
        },
    )
    return component


def findings_for_user(user) -> QuerySet[Finding]:
    return Finding.objects.filter(case_filter(user, "case"))


def get_finding_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> Finding:
    """`need`: READ, WORK or ANSWER (the case's enterprise)."""
    finding = get_object_or_404(
        findings_for_user(user).select_related("case__enterprise", "case__agency"), pk=pk
    )
    require_need(
        need,
        {
            Need.READ: lambda: True,
            Need.WORK: lambda: can_work_on_case(user, finding.case),
            Need.ANSWER: lambda: is_case_enterprise(user, finding.case),
        },
    )
    return finding


# Monthly evidence ------------------------------------------------------------------------
# Enterprise users see their own months, district reviewers their district's, agencies the
# enterprises of their cases (the consistency checkpoint), the bureau everything.


def evidence_for_user(user) -> QuerySet[EvidenceSubmission]:
    return EvidenceSubmission.objects.filter(enterprise_filter(user, "enterprise"))


def board_enterprises_for_user(user) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(enterprise_filter(user), is_active=True)


def acts_for_enterprise(user, enterprise_id: int) -> bool:
    """A user of that enterprise: it submits its evidence and drafts its reports."""
    return _active(user) and user.role == Role.ENTERPRISE and user.enterprise_id == enterprise_id


def can_submit_evidence(user, enterprise_id: int) -> bool:
    return acts_for_enterprise(user, enterprise_id)


def submits_evidence(user) -> bool:
    """Enterprise users submit their enterprise's evidence; no other role submits any."""
    return _active(user) and user.role == Role.ENTERPRISE and user.enterprise_id is not None


def can_review_evidence(user, enterprise: Enterprise) -> bool:
    """The district reviewer of the enterprise's district, or bureau staff."""
    if is_staff(user):
        return True
    return (
        _active(user)
        and user.role == Role.DISTRICT_REVIEWER
        and user.district == enterprise.district
    )


def reminded_reviewers(enterprise: Enterprise) -> Q:
    """The users reminded of a review deadline: the enterprise's district reviewers."""
    return Q(role=Role.DISTRICT_REVIEWER, district=enterprise.district)


def reminded_submitters(enterprise: Enterprise) -> Q:
    """The users reminded of a submission deadline: the enterprise's own users."""
    return Q(role=Role.ENTERPRISE, enterprise=enterprise)


def reminded_staff() -> Q:
    """The bureau staff, reminded when a month nears the national ceiling unsubmitted."""
    return Q(role=Role.BUREAU_STAFF)


def get_board_enterprise_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> Enterprise:
    """An active enterprise of the evidence board. `need`: READ or SUBMIT (its own user)."""
    enterprise = get_object_or_404(board_enterprises_for_user(user), pk=pk)
    require_need(
        need,
        {Need.READ: lambda: True, Need.SUBMIT: lambda: can_submit_evidence(user, enterprise.pk)},
    )
    return enterprise


def get_evidence_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> EvidenceSubmission:
    """`need`: READ, SUBMIT (correct and resubmit it: the enterprise's own user) or REVIEW
    (the district's reviewer, or staff)."""
    submission = get_object_or_404(evidence_for_user(user).select_related("enterprise"), pk=pk)
    require_need(
        need,
        {
            Need.READ: lambda: True,
            Need.SUBMIT: lambda: can_submit_evidence(user, submission.enterprise_id),
            Need.REVIEW: lambda: can_review_evidence(user, submission.enterprise),
        },
    )
    return submission


@dataclass(frozen=True)
class EvidenceCapabilities:
    """What a month's evidence page offers the user."""

    can_review: bool  # accept it or return it
    can_resubmit: bool  # correct a returned month


def evidence_capabilities(user, submission: EvidenceSubmission) -> EvidenceCapabilities:
    return EvidenceCapabilities(
        can_review=can_review_evidence(user, submission.enterprise)
        and submission.status == EvidenceStatus.SUBMITTED,
        can_resubmit=can_submit_evidence(user, submission.enterprise_id)
        and submission.status == EvidenceStatus.RETURNED,
    )


def get_evidence_file_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> EvidenceFile:
    """`need`: READ (files are only read: a returned month adds files by resubmission)."""
    stored = get_object_or_404(
        EvidenceFile.objects.filter(enterprise_filter(user, "submission__enterprise")), pk=pk
    )
    require_need(need, {Need.READ: lambda: True})
    return stored


# Annual emission reports -----------------------------------------------------------------


def reports_for_user(user) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(enterprise_filter(user, "enterprise"))


def can_create_report(user) -> bool:
    return _active(user) and user.role == Role.ENTERPRISE


def is_report_owner(user, report: AnnualReport) -> bool:
    return acts_for_enterprise(user, report.enterprise_id)


def can_review_report(user) -> bool:
    return is_staff(user)


def get_report_for_user_or_404(user, pk: int, *, need: Need = Need.READ) -> AnnualReport:
    """`need`: READ, SUBMIT (draft, submit, revise: the enterprise's own user) or REVIEW."""
    report = get_object_or_404(reports_for_user(user).select_related("enterprise"), pk=pk)
    require_need(
        need,
        {
            Need.READ: lambda: True,
            Need.SUBMIT: lambda: is_report_owner(user, report),
            Need.REVIEW: lambda: can_review_report(user),
        },
    )
    return report


@dataclass(frozen=True)
class ReportCapabilities:
    """What a report version's page offers the user."""

    can_edit: bool  # enter months and submit the draft
    can_revise: bool  # start the next version of a returned one
    can_review: bool


def report_capabilities(user, report: AnnualReport, *, revised: bool) -> ReportCapabilities:
    """`revised`: whether a later version of this one exists (the page lists the versions)."""
    owner = is_report_owner(user, report)
    return ReportCapabilities(
        can_edit=owner and report.status == ReportStatus.DRAFT,
        can_revise=owner and report.status == ReportStatus.RETURNED and not revised,
        can_review=can_review_report(user) and report.status == ReportStatus.SUBMITTED,
    )
