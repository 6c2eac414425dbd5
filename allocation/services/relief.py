"""Writes of relief applications: the enterprise drafts, adds documents and submits; staff
return, forward to the province and record the decision; every step `core.workflow.advance`.

An allowance advance is pre-checked against the year's rules and the enterprise's position
(computed afresh from its inputs): an ineligible one is refused with the rule and the numbers.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from baotou_carbon.core.audit import save_audited, update_audited
from baotou_carbon.core.files import check_upload
from baotou_carbon.core.workflow import advance, begin
from enterprises.models import Enterprise

from .. import calculations as calc
from .. import permissions, selectors
from ..models import ReliefApplication, ReliefDocument, ReliefKind, ReliefStatus
from .positions import allocation_known, position_inputs, queue_position_recompute
from .savings import queue_savings_recompute

DOCUMENT_TYPES = ("pdf", "jpg", "jpeg", "png", "xlsx", "docx")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
EDITABLE = frozenset({ReliefStatus.DRAFT, ReliefStatus.RETURNED})


def _t(value) -> str:
    return number_format(calc.round_t(Decimal(value)), decimal_pos=3, force_grouping=True)


def _percent(ratio) -> str:
    return number_format(Decimal(ratio) * 100, decimal_pos=2)


def refusal_message(refusal: calc.Refusal) -> str:
    """A pre-check refusal in words, with its numbers."""
    v = refusal.values
    if refusal.code == "no_advance_rule":
        return _("The %(year)s rules have no allowance advance.") % v
    if refusal.code == "no_position":
        return (
            _(
                "The %(year)s position is not known yet: it needs an allocation figure for "
                "every unit and the verified emissions."
            )
            % v
        )
    if refusal.code == "no_shortfall":
        return _(
            "There is no shortfall to cover: the position shows a surplus of %(surplus)s t."
        ) % {"surplus": _t(v["surplus_t"])}
    if refusal.code == "below_threshold":
        return _(
            "The shortfall ratio after the gap cap is %(ratio)s%%, below the %(threshold)s%% the "
            "rules require."
        ) % {"ratio": _percent(v["ratio"]), "threshold": _percent(v["threshold"])}
    return _(
        "At most %(share)s%% of the shortfall of %(shortfall)s t may be advanced: %(maximum)s t, "
        "not %(requested)s t."
    ) % {
        "share": _percent(v["share"]),
        "shortfall": _t(v["shortfall_t"]),
        "maximum": _t(v["maximum_t"]),
        "requested": _t(v["requested_t"]),
    }


def current_position(*, enterprise_id: int, year: int) -> tuple[calc.YearRules | None, Any]:
    """The year's rules and the enterprise's position computed afresh from its inputs (None
    when the allocation or the verified emissions are not known yet)."""
    rules = selectors.rules_for_year(year)
    row = next(iter(position_inputs(year, [enterprise_id])), None)
    if rules is None or row is None or not allocation_known(row) or row["verified_t"] is None:
        return rules, None
    position = calc.compliance_position(
        rules,
        allocation_t=row["allocation_sum"],
        verified_emissions_t=row["verified_t"],
        gas_only=bool(row["has_units"] and not row["has_other_units"]),
    )
    return rules, position


def relief_precheck(*, enterprise_id: int, year: int, kind: str, requested_t: Decimal) -> dict:
    """What the pre-check finds: the position, the rule values and the refusals (an
    individual relief has no numeric rule: only a decision reference later)."""
    rules, position = current_position(enterprise_id=enterprise_id, year=year)
    refusals: list[calc.Refusal] = []
    if kind == ReliefKind.ADVANCE:
        if rules is None:
            refusals = [calc.Refusal("no_advance_rule", {"year": year})]
        else:
            refusals = calc.advance_refusals(rules, position, requested_t)
    return {
        "rules": rules,
        "position": position,
        "refusals": refusals,
        "messages": [refusal_message(r) for r in refusals],
        "eligible": not refusals,
    }


def _snapshot(check: dict, requested_t: Decimal) -> dict:
    position = check["position"]
    rules = check["rules"]
    snapshot: dict[str, Any] = {"requested_t": str(requested_t), "eligible": check["eligible"]}
    snapshot["messages"] = check["messages"]
    if rules is not None:
        snapshot["threshold"] = str(rules.advance_threshold) if rules.advance_threshold else None
        snapshot["share"] = str(rules.advance_share) if rules.advance_share else None
        snapshot["source_year"] = rules.advance_source_year
    if position is not None:
        snapshot.update(
            allocation_t=str(calc.round_t(position.allocation_t)),
            verified_emissions_t=str(calc.round_t(position.verified_emissions_t)),
            gap_cap_top_up_t=str(calc.round_t(position.gap_cap_top_up_t)),
            shortfall_t=str(calc.round_t(position.shortfall_t)),
            shortfall_ratio=str(calc.round_ratio(position.shortfall_ratio))
            if position.shortfall_ratio is not None
            else None,
            advance_max_t=str(calc.round_t(position.advance_max_t)),
        )
    return snapshot


def _may_apply(actor, enterprise_id: int) -> None:
    """The enterprise's own user applies, or bureau staff on its behalf (DOMAIN §1: the
    bureau applied for its enterprises); nobody else."""
    if not (
        permissions.is_staff(actor)
        or (permissions.is_enterprise_user(actor) and actor.enterprise_id == enterprise_id)
    ):
        raise PermissionDenied


def _may_handle(actor) -> None:
    if not permissions.is_staff(actor):
        raise PermissionDenied


@transaction.atomic
def relief_create(
    *, enterprise: Enterprise, year: int, kind: str, requested_t: Decimal, reason: str, actor
) -> ReliefApplication:
    _may_apply(actor, enterprise.pk)
    application = ReliefApplication(
        enterprise=enterprise,
        year=year,
        kind=kind,
        requested_t=requested_t,
        reason=reason,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            save_audited(application, actor=actor)
    except IntegrityError:  # the same application created meanwhile
        raise ValidationError(
            _("This enterprise already has an application of this kind for that year.")
        ) from None
    begin(application, actor=actor)
    return application


@transaction.atomic
def relief_update(
    *, application: ReliefApplication, requested_t: Decimal, reason: str, actor
) -> ReliefApplication:
    _may_apply(actor, application.enterprise_id)
    locked = ReliefApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status not in EDITABLE:
        raise ValidationError(_("Only a draft or a returned application can be changed."))
    return update_audited(
        locked, fields={"requested_t": requested_t, "reason": reason}, actor=actor
    )


@transaction.atomic
def relief_document_add(*, application: ReliefApplication, upload, actor) -> ReliefDocument:
    _may_apply(actor, application.enterprise_id)
    application = ReliefApplication.objects.select_for_update().get(pk=application.pk)
    if application.status not in EDITABLE:
        raise ValidationError(
            _("Documents are added while the application is a draft or returned.")
        )
    file_type = check_upload(upload, accepted=DOCUMENT_TYPES, max_bytes=MAX_DOCUMENT_BYTES)
    document = ReliefDocument.from_upload(
        upload, file_type=file_type, actor=actor, application=application
    )
    return save_audited(document, actor=actor, exclude=["file"])


@transaction.atomic
def relief_submit(*, application: ReliefApplication, actor) -> ReliefApplication:
    """Submit after the pre-check: an ineligible advance is refused with every rule it fails;
    an application needs at least one supporting document."""
    _may_apply(actor, application.enterprise_id)
    check = relief_precheck(
        enterprise_id=application.enterprise_id,
        year=application.year,
        kind=application.kind,
        requested_t=application.requested_t,
    )
    if not check["eligible"]:
        raise ValidationError(check["messages"])
    if not application.documents.exists():
        raise ValidationError(_("Attach at least one supporting document before submitting."))
    return advance(
        application,
        to=ReliefStatus.SUBMITTED,
        actor=actor,
        fields={"eligibility": _snapshot(check, application.requested_t)},
        refused=_("Only a draft or a returned application can be submitted."),
    )


@transaction.atomic
def relief_return(*, application: ReliefApplication, note: str, actor) -> ReliefApplication:
    _may_handle(actor)
    if not note.strip():
        raise ValidationError({"note": _("Say what the enterprise should change.")})
    return advance(application, to=ReliefStatus.RETURNED, actor=actor, note=note)


@transaction.atomic
def relief_forward(*, application: ReliefApplication, note: str = "", actor) -> ReliefApplication:
    """Forward to the province after the bureau's pre-check, which must still pass."""
    _may_handle(actor)
    check = relief_precheck(
        enterprise_id=application.enterprise_id,
        year=application.year,
        kind=application.kind,
        requested_t=application.requested_t,
    )
    if not check["eligible"]:
        raise ValidationError(check["messages"])
    return advance(application, to=ReliefStatus.FORWARDED, actor=actor, note=note)


@transaction.atomic
def relief_decide(
    *,
    application: ReliefApplication,
    granted: bool,
    decision_reference: str,
    decided_on: date,
    granted_t: Decimal | None = None,
    note: str = "",
    actor,
) -> ReliefApplication:
    """Record the province's decision, with its reference and date; a grant names the tonnes
    (at most those requested) and the position is recomputed."""
    _may_handle(actor)
    problems = {}
    if not decision_reference.strip():
        problems["decision_reference"] = _("Enter the decision's reference.")
    if decided_on > timezone.localdate():
        problems["decided_on"] = _("A decision cannot be dated in the future.")
    if granted and (granted_t is None or granted_t <= 0):
        problems["granted_t"] = _("Enter the tonnes granted.")
    elif granted and granted_t is not None and granted_t > application.requested_t:
        problems["granted_t"] = _("At most the %(requested)s t requested.") % {
            "requested": _t(application.requested_t)
        }
    if problems:
        raise ValidationError(problems)
    decided = advance(
        application,
        to=ReliefStatus.GRANTED if granted else ReliefStatus.REFUSED,
        actor=actor,
        note=note,
        fields={
            "decision_reference": decision_reference.strip(),
            "decided_on": decided_on,
            "granted_t": granted_t if granted else None,
        },
    )
    if granted:
        queue_position_recompute(year=decided.year, enterprise_ids=[decided.enterprise_id])
        queue_savings_recompute(years=[decided.year], enterprise_ids=[decided.enterprise_id])
    return decided


@transaction.atomic
def relief_withdraw(*, application: ReliefApplication, note: str = "", actor) -> ReliefApplication:
    _may_apply(actor, application.enterprise_id)
    return advance(
        application,
        to=ReliefStatus.WITHDRAWN,
        actor=actor,
        note=note,
        refused=_("A forwarded or decided application can no longer be withdrawn."),
    )
