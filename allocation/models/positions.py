"""Compliance positions per enterprise and year, recomputed from their inputs, the surrender
figures staff record, and the allocation settings (tolerance, early-warning threshold)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from baotou_carbon.core.years import YEAR_VALIDATORS
from enterprises.models import Enterprise

NON_NEGATIVE = [MinValueValidator(Decimal(0))]


def _tonnes(label, **kwargs):
    return models.DecimalField(
        label, max_digits=14, decimal_places=3, validators=NON_NEGATIVE, **kwargs
    )


class AllocationSettings(models.Model):
    """The one row of allocation policy values staff may change."""

    tolerance_ratio = models.DecimalField(
        _("cross-verification tolerance"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.01"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("0.5"))],
        help_text=_("Figures differing by more than this share are flagged (0.01 = 1%)."),
    )
    warning_shortfall_ratio = models.DecimalField(
        _("early warning: projected shortfall ratio"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.05"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("Enterprises projected short by at least this share are listed."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("allocation settings")
        verbose_name_plural = _("allocation settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="allocation_settings_single_row")
        ]

    def __str__(self) -> str:
        return str(_("Allocation settings"))

    @classmethod
    def current(cls) -> "AllocationSettings":
        row, _created = cls.objects.get_or_create(pk=1)
        return row


class PositionBasis(models.TextChoices):
    VERIFIED = "verified", _("Verified emissions")
    PROJECTED = "projected", _("Projected from monthly evidence")


class PositionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for allocation or verified emissions")
    SURPLUS = "surplus", _("Surplus")
    SHORTFALL = "shortfall", _("Shortfall")
    COMPLIED = "complied", _("Complied")


class CompliancePosition(models.Model):
    """An enterprise's position for a year, written only by the recompute (never by hand):
    each row says when it was computed and from which inputs."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="compliance_positions",
        verbose_name=_("enterprise"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    basis = models.CharField(
        _("basis"), max_length=12, choices=PositionBasis.choices, default=PositionBasis.VERIFIED
    )
    status = models.CharField(_("status"), max_length=12, choices=PositionStatus.choices)
    allocation_t = _tonnes(_("allocation (t)"), null=True)
    allocation_final = models.BooleanField(_("every unit's allocation approved"), default=False)
    verified_emissions_t = _tonnes(_("verified emissions (t)"), null=True)
    gas_only = models.BooleanField(_("gas units only"), default=False)
    gap_cap_top_up_t = _tonnes(_("gap-cap top-up (t)"), default=Decimal(0))
    gas_exemption_top_up_t = _tonnes(_("gas exemption top-up (t)"), default=Decimal(0))
    adjusted_allocation_t = _tonnes(_("allocation after relief rules (t)"), null=True)
    shortfall_t = _tonnes(_("shortfall (t)"), default=Decimal(0))
    surplus_t = _tonnes(_("surplus (t)"), default=Decimal(0))
    shortfall_ratio = models.DecimalField(
        _("shortfall ratio"), max_digits=9, decimal_places=6, null=True
    )
    advance_eligible = models.BooleanField(_("allowance advance open"), default=False)
    advance_max_t = _tonnes(_("allowance advance at most (t)"), default=Decimal(0))
    advance_granted_t = _tonnes(_("allowance advance granted (t)"), default=Decimal(0))
    ccer_cap_t = _tonnes(_("CCER offsets at most (t)"), default=Decimal(0))
    ccer_used_t = _tonnes(_("CCER offsets used (t)"), default=Decimal(0))
    banked_t = _tonnes(_("banked (t)"), default=Decimal(0))
    surrendered_t = _tonnes(_("surrendered (t)"), default=Decimal(0))
    deadline = models.DateField(_("surrender deadline"), null=True)
    computed_at = models.DateTimeField(_("computed at"))
    inputs = models.JSONField(_("computed from"), default=dict)

    class Meta:
        verbose_name = _("compliance position")
        verbose_name_plural = _("compliance positions")
        ordering = ["-year", "enterprise__name_zh"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "basis"], name="position_unique_enterprise_year"
            ),
        ]
        indexes = [models.Index(fields=["year", "basis", "status"], name="position_year_status")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} · {self.year} · {self.get_basis_display()}"

    @property
    def shortfall_percent(self) -> Decimal | None:
        return None if self.shortfall_ratio is None else self.shortfall_ratio * 100

    @property
    def remaining_t(self) -> Decimal | None:
        """What is still to surrender, after surrendered allowances and offsets used."""
        if self.verified_emissions_t is None:
            return None
        return max(self.verified_emissions_t - self.surrendered_t - self.ccer_used_t, Decimal(0))


class SurrenderRecord(models.Model):
    """What an enterprise surrendered, offset and banked for a year, as staff read it from the
    national registry; the position recompute reads it."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="surrender_records",
        verbose_name=_("enterprise"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    surrendered_t = _tonnes(_("allowances surrendered (t)"), default=Decimal(0))
    ccer_used_t = _tonnes(_("CCER offsets used (t)"), default=Decimal(0))
    banked_t = _tonnes(_("banked (t)"), default=Decimal(0))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("surrender record")
        verbose_name_plural = _("surrender records")
        ordering = ["-year", "enterprise__name_zh"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="surrender_unique_enterprise_year",
                violation_error_message=_("This enterprise already has a record for that year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} · {self.year}"
