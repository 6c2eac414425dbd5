"""The checkpoint vocabulary shared by verification checklists and assistance visits.

The points of the verification guideline (DOMAIN §5–§6) that staff compare with an enterprise's
actual situation, plus the recurring problem areas seen in accounting reports and monthly
evidence storage. Apps store the values (short, stable strings); labels are translated.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Checkpoint(models.TextChoices):
    FUEL_CONSUMPTION = "fuel_consumption", _("Fuel consumption")
    NET_CALORIFIC_VALUE = "ncv", _("Net calorific value (NCV)")
    CARBON_SAMPLING = "carbon_sampling", _("Carbon content sampling and testing")
    PURCHASED_ELECTRICITY = "purchased_electricity", _("Purchased electricity")
    METERS = "meters", _("Power supply and generation meters")
    HEAT = "heat", _("Heat supply")
    LOAD_FACTOR = "load_factor", _("Load (output) factor")
    UNIT_CLASSIFICATION = "unit_classification", _("Generating unit classification")
    MONTHLY_EVIDENCE_CONSISTENCY = (
        "monthly_evidence_consistency",
        _("Consistency with monthly evidence"),
    )
    ACCOUNTING_REPORT_ERRORS = "accounting_report_errors", _("Error points in accounting reports")
    MONTHLY_EVIDENCE_STORAGE = (
        "monthly_evidence_storage",
        _("Monthly evidence storage requirements"),
    )
    OTHER = "other", _("Other")


def checkpoint_labels(values) -> list[str]:
    """The translated labels of stored checkpoint values, unknown values shown as stored."""
    labels = dict(Checkpoint.choices)
    return [str(labels.get(v, v)) for v in values or []]
