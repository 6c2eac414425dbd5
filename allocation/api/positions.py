"""The allocation API (DOMAIN §4), for logged-in users, JSON in and out:

- POST /api/v1/calculators/allocation/ — one unit's free allocation with every factor;
- POST /api/v1/calculators/compliance-position/ — shortfall, gap cap, gas exemption, advance;
- GET /api/v1/positions/?year=&enterprise= and /api/v1/positions/{id}/ — the compliance
  positions the recompute wrote, with their breakdown, scoped as the positions page.

Numbers travel as decimal strings. The year's values come from its editable rule set, so a year
without one is a 400 on `year`; every other bad input is a 400 keyed by the field at fault.
"""

from decimal import Decimal

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from baotou_carbon.core.access import require
from baotou_carbon.core.api import LIST_ERRORS, READ_ERRORS, IntegerFilter
from baotou_carbon.core.years import FIRST_YEAR, LAST_YEAR
from enterprises.models import AllocationCategory, Cooling

from .. import calculations as calc
from .. import permissions, selectors
from ..models import CompliancePosition, PositionBasis, PositionStatus

# The API's names of the unit categories (the registry calls unconventional coal
# "unconventional_coal"; the API keeps the plan's order of words).
API_CATEGORIES = {
    "coal_above_300": AllocationCategory.COAL_ABOVE_300,
    "coal_300_and_below": AllocationCategory.COAL_300_AND_BELOW,
    "coal_unconventional": AllocationCategory.UNCONVENTIONAL_COAL,
    "gas": AllocationCategory.GAS,
}
FRACTION = {"min_value": Decimal(0), "max_value": Decimal(1)}

ERRORS = OpenApiResponse(
    description="Bad input: a list of messages per field (`non_field_errors` for the whole)."
)
FORBIDDEN = OpenApiResponse(description="Not logged in, or the session is no longer valid.")


def _plain(value: Decimal | str) -> str:
    """A factor as a decimal string without trailing zeros or an exponent."""
    return value if isinstance(value, str) else format(value.normalize(), "f")


def _rules(year: int) -> calc.YearRules:
    rules = selectors.rules_for_year(year)
    if rules is None:
        raise serializers.ValidationError(
            {"year": [_("No allocation rule set is recorded for %(year)s.") % {"year": year}]}
        )
    return rules


class AllocationRequestSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    unit_category = serializers.ChoiceField(choices=list(API_CATEGORIES))
    cooling = serializers.ChoiceField(choices=Cooling.values, default=Cooling.WATER)
    supplied_mwh = serializers.DecimalField(
        max_digits=15,
        decimal_places=3,
        min_value=Decimal(0),
        max_value=calc.MAX_ELECTRICITY_MWH,
        required=False,
        help_text="Supplied electricity: required in years allocated on it.",
    )
    generated_mwh = serializers.DecimalField(
        max_digits=15,
        decimal_places=3,
        min_value=Decimal(0),
        max_value=calc.MAX_ELECTRICITY_MWH,
        required=False,
        help_text="Gross generation: required in years allocated on it.",
    )
    heat_gj = serializers.DecimalField(
        max_digits=15,
        decimal_places=3,
        min_value=Decimal(0),
        max_value=calc.MAX_HEAT_GJ,
        default=Decimal(0),
    )
    heat_ratio = serializers.DecimalField(
        max_digits=7, decimal_places=6, default=Decimal(0), **FRACTION
    )
    load_factor = serializers.DecimalField(
        max_digits=7,
        decimal_places=6,
        required=False,
        allow_null=True,
        default=None,
        help_text="Fraction (0.72 = 72%); required where the load-factor correction applies.",
        **FRACTION,
    )
    chp = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Combined heat and power; by default, a unit that supplies heat.",
    )

    def validate(self, attrs):
        rules = _rules(attrs["year"])
        wanted, other = (
            ("supplied_mwh", "generated_mwh")
            if rules.basis == calc.Basis.SUPPLIED
            else ("generated_mwh", "supplied_mwh")
        )
        if attrs.get(wanted) is None:
            message = (
                _("The %(year)s rules allocate on supplied electricity: enter supplied_mwh.")
                if wanted == "supplied_mwh"
                else _("The %(year)s rules allocate on gross generation: enter generated_mwh.")
            )
            raise serializers.ValidationError({wanted: [message % attrs]})
        if attrs.get(other) is not None:
            raise serializers.ValidationError(
                {other: [_("Not used by the %(year)s rules: leave it out.") % attrs]}
            )
        chp = attrs.get("chp")
        unit = calc.UnitInput(
            category=API_CATEGORIES[attrs["unit_category"]],
            cooling=attrs["cooling"],
            electricity_mwh=attrs[wanted],
            heat_gj=attrs["heat_gj"],
            heat_ratio=attrs["heat_ratio"],
            load_factor=attrs.get("load_factor"),
            chp=bool(attrs["heat_gj"] or attrs["heat_ratio"]) if chp is None else chp,
        )
        try:
            attrs["result"] = calc.unit_allocation(rules, unit)
        except calc.MissingInput as missing:
            raise serializers.ValidationError(
                {
                    missing.name: [
                        _("The %(year)s rules correct this unit for its load factor: enter it.")
                        % attrs
                    ]
                }
            ) from None
        except calc.MissingRule as missing:
            raise serializers.ValidationError(
                {
                    "year": [
                        _("The %(year)s rule set lacks %(rule)s.") % {**attrs, "rule": missing.name}
                    ]
                }
            ) from None
        return attrs


class AllocationResultSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    allocation_t = serializers.CharField(help_text="tCO2, rounded to 3 places.")
    factors = serializers.DictField(
        child=serializers.CharField(),
        help_text="basis, power_benchmark, electricity_mwh, f_cooling, f_heat, f_load, power_t, "
        "heat_benchmark, heat_gj, heat_t (unrounded).",
    )
    applied = serializers.ListField(child=serializers.CharField())


class AllocationCalculatorView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="calculate_allocation",
        summary="Free allocation of one generating unit",
        description="allocation = B_power × MWh × F_cooling × F_heat × F_load + B_heat × heat_GJ, "
        "with the year's rule set deciding the electricity basis and which factors apply.",
        request=AllocationRequestSerializer,
        responses={200: AllocationResultSerializer, 400: ERRORS, 403: FORBIDDEN},
        examples=[
            OpenApiExample(
                "Air-cooled 600 MW coal unit, 2022",
                request_only=True,
                value={
                    "year": 2022,
                    "unit_category": "coal_above_300",
                    "cooling": "air",
                    "supplied_mwh": "3000000",
                    "heat_gj": "0",
                    "heat_ratio": "0",
                    "load_factor": "0.72",
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = AllocationRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result: calc.AllocationBreakdown = serializer.validated_data["result"]
        return Response(
            {
                "year": serializer.validated_data["year"],
                "allocation_t": str(calc.round_t(result.allocation_t)),
                "factors": {name: _plain(value) for name, value in result.factors.items()},
                "applied": list(result.applied),
            }
        )


class PositionRequestSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    allocation_t = serializers.DecimalField(
        max_digits=15, decimal_places=3, min_value=Decimal(0), max_value=calc.MAX_TONNES
    )
    verified_emissions_t = serializers.DecimalField(
        max_digits=15, decimal_places=3, min_value=Decimal(0), max_value=calc.MAX_TONNES
    )
    gas_only = serializers.BooleanField(
        default=False, help_text="Every unit of the enterprise burns natural gas."
    )

    def validate(self, attrs):
        attrs["rules"] = _rules(attrs["year"])
        return attrs


class PositionResultSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    allocation_t = serializers.CharField()
    verified_emissions_t = serializers.CharField()
    gap_cap_top_up_t = serializers.CharField()
    gas_exemption_top_up_t = serializers.CharField()
    adjusted_allocation_t = serializers.CharField()
    shortfall_t = serializers.CharField()
    surplus_t = serializers.CharField()
    shortfall_ratio = serializers.CharField(
        allow_null=True,
        help_text="Shortfall ÷ verified emissions, 6 places; null when nothing was emitted.",
    )
    advance_eligible = serializers.BooleanField()
    advance_max_t = serializers.CharField()
    advance_source_year = serializers.IntegerField(allow_null=True)
    ccer_max_t = serializers.CharField()


class CompliancePositionCalculatorView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="calculate_compliance_position",
        summary="Compliance position after the gap cap and the gas exemption",
        description="Eligibility for the allowance advance and its ceiling are judged on the "
        "shortfall after the cap.",
        request=PositionRequestSerializer,
        responses={200: PositionResultSerializer, 400: ERRORS, 403: FORBIDDEN},
        examples=[
            OpenApiExample(
                "A 2022 shortfall of 30% before the cap",
                request_only=True,
                value={
                    "year": 2022,
                    "allocation_t": "700000",
                    "verified_emissions_t": "1000000",
                    "gas_only": False,
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = PositionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        position = calc.compliance_position(
            data["rules"],
            allocation_t=data["allocation_t"],
            verified_emissions_t=data["verified_emissions_t"],
            gas_only=data["gas_only"],
        )
        t = calc.round_t
        ratio = position.shortfall_ratio
        return Response(
            {
                "year": data["year"],
                "allocation_t": str(t(position.allocation_t)),
                "verified_emissions_t": str(t(position.verified_emissions_t)),
                "gap_cap_top_up_t": str(t(position.gap_cap_top_up_t)),
                "gas_exemption_top_up_t": str(t(position.gas_exemption_top_up_t)),
                "adjusted_allocation_t": str(t(position.adjusted_allocation_t)),
                "shortfall_t": str(t(position.shortfall_t)),
                "surplus_t": str(t(position.surplus_t)),
                "shortfall_ratio": None if ratio is None else str(calc.round_ratio(ratio)),
                "advance_eligible": position.advance_eligible,
                "advance_max_t": str(t(position.advance_max_t)),
                "advance_source_year": position.advance_source_year,
                "ccer_max_t": str(t(position.ccer_max_t)),
            }
        )


# Compliance positions ------------------------------------------------------------------------


class PositionApiFilter(django_filters.FilterSet):
    year = IntegerFilter()
    enterprise = IntegerFilter(field_name="enterprise")
    basis = django_filters.ChoiceFilter(choices=PositionBasis.choices)
    status = django_filters.ChoiceFilter(choices=PositionStatus.choices)

    class Meta:
        model = CompliancePosition
        fields = ["year", "enterprise", "basis", "status"]


class PositionSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name_zh", read_only=True)
    remaining_t = serializers.DecimalField(
        max_digits=14,
        decimal_places=3,
        read_only=True,
        allow_null=True,
        help_text="Still to surrender: verified emissions − surrendered − CCER offsets used.",
    )
    inputs = serializers.DictField(
        read_only=True, help_text="What the recompute read: rule-set year, units, figures."
    )

    class Meta:
        model = CompliancePosition
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "year",
            "basis",
            "status",
            "allocation_t",
            "allocation_final",
            "verified_emissions_t",
            "gas_only",
            "gap_cap_top_up_t",
            "gas_exemption_top_up_t",
            "adjusted_allocation_t",
            "shortfall_t",
            "surplus_t",
            "shortfall_ratio",
            "advance_eligible",
            "advance_max_t",
            "advance_granted_t",
            "ccer_cap_t",
            "ccer_used_t",
            "banked_t",
            "surrendered_t",
            "remaining_t",
            "deadline",
            "computed_at",
            "inputs",
        ]
        read_only_fields = fields


@extend_schema_view(
    get=extend_schema(
        operation_id="list_positions",
        summary="Compliance positions the user may see, newest year first",
        description="Bureau users see every enterprise's, an enterprise user its own; other "
        "roles are refused, as on the positions page.",
        responses={200: PositionSerializer(many=True), **LIST_ERRORS},
    )
)
class PositionListView(generics.ListAPIView):
    serializer_class = PositionSerializer
    filterset_class = PositionApiFilter

    def get(self, request: Request, *args, **kwargs) -> Response:
        require(permissions.can_see_positions(request.user))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.position_api_list(self.request.user)


class PositionDetailView(generics.GenericAPIView):
    serializer_class = PositionSerializer
    queryset = CompliancePosition.objects.none()  # for the schema: rows come from the getter

    @extend_schema(
        operation_id="get_position",
        summary="One compliance position with its breakdown",
        responses={200: PositionSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        position = permissions.get_position_for_user_or_404(request.user, pk)
        return Response(self.get_serializer(position).data)
