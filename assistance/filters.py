import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import District

from .models import (
    Draw,
    FollowUp,
    FollowUpStatus,
    Mode,
    Occasion,
    Training,
    TrainingMode,
    Visit,
    VisitStatus,
)

DATE = forms.DateInput(attrs={"type": "date"})


class VisitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Enterprise"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Name or credit code")}),
    )
    mode = django_filters.ChoiceFilter(label=_("Mode"), choices=Mode.choices)
    occasion = django_filters.ChoiceFilter(label=_("Occasion"), choices=Occasion.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=VisitStatus.choices)
    district = django_filters.ChoiceFilter(
        label=_("District"), choices=District.choices, method="in_district"
    )
    since = django_filters.DateFilter(
        label=_("From"), field_name="started_at", lookup_expr="date__gte", widget=DATE
    )
    until = django_filters.DateFilter(
        label=_("To"), field_name="started_at", lookup_expr="date__lte", widget=DATE
    )
    overdue = django_filters.BooleanFilter(
        label=_("With overdue follow-ups"), method="with_overdue", widget=forms.CheckboxInput
    )

    class Meta:
        model = Visit
        fields = ["q", "mode", "occasion", "status", "district", "since", "until", "overdue"]

    def _enterprise_exists(self, condition: Q):
        link = Visit.enterprises.through.objects.filter(condition, visit=OuterRef("pk"))
        return Exists(link)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            self._enterprise_exists(
                Q(enterprise__name_zh__icontains=value)
                | Q(enterprise__name_en__icontains=value)
                | Q(enterprise__uscc__icontains=value)
            )
        )

    def in_district(self, queryset, name, value):
        return queryset.filter(self._enterprise_exists(Q(enterprise__district=value)))

    def with_overdue(self, queryset, name, value):
        if not value:
            return queryset
        late = FollowUp.objects.filter(
            visit=OuterRef("pk"), due_on__lt=timezone.localdate()
        ).exclude(status=FollowUpStatus.CLOSED)
        return queryset.filter(Exists(late))


class FollowUpFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=FollowUpStatus.choices)
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="only_overdue", widget=forms.CheckboxInput
    )
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = FollowUp
        fields = ["q", "status", "overdue"]

    def only_overdue(self, queryset, name, value):
        return queryset.filter(is_overdue=True) if value else queryset

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(action__icontains=value)
            | Q(owner__icontains=value)
            | Q(enterprise__name_zh__icontains=value)
        )


class DrawFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(label=_("Title"), lookup_expr="icontains")

    class Meta:
        model = Draw
        fields = ["title"]


class TrainingFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(label=_("Title"), lookup_expr="icontains")
    mode = django_filters.ChoiceFilter(label=_("Mode"), choices=TrainingMode.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="held_on", lookup_expr="year")

    class Meta:
        model = Training
        fields = ["title", "mode", "year"]
