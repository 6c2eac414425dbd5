"""The dashboard's filters."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import District


class DashboardFilterForm(forms.Form):
    """Year and district, from the query string; a bad value falls back to the default."""

    year = forms.TypedChoiceField(label=_("Data year"), coerce=int)
    district = forms.ChoiceField(label=_("District"), required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [(y, str(y)) for y in years]
        cast(forms.ChoiceField, self.fields["district"]).choices = [
            ("", _("The whole city")),
            *District.choices,
        ]
