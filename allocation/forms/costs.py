"""Input shapes of the cost ledger, the carbon price series and the valuation dates: a new
entry (the same form checks every row of a ledger import), its reversal and documents; a price
(the same form checks every row of a price import); a year's valuation date."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from baotou_carbon.core.files import MultipleFileField
from baotou_carbon.core.forms import ServiceKwargsMixin, form_helper, row
from baotou_carbon.core.imports import ImportFileForm
from baotou_carbon.core.years import FIRST_YEAR, LAST_YEAR
from enterprises.models import Enterprise

from ..models import (
    MAX_AMOUNT,
    TRADE_CATEGORIES,
    CarbonPrice,
    CostCategory,
    CostEntry,
    YearValuation,
)
from ..permissions import is_enterprise_user
from ..services.relief import DOCUMENT_TYPES, MAX_DOCUMENT_BYTES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _label(model, name: str):
    """A field's label: its model field's verbose name, as a model form would show it."""
    return capfirst(model._meta.get_field(name).verbose_name)


def _uploads(*, required: bool) -> MultipleFileField:
    field = MultipleFileField(
        label=_("Documents (invoices, contracts, receipts)"),
        required=required,
        accepted=DOCUMENT_TYPES,
        max_bytes=MAX_DOCUMENT_BYTES,
    )
    field.help_text = _(
        "PDF, JPEG, PNG, Excel (.xlsx) or Word (.docx), at most %(mb)s MB each."
    ) % {"mb": MAX_DOCUMENT_BYTES // 2**20}
    return field


# The ledger ----------------------------------------------------------------------------------


class CostFigures(forms.Form):
    """What one entry says: its year, category, amount (always positive: the service signs
    revenue), tonnes (allowances bought or sold only), date and description."""

    year = forms.IntegerField(
        label=_label(CostEntry, "year"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    category = forms.ChoiceField(label=_label(CostEntry, "category"), choices=CostCategory.choices)
    amount_yuan = forms.DecimalField(
        label=_label(CostEntry, "amount_yuan"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT,
        help_text=_(
            "Always a positive amount: allowances sold are recorded as revenue, which lowers "
            "the cost."
        ),
    )
    quantity_t = forms.DecimalField(
        label=_label(CostEntry, "quantity_t"),
        required=False,
        max_digits=14,
        decimal_places=3,
        min_value=0,
        help_text=_("Only for allowances bought or sold."),
    )
    occurred_on = forms.DateField(label=_label(CostEntry, "occurred_on"), widget=DATE)
    description = forms.CharField(label=_label(CostEntry, "description"), max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        category = data.get("category")
        if category and data.get("quantity_t") is not None and category not in TRADE_CATEGORIES:
            self.add_error("quantity_t", _("Only allowances bought or sold carry tonnes."))
        return data


class CostEntryForm(ServiceKwargsMixin, CostFigures):
    """A new entry. Staff choose the enterprise; an enterprise user's is its own."""

    enterprise = forms.ModelChoiceField(
        label=_label(CostEntry, "enterprise"), queryset=Enterprise.objects.order_by("name_zh")
    )
    uploads = _uploads(required=False)

    field_order = ["enterprise"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.own_enterprise_id = user.enterprise_id if is_enterprise_user(user) else None
        if self.own_enterprise_id is not None:
            del self.fields["enterprise"]
        first = ("enterprise", "year") if "enterprise" in self.fields else ("year",)
        self.helper = form_helper(
            row(*first, "category"),
            row("amount_yuan", "quantity_t", "occurred_on"),
            "description",
            "uploads",
            submit=_("Enter the cost"),
        )

    def service_kwargs(self) -> dict[str, Any]:
        kwargs = super().service_kwargs()
        if self.own_enterprise_id is not None:
            kwargs["enterprise"] = Enterprise.objects.get(pk=self.own_enterprise_id)
        return kwargs


class CostReverseForm(ServiceKwargsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why the entry is reversed"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the entry is reversed.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_reverse_%s")
        super().__init__(*args, **kwargs)


class CostDocumentForm(forms.Form):
    uploads = _uploads(required=True)


class CostImportForm(ImportFileForm):
    pass


# Carbon prices ---------------------------------------------------------------------------------


class CarbonPriceForm(ServiceKwargsMixin, forms.ModelForm):
    """A price; a new one may not repeat a day and kind already recorded (change that one),
    a recorded one keeps its day and kind."""

    class Meta:
        model = CarbonPrice
        fields = ["on", "kind", "yuan_per_t", "status", "source"]
        widgets = {"on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["on"].disabled = self.fields["kind"].disabled = True
        self.helper = form_helper(row("on", "kind", "yuan_per_t"), row("status", "source"))

    def clean(self) -> dict[str, Any]:
        """A day and kind already recorded: said on the date, in the user's words (the field
        in error, the model's constraint is not checked again)."""
        data = super().clean() or {}
        on, kind = data.get("on"), data.get("kind")
        recorded = (
            not self.instance.pk
            and on
            and kind
            and CarbonPrice.objects.filter(on=on, kind=kind).exists()
        )
        if recorded:
            self.add_error(
                "on", _("A price of this kind is already recorded for this date: change that one.")
            )
        return data


class CarbonPriceImportForm(ImportFileForm):
    pass


class YearValuationForm(forms.Form):
    price_on = forms.DateField(
        label=_label(YearValuation, "price_on"),
        required=False,
        widget=DATE,
        help_text=_(
            "The close on this date, or the last trading day before it, is used. Leave it "
            "empty to value the year at the default: the close on the last trading day on or "
            "before its surrender deadline."
        ),
    )
    note = forms.CharField(label=_label(YearValuation, "note"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("price_on", "note")

    def service_kwargs(self) -> dict[str, Any]:
        return {"price_on": self.cleaned_data["price_on"], "note": self.cleaned_data["note"]}
