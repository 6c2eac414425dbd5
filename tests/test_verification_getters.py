"""Verification's access getters: one per entity, what the caller needs as a keyword; not
visible → 404, visible but the need not met → 403. And the frozen capabilities of its pages."""

import dataclasses
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from verification import permissions
from verification.models import (
    AnnualReport,
    CaseStatus,
    EmissionParameter,
    EvidenceStatus,
    EvidenceSubmission,
    Holiday,
    ReportStatus,
    VerificationCase,
)
from verification.permissions import Need

from .factories import (
    ChecklistItemFactory,
    ChecklistTemplateItemFactory,
    FindingFactory,
    GainComponentFactory,
    VerificationCaseFactory,
)

PERSONAS = (
    "staff",
    "manager",
    "admin",
    "enterprise_a_user",
    "enterprise_b_user",
    "agency_user",
    "district_reviewer",
)


def outcome(get, *args, **kwargs) -> int:
    """What a view built on the getter answers: 200, 403 or 404."""
    try:
        get(*args, **kwargs)
    except Http404:
        return 404
    except PermissionDenied:
        return 403
    return 200


def evidence(enterprise, **fields) -> EvidenceSubmission:
    now = timezone.now()
    values = {
        "fuel_consumption_t": Decimal("100"),
        "ncv_gj_per_t": Decimal("20"),
        "purchased_mwh": Decimal("0"),
        "generation_mwh": Decimal("0"),
        "supply_mwh": Decimal("0"),
        "heat_gj": Decimal("0"),
        "operating_hours": Decimal("700"),
        "load_factor": Decimal("80"),
        **fields,
    }
    return EvidenceSubmission.objects.create(
        enterprise=enterprise,
        year=2023,
        month=3,
        first_submitted_at=now,
        submitted_at=now,
        **values,
    )


@pytest.fixture
def records(personas):
    """Enterprise A's case, worked by the personas' agency (so the agency sees A), and A's
    other verification records; the district reviewer is A's district's."""
    case = VerificationCaseFactory(enterprise=personas.enterprise_a, agency=personas.agency)
    template_item = ChecklistTemplateItemFactory()
    return {
        "case": case,
        "finding": FindingFactory(case=case),
        "checklist_item": ChecklistItemFactory(case=case),
        "gain_component": GainComponentFactory(case=case),
        "evidence": evidence(personas.enterprise_a),
        "board_enterprise": personas.enterprise_a,
        "report": AnnualReport.objects.create(enterprise=personas.enterprise_a, year=2022),
        "parameter": EmissionParameter.objects.first(),
        "holiday": Holiday.objects.create(date="2030-10-01", kind="holiday", name="国庆节"),
        "template": template_item.template,
        "template_item": template_item,
    }


GETTERS = {
    "case": permissions.get_case_for_user_or_404,
    "finding": permissions.get_finding_for_user_or_404,
    "checklist_item": permissions.get_checklist_item_for_user_or_404,
    "gain_component": permissions.get_gain_component_for_user_or_404,
    "evidence": permissions.get_evidence_for_user_or_404,
    "board_enterprise": permissions.get_board_enterprise_for_user_or_404,
    "report": permissions.get_report_for_user_or_404,
    "parameter": permissions.get_parameter_for_user_or_404,
    "holiday": permissions.get_holiday_for_user_or_404,
    "template": permissions.get_template_for_user_or_404,
    "template_item": permissions.get_template_item_for_user_or_404,
}
CASE_READ = (200, 200, 200, 200, 404, 200, 404)
CASE_WORK = (200, 403, 200, 403, 404, 200, 404)
CASE_MANAGE = (200, 403, 200, 403, 404, 403, 404)
CASE_ENTERPRISE = (403, 403, 403, 200, 404, 403, 404)
WORKINGS_READ = (200, 200, 200, 403, 404, 200, 404)
A_READ = (200, 200, 200, 200, 404, 200, 200)
A_SUBMIT = (403, 403, 403, 200, 404, 403, 403)
STAFF_EDIT = (200, 403, 200, 403, 403, 403, 403)
TEMPLATE_READ = (200, 200, 200, 403, 403, 200, 403)

#                                       staff manager admin ent_a ent_b agency reviewer
MATRIX = {
    ("case", Need.READ): CASE_READ,
    ("case", Need.WORK): CASE_WORK,
    ("case", Need.MANAGE): CASE_MANAGE,
    ("case", Need.OBJECT): CASE_ENTERPRISE,
    ("case", Need.RE_REVIEW): (200, 200, 200, 403, 404, 403, 404),
    ("finding", Need.READ): CASE_READ,
    ("finding", Need.WORK): CASE_WORK,
    ("finding", Need.ANSWER): CASE_ENTERPRISE,
    ("checklist_item", Need.READ): WORKINGS_READ,
    ("checklist_item", Need.WORK): CASE_WORK,
    ("gain_component", Need.READ): WORKINGS_READ,
    ("gain_component", Need.MANAGE): CASE_MANAGE,
    ("evidence", Need.READ): A_READ,
    ("evidence", Need.REVIEW): (200, 403, 200, 403, 404, 403, 200),
    ("board_enterprise", Need.READ): A_READ,
    ("board_enterprise", Need.SUBMIT): A_SUBMIT,
    ("report", Need.READ): A_READ,
    ("report", Need.SUBMIT): A_SUBMIT,
    ("report", Need.REVIEW): (200, 403, 200, 403, 404, 403, 403),
    ("parameter", Need.READ): (200,) * 7,
    ("parameter", Need.EDIT): STAFF_EDIT,
    ("holiday", Need.READ): (200,) * 7,
    ("holiday", Need.EDIT): STAFF_EDIT,
    ("template", Need.READ): TEMPLATE_READ,
    ("template", Need.EDIT): STAFF_EDIT,
    ("template_item", Need.READ): TEMPLATE_READ,
    ("template_item", Need.EDIT): STAFF_EDIT,
}


@pytest.mark.parametrize(("entity", "need"), list(MATRIX), ids=lambda v: getattr(v, "name", v))
def test_it_answers_each_need_of_each_persona(personas, records, entity, need):
    get, pk = GETTERS[entity], records[entity].pk
    got = tuple(outcome(get, getattr(personas, p), pk, need=need) for p in PERSONAS)
    assert got == MATRIX[(entity, need)]


@pytest.mark.parametrize("entity", ["parameter", "holiday"])
def test_it_checks_the_role_before_reading_a_reference_row(personas, entity):
    """No row is read for a user who may not edit: a missing one is a 403 too."""
    get = GETTERS[entity]
    assert outcome(get, personas.manager, 10**9, need=Need.EDIT) == 403
    assert outcome(get, personas.staff, 10**9, need=Need.EDIT) == 404


def test_it_refuses_a_need_the_entity_does_not_have(personas, records):
    with pytest.raises(ValueError, match="SUBMIT"):
        permissions.get_case_for_user_or_404(personas.staff, records["case"].pk, need=Need.SUBMIT)


# Capabilities ---------------------------------------------------------------------------------


def test_it_freezes_the_case_capabilities_and_builds_them_from_the_predicates(personas, records):
    case = records["case"]
    for status in (CaseStatus.ONSITE, CaseStatus.NOTIFIED, CaseStatus.OBJECTED):
        VerificationCase.objects.filter(pk=case.pk).update(status=status)
        case.refresh_from_db()
        working = status == CaseStatus.ONSITE
        for name in PERSONAS:
            user = getattr(personas, name)
            caps = permissions.case_capabilities(user, case)
            enterprise = permissions.is_case_enterprise(user, case)
            assert caps == permissions.CaseCapabilities(
                can_see_agency=name in ("staff", "manager", "admin", "agency_user"),
                can_work=permissions.can_work_on_case(user, case),
                can_edit_open=permissions.can_work_on_case(user, case) and working,
                can_see_workings=permissions.can_see_workings(user, case),
                can_edit_gain=permissions.can_edit_gain(user, case),
                can_reassign_agency=permissions.can_reassign_agency(user) and working,
                can_answer_findings=enterprise,
                can_object=enterprise and status == CaseStatus.NOTIFIED,
                can_decide=permissions.can_decide_re_review(user) and status == CaseStatus.OBJECTED,
                can_see_conclusion=permissions.can_see_workings(user, case) or not working,
            ), (status, name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        caps.can_work = True  # type: ignore[misc]


def test_it_offers_the_review_and_the_resubmission_by_status(personas, records):
    submission = records["evidence"]
    for status in EvidenceStatus:
        submission.status = status
        for name in PERSONAS:
            user = getattr(personas, name)
            caps = permissions.evidence_capabilities(user, submission)
            assert caps == permissions.EvidenceCapabilities(
                can_review=permissions.can_review_evidence(user, submission.enterprise)
                and status == EvidenceStatus.SUBMITTED,
                can_resubmit=permissions.can_submit_evidence(user, submission.enterprise_id)
                and status == EvidenceStatus.RETURNED,
            ), (status, name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        caps.can_review = True  # type: ignore[misc]


@pytest.mark.parametrize("revised", [False, True])
def test_it_offers_a_report_s_steps_by_status_and_owner(personas, records, revised):
    report = records["report"]
    for status in ReportStatus:
        report.status = status
        for name in PERSONAS:
            user = getattr(personas, name)
            owner = permissions.is_report_owner(user, report)
            caps = permissions.report_capabilities(user, report, revised=revised)
            assert caps == permissions.ReportCapabilities(
                can_edit=owner and status == ReportStatus.DRAFT,
                can_revise=owner and status == ReportStatus.RETURNED and not revised,
                can_review=permissions.can_review_report(user) and status == ReportStatus.SUBMITTED,
            ), (status, name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        caps.can_edit = True  # type: ignore[misc]


def test_it_lets_only_staff_edit_templates(personas):
    for name in PERSONAS:
        user = getattr(personas, name)
        caps = permissions.template_capabilities(user)
        assert caps.can_edit == permissions.can_edit_reference_data(user), name
    with pytest.raises(dataclasses.FrozenInstanceError):
        caps.can_edit = True  # type: ignore[misc]
