"""Assistance to enterprises (DOMAIN §1, measure 2): on-site and remote visits with their
follow-ups, "double random, one public" spot-check draws, trainings and annual targets."""

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from baotou_carbon.accounts.roles import BUREAU_ROLES
from baotou_carbon.core.checkpoints import Checkpoint, checkpoint_labels
from baotou_carbon.core.files import StoredFile, stored_file_upload_to
from baotou_carbon.core.workflow import StatusChange
from baotou_carbon.core.years import YEAR_VALIDATORS
from enterprises.models import Enterprise

BUREAU_USERS = {"role__in": sorted(BUREAU_ROLES)}


def validate_checkpoints(value) -> None:
    """A topic list: a JSON list of distinct checkpoint values."""
    if not isinstance(value, list):
        raise ValidationError(_("Topics must be a list."), code="topics_type")
    unknown = [v for v in value if v not in Checkpoint.values]
    if unknown:
        raise ValidationError(
            _("Unknown topic: %(value)s."),
            code="topics_unknown",
            params={"value": ", ".join(map(str, unknown))},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("A topic is listed twice."), code="topics_duplicate")


class Mode(models.TextChoices):
    ON_SITE = "on_site", _("On-site")
    REMOTE = "remote", _("Remote")


class Occasion(models.TextChoices):
    """Why the visit happened: the occasions the bureau's assistance rode on (DOMAIN §1)."""

    NATIONAL_SUPERVISION = "national_supervision", _("National supervision and assistance")
    REGIONAL_SPECIAL = "regional_special", _("Autonomous-region special assistance")
    DOUBLE_RANDOM = "double_random", _('"Double random, one public" inspection')
    VERIFICATION = "verification", _("Verification")
    ENTERPRISE_REQUEST = "enterprise_request", _("Enterprise request")
    OTHER = "other", _("Other")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Visit(models.Model):
    """One assistance session: on site or remote, with one or more enterprises."""

    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.ON_SITE)
    status = models.CharField(
        _("status"), max_length=16, choices=VisitStatus.choices, default=VisitStatus.DONE
    )
    started_at = models.DateTimeField(_("date and time"), db_index=True)
    occasion = models.CharField(_("occasion"), max_length=32, choices=Occasion.choices)
    enterprises = models.ManyToManyField(
        Enterprise, related_name="assistance_visits", verbose_name=_("enterprises")
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="assistance_visits",
        verbose_name=_("staff"),
        limit_choices_to=BUREAU_USERS,
    )
    topics = models.JSONField(
        _("topics"), default=list, blank=True, validators=[validate_checkpoints]
    )
    problems = models.TextField(_("problems found"), blank=True)
    advice = models.TextField(_("advice given"), blank=True)
    draw = models.ForeignKey(
        "Draw",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("spot-check draw"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assistance visit")
        verbose_name_plural = _("assistance visits")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["status", "mode", "started_at"], name="visit_progress")]
        constraints = [
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="visit_mode_valid"),
            models.CheckConstraint(
                condition=Q(status__in=VisitStatus.values), name="visit_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(occasion__in=Occasion.values), name="visit_occasion_valid"
            ),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.started_at) if self.started_at else None
        return f"{self.get_mode_display()} {when:%Y-%m-%d %H:%M}" if when else str(_("visit"))

    def get_absolute_url(self) -> str:
        return reverse("assistance:visit_detail", args=[self.pk])

    def clean(self) -> None:
        if self.status == VisitStatus.DONE and self.started_at and self.started_at > timezone.now():
            raise ValidationError(
                {"started_at": _("A visit that took place cannot be in the future.")},
                code="visit_in_future",
            )

    @property
    def topic_labels(self) -> list[str]:
        return checkpoint_labels(self.topics)


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered by the enterprise")
    CONFIRMED = "confirmed", _("Confirmed by the enterprise")
    CLOSED = "closed", _("Closed")


class FollowUp(models.Model):
    """An action agreed during a visit, owed by one of the visited enterprises."""

    # Allowed steps (from, to): the enterprise confirms, or answers (again); staff close or
    # reopen.
    TRANSITIONS: ClassVar[frozenset[tuple[str, str]]] = frozenset(
        {
            (FollowUpStatus.OPEN, FollowUpStatus.CONFIRMED),
            (FollowUpStatus.OPEN, FollowUpStatus.ANSWERED),
            (FollowUpStatus.ANSWERED, FollowUpStatus.ANSWERED),
            (FollowUpStatus.OPEN, FollowUpStatus.CLOSED),
            (FollowUpStatus.ANSWERED, FollowUpStatus.CLOSED),
            (FollowUpStatus.CONFIRMED, FollowUpStatus.CLOSED),
            (FollowUpStatus.ANSWERED, FollowUpStatus.OPEN),
            (FollowUpStatus.CONFIRMED, FollowUpStatus.OPEN),
            (FollowUpStatus.CLOSED, FollowUpStatus.OPEN),
        }
    )
    STATUS_CHANGES: ClassVar[str] = "status_changes"

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("visit")
    )
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="assistance_follow_ups",
        verbose_name=_("enterprise"),
    )
    action = models.TextField(_("action"))
    owner = models.CharField(
        _("owner"), max_length=100, help_text=_("The person responsible for the action.")
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    answer = models.TextField(_("enterprise's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # An error in the enterprise's data the follow-up corrected, in tonnes of allowances, and
    # the compliance year it counts for: the assistance measure's gain (DOMAIN §1).
    corrected_year = models.PositiveSmallIntegerField(
        _("corrected data year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    corrected_t = models.DecimalField(
        _("allowances corrected (t)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("-1000000000")),
            MaxValueValidator(Decimal("1000000000")),
        ],
        help_text=_("The allowance gain (t) the corrected error brought; negative if it cost."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="followup_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FollowUpStatus.values), name="followup_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=FollowUpStatus.CLOSED) | Q(closed_at__isnull=False),
                name="followup_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(corrected_t__isnull=True, corrected_year__isnull=True)
                | Q(corrected_t__isnull=False, corrected_year__isnull=False),
                name="followup_correction_has_year",
            ),
        ]

    def __str__(self) -> str:
        return self.action[:60]

    def clean(self) -> None:
        if self.visit_id and self.enterprise_id and self.visit.pk:
            visited = set(self.visit.enterprises.values_list("pk", flat=True))
            if visited and self.enterprise_id not in visited:
                raise ValidationError(
                    {"enterprise": _("The follow-up must be owed by a visited enterprise.")},
                    code="followup_enterprise_not_visited",
                )


class FollowUpStatusChange(StatusChange):
    """One step of a follow-up: who confirmed, answered, closed or reopened it, and why."""

    follow_up = models.ForeignKey(
        FollowUp,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("follow-up action"),
    )
    from_status = models.CharField(
        _("from"), max_length=16, choices=FollowUpStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=FollowUpStatus.choices)

    history = HistoricalRecords()

    class Meta(StatusChange.Meta):
        verbose_name = _("follow-up step")
        verbose_name_plural = _("follow-up steps")


# What a visit's or a training's file may be: the forms and the services check each upload.
UPLOAD_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "xlsx", "docx")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# The other refusals are worded by core.files.UPLOAD_MESSAGES, which took them from here.
UPLOAD_MESSAGES = {
    "file_type": _(
        "%(name)s: only PDF, JPEG, PNG, Excel (.xlsx) and Word (.docx) files are accepted."
    ),
}

_upload_to = stored_file_upload_to  # named by migration 0001


class VisitFile(StoredFile):
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="files", verbose_name=_("visit")
    )

    folder = "assistance/visits"
    history = HistoricalRecords()

    class Meta(StoredFile.Meta):
        verbose_name = _("visit photo or file")
        verbose_name_plural = _("visit photos and files")


# Spot-check draws -------------------------------------------------------------------------


class Draw(models.Model):
    """A "double random, one public" draw (DOMAIN §6): enterprises drawn from a filtered pool,
    an inspection team drawn from a staff pool for each, published to every user.

    The seed and both pools are stored, so anyone can recompute the result; a redraw is a new
    row that `supersedes` this one, with a reason, and this one stays visible."""

    title = models.CharField(_("title"), max_length=200)
    pool_filter = models.JSONField(
        _("enterprise pool filter"),
        default=dict,
        blank=True,
        help_text=_("The registry filter that defined the enterprise pool."),
    )
    enterprise_pool = models.JSONField(_("enterprise pool (ids)"), default=list)
    inspector_pool = models.JSONField(_("inspector pool (ids)"), default=list)
    enterprise_count = models.PositiveSmallIntegerField(
        _("enterprises to draw"), validators=[MinValueValidator(1)]
    )
    inspectors_per_enterprise = models.PositiveSmallIntegerField(
        _("inspectors per enterprise"), validators=[MinValueValidator(1)], default=2
    )
    seed = models.CharField(
        _("seed"),
        max_length=20,
        help_text=_("The random seed; the same seed and pools give the same result."),
    )
    drawn_enterprises = models.JSONField(_("drawn enterprises (ids)"), default=list)
    teams = models.JSONField(
        _("inspection teams"), default=dict, help_text=_("Enterprise id → inspector ids.")
    )
    planned_on = models.DateField(_("planned inspection date"))
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    reason = models.TextField(_("reason for the redraw"), blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drawn by"),
    )
    drawn_at = models.DateTimeField(_("drawn at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("spot-check draw")
        verbose_name_plural = _("spot-check draws")
        ordering = ["-drawn_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(reason=""),
                name="draw_redraw_has_reason",
                violation_error_message=_("A redraw needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assistance:draw_detail", args=[self.pk])


# Trainings ---------------------------------------------------------------------------------


class TrainingMode(models.TextChoices):
    ON_SITE = "on_site", _("On-site")
    ONLINE = "online", _("Online")


class TrainingTopic(models.Model):
    """A training subject; seeded with the three of DOMAIN §1, extended by staff."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training topic")
        verbose_name_plural = _("training topics")
        ordering = ["pk"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name_zh


class Training(models.Model):
    title = models.CharField(_("title"), max_length=200)
    mode = models.CharField(_("mode"), max_length=16, choices=TrainingMode.choices)
    held_on = models.DateField(_("date"), db_index=True)
    location = models.CharField(
        _("place or link"), max_length=300, blank=True, help_text=_("Venue, or the meeting link.")
    )
    experts = models.TextField(_("experts"), help_text=_("One expert per line."))
    topics = models.ManyToManyField(
        TrainingTopic, related_name="trainings", verbose_name=_("topics")
    )
    invited = models.ManyToManyField(  # type: ignore[var-annotated]
        Enterprise,
        through="Invitation",
        related_name="assistance_trainings",
        verbose_name=_("invited enterprises"),
    )
    feedback = models.TextField(
        _("feedback"), blank=True, help_text=_("What participants said; what to improve.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mode__in=TrainingMode.values), name="training_mode_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assistance:training_detail", args=[self.pk])

    @property
    def expert_list(self) -> list[str]:
        return [line.strip() for line in self.experts.splitlines() if line.strip()]


class Invitation(models.Model):
    training = models.ForeignKey(
        Training, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("training")
    )
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="training_invitations",
        verbose_name=_("enterprise"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["enterprise__name_zh", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "enterprise"], name="invitation_unique_enterprise"
            ),
        ]

    def __str__(self) -> str:
        # Without a query: history pages label many invitations at once.
        if Invitation.enterprise.is_cached(self):
            return str(self.enterprise)
        return _("enterprise #%(id)s") % {"id": self.enterprise_id}


class Attendee(models.Model):
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("invitation")
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.CharField(_("position"), max_length=100, blank=True)
    attended = models.BooleanField(_("attended"), default=True)
    rating = models.PositiveSmallIntegerField(
        _("rating (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["invitation", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="attendee_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TrainingFile(StoredFile):
    training = models.ForeignKey(
        Training, on_delete=models.CASCADE, related_name="files", verbose_name=_("training")
    )

    folder = "assistance/trainings"
    history = HistoricalRecords()

    class Meta(StoredFile.Meta):
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")


# Targets -----------------------------------------------------------------------------------


class Measure(models.TextChoices):
    ON_SITE_VISITS = "on_site_visits", _("On-site assistance visits")
    REMOTE_SESSIONS = "remote_sessions", _("Remote guidance sessions")
    ON_SITE_TRAININGS = "on_site_trainings", _("On-site trainings")
    ONLINE_TRAININGS = "online_trainings", _("Online trainings")


class Target(models.Model):
    """The bureau's annual target for one assistance measure."""

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    measure = models.CharField(_("measure"), max_length=32, choices=Measure.choices)
    target = models.PositiveIntegerField(_("target"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assistance target")
        verbose_name_plural = _("assistance targets")
        ordering = ["-year", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["year", "measure"], name="target_unique_year_measure"),
            models.CheckConstraint(
                condition=Q(measure__in=Measure.values), name="target_measure_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_measure_display()}: {self.target}"
