"""Monthly evidence storage: submissions, their files and steps, and the reminders sent."""

from decimal import Decimal
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from baotou_carbon.core.files import FileType, StoredFile, check_upload, stored_file_upload_to
from baotou_carbon.core.workflow import StatusChange
from enterprises.models import Enterprise

from ..calculations import month_end
from .reference import MONTH_VALIDATORS, YEAR_VALIDATORS, MonthlyActivityData

# Monthly evidence storage (月度信息化存证) --------------------------------------------------


class EvidenceStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted")


class EvidenceSubmission(MonthlyActivityData):
    """One enterprise's monthly evidence: that month's data and its supporting files."""

    # Allowed steps (from, to): reviewed once submitted, resubmitted once returned.
    TRANSITIONS: ClassVar[frozenset[tuple[str, str]]] = frozenset(
        {
            (EvidenceStatus.SUBMITTED, EvidenceStatus.RETURNED),
            (EvidenceStatus.SUBMITTED, EvidenceStatus.ACCEPTED),
            (EvidenceStatus.RETURNED, EvidenceStatus.SUBMITTED),
        }
    )
    STATUS_CHANGES: ClassVar[str] = "transitions"

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="evidence_submissions",
        verbose_name=_("enterprise"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH_VALIDATORS)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EvidenceStatus.choices,
        default=EvidenceStatus.SUBMITTED,
    )
    operating_hours = models.DecimalField(
        _("operating hours"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(744))],
    )
    load_factor = models.DecimalField(
        _("load factor (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    notes = models.TextField(_("notes"), blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"))
    submitted_at = models.DateTimeField(_("last submitted at"))
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    history = HistoricalRecords()

    # What an enterprise enters for a month: the activity data, then the month's own fields.
    DATA_FIELDS: ClassVar[tuple[str, ...]] = (
        *MonthlyActivityData.ACTIVITY_FIELDS,
        "operating_hours",
        "load_factor",
        "notes",
    )

    class Meta:
        verbose_name = _("monthly evidence")
        verbose_name_plural = _("monthly evidence")
        ordering = ["-year", "-month", "enterprise__name_zh"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "month"],
                name="evidence_unique_enterprise_month",
                violation_error_message=_("This month's evidence was already submitted."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="evidence_month_range"
            ),
            models.CheckConstraint(
                condition=Q(supply_mwh__lte=models.F("generation_mwh")),
                name="evidence_supply_within_generation",
                violation_error_message=_("Power supplied cannot exceed generation."),
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.year}-{self.month:02d}"
        # The enterprise only when already loaded: history pages list many rows.
        if type(self).enterprise.is_cached(self):
            return f"{self.enterprise} · {label}"
        return label

    def get_absolute_url(self) -> str:
        return reverse("verification:evidence_detail", args=[self.pk])

    def clean(self) -> None:
        errors = self.activity_problems()
        if self.operating_hours is not None and self.year and self.month in range(1, 13):
            hours = month_end(self.year, self.month).day * 24
            if self.operating_hours > hours:
                errors["operating_hours"] = str(
                    _("This month has only %(hours)s hours.") % {"hours": hours}
                )
        if errors:
            raise ValidationError(errors)


# What an evidence file may be: the form and the service check each upload against these.
EVIDENCE_EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "xlsx")
EVIDENCE_FILE_MESSAGES = {
    "file_type": _("“%(name)s”: only PDF, PNG, JPEG and Excel (.xlsx) files are accepted."),
    "file_size": _("“%(name)s” is larger than %(mb)s MB."),
    "file_empty": _("“%(name)s” is empty."),
    "file_content": _("“%(name)s” is not really a %(kind)s file."),
}


def validate_evidence_file(upload: File, *, max_bytes: int) -> FileType:
    """The file's type, or a ValidationError saying why it is refused."""
    return check_upload(
        upload,
        accepted=EVIDENCE_EXTENSIONS,
        max_bytes=max_bytes,
        messages=EVIDENCE_FILE_MESSAGES,
    )


evidence_upload_to = stored_file_upload_to  # named by migration 0003


class EvidenceFile(StoredFile):
    submission = models.ForeignKey(
        EvidenceSubmission,
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=_("submission"),
    )
    kind = models.CharField(_("type"), max_length=10)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("same file as"),
        help_text=_("The same file (same SHA-256) was already submitted for another month."),
    )

    history = HistoricalRecords()

    class Meta(StoredFile.Meta):
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["submission", "uploaded_at", "pk"]

    def upload_to(self, filename: str) -> str:
        """Under the enterprise and month; the stored name is the hash, the original is kept."""
        submission = self.submission
        suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        return (
            f"evidence/{submission.enterprise_id}/{submission.year}/{submission.month:02d}/"
            f"{self.sha256[:16]}.{suffix}"
        )


class EvidenceTransition(StatusChange):
    """One step of a month's evidence: submitted, returned with a note, accepted."""

    submission = models.ForeignKey(
        EvidenceSubmission,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("submission"),
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=EvidenceStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=EvidenceStatus.choices)

    history = HistoricalRecords()

    class Meta(StatusChange.Meta):
        verbose_name = _("evidence step")
        verbose_name_plural = _("evidence steps")


class ReminderKind(models.TextChoices):
    ENTERPRISE_DEADLINE = "enterprise_deadline", _("Enterprise deadline approaching")
    REVIEW_DEADLINE = "review_deadline", _("Review deadline approaching")
    CEILING = "ceiling", _("National ceiling approaching")


class EvidenceReminder(models.Model):
    """A reminder mail that was sent: the record that makes the reminder task idempotent."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="+", verbose_name=_("enterprise")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH_VALIDATORS)
    kind = models.CharField(_("kind"), max_length=30, choices=ReminderKind.choices)
    recipients = models.TextField(_("recipients"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence reminder")
        verbose_name_plural = _("evidence reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "month", "kind"], name="reminder_sent_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}-{self.month:02d} {self.kind}"
