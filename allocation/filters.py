"""Filters of allocation lists (django-filter): what a list page may be narrowed by."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from baotou_carbon.core.sources import SourceStatus
from enterprises.models import Enterprise

from .models import (
    CarbonPrice,
    CostCategory,
    CostEntry,
    CrossCheckStatus,
    PriceKind,
    UnitAllocation,
)
from .permissions import enterprise_scope


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


def _enterprises_in_scope(request):
    """The enterprise filter offers the enterprises whose ledger the user may read."""
    if request is None:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(enterprise_scope(request.user, "pk")).order_by("name_zh")


class CostEntryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    enterprise = django_filters.ModelChoiceFilter(
        label=_("Enterprise"), queryset=_enterprises_in_scope
    )
    year = django_filters.NumberFilter(label=_("Compliance year"))
    category = django_filters.ChoiceFilter(label=_("Category"), choices=CostCategory.choices)

    class Meta:
        model = CostEntry
        fields = ["q", "enterprise", "year", "category"]

    def search(self, queryset, name, value):
        """By the enterprise's name (Chinese or English) or credit code, or the description."""
        value = value.strip()
        return queryset.filter(
            Q(enterprise__name_zh__icontains=value)
            | Q(enterprise__name_en__icontains=value)
            | Q(enterprise__uscc__icontains=value)
            | Q(description__icontains=value)
        )


class CarbonPriceFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), field_name="on", lookup_expr="year")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PriceKind.choices)
    status = django_filters.ChoiceFilter(label=_("Confidence"), choices=SourceStatus.choices)

    class Meta:
        model = CarbonPrice
        fields = ["year", "kind", "status"]
