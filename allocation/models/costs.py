"""Compliance costs (DOMAIN §1) and what the bureau's measures saved, in yuan.

- `CostEntry`: the append-only ledger of an enterprise's compliance costs per year. An entry is
  never edited: a mistake is corrected by a reversing entry (`reverses`), which carries the
  opposite amount. Allowances sold are revenue, so their amount is negative.
- `CarbonPrice`: the CEA price series (closes and published averages), each with its source
  and confidence; `YearValuation`: the date staff chose to value a year at, when not the
  default (the close on the last trading day before that year's surrender deadline).
- `SavingsFigure` and `ComplianceCost`: the snapshot the recompute writes — never typed — per
  enterprise and year, stamped with when and from which inputs. `SavingsRun`: one recompute,
  with its progress for the manager who started it.
"""

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from baotou_carbon.core.files import StoredFile
from baotou_carbon.core.sources import SourceStatus
from baotou_carbon.core.years import YEAR_VALIDATORS
from enterprises.models import Enterprise

# A ledger amount: up to a trillion yuan either way, to the fen.
MAX_AMOUNT = Decimal("999999999999.99")


class CostCategory(models.TextChoices):
    """The compliance cost's terms (DOMAIN §1), as the bureau's records name them."""

    ENERGY_CONSERVATION = "energy_conservation", _("Emission reduction: energy conservation")
    TECHNICAL_TRANSFORMATION = (
        "technical_transformation",
        _("Emission reduction: technical transformation"),
    )
    ALLOWANCES_BOUGHT = "allowances_bought", _("Allowances bought")
    ALLOWANCES_SOLD = "allowances_sold", _("Allowances sold (revenue)")
    FINES = "fines", _("Fines")
    ASSET_MANAGEMENT = "asset_management", _("Carbon-asset management fees")
    VERIFICATION_CONSULTING = "verification_consulting", _("Verification and consulting fees")
    OTHER = "other", _("Other costs")


# Revenue lowers the cost: its entries are negative.
REVENUE_CATEGORIES = frozenset({CostCategory.ALLOWANCES_SOLD})
# The categories that trade allowances carry the tonnes traded.
TRADE_CATEGORIES = frozenset({CostCategory.ALLOWANCES_BOUGHT, CostCategory.ALLOWANCES_SOLD})


class CostEntry(models.Model):
    """One cost (or revenue) of an enterprise's compliance for a year; never edited."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="cost_entries",
        verbose_name=_("enterprise"),
    )
    year = models.PositiveSmallIntegerField(_("compliance year"), validators=YEAR_VALIDATORS)
    category = models.CharField(_("category"), max_length=32, choices=CostCategory.choices)
    amount_yuan = models.DecimalField(
        _("amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(-MAX_AMOUNT), MaxValueValidator(MAX_AMOUNT)],
        help_text=_("Revenue (allowances sold) is negative; a reversal carries the opposite sign."),
    )
    quantity_t = models.DecimalField(
        _("allowances traded (t)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    occurred_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=500)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cost entry")
        verbose_name_plural = _("cost entries")
        ordering = ["-year", "enterprise", "occurred_on", "pk"]
        indexes = [models.Index(fields=["year", "enterprise"], name="cost_entry_year_enterprise")]
        constraints = [
            models.CheckConstraint(condition=~Q(amount_yuan=0), name="cost_entry_amount_not_zero"),
            # An original entry's sign follows its category; a reversal's is the opposite of
            # what it reverses (checked by the service, which has both rows).
            models.CheckConstraint(
                condition=Q(reverses__isnull=False)
                | Q(category__in=sorted(REVENUE_CATEGORIES), amount_yuan__lt=0)
                | (~Q(category__in=sorted(REVENUE_CATEGORIES)) & Q(amount_yuan__gt=0)),
                name="cost_entry_sign_follows_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year} {self.get_category_display()} {self.amount_yuan}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class CostDocument(StoredFile):
    """An invoice, contract or receipt behind a cost entry."""

    entry = models.ForeignKey(
        CostEntry, on_delete=models.PROTECT, related_name="documents", verbose_name=_("entry")
    )

    folder = "costs"

    history = HistoricalRecords()

    class Meta(StoredFile.Meta):
        verbose_name = _("cost document")
        verbose_name_plural = _("cost documents")


class PriceKind(models.TextChoices):
    CLOSE = "close", _("Daily close")
    MONTHLY_AVERAGE = "monthly_average", _("Monthly average")
    ANNUAL_AVERAGE = "annual_average", _("Annual average")


class CarbonPrice(models.Model):
    """A published CEA price: a day's close, or a month's or year's average (dated on the
    period's first day)."""

    on = models.DateField(_("date"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=PriceKind.choices, default=PriceKind.CLOSE
    )
    yuan_per_t = models.DecimalField(
        _("price (yuan/t)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("10000"))],
    )
    status = models.CharField(
        _("confidence"),
        max_length=1,
        choices=SourceStatus.choices,
        default=SourceStatus.UNCONFIRMED,
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("carbon price")
        verbose_name_plural = _("carbon prices")
        ordering = ["-on", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["on", "kind"], name="carbon_price_one_per_day_kind"),
            models.CheckConstraint(condition=Q(yuan_per_t__gt=0), name="carbon_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()} {self.yuan_per_t}"


class YearValuation(models.Model):
    """The date a year's savings are valued at, when staff chose one (otherwise the close on
    the last trading day on or before the year's surrender deadline)."""

    year = models.PositiveSmallIntegerField(
        _("compliance year"), unique=True, validators=YEAR_VALIDATORS
    )
    price_on = models.DateField(
        _("value at the close of"),
        help_text=_("The close on this date, or the last trading day before it, is used."),
    )
    note = models.CharField(_("why"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("valuation date")
        verbose_name_plural = _("valuation dates")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.price_on}"


class Measure(models.TextChoices):
    """The bureau's measures whose allowance gains are valued (DOMAIN §1)."""

    VERIFICATION = "verification", _("Verification")
    CROSS_CHECK = "cross_check", _("Allocation cross-verification")
    RELIEF_ADVANCE = "relief_advance", _("Allowance advance")
    RELIEF_INDIVIDUAL = "relief_individual", _("Individual relief")
    ASSISTANCE = "assistance", _("Errors corrected through assistance")


# Allowances gained by making the data right, and relief the rules allow: the dashboard's
# headline "gains" are the former; relief is shown beside them, never added in.
GAIN_MEASURES = frozenset({Measure.VERIFICATION, Measure.CROSS_CHECK, Measure.ASSISTANCE})
RELIEF_MEASURES = frozenset({Measure.RELIEF_ADVANCE, Measure.RELIEF_INDIVIDUAL})


class SavingsFigure(models.Model):
    """Snapshot: one measure's allowance gain for an enterprise and year, and its value."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="+", verbose_name=_("enterprise")
    )
    year = models.PositiveSmallIntegerField(_("compliance year"))
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    gain_t = models.DecimalField(_("gain (t)"), max_digits=16, decimal_places=3)
    price_yuan_per_t = models.DecimalField(
        _("price (yuan/t)"), max_digits=8, decimal_places=2, null=True
    )
    price_on = models.DateField(_("price of"), null=True)
    savings_yuan = models.DecimalField(
        _("savings (yuan)"), max_digits=16, decimal_places=2, null=True
    )
    computed_at = models.DateTimeField(_("computed at"))
    inputs_digest = models.CharField(
        _("inputs (SHA-256)"),
        max_length=64,
        help_text=_("A digest of every input the recompute read, with the price it used."),
    )

    class Meta:
        verbose_name = _("savings figure")
        verbose_name_plural = _("savings figures")
        ordering = ["year", "enterprise", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "measure"], name="savings_figure_one_per_measure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year} {self.measure} {self.gain_t}"


class ComplianceCost(models.Model):
    """Snapshot: an enterprise's compliance cost for a year, by category (sums of its ledger),
    next to what the measures saved it."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="+", verbose_name=_("enterprise")
    )
    year = models.PositiveSmallIntegerField(_("compliance year"))
    by_category = models.JSONField(_("by category (yuan)"), default=dict)
    cost_yuan = models.DecimalField(_("compliance cost (yuan)"), max_digits=16, decimal_places=2)
    savings_yuan = models.DecimalField(_("savings (yuan)"), max_digits=16, decimal_places=2)
    computed_at = models.DateTimeField(_("computed at"))
    inputs_digest = models.CharField(_("inputs (SHA-256)"), max_length=64)

    class Meta:
        verbose_name = _("compliance cost")
        verbose_name_plural = _("compliance costs")
        ordering = ["year", "enterprise"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"], name="compliance_cost_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year} {self.cost_yuan}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped: another run was under way")
    FAILED = "failed", _("Failed")


class SavingsRun(models.Model):
    """One recompute of the savings snapshot: the years it covers, its progress and the inputs
    it read (a digest per year, so two runs over the same inputs are seen to agree)."""

    FINISHED: ClassVar[frozenset[str]] = frozenset(
        {RunStatus.DONE, RunStatus.SKIPPED, RunStatus.FAILED}
    )

    status = models.CharField(
        _("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    years = models.JSONField(_("years"), default=list)
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enterprise"),
        help_text=_("Empty for a bureau-wide run."),
    )
    steps_total = models.PositiveIntegerField(_("steps"), default=0)
    steps_done = models.PositiveIntegerField(_("steps done"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    inputs = models.JSONField(_("inputs"), default=dict)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("savings recompute")
        verbose_name_plural = _("savings recomputes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.pk} {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status == RunStatus.DONE or not self.steps_total:
            return 100 if self.finished else 0
        return min(100, self.steps_done * 100 // self.steps_total)
