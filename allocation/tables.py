"""Tables of allocation pages (django-tables2): columns, links, how numbers show, empty text."""

from decimal import Decimal

import django_tables2 as tables
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

from .models import UnitAllocation


class TonnesColumn(tables.Column):
    """Tonnes of CO2 on the page with their unit (3 places, grouped); the plain number in an
    export."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "text-end text-nowrap"}})
        super().__init__(*args, **kwargs)

    def render(self, value: Decimal) -> str:
        return f"{floatformat(value, '3g')} t"

    def value(self, value: Decimal) -> Decimal:
        return value


class UnitAllocationTable(tables.Table):
    unit = tables.Column(
        accessor="unit__code",
        verbose_name=_("Unit"),
        linkify=lambda record: record.get_absolute_url(),
    )
    enterprise = tables.Column(
        accessor="unit__facility__enterprise__name_zh", verbose_name=_("Enterprise")
    )
    preliminary_allocation_t = TonnesColumn(verbose_name=_("Preliminary allocation"))
    approved_allocation_t = TonnesColumn(verbose_name=_("Approved allocation"))

    class Meta:
        model = UnitAllocation
        fields = [
            "unit",
            "enterprise",
            "year",
            "status",
            "preliminary_allocation_t",
            "approved_allocation_t",
        ]
        order_by = ("-year", "enterprise", "unit")
        empty_text = _("No allocation data matches these filters.")
