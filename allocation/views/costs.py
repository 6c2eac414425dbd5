"""Pages of the compliance-cost ledger (DOMAIN §1), the carbon price series (§7) and the
valuation dates. Thin: permission getter → form → service → redirect; a refusal is shown on
the page with a 400.

The ledger is append-only: there is a page to enter a cost and one to reverse an entry, none
to edit or delete one.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from baotou_carbon.core.access import require
from baotou_carbon.core.files import stored_file_response
from baotou_carbon.core.history import history_entries
from baotou_carbon.core.imports import template_workbook_response
from baotou_carbon.core.views import FilteredTableView, add_service_errors, form_page, import_page
from enterprises.models import Enterprise

from .. import imports, permissions, selectors, services
from ..filters import CarbonPriceFilter, CostEntryFilter
from ..forms.costs import (
    CarbonPriceForm,
    CarbonPriceImportForm,
    CostDocumentForm,
    CostEntryForm,
    CostImportForm,
    CostReverseForm,
    YearValuationForm,
)
from ..models import CarbonPrice, CostCategory, CostDocument, CostEntry, YearValuation
from ..permissions import Need
from ..tables import CarbonPriceTable, CostEntryTable, cost_entry_url

# The ledger ----------------------------------------------------------------------------------


class CostEntryListView(FilteredTableView):
    """The entries the user may read, their sums per year and category, and the compliance
    cost with its breakdown once the list is narrowed to one enterprise and year."""

    table_class = CostEntryTable
    filterset_class = CostEntryFilter
    title = gettext_lazy("Compliance cost ledger")
    export_basename = "compliance-costs"
    template_name = "allocation/cost_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.can_see_costs(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def scoped_queryset(self, user):
        return selectors.cost_entry_list(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_enter"] = permissions.can_enter_costs(user)
        context["categories"] = CostCategory.labels
        context["totals"] = selectors.cost_totals(self.filterset.qs)
        context["breakdown"] = self._breakdown()
        return context

    def _breakdown(self) -> dict[str, Any] | None:
        """The compliance cost of the enterprise and year the filters name (an enterprise
        user's own enterprise is named without a filter); every category counts, whatever
        the other filters."""
        cleaned = getattr(self.filterset.form, "cleaned_data", {})
        year, enterprise = cleaned.get("year"), cleaned.get("enterprise")
        user = self.request.user
        if enterprise is None and permissions.is_enterprise_user(user):
            enterprise = Enterprise.objects.get(pk=user.enterprise_id) if year else None
        if year is None or enterprise is None:
            return None
        entries = self.scoped_queryset(user).filter(enterprise=enterprise, year=year)
        totals = selectors.cost_totals(entries)
        return {
            "enterprise": enterprise,
            "year": int(year),
            "cost": totals[0].breakdown if totals else None,
        }


cost_list = CostEntryListView.as_view()


@login_required
def cost_create(request: HttpRequest) -> HttpResponse:
    require(permissions.can_enter_costs(request.user))
    form = CostEntryForm(request.POST or None, request.FILES or None, user=request.user)
    return form_page(
        request,
        form,
        save=lambda: services.cost_entry_create(**form.service_kwargs(), actor=request.user),
        redirect_to=lambda entry: cost_entry_url(entry.pk),
        title=_("New cost entry"),
        success_message=_("The cost was entered."),
        cancel_url="allocation:cost_list",
    )


@login_required
def cost_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = permissions.get_cost_entry_for_user_or_404(request.user, pk)
    return _detail_page(request, entry)


def _detail_page(
    request: HttpRequest,
    entry: CostEntry,
    *,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The entry with its documents, its correction and history, and the forms the user may
    use; `bound` is a form just refused, with its errors."""
    entry = selectors.cost_entry_detail(entry)
    caps = permissions.cost_entry_capabilities(request.user, entry)
    step_forms: dict[str, Any] = {
        "reverse_form": CostReverseForm() if caps.reverse else None,
        "document_form": CostDocumentForm() if caps.add_documents else None,
    }
    step_forms.update(bound or {})
    context = {
        "entry": entry,
        "caps": caps,
        "reversal": getattr(entry, "reversed_by", None),
        "documents": entry.documents.all(),
        "history": history_entries(
            [
                CostEntry.history.filter(id=entry.pk),  # type: ignore[attr-defined]
                CostDocument.history.filter(entry_id=entry.pk),  # type: ignore[attr-defined]
            ]
        ),
        **step_forms,
    }
    return render(request, "allocation/cost_detail.html", context, status=status)


@require_POST
@login_required
def cost_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    entry = permissions.get_cost_entry_for_user_or_404(request.user, pk, need=Need.EDIT)
    form = CostReverseForm(request.POST)
    if form.is_valid():
        try:
            reversal = services.cost_entry_reverse(
                entry=entry, **form.service_kwargs(), actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Entry #%(pk)s reverses this entry.") % {"pk": reversal.pk})
            return redirect(cost_entry_url(entry.pk))
    return _detail_page(request, entry, bound={"reverse_form": form}, status=400)


@require_POST
@login_required
def cost_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    entry = permissions.get_cost_entry_for_user_or_404(request.user, pk, need=Need.EDIT)
    form = CostDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            with transaction.atomic():  # every file, or none
                for upload in form.cleaned_data["uploads"]:
                    services.cost_document_add(entry=entry, upload=upload, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error, field="uploads")
        else:
            messages.success(request, _("The documents were added."))
            return redirect(f"{cost_entry_url(entry.pk)}#documents")
    return _detail_page(request, entry, bound={"document_form": form}, status=400)


@login_required
def cost_document(request: HttpRequest, pk: int) -> FileResponse:
    """Cost documents are never served as static or media: only here, after the check."""
    return stored_file_response(permissions.get_cost_document_for_user_or_404(request.user, pk))


@login_required
def cost_import(request: HttpRequest) -> HttpResponse:
    require(permissions.can_enter_costs(request.user))
    return import_page(
        request,
        CostImportForm(request.POST or None, request.FILES or None),
        run=lambda file, dry_run: imports.cost_import(
            upload=file, dry_run=dry_run, actor=request.user
        ),
        template="allocation/cost_import.html",
        extra={
            "title": _("Import cost entries"),
            "template_url": reverse("allocation:cost_import_template"),
            "headers": imports.cost_template(request.user)[0],
            "categories": CostCategory.choices,
        },
    )


@login_required
def cost_import_template(request: HttpRequest) -> HttpResponse:
    require(permissions.can_enter_costs(request.user))
    headers, example = imports.cost_template(request.user)
    return template_workbook_response(headers, example, filename="cost-ledger-import.xlsx")


# Carbon prices and valuations -----------------------------------------------------------------


class CarbonPriceListView(FilteredTableView):
    """The price series and, for each year with a rule set, the price its savings are valued
    at: every logged-in user reads them; staff change them."""

    table_class = CarbonPriceTable
    filterset_class = CarbonPriceFilter
    title = gettext_lazy("Carbon prices (CEA)")
    export_basename = "carbon-prices"
    template_name = "allocation/price_list.html"

    def scoped_queryset(self, user):
        return selectors.price_list()

    def get_table_kwargs(self):
        if permissions.can_edit_prices(self.request.user):
            return {}
        return {"exclude": ("change",)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = permissions.can_edit_prices(self.request.user)
        years = selectors.rule_set_years()
        by_year = selectors.valuations(years) if years else {}
        context["valuations"] = [by_year[year] for year in years]
        return context


price_list = CarbonPriceListView.as_view()


@login_required
def price_create(request: HttpRequest) -> HttpResponse:
    require(permissions.can_edit_prices(request.user))
    form = CarbonPriceForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: services.carbon_price_save(**form.service_kwargs(), actor=request.user),
        redirect_to="allocation:price_list",
        title=_("New carbon price"),
        success_message=_("The price was recorded."),
        cancel_url="allocation:price_list",
    )


@login_required
def price_update(request: HttpRequest, pk: int) -> HttpResponse:
    require(permissions.can_edit_prices(request.user))
    price = get_object_or_404(CarbonPrice, pk=pk)
    form = CarbonPriceForm(request.POST or None, instance=price)
    return form_page(
        request,
        form,
        save=lambda: services.carbon_price_save(**form.service_kwargs(), actor=request.user),
        redirect_to="allocation:price_list",
        title=_("Change the price of %(price)s") % {"price": price},
        success_message=_("The price was saved."),
        cancel_url="allocation:price_list",
        template="allocation/price_form.html",
        extra={"price": price},
    )


@require_POST
@login_required
def price_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require(permissions.can_edit_prices(request.user))
    price = get_object_or_404(CarbonPrice, pk=pk)
    services.carbon_price_delete(price=price, actor=request.user)
    messages.success(request, _("The price of %(price)s was deleted.") % {"price": price})
    return redirect("allocation:price_list")


@login_required
def price_import(request: HttpRequest) -> HttpResponse:
    require(permissions.can_edit_prices(request.user))
    return import_page(
        request,
        CarbonPriceImportForm(request.POST or None, request.FILES or None),
        run=lambda file, dry_run: imports.price_import(
            upload=file, dry_run=dry_run, actor=request.user
        ),
        template="allocation/price_import.html",
        extra={
            "title": _("Import carbon prices"),
            "template_url": reverse("allocation:price_import_template"),
            "headers": imports.price_template()[0],
        },
    )


@login_required
def price_import_template(request: HttpRequest) -> HttpResponse:
    require(permissions.can_edit_prices(request.user))
    headers, example = imports.price_template()
    return template_workbook_response(headers, example, filename="carbon-price-import.xlsx")


@login_required
def valuation_edit(request: HttpRequest, year: int) -> HttpResponse:
    """Value a year's savings at the close of another date, or back at the default."""
    permissions.get_rule_set_for_user_or_404(request.user, year)  # a year with a rule set
    require(permissions.can_edit_prices(request.user))
    chosen = YearValuation.objects.filter(year=year).first()
    initial = {"price_on": chosen.price_on, "note": chosen.note} if chosen else {}
    form = YearValuationForm(request.POST or None, initial=initial)
    valuation = selectors.valuation(year)
    return form_page(
        request,
        form,
        save=lambda: services.year_valuation_set(
            year=year, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=f"{reverse('allocation:price_list')}#valuations",
        title=_("Valuation date of %(year)s") % {"year": year},
        success_message=_("The valuation of %(year)s was saved; its savings are recomputed.")
        % {"year": year},
        cancel_url="allocation:price_list",
        template="allocation/price_valuation_form.html",
        extra={"valuation": valuation},
    )
