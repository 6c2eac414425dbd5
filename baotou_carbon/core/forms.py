"""Form layout shared by every app: crispy helpers for the usual card of rows + one button;
and the forms' side of the form page: `service_kwargs()`, the service's keyword arguments."""

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django.utils.translation import gettext_lazy as _


def form_helper(*rows, submit=None, button_class: str = "btn btn-primary") -> FormHelper:
    """A helper laying out `rows` then one submit button (labelled "Save" by default)."""
    helper = FormHelper()
    label = submit if submit is not None else _("Save")
    helper.layout = Layout(*rows, Submit("submit", label, css_class=button_class))
    return helper


def row(*names: str) -> Div:
    """Fields side by side on a wide screen, stacked on a phone."""
    return Div(*[Div(Field(n), css_class="col-md") for n in names], css_class="row")


class ServiceKwargsMixin:
    """A form whose cleaned fields are, by name, the keyword arguments of its service:
    `services.x(**form.service_kwargs(), actor=...)`. A form whose service wants other names
    or shapes writes its own `service_kwargs()`."""

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)  # type: ignore[attr-defined]
