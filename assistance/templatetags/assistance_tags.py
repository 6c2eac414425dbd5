"""The assistance pages' shared navigation, open to the roles that may read assistance."""

from django import template

from .. import permissions

register = template.Library()


@register.inclusion_tag("assistance/_subnav.html", takes_context=True)
def assistance_subnav(context) -> dict:
    request = context["request"]
    return {
        "request": request,
        "can_read_assistance": permissions.can_read_assistance(request.user),
        "can_read_progress": permissions.can_read_progress(request.user),
    }
