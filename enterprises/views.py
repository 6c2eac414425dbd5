"""Registry pages. Each view: permission getter → form → service → redirect + message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from baotou_carbon.core.views import FilteredTableView, add_service_errors, form_page
from baotou_carbon.core.views import import_page as core_import_page

from . import permissions, selectors, services
from .filters import AgencyFilter, EnterpriseFilter, UnitFilter
from .forms import (
    ApiTokenForm,
    ContactFormSet,
    EnterpriseForm,
    FacilityForm,
    GeneratingUnitForm,
    ImportForm,
    ListingForm,
    VerificationAgencyForm,
)
from .imports import registry_import
from .permissions import Need
from .tables import AgencyTable, EnterpriseTable, UnitTable

# Enterprises ----------------------------------------------------------------------------


class EnterpriseListView(FilteredTableView):
    table_class = EnterpriseTable
    filterset_class = EnterpriseFilter
    title = gettext_lazy("Enterprises")
    export_basename = "enterprises"
    template_name = "enterprises/enterprise_list.html"

    def scoped_queryset(self, user):
        return selectors.enterprise_list(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = permissions.can_edit_registry(self.request.user)
        return context


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = permissions.get_enterprise_for_user_or_404(request.user, pk)
    context = selectors.enterprise_detail(request.user, enterprise)
    context.update(
        enterprise=enterprise,
        caps=permissions.enterprise_capabilities(request.user, enterprise),
        listing_form=ListingForm(enterprise=enterprise),
    )
    return render(request, "enterprises/enterprise_detail.html", context)


@login_required
def enterprise_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_edit_registry(request.user):
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: services.enterprise_create(**form.service_kwargs(), actor=request.user),
        redirect_to=lambda enterprise: enterprise.get_absolute_url(),
        title=_("New enterprise"),
        success_message=_("The enterprise was created."),
        cancel_url="enterprises:list",
    )


@login_required
def enterprise_update(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = permissions.get_enterprise_for_user_or_404(request.user, pk, need=Need.EDIT)
    form = EnterpriseForm(request.POST or None, instance=enterprise)
    return form_page(
        request,
        form,
        save=lambda: services.enterprise_update(
            enterprise=enterprise, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=enterprise.get_absolute_url(),
        title=_("Edit %(name)s") % {"name": enterprise},
        success_message=_("The enterprise was saved."),
        cancel_url=enterprise.get_absolute_url(),
    )


@login_required
def enterprise_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = permissions.get_enterprise_for_user_or_404(
        request.user, pk, need=Need.EDIT_CONTACTS
    )
    formset = ContactFormSet(request.POST or None, instance=enterprise, prefix="contacts")
    if request.method == "POST" and formset.is_valid():
        changed = [
            f.instance for f in formset.forms if f.has_changed() and f not in formset.deleted_forms
        ]
        deleted = [f.instance for f in formset.deleted_forms]
        services.contacts_save(
            enterprise=enterprise, changed=changed, deleted=deleted, actor=request.user
        )
        messages.success(request, _("The contacts were saved."))
        return redirect(f"{enterprise.get_absolute_url()}#contacts")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "enterprises/contacts_form.html",
        {"enterprise": enterprise, "formset": formset},
        status=status,
    )


@login_required
def listing_create(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = permissions.get_enterprise_for_user_or_404(request.user, pk, need=Need.EDIT)
    form = ListingForm(request.POST or None, enterprise=enterprise)
    return form_page(
        request,
        form,
        save=lambda: services.listing_create(
            enterprise=enterprise, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=enterprise.get_absolute_url(),
        title=_("Add a key emitter listing for %(name)s") % {"name": enterprise},
        success_message=_("The listing was added."),
        cancel_url=enterprise.get_absolute_url(),
    )


@require_POST
@login_required
def listing_delete(request: HttpRequest, pk: int) -> HttpResponse:
    listing = permissions.get_listing_for_user_or_404(request.user, pk, need=Need.EDIT)
    services.listing_delete(listing=listing, actor=request.user)
    messages.success(request, _("The listing was removed."))
    return redirect(f"{listing.enterprise.get_absolute_url()}#listings")


# Facilities and units -------------------------------------------------------------------


@login_required
def facility_create(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = permissions.get_enterprise_for_user_or_404(request.user, pk, need=Need.EDIT)
    form = FacilityForm(request.POST or None, enterprise=enterprise)
    return form_page(
        request,
        form,
        save=lambda: services.facility_create(
            enterprise=enterprise, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=enterprise.get_absolute_url(),
        title=_("New facility of %(name)s") % {"name": enterprise},
        success_message=_("The facility was created."),
        cancel_url=enterprise.get_absolute_url(),
    )


@login_required
def facility_update(request: HttpRequest, pk: int) -> HttpResponse:
    facility = permissions.get_facility_for_user_or_404(request.user, pk, need=Need.EDIT)
    form = FacilityForm(request.POST or None, instance=facility, enterprise=facility.enterprise)
    return form_page(
        request,
        form,
        save=lambda: services.facility_update(
            facility=facility, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=facility.enterprise.get_absolute_url(),
        title=_("Edit %(name)s") % {"name": facility},
        success_message=_("The facility was saved."),
        cancel_url=facility.enterprise.get_absolute_url(),
    )


@login_required
def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    facility = permissions.get_facility_for_user_or_404(request.user, pk, need=Need.EDIT)
    form = GeneratingUnitForm(request.POST or None, facility=facility)
    return form_page(
        request,
        form,
        save=lambda: services.unit_create(
            facility=facility, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=facility.enterprise.get_absolute_url(),
        title=_("New generating unit at %(name)s") % {"name": facility},
        success_message=_("The generating unit was created."),
        cancel_url=facility.enterprise.get_absolute_url(),
    )


@login_required
def unit_update(request: HttpRequest, pk: int) -> HttpResponse:
    unit = permissions.get_unit_for_user_or_404(request.user, pk, need=Need.EDIT)
    form = GeneratingUnitForm(request.POST or None, instance=unit, facility=unit.facility)
    return form_page(
        request,
        form,
        save=lambda: services.unit_update(unit=unit, **form.service_kwargs(), actor=request.user),
        redirect_to=unit.facility.enterprise.get_absolute_url(),
        title=_("Edit unit %(code)s") % {"code": unit.code},
        success_message=_("The generating unit was saved."),
        cancel_url=unit.facility.enterprise.get_absolute_url(),
    )


class UnitListView(FilteredTableView):
    table_class = UnitTable
    filterset_class = UnitFilter
    title = gettext_lazy("Generating units")
    export_basename = "generating-units"

    def scoped_queryset(self, user):
        return selectors.unit_list(user)


# Verification agencies ------------------------------------------------------------------


class AgencyListView(FilteredTableView):
    table_class = AgencyTable
    filterset_class = AgencyFilter
    title = gettext_lazy("Verification agencies")
    export_basename = "verification-agencies"
    template_name = "enterprises/agency_list.html"

    def scoped_queryset(self, user):
        return selectors.agency_list(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = permissions.can_edit_registry(self.request.user)
        return context


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = permissions.get_agency_for_user_or_404(request.user, pk)
    return render(
        request,
        "enterprises/agency_detail.html",
        {
            "agency": agency,
            "caps": permissions.agency_capabilities(request.user, agency),
            "users": list(agency.users.order_by("username")),
            "history": selectors.agency_history(agency),
        },
    )


@login_required
def agency_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_edit_registry(request.user):
        raise PermissionDenied
    form = VerificationAgencyForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: services.agency_create(**form.service_kwargs(), actor=request.user),
        redirect_to=lambda agency: agency.get_absolute_url(),
        title=_("New verification agency"),
        success_message=_("The verification agency was created."),
        cancel_url="enterprises:agency_list",
    )


@login_required
def agency_update(request: HttpRequest, pk: int) -> HttpResponse:
    agency = permissions.get_agency_for_user_or_404(request.user, pk, need=Need.EDIT)
    form = VerificationAgencyForm(request.POST or None, instance=agency)
    return form_page(
        request,
        form,
        save=lambda: services.agency_update(
            agency=agency, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=agency.get_absolute_url(),
        title=_("Edit %(name)s") % {"name": agency},
        success_message=_("The verification agency was saved."),
        cancel_url=agency.get_absolute_url(),
    )


# API tokens -----------------------------------------------------------------------------


@never_cache
@login_required
def api_tokens(request: HttpRequest, pk: int) -> HttpResponse:
    """The enterprise's API tokens; issuing one shows its key on this response only (only its
    hash is kept), so the page is never cached and does not redirect."""
    enterprise = permissions.get_enterprise_for_user_or_404(
        request.user, pk, need=Need.MANAGE_TOKENS
    )
    form = ApiTokenForm(request.POST or None, enterprise=enterprise)
    issued = key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                issued, key = services.api_token_issue(
                    enterprise=enterprise, **form.service_kwargs(), actor=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
        if key is None:
            status = 400
        else:
            form = ApiTokenForm(enterprise=enterprise)
    return render(
        request,
        "enterprises/api_tokens.html",
        {
            "enterprise": enterprise,
            "form": form,
            "issued": issued,
            "key": key,
            "tokens": selectors.api_tokens_of(enterprise),
        },
        status=status,
    )


@require_POST
@login_required
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = permissions.get_api_token_for_user_or_404(request.user, pk, need=Need.MANAGE_TOKENS)
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("enterprises:api_tokens", pk=token.enterprise_id)


# Import ---------------------------------------------------------------------------------


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    if not permissions.can_import(request.user):
        raise PermissionDenied
    return core_import_page(
        request,
        ImportForm(request.POST or None, request.FILES or None),
        run=lambda kind, file, dry_run: registry_import(
            kind=kind, upload=file, dry_run=dry_run, actor=request.user
        ),
        template="enterprises/import.html",
        extra={"title": _("Import enterprises and units")},
    )
