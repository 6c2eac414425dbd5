"""Input shapes of the dashboard: its filters, and the request for a leadership briefing."""

from typing import cast

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baotou_carbon.core.forms import ServiceKwargsMixin, form_helper, row
from baotou_carbon.core.years import FIRST_YEAR
from enterprises.models import District

DISTRICT_CHOICES = [("", _("The whole city")), *District.choices]


class DashboardFilterForm(forms.Form):
    """Year and district, from the query string; a bad value falls back to the default."""

    year = forms.TypedChoiceField(label=_("Data year"), coerce=int)
    district = forms.ChoiceField(label=_("District"), required=False, choices=DISTRICT_CHOICES)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [(y, str(y)) for y in years]


def data_years() -> list[tuple[int, int]]:
    """The data years a briefing may cover, latest first: this year (its projection) back to
    the first reporting year."""
    return [(year, year) for year in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class BriefingForm(ServiceKwargsMixin, forms.Form):
    """`briefing_request(year=..., district=...)`: a data year, and a district or the city."""

    year = forms.TypedChoiceField(label=_("Data year"), coerce=int, choices=data_years)
    district = forms.ChoiceField(label=_("District"), required=False, choices=DISTRICT_CHOICES)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Last year's data is the one verified this year: the usual subject of a briefing.
        self.fields["year"].initial = timezone.localdate().year - 1
        self.helper = form_helper(row("year", "district"), submit=_("Prepare the briefing"))
        self.helper.form_action = reverse_lazy("briefings:create")
