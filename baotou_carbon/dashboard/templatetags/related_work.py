"""`{% related_work enterprise as groups %}`: an enterprise's work in the apps built on the
registry, for the registry's own page (which cannot import those apps)."""

from django import template

from baotou_carbon.dashboard.related import related_work as gather

register = template.Library()


@register.simple_tag(takes_context=True)
def related_work(context, enterprise):
    return gather(context["request"].user, enterprise)
