"""Input shapes of compliance positions: the surrender figures staff record."""

from django import forms

from baotou_carbon.core.forms import ServiceKwargsMixin, form_helper, row

from ..models import AllocationSettings, SurrenderRecord


class SurrenderRecordForm(ServiceKwargsMixin, forms.ModelForm):
    class Meta:
        model = SurrenderRecord
        fields = ["surrendered_t", "ccer_used_t", "banked_t", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(row("surrendered_t", "ccer_used_t", "banked_t"), "note")


class AllocationSettingsForm(ServiceKwargsMixin, forms.ModelForm):
    class Meta:
        model = AllocationSettings
        fields = ["tolerance_ratio", "warning_shortfall_ratio"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(row("tolerance_ratio", "warning_shortfall_ratio"))
