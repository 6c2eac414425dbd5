"""Roles: who a user is for the bureau. Kept apart from models so any app may import it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUREAU_STAFF = "bureau_staff", _("Bureau staff")
    BUREAU_MANAGER = "bureau_manager", _("Bureau manager")
    ENTERPRISE = "enterprise", _("Enterprise user")
    AGENCY = "agency", _("Verification agency user")
    DISTRICT_REVIEWER = "district_reviewer", _("District reviewer")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that see the whole registry.
BUREAU_ROLES = frozenset({Role.BUREAU_STAFF, Role.BUREAU_MANAGER, Role.ADMINISTRATOR})
# Bureau staff and administrators: they keep the registry and the reference data, run the
# verification cases and log the assistance work.
STAFF_ROLES = frozenset({Role.BUREAU_STAFF, Role.ADMINISTRATOR})
