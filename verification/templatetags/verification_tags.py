"""Presentation of tonnes (rounded once, here, to 3 places with thousands separators), of
shares and ratios, and the links of the agency scorecards."""

from decimal import Decimal
from urllib.parse import urlencode

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse

from verification.calculations import percent as percent_of
from verification.calculations import round_ratio, round_t

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


@register.filter
def percent(share) -> str:
    """A share (0–1) as a percentage to one place; "—" when there is none."""
    if share is None:
        return "—"
    return f"{percent_of(share)}%"


@register.filter
def ratio(value) -> str:
    """A ratio to two places; "—" when there is none."""
    if value is None:
        return "—"
    return str(round_ratio(value))


@register.simple_tag
def scorecard_url(card, mark: str = "") -> str:
    """The case list filtered to the cases a scorecard cell counts (its agency, unless the
    total row, its year, and the column's `mark`)."""
    params: dict[str, object] = {"year": card.year}
    if card.agency is not None:
        params["agency"] = card.agency.pk
    if mark:
        params["scorecard"] = mark
    return f"{reverse('verification:case_list')}?{urlencode(params)}"
