"""Input shapes of relief applications: the enterprise's draft and documents, the steps of the
workflow (each a small form whose cleaned fields are its service's arguments), and the list's
filter."""

from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from baotou_carbon.core.files import MultipleFileField
from baotou_carbon.core.forms import ServiceKwargsMixin, form_helper, row

from ..models import ReliefApplication, ReliefKind, ReliefStatus
from ..services.relief import DOCUMENT_TYPES, MAX_DOCUMENT_BYTES

# The draft -----------------------------------------------------------------------------------


class ReliefCreateForm(ServiceKwargsMixin, forms.ModelForm):
    class Meta:
        model = ReliefApplication
        fields = ["year", "kind", "requested_t", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            row("year", "kind", "requested_t"), "reason", submit=_("Create the draft")
        )


class ReliefUpdateForm(ServiceKwargsMixin, forms.ModelForm):
    class Meta:
        model = ReliefApplication
        fields = ["requested_t", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("requested_t", "reason")


class ReliefDocumentForm(forms.Form):
    uploads = MultipleFileField(
        label=_("Supporting documents"),
        required=True,
        accepted=DOCUMENT_TYPES,
        max_bytes=MAX_DOCUMENT_BYTES,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["uploads"].help_text = _(
            "PDF, JPEG, PNG, Excel (.xlsx) or Word (.docx), at most %(mb)s MB each."
        ) % {"mb": MAX_DOCUMENT_BYTES // 2**20}


# The steps -----------------------------------------------------------------------------------


class _StepForm(ServiceKwargsMixin, forms.Form):
    """A step's form, shown in its card on the detail page beside the other steps' forms:
    its field ids carry the step's name, so two notes on one page keep distinct ids."""

    step = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.step}_%s")
        super().__init__(*args, **kwargs)


def _note(label, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReliefSubmitForm(_StepForm):
    """No input: submitting runs the pre-check; its refusals are shown on this form."""

    step = "submit"


class ReliefWithdrawForm(_StepForm):
    step = "withdraw"
    note = _note(_("Why the application is withdrawn"))


class ReliefReturnForm(_StepForm):
    step = "return"
    note = _note(_("What the enterprise should change"), required=True)


class ReliefForwardForm(_StepForm):
    step = "forward"
    note = _note(_("Note for the province"))


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class ReliefDecisionForm(_StepForm):
    step = "decision"
    outcome = forms.ChoiceField(
        label=_("The province's decision"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    decision_reference = forms.CharField(label=_("Decision reference"), max_length=200)
    decided_on = forms.DateField(
        label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    granted_t = forms.DecimalField(
        label=_("Allowances granted (t)"),
        required=False,
        max_digits=14,
        decimal_places=3,
        min_value=Decimal(0),
        help_text=_("For a grant: at most the tonnes requested."),
    )
    note = _note(_("Note"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Outcome.REFUSED and data.get("granted_t") is not None:
            self.add_error("granted_t", _("A refusal grants nothing: leave the tonnes empty."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "granted": data["outcome"] == Outcome.GRANTED,
            "decision_reference": data["decision_reference"],
            "decided_on": data["decided_on"],
            "granted_t": data["granted_t"],
            "note": data["note"],
        }


# The list's filter -----------------------------------------------------------------------------


class ReliefFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    year = django_filters.NumberFilter(label=_("Compliance year"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ReliefKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReliefStatus.choices)

    class Meta:
        model = ReliefApplication
        fields = ["q", "year", "kind", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(enterprise__name_zh__icontains=value)
            | Q(enterprise__name_en__icontains=value)
            | Q(decision_reference__icontains=value)
        )
