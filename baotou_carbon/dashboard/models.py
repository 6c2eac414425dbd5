"""The dashboard's own records: the leadership briefings requested from it.

A briefing is a PDF of the manager dashboard's figures for one data year (the city, or one
district), rendered by a Celery task: queued → running → done, or failed with the error. A
transient failure puts it back in the queue for the task's retry.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from baotou_carbon.core.files import StoredFile
from baotou_carbon.core.workflow import StatusChange
from baotou_carbon.core.years import YEAR_VALIDATORS
from enterprises.models import District


class BriefingStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


# The statuses a briefing's page stops waiting in.
FINISHED = frozenset({BriefingStatus.DONE, BriefingStatus.FAILED})


class Briefing(models.Model):
    TRANSITIONS: ClassVar[frozenset[tuple[str, str]]] = frozenset(
        {
            (BriefingStatus.QUEUED, BriefingStatus.RUNNING),
            (BriefingStatus.RUNNING, BriefingStatus.DONE),
            (BriefingStatus.RUNNING, BriefingStatus.FAILED),
            (BriefingStatus.RUNNING, BriefingStatus.QUEUED),  # a transient error: retried
            (BriefingStatus.QUEUED, BriefingStatus.FAILED),  # the retries ran out
        }
    )
    STATUS_CHANGES: ClassVar[str] = "status_changes"

    year = models.PositiveSmallIntegerField(
        _("data year"),
        validators=YEAR_VALIDATORS,
        help_text=_("The year of the emissions data: 2022 is the verification of 2022 data."),
    )
    district = models.CharField(
        _("district"),
        max_length=6,
        choices=District.choices,
        blank=True,
        help_text=_("Blank for the whole city."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="briefings",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=BriefingStatus.choices, default=BriefingStatus.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="briefing_requester_recent")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=BriefingStatus.values), name="briefing_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(district="") | Q(district__in=District.values),
                name="briefing_district_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[BriefingStatus.DONE, BriefingStatus.FAILED])
                | Q(finished_at__isnull=False),
                name="briefing_finished_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.scope_label}"

    def get_absolute_url(self) -> str:
        return reverse("briefings:detail", args=[self.pk])

    @property
    def scope_label(self) -> str:
        return str(self.get_district_display()) if self.district else str(_("Whole city"))

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    def file_name(self) -> str:
        """The downloaded file's name: ASCII, so every browser and mail client keeps it."""
        return f"baotou-carbon-briefing-{self.year}-{self.district or 'city'}.pdf"


class BriefingStatusChange(StatusChange):
    """One step of a briefing: queued, started, retried, done or failed, and when."""

    briefing = models.ForeignKey(
        Briefing,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("briefing"),
    )
    from_status = models.CharField(
        _("from"), max_length=16, choices=BriefingStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=BriefingStatus.choices)

    history = HistoricalRecords()

    class Meta(StatusChange.Meta):
        verbose_name = _("briefing status change")
        verbose_name_plural = _("briefing status changes")


class BriefingFile(StoredFile):
    """A briefing's rendered PDF, kept under MEDIA_ROOT like every stored file and served only
    through the briefing's permission check."""

    briefing = models.OneToOneField(
        Briefing, on_delete=models.CASCADE, related_name="pdf", verbose_name=_("briefing")
    )

    folder = "dashboard/briefings"
    history = HistoricalRecords()

    class Meta(StoredFile.Meta):
        verbose_name = _("briefing PDF")
        verbose_name_plural = _("briefing PDFs")
