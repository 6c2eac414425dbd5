"""Writes for annual emission reports: drafting, submission, review and revision."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baotou_carbon.core.audit import delete_audited, save_audited, update_audited
from baotou_carbon.core.workflow import advance
from enterprises.models import KeyEmitterListing

from .. import selectors
from ..models import (
    AnnualReport,
    EvidenceStatus,
    EvidenceSubmission,
    ReportLine,
    ReportStatus,
)
from ..permissions import acts_for_enterprise, can_review_report, is_report_owner

# Annual emission reports -----------------------------------------------------------------


def _require_report_owner(report: AnnualReport, actor) -> None:
    if not is_report_owner(actor, report):
        raise PermissionDenied


def _report_step(
    report: AnnualReport, target: str, *, actor, note: str = "", fields: dict
) -> AnnualReport:
    """Move a report version along AnnualReport.TRANSITIONS, worded for reports."""
    return advance(
        report,
        to=target,
        actor=actor,
        note=note,
        fields=fields,
        refused=_("A report cannot go from “%(source)s” to “%(target)s”.")
        % {"source": ReportStatus(report.status).label, "target": ReportStatus(target).label},
        stale=_("Someone else changed this report meanwhile; reload the page."),
    )


@transaction.atomic
def report_create(*, enterprise, year: int, actor) -> AnnualReport:
    if not acts_for_enterprise(actor, enterprise.pk):
        raise PermissionDenied
    if AnnualReport.objects.filter(enterprise=enterprise, year=year).exists():
        raise ValidationError(
            {
                "year": _(
                    "A report for %(year)s exists already: open it, or revise it once returned."
                )
                % {"year": year}
            }
        )
    if year >= timezone.localdate().year:
        raise ValidationError(
            {
                "year": _(
                    "%(year)s is not over yet: its report can be started from 1 January %(next)s."
                )
                % {"year": year, "next": year + 1}
            }
        )
    if not KeyEmitterListing.objects.filter(enterprise=enterprise, year=year).exists():
        raise ValidationError(
            {
                "year": _("The enterprise is not listed as a key emitting enterprise for %(year)s.")
                % {"year": year}
            }
        )
    report = save_audited(AnnualReport(enterprise=enterprise, year=year, version=1), actor=actor)
    _prefill_from_evidence(report, actor=actor)
    return report


def _prefill_from_evidence(report: AnnualReport, *, actor) -> int:
    """Copy the year's accepted monthly evidence into the new draft's lines when it maps
    cleanly: evidence is per enterprise, lines per unit, so only for a single-unit enterprise.
    Returns the number of months copied."""
    units = selectors.report_units(report)
    if len(units) != 1:
        return 0
    accepted = EvidenceSubmission.objects.filter(
        enterprise=report.enterprise_id, year=report.year, status=EvidenceStatus.ACCEPTED
    ).order_by("month")
    copied = 0
    for evidence in accepted:
        values = {name: getattr(evidence, name) for name in ReportLine.ACTIVITY_FIELDS}
        save_audited(
            ReportLine(report=report, unit=units[0], month=evidence.month, **values), actor=actor
        )
        copied += 1
    return copied


@transaction.atomic
def report_unit_save(*, report: AnnualReport, unit, rows: dict[int, dict | None], actor) -> None:
    """Save one unit's months of a draft: `rows` maps month → values, or None to clear it."""
    _require_report_owner(report, actor)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    if unit.facility.enterprise_id != report.enterprise_id:
        raise PermissionDenied
    existing = {line.month: line for line in ReportLine.objects.filter(report=report, unit=unit)}
    for month, values in sorted(rows.items()):
        line = existing.get(month)
        if values is None:
            if line is not None:
                delete_audited(line, actor=actor)
            continue
        if line is None:
            save_audited(ReportLine(report=report, unit=unit, month=month, **values), actor=actor)
        elif any(getattr(line, k) != v for k, v in values.items()):
            update_audited(line, fields=values, actor=actor)
    # Touch the report so its history shows the draft was saved.
    update_audited(
        report,
        fields={},
        actor=actor,
        reason=str(_("Draft saved: %(unit)s") % {"unit": selectors.unit_label(unit)}),
    )


@transaction.atomic
def report_submit(*, report: AnnualReport, actor) -> AnnualReport:
    """Submit a draft once every unit has all twelve months and the emissions compute."""
    _require_report_owner(report, actor)
    units = selectors.report_units(report)
    lines = list(ReportLine.objects.filter(report=report))
    per_unit, _total = selectors.report_emissions(report, units, lines)
    problems = []
    if not units:
        problems.append(_("The enterprise has no generating unit to report."))
    for entry in per_unit:
        if entry.missing:
            problems.append(
                _("%(unit)s: months missing: %(months)s.")
                % {
                    "unit": selectors.unit_label(entry.unit),
                    "months": ", ".join(str(m) for m in entry.missing),
                }
            )
        if entry.problem:
            problems.append(f"{selectors.unit_label(entry.unit)}: {entry.problem}")
    if problems:
        raise ValidationError(problems)
    return _report_step(
        report, ReportStatus.SUBMITTED, actor=actor, fields={"submitted_at": timezone.now()}
    )


@transaction.atomic
def report_review(*, report: AnnualReport, accept: bool, comment: str, actor) -> AnnualReport:
    if not can_review_report(actor):
        raise PermissionDenied
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("Say what the enterprise must correct.")})
    target = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    return _report_step(
        report,
        target,
        actor=actor,
        note=comment,
        fields={"review_comment": comment, "reviewed_at": timezone.now()},
    )


@transaction.atomic
def report_revise(*, report: AnnualReport, actor) -> AnnualReport:
    """Start the next version of a returned report, as a draft holding the same values."""
    _require_report_owner(report, actor)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.RETURNED:
        raise ValidationError(_("Only a returned report can be revised."))
    if AnnualReport.objects.filter(previous=report).exists():
        raise ValidationError(_("This version was already revised."))
    revision = save_audited(
        AnnualReport(
            enterprise_id=report.enterprise_id,
            year=report.year,
            version=report.version + 1,
            previous=report,
        ),
        actor=actor,
    )
    for line in ReportLine.objects.filter(report=report):
        save_audited(
            ReportLine(
                report=revision,
                unit_id=line.unit_id,
                month=line.month,
                **{name: getattr(line, name) for name in ReportLine.ACTIVITY_FIELDS},
            ),
            actor=actor,
        )
    return revision
