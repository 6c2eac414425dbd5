"""Writes for verification. Each is atomic, validated and attributed to its actor.

Case status changes go through `case_transition` only: it consults the allowed-transitions
table, checks the actor and the step's guard, flips the status with a conditional UPDATE (so two
people clicking at once cannot both move the case) and writes a CaseTransition row.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baotou_carbon.core.audit import attribute, delete_audited, save_audited, update_audited
from enterprises.models import KeyEmitterListing

from . import selectors
from .calculations import month_end
from .files import sha256_of, validate_evidence_file
from .models import (
    REPORT_TRANSITIONS,
    TRANSITIONS,
    AnnualReport,
    CaseStatus,
    CaseTransition,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateItem,
    DeadlineSettings,
    EmissionParameter,
    EvidenceFile,
    EvidenceReminder,
    EvidenceStatus,
    EvidenceSubmission,
    EvidenceTransition,
    Finding,
    FindingStatus,
    GainComponent,
    Holiday,
    Objection,
    ReminderKind,
    ReportLine,
    ReportStatus,
    ReportStep,
    VerificationCase,
)
from .permissions import actor_kind, can_work_on_case, is_case_enterprise

# While the agency is still working, the checklist, findings and figures may change.
WORKING_STATES = frozenset(
    {
        CaseStatus.ARRANGED,
        CaseStatus.WORKING_GROUP,
        CaseStatus.DOCUMENT_REVIEW,
        CaseStatus.ONSITE_TEAM,
        CaseStatus.ONSITE,
    }
)
ANSWERABLE_STATES = WORKING_STATES | {CaseStatus.CONCLUDED, CaseStatus.NOTIFIED}


def _today(on: date | None) -> date:
    return on or timezone.localdate()


# Reference data --------------------------------------------------------------------------


@transaction.atomic
def parameter_create(*, actor, **fields) -> EmissionParameter:
    return save_audited(EmissionParameter(**fields), actor=actor)


@transaction.atomic
def parameter_update(*, parameter: EmissionParameter, actor, **fields) -> EmissionParameter:
    return update_audited(parameter, actor=actor, **fields)


@transaction.atomic
def holiday_create(*, actor, **fields) -> Holiday:
    return save_audited(Holiday(**fields), actor=actor)


@transaction.atomic
def holiday_update(*, holiday: Holiday, actor, **fields) -> Holiday:
    return update_audited(holiday, actor=actor, **fields)


@transaction.atomic
def holiday_delete(*, holiday: Holiday, actor) -> None:
    delete_audited(holiday, actor=actor)


@transaction.atomic
def deadline_settings_update(*, actor, **fields) -> DeadlineSettings:
    return update_audited(DeadlineSettings.current(), actor=actor, **fields)


@transaction.atomic
def template_create(*, actor, **fields) -> ChecklistTemplate:
    return save_audited(ChecklistTemplate(**fields), actor=actor)


@transaction.atomic
def template_update(*, template: ChecklistTemplate, actor, **fields) -> ChecklistTemplate:
    return update_audited(template, actor=actor, **fields)


@transaction.atomic
def template_item_create(*, template: ChecklistTemplate, actor, **fields) -> ChecklistTemplateItem:
    return save_audited(ChecklistTemplateItem(template=template, **fields), actor=actor)


@transaction.atomic
def template_item_update(*, item: ChecklistTemplateItem, actor, **fields) -> ChecklistTemplateItem:
    return update_audited(item, actor=actor, **fields)


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


@transaction.atomic
def case_update(*, case: VerificationCase, actor, **fields) -> VerificationCase:
    """Change the case's figures, agency or conclusion while the agency is still working."""
    _require_working(case)
    return update_audited(case, actor=actor, **fields)


@transaction.atomic
def case_allocation_update(*, case: VerificationCase, actor, **fields) -> VerificationCase:
    """Allocation before and after verification: known only later, recorded by staff."""
    return update_audited(case, actor=actor, **fields)


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
        raise ValidationError(
            _("A case cannot go from “%(source)s” to “%(target)s”.")
            % {"source": CaseStatus(source).label, "target": CaseStatus(target).label}
        )
    if actor_kind(actor) not in step.actors:
        raise PermissionDenied
    if actor_kind(actor) == "agency" and not can_work_on_case(actor, case):
        raise PermissionDenied
    today = _today(on)
    problems = _guard(case, target, today)
    if problems:
        raise ValidationError(problems)
    changes: dict = {"status": target, "updated_at": timezone.now()}
    if target == CaseStatus.NOTIFIED:
        changes["notified_on"] = today
    moved = VerificationCase.objects.filter(pk=case.pk, status=source).update(**changes)
    if moved != 1:
        raise ValidationError(_("Someone else changed this case meanwhile; reload the page."))
    for name, value in changes.items():
        setattr(case, name, value)
    # The conditional UPDATE bypasses simple-history; record the new state, attributed.
    attribute(case, actor=actor, reason=str(step.label))
    case.save(update_fields=list(changes))
    save_audited(
        CaseTransition(case=case, from_status=source, to_status=target, actor=actor, note=note),
        actor=actor,
    )
    return case


# Checklist and findings ------------------------------------------------------------------


@transaction.atomic
def checklist_item_update(*, item: ChecklistItem, actor, **fields) -> ChecklistItem:
    _require_working(item.case)
    return update_audited(item, actor=actor, **fields)


@transaction.atomic
def finding_create(*, case: VerificationCase, actor, **fields) -> Finding:
    _require_working(case)
    return save_audited(Finding(case=case, **fields), actor=actor)


@transaction.atomic
def finding_update(*, finding: Finding, actor, **fields) -> Finding:
    _require_working(finding.case)
    return update_audited(finding, actor=actor, **fields)


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
        actor=actor,
        enterprise_response=response,
        responded_at=timezone.now(),
        status=FindingStatus.ANSWERED,
    )


# Allowance gain --------------------------------------------------------------------------


@transaction.atomic
def gain_component_create(*, case: VerificationCase, actor, **fields) -> GainComponent:
    return save_audited(GainComponent(case=case, **fields), actor=actor)


@transaction.atomic
def gain_component_delete(*, component: GainComponent, actor) -> None:
    delete_audited(component, actor=actor)


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
        actor=actor,
        outcome=outcome,
        decision=decision,
        decided_on=today,
        decided_by=actor,
    )
    if verified_emissions_t is not None:
        update_audited(case, actor=actor, verified_emissions_t=verified_emissions_t)
    case_transition(case=case, target=CaseStatus.RE_REVIEWED, actor=actor, note=decision, on=today)
    return objection


# Monthly evidence ------------------------------------------------------------------------

EVIDENCE_DATA_FIELDS = (
    "fuel_consumption_t",
    "ncv_gj_per_t",
    "carbon_content_tc_per_gj",
    "purchased_mwh",
    "generation_mwh",
    "supply_mwh",
    "heat_gj",
    "operating_hours",
    "load_factor",
    "notes",
)


def evidence_file_store(*, submission: EvidenceSubmission, upload, actor) -> EvidenceFile:
    """Keep an uploaded file under MEDIA_ROOT with its SHA-256; flag it when the same bytes
    were already submitted for another month (or by another enterprise)."""
    max_bytes = DeadlineSettings.current().max_upload_mb * 2**20
    kind = validate_evidence_file(upload, max_bytes=max_bytes)
    digest = sha256_of(upload)
    duplicate = (
        EvidenceFile.objects.filter(sha256=digest)
        .exclude(submission=submission)
        .order_by("pk")
        .first()
    )
    stored = EvidenceFile(
        submission=submission,
        original_name=upload.name[:255],
        kind=kind,
        size=upload.size,
        sha256=digest,
        duplicate_of=duplicate,
        uploaded_by=actor,
    )
    stored.file.save(upload.name, upload, save=False)  # named by evidence_upload_to
    return save_audited(stored, actor=actor)


def _evidence_step(submission, source: str, target: str, actor, comment: str = "") -> None:
    save_audited(
        EvidenceTransition(
            submission=submission,
            from_status=source,
            to_status=target,
            actor=actor,
            comment=comment,
        ),
        actor=actor,
    )


@transaction.atomic
def evidence_submit(
    *, enterprise, year: int, month: int, files: list, actor, now=None, **data
) -> EvidenceSubmission:
    """Submit a month's evidence, or resubmit it after it was returned."""
    if not (
        actor.is_authenticated
        and actor.role == "enterprise"
        and actor.enterprise_id == enterprise.pk
    ):
        raise PermissionDenied
    now = now or timezone.now()
    if timezone.localtime(now).date() <= month_end(year, month):
        raise ValidationError(_("A month's evidence can be submitted once it is over."))
    submission = (
        EvidenceSubmission.objects.select_for_update()
        .filter(enterprise=enterprise, year=year, month=month)
        .first()
    )
    fields = {name: data[name] for name in EVIDENCE_DATA_FIELDS if name in data}
    if submission is None:
        if not files:
            raise ValidationError({"files": _("Attach the supporting documents.")})
        submission = save_audited(
            EvidenceSubmission(
                enterprise=enterprise,
                year=year,
                month=month,
                status=EvidenceStatus.SUBMITTED,
                first_submitted_at=now,
                submitted_at=now,
                **fields,
            ),
            actor=actor,
        )
        _evidence_step(submission, "", EvidenceStatus.SUBMITTED, actor)
    elif submission.status == EvidenceStatus.RETURNED:
        update_audited(
            submission,
            actor=actor,
            reason=str(_("Resubmitted after correction")),
            status=EvidenceStatus.SUBMITTED,
            submitted_at=now,
            **fields,
        )
        _evidence_step(submission, EvidenceStatus.RETURNED, EvidenceStatus.SUBMITTED, actor)
    else:
        raise ValidationError(
            _("This month's evidence is %(status)s: it cannot be submitted again.")
            % {"status": submission.get_status_display()}
        )
    stored: list[EvidenceFile] = []
    try:
        for upload in files:
            stored.append(evidence_file_store(submission=submission, upload=upload, actor=actor))
    except Exception:
        # The rows roll back with the transaction; the bytes already written must go too.
        for evidence in stored:
            evidence.file.delete(save=False)
        raise
    return submission


@transaction.atomic
def evidence_review(
    *, submission: EvidenceSubmission, accept: bool, comment: str, actor, now=None
) -> EvidenceSubmission:
    """Accept the month's evidence, or return it to the enterprise with a comment."""
    from .permissions import can_review_evidence

    if not can_review_evidence(actor, submission.enterprise):
        raise PermissionDenied
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("Say what the enterprise must correct.")})
    target = EvidenceStatus.ACCEPTED if accept else EvidenceStatus.RETURNED
    changes = {"status": target, "review_comment": comment, "reviewed_at": now or timezone.now()}
    moved = EvidenceSubmission.objects.filter(
        pk=submission.pk, status=EvidenceStatus.SUBMITTED
    ).update(**changes)
    if moved != 1:
        raise ValidationError(_("This evidence is not awaiting review (any more)."))
    for name, value in changes.items():
        setattr(submission, name, value)
    attribute(submission, actor=actor, reason=comment)
    submission.save(update_fields=list(changes))
    _evidence_step(submission, EvidenceStatus.SUBMITTED, target, actor, comment)
    if not accept:
        transaction.on_commit(lambda: _mail_returned(submission.pk))
    return submission


def _mail_returned(submission_id: int) -> None:
    from django.core.mail import send_mail

    submission = EvidenceSubmission.objects.select_related("enterprise").get(pk=submission_id)
    recipients = list(
        submission.enterprise.users.filter(is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if recipients:
        send_mail(
            _("Monthly evidence %(month)s returned")
            % {"month": f"{submission.year}-{submission.month:02d}"},
            submission.review_comment,
            None,
            recipients,
        )


# Reminders -------------------------------------------------------------------------------


def _recipients(kind: str, enterprise) -> list[str]:
    from baotou_carbon.accounts.models import User

    users = User.objects.filter(is_active=True).exclude(email="")
    if kind == ReminderKind.REVIEW_DEADLINE:
        users = users.filter(role="district_reviewer", district=enterprise.district)
    elif kind == ReminderKind.CEILING:
        users = users.filter(
            models.Q(role="enterprise", enterprise=enterprise) | models.Q(role="bureau_staff")
        )
    else:
        users = users.filter(role="enterprise", enterprise=enterprise)
    return sorted(users.values_list("email", flat=True))


def _remind(*, enterprise, year: int, month: int, kind: str, deadline: date) -> bool:
    """Record the reminder, then mail it once the record is committed. A reminder already
    recorded is not sent again: the task may run twice a day, or be retried, safely."""
    from django.core.mail import send_mail

    recipients = _recipients(kind, enterprise)
    with transaction.atomic():
        _reminder, created = EvidenceReminder.objects.get_or_create(
            enterprise=enterprise,
            year=year,
            month=month,
            kind=kind,
            defaults={"recipients": ", ".join(recipients)},
        )
        if created and recipients:
            subject = _("%(enterprise)s: monthly evidence %(month)s due %(date)s") % {
                "enterprise": enterprise.name_zh,
                "month": f"{year}-{month:02d}",
                "date": f"{deadline:%Y-%m-%d}",
            }
            body = f"{ReminderKind(kind).label}\n{subject}"
            transaction.on_commit(
                lambda: send_mail(subject, body, None, recipients, fail_silently=False)
            )
    return created


def evidence_reminders_send(*, today: date) -> int:
    """Queue the reminders due `today` (those whose deadline falls within the configured
    number of days); return how many new ones were recorded."""
    from enterprises.models import Enterprise

    from . import selectors

    settings_row = DeadlineSettings.current()
    horizon = today + timedelta(days=settings_row.reminder_days_before)
    sent = 0
    # Months ended within the national ceiling before today are the only ones still open.
    first = today - timedelta(days=settings_row.evidence_ceiling_days + 31)
    months = sorted(
        {
            (d.year, d.month)
            for d in (first + timedelta(days=n) for n in range((today - first).days))
        }
    )
    for year, month in months:
        d = selectors.evidence_deadlines_for(year, month, settings_row)
        if not (d.month_end < today <= d.ceiling):
            continue
        enterprises = selectors.obliged_enterprises(Enterprise.objects.all(), year)
        submissions = {
            s.enterprise_id: s for s in EvidenceSubmission.objects.filter(year=year, month=month)
        }
        for enterprise in enterprises:
            submission = submissions.get(enterprise.pk)
            if submission is None and today <= d.enterprise <= horizon:
                kind, deadline = ReminderKind.ENTERPRISE_DEADLINE, d.enterprise
            elif submission is None and d.enterprise < today and d.ceiling <= horizon:
                kind, deadline = ReminderKind.CEILING, d.ceiling
            elif (
                submission is not None
                and submission.status == EvidenceStatus.SUBMITTED
                and today <= d.review <= horizon
            ):
                kind, deadline = ReminderKind.REVIEW_DEADLINE, d.review
            else:
                continue
            sent += _remind(
                enterprise=enterprise, year=year, month=month, kind=kind, deadline=deadline
            )
    return sent


# Annual emission reports -----------------------------------------------------------------


def _require_report_owner(report: AnnualReport, actor) -> None:
    if not (
        actor.is_authenticated
        and actor.role == "enterprise"
        and actor.enterprise_id == report.enterprise_id
    ):
        raise PermissionDenied


def _report_step(
    report: AnnualReport, target: str, *, actor, comment: str = "", **changes
) -> AnnualReport:
    """Move a report version along REPORT_TRANSITIONS with a conditional UPDATE."""
    source = report.status
    if target not in REPORT_TRANSITIONS.get(source, frozenset()):
        raise ValidationError(
            _("A report cannot go from “%(source)s” to “%(target)s”.")
            % {"source": ReportStatus(source).label, "target": ReportStatus(target).label}
        )
    changes = {"status": target, "updated_at": timezone.now(), **changes}
    moved = AnnualReport.objects.filter(pk=report.pk, status=source).update(**changes)
    if moved != 1:
        raise ValidationError(_("Someone else changed this report meanwhile; reload the page."))
    for name, value in changes.items():
        setattr(report, name, value)
    attribute(report, actor=actor, reason=comment)
    report.save(update_fields=list(changes))
    save_audited(
        ReportStep(
            report=report, from_status=source, to_status=target, actor=actor, comment=comment
        ),
        actor=actor,
    )
    return report


@transaction.atomic
def report_create(*, enterprise, year: int, actor) -> AnnualReport:
    if not (
        actor.is_authenticated
        and actor.role == "enterprise"
        and actor.enterprise_id == enterprise.pk
    ):
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
        values = {name: getattr(evidence, name) for name in selectors.REPORT_FIELDS}
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
            update_audited(line, actor=actor, **values)
    # Touch the report so its history shows the draft was saved.
    update_audited(
        report,
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
    return _report_step(report, ReportStatus.SUBMITTED, actor=actor, submitted_at=timezone.now())


@transaction.atomic
def report_review(*, report: AnnualReport, accept: bool, comment: str, actor) -> AnnualReport:
    from .permissions import can_review_report

    if not can_review_report(actor):
        raise PermissionDenied
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("Say what the enterprise must correct.")})
    target = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    return _report_step(
        report,
        target,
        actor=actor,
        comment=comment,
        review_comment=comment,
        reviewed_at=timezone.now(),
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
                **{name: getattr(line, name) for name in selectors.REPORT_FIELDS},
            ),
            actor=actor,
        )
    return revision
