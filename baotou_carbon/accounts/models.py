from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.models import District

from .roles import Role


class BureauUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person using the system. The role decides what they see; enterprise, agency and
    district users are bound to exactly one enterprise, agency or district."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("enterprise"),
    )
    agency = models.ForeignKey(
        "enterprises.VerificationAgency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("verification agency"),
    )
    district = models.CharField(_("district"), max_length=6, choices=District.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects: ClassVar[BureauUserManager] = BureauUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role=Role.ENTERPRISE) & Q(enterprise__isnull=False))
                | (~Q(role=Role.ENTERPRISE) & Q(enterprise__isnull=True)),
                name="user_enterprise_iff_enterprise_role",
                violation_error_message=_("An enterprise user is bound to exactly one enterprise."),
            ),
            models.CheckConstraint(
                condition=(Q(role=Role.AGENCY) & Q(agency__isnull=False))
                | (~Q(role=Role.AGENCY) & Q(agency__isnull=True)),
                name="user_agency_iff_agency_role",
                violation_error_message=_("An agency user is bound to exactly one agency."),
            ),
            models.CheckConstraint(
                condition=(Q(role=Role.DISTRICT_REVIEWER) & ~Q(district=""))
                | (~Q(role=Role.DISTRICT_REVIEWER) & Q(district="")),
                name="user_district_iff_reviewer_role",
                violation_error_message=_("A district reviewer is bound to exactly one district."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Chinese order: family name first, no space (王芳); Latin names keep a space."""
        last, first = self.last_name.strip(), self.first_name.strip()
        if last.isascii() and first.isascii():
            return f"{first} {last}".strip()
        return f"{last}{first}"
