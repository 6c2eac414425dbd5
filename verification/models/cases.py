"""Verification cases with their checklist, findings, objection and allowance gain."""

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from baotou_carbon.core.checkpoints import Checkpoint
from baotou_carbon.core.workflow import StatusChange
from enterprises.models import Enterprise, VerificationAgency

from .reference import YEAR_VALIDATORS, in_active_language

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

# The only allowed steps, keyed by (from, to). Anything else is refused by core.workflow.advance.
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


# While the agency is still working, the checklist, findings and figures may change.
WORKING_STATES = frozenset(
    {_S.ARRANGED, _S.WORKING_GROUP, _S.DOCUMENT_REVIEW, _S.ONSITE_TEAM, _S.ONSITE}
)


class VerificationCase(models.Model):
    """The verification of one enterprise's data for one reporting year by one agency."""

    TRANSITIONS: ClassVar[dict[tuple[str, str], Transition]] = TRANSITIONS
    STATUS_CHANGES: ClassVar[str] = "transitions"

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
                | Q(
                    status__in=[
                        CaseStatus.NOTIFIED,
                        CaseStatus.OBJECTED,
                        CaseStatus.RE_REVIEWED,
                        CaseStatus.ARCHIVED,
                    ]
                ),
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


class CaseTransition(StatusChange):
    """One step of a case's workflow: who moved it from which status to which, and why."""

    case = models.ForeignKey(
        VerificationCase,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("case"),
    )
    from_status = models.CharField(_("from"), max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=CaseStatus.choices)

    history = HistoricalRecords()

    class Meta(StatusChange.Meta):
        verbose_name = _("case transition")
        verbose_name_plural = _("case transitions")


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
                condition=~Q(status=FindingStatus.UNRECTIFIED)
                | Q(conservative_estimate_t__isnull=False),
                name="finding_unrectified_has_estimate",
                violation_error_message=_(
                    "A finding left unrectified needs a conservative estimate."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    def clean(self) -> None:
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
        return f"{self.get_cause_display()}: {self.gain_t}"

    @property
    def gain_t(self):
        """The tonnes this cause gains: its allocation change plus its emissions change."""
        return self.allocation_change_t + self.emissions_change_t


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
