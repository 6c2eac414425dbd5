"""Annual emission reports: versions, their monthly lines per unit, and their steps."""

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from baotou_carbon.core.workflow import StatusChange
from enterprises.models import Enterprise

from .reference import MONTH_VALIDATORS, YEAR_VALIDATORS, MonthlyActivityData

# Annual emission reports -----------------------------------------------------------------


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned with comments")
    ACCEPTED = "accepted", _("Accepted")


class AnnualReport(models.Model):
    """One version of an enterprise's annual emission report (due 31 March, DOMAIN §5)."""

    # Allowed steps (from, to) of a version; a returned version is revised into a new version.
    TRANSITIONS: ClassVar[frozenset[tuple[str, str]]] = frozenset(
        {
            (ReportStatus.DRAFT, ReportStatus.SUBMITTED),
            (ReportStatus.SUBMITTED, ReportStatus.RETURNED),
            (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED),
        }
    )
    STATUS_CHANGES: ClassVar[str] = "steps"

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="annual_reports",
        verbose_name=_("enterprise"),
    )
    year = models.PositiveSmallIntegerField(_("reporting year"), validators=YEAR_VALIDATORS)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("previous version"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_comment = models.TextField(_("bureau's comments"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual emission report")
        verbose_name_plural = _("annual emission reports")
        ordering = ["-year", "enterprise__name_zh", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "version"], name="report_unique_version"
            ),
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                condition=Q(
                    status__in=[ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]
                ),
                name="report_one_open_version",
                violation_error_message=_(
                    "This enterprise already has an open report for that year."
                ),
            ),
        ]

    def __str__(self) -> str:
        label = str(
            _("%(year)s report v%(version)s") % {"year": self.year, "version": self.version}
        )
        if type(self).enterprise.is_cached(self):
            return f"{self.enterprise} · {label}"
        return label

    def get_absolute_url(self) -> str:
        return reverse("verification:report_detail", args=[self.pk])


class ReportLine(MonthlyActivityData):
    """One generating unit's month in a report version."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="lines", verbose_name=_("report")
    )
    unit = models.ForeignKey(
        "enterprises.GeneratingUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("generating unit"),
    )
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH_VALIDATORS)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report line")
        verbose_name_plural = _("report lines")
        ordering = ["report", "unit", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "unit", "month"], name="report_line_unique_month"
            ),
            models.CheckConstraint(
                condition=Q(supply_mwh__lte=models.F("generation_mwh")),
                name="report_line_supply_within_generation",
                violation_error_message=_("Power supplied cannot exceed generation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:02d}"

    def clean(self) -> None:
        if problems := self.activity_problems():
            raise ValidationError(problems)


class ReportStep(StatusChange):
    """One step of a report version: submitted, returned with the bureau's note, accepted."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="steps", verbose_name=_("report")
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=ReportStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=ReportStatus.choices)

    history = HistoricalRecords()

    class Meta(StatusChange.Meta):
        verbose_name = _("report step")
        verbose_name_plural = _("report steps")
