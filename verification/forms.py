"""Input shapes for verification; layout through crispy-forms."""

from decimal import Decimal
from typing import cast

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from baotou_carbon.core.files import MultipleFileField
from baotou_carbon.core.forms import ServiceKwargsMixin
from baotou_carbon.core.forms import form_helper as _helper
from baotou_carbon.core.forms import row as _row
from baotou_carbon.core.years import FIRST_YEAR, LAST_YEAR
from enterprises.models import Enterprise, Fuel, VerificationAgency

from . import calculations as calc
from .models import (
    EVIDENCE_EXTENSIONS,
    EVIDENCE_FILE_MESSAGES,
    TRANSITIONS,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateItem,
    DeadlineSettings,
    EmissionParameter,
    EvidenceSubmission,
    Finding,
    FindingStatus,
    GainComponent,
    Holiday,
    ObjectionOutcome,
    VerificationCase,
)


def tonnes_field(label, *, required: bool = True, min_value=Decimal(0)) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=3,
        min_value=min_value,
    )


# Emission calculator ---------------------------------------------------------------------


class CalculatorForm(forms.Form):
    year = forms.IntegerField(label=_("Reporting year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    purchased_mwh = forms.DecimalField(
        label=_("Purchased electricity (MWh)"),
        required=False,
        max_digits=15,
        decimal_places=3,
        min_value=Decimal(0),
        max_value=calc.MAX_ELECTRICITY_MWH,
    )


NO_INPUT_MESSAGE = _("Enter at least one fuel line or the purchased electricity.")


class FuelLineForm(forms.Form):
    """One fuel line of the calculator, laid out as a table row: the column headers label the
    fields, so the cells carry the label for assistive technology only (aria-label)."""

    fuel = forms.ChoiceField(label=_("Fuel"), choices=Fuel.choices, initial=Fuel.COAL)
    consumption_t = forms.DecimalField(
        label=_("Consumption (t)"),
        max_digits=15,
        decimal_places=3,
        min_value=Decimal(0),
        max_value=calc.MAX_CONSUMPTION_T,
    )
    ncv_gj_per_t = forms.DecimalField(
        label=_("NCV (GJ/t)"),
        max_digits=9,
        decimal_places=4,
        min_value=calc.MIN_NCV_GJ_PER_T,
        max_value=calc.MAX_NCV_GJ_PER_T,
    )
    carbon_content_tc_per_gj = forms.DecimalField(
        label=_("Measured carbon content (tC/GJ)"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=calc.MIN_CARBON_CONTENT,
        max_value=calc.MAX_CARBON_CONTENT,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = field.label
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_show_labels = False


class BaseFuelLineFormSet(forms.BaseFormSet):
    """Fuel lines may all stay empty: purchased electricity alone is a valid input, as in the
    API. The view refuses a calculation with neither (NO_INPUT_MESSAGE, once, on the form)."""

    def filled_lines(self) -> list[forms.Form]:
        return [f for f in self.forms if f.has_changed() and f.cleaned_data]


FuelLineFormSet = forms.formset_factory(
    FuelLineForm, formset=BaseFuelLineFormSet, extra=3, max_num=24, validate_max=True
)


# Reference data --------------------------------------------------------------------------


class EmissionParameterForm(ServiceKwargsMixin, forms.ModelForm):
    class Meta:
        model = EmissionParameter
        fields = ["year", "kind", "fuel", "value", "status", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_row("year", "kind", "fuel"), _row("value", "status"), "source")


class HolidayForm(ServiceKwargsMixin, forms.ModelForm):
    class Meta:
        model = Holiday
        fields = ["date", "kind", "name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_row("date", "kind", "name"))


class DeadlineSettingsForm(ServiceKwargsMixin, forms.ModelForm):
    class Meta:
        model = DeadlineSettings
        fields = [
            "objection_working_days",
            "re_review_working_days",
            "evidence_enterprise_days",
            "evidence_review_days",
            "evidence_ceiling_days",
            "reminder_days_before",
            "max_upload_mb",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _row("objection_working_days", "re_review_working_days"),
            _row("evidence_enterprise_days", "evidence_review_days", "evidence_ceiling_days"),
            _row("reminder_days_before", "max_upload_mb"),
        )


class ChecklistTemplateForm(ServiceKwargsMixin, forms.ModelForm):
    class Meta:
        model = ChecklistTemplate
        fields = ["name_zh", "name_en", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_row("name_zh", "name_en"), "is_active")


class ChecklistTemplateItemForm(ServiceKwargsMixin, forms.ModelForm):
    class Meta:
        model = ChecklistTemplateItem
        fields = ["position", "checkpoint", "title_zh", "title_en", "guidance"]

    def __init__(self, *args, template: ChecklistTemplate, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.template = template
        self.helper = _helper(_row("position", "checkpoint"), "title_zh", "title_en", "guidance")


# Cases -----------------------------------------------------------------------------------


class CaseCreateForm(ServiceKwargsMixin, forms.ModelForm):
    template = forms.ModelChoiceField(
        label=_("Checklist template"), queryset=ChecklistTemplate.objects.filter(is_active=True)
    )

    class Meta:
        model = VerificationCase
        fields = ["enterprise", "year", "agency", "reported_emissions_t"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["enterprise"]
        ).queryset = Enterprise.objects.filter(is_active=True)
        cast(
            forms.ModelChoiceField, self.fields["agency"]
        ).queryset = VerificationAgency.objects.filter(is_active=True)
        self.helper = _helper(
            _row("enterprise", "year"), _row("agency", "template"), "reported_emissions_t"
        )


class CaseFiguresForm(ServiceKwargsMixin, forms.ModelForm):
    class Meta:
        model = VerificationCase
        fields = ["reported_emissions_t", "verified_emissions_t", "conclusion"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_row("reported_emissions_t", "verified_emissions_t"), "conclusion")


class CaseAgencyForm(ServiceKwargsMixin, forms.ModelForm):
    """Hand the case to another agency (staff only: services.case_agency_reassign)."""

    class Meta:
        model = VerificationCase
        fields = ["agency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["agency"]
        ).queryset = VerificationAgency.objects.filter(is_active=True)
        self.helper = _helper("agency", submit=_("Reassign"))


class TransitionForm(ServiceKwargsMixin, forms.Form):
    target = forms.ChoiceField(label=_("Next step"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, case: VerificationCase, actor_kind: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target"]).choices = [
            (t.target, t.label)
            for t in TRANSITIONS.values()
            if t.source == case.status and actor_kind in t.actors and not t.dedicated
        ]
        self.helper = _helper("target", "note", submit=_("Move the case"))


class ChecklistItemForm(ServiceKwargsMixin, forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["result", "notes", "evidence"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("result", "notes", "evidence")


class FindingForm(ServiceKwargsMixin, forms.ModelForm):
    class Meta:
        model = Finding
        fields = [
            "checklist_item",
            "description",
            "rectification_deadline",
            "status",
            "conservative_estimate_t",
            "estimate_basis",
        ]
        widgets = {
            "rectification_deadline": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "estimate_basis": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, case: VerificationCase, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.case = case
        cast(
            forms.ModelChoiceField, self.fields["checklist_item"]
        ).queryset = ChecklistItem.objects.filter(case=case)
        if not self.instance.pk:
            cast(forms.ChoiceField, self.fields["status"]).choices = [
                (FindingStatus.OPEN, FindingStatus.OPEN.label),
            ]
        self.helper = _helper(
            "checklist_item",
            "description",
            _row("rectification_deadline", "status"),
            _row("conservative_estimate_t"),
            "estimate_basis",
        )


class FindingAnswerForm(ServiceKwargsMixin, forms.Form):
    response = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("What you corrected and the evidence for it, or why you disagree."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("response", submit=_("Send the answer"))


class GainComponentForm(ServiceKwargsMixin, forms.ModelForm):
    class Meta:
        model = GainComponent
        fields = ["cause", "allocation_change_t", "emissions_change_t", "note"]

    def __init__(self, *args, case: VerificationCase, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.case = case
        self.helper = _helper(
            "cause", _row("allocation_change_t", "emissions_change_t"), "note", submit=_("Add")
        )


class ObjectionForm(ServiceKwargsMixin, forms.Form):
    grounds = forms.CharField(
        label=_("Grounds of the objection"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("grounds", submit=_("Lodge the objection"))


class ReReviewForm(ServiceKwargsMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ObjectionOutcome.choices)
    decision = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 4}))
    verified_emissions_t = tonnes_field(_("Corrected verified emissions (t)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verified_emissions_t"].help_text = _(
            "Only if the objection changes the verified figure."
        )
        self.helper = _helper("outcome", "decision", "verified_emissions_t", submit=_("Decide"))

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if (
            data.get("outcome") == ObjectionOutcome.REJECTED
            and data.get("verified_emissions_t") is not None
        ):
            self.add_error(
                "verified_emissions_t", _("A rejected objection leaves the figure as it was.")
            )
        return data


class ScorecardYearForm(forms.Form):
    """The reporting year of the agency scorecards: one of the years with cases."""

    year = forms.TypedChoiceField(
        label=_("Reporting year"),
        coerce=int,
        error_messages={
            "invalid_choice": _("No verification case covers that year: pick one of the list."),
            "required": _("Pick a reporting year."),
        },
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["year"]).choices = [(y, y) for y in years]


# Monthly evidence ------------------------------------------------------------------------


class EvidenceForm(forms.ModelForm):
    documents = MultipleFileField(
        label=_("Supporting documents"),
        accepted=EVIDENCE_EXTENSIONS,
        messages=EVIDENCE_FILE_MESSAGES,
        error_messages={"required": _("Attach the supporting documents.")},
    )

    class Meta:
        model = EvidenceSubmission
        fields = list(EvidenceSubmission.DATA_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, needs_file: bool, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        documents = cast(MultipleFileField, self.fields["documents"])
        documents.required = needs_file
        documents.max_bytes = max_bytes
        documents.help_text = _("PDF, PNG, JPEG or Excel (.xlsx); each file at most %(mb)s MB.") % {
            "mb": max_bytes // 2**20
        }
        self.helper = _helper(
            _row("fuel_consumption_t", "ncv_gj_per_t", "carbon_content_tc_per_gj"),
            _row("purchased_mwh", "generation_mwh", "supply_mwh"),
            _row("heat_gj", "operating_hours", "load_factor"),
            "notes",
            "documents",
            submit=_("Submit"),
        )
        self.helper.form_tag = False

    def service_kwargs(self) -> dict:
        """evidence_submit's arguments: the month's data, and the documents as its `files`."""
        data = dict(self.cleaned_data)
        files = data.pop("documents")
        return {**data, "files": files}


class EvidenceReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("return", _("Return for correction"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("decision", "comment", submit=_("Record the review"))

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what the enterprise must correct."))
        return data

    def service_kwargs(self) -> dict:
        """The arguments of evidence_review and report_review alike."""
        return {
            "accept": self.cleaned_data["decision"] == "accept",
            "comment": self.cleaned_data["comment"],
        }


# Annual emission reports -----------------------------------------------------------------


class ReportCreateForm(ServiceKwargsMixin, forms.Form):
    year = forms.IntegerField(label=_("Reporting year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("year", submit=_("Start the report"))


def _decimal(label, *, max_digits, places, low, high, required=False):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=max_digits,
        decimal_places=places,
        min_value=low,
        max_value=high,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "any"}),
    )


class ReportMonthForm(forms.Form):
    """One month of one unit. A row left entirely empty is a month not yet reported."""

    REQUIRED = (
        "fuel_consumption_t",
        "ncv_gj_per_t",
        "purchased_mwh",
        "generation_mwh",
        "supply_mwh",
        "heat_gj",
    )

    fuel_consumption_t = _decimal(
        _("Fuel (t)"), max_digits=14, places=3, low=Decimal(0), high=calc.MAX_CONSUMPTION_T
    )
    ncv_gj_per_t = _decimal(
        _("NCV (GJ/t)"),
        max_digits=9,
        places=4,
        low=calc.MIN_NCV_GJ_PER_T,
        high=calc.MAX_NCV_GJ_PER_T,
    )
    carbon_content_tc_per_gj = _decimal(
        _("Carbon content (tC/GJ)"),
        max_digits=9,
        places=6,
        low=calc.MIN_CARBON_CONTENT,
        high=calc.MAX_CARBON_CONTENT,
    )
    purchased_mwh = _decimal(
        _("Purchased (MWh)"), max_digits=15, places=3, low=Decimal(0), high=calc.MAX_ELECTRICITY_MWH
    )
    generation_mwh = _decimal(
        _("Generation (MWh)"),
        max_digits=15,
        places=3,
        low=Decimal(0),
        high=calc.MAX_ELECTRICITY_MWH,
    )
    supply_mwh = _decimal(
        _("Supply (MWh)"), max_digits=15, places=3, low=Decimal(0), high=calc.MAX_ELECTRICITY_MWH
    )
    heat_gj = _decimal(
        _("Heat (GJ)"), max_digits=15, places=3, low=Decimal(0), high=calc.MAX_HEAT_GJ
    )

    def has_values(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(
            data.get(name) is not None for name in (*self.REQUIRED, "carbon_content_tc_per_gj")
        ) or any(name in self.errors for name in self.fields)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not self.has_values():
            return data
        for name in self.REQUIRED:
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, _("Required once the month is filled in."))
        supply, generation = data.get("supply_mwh"), data.get("generation_mwh")
        if supply is not None and generation is not None and supply > generation:
            self.add_error("supply_mwh", _("Power supplied cannot exceed generation."))
        return data

    def values(self) -> dict | None:
        """The month's values for the service, or None for an empty month."""
        if not self.has_values():
            return None
        return {
            name: self.cleaned_data.get(name)
            for name in (*self.REQUIRED, "carbon_content_tc_per_gj")
        }


ReportMonthFormSet = forms.formset_factory(
    ReportMonthForm, extra=0, min_num=12, max_num=12, validate_min=True, validate_max=True
)
