"""What every app's API shares: the page shape of lists, and the error responses the schema
documents (each app's `api.py` builds its views from these)."""

import django_filters
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.views.defaults import page_not_found
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

API_PREFIX = "/api/"


class Pagination(PageNumberPagination):
    """`?page=` (from 1) and `?page_size=` (at most 100); a page past the end is a 404."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (a year, an id): `?year=2022.5` is a 400, not a rounded lookup."""

    field_class = forms.IntegerField


_DETAIL = inline_serializer("ErrorDetail", fields={"detail": serializers.CharField()})

BAD_INPUT = OpenApiResponse(
    description="Bad input: a list of messages per field (`non_field_errors` for the whole).",
    response=inline_serializer(
        "FieldErrors",
        fields={
            "non_field_errors": serializers.ListField(child=serializers.CharField(), required=False)
        },
    ),
)
FORBIDDEN = OpenApiResponse(
    description="Not logged in, a token that is unknown or revoked, or a user who may not do this.",
    response=_DETAIL,
)
NOT_FOUND = OpenApiResponse(
    description="No such record among those the user may see, or a page past the end.",
    response=_DETAIL,
)
THROTTLED = OpenApiResponse(description="Too many requests: wait and retry.", response=_DETAIL)


def form_errors(form) -> dict[str, list[str]]:
    """A page form's messages keyed as DRF keys a serializer's (`non_field_errors` for the
    whole): what an endpoint that validates with the page's form answers in its 400."""
    return {
        ("non_field_errors" if name == NON_FIELD_ERRORS else name): [str(m) for m in messages]
        for name, messages in form.errors.items()
    }


# The responses every endpoint may give besides its own.
READ_ERRORS = {403: FORBIDDEN, 404: NOT_FOUND, 429: THROTTLED}
LIST_ERRORS = {400: BAD_INPUT, **READ_ERRORS}
WRITE_ERRORS = {400: BAD_INPUT, **READ_ERRORS}


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The site's 404 page; under /api/ a JSON body, as every other API error (a path that
    matches no route, `/api/v1/enterprises/abc/`, never gets the HTML page)."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    return page_not_found(request, exception)
