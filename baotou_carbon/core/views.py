import copy
from collections.abc import Callable
from typing import Any

from crispy_forms.layout import HTML
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.functional import Promise as StrPromise
from django.utils.html import format_html
from django.utils.translation import gettext
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export.views import ExportMixin


class FilteredTableView(LoginRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    """A searchable, filterable, sortable, paginated list whose filtered rows export to Excel
    (?_export=xlsx). Subclasses give `scoped_queryset(user)`; nobody sees rows outside it."""

    template_name = "core/list.html"
    # The table paginates; the ListView underneath must not paginate (and count) again.
    table_pagination = {"per_page": 25}
    export_formats = ("xlsx", "csv")
    strict = False
    export_basename = "export"
    title: "str | StrPromise" = ""

    def scoped_queryset(self, user):  # pragma: no cover - abstract
        raise NotImplementedError

    def get_queryset(self):
        return self.scoped_queryset(self.request.user)

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get(self.export_trigger_param)
        if export_format in self.export_formats:
            # Build the filtered rows once and export them all, skipping the page render.
            self.filterset = self.get_filterset(self.get_filterset_class())
            self.object_list = self.filterset.qs
            return self.create_export(export_format)
        return super().get(request, *args, **kwargs)

    def get_table_pagination(self, table):
        if self.request.GET.get(self.export_trigger_param) in self.export_formats:
            return False
        return super().get_table_pagination(table)

    def get_export_filename(self, export_format: str) -> str:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return f"{self.export_basename}-{stamp}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        return context


def form_page(
    request: HttpRequest,
    form,
    *,
    save: Callable[[], Any],
    redirect_to: str | Callable[[Any], str],
    title: str,
    success_message: str,
    cancel_url: str,
    template: str = "core/form.html",
    extra: dict | None = None,
) -> HttpResponse:
    """The thin view's form loop. A valid POST calls `save` (the service, given the form's
    `service_kwargs()`), then redirects to `redirect_to`: a URL or URL name, or a callable
    given what `save` returned (`lambda case: case.get_absolute_url()`). A service's
    ValidationError, or an invalid form, re-renders the form with its messages and a 400."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success_message)
            return redirect(redirect_to(saved) if callable(redirect_to) else redirect_to)
    _add_cancel_button(form, cancel_url)
    context = {"form": form, "title": title, **(extra or {})}
    status = 400 if request.method == "POST" else 200
    return render(request, template, context, status=status)


def _add_cancel_button(form, cancel_url: str) -> None:
    """Put a Cancel link beside the form's submit button (on this form's own helper copy)."""
    helper = getattr(form, "helper", None)
    if helper is None or helper.layout is None:
        return
    url = resolve_url(cancel_url)
    form.helper = copy.deepcopy(helper)
    form.helper.layout.append(
        HTML(
            format_html(
                '<a class="btn btn-outline-secondary ms-2" href="{}">{}</a>', url, gettext("Cancel")
            )
        )
    )


def add_service_errors(form, error, *, field: str | None = None) -> None:
    """Show a service's ValidationError on the form: next to the field when the form has it;
    else on `field` when given (an upload's errors on its file field), above the form
    otherwise (never an exception for a field the form does not show)."""
    if not hasattr(error, "error_dict"):
        form.add_error(field, error)
        return
    for name, errors in error.error_dict.items():
        if name not in form.fields and field is not None:
            form.add_error(field, errors)
            continue
        field_name = name if name in form.fields else None
        if field_name is None and name != NON_FIELD_ERRORS:
            label = form.fields[name].label if name in form.fields else name
            errors = [f"{label}: {message}" for e in errors for message in e.messages]
        form.add_error(field_name, errors)


def import_page(
    request: HttpRequest,
    form,
    *,
    run: Callable[..., Any],
    template: str,
    extra: dict | None = None,
) -> HttpResponse:
    """The import page's loop: a valid POST runs the import (`run(**form.cleaned_data)`, which
    returns its `ImportReport`) and shows the report; a bad row, or an invalid form, answers
    400; a real run that imported says so in a message too."""
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            report = run(**form.cleaned_data)
            if report.errors:
                status = 400
            elif not report.dry_run:
                messages.success(
                    request, gettext("%(count)d rows imported.") % {"count": report.row_count}
                )
        else:
            status = 400
    context = {
        "form": form,
        "report": report,
        "max_rows": settings.IMPORT_MAX_ROWS,
        **(extra or {}),
    }
    return render(request, template, context, status=status)
