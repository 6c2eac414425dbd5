"""The registry's API: GET /api/v1/enterprises/ and /api/v1/enterprises/{id}/.

Read-only, scoped exactly as the registry pages (`permissions.enterprises_for_user`): an
enterprise user sees its own enterprise, a district reviewer its district's, an agency user the
enterprises of its agency's cases, the bureau all of them.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from baotou_carbon.core.api import LIST_ERRORS, READ_ERRORS, IntegerFilter

from . import permissions, selectors
from .models import District, Enterprise, Facility, GeneratingUnit, KeyEmitterListing


class EnterpriseApiFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="search_terms",
        label=_("Name, credit code or registry account contains"),
    )
    district = django_filters.ChoiceFilter(choices=District.choices, label=_("District"))
    year = IntegerFilter(field_name="listings__year", distinct=True, label=_("Key emitter in year"))

    class Meta:
        model = Enterprise
        fields = ["search", "district", "year"]

    def search_terms(self, queryset, name, value):
        return selectors.enterprise_search(queryset, value)


class ListingSerializer(serializers.ModelSerializer):
    class Meta:
        model = KeyEmitterListing
        fields = ["year", "sector", "reference"]


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = GeneratingUnit
        fields = [
            "id",
            "code",
            "allocation_category",
            "capacity_mw",
            "cooling",
            "operating_mode",
            "main_fuel",
            "is_cfb",
            "commissioned_on",
        ]


class FacilitySerializer(serializers.ModelSerializer):
    units = UnitSerializer(many=True, read_only=True)

    class Meta:
        model = Facility
        fields = ["id", "name_zh", "name_en", "kind", "address", "units"]


ENTERPRISE_FIELDS = [
    "id",
    "name_zh",
    "name_en",
    "uscc",
    "district",
    "industry",
    "registry_account",
    "address",
    "is_active",
    "listed_years",
]


class EnterpriseSerializer(serializers.ModelSerializer):
    listed_years = serializers.SerializerMethodField(
        help_text="The years it is listed as a key emitter, oldest first."
    )
    unit_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Enterprise
        fields = [*ENTERPRISE_FIELDS, "unit_count"]

    def get_listed_years(self, enterprise: Enterprise) -> list[int]:
        return [listing.year for listing in enterprise.listings.all()]


class EnterpriseDetailSerializer(EnterpriseSerializer):
    listings = ListingSerializer(many=True, read_only=True)
    facilities = FacilitySerializer(many=True, read_only=True)

    class Meta:
        model = Enterprise
        fields = [*ENTERPRISE_FIELDS, "listings", "facilities"]


@extend_schema_view(
    get=extend_schema(
        operation_id="list_enterprises",
        summary="Enterprises the user may see",
        responses={200: EnterpriseSerializer(many=True), **LIST_ERRORS},
    )
)
class EnterpriseListView(generics.ListAPIView):
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseApiFilter

    def get_queryset(self):
        return selectors.enterprise_api_list(self.request.user)


class EnterpriseDetailView(generics.GenericAPIView):
    serializer_class = EnterpriseDetailSerializer
    queryset = Enterprise.objects.none()  # for the schema: rows come from the getter

    @extend_schema(
        operation_id="get_enterprise",
        summary="One enterprise with its listings, facilities and units",
        responses={200: EnterpriseDetailSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        enterprise = permissions.get_enterprise_for_user_or_404(request.user, pk)
        return Response(self.get_serializer(selectors.enterprise_structure(enterprise)).data)
