"""The summary's figures in a template, printed as `dashboard.numbers` prints them:
`{{ row.tonnes|tonnes_figure }}`, `{{ row.yuan|yuan_figure }}`, `{{ share|share_figure }}`,
`{{ count|count_figure }}`; a done count against its target (`{% share_of done target %}`) and
the payload's ISO timestamps (`{{ at|as_datetime|date:"Y-m-d H:i" }}`)."""

from datetime import datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from baotou_carbon.dashboard.numbers import format_count, format_share, format_tonnes, format_yuan

register = template.Library()

register.filter("tonnes_figure", format_tonnes)
register.filter("yuan_figure", format_yuan)
register.filter("share_figure", format_share)
register.filter("count_figure", format_count)


@register.simple_tag
def share_of(done, target) -> str:
    """`done` as a whole percentage of `target`, or an empty string without a target."""
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
