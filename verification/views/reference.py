"""Verification reference pages: the emission calculator, parameters, the working-day
calendar and deadlines, checklist templates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from baotou_carbon.core.history import history_entries
from baotou_carbon.core.views import FilteredTableView, form_page
from enterprises.models import Fuel

from .. import calculations as calc
from .. import permissions, selectors, services
from ..filters import HolidayFilter, ParameterFilter
from ..forms import (
    NO_INPUT_MESSAGE,
    CalculatorForm,
    ChecklistTemplateForm,
    ChecklistTemplateItemForm,
    DeadlineSettingsForm,
    EmissionParameterForm,
    FuelLineFormSet,
    HolidayForm,
)
from ..models import (
    ChecklistTemplate,
    ChecklistTemplateItem,
    DeadlineSettings,
    EmissionParameter,
    Holiday,
)
from ..permissions import Need
from ..tables import HolidayTable, ParameterTable

# Emission calculator ---------------------------------------------------------------------


# Where the calculator page shows a missing parameter, and how it words it.
GAP_MESSAGES = {
    "oxidation_rate": (
        "fuel",
        gettext_lazy("No oxidation rate is recorded for this fuel in that year."),
    ),
    "default_carbon_content": (
        "carbon_content_tc_per_gj",
        gettext_lazy("No default carbon content for this fuel in that year: enter a measured one."),
    ),
    "grid_factor": (
        "purchased_mwh",
        gettext_lazy("No grid emission factor is recorded for that year."),
    ),
}


def _calculate(form: CalculatorForm, formset) -> calc.EmissionBreakdown | None:
    """Run the calculation, turning a missing parameter into a message on the field at fault."""
    year = form.cleaned_data["year"]
    params = selectors.year_parameters(year)
    lines = formset.filled_lines()
    purchased = form.cleaned_data.get("purchased_mwh") or calc.ZERO
    if not lines and not purchased:
        form.add_error(None, NO_INPUT_MESSAGE)
        return None
    # All gaps first: add_error() drops the field from cleaned_data.
    gaps = calc.missing_parameters(
        params,
        [
            (line.cleaned_data["fuel"], line.cleaned_data.get("carbon_content_tc_per_gj"))
            for line in lines
        ],
        purchased,
    )
    for gap in gaps:
        field, message = GAP_MESSAGES[gap.kind]
        (form if gap.line is None else lines[gap.line]).add_error(field, str(message))
    if gaps:
        return None
    return calc.emissions(
        params=params,
        fuels=[
            calc.FuelInput(
                fuel=line.cleaned_data["fuel"],
                consumption_t=line.cleaned_data["consumption_t"],
                ncv_gj_per_t=line.cleaned_data["ncv_gj_per_t"],
                carbon_content_tc_per_gj=line.cleaned_data.get("carbon_content_tc_per_gj"),
                label=str(Fuel(line.cleaned_data["fuel"]).label),
            )
            for line in lines
        ],
        purchased_mwh=purchased,
    )


@login_required
def calculator(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = CalculatorForm(data, initial={"year": 2022})
    formset = FuelLineFormSet(data, prefix="fuels")
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            result = _calculate(form, formset)
        if result is None:
            status = 400
    return render(
        request,
        "verification/calculator.html",
        {
            "form": form,
            "formset": formset,
            "result": result,
            "parameters": selectors.parameter_rows(result.year) if result else [],
        },
        status=status,
    )


# Reference data --------------------------------------------------------------------------


class ParameterListView(FilteredTableView):
    table_class = ParameterTable
    filterset_class = ParameterFilter
    title = gettext_lazy("Emission parameters")
    export_basename = "emission-parameters"
    template_name = "verification/parameter_list.html"

    def scoped_queryset(self, user):
        return selectors.parameter_list()

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        if not permissions.can_edit_reference_data(self.request.user):
            table.columns.hide("edit")
        return table

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = permissions.can_edit_reference_data(self.request.user)
        return context


@login_required
def parameter_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_edit_reference_data(request.user):
        raise PermissionDenied
    form = EmissionParameterForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: services.parameter_create(**form.service_kwargs(), actor=request.user),
        redirect_to="verification:parameters",
        title=_("New emission parameter"),
        success_message=_("The parameter was saved."),
        cancel_url="verification:parameters",
    )


@login_required
def parameter_update(request: HttpRequest, pk: int) -> HttpResponse:
    parameter = permissions.get_parameter_for_user_or_404(request.user, pk, need=Need.EDIT)
    form = EmissionParameterForm(request.POST or None, instance=parameter)
    return form_page(
        request,
        form,
        save=lambda: services.parameter_update(
            parameter=parameter, **form.service_kwargs(), actor=request.user
        ),
        redirect_to="verification:parameters",
        title=_("Edit %(name)s") % {"name": parameter},
        success_message=_("The parameter was saved."),
        cancel_url="verification:parameters",
        template="verification/form_with_history.html",
        extra={"history": history_entries([EmissionParameter.history.filter(id=parameter.pk)])},
    )


class HolidayListView(FilteredTableView):
    table_class = HolidayTable
    filterset_class = HolidayFilter
    title = gettext_lazy("Working-day calendar")
    export_basename = "calendar"
    template_name = "verification/holiday_list.html"

    def scoped_queryset(self, user):
        return Holiday.objects.order_by("date")

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        if not permissions.can_edit_reference_data(self.request.user):
            table.columns.hide("edit")
        return table

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = permissions.can_edit_reference_data(self.request.user)
        context["deadlines"] = DeadlineSettings.current()
        return context


@login_required
def holiday_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_edit_reference_data(request.user):
        raise PermissionDenied
    form = HolidayForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: services.holiday_create(**form.service_kwargs(), actor=request.user),
        redirect_to="verification:holidays",
        title=_("New calendar exception"),
        success_message=_("The calendar was saved."),
        cancel_url="verification:holidays",
    )


@login_required
def holiday_update(request: HttpRequest, pk: int) -> HttpResponse:
    holiday = permissions.get_holiday_for_user_or_404(request.user, pk, need=Need.EDIT)
    form = HolidayForm(request.POST or None, instance=holiday)
    return form_page(
        request,
        form,
        save=lambda: services.holiday_update(
            holiday=holiday, **form.service_kwargs(), actor=request.user
        ),
        redirect_to="verification:holidays",
        title=_("Edit %(name)s") % {"name": holiday},
        success_message=_("The calendar was saved."),
        cancel_url="verification:holidays",
    )


@require_POST
@login_required
def holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    holiday = permissions.get_holiday_for_user_or_404(request.user, pk, need=Need.EDIT)
    services.holiday_delete(holiday=holiday, actor=request.user)
    messages.success(request, _("The calendar exception was removed."))
    return redirect("verification:holidays")


@login_required
def deadline_settings(request: HttpRequest) -> HttpResponse:
    if not permissions.can_edit_reference_data(request.user):
        raise PermissionDenied
    current = DeadlineSettings.current()
    form = DeadlineSettingsForm(request.POST or None, instance=current)
    return form_page(
        request,
        form,
        save=lambda: services.deadline_settings_update(**form.service_kwargs(), actor=request.user),
        redirect_to="verification:holidays",
        title=_("Deadlines"),
        success_message=_("The deadlines were saved."),
        cancel_url="verification:holidays",
        template="verification/form_with_history.html",
        extra={"history": history_entries([DeadlineSettings.history.all()])},
    )


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_templates(request.user):
        raise PermissionDenied
    return render(
        request,
        "verification/template_list.html",
        {
            "templates": ChecklistTemplate.objects.prefetch_related(
                selectors.template_items_prefetch()
            ),
            "caps": permissions.template_capabilities(request.user),
        },
    )


@login_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = permissions.get_template_for_user_or_404(request.user, pk)
    return render(
        request,
        "verification/template_detail.html",
        {
            "template": template,
            "items": list(template.items.order_by("position")),
            "caps": permissions.template_capabilities(request.user),
            "history": history_entries(
                [
                    ChecklistTemplate.history.filter(id=template.pk),
                    ChecklistTemplateItem.history.filter(template_id=template.pk),
                ]
            ),
        },
    )


@login_required
def template_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_edit_reference_data(request.user):
        raise PermissionDenied
    form = ChecklistTemplateForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: services.template_create(**form.service_kwargs(), actor=request.user),
        redirect_to=lambda template: template.get_absolute_url(),
        title=_("New checklist template"),
        success_message=_("The template was saved."),
        cancel_url="verification:templates",
    )


@login_required
def template_update(request: HttpRequest, pk: int) -> HttpResponse:
    template = permissions.get_template_for_user_or_404(request.user, pk, need=Need.EDIT)
    form = ChecklistTemplateForm(request.POST or None, instance=template)
    return form_page(
        request,
        form,
        save=lambda: services.template_update(
            template=template, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=template.get_absolute_url(),
        title=_("Edit %(name)s") % {"name": template},
        success_message=_("The template was saved."),
        cancel_url=template.get_absolute_url(),
    )


@login_required
def template_item_create(request: HttpRequest, pk: int) -> HttpResponse:
    template = permissions.get_template_for_user_or_404(request.user, pk, need=Need.EDIT)
    next_position = (
        template.items.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    form = ChecklistTemplateItemForm(
        request.POST or None, template=template, initial={"position": next_position}
    )
    return form_page(
        request,
        form,
        save=lambda: services.template_item_create(
            template=template, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=template.get_absolute_url(),
        title=_("New checkpoint in %(name)s") % {"name": template},
        success_message=_("The checkpoint was saved."),
        cancel_url=template.get_absolute_url(),
    )


@login_required
def template_item_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = permissions.get_template_item_for_user_or_404(request.user, pk, need=Need.EDIT)
    template = item.template
    form = ChecklistTemplateItemForm(request.POST or None, instance=item, template=template)
    return form_page(
        request,
        form,
        save=lambda: services.template_item_update(
            item=item, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=template.get_absolute_url(),
        title=_("Edit checkpoint %(position)s") % {"position": item.position},
        success_message=_("The checkpoint was saved."),
        cancel_url=template.get_absolute_url(),
    )
