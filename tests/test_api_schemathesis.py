"""Schemathesis over the whole API: every operation in the schema the site serves, called
through the WSGI application with data generated from the schema (valid and invalid), must
answer without a server error, with a status, content type and body the schema documents.

The schema is the one /api/v1/schema/ serves, generated here once at collection; an endpoint
added to any app's API joins this test by being in it. Run alone with `-m schemathesis`.
Examples are limited so the whole run stays well under a minute.
"""

import json
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import schemathesis
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from allocation.models import CompliancePosition, PositionStatus
from enterprises import services as registry
from verification import services as verification

from .factories import FacilityFactory, ListingFactory, UnitFactory

pytestmark = pytest.mark.schemathesis

TZ = ZoneInfo("Asia/Shanghai")
MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def served_schema() -> dict:
    """What GET /api/v1/schema/?format=json answers, without a request to make."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


schema = schemathesis.openapi.from_dict(
    served_schema(),
    config=schemathesis.Config.from_dict(
        {
            "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "database": "none"},
            "phases": {"stateful": {"enabled": False}},
        }
    ),
)
schema.app = get_wsgi_application()


@pytest.fixture
def media_root(settings, tmp_path):
    """Files the generated submissions store go to the test's own folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def in_test_transaction():
    """Keep the test's database connection across the WSGI requests, as Django's test client
    does: the handler would otherwise close it at the end of each request (CONN_MAX_AGE=0),
    and the test's transaction with it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token_headers(personas, monkeypatch, in_test_transaction):
    """An enterprise's token, and rows for every endpoint to find: enterprise A's listing,
    facility and unit, a month of its evidence and a compliance position."""
    cache.clear()
    monkeypatch.setitem(UserRateThrottle.THROTTLE_RATES, "user", "100000/minute")
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", "100000/minute")
    enterprise, user = personas.enterprise_a, personas.enterprise_a_user
    ListingFactory(enterprise=enterprise, year=2023)
    UnitFactory(facility=FacilityFactory(enterprise=enterprise))
    verification.evidence_submit(
        enterprise=enterprise,
        year=2023,
        month=1,
        files=[SimpleUploadedFile("2023-01.pdf", b"%PDF-1.7\n%%EOF\n")],
        actor=user,
        now=datetime(2023, 2, 10, 10, tzinfo=TZ),
        fuel_consumption_t=Decimal("85000"),
        ncv_gj_per_t=Decimal("18.5"),
        carbon_content_tc_per_gj=None,
        purchased_mwh=Decimal("120"),
        generation_mwh=Decimal("180000"),
        supply_mwh=Decimal("165000"),
        heat_gj=Decimal("250000"),
        operating_hours=Decimal("700"),
        load_factor=Decimal("80"),
        notes="",
    )
    CompliancePosition.objects.create(
        enterprise=enterprise,
        year=2023,
        status=PositionStatus.PENDING,
        computed_at=timezone.now(),
    )
    _token, key = registry.api_token_issue(
        enterprise=enterprise, user=user, name="schemathesis", actor=personas.staff
    )
    yield {"Authorization": f"Token {key}"}
    cache.clear()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_it_answers_every_generated_request_as_the_schema_says(case, token_headers, media_root):
    case.call_and_validate(headers=token_headers, checks=CHECKS)
