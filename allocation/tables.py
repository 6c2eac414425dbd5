"""Tables of allocation pages (django-tables2): columns, links, how numbers show, empty text."""

from decimal import Decimal

import django_tables2 as tables
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import CarbonPrice, CostEntry, UnitAllocation


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


class YuanColumn(tables.Column):
    """Yuan on the page to the fen, grouped; the plain number in an export."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "text-end text-nowrap"}})
        super().__init__(*args, **kwargs)

    def render(self, value: Decimal) -> str:
        return floatformat(value, "2g")

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


def cost_entry_url(pk: int) -> str:
    return reverse("allocation:cost_detail", args=[pk])


class CorrectionColumn(tables.Column):
    """How an entry stands in a correction: reversed by a later entry, or the reversal of an
    earlier one (each linked to the other)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_values", ())
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)

    @staticmethod
    def _state(record: CostEntry) -> tuple[str, int] | None:
        if record.reverses_id is not None:
            return gettext("Reversal of #%(pk)s"), record.reverses_id
        reversal = getattr(record, "reversed_by", None)
        if reversal is not None:
            return gettext("Reversed by #%(pk)s"), reversal.pk
        return None

    def render(self, record: CostEntry) -> str:
        state = self._state(record)
        if state is None:
            return "—"
        text, pk = state
        badge = "text-bg-secondary" if record.reverses_id else "text-bg-warning"
        return format_html(
            '<a class="badge {}" href="{}" data-testid="correction">{}</a>',
            badge,
            cost_entry_url(pk),
            text % {"pk": pk},
        )

    def value(self, record: CostEntry) -> str:
        state = self._state(record)
        return state[0] % {"pk": state[1]} if state else ""


class CostEntryTable(tables.Table):
    pk = tables.Column(
        verbose_name=_("Entry"),
        linkify=lambda record: cost_entry_url(record.pk),
        attrs={"td": {"class": "text-nowrap"}},
    )
    enterprise = tables.Column(accessor="enterprise__name_zh", verbose_name=_("Enterprise"))
    amount_yuan = YuanColumn(verbose_name=_("Amount (yuan)"))
    quantity_t = TonnesColumn(verbose_name=_("Tonnes"))
    correction = CorrectionColumn(verbose_name=_("Correction"))

    class Meta:
        model = CostEntry
        fields = [
            "pk",
            "enterprise",
            "year",
            "category",
            "amount_yuan",
            "quantity_t",
            "occurred_on",
            "description",
            "correction",
        ]
        empty_text = _("No cost entry matches these filters.")

    def render_pk(self, value: int) -> str:
        return f"#{value}"

    def value_pk(self, value: int) -> int:
        return value


class CarbonPriceTable(tables.Table):
    yuan_per_t = YuanColumn(verbose_name=_("Price (yuan/t)"))
    change = tables.Column(
        verbose_name="",
        accessor="pk",
        orderable=False,
        exclude_from_export=True,
        linkify=lambda record: reverse("allocation:price_update", args=[record.pk]),
    )

    class Meta:
        model = CarbonPrice
        fields = ["on", "kind", "yuan_per_t", "status", "source", "change"]
        empty_text = _("No carbon price matches these filters.")

    def render_change(self, value: int) -> str:
        return gettext("Change")
