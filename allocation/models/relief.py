"""Relief applications (DOMAIN §4): an allowance advance, open where the year's rules allow it
and the position qualifies, or individual relief, a case with a decision reference. The
enterprise drafts and submits with documents; staff pre-check, return or forward to the
province, and record the decision."""

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from baotou_carbon.core.files import StoredFile
from baotou_carbon.core.workflow import StatusChange
from baotou_carbon.core.years import YEAR_VALIDATORS
from enterprises.models import Enterprise


class ReliefKind(models.TextChoices):
    ADVANCE = "advance", _("Allowance advance (配额预支)")
    INDIVIDUAL = "individual", _("Individual relief (个性化纾困)")


class ReliefStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the bureau")
    RETURNED = "returned", _("Returned to the enterprise")
    FORWARDED = "forwarded", _("Forwarded to the province")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


DECIDED = frozenset({ReliefStatus.GRANTED, ReliefStatus.REFUSED})
_R = ReliefStatus


class ReliefApplication(models.Model):
    TRANSITIONS: ClassVar[frozenset[tuple[str, str]]] = frozenset(
        {
            (_R.DRAFT, _R.SUBMITTED),  # the enterprise submits
            (_R.SUBMITTED, _R.RETURNED),  # staff return it with a note
            (_R.RETURNED, _R.SUBMITTED),  # the enterprise resubmits
            (_R.SUBMITTED, _R.FORWARDED),  # staff pre-checked it and forward it
            (_R.FORWARDED, _R.GRANTED),  # staff record the province's decision
            (_R.FORWARDED, _R.REFUSED),
            (_R.DRAFT, _R.WITHDRAWN),
            (_R.SUBMITTED, _R.WITHDRAWN),
            (_R.RETURNED, _R.WITHDRAWN),
        }
    )
    STATUS_CHANGES: ClassVar[str] = "status_changes"

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="relief_applications",
        verbose_name=_("enterprise"),
    )
    year = models.PositiveSmallIntegerField(_("compliance year"), validators=YEAR_VALIDATORS)
    kind = models.CharField(_("kind"), max_length=12, choices=ReliefKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ReliefStatus.choices, default=ReliefStatus.DRAFT
    )
    requested_t = models.DecimalField(
        _("allowances requested (t)"),
        max_digits=14,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    reason = models.TextField(
        _("operating difficulty and reasons"),
        max_length=5000,
        help_text=_("Why the enterprise cannot comply on its own (genuine operating difficulty)."),
    )
    eligibility = models.JSONField(
        _("pre-check at submission"),
        default=dict,
        blank=True,
        help_text=_("The position and rule values the pre-check judged, as of submission."),
    )
    decision_reference = models.CharField(_("decision reference"), max_length=200, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    granted_t = models.DecimalField(
        _("allowances granted (t)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relief application")
        verbose_name_plural = _("relief applications")
        ordering = ["-year", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(granted_t__isnull=True) | Q(status=ReliefStatus.GRANTED),
                name="relief_granted_only_when_granted",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ReliefStatus.REFUSED, ReliefStatus.GRANTED])
                | (~Q(decision_reference="") & Q(decided_on__isnull=False)),
                name="relief_decision_recorded",
                violation_error_message=_("A decision needs its reference and date."),
            ),
            # One live application of a kind per enterprise and year.
            models.UniqueConstraint(
                fields=["enterprise", "year", "kind"],
                condition=~Q(status__in=[ReliefStatus.WITHDRAWN, ReliefStatus.REFUSED]),
                name="relief_one_live_per_kind",
                violation_error_message=_(
                    "This enterprise already has an application of this kind for that year."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "year"], name="relief_status_year")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("allocation:relief_detail", args=[self.pk])


class ReliefStatusChange(StatusChange):
    application = models.ForeignKey(
        ReliefApplication,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("relief application"),
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=ReliefStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=ReliefStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("relief step")
        verbose_name_plural = _("relief steps")


class ReliefDocument(StoredFile):
    application = models.ForeignKey(
        ReliefApplication,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("relief application"),
    )

    folder = "relief"

    history = HistoricalRecords()

    class Meta(StoredFile.Meta):
        verbose_name = _("relief document")
        verbose_name_plural = _("relief documents")
