"""Assistance pages. Each view: permission getter → form → service → redirect + message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from baotou_carbon.core.files import stored_file_response
from baotou_carbon.core.views import FilteredTableView, form_page
from baotou_carbon.core.years import is_reporting_year

from . import permissions, selectors, services
from .filters import DrawFilter, FollowUpFilter, TrainingFilter, VisitFilter
from .forms import (
    AnswerForm,
    AttendeeFormSet,
    CorrectionForm,
    DrawForm,
    NoteForm,
    ProgressForm,
    RedrawForm,
    TargetsForm,
    TrainingFileForm,
    TrainingForm,
    VisitFileForm,
    VisitForm,
)
from .models import Target
from .permissions import Need
from .tables import DrawTable, FollowUpTable, TrainingTable, VisitTable


class AssistanceListView(FilteredTableView):
    """A list page of this app: agency users may not open it."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.can_read_assistance(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = permissions.can_edit(self.request.user)
        context["can_read_progress"] = permissions.can_read_progress(self.request.user)
        return context


# Visits --------------------------------------------------------------------------------------


class VisitListView(AssistanceListView):
    table_class = VisitTable
    filterset_class = VisitFilter
    title = gettext_lazy("Assistance visits")
    export_basename = "assistance-visits"
    template_name = "assistance/visit_list.html"

    def scoped_queryset(self, user):
        return selectors.visit_list(user)


@login_required
def visit_create(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_edit(request.user))
    form = VisitForm(request.POST or None, files=request.FILES or None, user=request.user)
    return form_page(
        request,
        form,
        save=lambda: services.visit_create(**form.service_kwargs(), actor=request.user),
        redirect_to=lambda visit: visit.get_absolute_url(),
        title=_("Log a visit"),
        success_message=_("The visit was logged."),
        cancel_url="assistance:visit_list",
        template="assistance/visit_form.html",
        extra={"back_url": resolve_url("assistance:visit_list")},
    )


@login_required
def visit_update(request: HttpRequest, pk: int) -> HttpResponse:
    visit = permissions.get_visit_for_user_or_404(request.user, pk, need=Need.EDIT)
    form = VisitForm(
        request.POST or None, files=request.FILES or None, instance=visit, user=request.user
    )
    return form_page(
        request,
        form,
        save=lambda: services.visit_update(
            visit=visit, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=visit.get_absolute_url(),
        title=_("Edit the visit"),
        success_message=_("The visit was saved."),
        cancel_url=visit.get_absolute_url(),
        template="assistance/visit_form.html",
        extra={"back_url": visit.get_absolute_url()},
    )


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = permissions.get_visit_for_user_or_404(request.user, pk)
    return _visit_page(request, visit, VisitFileForm())


def _visit_page(request, visit, file_form, *, correction=None, status: int = 200) -> HttpResponse:
    """The visit with its follow-ups, each with what the user may do with it (and, for staff,
    its correction form; `correction` is one just refused, with its errors)."""
    context = selectors.visit_detail(request.user, visit)
    rows = []
    for follow_up in context["follow_ups"]:
        caps = permissions.follow_up_capabilities(request.user, follow_up)
        form = None
        if caps.can_correct:
            refused = correction is not None and correction.prefix == f"correction-{follow_up.pk}"
            form = correction if refused else CorrectionForm(follow_up=follow_up)
        rows.append((follow_up, caps, form))
    context.update(
        visit=visit,
        caps=permissions.visit_capabilities(request.user, visit),
        follow_up_rows=rows,
        file_form=file_form,
        today=timezone.localdate(),
    )
    return render(request, "assistance/visit_detail.html", context, status=status)


@require_POST
@login_required
def visit_files_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = permissions.get_visit_for_user_or_404(request.user, pk, need=Need.EDIT)
    form = VisitFileForm(request.POST, request.FILES)
    if form.is_valid():
        for upload in form.cleaned_data["uploads"]:
            services.visit_file_add(visit=visit, upload=upload, actor=request.user)
        messages.success(request, _("The files were added."))
        return redirect(f"{visit.get_absolute_url()}#files")
    return _visit_page(request, visit, form, status=400)


@login_required
def visit_file_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    # A photo is shown in the visit's page (an <img> of this URL); the rest is downloaded.
    stored = permissions.get_visit_file_for_user_or_404(request.user, pk)
    return stored_file_response(stored, inline=stored.is_image)


@require_POST
@login_required
def visit_file_delete(request: HttpRequest, pk: int) -> HttpResponse:
    visit_file = permissions.get_visit_file_for_user_or_404(request.user, pk, need=Need.EDIT)
    services.visit_file_delete(visit_file=visit_file, actor=request.user)
    messages.success(request, _("The file was removed."))
    return redirect(f"{visit_file.visit.get_absolute_url()}#files")


# Follow-ups ----------------------------------------------------------------------------------


class FollowUpListView(AssistanceListView):
    table_class = FollowUpTable
    filterset_class = FollowUpFilter
    title = gettext_lazy("Follow-up actions")
    export_basename = "follow-ups"
    template_name = "assistance/follow_up_list.html"

    def scoped_queryset(self, user):
        # Still to do first, the overdue among them on top; closed ones last.
        return selectors.follow_up_list(user).order_by(
            F("closed_at").asc(nulls_first=True), "-is_overdue", "due_on", "pk"
        )


@login_required
def follow_up_answer(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = permissions.get_follow_up_for_user_or_404(request.user, pk, need=Need.ANSWER)
    form = AnswerForm(request.POST or None, initial={"answer": follow_up.answer})
    return form_page(
        request,
        form,
        save=lambda: services.follow_up_answer(
            follow_up=follow_up, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=follow_up.visit.get_absolute_url(),
        title=_("Answer: %(action)s") % {"action": follow_up},
        success_message=_("Your answer was sent."),
        cancel_url=follow_up.visit.get_absolute_url(),
    )


@require_POST
@login_required
def follow_up_correction(request: HttpRequest, pk: int) -> HttpResponse:
    """Record or clear the allowances a follow-up corrected; a refusal is shown on the visit
    page next to the field, with a 400."""
    follow_up = permissions.get_follow_up_for_user_or_404(request.user, pk)
    permissions.require(permissions.can_record_correction(request.user))
    form = CorrectionForm(request.POST, follow_up=follow_up)
    if form.is_valid():
        services.follow_up_record_correction(
            follow_up=follow_up, **form.service_kwargs(), actor=request.user
        )
        name = Truncator(" ".join(follow_up.action.split())).chars(40)
        if follow_up.corrected_t is None:
            done = _('The correction of "%(action)s" was cleared.')
        else:
            done = _('The correction of "%(action)s" was recorded.')
        messages.success(request, done % {"action": name})
        return redirect(follow_up.visit.get_absolute_url())
    return _visit_page(request, follow_up.visit, VisitFileForm(), correction=form, status=400)


STEPS = {
    "confirm": (
        Need.ANSWER,
        services.follow_up_confirm,
        gettext_lazy('Follow-up "%(action)s" confirmed.'),
    ),
    "close": (Need.EDIT, services.follow_up_close, gettext_lazy('Follow-up "%(action)s" closed.')),
    "reopen": (
        Need.EDIT,
        services.follow_up_reopen,
        gettext_lazy('Follow-up "%(action)s" reopened.'),
    ),
}


@require_POST
@login_required
def follow_up_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Confirm, close or reopen a follow-up, then back to the top of the visit page, where
    the message naming the follow-up shows (no #fragment: it would scroll the message away)."""
    if step not in STEPS:
        raise Http404
    need, service, done = STEPS[step]
    follow_up = permissions.get_follow_up_for_user_or_404(request.user, pk, need=need)
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        service(follow_up=follow_up, actor=request.user, note=form.cleaned_data.get("note", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        name = Truncator(" ".join(follow_up.action.split())).chars(40)
        messages.success(request, done % {"action": name})
    return redirect(follow_up.visit.get_absolute_url())


# Draws ---------------------------------------------------------------------------------------


class DrawListView(FilteredTableView):
    """Published to every logged-in user."""

    table_class = DrawTable
    filterset_class = DrawFilter
    title = gettext_lazy('"Double random, one public" draws')
    export_basename = "spot-check-draws"
    template_name = "assistance/draw_list.html"

    def scoped_queryset(self, user):
        return selectors.draw_list(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = permissions.can_edit(self.request.user)
        return context


@login_required
def draw_create(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_edit(request.user))
    form = DrawForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: services.draw_create(**form.service_kwargs(), actor=request.user),
        redirect_to=lambda draw: draw.get_absolute_url(),
        title=_("New spot-check draw"),
        success_message=_("The draw was made and published; the planned visits were created."),
        cancel_url="assistance:draw_list",
    )


@login_required
def draw_redraw(request: HttpRequest, pk: int) -> HttpResponse:
    draw = permissions.get_draw_for_user_or_404(request.user, pk, need=Need.EDIT)
    initial = {
        "title": draw.title,
        "district": draw.pool_filter.get("district", ""),
        "industry": draw.pool_filter.get("industry", ""),
        "listed_year": draw.pool_filter.get("listed_year"),
        "enterprise_count": draw.enterprise_count,
        "inspectors": draw.inspector_pool,
        "inspectors_per_enterprise": draw.inspectors_per_enterprise,
        "planned_on": max(draw.planned_on, timezone.localdate()),
    }
    form = RedrawForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        save=lambda: services.draw_redraw(draw=draw, **form.service_kwargs(), actor=request.user),
        redirect_to=lambda redraw: redraw.get_absolute_url(),
        title=_("Redraw: %(title)s") % {"title": draw.title},
        success_message=_("The redraw was published; the first draw stays visible."),
        cancel_url=draw.get_absolute_url(),
    )


@login_required
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draw = permissions.get_draw_for_user_or_404(request.user, pk)
    context = selectors.draw_detail(request.user, draw)
    context.update(
        draw=draw,
        caps=permissions.draw_capabilities(
            request.user, draw, redrawable=context["can_be_redrawn"]
        ),
    )
    return render(request, "assistance/draw_detail.html", context)


@login_required
def draw_verify(request: HttpRequest, pk: int) -> HttpResponse:
    draw = permissions.get_draw_for_user_or_404(request.user, pk)
    check = selectors.draw_verification(draw)
    return render(
        request,
        "assistance/draw_verify.html",
        {"draw": draw, "check": check, "title": _("Verify the draw")},
    )


# Trainings -----------------------------------------------------------------------------------


class TrainingListView(AssistanceListView):
    table_class = TrainingTable
    filterset_class = TrainingFilter
    title = gettext_lazy("Trainings")
    export_basename = "trainings"
    template_name = "assistance/training_list.html"

    def scoped_queryset(self, user):
        return selectors.training_list(user)


@login_required
def training_create(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_edit(request.user))
    form = TrainingForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        save=lambda: services.training_save(**form.service_kwargs(), actor=request.user),
        redirect_to=lambda training: training.get_absolute_url(),
        title=_("New training"),
        success_message=_("The training was saved."),
        cancel_url="assistance:training_list",
        template="assistance/training_form.html",
        extra={"back_url": resolve_url("assistance:training_list")},
    )


@login_required
def training_update(request: HttpRequest, pk: int) -> HttpResponse:
    training = permissions.get_training_for_user_or_404(request.user, pk, need=Need.EDIT)
    form = TrainingForm(request.POST or None, request.FILES or None, instance=training)
    return form_page(
        request,
        form,
        save=lambda: services.training_save(
            training=training, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=training.get_absolute_url(),
        title=_("Edit %(title)s") % {"title": training},
        success_message=_("The training was saved."),
        cancel_url=training.get_absolute_url(),
        template="assistance/training_form.html",
        extra={"back_url": training.get_absolute_url()},
    )


@login_required
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    training = permissions.get_training_for_user_or_404(request.user, pk)
    return _training_page(request, training, TrainingFileForm())


def _training_page(request, training, file_form, *, status: int = 200) -> HttpResponse:
    context = selectors.training_detail(request.user, training)
    context.update(
        training=training,
        caps=permissions.training_capabilities(request.user, training),
        file_form=file_form,
    )
    return render(request, "assistance/training_detail.html", context, status=status)


@login_required
def training_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    training = permissions.get_training_for_user_or_404(request.user, pk, need=Need.EDIT)
    formset = AttendeeFormSet(request.POST or None, training=training, prefix="att")
    status, refused = 200, []
    if request.method == "POST":
        if formset.is_valid():
            changed = [
                f.instance
                for f in formset.forms
                if f.has_changed() and f not in formset.deleted_forms
            ]
            try:
                services.attendance_save(
                    training=training,
                    changed=changed,
                    deleted=[f.instance for f in formset.deleted_forms],
                    actor=request.user,
                )
            except ValidationError as error:
                refused = error.messages
            else:
                messages.success(request, _("The attendance was saved."))
                return redirect(f"{training.get_absolute_url()}#attendance")
        status = 400
    return render(
        request,
        "assistance/attendance_form.html",
        {"training": training, "formset": formset, "refused": refused, "title": _("Attendance")},
        status=status,
    )


@require_POST
@login_required
def training_files_add(request: HttpRequest, pk: int) -> HttpResponse:
    training = permissions.get_training_for_user_or_404(request.user, pk, need=Need.EDIT)
    form = TrainingFileForm(request.POST, request.FILES)
    if form.is_valid():
        for upload in form.cleaned_data["uploads"]:
            services.training_file_add(training=training, upload=upload, actor=request.user)
        messages.success(request, _("The materials were added."))
        return redirect(f"{training.get_absolute_url()}#materials")
    return _training_page(request, training, form, status=400)


@login_required
def training_file_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    return stored_file_response(permissions.get_training_file_for_user_or_404(request.user, pk))


@require_POST
@login_required
def training_file_delete(request: HttpRequest, pk: int) -> HttpResponse:
    training_file = permissions.get_training_file_for_user_or_404(request.user, pk, need=Need.EDIT)
    services.training_file_delete(training_file=training_file, actor=request.user)
    messages.success(request, _("The file was removed."))
    return redirect(f"{training_file.training.get_absolute_url()}#materials")


# Targets and progress ----------------------------------------------------------------------


@login_required
def progress(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_read_progress(request.user))
    form = ProgressForm(request.GET or None)
    report, status = None, 200
    if not request.GET:
        report = selectors.progress(as_of=timezone.localdate())
    elif form.is_valid():
        report = selectors.progress(
            as_of=form.cleaned_data["as_of"], since=form.cleaned_data["since"]
        )
    else:
        status = 400
    return render(
        request,
        "assistance/progress.html",
        {
            "form": form,
            "report": report,
            "can_edit": permissions.can_edit(request.user),
            "title": _("Assistance progress"),
        },
        status=status,
    )


@login_required
def targets_edit(request: HttpRequest, year: int) -> HttpResponse:
    permissions.require(permissions.can_edit(request.user))
    if not is_reporting_year(year):
        raise Http404
    current = dict(Target.objects.filter(year=year).values_list("measure", "target"))
    form = TargetsForm(request.POST or None, year=year, current=current)
    return form_page(
        request,
        form,
        save=lambda: services.targets_save(**form.service_kwargs(), actor=request.user),
        redirect_to=f"{reverse('assistance:progress')}?as_of={year}-12-31",
        title=_("Targets for %(year)d") % {"year": year},
        success_message=_("The targets were saved."),
        cancel_url="assistance:progress",
    )
