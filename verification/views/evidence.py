"""Monthly evidence pages: the board, a month's form, a submission, its review, its files."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from baotou_carbon.core.files import stored_file_response
from baotou_carbon.core.views import form_page
from baotou_carbon.core.years import is_reporting_year

from .. import permissions, selectors, services
from ..forms import EvidenceForm, EvidenceReviewForm
from ..models import DeadlineSettings, EvidenceStatus, EvidenceSubmission
from ..permissions import Need

# Monthly evidence ------------------------------------------------------------------------


def _board_year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return default
    return year if is_reporting_year(year) else default


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
    if not (1 <= month <= 12 and is_reporting_year(year)):
        raise Http404
    enterprise = permissions.get_board_enterprise_for_user_or_404(
        request.user, pk, need=Need.SUBMIT
    )
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
        save=lambda: services.evidence_submit(
            enterprise=enterprise,
            year=year,
            month=month,
            **form.service_kwargs(),
            actor=request.user,
        ),
        redirect_to=lambda submission: submission.get_absolute_url(),
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
    context.update(
        submission=submission,
        caps=permissions.evidence_capabilities(request.user, submission),
        review_form=EvidenceReviewForm(),
    )
    return render(request, "verification/evidence_detail.html", context)


@login_required
def evidence_review(request: HttpRequest, pk: int) -> HttpResponse:
    submission = permissions.get_evidence_for_user_or_404(request.user, pk, need=Need.REVIEW)
    form = EvidenceReviewForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: services.evidence_review(
            submission=submission, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=submission.get_absolute_url(),
        title=_("Review %(submission)s") % {"submission": submission},
        success_message=_("The review was recorded."),
        cancel_url=submission.get_absolute_url(),
    )


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence files are never served as static or media: only here, after the check."""
    return stored_file_response(permissions.get_evidence_file_for_user_or_404(request.user, pk))
