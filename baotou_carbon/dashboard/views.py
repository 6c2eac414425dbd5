from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allocation import selectors as allocation
from allocation import services as allocation_services
from enterprises.permissions import is_agency_user

from . import summary
from .export import summary_workbook
from .forms import DashboardFilterForm
from .permissions import can_start_recompute, can_view_dashboard
from .selectors import home_summary


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and container health checks: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "dashboard/home.html",
        {"summary": home_summary(request.user), "is_agency_user": is_agency_user(request.user)},
    )


# The manager dashboard -----------------------------------------------------------------------


def _filters(request: HttpRequest) -> DashboardFilterForm:
    years = summary.dashboard_years()
    data = {
        "year": request.GET.get("year") or summary.default_year(),
        "district": request.GET.get("district", ""),
    }
    form = DashboardFilterForm(data, years=years)
    if not form.is_valid():  # a hand-typed bad value: the default, and a message says so
        messages.warning(
            request, _("That year or district is not offered: the dashboard shows the default.")
        )
        form = DashboardFilterForm({"year": summary.default_year(), "district": ""}, years=years)
        form.is_valid()
    return form


def _require_dashboard(request: HttpRequest) -> None:
    if not can_view_dashboard(request.user):
        raise PermissionDenied(_("Only bureau staff and managers may open the dashboard."))


@login_required
def manager(request: HttpRequest) -> HttpResponse:
    _require_dashboard(request)
    form = _filters(request)
    year, district = form.cleaned_data["year"], form.cleaned_data["district"] or None
    payload = summary.dashboard_summary(year=year, district=district)
    return render(
        request,
        "dashboard/manager.html",
        {
            "form": form,
            "payload": payload,
            "year": year,
            "district": district or "",
            "can_recompute": can_start_recompute(request.user),
        },
    )


@login_required
def manager_export(request: HttpRequest) -> HttpResponse:
    _require_dashboard(request)
    form = _filters(request)
    year, district = form.cleaned_data["year"], form.cleaned_data["district"] or None
    payload = summary.dashboard_summary(year=year, district=district)
    response = HttpResponse(
        summary_workbook(payload),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"dashboard-{year}{'-' + district if district else ''}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def recompute_start(request: HttpRequest) -> HttpResponse:
    if not can_start_recompute(request.user):
        raise PermissionDenied(_("Only bureau staff and managers may recompute the savings."))
    run = allocation_services.savings_run_start(actor=request.user)
    return redirect("dashboard:recompute", pk=run.pk)


def _run_for(request: HttpRequest, pk: int):
    _require_dashboard(request)
    return get_object_or_404(allocation.savings_runs(), pk=pk)


@login_required
def recompute_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The run's progress, which the page's script refreshes from `recompute_status`."""
    return render(request, "dashboard/recompute.html", {"run": _run_for(request, pk)})


@login_required
def recompute_status(request: HttpRequest, pk: int) -> JsonResponse:
    run = _run_for(request, pk)
    response = JsonResponse(
        {
            "status": run.status,
            "label": str(run.get_status_display()),
            "percent": run.percent,
            "steps_done": run.steps_done,
            "steps_total": run.steps_total,
            "finished": run.finished,
            "rows_written": run.rows_written,
            "error": run.error if run.status == "failed" else "",
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response
