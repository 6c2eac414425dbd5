"""The summary's figures in a template, printed as `dashboard.numbers` prints them:
`{{ row.tonnes|tonnes_figure }}`, `{{ row.yuan|yuan_figure }}`, `{{ share|share_figure }}`,
`{{ count|count_figure }}`."""

from django import template

from baotou_carbon.dashboard.numbers import format_count, format_share, format_tonnes, format_yuan

register = template.Library()

register.filter("tonnes_figure", format_tonnes)
register.filter("yuan_figure", format_yuan)
register.filter("share_figure", format_share)
register.filter("count_figure", format_count)
