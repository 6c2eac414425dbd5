"""Presentation of the dashboard payload's decimal strings: tonnes with thousands separators
and at most three decimals (trailing zeros dropped), yuan with two, shares as percentages."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def t(value) -> str:
    number = _decimal(value)
    if number is None:
        return "—"
    rounded = number.quantize(Decimal("0.001"))
    text = (
        format(rounded, "f").rstrip("0").rstrip(".")
        if "." in format(rounded, "f")
        else str(rounded)
    )
    return intcomma(text, use_l10n=False)


@register.filter
def yuan(value) -> str:
    number = _decimal(value)
    if number is None:
        return "—"
    return intcomma(format(number.quantize(Decimal("0.01")), "f"), use_l10n=False)


@register.filter
def percent(value) -> str:
    number = _decimal(value)
    if number is None:
        return "—"
    return f"{(number * 100).quantize(Decimal('0.1'))}%"


@register.simple_tag
def share_of(done, target) -> str:
    """`done` as a percentage of `target`, or an empty string without a target."""
    if not target:
        return ""
    return f"{(Decimal(done) * 100 / Decimal(target)).quantize(Decimal('1'))}%"


@register.filter
def as_datetime(value):
    """A payload's ISO timestamp as a local datetime, for the `date` filter."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment
