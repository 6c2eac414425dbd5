"""The enterprise registry: key emitting enterprises, their facilities and generating units,
and the verification agencies that work for the bureau."""

import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from baotou_carbon.accounts.roles import Role
from baotou_carbon.core.years import YEAR_VALIDATORS

from .calculations import category_problems
from .validators import validate_uscc


class District(models.TextChoices):
    """Baotou's nine county-level districts; values are the GB/T 2260 region codes."""

    DONGHE = "150202", _("Donghe District")
    KUNDULUN = "150203", _("Kundulun District")
    QINGSHAN = "150204", _("Qingshan District")
    SHIGUAI = "150205", _("Shiguai District")
    BAIYUN_OBO = "150206", _("Bayan Obo Mining District")
    JIUYUAN = "150207", _("Jiuyuan District")
    TUMED_RIGHT = "150221", _("Tumed Right Banner")
    GUYANG = "150222", _("Guyang County")
    DARHAN_MUMINGGAN = "150223", _("Darhan Muminggan United Banner")


class Industry(models.TextChoices):
    """Sectors of the national ETS; captive power plants of other groups count as power."""

    POWER = "power", _("Power generation")
    STEEL = "steel", _("Iron and steel")
    ALUMINIUM = "aluminium", _("Aluminium smelting")
    CEMENT = "cement", _("Cement")
    CHEMICALS = "chemicals", _("Chemicals")
    PETROCHEMICALS = "petrochemicals", _("Petrochemicals")
    NONFERROUS = "nonferrous", _("Other non-ferrous metals")
    MINING = "mining", _("Mining and mineral processing")
    RARE_EARTH = "rare_earth", _("Rare earths")
    BUILDING_MATERIALS = "building_materials", _("Building materials")
    OTHER = "other", _("Other")


class Enterprise(models.Model):
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        help_text=_("18 characters, GB 32100-2015, including the check character."),
    )
    district = models.CharField(_("district"), max_length=6, choices=District.choices)
    industry = models.CharField(_("industry"), max_length=32, choices=Industry.choices)
    registry_account = models.CharField(
        _("national registry account"),
        max_length=64,
        blank=True,
        help_text=_("Account number in the national carbon emission allowance registry."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name_zh"]
        indexes = [
            models.Index(fields=["district", "industry"], name="enterprise_district_industry")
        ]

    def __str__(self) -> str:
        return self.name_zh

    def save(self, *args, **kwargs):
        self.uscc = self.uscc.strip().upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("enterprises:detail", args=[self.pk])

    def clean(self) -> None:
        # Before validate_unique(), so "91…l" and "91…L" are one code.
        self.uscc = (self.uscc or "").strip().upper()


class KeyEmitterListing(models.Model):
    """An enterprise's inclusion in the key emitting enterprise list of one year."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="listings", verbose_name=_("enterprise")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    sector = models.CharField(_("covered sector"), max_length=32, choices=Industry.choices)
    reference = models.CharField(
        _("list reference"),
        max_length=200,
        blank=True,
        help_text=_("The notice that published the list, e.g. its document number."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("key emitter listing")
        verbose_name_plural = _("key emitter listings")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"], name="listing_unique_enterprise_year"
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class Contact(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("enterprise")
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(is_primary=True),
                name="contact_one_primary_per_enterprise",
                violation_error_message=_("This enterprise already has a primary contact."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FacilityKind(models.TextChoices):
    CAPTIVE_POWER = "captive_power", _("Captive power plant")
    PUBLIC_POWER = "public_power", _("Public power plant")
    HEATING = "heating", _("Heating plant")
    PRODUCTION = "production", _("Production plant")


class Facility(models.Model):
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="facilities",
        verbose_name=_("enterprise"),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=FacilityKind.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["name_zh"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "name_zh"], name="facility_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name_zh


class AllocationCategory(models.TextChoices):
    """Unit categories of the power-sector allocation plan (DOMAIN §4)."""

    COAL_ABOVE_300 = "coal_above_300", _("Conventional coal, above 300 MW")
    COAL_300_AND_BELOW = "coal_300_and_below", _("Conventional coal, 300 MW and below")
    UNCONVENTIONAL_COAL = "unconventional_coal", _("Unconventional coal")
    GAS = "gas", _("Natural gas")


class Cooling(models.TextChoices):
    WATER = "water", _("Water-cooled")
    AIR = "air", _("Air-cooled")
    BACK_PRESSURE = "back_pressure", _("Back-pressure")


class OperatingMode(models.TextChoices):
    CONDENSING = "condensing", _("Condensing")
    CHP = "chp", _("Combined heat and power")


class Fuel(models.TextChoices):
    COAL = "coal", _("Coal")
    COAL_GANGUE = "coal_gangue", _("Coal gangue")
    COAL_SLIME = "coal_slime", _("Coal slime")
    COAL_WATER_SLURRY = "coal_water_slurry", _("Coal-water slurry")
    NATURAL_GAS = "natural_gas", _("Natural gas")


class GeneratingUnit(models.Model):
    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="units", verbose_name=_("facility")
    )
    code = models.CharField(_("unit code"), max_length=50, help_text=_("E.g. #1 or 1号机组."))
    allocation_category = models.CharField(
        _("allocation category"), max_length=32, choices=AllocationCategory.choices
    )
    capacity_mw = models.DecimalField(
        _("capacity (MW)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("2000"))],
    )
    cooling = models.CharField(_("cooling"), max_length=20, choices=Cooling.choices)
    operating_mode = models.CharField(
        _("operating mode"), max_length=20, choices=OperatingMode.choices
    )
    main_fuel = models.CharField(_("main fuel"), max_length=32, choices=Fuel.choices)
    is_cfb = models.BooleanField(
        _("circulating fluidised bed"),
        default=False,
        help_text=_("Whether CFB units count as unconventional coal is not confirmed; record it."),
    )
    commissioned_on = models.DateField(_("commissioned on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("generating unit")
        verbose_name_plural = _("generating units")
        ordering = ["facility__name_zh", "code"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "code"], name="unit_unique_code"),
            models.CheckConstraint(condition=Q(capacity_mw__gt=0), name="unit_capacity_positive"),
            # Exactly 300 MW belongs to "300 MW and below" (DOMAIN §4).
            models.CheckConstraint(
                condition=~Q(allocation_category="coal_above_300") | Q(capacity_mw__gt=300),
                name="unit_above_300_capacity",
            ),
            models.CheckConstraint(
                condition=~Q(allocation_category="coal_300_and_below") | Q(capacity_mw__lte=300),
                name="unit_300_and_below_capacity",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        problems = category_problems(
            category=self.allocation_category,
            capacity_mw=self.capacity_mw,
            fuel=self.main_fuel,
        )
        if problems:
            raise ValidationError(problems)


class VerificationAgency(models.Model):
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verification agency")
        verbose_name_plural = _("verification agencies")
        ordering = ["name_zh"]

    def __str__(self) -> str:
        return self.name_zh

    def save(self, *args, **kwargs):
        self.uscc = self.uscc.strip().upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("enterprises:agency_detail", args=[self.pk])

    def clean(self) -> None:
        # Before validate_unique(), so "91…l" and "91…L" are one code.
        self.uscc = (self.uscc or "").strip().upper()


# API tokens ---------------------------------------------------------------------------------


def api_key_digest(key: str) -> str:
    """What is stored of an API key: its SHA-256, hex. The key itself is shown once."""
    return hashlib.sha256(key.encode()).hexdigest()


class EnterpriseApiToken(models.Model):
    """A key an enterprise's own systems use to call the API (`Authorization: Token <key>`),
    acting as one of the enterprise's users: every write made with it is that user's."""

    PREFIX_LENGTH = 8

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("enterprise"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("acts as"),
        help_text=_("The enterprise user the token acts as: it is named in the history."),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What uses the token, e.g. the DCS data bridge.")
    )
    prefix = models.CharField(_("key prefix"), max_length=PREFIX_LENGTH)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["key_hash", "last_used_at"])

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "name"],
                condition=Q(revoked_at__isnull=True),
                name="api_token_unique_active_name",
                violation_error_message=_("A token of this enterprise already has this name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def clean(self) -> None:
        # Checked when the token is issued; a user moved or deactivated later makes the token
        # refused at authentication, and it can still be revoked.
        user = self.user if self.user_id and self._state.adding else None
        if user is not None and (
            user.role != Role.ENTERPRISE
            or user.enterprise_id != self.enterprise_id
            or not user.is_active
        ):
            raise ValidationError(
                {"user": _("A token acts as an active user of its own enterprise.")},
                code="foreign_user",
            )
