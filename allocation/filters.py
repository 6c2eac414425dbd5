"""Filters of allocation lists (django-filter): what a list page may be narrowed by."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import CrossCheckStatus, UnitAllocation


class UnitAllocationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CrossCheckStatus.choices)

    class Meta:
        model = UnitAllocation
        fields = ["q", "year", "status"]

    def search(self, queryset, name, value):
        """By the enterprise's name (Chinese or English) or credit code."""
        value = value.strip()
        return queryset.filter(
            Q(unit__facility__enterprise__name_zh__icontains=value)
            | Q(unit__facility__enterprise__name_en__icontains=value)
            | Q(unit__facility__enterprise__uscc__icontains=value)
        )
