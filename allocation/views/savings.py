"""The savings snapshot's rows: what each measure gained each enterprise in a year, and what
that saved. The list behind every figure of the manager dashboard."""

import django_filters
import django_tables2 as tables
from django.db.models import Q
from django.utils.translation import gettext_lazy

from baotou_carbon.core.access import require
from baotou_carbon.core.views import FilteredTableView
from enterprises.models import District, Enterprise, Industry

from .. import permissions, selectors
from ..models import GAIN_MEASURES, RELIEF_MEASURES, Measure, SavingsFigure

# What a row counts towards on the dashboard: the headline gains, or the relief beside them.
COUNTED = {"gains": GAIN_MEASURES, "relief": RELIEF_MEASURES}


class SavingsFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search")
    year = django_filters.NumberFilter(label=gettext_lazy("Compliance year"))
    measure = django_filters.ChoiceFilter(label=gettext_lazy("Measure"), choices=Measure.choices)
    counted = django_filters.ChoiceFilter(
        label=gettext_lazy("Counted as"),
        choices=[("gains", gettext_lazy("Allowance gains")), ("relief", gettext_lazy("Relief"))],
        method="counted_as",
    )
    district = django_filters.ChoiceFilter(
        label=gettext_lazy("District"), choices=District.choices, field_name="enterprise__district"
    )
    industry = django_filters.ChoiceFilter(
        label=gettext_lazy("Industry"), choices=Industry.choices, field_name="enterprise__industry"
    )
    enterprise = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Enterprise"), queryset=Enterprise.objects.all()
    )

    class Meta:
        model = SavingsFigure
        fields = ["q", "year", "measure", "counted", "district", "industry", "enterprise"]

    def counted_as(self, queryset, name, value):
        return queryset.filter(measure__in=sorted(COUNTED[value]))

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(enterprise__name_zh__icontains=value)
            | Q(enterprise__name_en__icontains=value)
            | Q(enterprise__uscc__icontains=value)
        )


class SavingsTable(tables.Table):
    enterprise = tables.Column(
        accessor="enterprise__name_zh",
        verbose_name=gettext_lazy("Enterprise"),
        linkify=lambda record: record.enterprise.get_absolute_url(),
    )
    district = tables.Column(
        accessor="enterprise__get_district_display", verbose_name=gettext_lazy("District")
    )
    industry = tables.Column(
        accessor="enterprise__get_industry_display", verbose_name=gettext_lazy("Industry")
    )

    class Meta:
        model = SavingsFigure
        fields = [
            "year",
            "enterprise",
            "district",
            "industry",
            "measure",
            "gain_t",
            "price_yuan_per_t",
            "price_on",
            "savings_yuan",
            "computed_at",
        ]
        order_by = ("-savings_yuan",)
        empty_text = gettext_lazy(
            "No savings figure matches these filters: figures appear once a measure gained "
            "allowances and the recompute has run."
        )


class SavingsListView(FilteredTableView):
    table_class = SavingsTable
    filterset_class = SavingsFilter
    title = gettext_lazy("Savings by measure")
    export_basename = "savings"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(permissions.can_see_savings(request.user))
        return super().dispatch(request, *args, **kwargs)

    def scoped_queryset(self, user):
        return selectors.savings_rows().filter(permissions.enterprise_scope(user))


savings_list = SavingsListView.as_view()
