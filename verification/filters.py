import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import District, VerificationAgency
from enterprises.permissions import agencies_for_user

from .models import (
    AnnualReport,
    CaseStatus,
    DayKind,
    EmissionParameter,
    Holiday,
    ParameterKind,
    ReportStatus,
    VerificationCase,
)
from .selectors import ScorecardMark, scorecard_cases


def _visible_agencies(request):
    if request is None:
        return VerificationAgency.objects.none()
    return agencies_for_user(request.user)


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    year = django_filters.NumberFilter(label=_("Reporting year"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CaseStatus.choices)
    district = django_filters.ChoiceFilter(
        label=_("District"), choices=District.choices, field_name="enterprise__district"
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("Verification agency"), queryset=_visible_agencies
    )
    scorecard = django_filters.ChoiceFilter(
        label=_("Scorecard column"), choices=ScorecardMark.choices, method="scorecard_column"
    )

    class Meta:
        model = VerificationCase
        fields = ["q", "year", "status", "district", "agency", "scorecard"]

    def scorecard_column(self, queryset, name, value):
        """The cases a column of the agency scorecards counts (its link lands here)."""
        return scorecard_cases(queryset, value)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(enterprise__name_zh__icontains=value)
            | Q(enterprise__name_en__icontains=value)
            | Q(enterprise__uscc__icontains=value)
            | Q(agency__name_zh__icontains=value)
        )


class ParameterFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    kind = django_filters.ChoiceFilter(label=_("Parameter"), choices=ParameterKind.choices)

    class Meta:
        model = EmissionParameter
        fields = ["year", "kind"]


class HolidayFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), field_name="date__year")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DayKind.choices)

    class Meta:
        model = Holiday
        fields = ["year", "kind"]


class ReportFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Reporting year"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices)

    class Meta:
        model = AnnualReport
        fields = ["year", "status"]
