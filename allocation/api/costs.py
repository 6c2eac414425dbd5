"""The compliance-cost ledger's API, scoped as the ledger's pages:

- GET /api/v1/cost-entries/?year=&enterprise=&category= and /api/v1/cost-entries/{id}/;
- POST /api/v1/cost-entries/ — a new entry, validated by the page's own form (a positive
  amount: the service signs revenue; tonnes only for allowances traded) and saved by the page's
  service; an enterprise's entry is its own enterprise's whatever the body says;
- POST /api/v1/cost-entries/{id}/reverse/ with `{"reason"}` — the reversing entry.

The ledger is append-only: no PUT, PATCH or DELETE. Documents are attached on the entry's page.
"""

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from baotou_carbon.core.access import require
from baotou_carbon.core.api import (
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    IntegerFilter,
    form_errors,
)
from baotou_carbon.core.views import add_service_errors

from .. import permissions, selectors, services
from ..forms.costs import CostEntryForm, CostReverseForm
from ..models import CostCategory, CostEntry

FIELDS = ("enterprise", "year", "category", "amount_yuan", "quantity_t", "occurred_on")
TEXT_FIELDS = ("description",)


class CostEntryApiFilter(django_filters.FilterSet):
    year = IntegerFilter()
    enterprise = IntegerFilter(field_name="enterprise")
    category = django_filters.ChoiceFilter(choices=CostCategory.choices)

    class Meta:
        model = CostEntry
        fields = ["year", "enterprise", "category"]


class CostEntrySerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name_zh", read_only=True)
    reversed_by = serializers.SerializerMethodField()

    class Meta:
        model = CostEntry
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "year",
            "category",
            "amount_yuan",
            "quantity_t",
            "occurred_on",
            "description",
            "reverses",
            "reversed_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_reversed_by(self, entry: CostEntry) -> int | None:
        reversal = getattr(entry, "reversed_by", None)
        return reversal.pk if reversal else None


class CostEntryInputSerializer(serializers.Serializer):
    """The body's shape, for the schema; the page's form validates the values."""

    enterprise = serializers.IntegerField(
        required=False, help_text="Staff only: an enterprise user's entry is its own."
    )
    year = serializers.IntegerField()
    category = serializers.ChoiceField(choices=CostCategory.choices)
    amount_yuan = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Always positive: revenue is signed for you."
    )
    quantity_t = serializers.DecimalField(max_digits=14, decimal_places=3, required=False)
    occurred_on = serializers.DateField()
    description = serializers.CharField(max_length=500)


class ReverseInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=400)


def _as_form_data(body, names: tuple[str, ...]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The body's values as a form reads a POST (text); a value no form field reads (a list,
    an object) is refused by name."""
    if not isinstance(body, dict):
        raise serializers.ValidationError(
            {"non_field_errors": [_("Send the entry as a JSON object.")]}
        )
    data, wrong = {}, {}
    for name in names:
        value = body.get(name)
        if value is None:
            continue
        if isinstance(value, (dict, list)):
            wrong[name] = [_("Give a single value.")]
        else:
            data[name] = str(value)
    return data, wrong


@extend_schema_view(
    get=extend_schema(
        operation_id="list_cost_entries",
        summary="The compliance-cost ledger's entries the user may see",
        responses={200: CostEntrySerializer(many=True), **LIST_ERRORS},
    ),
    post=extend_schema(
        operation_id="create_cost_entry",
        summary="Enter a cost (or revenue) of an enterprise's compliance",
        request=CostEntryInputSerializer,
        responses={201: CostEntrySerializer, **WRITE_ERRORS},
    ),
)
class CostEntryListView(generics.ListAPIView):
    serializer_class = CostEntrySerializer
    filterset_class = CostEntryApiFilter
    parser_classes = [JSONParser]

    def get(self, request: Request, *args, **kwargs) -> Response:
        require(permissions.can_see_costs(request.user))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.cost_entry_list(self.request.user)

    def post(self, request: Request) -> Response:
        require(permissions.can_enter_costs(request.user))
        data, wrong = _as_form_data(request.data, FIELDS + TEXT_FIELDS)
        form = CostEntryForm(data, user=request.user)
        if form.is_valid() and not wrong:
            kwargs = form.service_kwargs()
            kwargs.pop("uploads", None)
            try:
                entry = services.cost_entry_create(**kwargs, actor=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                entry = selectors.cost_entry_detail(entry)
                return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)
        raise serializers.ValidationError(form_errors(form) | wrong)


class CostEntryDetailView(generics.GenericAPIView):
    serializer_class = CostEntrySerializer
    queryset = CostEntry.objects.none()  # for the schema: rows come from the getter

    @extend_schema(
        operation_id="get_cost_entry",
        summary="One ledger entry",
        responses={200: CostEntrySerializer, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        require(permissions.can_see_costs(request.user))
        entry = permissions.get_cost_entry_for_user_or_404(request.user, pk)
        return Response(self.get_serializer(selectors.cost_entry_detail(entry)).data)


class CostEntryReverseView(generics.GenericAPIView):
    serializer_class = CostEntrySerializer
    queryset = CostEntry.objects.none()
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="reverse_cost_entry",
        summary="Correct an entry by a reversing entry of the opposite amount",
        request=ReverseInputSerializer,
        responses={201: CostEntrySerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        require(permissions.can_see_costs(request.user))
        entry = permissions.get_cost_entry_for_user_or_404(
            request.user, pk, need=permissions.Need.EDIT
        )
        data, wrong = _as_form_data(request.data, ("reason",))
        form = CostReverseForm(data)
        if form.is_valid() and not wrong:
            try:
                reversal = services.cost_entry_reverse(
                    entry=entry, **form.service_kwargs(), actor=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                reversal = selectors.cost_entry_detail(reversal)
                return Response(self.get_serializer(reversal).data, status=status.HTTP_201_CREATED)
        raise serializers.ValidationError(form_errors(form) | wrong)
