"""How sure the bureau is of a published number (DOMAIN's [V] / [S] / [?] marks)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceStatus(models.TextChoices):
    VERIFIED = "V", _("V — seen in an official text")
    SECONDARY = "S", _("S — reputable secondary material")
    UNCONFIRMED = "?", _("? — not confirmed")
