"""Input shapes of cross-verification: opening a year, a party's figures (ratios entered as
percentages, handed to the service as fractions), a comment on a figure, a step."""

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from baotou_carbon.core.forms import ServiceKwargsMixin, form_helper, row
from enterprises import selectors as registry
from enterprises.models import Cooling, Enterprise, GeneratingUnit, OperatingMode
from enterprises.permissions import enterprises_for_user

from .. import calculations as calc
from ..models import AllocationBasis, CrossCheckStatus, PartyFigures

PERCENT = Decimal(100)
# The figures a party enters as a percentage, stored as a fraction (0.25 = 25%).
PERCENT_FIELDS = {"heat_ratio": "heat_ratio_percent", "load_factor": "load_factor_percent"}
NOTE_MAX_LENGTH = 2000


def _plain(value: Decimal) -> str:
    """A stored number as a person would type it: 25, not 25.000000."""
    return f"{value.normalize():f}"


# Opening a year ------------------------------------------------------------------------------


class UnitAllocationsOpenForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        queryset=Enterprise.objects.none(),
        required=False,
        empty_label=_("Every enterprise listed as a key emitter that year"),
    )

    def __init__(self, *args, user, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        cast(forms.ChoiceField, self.fields["year"]).choices = [(y, str(y)) for y in years]
        cast(forms.ModelChoiceField, self.fields["enterprise"]).queryset = enterprises_for_user(
            user
        ).order_by("name_zh")
        self.helper = form_helper(row("year", "enterprise"), submit=_("Open the allocation data"))
        self.units: list[GeneratingUnit] = []

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        year, enterprise = data.get("year"), data.get("enterprise")
        if year is None:
            return data
        units = registry.unit_list(self.user)
        if enterprise is not None:
            units = units.filter(facility__enterprise=enterprise)
        else:
            units = units.filter(facility__enterprise__listings__year=year).distinct()
        self.units = list(units.order_by("pk"))
        if not self.units and enterprise is not None:
            self.add_error("enterprise", _("The registry records no generating unit for it."))
        elif not self.units:
            self.add_error(
                "enterprise",
                _("No enterprise with generating units is listed for %(year)s: choose one.")
                % {"year": year},
            )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        return {"year": self.cleaned_data["year"], "units": self.units}


# A party's figures ---------------------------------------------------------------------------


def _decimal(name: str, maximum: Decimal, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=capfirst(PartyFigures._meta.get_field(name).verbose_name),  # type: ignore[union-attr]
        required=required,
        max_digits=15,
        decimal_places=3,
        min_value=Decimal(0),
        max_value=maximum,
    )


def _percent(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=8,
        decimal_places=4,
        min_value=Decimal(0),
        max_value=PERCENT,
    )


class PartyFiguresForm(forms.Form):
    """The acting party's figures. Given the year's rules, the electricity they allocate on is
    required, and so is the load factor when the load correction applies to the unit."""

    supplied_mwh = _decimal("supplied_mwh", calc.MAX_ELECTRICITY_MWH)
    generated_mwh = _decimal("generated_mwh", calc.MAX_ELECTRICITY_MWH)
    heat_gj = _decimal("heat_gj", calc.MAX_HEAT_GJ)
    heat_ratio_percent = _percent(_("Heat-supply ratio (%)"))
    load_factor_percent = _percent(_("Load factor (%)"))
    cooling = forms.ChoiceField(label=_("Cooling"), choices=Cooling.choices)
    operating_mode = forms.ChoiceField(label=_("Operating mode"), choices=OperatingMode.choices)

    def __init__(self, *args, rules: calc.YearRules | None, category: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules, self.category = rules, category
        if rules is not None:
            basis = "supplied_mwh" if rules.basis == AllocationBasis.SUPPLIED else "generated_mwh"
            self.fields[basis].required = True
            self.fields[basis].help_text = _("The %(year)s rules allocate on this figure.") % {
                "year": rules.year
            }
        self.helper = form_helper(
            row("supplied_mwh", "generated_mwh"),
            row("heat_gj", "heat_ratio_percent"),
            row("load_factor_percent"),
            row("cooling", "operating_mode"),
        )

    @staticmethod
    def initial_from(figures: PartyFigures | None, unit: GeneratingUnit) -> dict[str, Any]:
        """The form's starting values: the figures given, else the registry's unit."""
        if figures is None:
            return {"cooling": unit.cooling, "operating_mode": unit.operating_mode}
        initial: dict[str, Any] = {}
        for name in PartyFigures.FIGURE_FIELDS:
            value = getattr(figures, name)
            if name in PERCENT_FIELDS:
                name, value = PERCENT_FIELDS[name], value * PERCENT if value is not None else None
            initial[name] = _plain(value) if isinstance(value, Decimal) else value
        return initial

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        entered = "load_factor_percent" in data and "operating_mode" in data  # and valid
        if self.rules is None or not entered or data["load_factor_percent"] is not None:
            return data
        unit = calc.UnitInput(
            category=self.category, chp=data["operating_mode"] == OperatingMode.CHP
        )
        if calc.load_correction_applies(self.rules, unit):
            self.add_error(
                "load_factor_percent",
                _("The %(year)s rules correct this unit for its load factor: enter it.")
                % {"year": self.rules.year},
            )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        ratio, load = data["heat_ratio_percent"], data["load_factor_percent"]
        return {
            "fields": {
                "supplied_mwh": data["supplied_mwh"],
                "generated_mwh": data["generated_mwh"],
                "heat_gj": data["heat_gj"] if data["heat_gj"] is not None else calc.ZERO,
                "heat_ratio": ratio / PERCENT if ratio is not None else calc.ZERO,
                "load_factor": load / PERCENT if load is not None else None,
                "cooling": data["cooling"],
                "operating_mode": data["operating_mode"],
            }
        }


# Comments and steps ----------------------------------------------------------------------------


class DiscrepancyCommentForm(ServiceKwargsMixin, forms.Form):
    field = forms.ChoiceField(
        label=_("Figure"),
        choices=[
            (name, capfirst(PartyFigures._meta.get_field(name).verbose_name))  # type: ignore[union-attr]
            for name in PartyFigures.FIGURE_FIELDS
        ],
    )
    text = forms.CharField(
        label=_("Comment"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(row("field"), row("text"), submit=_("Comment"))
        self.helper.form_tag = False  # the page's form posts to the comment view
        self.helper.disable_csrf = True  # ... and carries the token


class UnitAllocationStepForm(ServiceKwargsMixin, forms.Form):
    """What the step buttons post: the status to move to, and a note (some steps need one;
    the service says which)."""

    to = forms.ChoiceField(choices=CrossCheckStatus.choices)
    note = forms.CharField(required=False, max_length=NOTE_MAX_LENGTH)
