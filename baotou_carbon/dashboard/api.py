"""The dashboard's figures as JSON, for the charts and the bureau's own tools:

- GET /api/v1/dashboard/summary/?year=2022&district=150203 — the payload of
  `summary.dashboard_summary` for that data year (2022 = the verification of 2022 data).

Bureau staff, managers and administrators only (403 for every other role); a bad year or
district is a 400 keyed by the parameter.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from baotou_carbon.core.years import FIRST_YEAR, LAST_YEAR
from enterprises.models import District

from . import summary
from .permissions import can_view_dashboard


class SummaryQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    district = serializers.ChoiceField(choices=District.values, required=False, allow_blank=True)


class SummarySerializer(serializers.Serializer):
    """The payload's shape (see `summary.py` for every key); numbers are decimal strings."""

    year = serializers.IntegerField()
    district = serializers.CharField(allow_null=True)
    district_label = serializers.CharField(allow_null=True)
    computed_at = serializers.CharField(allow_null=True)
    price = serializers.DictField()
    headline = serializers.DictField()
    assistance = serializers.DictField()
    relief_by_status = serializers.ListField(child=serializers.DictField())
    evidence = serializers.DictField()
    measures = serializers.ListField(child=serializers.DictField())
    by_enterprise = serializers.ListField(child=serializers.DictField())
    by_district = serializers.ListField(child=serializers.DictField())
    by_industry = serializers.ListField(child=serializers.DictField())
    assistance_by_month = serializers.ListField(child=serializers.DictField())
    shortfall_distribution = serializers.ListField(child=serializers.DictField())


class DashboardSummaryView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="dashboard_summary",
        summary="The manager dashboard's figures for a data year",
        parameters=[
            OpenApiParameter("year", int, required=True, description="The data year."),
            OpenApiParameter(
                "district", str, required=False, description="A district code (GB/T 2260)."
            ),
        ],
        responses={
            200: SummarySerializer,
            400: OpenApiResponse(description="Bad year or district: messages per parameter."),
            403: OpenApiResponse(description="Not logged in, or not a bureau role."),
        },
    )
    def get(self, request: Request) -> Response:
        if not can_view_dashboard(request.user):
            raise PermissionDenied(_("Only bureau staff and managers may read the dashboard."))
        query = SummaryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        payload = summary.dashboard_summary(
            year=query.validated_data["year"],
            district=query.validated_data.get("district") or None,
        )
        response = Response(payload)
        response["Cache-Control"] = "private, no-store"
        return response
