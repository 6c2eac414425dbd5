"""Verification: year-dependent accounting parameters, verification cases with their checklist,
findings, objection and allowance gain, and the working-day calendar behind the deadlines."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from baotou_carbon.core.checkpoints import Checkpoint
from enterprises.models import Enterprise, Fuel, VerificationAgency


def in_active_language(zh: str, en: str) -> str:
    """The English text when the page is in English and it is set, else the Chinese."""
    if en and (get_language() or "").startswith("en"):
        return en
    return zh


YEAR_VALIDATORS = [MinValueValidator(2013), MaxValueValidator(2100)]


class SourceStatus(models.TextChoices):
    """How sure we are of a number (DOMAIN's [V] / [S] / [?] marks)."""

    VERIFIED = "V", _("V — seen in an official text")
    SECONDARY = "S", _("S — reputable secondary material")
    UNCONFIRMED = "?", _("? — not confirmed")


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


# Verification cases ----------------------------------------------------------------------


class CaseStatus(models.TextChoices):
    """The guideline's steps (DOMAIN §6), then notification, objection and archiving."""

    ARRANGED = "arranged", _("Arranged")
    WORKING_GROUP = "working_group", _("Technical working group formed")
    DOCUMENT_REVIEW = "document_review", _("Document review")
    ONSITE_TEAM = "onsite_team", _("On-site team formed")
    ONSITE = "onsite", _("On-site verification")
    CONCLUDED = "concluded", _("Conclusion drawn")
    NOTIFIED = "notified", _("Enterprise notified")
    OBJECTED = "objected", _("Objection lodged")
    RE_REVIEWED = "re_reviewed", _("Re-review decided")
    ARCHIVED = "archived", _("Records kept (closed)")


class Actor(models.TextChoices):
    """Who may take a step; a user's role maps to one (see permissions.actor_kind)."""

    STAFF = "staff", _("Bureau staff")
    MANAGER = "manager", _("Bureau manager")
    AGENCY = "agency", _("Verification agency")
    ENTERPRISE = "enterprise", _("Enterprise")


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    label: str | Promise
    actors: frozenset[str]
    # Steps with their own form (objection, re-review) are not offered as a plain button.
    dedicated: bool = False


_S = CaseStatus
_WORKERS = frozenset({Actor.STAFF, Actor.AGENCY})

# The only allowed steps. Anything else is refused by services.case_transition.
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.target): t
    for t in [
        Transition(_S.ARRANGED, _S.WORKING_GROUP, _("Form the technical working group"), _WORKERS),
        Transition(_S.WORKING_GROUP, _S.DOCUMENT_REVIEW, _("Start document review"), _WORKERS),
        Transition(_S.DOCUMENT_REVIEW, _S.ONSITE_TEAM, _("Form the on-site team"), _WORKERS),
        Transition(_S.ONSITE_TEAM, _S.ONSITE, _("Start on-site verification"), _WORKERS),
        Transition(_S.ONSITE, _S.CONCLUDED, _("Draw the verification conclusion"), _WORKERS),
        Transition(_S.CONCLUDED, _S.ONSITE, _("Reopen on-site verification"), _WORKERS),
        Transition(_S.CONCLUDED, _S.NOTIFIED, _("Notify the enterprise"), frozenset({Actor.STAFF})),
        Transition(
            _S.NOTIFIED,
            _S.OBJECTED,
            _("Lodge an objection"),
            frozenset({Actor.ENTERPRISE}),
            dedicated=True,
        ),
        Transition(
            _S.OBJECTED,
            _S.RE_REVIEWED,
            _("Decide the re-review"),
            frozenset({Actor.STAFF, Actor.MANAGER}),
            dedicated=True,
        ),
        Transition(_S.NOTIFIED, _S.ARCHIVED, _("Close and keep records"), frozenset({Actor.STAFF})),
        Transition(
            _S.RE_REVIEWED, _S.ARCHIVED, _("Close and keep records"), frozenset({Actor.STAFF})
        ),
    ]
}


class VerificationCase(models.Model):
    """The verification of one enterprise's data for one reporting year by one agency."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="verification_cases",
        verbose_name=_("enterprise"),
    )
    year = models.PositiveSmallIntegerField(_("reporting year"), validators=YEAR_VALIDATORS)
    agency = models.ForeignKey(
        VerificationAgency,
        on_delete=models.PROTECT,
        related_name="verification_cases",
        verbose_name=_("verification agency"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.ARRANGED
    )
    reported_emissions_t = models.DecimalField(
        _("reported emissions (t)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    verified_emissions_t = models.DecimalField(
        _("verified emissions (t)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Before conservative estimates for unrectified findings."),
    )
    allocation_before_t = models.DecimalField(
        _("allocation before verification (t)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    allocation_after_t = models.DecimalField(
        _("allocation after verification (t)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    conclusion = models.TextField(_("verification conclusion"), blank=True)
    notified_on = models.DateField(_("enterprise notified on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verification case")
        verbose_name_plural = _("verification cases")
        ordering = ["-year", "enterprise__name_zh"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="case_unique_enterprise_year",
                violation_error_message=_("This enterprise already has a case for that year."),
            ),
            models.CheckConstraint(
                condition=Q(notified_on__isnull=True)
                | Q(status__in=["notified", "objected", "re_reviewed", "archived"]),
                name="case_notified_on_only_after_notification",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status"], name="case_agency_status")]

    def __str__(self) -> str:
        # The enterprise only when already loaded: history pages list many rows.
        if type(self).enterprise.is_cached(self):
            return f"{self.enterprise} · {self.year}"
        return str(self.year)

    def get_absolute_url(self) -> str:
        return reverse("verification:case_detail", args=[self.pk])


class CaseTransition(models.Model):
    """One step of a case's workflow: who moved it from which status to which, and why."""

    case = models.ForeignKey(
        VerificationCase,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("case"),
    )
    from_status = models.CharField(_("from"), max_length=20, choices=CaseStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=CaseStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case transition")
        verbose_name_plural = _("case transitions")
        ordering = ["case", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ItemResult(models.TextChoices):
    PENDING = "pending", _("Not yet checked")
    CONFORMING = "conforming", _("Conforming")
    NON_CONFORMITY = "non_conformity", _("Non-conformity")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ChecklistItem(models.Model):
    """A checkpoint of one case, copied from the template when the case was opened."""

    case = models.ForeignKey(
        VerificationCase,
        on_delete=models.CASCADE,
        related_name="checklist_items",
        verbose_name=_("case"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    checkpoint = models.CharField(_("checkpoint"), max_length=40, choices=Checkpoint.choices)
    title_zh = models.CharField(_("point to check (Chinese)"), max_length=300)
    title_en = models.CharField(_("point to check (English)"), max_length=300, blank=True)
    guidance = models.TextField(_("guidance"), blank=True)
    result = models.CharField(
        _("result"), max_length=20, choices=ItemResult.choices, default=ItemResult.PENDING
    )
    notes = models.TextField(_("notes"), blank=True)
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        help_text=_("Documents seen, records sampled, photos taken: what supports the result."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["case", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="checklist_unique_position"),
        ]

    def __str__(self) -> str:
        return self.title_zh

    @property
    def title(self) -> str:
        return in_active_language(self.title_zh, self.title_en)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.result == ItemResult.NON_CONFORMITY and not self.notes.strip():
            raise ValidationError({"notes": _("Describe the non-conformity.")})


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered by the enterprise")
    RECTIFIED = "rectified", _("Rectified")
    UNRECTIFIED = "unrectified", _("Not rectified: estimated conservatively")


class Finding(models.Model):
    case = models.ForeignKey(
        VerificationCase,
        on_delete=models.CASCADE,
        related_name="findings",
        verbose_name=_("case"),
    )
    checklist_item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("checklist item"),
    )
    description = models.TextField(_("finding"))
    rectification_deadline = models.DateField(_("rectify by"))
    status = models.CharField(
        _("status"), max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    enterprise_response = models.TextField(_("enterprise's answer"), blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    conservative_estimate_t = models.DecimalField(
        _("conservative estimate (t added)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Emissions added to the verified figure because the finding stays open."),
    )
    estimate_basis = models.TextField(_("basis of the estimate"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["case", "rectification_deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="unrectified") | Q(conservative_estimate_t__isnull=False),
                name="finding_unrectified_has_estimate",
                violation_error_message=_(
                    "A finding left unrectified needs a conservative estimate."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.status == FindingStatus.UNRECTIFIED:
            errors = {}
            if self.conservative_estimate_t is None:
                errors["conservative_estimate_t"] = _(
                    "A finding left unrectified needs a conservative estimate."
                )
            if not self.estimate_basis.strip():
                errors["estimate_basis"] = _("Say how the conservative estimate was made.")
            if errors:
                raise ValidationError(errors)
        if (
            self.checklist_item_id and self.case_id and self.checklist_item.case_id != self.case_id  # type: ignore[union-attr]
        ):
            raise ValidationError({"checklist_item": _("That item belongs to another case.")})


class GainCause(models.TextChoices):
    MEASURED_CARBON = "measured_carbon", _("Measured carbon content replacing the default")
    ACTIVITY_DATA = "activity_data", _("Corrected activity data")
    UNIT_CLASSIFICATION = "unit_classification", _("Unit classification")
    HEAT_DATA = "heat_data", _("Heat data")
    OTHER = "other", _("Other")


class GainComponent(models.Model):
    """The part of a case's allowance gain attributed to one cause."""

    case = models.ForeignKey(
        VerificationCase,
        on_delete=models.CASCADE,
        related_name="gain_components",
        verbose_name=_("case"),
    )
    cause = models.CharField(_("cause"), max_length=32, choices=GainCause.choices)
    allocation_change_t = models.DecimalField(
        _("allocation change (t)"),
        max_digits=14,
        decimal_places=3,
        default=Decimal(0),
        help_text=_("Allocation after − before."),
    )
    emissions_change_t = models.DecimalField(
        _("emissions change (t)"),
        max_digits=14,
        decimal_places=3,
        default=Decimal(0),
        help_text=_("Emissions before − after: a fall in emissions is positive."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("allowance gain component")
        verbose_name_plural = _("allowance gain components")
        ordering = ["case", "cause", "pk"]

    def __str__(self) -> str:
        return f"{self.get_cause_display()}: {self.allocation_change_t + self.emissions_change_t}"


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld: conclusion corrected")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    REJECTED = "rejected", _("Rejected: conclusion stands")


class Objection(models.Model):
    """The enterprise's objection to the conclusion and the authority's re-review decision."""

    case = models.OneToOneField(
        VerificationCase,
        on_delete=models.CASCADE,
        related_name="objection",
        verbose_name=_("case"),
    )
    lodged_on = models.DateField(_("lodged on"))
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lodged by"),
    )
    grounds = models.TextField(_("grounds"))
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ObjectionOutcome.choices, blank=True
    )
    decision = models.TextField(_("re-review decision"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="", decided_on__isnull=True)
                | (~Q(outcome="") & Q(decided_on__isnull=False)),
                name="objection_decided_together",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Objection of %(date)s") % {"date": f"{self.lodged_on:%Y-%m-%d}"})


# Monthly evidence storage (月度信息化存证) --------------------------------------------------


class EvidenceStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted")


MONTH_VALIDATORS = [MinValueValidator(1), MaxValueValidator(12)]


class MonthlyActivityData(models.Model):
    """A unit's or an enterprise's activity data for one month (DOMAIN §5), the same fields and
    plausible ranges wherever they are entered: monthly evidence and annual report lines."""

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


class EvidenceSubmission(MonthlyActivityData):
    """One enterprise's monthly evidence: that month's data and its supporting files."""

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
        from django.core.exceptions import ValidationError

        from .calculations import month_end

        errors = self.activity_problems()
        if self.operating_hours is not None and self.year and self.month in range(1, 13):
            hours = month_end(self.year, self.month).day * 24
            if self.operating_hours > hours:
                errors["operating_hours"] = str(
                    _("This month has only %(hours)s hours.") % {"hours": hours}
                )
        if errors:
            raise ValidationError(errors)


def evidence_upload_to(instance: "EvidenceFile", filename: str) -> str:
    """Under MEDIA_ROOT (never static); the stored name is the hash, the original is kept."""
    submission = instance.submission
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return (
        f"evidence/{submission.enterprise_id}/{submission.year}/{submission.month:02d}/"
        f"{instance.sha256[:16]}.{suffix}"
    )


class EvidenceFile(models.Model):
    submission = models.ForeignKey(
        EvidenceSubmission,
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=_("submission"),
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("type"), max_length=10)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("same file as"),
        help_text=_("The same file (same SHA-256) was already submitted for another month."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["submission", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class EvidenceTransition(models.Model):
    """One step of a month's evidence: submitted, returned with a comment, accepted."""

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
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence step")
        verbose_name_plural = _("evidence steps")
        ordering = ["submission", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


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


# Annual emission reports -----------------------------------------------------------------


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned with comments")
    ACCEPTED = "accepted", _("Accepted")


# Allowed steps of a report version; a returned version is revised into a new version.
REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.DRAFT: frozenset({ReportStatus.SUBMITTED}),
    ReportStatus.SUBMITTED: frozenset({ReportStatus.RETURNED, ReportStatus.ACCEPTED}),
    ReportStatus.RETURNED: frozenset(),
    ReportStatus.ACCEPTED: frozenset(),
}


class AnnualReport(models.Model):
    """One version of an enterprise's annual emission report (due 31 March, DOMAIN §5)."""

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
                condition=Q(status__in=["draft", "submitted", "accepted"]),
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
        from django.core.exceptions import ValidationError

        if problems := self.activity_problems():
            raise ValidationError(problems)


class ReportStep(models.Model):
    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="steps", verbose_name=_("report")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ReportStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report step")
        verbose_name_plural = _("report steps")
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
