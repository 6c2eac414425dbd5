"""Verification reference data: year-dependent accounting parameters, the deadlines and the
working-day calendar behind them, checklist templates, and the monthly activity data fields
shared by monthly evidence and annual report lines."""

from decimal import Decimal
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from baotou_carbon.core.checkpoints import Checkpoint
from baotou_carbon.core.sources import SourceStatus
from baotou_carbon.core.years import YEAR_VALIDATORS
from enterprises.models import Fuel


def in_active_language(zh: str, en: str) -> str:
    """The English text when the page is in English and it is set, else the Chinese."""
    if en and (get_language() or "").startswith("en"):
        return en
    return zh


# Parameters ------------------------------------------------------------------------------


class ParameterKind(models.TextChoices):
    DEFAULT_CARBON_CONTENT = "default_carbon_content", _("Default carbon content (tC/GJ)")
    OXIDATION_RATE = "oxidation_rate", _("Oxidation rate")
    GRID_FACTOR = "grid_factor", _("Grid emission factor (tCO2/MWh)")


class EmissionParameter(models.Model):
    """One year-dependent accounting parameter (DOMAIN §5), editable by bureau staff."""

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    kind = models.CharField(_("parameter"), max_length=32, choices=ParameterKind.choices)
    fuel = models.CharField(
        _("fuel"),
        max_length=32,
        choices=Fuel.choices,
        blank=True,
        help_text=_("Empty for the grid emission factor."),
    )
    value = models.DecimalField(
        _("value"),
        max_digits=12,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("0.000001")), MaxValueValidator(Decimal("10"))],
    )
    status = models.CharField(_("status"), max_length=1, choices=SourceStatus.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("emission parameter")
        verbose_name_plural = _("emission parameters")
        ordering = ["-year", "kind", "fuel"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind", "fuel"],
                name="parameter_unique_year_kind_fuel",
                violation_error_message=_("This parameter already has a value for that year."),
            ),
            models.CheckConstraint(
                condition=(Q(kind="grid_factor") & Q(fuel=""))
                | (~Q(kind="grid_factor") & ~Q(fuel="")),
                name="parameter_fuel_iff_fuel_kind",
                violation_error_message=_(
                    "The grid factor has no fuel; every other parameter names one."
                ),
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="parameter_value_positive"),
            models.CheckConstraint(
                condition=~Q(kind="oxidation_rate") | Q(value__lte=1),
                name="parameter_oxidation_at_most_one",
                violation_error_message=_("An oxidation rate is at most 1."),
            ),
        ]

    def __str__(self) -> str:
        fuel = f" {self.get_fuel_display()}" if self.fuel else ""
        return f"{self.year} {self.get_kind_display()}{fuel}"


# Deadlines and the working-day calendar --------------------------------------------------


class DeadlineSettings(models.Model):
    """The one row of configurable deadlines (DOMAIN §5, §6). Values are policy, not code."""

    objection_working_days = models.PositiveSmallIntegerField(
        _("objection period (working days)"), default=7, validators=[MaxValueValidator(60)]
    )
    re_review_working_days = models.PositiveSmallIntegerField(
        _("re-review decision period (working days)"),
        default=10,
        validators=[MaxValueValidator(60)],
    )
    evidence_enterprise_days = models.PositiveSmallIntegerField(
        _("monthly evidence: enterprise deadline (days after month end)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
    )
    evidence_review_days = models.PositiveSmallIntegerField(
        _("monthly evidence: district review (days after the enterprise deadline)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
    )
    evidence_ceiling_days = models.PositiveSmallIntegerField(
        _("monthly evidence: national ceiling (days after month end)"),
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("send reminders this many days before a deadline"),
        default=3,
        validators=[MaxValueValidator(30)],
    )
    max_upload_mb = models.PositiveSmallIntegerField(
        _("largest evidence file (MB)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline settings")
        verbose_name_plural = _("deadline settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="deadline_settings_single_row"),
            models.CheckConstraint(
                condition=Q(evidence_enterprise_days__lte=models.F("evidence_ceiling_days")),
                name="deadline_enterprise_within_ceiling",
                violation_error_message=_(
                    "The enterprise deadline cannot be later than the national ceiling."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Deadline settings"))

    @classmethod
    def current(cls) -> "DeadlineSettings":
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (no work)")
    WORKING_DAY = "working_day", _("Adjusted working day (weekend worked)")


class Holiday(models.Model):
    """A calendar exception: a weekday off, or a weekend day worked (调休)."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


# Checklist templates ---------------------------------------------------------------------


class ChecklistTemplate(models.Model):
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["name_zh"]

    def __str__(self) -> str:
        return self.name_zh

    def get_absolute_url(self) -> str:
        return reverse("verification:template_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return in_active_language(self.name_zh, self.name_en)


class ChecklistTemplateItem(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("template"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    checkpoint = models.CharField(_("checkpoint"), max_length=40, choices=Checkpoint.choices)
    title_zh = models.CharField(_("point to check (Chinese)"), max_length=300)
    title_en = models.CharField(_("point to check (English)"), max_length=300, blank=True)
    guidance = models.TextField(_("guidance"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist template item")
        verbose_name_plural = _("checklist template items")
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="template_item_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return self.title_zh

    @property
    def title(self) -> str:
        return in_active_language(self.title_zh, self.title_en)


# Monthly activity data (monthly evidence and annual report lines) ------------------------


MONTH_VALIDATORS = [MinValueValidator(1), MaxValueValidator(12)]


class MonthlyActivityData(models.Model):
    """A unit's or an enterprise's activity data for one month (DOMAIN §5), the same fields and
    plausible ranges wherever they are entered: monthly evidence and annual report lines."""

    # The activity fields, in the order forms, grids and copies use them.
    ACTIVITY_FIELDS: ClassVar[tuple[str, ...]] = (
        "fuel_consumption_t",
        "ncv_gj_per_t",
        "carbon_content_tc_per_gj",
        "purchased_mwh",
        "generation_mwh",
        "supply_mwh",
        "heat_gj",
    )

    fuel_consumption_t = models.DecimalField(
        _("fuel consumption (t)"),
        max_digits=14,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("10000000"))],
    )
    ncv_gj_per_t = models.DecimalField(
        _("net calorific value (GJ/t)"),
        max_digits=9,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("2")), MaxValueValidator(Decimal("60"))],
    )
    carbon_content_tc_per_gj = models.DecimalField(
        _("measured carbon content (tC/GJ)"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.005")), MaxValueValidator(Decimal("0.05"))],
        help_text=_("Empty when not measured: the year's default applies."),
    )
    purchased_mwh = models.DecimalField(
        _("purchased electricity (MWh)"),
        max_digits=15,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("10000000"))],
    )
    generation_mwh = models.DecimalField(
        _("generation (MWh)"),
        max_digits=15,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("10000000"))],
    )
    supply_mwh = models.DecimalField(
        _("power supplied (MWh)"),
        max_digits=15,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("10000000"))],
    )
    heat_gj = models.DecimalField(
        _("heat supplied (GJ)"),
        max_digits=15,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("100000000"))],
    )

    class Meta:
        abstract = True

    def activity_problems(self) -> dict[str, str]:
        """Field-keyed messages for data that contradict each other."""
        if (
            self.supply_mwh is not None
            and self.generation_mwh is not None
            and self.supply_mwh > self.generation_mwh
        ):
            return {"supply_mwh": str(_("Power supplied cannot exceed generation."))}
        return {}
