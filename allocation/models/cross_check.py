"""Allocation data per generating unit and year, and its cross-verification (DOMAIN §1.3):
the bureau's internal preliminary calculation → the verification agency's figures → the
enterprise's review and confirmation → the bureau's approval. Each party's figures are kept
side by side; a field on which they differ by more than the tolerance is flagged and may carry
comments; the approved allocation is computed from the confirmed figures."""

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from baotou_carbon.core.workflow import StatusChange
from baotou_carbon.core.years import YEAR_VALIDATORS
from enterprises.models import Cooling, GeneratingUnit, OperatingMode

FRACTION = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]
NON_NEGATIVE = [MinValueValidator(Decimal(0))]


class CrossCheckStatus(models.TextChoices):
    PRELIMINARY = "preliminary", _("Bureau's preliminary calculation")
    AGENCY = "agency", _("With the verification agency")
    ENTERPRISE = "enterprise", _("With the enterprise for review")
    CONFIRMED = "confirmed", _("Confirmed by the enterprise")
    APPROVED = "approved", _("Approved")


class Party(models.TextChoices):
    BUREAU = "bureau", _("Bureau (preliminary)")
    AGENCY = "agency", _("Verification agency")
    ENTERPRISE = "enterprise", _("Enterprise")


_C = CrossCheckStatus


class UnitAllocation(models.Model):
    """One generating unit's allocation data for one year, through the three parties."""

    TRANSITIONS: ClassVar[frozenset[tuple[str, str]]] = frozenset(
        {
            (_C.PRELIMINARY, _C.AGENCY),  # the bureau sends its preliminary figures on
            (_C.AGENCY, _C.ENTERPRISE),  # the agency sends its figures to the enterprise
            (_C.ENTERPRISE, _C.CONFIRMED),  # the enterprise confirms
            (_C.ENTERPRISE, _C.AGENCY),  # ... or disputes: back to the agency
            (_C.CONFIRMED, _C.APPROVED),  # the bureau approves the final allocation
            (_C.CONFIRMED, _C.ENTERPRISE),  # ... or returns it for another review
            (_C.APPROVED, _C.PRELIMINARY),  # reopened when new facts come to light
        }
    )
    STATUS_CHANGES: ClassVar[str] = "status_changes"

    unit = models.ForeignKey(
        GeneratingUnit,
        on_delete=models.PROTECT,
        related_name="allocations",
        verbose_name=_("generating unit"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CrossCheckStatus.choices,
        default=CrossCheckStatus.PRELIMINARY,
    )
    preliminary_allocation_t = models.DecimalField(
        _("preliminary allocation (t)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text=_("From the bureau's figures, when it sent them on."),
    )
    approved_allocation_t = models.DecimalField(
        _("approved allocation (t)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text=_("From the confirmed figures, when the bureau approved them."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit allocation")
        verbose_name_plural = _("unit allocations")
        ordering = ["-year", "unit__facility__enterprise__name_zh", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="unit_allocation_unique_year",
                violation_error_message=_("This unit already has allocation data for that year."),
            ),
            models.CheckConstraint(
                condition=Q(approved_allocation_t__isnull=True)
                | Q(status=CrossCheckStatus.APPROVED),
                name="unit_allocation_approved_only_when_approved",
            ),
        ]
        indexes = [models.Index(fields=["year", "status"], name="unit_allocation_year_status")]

    def __str__(self) -> str:
        # The unit only when already loaded: history pages label many rows.
        if type(self).unit.is_cached(self):
            return f"{self.unit} · {self.year}"
        return str(self.year)

    def get_absolute_url(self) -> str:
        return reverse("allocation:unit_allocation_detail", args=[self.pk])


class UnitAllocationChange(StatusChange):
    unit_allocation = models.ForeignKey(
        UnitAllocation,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("unit allocation"),
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=CrossCheckStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=CrossCheckStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("cross-verification step")
        verbose_name_plural = _("cross-verification steps")


class PartyFigures(models.Model):
    """One party's figures for a unit and year, as the allocation formula needs them."""

    # The fields compared between the parties, in the order pages show them.
    FIGURE_FIELDS: ClassVar[tuple[str, ...]] = (
        "supplied_mwh",
        "generated_mwh",
        "heat_gj",
        "heat_ratio",
        "load_factor",
        "cooling",
        "operating_mode",
    )

    unit_allocation = models.ForeignKey(
        UnitAllocation,
        on_delete=models.CASCADE,
        related_name="figures",
        verbose_name=_("unit allocation"),
    )
    party = models.CharField(_("party"), max_length=12, choices=Party.choices)
    supplied_mwh = models.DecimalField(
        _("supplied electricity (MWh)"),
        max_digits=15,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    generated_mwh = models.DecimalField(
        _("gross generation (MWh)"),
        max_digits=15,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    heat_gj = models.DecimalField(
        _("heat supplied (GJ)"),
        max_digits=15,
        decimal_places=3,
        default=Decimal(0),
        validators=NON_NEGATIVE,
    )
    heat_ratio = models.DecimalField(
        _("heat-supply ratio"),
        max_digits=7,
        decimal_places=6,
        default=Decimal(0),
        validators=FRACTION,
        help_text=_("A fraction: 0.25 = 25%."),
    )
    load_factor = models.DecimalField(
        _("load factor"),
        max_digits=7,
        decimal_places=6,
        null=True,
        blank=True,
        validators=FRACTION,
        help_text=_("A fraction: 0.72 = 72%."),
    )
    cooling = models.CharField(_("cooling"), max_length=20, choices=Cooling.choices)
    operating_mode = models.CharField(
        _("operating mode"), max_length=20, choices=OperatingMode.choices
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party's figures")
        verbose_name_plural = _("parties' figures")
        ordering = ["unit_allocation", "party"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_allocation", "party"],
                name="party_figures_unique_party",
                violation_error_message=_("This party already entered its figures."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_party_display())


class DiscrepancyComment(models.Model):
    """A comment on one field where the parties' figures differ."""

    unit_allocation = models.ForeignKey(
        UnitAllocation,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("unit allocation"),
    )
    field = models.CharField(
        _("figure"),
        max_length=20,
        choices=[
            (name, PartyFigures._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
            for name in PartyFigures.FIGURE_FIELDS
        ],
    )
    party = models.CharField(_("party"), max_length=12, choices=Party.choices)
    text = models.TextField(_("comment"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("discrepancy comment")
        verbose_name_plural = _("discrepancy comments")
        ordering = ["unit_allocation", "field", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_field_display()} · {self.get_party_display()}"
