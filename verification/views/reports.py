"""Annual emission report pages: list, draft editing, submission, review, revision."""

from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from baotou_carbon.core.views import FilteredTableView, form_page
from enterprises.permissions import get_unit_for_user_or_404

from .. import permissions, selectors, services
from ..filters import ReportFilter
from ..forms import EvidenceReviewForm, ReportCreateForm, ReportMonthFormSet
from ..models import ReportLine, ReportStatus
from ..permissions import Need
from ..tables import ReportTable

if TYPE_CHECKING:
    from baotou_carbon.accounts.models import User

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
        save=lambda: services.report_create(
            enterprise=cast("User", request.user).enterprise,
            **form.service_kwargs(),
            actor=request.user,
        ),
        redirect_to=lambda report: report.get_absolute_url(),
        title=_("New annual emission report"),
        success_message=_("The report was started as a draft."),
        cancel_url="verification:report_list",
    )


def _report_page(request, report, *, status: int = 200, submit_errors=None) -> HttpResponse:
    context = selectors.report_detail(report)
    revised = any(v.previous_id == report.pk for v in context["versions"])
    context.update(
        report=report,
        caps=permissions.report_capabilities(request.user, report, revised=revised),
        submit_errors=submit_errors or [],
    )
    return render(request, "verification/report_detail.html", context, status=status)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.get_report_for_user_or_404(request.user, pk)
    return _report_page(request, report)


@login_required
def report_unit_edit(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    report = permissions.get_report_for_user_or_404(request.user, pk, need=Need.SUBMIT)
    unit = get_unit_for_user_or_404(request.user, unit_pk)
    if unit.facility.enterprise_id != report.enterprise_id:
        raise Http404
    if report.status != ReportStatus.DRAFT:
        raise PermissionDenied
    existing = {line.month: line for line in ReportLine.objects.filter(report=report, unit=unit)}
    initial = [
        {name: getattr(existing[m], name) for name in ReportLine.ACTIVITY_FIELDS}
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
    report = permissions.get_report_for_user_or_404(request.user, pk, need=Need.SUBMIT)
    try:
        services.report_submit(report=report, actor=request.user)
    except ValidationError as error:
        report.refresh_from_db()
        return _report_page(request, report, status=400, submit_errors=error.messages)
    messages.success(request, _("The report was submitted to the bureau."))
    return redirect(report)


@login_required
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.get_report_for_user_or_404(request.user, pk, need=Need.REVIEW)
    form = EvidenceReviewForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: services.report_review(
            report=report, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=report.get_absolute_url(),
        title=_("Review %(report)s") % {"report": report},
        success_message=_("The review was recorded."),
        cancel_url=report.get_absolute_url(),
    )


@require_POST
@login_required
def report_revise(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.get_report_for_user_or_404(request.user, pk, need=Need.SUBMIT)
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
