"""Input shapes for the registry; layout through crispy-forms."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from baotou_carbon.core.forms import ServiceKwargsMixin
from baotou_carbon.core.forms import form_helper as _helper
from baotou_carbon.core.forms import row as _row
from baotou_carbon.core.imports import ImportFileForm

from .models import (
    Contact,
    Enterprise,
    EnterpriseApiToken,
    Facility,
    GeneratingUnit,
    KeyEmitterListing,
    VerificationAgency,
)


class UppercaseCodeMixin:
    def clean_uscc(self) -> str:
        return self.cleaned_data["uscc"].strip().upper()  # type: ignore[attr-defined]


class EnterpriseForm(ServiceKwargsMixin, UppercaseCodeMixin, forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "name_zh",
            "name_en",
            "uscc",
            "district",
            "industry",
            "registry_account",
            "address",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _row("name_zh", "name_en"),
            _row("uscc", "registry_account"),
            _row("district", "industry"),
            "address",
            "is_active",
        )


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "position", "phone", "email", "is_primary"]


class BaseContactFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        primaries = [
            f
            for f in self.forms
            if f.cleaned_data
            and not f.cleaned_data.get("DELETE")
            and f.cleaned_data.get("is_primary")
        ]
        if len(primaries) > 1:
            raise forms.ValidationError(_("Mark only one contact as the primary contact."))

    def validate_unique(self) -> None:
        # The "one primary" rule is checked across the whole list in clean(); checking each
        # row against the database would reject a swap of the primary contact.
        return None


ContactFormSet = forms.inlineformset_factory(
    Enterprise,
    Contact,
    form=ContactForm,
    formset=BaseContactFormSet,
    extra=1,
    can_delete=True,
)


class ListingForm(ServiceKwargsMixin, forms.ModelForm):
    class Meta:
        model = KeyEmitterListing
        fields = ["year", "sector", "reference"]

    def __init__(self, *args, enterprise: Enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.enterprise = enterprise
        self.helper = _helper(_row("year", "sector"), "reference", submit=_("Add"))
        self.helper.form_action = reverse("enterprises:listing_create", args=[enterprise.pk])


class FacilityForm(ServiceKwargsMixin, forms.ModelForm):
    class Meta:
        model = Facility
        fields = ["name_zh", "name_en", "kind", "address"]

    def __init__(self, *args, enterprise: Enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.enterprise = enterprise
        self.helper = _helper(_row("name_zh", "name_en"), _row("kind", "address"))


class GeneratingUnitForm(ServiceKwargsMixin, forms.ModelForm):
    class Meta:
        model = GeneratingUnit
        fields = [
            "code",
            "allocation_category",
            "capacity_mw",
            "main_fuel",
            "cooling",
            "operating_mode",
            "is_cfb",
            "commissioned_on",
        ]
        widgets = {"commissioned_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, facility: Facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.facility = facility
        self.helper = _helper(
            _row("code", "allocation_category"),
            _row("capacity_mw", "main_fuel"),
            _row("cooling", "operating_mode"),
            _row("commissioned_on", "is_cfb"),
        )


class VerificationAgencyForm(ServiceKwargsMixin, UppercaseCodeMixin, forms.ModelForm):
    class Meta:
        model = VerificationAgency
        fields = ["name_zh", "name_en", "uscc", "contact_name", "phone", "email", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _row("name_zh", "name_en"),
            _row("uscc", "contact_name"),
            _row("phone", "email"),
            "is_active",
        )


class ImportForm(ImportFileForm):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[("enterprises", _("Enterprises")), ("units", _("Generating units"))],
    )
    field_order = ["kind", "file", "dry_run"]


class ApiTokenForm(ServiceKwargsMixin, forms.ModelForm):
    """Issue an API token: what uses it, and which of the enterprise's users it acts as."""

    class Meta:
        model = EnterpriseApiToken
        fields = ["name", "user"]

    def __init__(self, *args, enterprise: Enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.enterprise = enterprise
        # The enterprise's active users (role ENTERPRISE is the only role bound to it).
        user_field = self.fields["user"]
        user_field.queryset = enterprise.users.filter(is_active=True).order_by(  # type: ignore[attr-defined]
            "username"
        )
        user_field.empty_label = None  # type: ignore[attr-defined]
        self.helper = _helper(_row("name", "user"), submit=_("Issue a token"))
        self.helper.form_action = reverse("enterprises:api_tokens", args=[enterprise.pk])

    def service_kwargs(self) -> dict:
        return {"name": self.cleaned_data["name"], "user": self.cleaned_data["user"]}
