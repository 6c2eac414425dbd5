from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from enterprises.permissions import is_agency_user

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
