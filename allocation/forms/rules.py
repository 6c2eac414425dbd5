"""Input shapes of allocation: the rule-set editor and the what-if calculator."""

from decimal import Decimal
from typing import Any, cast

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from baotou_carbon.core.forms import ServiceKwargsMixin, form_helper, row
from baotou_carbon.core.years import FIRST_YEAR, LAST_YEAR
from enterprises.models import AllocationCategory, Cooling, OperatingMode

from .. import calculations as calc
from ..models import Benchmark, RuleSet

PERCENT = Decimal(100)

# Rule sets -----------------------------------------------------------------------------------


class RuleSetForm(forms.ModelForm):
    unconfirmed = forms.MultipleChoiceField(
        label=_("Values not confirmed"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick a value until an official text confirms it; pages show it as such."),
    )

    class Meta:
        model = RuleSet
        fields = ["plan", *RuleSet.RULE_FIELDS, "status", "source", "unconfirmed"]
        widgets = {
            "surrender_deadline": forms.DateInput(attrs={"type": "date"}),
            "interim_deadline": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unconfirmed"]).choices = [
            (name, RuleSet.rule_field(name).verbose_name) for name in RuleSet.RULE_FIELDS
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def service_kwargs(self) -> dict[str, Any]:
        return {"fields": {name: self.cleaned_data[name] for name in self.Meta.fields}}


class BenchmarkForm(forms.ModelForm):
    class Meta:
        model = Benchmark
        fields = ["value", "status", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["aria-label"] = (
                f"{self.instance.get_category_display()}: {field.label}"
            )
            if name == "source":
                field.required = False
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_show_labels = False


BenchmarkFormSet = forms.modelformset_factory(
    Benchmark, form=BenchmarkForm, extra=0, can_delete=False, edit_only=True
)


def benchmark_changes(formset) -> dict[int, dict[str, Any]]:
    """The benchmarks' new values by id, as `services.rule_set_update` takes them."""
    return {
        form.instance.pk: {name: form.cleaned_data[name] for name in BenchmarkForm.Meta.fields}
        for form in formset.forms
        if form.has_changed()
    }


class RuleSetCopyForm(ServiceKwargsMixin, forms.Form):
    year = forms.IntegerField(label=_("New year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(row("year"), submit=_("Copy"))


# What-if calculator ---------------------------------------------------------------------------


class WhatIfForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Rules of the year"), coerce=int)
    verified_emissions_t = forms.DecimalField(
        label=_("Verified (or expected) emissions (t)"),
        required=False,
        max_digits=15,
        decimal_places=3,
        min_value=Decimal(0),
        max_value=calc.MAX_TONNES,
        help_text=_("Enter it to see the compliance position as well."),
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [(y, str(y)) for y in years]


class WhatIfUnitForm(forms.Form):
    """One generating unit, laid out as a table row: the column headers label the fields, so
    the cells carry the label for assistive technology only (aria-label)."""

    label = forms.CharField(label=_("Unit"), max_length=50, required=False)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=AllocationCategory.choices,
        initial=AllocationCategory.COAL_ABOVE_300,
    )
    cooling = forms.ChoiceField(label=_("Cooling"), choices=Cooling.choices, initial=Cooling.WATER)
    operating_mode = forms.ChoiceField(
        label=_("Operating mode"), choices=OperatingMode.choices, initial=OperatingMode.CONDENSING
    )
    electricity_mwh = forms.DecimalField(
        label=_("Electricity (MWh)"),
        max_digits=15,
        decimal_places=3,
        min_value=Decimal(0),
        max_value=calc.MAX_ELECTRICITY_MWH,
        help_text=_("Supplied or gross generation, as the year's rules count it."),
    )
    heat_gj = forms.DecimalField(
        label=_("Heat supplied (GJ)"),
        required=False,
        max_digits=15,
        decimal_places=3,
        min_value=Decimal(0),
        max_value=calc.MAX_HEAT_GJ,
    )
    heat_ratio_percent = forms.DecimalField(
        label=_("Heat-supply ratio (%)"),
        required=False,
        max_digits=6,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=PERCENT,
    )
    load_factor_percent = forms.DecimalField(
        label=_("Load factor (%)"),
        required=False,
        max_digits=6,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=PERCENT,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = field.label
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_show_labels = False

    def unit_input(self) -> calc.UnitInput:
        data = self.cleaned_data
        ratio, load = data.get("heat_ratio_percent"), data.get("load_factor_percent")
        return calc.UnitInput(
            category=data["category"],
            cooling=data["cooling"],
            electricity_mwh=data["electricity_mwh"],
            heat_gj=data.get("heat_gj") or calc.ZERO,
            heat_ratio=ratio / PERCENT if ratio is not None else calc.ZERO,
            load_factor=load / PERCENT if load is not None else None,
            chp=data["operating_mode"] == OperatingMode.CHP,
            label=data.get("label") or "",
        )


class BaseWhatIfUnitFormSet(forms.BaseFormSet):
    def filled(self) -> list[WhatIfUnitForm]:
        return [f for f in self.forms if f.has_changed() and f.cleaned_data]


WhatIfUnitFormSet = forms.formset_factory(
    WhatIfUnitForm, formset=BaseWhatIfUnitFormSet, extra=3, max_num=30, validate_max=True
)
