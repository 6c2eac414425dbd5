"""Monthly evidence over the API: an enterprise's own systems push a month's data.

- GET /api/v1/evidence/?enterprise=&year=&month=&status= and /api/v1/evidence/{id}/: the months
  the user may see, as on the evidence pages (`permissions.evidence_for_user`).
- POST /api/v1/evidence/: submit a month, or resubmit it once returned: what the month's page
  does. PUT/PATCH /api/v1/evidence/{id}/: correct and resubmit a returned month.

The data is validated by the page's own form (`EvidenceForm`, the model's rules) and saved by
the page's own service (`services.evidence_submit`), so the status steps, files and history are
those of a submission from the page, attributed to the user (a token's user). The supporting
documents travel in the JSON, base64-encoded, and are checked as uploads from the page are.
"""

import base64
import binascii

import django_filters
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
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
from baotou_carbon.core.years import FIRST_YEAR, LAST_YEAR

from .. import permissions, selectors, services
from ..forms import EvidenceForm
from ..models import (
    DeadlineSettings,
    EvidenceFile,
    EvidenceStatus,
    EvidenceSubmission,
)
from ..permissions import Need

MAX_DOCUMENTS = 20

# Reading -------------------------------------------------------------------------------------


class EvidenceApiFilter(django_filters.FilterSet):
    enterprise = IntegerFilter(field_name="enterprise")
    year = IntegerFilter()
    month = IntegerFilter()
    status = django_filters.ChoiceFilter(choices=EvidenceStatus.choices)

    class Meta:
        model = EvidenceSubmission
        fields = ["enterprise", "year", "month", "status"]


class EvidenceFileSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text="The file, for a logged-in browser session (the page's checked download)."
    )

    class Meta:
        model = EvidenceFile
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "kind",
            "uploaded_at",
            "duplicate_of",
            "download_url",
        ]

    def get_download_url(self, stored: EvidenceFile) -> str:
        return reverse("verification:evidence_file", args=[stored.pk])


class EvidenceSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name_zh", read_only=True)
    files = EvidenceFileSerializer(many=True, read_only=True)

    class Meta:
        model = EvidenceSubmission
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "year",
            "month",
            "status",
            *EvidenceSubmission.DATA_FIELDS,
            "first_submitted_at",
            "submitted_at",
            "review_comment",
            "reviewed_at",
            "files",
        ]
        read_only_fields = fields


# Writing -------------------------------------------------------------------------------------


class EvidenceDocumentSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255, help_text="The file's name, with its extension.")
    content = serializers.CharField(help_text="The file's bytes, base64-encoded (RFC 4648).")


class EvidenceMonthSerializer(serializers.Serializer):
    """Which month a POST submits: what the month's page has in its address."""

    enterprise = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The enterprise's id; by default, the enterprise of the user (or token).",
    )
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    month = serializers.IntegerField(min_value=1, max_value=12)


class EvidenceDataSerializer(serializers.ModelSerializer):
    """The month's data, as the schema documents it. It never validates: the page's form does
    (the model's ranges and its cross-checks), so the API and the page refuse the same data."""

    documents = EvidenceDocumentSerializer(
        many=True,
        required=False,
        max_length=MAX_DOCUMENTS,
        help_text="Supporting documents (PDF, PNG, JPEG or .xlsx): required with a month's "
        "first submission; a resubmission adds to those already kept.",
    )

    class Meta:
        model = EvidenceSubmission
        fields = [*EvidenceSubmission.DATA_FIELDS, "documents"]
        validators: list = []


class EvidenceSubmitSerializer(EvidenceMonthSerializer, EvidenceDataSerializer):
    class Meta(EvidenceDataSerializer.Meta):
        fields = ["enterprise", "year", "month", *EvidenceDataSerializer.Meta.fields]


def _form_data(body: dict, instance: EvidenceSubmission | None) -> tuple[dict, dict]:
    """The body's data fields as the form reads a POST (text), and the fields whose JSON type
    no form field reads. A PATCH (`instance`) keeps the fields it leaves out."""
    data: dict[str, str] = {}
    wrong: dict[str, list[str]] = {}
    for name in EvidenceSubmission.DATA_FIELDS:
        if name in body:
            value = body[name]
        elif instance is not None:
            value = getattr(instance, name)
        else:
            continue
        if value is None:
            data[name] = ""
        elif isinstance(value, str):
            data[name] = value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            data[name] = str(value)
        elif instance is not None and name not in body:
            data[name] = str(value)  # the instance's own value (a Decimal)
        else:
            wrong[name] = [_("Give a number or a text, as a JSON string or number.")]
    return data, wrong


def _documents(body: dict) -> tuple[list[SimpleUploadedFile], list[str]]:
    """The documents decoded into uploads, and the messages for those that cannot be."""
    entries = body.get("documents") or []
    shape = EvidenceDocumentSerializer(data=entries, many=True, max_length=MAX_DOCUMENTS)
    if not shape.is_valid():
        problems = shape.errors
        if isinstance(problems, dict):  # the list itself: not a list, or too long
            return [], [str(m) for messages in problems.values() for m in messages]
        return [], [
            f"{index + 1}: {name}: {message}"
            for index, entry in enumerate(problems)
            for name, messages in entry.items()
            for message in messages
        ]
    uploads, problems = [], []
    for entry in shape.validated_data:
        try:
            content = base64.b64decode(entry["content"], validate=True)
        except (binascii.Error, ValueError):
            problems.append(_("“%(name)s”: the content is not base64.") % {"name": entry["name"]})
            continue
        uploads.append(SimpleUploadedFile(entry["name"], content))
    return uploads, problems


def _submit(
    request: Request, *, enterprise, year: int, month: int, instance: EvidenceSubmission | None
) -> EvidenceSubmission:
    """Validate the body with the page's form and save it with the page's service; a 400 with
    the messages per field otherwise."""
    body = request.data
    data, wrong = _form_data(body, instance if request.method == "PATCH" else None)
    uploads, refused = _documents(body)
    form = EvidenceForm(
        data,
        MultiValueDict({"documents": uploads}),
        instance=instance or EvidenceSubmission(enterprise=enterprise, year=year, month=month),
        needs_file=instance is None and not refused,
        max_bytes=DeadlineSettings.current().max_upload_mb * 2**20,
    )
    if form.is_valid() and not (wrong or refused):
        try:
            return services.evidence_submit(
                enterprise=enterprise,
                year=year,
                month=month,
                **form.service_kwargs(),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
    errors = form_errors(form) | wrong
    if refused:
        errors["documents"] = refused
    raise serializers.ValidationError(errors)


def _submitted(submission: EvidenceSubmission, *, created: bool) -> Response:
    submission = selectors.with_files(
        EvidenceSubmission.objects.select_related("enterprise").get(pk=submission.pk)
    )
    return Response(
        EvidenceSerializer(submission).data,
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


EXAMPLE = OpenApiExample(
    "March 2024 of one unit's plant, one PDF",
    request_only=True,
    value={
        "year": 2024,
        "month": 3,
        "fuel_consumption_t": "85000.000",
        "ncv_gj_per_t": "18.5000",
        "carbon_content_tc_per_gj": "0.026800",
        "purchased_mwh": "120.000",
        "generation_mwh": "180000.000",
        "supply_mwh": "165000.000",
        "heat_gj": "250000.000",
        "operating_hours": "744.0",
        "load_factor": "82.50",
        "notes": "",
        "documents": [{"name": "2024-03.pdf", "content": "JVBERi0xLjcK..."}],
    },
)


@extend_schema_view(
    get=extend_schema(
        operation_id="list_evidence",
        summary="Monthly evidence the user may see, newest month first",
        responses={200: EvidenceSerializer(many=True), **LIST_ERRORS},
    ),
    post=extend_schema(
        operation_id="submit_evidence",
        summary="Submit a month's evidence (or resubmit it once returned)",
        description="An enterprise user's (or token's) submission, validated and saved as the "
        "month's page does: the month must be over, power supplied cannot exceed "
        "generation, the hours fit the month, the first submission carries documents. "
        "201 with the new month; 200 when a returned month was resubmitted.",
        request=EvidenceSubmitSerializer,
        responses={201: EvidenceSerializer, 200: EvidenceSerializer, **WRITE_ERRORS},
        examples=[EXAMPLE],
    ),
)
class EvidenceListView(generics.ListAPIView):
    serializer_class = EvidenceSerializer
    filterset_class = EvidenceApiFilter

    def get_queryset(self):
        return selectors.evidence_api_list(self.request.user)

    def post(self, request: Request) -> Response:
        require(permissions.submits_evidence(request.user))
        month = EvidenceMonthSerializer(data=request.data)
        month.is_valid(raise_exception=True)
        address = month.validated_data
        enterprise = permissions.get_board_enterprise_for_user_or_404(
            request.user,
            address.get("enterprise", request.user.enterprise_id),
            need=Need.SUBMIT,
        )
        instance = EvidenceSubmission.objects.filter(
            enterprise=enterprise, year=address["year"], month=address["month"]
        ).first()
        submission = _submit(
            request,
            enterprise=enterprise,
            year=address["year"],
            month=address["month"],
            instance=instance,
        )
        return _submitted(submission, created=instance is None)


def _correction(operation_id: str, summary: str):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description="Only a month returned for correction can be resubmitted, by the "
        "enterprise's user (or token), validated as on the month's page.",
        request=EvidenceDataSerializer,
        responses={200: EvidenceSerializer, **WRITE_ERRORS},
    )


@extend_schema_view(
    get=extend_schema(
        operation_id="get_evidence",
        summary="One month's evidence with its files",
        responses={200: EvidenceSerializer, **READ_ERRORS},
    ),
    put=_correction("resubmit_evidence", "Correct and resubmit a month"),
    patch=_correction(
        "resubmit_evidence_partly",
        "Correct some fields of a month and resubmit it (the others are kept)",
    ),
)
class EvidenceDetailView(generics.GenericAPIView):
    serializer_class = EvidenceSerializer
    queryset = EvidenceSubmission.objects.none()  # for the schema: rows come from the getter

    def get(self, request: Request, pk: int) -> Response:
        submission = permissions.get_evidence_for_user_or_404(request.user, pk)
        return Response(self.get_serializer(selectors.with_files(submission)).data)

    def put(self, request: Request, pk: int) -> Response:
        submission = permissions.get_evidence_for_user_or_404(request.user, pk, need=Need.SUBMIT)
        if not isinstance(request.data, dict):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send the month's data as a JSON object.")]}
            )
        saved = _submit(
            request,
            enterprise=submission.enterprise,
            year=submission.year,
            month=submission.month,
            instance=submission,
        )
        return _submitted(saved, created=False)

    def patch(self, request: Request, pk: int) -> Response:
        return self.put(request, pk)
