"""Writes for monthly evidence: submission, review, and the deadline reminders."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baotou_carbon.accounts.models import User
from baotou_carbon.core.audit import save_audited
from baotou_carbon.core.workflow import advance, begin
from enterprises.models import Enterprise

from .. import selectors, tasks
from ..calculations import month_end
from ..models import (
    DeadlineSettings,
    EvidenceFile,
    EvidenceReminder,
    EvidenceStatus,
    EvidenceSubmission,
    ReminderKind,
    validate_evidence_file,
)
from ..permissions import (
    can_review_evidence,
    can_submit_evidence,
    reminded_reviewers,
    reminded_staff,
    reminded_submitters,
)

# Monthly evidence ------------------------------------------------------------------------


def evidence_file_store(*, submission: EvidenceSubmission, upload, actor) -> EvidenceFile:
    """Keep an uploaded file under MEDIA_ROOT with its SHA-256; flag it when the same bytes
    were already submitted for another month (or by another enterprise)."""
    max_bytes = DeadlineSettings.current().max_upload_mb * 2**20
    file_type = validate_evidence_file(upload, max_bytes=max_bytes)
    stored = EvidenceFile.from_upload(
        upload, file_type=file_type, actor=actor, submission=submission, kind=file_type.kind
    )
    stored.duplicate_of = (
        EvidenceFile.objects.filter(sha256=stored.sha256)
        .exclude(submission=submission)
        .order_by("pk")
        .first()
    )
    stored.file.save(upload.name, upload, save=False)  # named by EvidenceFile.upload_to
    return save_audited(stored, actor=actor)


@transaction.atomic
def evidence_submit(
    *, enterprise, year: int, month: int, files: list, actor, now=None, **data
) -> EvidenceSubmission:
    """Submit a month's evidence, or resubmit it after it was returned."""
    if not can_submit_evidence(actor, enterprise.pk):
        raise PermissionDenied
    now = now or timezone.now()
    if timezone.localtime(now).date() <= month_end(year, month):
        raise ValidationError(_("A month's evidence can be submitted once it is over."))
    submission = (
        EvidenceSubmission.objects.select_for_update()
        .filter(enterprise=enterprise, year=year, month=month)
        .first()
    )
    fields = {name: data[name] for name in EvidenceSubmission.DATA_FIELDS if name in data}
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
        begin(submission, actor=actor)
    elif submission.status == EvidenceStatus.RETURNED:
        # The corrected data is validated as a whole before the status moves with it.
        for name, value in fields.items():
            setattr(submission, name, value)
        submission.full_clean()
        advance(
            submission,
            to=EvidenceStatus.SUBMITTED,
            actor=actor,
            note=str(_("Resubmitted after correction")),
            fields={"submitted_at": now, **fields},
        )
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
    if not can_review_evidence(actor, submission.enterprise):
        raise PermissionDenied
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("Say what the enterprise must correct.")})
    not_awaiting = _("This evidence is not awaiting review (any more).")
    advance(
        submission,
        to=EvidenceStatus.ACCEPTED if accept else EvidenceStatus.RETURNED,
        actor=actor,
        note=comment,
        fields={"review_comment": comment, "reviewed_at": now or timezone.now()},
        refused=not_awaiting,
        stale=not_awaiting,
    )
    if not accept:
        # The mail leaves the request: a task, queued once the return is committed.
        transaction.on_commit(lambda: tasks.mail_evidence_returned.delay(submission.pk))
    return submission


def evidence_returned_mail_send(*, submission_id: int) -> bool:
    """Tell the enterprise's users that its month came back, with the reviewer's comment.
    Nothing is sent once the month is no longer returned (corrected and resubmitted, say)
    or has gone; returns whether a mail went out."""
    submission = (
        EvidenceSubmission.objects.select_related("enterprise").filter(pk=submission_id).first()
    )
    if submission is None or submission.status != EvidenceStatus.RETURNED:
        return False
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
    return bool(recipients)


# Reminders -------------------------------------------------------------------------------


def _recipients(kind: str, enterprise) -> list[str]:
    users = User.objects.filter(is_active=True).exclude(email="")
    if kind == ReminderKind.REVIEW_DEADLINE:
        users = users.filter(reminded_reviewers(enterprise))
    elif kind == ReminderKind.CEILING:
        users = users.filter(reminded_submitters(enterprise) | reminded_staff())
    else:
        users = users.filter(reminded_submitters(enterprise))
    return sorted(users.values_list("email", flat=True))


def _remind(*, enterprise, year: int, month: int, kind: str, deadline: date) -> bool:
    """Record the reminder, then mail it once the record is committed. A reminder already
    recorded is not sent again: the task may run twice a day, or be retried, safely."""
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
