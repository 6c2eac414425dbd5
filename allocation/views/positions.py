"""Compliance positions: the year's list (searchable, exported), the recompute on demand, and
the surrender figures staff record."""

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from baotou_carbon.core.access import require
from baotou_carbon.core.views import FilteredTableView, form_page
from enterprises.models import District
from enterprises.permissions import enterprises_for_user

from .. import permissions, selectors, services, tasks
from ..forms.positions import AllocationSettingsForm, SurrenderRecordForm
from ..models import (
    AllocationSettings,
    CompliancePosition,
    PositionBasis,
    PositionStatus,
    SurrenderRecord,
)


class PositionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search")
    # The year scopes the list before filtering (PositionListView); shown here to choose it.
    year = django_filters.ChoiceFilter(label=gettext_lazy("Year"), method="scoped_already")
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=PositionStatus.choices
    )
    district = django_filters.ChoiceFilter(
        label=gettext_lazy("District"), choices=District.choices, field_name="enterprise__district"
    )

    class Meta:
        model = CompliancePosition
        fields = ["q", "year", "status", "district"]

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = [(y, str(y)) for y in years]

    def scoped_already(self, queryset, name, value):
        return queryset

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(enterprise__name_zh__icontains=value)
            | Q(enterprise__name_en__icontains=value)
            | Q(enterprise__uscc__icontains=value)
        )


def _tonnes(verbose_name) -> tables.Column:
    return tables.Column(verbose_name=verbose_name, attrs={"td": {"class": "text-end text-nowrap"}})


class PositionTable(tables.Table):
    enterprise = tables.Column(
        accessor="enterprise__name_zh",
        verbose_name=gettext_lazy("Enterprise"),
        linkify=lambda record: reverse("enterprises:detail", args=[record.enterprise_id]),
    )
    allocation_t = _tonnes(gettext_lazy("Allocation (t)"))
    verified_emissions_t = _tonnes(gettext_lazy("Verified emissions (t)"))
    gap_cap_top_up_t = _tonnes(gettext_lazy("Gap-cap top-up (t)"))
    gas_exemption_top_up_t = _tonnes(gettext_lazy("Gas exemption (t)"))
    shortfall_t = _tonnes(gettext_lazy("Shortfall (t)"))
    shortfall_ratio = tables.Column(
        verbose_name=gettext_lazy("Shortfall ratio"), attrs={"td": {"class": "text-end"}}
    )
    advance_max_t = _tonnes(gettext_lazy("Advance at most (t)"))
    ccer_cap_t = _tonnes(gettext_lazy("CCER at most (t)"))
    surrendered_t = _tonnes(gettext_lazy("Surrendered (t)"))
    days_left = tables.Column(
        verbose_name=gettext_lazy("Days to the deadline"),
        accessor="deadline",
        attrs={"td": {"class": "text-end"}},
    )
    surrender = tables.Column(
        verbose_name="", accessor="pk", orderable=False, exclude_from_export=True
    )

    class Meta:
        model = CompliancePosition
        fields = [
            "enterprise",
            "allocation_t",
            "allocation_final",
            "verified_emissions_t",
            "gap_cap_top_up_t",
            "gas_exemption_top_up_t",
            "shortfall_t",
            "shortfall_ratio",
            "advance_eligible",
            "advance_max_t",
            "ccer_cap_t",
            "surrendered_t",
            "status",
            "deadline",
            "days_left",
            "computed_at",
            "surrender",
        ]
        order_by = ("-shortfall_ratio",)
        empty_text = gettext_lazy(
            "No position for this year yet: it appears once units have allocation data or a "
            "verification's figures are final."
        )

    def render_shortfall_ratio(self, value):
        return f"{value * 100:.2f}%"

    def value_shortfall_ratio(self, value):
        return value

    def render_days_left(self, value, record):
        if record.status == PositionStatus.COMPLIED:
            return "—"
        days = (value - timezone.localdate()).days
        return days if days >= 0 else _("%(days)s days overdue") % {"days": -days}

    def value_days_left(self, value, record):
        return (value - timezone.localdate()).days

    def render_surrender(self, value, record):
        url = reverse("allocation:surrender_record_edit", args=[record.enterprise_id, record.year])
        return format_html('<a href="{}">{}</a>', url, _("Surrender figures"))


class PositionListView(FilteredTableView):
    table_class = PositionTable
    filterset_class = PositionFilter
    template_name = "allocation/position_list.html"
    export_basename = "compliance-positions"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(permissions.can_see_positions(request.user))
        years = selectors.rule_set_years()
        try:
            self.year = int(request.GET.get("year") or 0)
        except ValueError:
            self.year = 0
        if self.year not in years:
            self.year = self._default_year(request.user, years)
        self.years = years
        self.title = _("Compliance positions %(year)s") % {"year": self.year}
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def _default_year(user, years: list[int]) -> int:
        with_positions = selectors.position_years(user) if user.is_authenticated else []
        if with_positions:
            return with_positions[0]
        return years[0] if years else timezone.localdate().year

    def scoped_queryset(self, user):
        return selectors.position_list(user, year=self.year)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = kwargs["data"].copy() if kwargs["data"] is not None else None
        if data is not None:
            data["year"] = str(self.year)
        kwargs.update(data=data, years=self.years)
        return kwargs

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        if not permissions.can_edit_surrender_records(self.request.user):
            table.columns.hide("surrender")
        return table

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            year=self.year,
            years=self.years,
            can_recompute=permissions.can_recompute_positions(self.request.user),
        )
        return context


position_list = PositionListView.as_view()


@require_POST
@login_required
def position_recompute(request: HttpRequest) -> HttpResponse:
    require(permissions.can_recompute_positions(request.user))
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    if year not in selectors.rule_set_years():
        messages.error(request, _("Choose a year that has a rule set."))
        return redirect("allocation:position_list")
    tasks.recompute_positions.delay(year=year)
    messages.success(
        request,
        _("The %(year)s positions are being recomputed; reload the page in a moment.")
        % {"year": year},
    )
    return redirect(f"{reverse('allocation:position_list')}?year={year}")


@login_required
def surrender_record_edit(request: HttpRequest, enterprise_pk: int, year: int) -> HttpResponse:
    enterprise = get_object_or_404(enterprises_for_user(request.user), pk=enterprise_pk)
    require(permissions.can_edit_surrender_records(request.user))
    if year not in selectors.rule_set_years():
        messages.error(request, _("Choose a year that has a rule set."))
        return redirect("allocation:position_list")
    record = SurrenderRecord.objects.filter(enterprise=enterprise, year=year).first()
    form = SurrenderRecordForm(request.POST or None, instance=record)
    back = f"{reverse('allocation:position_list')}?year={year}"
    return form_page(
        request,
        form,
        save=lambda: services.surrender_record_save(
            enterprise=enterprise, year=year, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=back,
        title=_("Surrender figures of %(enterprise)s for %(year)s")
        % {"enterprise": enterprise, "year": year},
        success_message=_("The surrender figures were saved; the position is being recomputed."),
        cancel_url=back,
    )


# Early warning ----------------------------------------------------------------------------------


@login_required
def early_warning(request: HttpRequest) -> HttpResponse:
    """The current year's positions projected from the monthly evidence received so far: staff
    see the enterprises at or past the warning threshold (or all), an enterprise its own."""
    require(permissions.can_see_positions(request.user))
    year = timezone.localdate().year
    threshold = AllocationSettings.current().warning_shortfall_ratio
    show_all = request.GET.get("all") == "1" or not permissions.is_bureau(request.user)
    rows = selectors.position_list(request.user, year=year, basis=PositionBasis.PROJECTED)
    if not show_all:
        rows = rows.filter(shortfall_ratio__gte=threshold)
    return render(
        request,
        "allocation/early_warning.html",
        {
            "year": year,
            "threshold": threshold,
            "threshold_percent": threshold * 100,
            "rows": list(rows),
            "show_all": show_all,
            "is_bureau": permissions.is_bureau(request.user),
            "can_project": permissions.can_recompute_positions(request.user),
        },
    )


@require_POST
@login_required
def early_warning_project(request: HttpRequest) -> HttpResponse:
    require(permissions.can_recompute_positions(request.user))
    year = timezone.localdate().year
    tasks.project_positions.delay(year=year)
    messages.success(
        request,
        _("The %(year)s projection is being recomputed; reload the page in a moment.")
        % {"year": year},
    )
    return redirect("allocation:early_warning")


@login_required
def allocation_settings_edit(request: HttpRequest) -> HttpResponse:
    require(permissions.can_edit_surrender_records(request.user))
    form = AllocationSettingsForm(request.POST or None, instance=AllocationSettings.current())
    return form_page(
        request,
        form,
        save=lambda: services.allocation_settings_update(
            **form.service_kwargs(), actor=request.user
        ),
        redirect_to="allocation:early_warning",
        title=_("Allocation settings"),
        success_message=_("The allocation settings were saved."),
        cancel_url="allocation:early_warning",
    )
