"""Views of the leadership briefings: request one, watch it being prepared, download it.

The PDF is rendered by a Celery task (`tasks.render_briefing`), queued when the request
commits; the briefing's page polls its own status with htmx every two seconds until the
briefing is ready or has failed.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from baotou_carbon.core.access import require
from baotou_carbon.core.files import stored_file_response
from baotou_carbon.core.views import form_page

from . import services
from .briefing_permissions import (
    briefings_for_user,
    can_request_briefing,
    get_briefing_for_user_or_404,
)
from .forms import BriefingForm
from .models import BriefingStatus

# How many of a user's briefings their list shows.
RECENT = 20


@login_required
def briefing_list(request: HttpRequest) -> HttpResponse:
    require(can_request_briefing(request.user))
    briefings = briefings_for_user(request.user).filter(requested_by_id=request.user.pk)[:RECENT]
    return render(
        request,
        "dashboard/briefing_list.html",
        {"title": _("Leadership briefings"), "briefings": briefings, "form": BriefingForm()},
    )


@login_required
def briefing_create(request: HttpRequest) -> HttpResponse:
    require(can_request_briefing(request.user))
    form = BriefingForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: services.briefing_request(**form.service_kwargs(), actor=request.user),
        redirect_to=lambda briefing: briefing.get_absolute_url(),
        title=_("Prepare a leadership briefing"),
        success_message=_("The briefing is being prepared; this page shows when it is ready."),
        cancel_url="briefings:list",
    )


@login_required
def briefing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The briefing's page; an htmx poll gets only its status block, which stops polling
    once the briefing is ready or has failed."""
    briefing = get_briefing_for_user_or_404(request.user, pk)
    template = (
        "dashboard/_briefing_status.html"
        if getattr(request, "htmx", False)
        else "dashboard/briefing_detail.html"
    )
    return render(
        request,
        template,
        {"title": _("Leadership briefing"), "briefing": briefing, "form": _retry_form(briefing)},
    )


@login_required
def briefing_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The PDF, as an attachment, never cached outside the user's browser; 404 until ready."""
    briefing = get_briefing_for_user_or_404(request.user, pk)
    pdf = getattr(briefing, "pdf", None)
    if briefing.status != BriefingStatus.DONE or pdf is None:
        raise Http404
    return stored_file_response(pdf)


def _retry_form(briefing) -> BriefingForm | None:
    """A failed briefing's page offers the same request again."""
    if briefing.status != BriefingStatus.FAILED:
        return None
    return BriefingForm(initial={"year": briefing.year, "district": briefing.district})
