"""Presentation of tonnes: rounded once, here, to 3 places with thousands separators."""

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from verification.calculations import round_t

register = template.Library()


@register.filter
def tonnes(value) -> str:
    if value is None or value == "":
        return "—"
    return intcomma(round_t(Decimal(value)), use_l10n=False)


@register.filter
def absolute(value: int) -> int:
    return abs(value)


@register.filter
def grouped(value) -> str:
    """A stored number as recorded (its own decimal places) with thousands separators."""
    if value is None or value == "":
        return "—"
    return intcomma(value, use_l10n=False)
