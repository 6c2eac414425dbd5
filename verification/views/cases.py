"""Verification case pages: the case, its checklist, findings, gain and objection."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from baotou_carbon.core.views import FilteredTableView, form_page

from .. import permissions, selectors, services
from ..filters import CaseFilter
from ..forms import (
    CaseAgencyForm,
    CaseCreateForm,
    CaseFiguresForm,
    ChecklistItemForm,
    FindingAnswerForm,
    FindingForm,
    GainComponentForm,
    ObjectionForm,
    ReReviewForm,
    TransitionForm,
)
from ..permissions import Need
from ..tables import CaseTable

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
        context["can_view_templates"] = permissions.can_view_templates(self.request.user)
        return context


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_case(request.user):
        raise PermissionDenied
    form = CaseCreateForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: services.case_create(**form.service_kwargs(), actor=request.user),
        redirect_to=lambda case: case.get_absolute_url(),
        title=_("New verification case"),
        success_message=_("The case was opened with its checklist."),
        cancel_url="verification:case_list",
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.get_case_for_user_or_404(request.user, pk)
    context = selectors.case_detail(request.user, case)
    caps = permissions.case_capabilities(request.user, case)
    kind = permissions.actor_kind(request.user)
    context.update(
        case=case,
        caps=caps,
        transition_form=TransitionForm(case=case, actor_kind=kind) if caps.can_work else None,
        gain_form=GainComponentForm(case=case) if caps.can_edit_gain else None,
    )
    return render(request, "verification/case_detail.html", context)


@login_required
def case_update(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.get_case_for_user_or_404(request.user, pk, need=Need.WORK)
    form = CaseFiguresForm(request.POST or None, instance=case)
    return form_page(
        request,
        form,
        save=lambda: services.case_update(case=case, **form.service_kwargs(), actor=request.user),
        redirect_to=case.get_absolute_url(),
        title=_("Figures and conclusion of %(case)s") % {"case": case},
        success_message=_("The case was saved."),
        cancel_url=case.get_absolute_url(),
    )


@login_required
def case_agency_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.get_case_for_user_or_404(request.user, pk, need=Need.MANAGE)
    form = CaseAgencyForm(request.POST or None, instance=case)
    return form_page(
        request,
        form,
        save=lambda: services.case_agency_reassign(
            case=case, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=case.get_absolute_url(),
        title=_("Reassign %(case)s to another agency") % {"case": case},
        success_message=_("The case was reassigned."),
        cancel_url=case.get_absolute_url(),
    )


@login_required
def case_transition(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.get_case_for_user_or_404(request.user, pk, need=Need.WORK)
    kind = permissions.actor_kind(request.user)
    form = TransitionForm(request.POST or None, case=case, actor_kind=kind)
    return form_page(
        request,
        form,
        save=lambda: services.case_transition(
            case=case, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=case.get_absolute_url(),
        title=_("Next step for %(case)s") % {"case": case},
        success_message=_("The case moved on."),
        cancel_url=case.get_absolute_url(),
    )


@login_required
def checklist_item_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = permissions.get_checklist_item_for_user_or_404(request.user, pk, need=Need.WORK)
    form = ChecklistItemForm(request.POST or None, instance=item)
    return form_page(
        request,
        form,
        save=lambda: services.checklist_item_update(
            item=item, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=item.case.get_absolute_url(),
        title=f"{item.position}. {item.title}",
        success_message=_("The checklist item was saved."),
        cancel_url=item.case.get_absolute_url(),
        extra={"guidance": item.guidance},
    )


@login_required
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.get_case_for_user_or_404(request.user, pk, need=Need.WORK)
    form = FindingForm(request.POST or None, case=case)
    return form_page(
        request,
        form,
        save=lambda: services.finding_create(
            case=case, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=case.get_absolute_url(),
        title=_("New finding for %(case)s") % {"case": case},
        success_message=_("The finding was recorded."),
        cancel_url=case.get_absolute_url(),
    )


@login_required
def finding_update(request: HttpRequest, pk: int) -> HttpResponse:
    finding = permissions.get_finding_for_user_or_404(request.user, pk, need=Need.WORK)
    form = FindingForm(request.POST or None, instance=finding, case=finding.case)
    return form_page(
        request,
        form,
        save=lambda: services.finding_update(
            finding=finding, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=finding.case.get_absolute_url(),
        title=_("Finding of %(case)s") % {"case": finding.case},
        success_message=_("The finding was saved."),
        cancel_url=finding.case.get_absolute_url(),
        extra={"finding": finding},
    )


@login_required
def finding_answer(request: HttpRequest, pk: int) -> HttpResponse:
    finding = permissions.get_finding_for_user_or_404(request.user, pk, need=Need.ANSWER)
    form = FindingAnswerForm(
        request.POST or None, initial={"response": finding.enterprise_response}
    )
    return form_page(
        request,
        form,
        save=lambda: services.finding_answer(
            finding=finding, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=finding.case.get_absolute_url(),
        title=_("Answer the finding"),
        success_message=_("Your answer was sent."),
        cancel_url=finding.case.get_absolute_url(),
        template="verification/finding_answer.html",
        extra={"finding": finding},
    )


@login_required
def gain_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.get_case_for_user_or_404(request.user, pk, need=Need.MANAGE)
    form = GainComponentForm(request.POST or None, case=case)
    return form_page(
        request,
        form,
        save=lambda: services.gain_component_create(
            case=case, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=case.get_absolute_url(),
        title=_("Allowance gain of %(case)s") % {"case": case},
        success_message=_("The gain component was added."),
        cancel_url=case.get_absolute_url(),
    )


@require_POST
@login_required
def gain_delete(request: HttpRequest, pk: int) -> HttpResponse:
    component = permissions.get_gain_component_for_user_or_404(request.user, pk, need=Need.MANAGE)
    try:
        services.gain_component_delete(component=component, actor=request.user)
    except ValidationError as error:  # the case is closed
        raise PermissionDenied(" ".join(error.messages)) from error
    messages.success(request, _("The gain component was removed."))
    return redirect(f"{component.case.get_absolute_url()}#gain")


@login_required
def objection_lodge(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.get_case_for_user_or_404(request.user, pk, need=Need.OBJECT)
    form = ObjectionForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: services.objection_lodge(
            case=case, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=case.get_absolute_url(),
        title=_("Object to the conclusion of %(case)s") % {"case": case},
        success_message=_("Your objection was lodged."),
        cancel_url=case.get_absolute_url(),
    )


@login_required
def re_review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.get_case_for_user_or_404(request.user, pk, need=Need.RE_REVIEW)
    form = ReReviewForm(request.POST or None)

    return form_page(
        request,
        form,
        save=lambda: services.re_review_decide(
            case=case, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=case.get_absolute_url(),
        title=_("Re-review decision for %(case)s") % {"case": case},
        success_message=_("The re-review decision was recorded."),
        cancel_url=case.get_absolute_url(),
    )
