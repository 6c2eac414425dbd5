"""Allocation rule sets: one row per year with its power benchmarks (DOMAIN §4).

Every number that changes from plan to plan is a field here, editable by bureau staff with
history; a value not confirmed by an official text is listed in `unconfirmed` and shown so.
Code never branches on a year: it reads the year's row.
"""

from decimal import Decimal
from typing import ClassVar, cast

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from baotou_carbon.core.sources import SourceStatus
from baotou_carbon.core.years import YEAR_VALIDATORS
from enterprises.models import AllocationCategory

FRACTION = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]
POSITIVE = [MinValueValidator(Decimal("0.0001"))]


class AllocationBasis(models.TextChoices):
    SUPPLIED = "supplied", _("Supplied electricity")
    GENERATED = "generated", _("Gross generation")


class RuleSet(models.Model):
    """One year's allocation plan and the compliance rules around it."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=YEAR_VALIDATORS)
    plan = models.CharField(
        _("plan"), max_length=200, blank=True, help_text=_("The document it comes from.")
    )
    basis = models.CharField(
        _("electricity basis"),
        max_length=16,
        choices=AllocationBasis.choices,
        help_text=_("Which electricity the power benchmark multiplies."),
    )
    # Correction factors (None: the correction does not apply that year).
    air_cooling_factor = models.DecimalField(
        _("cooling factor of air-cooled coal units"),
        max_digits=6,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(2))],
        help_text=_("Empty: no cooling correction this year."),
    )
    heat_coefficient_coal = models.DecimalField(
        _("heat correction coefficient, coal units"),
        max_digits=6,
        decimal_places=4,
        null=True,
        blank=True,
        validators=FRACTION,
        help_text=_("F_heat = 1 − coefficient × heat-supply ratio. Empty: no heat correction."),
    )
    heat_coefficient_gas = models.DecimalField(
        _("heat correction coefficient, gas units"),
        max_digits=6,
        decimal_places=4,
        null=True,
        blank=True,
        validators=FRACTION,
        help_text=_("Empty: no heat correction for gas units."),
    )
    load_correction = models.BooleanField(
        _("load-factor correction for conventional coal condensing units"), default=True
    )
    load_correction_chp = models.BooleanField(
        _("load-factor correction also for combined heat and power units"), default=False
    )
    heat_benchmark_coal = models.DecimalField(
        _("heat benchmark, coal units (tCO2/GJ)"),
        max_digits=8,
        decimal_places=4,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    heat_benchmark_gas = models.DecimalField(
        _("heat benchmark, gas units (tCO2/GJ)"),
        max_digits=8,
        decimal_places=4,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    includes_indirect_emissions = models.BooleanField(
        _("allocation covers indirect emissions from purchased electricity"), default=False
    )
    # Rules around the allocation.
    gap_cap_ratio = models.DecimalField(
        _("gap cap (largest shortfall as a share of verified emissions)"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=FRACTION,
        help_text=_("0.2000 = 20%. Empty: no cap."),
    )
    gas_exempt = models.BooleanField(
        _("gas units topped up to their verified emissions"), default=False
    )
    advance_threshold = models.DecimalField(
        _("allowance advance: lowest shortfall ratio"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=FRACTION,
        help_text=_("0.1000 = 10%. Empty: no allowance advance this year."),
    )
    advance_share = models.DecimalField(
        _("allowance advance: largest share of the shortfall"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=FRACTION,
    )
    advance_source_year = models.PositiveSmallIntegerField(
        _("allowance advance: borrowed from the pre-allocation of"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
    )
    ccer_cap_ratio = models.DecimalField(
        _("CCER offsets: largest share of the allowances due"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=FRACTION,
    )
    banking_base_t = models.DecimalField(
        _("banking: fixed allowance (t)"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Banking up to this plus a multiple of net sales. Empty: no banking rule."),
    )
    banking_net_sales_multiplier = models.DecimalField(
        _("banking: multiple of net sales"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    surrender_deadline = models.DateField(_("surrender deadline"), null=True, blank=True)
    interim_deadline = models.DateField(
        _("interim deadline"),
        null=True,
        blank=True,
        help_text=_("By when a share of the enterprises must have surrendered."),
    )
    interim_enterprise_share = models.DecimalField(
        _("share of enterprises by the interim deadline"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=FRACTION,
    )
    pre_allocation_share = models.DecimalField(
        _("pre-allocation (share of the base year's verified emissions)"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=FRACTION,
    )
    status = models.CharField(
        _("status"),
        max_length=1,
        choices=SourceStatus.choices,
        help_text=_("How sure the bureau is of this year's rules as a whole."),
    )
    unconfirmed = models.JSONField(
        _("values not confirmed"),
        default=list,
        blank=True,
        help_text=_("Fields whose value no official text confirms yet."),
    )
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    # The fields a value-level confidence can be recorded for, in the order pages show them.
    RULE_FIELDS: ClassVar[tuple[str, ...]] = (
        "basis",
        "air_cooling_factor",
        "heat_coefficient_coal",
        "heat_coefficient_gas",
        "load_correction",
        "load_correction_chp",
        "heat_benchmark_coal",
        "heat_benchmark_gas",
        "includes_indirect_emissions",
        "gap_cap_ratio",
        "gas_exempt",
        "advance_threshold",
        "advance_share",
        "advance_source_year",
        "ccer_cap_ratio",
        "banking_base_t",
        "banking_net_sales_multiplier",
        "surrender_deadline",
        "interim_deadline",
        "interim_enterprise_share",
        "pre_allocation_share",
    )

    class Meta:
        verbose_name = _("allocation rule set")
        verbose_name_plural = _("allocation rule sets")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(advance_threshold__isnull=True)
                    & Q(advance_share__isnull=True)
                    & Q(advance_source_year__isnull=True)
                )
                | (
                    Q(advance_threshold__isnull=False)
                    & Q(advance_share__isnull=False)
                    & Q(advance_source_year__gt=models.F("year"))
                ),
                name="rule_set_advance_complete",
                violation_error_message=_(
                    "An allowance advance needs its threshold, its share and a later source "
                    "year; leave all three empty when there is none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(banking_net_sales_multiplier__isnull=True)
                | Q(banking_base_t__isnull=False),
                name="rule_set_banking_complete",
                violation_error_message=_("A banking multiple needs the fixed allowance too."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Rule set %(year)s") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("allocation:rule_set_detail", args=[self.year])

    def clean(self) -> None:
        unknown = sorted(set(self.unconfirmed or []) - set(self.RULE_FIELDS))
        if unknown:
            raise ValidationError({"unconfirmed": _("Unknown fields: %s") % ", ".join(unknown)})

    @classmethod
    def rule_field(cls, name: str) -> models.Field:
        """The model field of one of RULE_FIELDS (for its label and choices)."""
        return cast(models.Field, cls._meta.get_field(name))


class Benchmark(models.Model):
    """A power benchmark of one unit category in one year's rule set (tCO2/MWh of the rule
    set's electricity basis)."""

    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.CASCADE, related_name="benchmarks", verbose_name=_("rule set")
    )
    category = models.CharField(
        _("unit category"), max_length=32, choices=AllocationCategory.choices
    )
    value = models.DecimalField(
        _("benchmark (tCO2/MWh)"),
        max_digits=8,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal(5))],
    )
    status = models.CharField(_("status"), max_length=1, choices=SourceStatus.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("power benchmark")
        verbose_name_plural = _("power benchmarks")
        ordering = ["rule_set", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "category"],
                name="benchmark_unique_category",
                violation_error_message=_("This category already has a benchmark that year."),
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="benchmark_value_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_set.year} {self.get_category_display()}"
