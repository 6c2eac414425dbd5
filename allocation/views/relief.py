"""Relief application pages (DOMAIN §4): the list, the enterprise's draft and its documents,
the detail with the pre-check, and one POST view per step of the workflow. Thin: permission
getter → form → service → redirect; a refusal is shown on the detail page with a 400."""

from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from baotou_carbon.core.access import require
from baotou_carbon.core.files import stored_file_response
from baotou_carbon.core.history import history_entries
from baotou_carbon.core.views import FilteredTableView, add_service_errors, form_page
from enterprises.models import Enterprise

from .. import permissions, selectors, services
from ..forms.relief import (
    ReliefCreateForm,
    ReliefDecisionForm,
    ReliefDocumentForm,
    ReliefFilter,
    ReliefForwardForm,
    ReliefReturnForm,
    ReliefSubmitForm,
    ReliefUpdateForm,
    ReliefWithdrawForm,
)
from ..models import ReliefApplication, ReliefDocument, ReliefKind, ReliefStatus
from ..permissions import Need

# While an application is open, the detail page pre-checks it afresh.
OPEN = frozenset(
    {ReliefStatus.DRAFT, ReliefStatus.RETURNED, ReliefStatus.SUBMITTED, ReliefStatus.FORWARDED}
)

# The list ------------------------------------------------------------------------------------


class ReliefTable(tables.Table):
    enterprise = tables.Column(
        accessor="enterprise__name_zh",
        verbose_name=gettext_lazy("Enterprise"),
        linkify=lambda record: record.get_absolute_url(),
    )

    class Meta:
        model = ReliefApplication
        fields = [
            "enterprise",
            "year",
            "kind",
            "status",
            "requested_t",
            "granted_t",
            "decision_reference",
            "updated_at",
        ]
        empty_text = gettext_lazy("No relief application matches these filters.")


class ReliefListView(FilteredTableView):
    table_class = ReliefTable
    filterset_class = ReliefFilter
    title = gettext_lazy("Relief applications")
    export_basename = "relief-applications"
    template_name = "allocation/relief_list.html"

    def scoped_queryset(self, user):
        return selectors.relief_list(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_apply"] = permissions.can_apply_for_relief(self.request.user)
        return context


relief_list = ReliefListView.as_view()


# The draft -----------------------------------------------------------------------------------


@login_required
def relief_create(request: HttpRequest) -> HttpResponse:
    require(permissions.can_apply_for_relief(request.user))
    enterprise = get_object_or_404(Enterprise, users__pk=request.user.pk)  # its own, only
    form = ReliefCreateForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: services.relief_create(
            enterprise=enterprise, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=lambda application: application.get_absolute_url(),
        title=_("New relief application"),
        success_message=_("The draft was created: add its documents, then submit it."),
        cancel_url="allocation:relief_list",
    )


@login_required
def relief_update(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_relief_for_user_or_404(request.user, pk, need=Need.APPLY)
    if not permissions.relief_capabilities(request.user, application).edit:
        messages.error(request, _("Only a draft or a returned application can be changed."))
        return redirect(application)
    form = ReliefUpdateForm(request.POST or None, instance=application)
    return form_page(
        request,
        form,
        save=lambda: services.relief_update(
            application=application, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=application.get_absolute_url(),
        title=_("Change %(application)s") % {"application": application},
        success_message=_("The application was saved."),
        cancel_url=application.get_absolute_url(),
    )


# The detail page -----------------------------------------------------------------------------


@login_required
def relief_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_relief_for_user_or_404(request.user, pk)
    return _detail_page(request, application)


def _detail_page(
    request: HttpRequest,
    application: ReliefApplication,
    *,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The application with its documents, pre-check, steps and history, and the forms of
    the steps the user may take; `bound` is the form of a step just refused, with its errors."""
    application = selectors.relief_detail(application)
    can = permissions.relief_capabilities(request.user, application)
    step_forms = {
        "document_form": ReliefDocumentForm() if can.edit else None,
        "submit_form": ReliefSubmitForm() if can.submit else None,
        "withdraw_form": ReliefWithdrawForm() if can.withdraw else None,
        "return_form": ReliefReturnForm() if can.return_to_enterprise else None,
        "forward_form": ReliefForwardForm() if can.forward else None,
        "decision_form": ReliefDecisionForm() if can.decide else None,
    }
    step_forms.update(bound or {})
    context = {
        "application": application,
        "can": can,
        "is_advance": application.kind == ReliefKind.ADVANCE,
        "precheck": precheck_panel(application) if application.status in OPEN else None,
        "snapshot": snapshot_rows(application.eligibility),
        "documents": application.documents.all(),
        "steps": application.status_changes.all(),
        "history": history_entries(
            [
                ReliefApplication.history.filter(id=application.pk),
                ReliefDocument.history.filter(application_id=application.pk),
            ]
        ),
        **step_forms,
    }
    return render(request, "allocation/relief_detail.html", context, status=status)


def _percent(ratio) -> Decimal | None:
    return None if ratio is None else Decimal(ratio) * 100


def precheck_panel(application: ReliefApplication) -> dict[str, Any]:
    """What the pre-check finds now (services.relief_precheck), with the rule values as the
    panel shows them."""
    check = services.relief_precheck(
        enterprise_id=application.enterprise_id,
        year=application.year,
        kind=application.kind,
        requested_t=application.requested_t,
    )
    rules = check["rules"]
    return {
        **check,
        "threshold_percent": _percent(rules.advance_threshold) if rules else None,
        "share_percent": _percent(rules.advance_share) if rules else None,
        "source_year": rules.advance_source_year if rules else None,
    }


# The pre-check stored at submission, as the page lists it: key, label, how it reads.
SNAPSHOT_ROWS = (
    ("requested_t", gettext_lazy("Allowances requested"), "t"),
    ("allocation_t", gettext_lazy("Allocation"), "t"),
    ("verified_emissions_t", gettext_lazy("Verified emissions"), "t"),
    ("gap_cap_top_up_t", gettext_lazy("Gap-cap top-up"), "t"),
    ("shortfall_t", gettext_lazy("Shortfall after the gap cap"), "t"),
    ("shortfall_ratio", gettext_lazy("Shortfall ratio"), "%"),
    ("threshold", gettext_lazy("Advance threshold"), "%"),
    ("share", gettext_lazy("Share of the shortfall that may be advanced"), "%"),
    ("advance_max_t", gettext_lazy("Maximum advance"), "t"),
    ("source_year", gettext_lazy("Advanced from the pre-allocation of"), "year"),
)


def snapshot_rows(eligibility: dict) -> list[dict[str, Any]]:
    """The stored `eligibility` snapshot as labelled rows (percentages from ratios)."""
    rows = []
    for key, label, unit in SNAPSHOT_ROWS:
        value = eligibility.get(key)
        if value is None:
            continue
        if unit == "t":
            value = Decimal(value)
        elif unit == "%":
            value = _percent(value)
        rows.append({"key": key, "label": label, "value": value, "unit": unit})
    return rows


# Documents -----------------------------------------------------------------------------------


@require_POST
@login_required
def relief_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_relief_for_user_or_404(request.user, pk, need=Need.APPLY)
    form = ReliefDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            with transaction.atomic():  # every file, or none
                for upload in form.cleaned_data["uploads"]:
                    services.relief_document_add(
                        application=application, upload=upload, actor=request.user
                    )
        except ValidationError as error:
            add_service_errors(form, error, field="uploads")
        else:
            messages.success(request, _("The documents were added."))
            return redirect(f"{application.get_absolute_url()}#documents")
    return _detail_page(request, application, bound={"document_form": form}, status=400)


@login_required
def relief_document(request: HttpRequest, pk: int) -> FileResponse:
    """Relief documents are never served as static or media: only here, after the check."""
    return stored_file_response(permissions.get_relief_document_for_user_or_404(request.user, pk))


# Steps ---------------------------------------------------------------------------------------


def _step(
    request: HttpRequest,
    pk: int,
    *,
    need: Need,
    form_class,
    form_name: str,
    service,
    done: str,
) -> HttpResponse:
    """One step of the workflow: the getter with the step's need, the step's form, the
    service; a refusal (each of its messages) is shown on the detail page, with a 400."""
    application = permissions.get_relief_for_user_or_404(request.user, pk, need=need)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(application=application, **form.service_kwargs(), actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(application)
    return _detail_page(request, application, bound={form_name: form}, status=400)


@require_POST
@login_required
def relief_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        need=Need.APPLY,
        form_class=ReliefSubmitForm,
        form_name="submit_form",
        service=services.relief_submit,
        done=_("The application was submitted to the bureau."),
    )


@require_POST
@login_required
def relief_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        need=Need.APPLY,
        form_class=ReliefWithdrawForm,
        form_name="withdraw_form",
        service=services.relief_withdraw,
        done=_("The application was withdrawn."),
    )


@require_POST
@login_required
def relief_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        need=Need.HANDLE,
        form_class=ReliefReturnForm,
        form_name="return_form",
        service=services.relief_return,
        done=_("The application was returned to the enterprise."),
    )


@require_POST
@login_required
def relief_forward(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        need=Need.HANDLE,
        form_class=ReliefForwardForm,
        form_name="forward_form",
        service=services.relief_forward,
        done=_("The application was forwarded to the province."),
    )


@require_POST
@login_required
def relief_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        need=Need.HANDLE,
        form_class=ReliefDecisionForm,
        form_name="decision_form",
        service=services.relief_decide,
        done=_("The province's decision was recorded."),
    )
