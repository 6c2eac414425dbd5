"""Writes for verification cases: the case, its checklist, findings, gain and objection.

Case status changes go through `case_transition` only: it consults the allowed-transitions
table, checks the actor and the step's guard, then `core.workflow.advance` flips the status with
a conditional UPDATE (so two people clicking at once cannot both move the case) and writes a
CaseTransition row.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baotou_carbon.core.audit import delete_audited, save_audited, update_audited
from baotou_carbon.core.workflow import TransitionRefused, advance
from enterprises.models import VerificationAgency

from .. import selectors
from ..models import (
    TRANSITIONS,
    WORKING_STATES,
    CaseStatus,
    ChecklistItem,
    ChecklistTemplate,
    DeadlineSettings,
    Finding,
    FindingStatus,
    GainComponent,
    Objection,
    VerificationCase,
)
from ..permissions import (
    actor_kind,
    can_edit_gain,
    can_reassign_agency,
    can_work_on_case,
    is_case_enterprise,
)
from ..signals import case_figures_final

ANSWERABLE_STATES = WORKING_STATES | {CaseStatus.CONCLUDED, CaseStatus.NOTIFIED}
# The steps after which a case's verified figures are final (until a re-review changes them).
FIGURES_FINAL_AT = frozenset({CaseStatus.CONCLUDED, CaseStatus.RE_REVIEWED})


def _today(on: date | None) -> date:
    return on or timezone.localdate()


# Cases -----------------------------------------------------------------------------------


@transaction.atomic
def case_create(*, template: ChecklistTemplate, actor, **fields) -> VerificationCase:
    """Open a case and copy the template's checkpoints into its checklist."""
    case = save_audited(VerificationCase(**fields), actor=actor)
    for item in template.items.order_by("position"):
        save_audited(
            ChecklistItem(
                case=case,
                position=item.position,
                checkpoint=item.checkpoint,
                title_zh=item.title_zh,
                title_en=item.title_en,
                guidance=item.guidance,
            ),
            actor=actor,
        )
    return case


def _require_working(case: VerificationCase) -> None:
    if case.status not in WORKING_STATES:
        raise ValidationError(
            _("The case is %(status)s: its checklist, findings and figures are closed.")
            % {"status": case.get_status_display()}
        )


# What case_update may change; the agency changes only through case_agency_reassign.
CASE_FIGURES = frozenset({"reported_emissions_t", "verified_emissions_t", "conclusion"})


@transaction.atomic
def case_update(*, case: VerificationCase, actor, **fields) -> VerificationCase:
    """Change the case's figures or conclusion while the agency is still working."""
    if not fields.keys() <= CASE_FIGURES:
        raise TypeError(f"case_update() cannot change {sorted(fields.keys() - CASE_FIGURES)}")
    _require_working(case)
    return update_audited(case, fields=fields, actor=actor)


@transaction.atomic
def case_agency_reassign(
    *, case: VerificationCase, agency: VerificationAgency, actor
) -> VerificationCase:
    """Hand the case to another verification agency while the work is open: staff only."""
    if not can_reassign_agency(actor):
        raise PermissionDenied
    _require_working(case)
    return update_audited(case, fields={"agency": agency}, actor=actor)


def _guard(case: VerificationCase, target: str, on: date) -> list[str]:
    """Why `case` may not move to `target` now (empty: it may)."""
    problems: list[str] = []
    if target == CaseStatus.CONCLUDED:
        if not selectors.case_checklist_complete(case):
            problems.append(_("Every checklist item needs a result."))
        if selectors.case_open_findings(case):
            problems.append(_("Every finding must be rectified or estimated conservatively."))
        if case.reported_emissions_t is None or case.verified_emissions_t is None:
            problems.append(_("Record the reported and the verified emissions."))
        if not case.conclusion.strip():
            problems.append(_("Write the verification conclusion."))
    if target == CaseStatus.ARCHIVED and case.status == CaseStatus.NOTIFIED:
        deadline = selectors.objection_deadline(case, DeadlineSettings.current())
        if deadline is not None and on <= deadline:
            problems.append(
                _("The enterprise may object until %(date)s.") % {"date": f"{deadline:%Y-%m-%d}"}
            )
    return problems


@transaction.atomic
def case_transition(
    *, case: VerificationCase, target: str, actor, note: str = "", on: date | None = None
) -> VerificationCase:
    source = case.status
    step = TRANSITIONS.get((source, target))
    if step is None:
        raise TransitionRefused.not_allowed(
            VerificationCase,
            source,
            target,
            _("A case cannot go from “%(source)s” to “%(target)s”.")
            % {"source": CaseStatus(source).label, "target": CaseStatus(target).label},
        )
    if actor_kind(actor) not in step.actors:
        raise PermissionDenied
    if actor_kind(actor) == "agency" and not can_work_on_case(actor, case):
        raise PermissionDenied
    today = _today(on)
    problems = _guard(case, target, today)
    if problems:
        raise ValidationError(problems)
    case = advance(
        case,
        to=target,
        actor=actor,
        note=note,
        fields={"notified_on": today} if target == CaseStatus.NOTIFIED else {},
        stale=_("Someone else changed this case meanwhile; reload the page."),
    )
    if target in FIGURES_FINAL_AT:
        enterprise_id, year = case.enterprise_id, case.year
        transaction.on_commit(
            lambda: case_figures_final.send(
                sender=VerificationCase, enterprise_id=enterprise_id, year=year
            )
        )
    return case


# Checklist and findings ------------------------------------------------------------------


@transaction.atomic
def checklist_item_update(*, item: ChecklistItem, actor, **fields) -> ChecklistItem:
    _require_working(item.case)
    return update_audited(item, fields=fields, actor=actor)


@transaction.atomic
def finding_create(*, case: VerificationCase, actor, **fields) -> Finding:
    _require_working(case)
    return save_audited(Finding(case=case, **fields), actor=actor)


@transaction.atomic
def finding_update(
    *,
    finding: Finding,
    actor,
    checklist_item,
    description: str,
    rectification_deadline,
    status: str,
    conservative_estimate_t,
    estimate_basis: str,
) -> Finding:
    _require_working(finding.case)
    fields = {
        "checklist_item": checklist_item,
        "description": description,
        "rectification_deadline": rectification_deadline,
        "status": status,
        "conservative_estimate_t": conservative_estimate_t,
        "estimate_basis": estimate_basis,
    }
    return update_audited(finding, fields=fields, actor=actor)


@transaction.atomic
def finding_answer(*, finding: Finding, response: str, actor) -> Finding:
    """The enterprise answers a finding (what it corrected, or why it disagrees)."""
    if not is_case_enterprise(actor, finding.case):
        raise PermissionDenied
    if finding.case.status not in ANSWERABLE_STATES:
        raise ValidationError(_("This case is closed to answers."))
    if finding.status not in (FindingStatus.OPEN, FindingStatus.ANSWERED):
        raise ValidationError(_("This finding is already settled."))
    return update_audited(
        finding,
        fields={
            "enterprise_response": response,
            "responded_at": timezone.now(),
            "status": FindingStatus.ANSWERED,
        },
        actor=actor,
    )


# Allowance gain --------------------------------------------------------------------------


@transaction.atomic
def gain_component_create(*, case: VerificationCase, actor, **fields) -> GainComponent:
    _refuse_closed_gain(case, actor)
    return save_audited(GainComponent(case=case, **fields), actor=actor)


@transaction.atomic
def gain_component_delete(*, component: GainComponent, actor) -> None:
    _refuse_closed_gain(component.case, actor)
    delete_audited(component, actor=actor)


def _refuse_closed_gain(case: VerificationCase, actor) -> None:
    if not can_edit_gain(actor, case):
        raise ValidationError(_("The case is closed: its gain can no longer be attributed."))


# Objection and re-review -----------------------------------------------------------------


@transaction.atomic
def objection_lodge(
    *, case: VerificationCase, grounds: str, actor, on: date | None = None
) -> Objection:
    """The enterprise objects within the objection period after notification (DOMAIN §6)."""
    if not is_case_enterprise(actor, case):
        raise PermissionDenied
    if case.status != CaseStatus.NOTIFIED:
        raise ValidationError(_("Only a notified conclusion can be objected to."))
    today = _today(on)
    deadline = selectors.objection_deadline(case, DeadlineSettings.current())
    if deadline is None or today > deadline:
        raise ValidationError(
            _("The objection period ended on %(date)s.")
            % {"date": f"{deadline:%Y-%m-%d}" if deadline else "—"}
        )
    objection = save_audited(
        Objection(case=case, lodged_on=today, lodged_by=actor, grounds=grounds), actor=actor
    )
    case_transition(case=case, target=CaseStatus.OBJECTED, actor=actor, note=grounds, on=today)
    return objection


@transaction.atomic
def re_review_decide(
    *,
    case: VerificationCase,
    outcome: str,
    decision: str,
    actor,
    verified_emissions_t=None,
    on: date | None = None,
) -> Objection:
    """The authority's re-review decision; an upheld objection may correct the verified figure."""
    if case.status != CaseStatus.OBJECTED:
        raise ValidationError(_("There is no objection awaiting a decision."))
    objection = Objection.objects.select_for_update().get(case=case)
    today = _today(on)
    update_audited(
        objection,
        fields={
            "outcome": outcome,
            "decision": decision,
            "decided_on": today,
            "decided_by": actor,
        },
        actor=actor,
    )
    if verified_emissions_t is not None:
        update_audited(case, fields={"verified_emissions_t": verified_emissions_t}, actor=actor)
    case_transition(case=case, target=CaseStatus.RE_REVIEWED, actor=actor, note=decision, on=today)
    return objection
