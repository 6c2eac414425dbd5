import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import (
    AllocationCategory,
    District,
    Enterprise,
    Fuel,
    GeneratingUnit,
    Industry,
    VerificationAgency,
)
from .selectors import enterprise_search

ACTIVE_WIDGET = forms.Select(
    choices=[("", _("All")), ("true", _("Active")), ("false", _("Inactive"))]
)


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Name, credit code or registry account")}),
    )
    district = django_filters.ChoiceFilter(
        label=_("District"), choices=District.choices, empty_label=_("All districts")
    )
    industry = django_filters.ChoiceFilter(
        label=_("Industry"), choices=Industry.choices, empty_label=_("All industries")
    )
    listed_year = django_filters.NumberFilter(
        label=_("Key emitter in year"), field_name="listings__year", distinct=True
    )
    is_active = django_filters.BooleanFilter(label=_("Status"), widget=ACTIVE_WIDGET)

    class Meta:
        model = Enterprise
        fields = ["q", "district", "industry", "listed_year", "is_active"]

    def search(self, queryset, name, value):
        return enterprise_search(queryset, value)


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    allocation_category = django_filters.ChoiceFilter(
        label=_("Allocation category"),
        choices=AllocationCategory.choices,
        empty_label=_("All categories"),
    )
    main_fuel = django_filters.ChoiceFilter(
        label=_("Main fuel"), choices=Fuel.choices, empty_label=_("All fuels")
    )
    district = django_filters.ChoiceFilter(
        label=_("District"),
        choices=District.choices,
        field_name="facility__enterprise__district",
        empty_label=_("All districts"),
    )

    class Meta:
        model = GeneratingUnit
        fields = ["q", "allocation_category", "main_fuel", "district"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(code__icontains=value)
            | Q(facility__name_zh__icontains=value)
            | Q(facility__enterprise__name_zh__icontains=value)
            | Q(facility__enterprise__name_en__icontains=value)
            | Q(facility__enterprise__uscc__icontains=value)
        )


class AgencyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    is_active = django_filters.BooleanFilter(label=_("Status"), widget=ACTIVE_WIDGET)

    class Meta:
        model = VerificationAgency
        fields = ["q", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name_zh__icontains=value) | Q(name_en__icontains=value) | Q(uscc__icontains=value)
        )
