"""The emission calculator API: POST /api/v1/calculators/emissions/ (DOMAIN §5).

Input is validated field by field (400 with the messages keyed like the input); the year's
parameters come from the editable parameter rows, so a year without them is a 400 on `year`.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from baotou_carbon.core.api import BAD_INPUT, FORBIDDEN
from baotou_carbon.core.years import FIRST_YEAR, LAST_YEAR
from enterprises.models import Fuel

from .. import calculations as calc
from .. import selectors
from ..forms import NO_INPUT_MESSAGE
from ..models import ParameterKind


class FuelLineSerializer(serializers.Serializer):
    fuel = serializers.ChoiceField(choices=Fuel.choices)
    consumption_t = serializers.DecimalField(
        max_digits=15, decimal_places=3, min_value=Decimal(0), max_value=calc.MAX_CONSUMPTION_T
    )
    ncv_gj_per_t = serializers.DecimalField(
        max_digits=9,
        decimal_places=4,
        min_value=calc.MIN_NCV_GJ_PER_T,
        max_value=calc.MAX_NCV_GJ_PER_T,
    )
    carbon_content_tc_per_gj = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=calc.MIN_CARBON_CONTENT,
        max_value=calc.MAX_CARBON_CONTENT,
        allow_null=True,
        required=False,
        default=None,
        help_text="Measured carbon content per unit heat; null when not measured "
        "(the year's default applies).",
    )


# Where the API reports a missing parameter, and how it words it.
GAP_MESSAGES = {
    "oxidation_rate": (
        "fuel",
        gettext_lazy("No oxidation rate is recorded for this fuel in %(year)s."),
    ),
    "default_carbon_content": (
        "carbon_content_tc_per_gj",
        gettext_lazy("No default carbon content for this fuel in %(year)s: enter a measured one."),
    ),
    "grid_factor": (
        "purchased_mwh",
        gettext_lazy("No grid emission factor is recorded for %(year)s."),
    ),
}


class EmissionRequestSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    fuels = FuelLineSerializer(many=True, allow_empty=True, max_length=100)
    purchased_mwh = serializers.DecimalField(
        max_digits=15,
        decimal_places=3,
        min_value=Decimal(0),
        max_value=calc.MAX_ELECTRICITY_MWH,
        required=False,
        default=Decimal(0),
    )

    def validate(self, attrs):
        params = selectors.year_parameters(attrs["year"])
        if params.is_empty:
            raise serializers.ValidationError(
                {"year": [_("No emission parameters are recorded for %(year)s.") % attrs]}
            )
        if not attrs["fuels"] and not attrs["purchased_mwh"]:
            raise serializers.ValidationError({"non_field_errors": [NO_INPUT_MESSAGE]})
        gaps = calc.missing_parameters(
            params,
            [(line["fuel"], line["carbon_content_tc_per_gj"]) for line in attrs["fuels"]],
            attrs["purchased_mwh"],
        )
        # Fuel lines' errors keyed by line index, as DRF keys the errors of a list of lines.
        problems: dict = {}
        for gap in gaps:
            field, message = GAP_MESSAGES[gap.kind]
            text = str(message) % attrs
            if gap.line is None:
                problems[field] = [text]
            else:
                line = problems.setdefault("fuels", {}).setdefault(str(gap.line), {})
                line[field] = [text]
        if problems:
            raise serializers.ValidationError(problems)
        attrs["params"] = params
        return attrs

    def calculate(self) -> calc.EmissionBreakdown:
        data = self.validated_data
        return calc.emissions(
            params=data["params"],
            fuels=[
                calc.FuelInput(
                    fuel=line["fuel"],
                    consumption_t=line["consumption_t"],
                    ncv_gj_per_t=line["ncv_gj_per_t"],
                    carbon_content_tc_per_gj=line["carbon_content_tc_per_gj"],
                )
                for line in data["fuels"]
            ],
            purchased_mwh=data["purchased_mwh"],
        )


def _t(value: Decimal) -> str:
    return str(calc.round_t(value))


class FuelResultSerializer(serializers.Serializer):
    fuel = serializers.CharField()
    consumption_t = serializers.CharField()
    ncv_gj_per_t = serializers.CharField()
    carbon_content_tc_per_gj = serializers.CharField()
    carbon_content_source = serializers.ChoiceField(choices=["measured", "default"])
    oxidation_rate = serializers.CharField()
    heat_gj = serializers.CharField()
    carbon_t = serializers.CharField()
    emissions_t = serializers.CharField()


class ElectricityResultSerializer(serializers.Serializer):
    purchased_mwh = serializers.CharField()
    grid_factor = serializers.CharField()
    emissions_t = serializers.CharField()


class ParameterUsedSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ParameterKind.choices)
    fuel = serializers.CharField(allow_blank=True)
    value = serializers.CharField()
    status = serializers.CharField()
    source = serializers.CharField(allow_blank=True)


class EmissionResultSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    emissions_t = serializers.CharField(help_text="Total, tCO2, rounded to 3 places.")
    combustion_t = serializers.CharField()
    indirect_t = serializers.CharField()
    co2_per_carbon = serializers.CharField()
    fuels = FuelResultSerializer(many=True)
    electricity = ElectricityResultSerializer()
    parameters = ParameterUsedSerializer(many=True)


def breakdown_payload(result: calc.EmissionBreakdown, parameters) -> dict:
    return {
        "year": result.year,
        "emissions_t": _t(result.total_t),
        "combustion_t": _t(result.combustion_t),
        "indirect_t": _t(result.indirect_t),
        "co2_per_carbon": str(calc.CO2_PER_CARBON),
        "fuels": [
            {
                "fuel": line.fuel,
                "consumption_t": str(line.consumption_t),
                "ncv_gj_per_t": str(line.ncv_gj_per_t),
                "carbon_content_tc_per_gj": str(line.carbon_content_tc_per_gj),
                "carbon_content_source": "measured" if line.carbon_content_measured else "default",
                "oxidation_rate": str(line.oxidation_rate),
                "heat_gj": str(line.heat_gj),
                "carbon_t": str(line.carbon_t),
                "emissions_t": _t(line.emissions_t),
            }
            for line in result.fuels
        ],
        "electricity": {
            "purchased_mwh": str(result.electricity.purchased_mwh),
            "grid_factor": str(result.electricity.grid_factor),
            "emissions_t": _t(result.electricity.emissions_t),
        },
        "parameters": [
            {
                "kind": p.kind,
                "fuel": p.fuel,
                "value": str(p.value),
                "status": p.status,
                "source": p.source,
            }
            for p in parameters
        ],
    }


class EmissionCalculatorView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="calculate_emissions",
        summary="Emissions of fuel combustion and purchased electricity",
        description=(
            "E = FC × NCV × CC × OF × 44/12 per fuel line, plus purchased MWh × grid factor. "
            "A null carbon content means not measured: the year's default applies."
        ),
        request=EmissionRequestSerializer,
        responses={200: EmissionResultSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
        examples=[
            OpenApiExample(
                "Coal, one line measured, one default",
                request_only=True,
                value={
                    "year": 2022,
                    "fuels": [
                        {
                            "fuel": "coal",
                            "consumption_t": "1000",
                            "ncv_gj_per_t": "20",
                            "carbon_content_tc_per_gj": "0.03",
                        },
                        {
                            "fuel": "coal",
                            "consumption_t": "1000",
                            "ncv_gj_per_t": "20",
                            "carbon_content_tc_per_gj": None,
                        },
                    ],
                    "purchased_mwh": "100",
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = EmissionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = serializer.calculate()
        rows = selectors.parameter_rows(result.year)
        return Response(breakdown_payload(result, rows))
