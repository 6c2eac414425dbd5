"""Verification pages. Each view: permission getter → form → service → redirect + message."""

from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from baotou_carbon.core.history import history_entries
from baotou_carbon.core.views import FilteredTableView, form_page
from enterprises.models import Fuel, GeneratingUnit
from enterprises.permissions import agencies_for_user

from . import calculations as calc
from . import permissions, selectors, services
from .filters import CaseFilter, HolidayFilter, ParameterFilter, ReportFilter
from .forms import (
    NO_INPUT_MESSAGE,
    CalculatorForm,
    CaseAllocationForm,
    CaseCreateForm,
    CaseFiguresForm,
    ChecklistItemForm,
    ChecklistTemplateForm,
    ChecklistTemplateItemForm,
    DeadlineSettingsForm,
    EmissionParameterForm,
    EvidenceForm,
    EvidenceReviewForm,
    FindingAnswerForm,
    FindingForm,
    FuelLineFormSet,
    GainComponentForm,
    HolidayForm,
    ObjectionForm,
    ReportCreateForm,
    ReportMonthFormSet,
    ReReviewForm,
    TransitionForm,
)
from .models import (
    CaseStatus,
    ChecklistTemplate,
    ChecklistTemplateItem,
    DeadlineSettings,
    EmissionParameter,
    EvidenceStatus,
    EvidenceSubmission,
    GainComponent,
    Holiday,
    ReportLine,
    ReportStatus,
)
from .tables import CaseTable, HolidayTable, ParameterTable, ReportTable

if TYPE_CHECKING:
    from baotou_carbon.accounts.models import User

# Emission calculator ---------------------------------------------------------------------


def _calculate(form: CalculatorForm, formset) -> calc.EmissionBreakdown | None:
    """Run the calculation, turning a missing parameter into a message on the field at fault."""
    year = form.cleaned_data["year"]
    params = selectors.year_parameters(year)
    lines = formset.filled_lines()
    purchased = form.cleaned_data.get("purchased_mwh") or calc.ZERO
    if not lines and not purchased:
        form.add_error(None, NO_INPUT_MESSAGE)
        return None
    ok = True
    for line in lines:
        # add_error() drops the field from cleaned_data: read both values first.
        fuel = line.cleaned_data["fuel"]
        measured = line.cleaned_data.get("carbon_content_tc_per_gj")
        if fuel not in params.oxidation_rate:
            line.add_error("fuel", _("No oxidation rate is recorded for this fuel in that year."))
            ok = False
        if measured is None and fuel not in params.default_carbon_content:
            line.add_error(
                "carbon_content_tc_per_gj",
                _("No default carbon content for this fuel in that year: enter a measured one."),
            )
            ok = False
    if purchased and params.grid_factor is None:
        form.add_error("purchased_mwh", _("No grid emission factor is recorded for that year."))
        ok = False
    if not ok:
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
        on_valid=lambda data: (
            services.parameter_create(actor=request.user, **data) and "verification:parameters"
        ),
        title=_("New emission parameter"),
        success_message=_("The parameter was saved."),
        cancel_url="verification:parameters",
    )


@login_required
def parameter_update(request: HttpRequest, pk: int) -> HttpResponse:
    parameter = permissions.get_parameter_for_user_or_404(request.user, pk)
    form = EmissionParameterForm(request.POST or None, instance=parameter)
    return form_page(
        request,
        form,
        on_valid=lambda data: (
            services.parameter_update(parameter=parameter, actor=request.user, **data)
            and "verification:parameters"
        ),
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
        on_valid=lambda data: (
            services.holiday_create(actor=request.user, **data) and "verification:holidays"
        ),
        title=_("New calendar exception"),
        success_message=_("The calendar was saved."),
        cancel_url="verification:holidays",
    )


@login_required
def holiday_update(request: HttpRequest, pk: int) -> HttpResponse:
    holiday = permissions.get_holiday_for_user_or_404(request.user, pk)
    form = HolidayForm(request.POST or None, instance=holiday)
    return form_page(
        request,
        form,
        on_valid=lambda data: (
            services.holiday_update(holiday=holiday, actor=request.user, **data)
            and "verification:holidays"
        ),
        title=_("Edit %(name)s") % {"name": holiday},
        success_message=_("The calendar was saved."),
        cancel_url="verification:holidays",
    )


@require_POST
@login_required
def holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    holiday = permissions.get_holiday_for_user_or_404(request.user, pk)
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
        on_valid=lambda data: (
            services.deadline_settings_update(actor=request.user, **data)
            and "verification:holidays"
        ),
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
            "can_edit": permissions.can_edit_reference_data(request.user),
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
            "can_edit": permissions.can_edit_reference_data(request.user),
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
        on_valid=lambda data: services.template_create(actor=request.user, **data),
        title=_("New checklist template"),
        success_message=_("The template was saved."),
        cancel_url="verification:templates",
    )


@login_required
def template_update(request: HttpRequest, pk: int) -> HttpResponse:
    template = permissions.get_template_for_user_or_404(request.user, pk, for_write=True)
    form = ChecklistTemplateForm(request.POST or None, instance=template)
    return form_page(
        request,
        form,
        on_valid=lambda data: services.template_update(
            template=template, actor=request.user, **data
        ),
        title=_("Edit %(name)s") % {"name": template},
        success_message=_("The template was saved."),
        cancel_url=template.get_absolute_url(),
    )


@login_required
def template_item_create(request: HttpRequest, pk: int) -> HttpResponse:
    template = permissions.get_template_for_user_or_404(request.user, pk, for_write=True)
    next_position = (
        template.items.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    form = ChecklistTemplateItemForm(
        request.POST or None, template=template, initial={"position": next_position}
    )
    return form_page(
        request,
        form,
        on_valid=lambda data: (
            services.template_item_create(template=template, actor=request.user, **data).template
        ),
        title=_("New checkpoint in %(name)s") % {"name": template},
        success_message=_("The checkpoint was saved."),
        cancel_url=template.get_absolute_url(),
    )


@login_required
def template_item_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ChecklistTemplateItem.objects.select_related("template"), pk=pk)
    template = permissions.get_template_for_user_or_404(
        request.user, item.template_id, for_write=True
    )
    form = ChecklistTemplateItemForm(request.POST or None, instance=item, template=template)
    return form_page(
        request,
        form,
        on_valid=lambda data: (
            services.template_item_update(item=item, actor=request.user, **data).template
        ),
        title=_("Edit checkpoint %(position)s") % {"position": item.position},
        success_message=_("The checkpoint was saved."),
        cancel_url=template.get_absolute_url(),
    )


# Cases -----------------------------------------------------------------------------------


class CaseListView(FilteredTableView):
    table_class = CaseTable
    filterset_class = CaseFilter
    title = gettext_lazy("Verification cases")
    export_basename = "verification-cases"
    template_name = "verification/case_list.html"

    def scoped_queryset(self, user):
        return selectors.case_list(user)

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        if not permissions.can_see_workings(self.request.user, None):
            # The enterprise learns the verified figure from the notified conclusion.
            table.columns.hide("verified_emissions_t")
        return table

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = permissions.can_create_case(self.request.user)
        return context


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_case(request.user):
        raise PermissionDenied
    form = CaseCreateForm(request.POST or None)
    return form_page(
        request,
        form,
        on_valid=lambda data: services.case_create(actor=request.user, **data),
        title=_("New verification case"),
        success_message=_("The case was opened with its checklist."),
        cancel_url="verification:case_list",
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.get_case_for_user_or_404(request.user, pk)
    user = request.user
    context = selectors.case_detail(user, case)
    kind = permissions.actor_kind(user)
    can_work = permissions.can_work_on_case(user, case)
    context.update(
        case=case,
        # Every role that sees a case sees its enterprise (shared scoping); agencies are
        # visible to the bureau and to the agency's own users only.
        can_see_agency=agencies_for_user(user).filter(pk=case.agency_id).exists(),
        can_work=can_work,
        can_edit_open=can_work and case.status in services.WORKING_STATES,
        can_see_workings=permissions.can_see_workings(user, case),
        can_edit_gain=permissions.can_edit_gain(user),
        is_enterprise=permissions.is_case_enterprise(user, case),
        can_object=permissions.is_case_enterprise(user, case)
        and case.status == CaseStatus.NOTIFIED,
        can_decide=permissions.can_decide_re_review(user) and case.status == CaseStatus.OBJECTED,
        transition_form=TransitionForm(case=case, actor_kind=kind) if can_work else None,
        gain_form=GainComponentForm(case=case) if permissions.can_edit_gain(user) else None,
        show_conclusion=case.status
        in (
            CaseStatus.NOTIFIED,
            CaseStatus.OBJECTED,
            CaseStatus.RE_REVIEWED,
            CaseStatus.ARCHIVED,
        )
        or permissions.can_see_workings(user, case),
    )
    return render(request, "verification/case_detail.html", context)


@login_required
def case_update(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.get_case_for_user_or_404(request.user, pk, for_write=True)
    form = CaseFiguresForm(
        request.POST or None, instance=case, can_reassign=permissions.is_staff(request.user)
    )
    return form_page(
        request,
        form,
        on_valid=lambda data: services.case_update(case=case, actor=request.user, **data),
        title=_("Figures and conclusion of %(case)s") % {"case": case},
        success_message=_("The case was saved."),
        cancel_url=case.get_absolute_url(),
    )


@login_required
def case_allocation(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.get_case_for_staff_or_404(request.user, pk)
    form = CaseAllocationForm(request.POST or None, instance=case)
    return form_page(
        request,
        form,
        on_valid=lambda data: services.case_allocation_update(
            case=case, actor=request.user, **data
        ),
        title=_("Allocation before and after verification: %(case)s") % {"case": case},
        success_message=_("The allocation figures were saved."),
        cancel_url=case.get_absolute_url(),
    )


@login_required
def case_transition(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.get_case_for_user_or_404(request.user, pk)
    if not permissions.can_work_on_case(request.user, case):
        raise PermissionDenied
    kind = permissions.actor_kind(request.user)
    form = TransitionForm(request.POST or None, case=case, actor_kind=kind)
    return form_page(
        request,
        form,
        on_valid=lambda data: services.case_transition(
            case=case, target=data["target"], actor=request.user, note=data["note"]
        ),
        title=_("Next step for %(case)s") % {"case": case},
        success_message=_("The case moved on."),
        cancel_url=case.get_absolute_url(),
    )


@login_required
def checklist_item_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = permissions.get_checklist_item_for_user_or_404(request.user, pk)
    form = ChecklistItemForm(request.POST or None, instance=item)
    return form_page(
        request,
        form,
        on_valid=lambda data: (
            services.checklist_item_update(item=item, actor=request.user, **data).case
        ),
        title=f"{item.position}. {item.title}",
        success_message=_("The checklist item was saved."),
        cancel_url=item.case.get_absolute_url(),
        extra={"guidance": item.guidance},
    )


@login_required
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.get_case_for_user_or_404(request.user, pk, for_write=True)
    form = FindingForm(request.POST or None, case=case)
    return form_page(
        request,
        form,
        on_valid=lambda data: services.finding_create(case=case, actor=request.user, **data).case,
        title=_("New finding for %(case)s") % {"case": case},
        success_message=_("The finding was recorded."),
        cancel_url=case.get_absolute_url(),
    )


@login_required
def finding_update(request: HttpRequest, pk: int) -> HttpResponse:
    finding = permissions.get_finding_for_user_or_404(request.user, pk, for_write=True)
    form = FindingForm(request.POST or None, instance=finding, case=finding.case)
    return form_page(
        request,
        form,
        on_valid=lambda data: (
            services.finding_update(finding=finding, actor=request.user, **data).case
        ),
        title=_("Finding of %(case)s") % {"case": finding.case},
        success_message=_("The finding was saved."),
        cancel_url=finding.case.get_absolute_url(),
        extra={"finding": finding},
    )


@login_required
def finding_answer(request: HttpRequest, pk: int) -> HttpResponse:
    finding = permissions.get_finding_for_answer_or_404(request.user, pk)
    form = FindingAnswerForm(
        request.POST or None, initial={"response": finding.enterprise_response}
    )
    return form_page(
        request,
        form,
        on_valid=lambda data: (
            services.finding_answer(
                finding=finding, response=data["response"], actor=request.user
            ).case
        ),
        title=_("Answer the finding"),
        success_message=_("Your answer was sent."),
        cancel_url=finding.case.get_absolute_url(),
        template="verification/finding_answer.html",
        extra={"finding": finding},
    )


@login_required
def gain_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.get_case_for_staff_or_404(request.user, pk)
    form = GainComponentForm(request.POST or None, case=case)
    return form_page(
        request,
        form,
        on_valid=lambda data: (
            services.gain_component_create(case=case, actor=request.user, **data).case
        ),
        title=_("Allowance gain of %(case)s") % {"case": case},
        success_message=_("The gain component was added."),
        cancel_url=case.get_absolute_url(),
    )


@require_POST
@login_required
def gain_delete(request: HttpRequest, pk: int) -> HttpResponse:
    component = get_object_or_404(GainComponent, pk=pk)
    case = permissions.get_case_for_staff_or_404(request.user, component.case_id)
    services.gain_component_delete(component=component, actor=request.user)
    messages.success(request, _("The gain component was removed."))
    return redirect(f"{case.get_absolute_url()}#gain")


@login_required
def objection_lodge(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.get_case_for_enterprise_or_404(request.user, pk)
    form = ObjectionForm(request.POST or None)
    return form_page(
        request,
        form,
        on_valid=lambda data: (
            services.objection_lodge(case=case, grounds=data["grounds"], actor=request.user).case
        ),
        title=_("Object to the conclusion of %(case)s") % {"case": case},
        success_message=_("Your objection was lodged."),
        cancel_url=case.get_absolute_url(),
    )


@login_required
def re_review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.get_case_for_re_review_or_404(request.user, pk)
    form = ReReviewForm(request.POST or None)

    return form_page(
        request,
        form,
        on_valid=lambda data: services.re_review_decide(case=case, actor=request.user, **data).case,
        title=_("Re-review decision for %(case)s") % {"case": case},
        success_message=_("The re-review decision was recorded."),
        cancel_url=case.get_absolute_url(),
    )


# Monthly evidence ------------------------------------------------------------------------


def _board_year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return default
    return year if 2013 <= year <= 2100 else default


@login_required
def evidence_board(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    listed_years = selectors.board_years(request.user, today)
    year = _board_year(request, listed_years[0] if listed_years else today.year)
    context = selectors.evidence_board(request.user, year, today)
    context.update(
        year=year,
        today=today,
        years=sorted({*listed_years[:6], year}),
        months=range(1, 13),
        is_enterprise=permissions.can_create_report(request.user),
    )
    return render(request, "verification/evidence_board.html", context)


@login_required
def evidence_month(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    """The enterprise's form for one month: first submission, or resubmission once returned."""
    if not (1 <= month <= 12 and 2013 <= year <= 2100):
        raise Http404
    enterprise = permissions.get_board_enterprise_for_submit_or_404(request.user, pk)
    submission = EvidenceSubmission.objects.filter(
        enterprise=enterprise, year=year, month=month
    ).first()
    if submission is not None and submission.status != EvidenceStatus.RETURNED:
        return redirect(submission)
    deadlines = DeadlineSettings.current()
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        instance=submission or EvidenceSubmission(enterprise=enterprise, year=year, month=month),
        needs_file=submission is None,
        max_bytes=deadlines.max_upload_mb * 2**20,
    )
    return form_page(
        request,
        form,
        on_valid=lambda data: services.evidence_submit(
            enterprise=enterprise,
            year=year,
            month=month,
            actor=request.user,
            files=data["documents"],
            **{name: value for name, value in data.items() if name != "documents"},
        ),
        title=_("Monthly evidence %(year)s-%(month)02d of %(name)s")
        % {"year": year, "month": month, "name": enterprise},
        success_message=_("The month's evidence was submitted."),
        cancel_url=f"{reverse('verification:evidence_board')}?year={year}",
        template="verification/evidence_form.html",
        extra={
            "submission": submission,
            # A returned month keeps its files: list them, linked through the checked view.
            "files": list(submission.files.order_by("uploaded_at", "pk")) if submission else [],
            "month_deadlines": selectors.evidence_deadlines_for(year, month, deadlines),
        },
    )


@login_required
def evidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = permissions.get_evidence_for_user_or_404(request.user, pk)
    context = selectors.evidence_detail(submission)
    can_review = permissions.can_review_evidence(request.user, submission.enterprise)
    context.update(
        submission=submission,
        can_review=can_review and submission.status == EvidenceStatus.SUBMITTED,
        review_form=EvidenceReviewForm(),
        can_resubmit=permissions.can_submit_evidence(request.user, submission.enterprise_id)
        and submission.status == EvidenceStatus.RETURNED,
    )
    return render(request, "verification/evidence_detail.html", context)


@login_required
def evidence_review(request: HttpRequest, pk: int) -> HttpResponse:
    submission = permissions.get_evidence_for_review_or_404(request.user, pk)
    form = EvidenceReviewForm(request.POST or None)
    return form_page(
        request,
        form,
        on_valid=lambda data: services.evidence_review(
            submission=submission,
            accept=data["decision"] == "accept",
            comment=data["comment"],
            actor=request.user,
        ),
        title=_("Review %(submission)s") % {"submission": submission},
        success_message=_("The review was recorded."),
        cancel_url=submission.get_absolute_url(),
    )


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence files are never served as static or media: only here, after the check."""
    stored = permissions.get_evidence_file_for_user_or_404(request.user, pk)
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(handle, as_attachment=True, filename=stored.original_name)


# Annual emission reports -----------------------------------------------------------------


class ReportListView(FilteredTableView):
    table_class = ReportTable
    filterset_class = ReportFilter
    title = gettext_lazy("Annual emission reports")
    export_basename = "annual-reports"
    template_name = "verification/report_list.html"

    def scoped_queryset(self, user):
        return permissions.reports_for_user(user).select_related("enterprise")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = permissions.can_create_report(self.request.user)
        # No report at all (rather than none matching a filter): the table's count, already
        # taken for the pagination, says so without another query.
        filtered = any(v for k, v in self.request.GET.items() if k not in ("sort", "page"))
        context["no_reports_yet"] = not filtered and len(context["table"].data) == 0
        return context


@login_required
def report_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_report(request.user):
        raise PermissionDenied
    form = ReportCreateForm(request.POST or None)
    return form_page(
        request,
        form,
        on_valid=lambda data: services.report_create(
            enterprise=cast("User", request.user).enterprise,
            year=data["year"],
            actor=request.user,
        ),
        title=_("New annual emission report"),
        success_message=_("The report was started as a draft."),
        cancel_url="verification:report_list",
    )


def _report_page(request, report, *, status: int = 200, submit_errors=None) -> HttpResponse:
    context = selectors.report_detail(report)
    owner = permissions.is_report_owner(request.user, report)
    context.update(
        report=report,
        is_owner=owner,
        can_edit=owner and report.status == ReportStatus.DRAFT,
        can_revise=owner
        and report.status == ReportStatus.RETURNED
        and not any(v.previous_id == report.pk for v in context["versions"]),
        can_review=permissions.can_review_report(request.user)
        and report.status == ReportStatus.SUBMITTED,
        submit_errors=submit_errors or [],
    )
    return render(request, "verification/report_detail.html", context, status=status)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.get_report_for_user_or_404(request.user, pk)
    return _report_page(request, report)


@login_required
def report_unit_edit(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    report = permissions.get_report_for_owner_or_404(request.user, pk)
    unit = get_object_or_404(
        GeneratingUnit.objects.select_related("facility"),
        pk=unit_pk,
        facility__enterprise=report.enterprise_id,
    )
    if report.status != ReportStatus.DRAFT:
        raise PermissionDenied
    existing = {line.month: line for line in ReportLine.objects.filter(report=report, unit=unit)}
    initial = [
        {name: getattr(existing[m], name) for name in selectors.REPORT_FIELDS}
        if m in existing
        else {}
        for m in range(1, 13)
    ]
    formset = ReportMonthFormSet(request.POST or None, initial=initial, prefix="months")
    if request.method == "POST":
        if formset.is_valid():
            rows = {index: form.values() for index, form in enumerate(formset.forms, start=1)}
            services.report_unit_save(report=report, unit=unit, rows=rows, actor=request.user)
            messages.success(request, _("The draft was saved."))
            return redirect(report)
        for form in formset.forms:
            for name in form.errors:
                if name in form.fields:
                    widget = form.fields[name].widget
                    widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
    return render(
        request,
        "verification/report_unit_form.html",
        {"report": report, "unit": unit, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.get_report_for_owner_or_404(request.user, pk)
    try:
        services.report_submit(report=report, actor=request.user)
    except ValidationError as error:
        report.refresh_from_db()
        return _report_page(request, report, status=400, submit_errors=error.messages)
    messages.success(request, _("The report was submitted to the bureau."))
    return redirect(report)


@login_required
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.get_report_for_review_or_404(request.user, pk)
    form = EvidenceReviewForm(request.POST or None)
    return form_page(
        request,
        form,
        on_valid=lambda data: services.report_review(
            report=report,
            accept=data["decision"] == "accept",
            comment=data["comment"],
            actor=request.user,
        ),
        title=_("Review %(report)s") % {"report": report},
        success_message=_("The review was recorded."),
        cancel_url=report.get_absolute_url(),
    )


@require_POST
@login_required
def report_revise(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.get_report_for_owner_or_404(request.user, pk)
    try:
        revision = services.report_revise(report=report, actor=request.user)
    except ValidationError as error:
        return _report_page(request, report, status=400, submit_errors=error.messages)
    messages.success(
        request, _("Version %(n)s was started from the returned one.") % {"n": revision.version}
    )
    return redirect(revision)


@login_required
def report_compare(request: HttpRequest, pk: int) -> HttpResponse:
    after = permissions.get_report_for_user_or_404(request.user, pk)
    other = request.GET.get("with") or after.previous_id
    if not other:
        raise Http404
    try:
        before = permissions.get_report_for_user_or_404(request.user, int(other))
    except ValueError as bad:
        raise Http404 from bad
    if (before.enterprise_id, before.year) != (after.enterprise_id, after.year):
        raise Http404
    context = selectors.report_compare(before, after)
    context.update(before=before, after=after)
    return render(request, "verification/report_compare.html", context)
