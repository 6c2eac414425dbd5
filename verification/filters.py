import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import District

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


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    year = django_filters.NumberFilter(label=_("Reporting year"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CaseStatus.choices)
    district = django_filters.ChoiceFilter(
        label=_("District"), choices=District.choices, field_name="enterprise__district"
    )

    class Meta:
        model = VerificationCase
        fields = ["q", "year", "status", "district"]

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
