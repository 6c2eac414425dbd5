"""The REST API under /api/v1/: enterprises, monthly evidence and compliance positions, for the
pages' users (session) and for an enterprise's own systems (its API token).

Each endpoint shows exactly what the pages show each role; the evidence an API client pushes is
validated by the page's form and saved by the page's service.
"""

import base64
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.throttling import UserRateThrottle

from allocation.models import CompliancePosition, PositionBasis, PositionStatus
from baotou_carbon.accounts.roles import Role
from enterprises import services as registry
from enterprises.models import EnterpriseApiToken, api_key_digest
from verification import services as verification
from verification.models import (
    EvidenceFile,
    EvidenceStatus,
    EvidenceSubmission,
    EvidenceTransition,
)

from .factories import (
    EnterpriseFactory,
    FacilityFactory,
    ListingFactory,
    UnitFactory,
    UserFactory,
    VerificationCaseFactory,
)

TZ = ZoneInfo("Asia/Shanghai")
# 2023's months seen from mid-2024: every one of them is over, so each may be submitted.
SEEN_IN_2024 = pytest.mark.date_sensitive(today="2024-06-01")
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

ENTERPRISES = "/api/v1/enterprises/"
EVIDENCE = "/api/v1/evidence/"
POSITIONS = "/api/v1/positions/"

DATA = {
    "fuel_consumption_t": "85000.000",
    "ncv_gj_per_t": "18.5",
    "carbon_content_tc_per_gj": "0.0268",
    "purchased_mwh": "120",
    "generation_mwh": "180000",
    "supply_mwh": "165000",
    "heat_gj": "250000",
    "operating_hours": "744",
    "load_factor": "82.5",
    "notes": "",
}


def document(name="2023-01.pdf", content=PDF) -> dict:
    return {"name": name, "content": base64.b64encode(content).decode()}


def month_body(month=1, year=2023, **changes) -> dict:
    return {"year": year, "month": month, **DATA, "documents": [document()], **changes}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The throttles count in the cache: each test starts with none of an earlier one's."""
    cache.clear()
    yield
    cache.clear()


def as_user(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def send(client, method: str, url: str, body=None, **headers):
    return getattr(client, method)(
        url,
        json.dumps(body) if body is not None else None,
        content_type="application/json",
        **headers,
    )


def token_for(user, enterprise=None) -> tuple[EnterpriseApiToken, str]:
    return registry.api_token_issue(
        enterprise=enterprise or user.enterprise, user=user, name="DCS bridge", actor=user
    )


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def submit_month(personas, enterprise=None, user=None):
    """January 2023 submitted through the service, as the page does, on 10 February 2023."""
    return verification.evidence_submit(
        enterprise=enterprise or personas.enterprise_a,
        year=2023,
        month=1,
        files=[_upload()],
        actor=user or personas.enterprise_a_user,
        now=datetime(2023, 2, 10, 10, tzinfo=TZ),
        **{k: Decimal(v) if k != "notes" else v for k, v in DATA.items()},
    )


def _upload():
    return SimpleUploadedFile("月报.pdf", PDF, content_type="application/pdf")


def position(enterprise, year=2022, **fields) -> CompliancePosition:
    values = {
        "status": PositionStatus.SHORTFALL,
        "allocation_t": Decimal("700000.000"),
        "verified_emissions_t": Decimal("1000000.000"),
        "gap_cap_top_up_t": Decimal("100000.000"),
        "adjusted_allocation_t": Decimal("800000.000"),
        "shortfall_t": Decimal("200000.000"),
        "shortfall_ratio": Decimal("0.200000"),
        "advance_eligible": True,
        "advance_max_t": Decimal("100000.000"),
        "ccer_cap_t": Decimal("50000.000"),
        "computed_at": timezone.now(),
        "inputs": {"rule_set_year": year, "units": 2},
        **fields,
    }
    return CompliancePosition.objects.create(enterprise=enterprise, year=year, **values)


# Enterprises ---------------------------------------------------------------------------------


@pytest.fixture
def registry_rows(personas):
    """A case for A gives the agency sight of A (only); the reviewer's district is A's."""
    VerificationCaseFactory(enterprise=personas.enterprise_a, agency=personas.agency)
    unit = UnitFactory(facility=FacilityFactory(enterprise=personas.enterprise_a, name_zh="热电厂"))
    ListingFactory(enterprise=personas.enterprise_a, year=2022)
    ListingFactory(enterprise=personas.enterprise_a, year=2023)
    return unit


# persona → (names listed, A's detail, B's detail)
ENTERPRISE_MATRIX = [
    ("staff", {"甲企业", "乙企业"}, 200, 200),
    ("manager", {"甲企业", "乙企业"}, 200, 200),
    ("admin", {"甲企业", "乙企业"}, 200, 200),
    ("enterprise_a_user", {"甲企业"}, 200, 404),
    ("enterprise_b_user", {"乙企业"}, 404, 200),
    ("agency_user", {"甲企业"}, 200, 404),
    ("district_reviewer", {"甲企业"}, 200, 404),
]


@pytest.mark.parametrize(("persona", "names", "a_status", "b_status"), ENTERPRISE_MATRIX)
def test_it_shows_each_role_the_enterprises_its_pages_show(
    client, personas, registry_rows, persona, names, a_status, b_status
):
    as_user(client, getattr(personas, persona))
    listed = client.get(ENTERPRISES)
    assert listed.status_code == 200
    assert {row["name_zh"] for row in listed.json()["results"]} == names
    assert client.get(f"{ENTERPRISES}{personas.enterprise_a.pk}/").status_code == a_status
    assert client.get(f"{ENTERPRISES}{personas.enterprise_b.pk}/").status_code == b_status
    # Read-only for every role.
    assert send(client, "post", ENTERPRISES, {"name_zh": "新"}).status_code == 405
    assert send(client, "patch", f"{ENTERPRISES}{personas.enterprise_a.pk}/", {}).status_code == 405


def test_it_refuses_anonymous_callers_with_a_json_message(client, personas):
    for url in (ENTERPRISES, f"{ENTERPRISES}{personas.enterprise_a.pk}/", EVIDENCE, POSITIONS):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]


def test_it_gives_the_enterprise_with_its_facilities_units_and_listings(
    client, personas, registry_rows
):
    as_user(client, personas.enterprise_a_user)
    body = client.get(f"{ENTERPRISES}{personas.enterprise_a.pk}/").json()
    assert body["uscc"] == personas.enterprise_a.uscc
    assert body["listed_years"] == [2022, 2023]
    assert [listing["year"] for listing in body["listings"]] == [2022, 2023]
    (facility,) = body["facilities"]
    assert facility["name_zh"] == "热电厂"
    (unit,) = facility["units"]
    assert unit["code"] == registry_rows.code
    assert unit["capacity_mw"] == "300.00"  # a decimal string, never a float


def test_it_filters_enterprises_by_search_district_and_listed_year(client, personas, registry_rows):
    as_user(client, personas.staff)

    def names(query: str) -> set[str]:
        response = client.get(f"{ENTERPRISES}?{query}")
        assert response.status_code == 200, response.json()
        return {row["name_zh"] for row in response.json()["results"]}

    assert names("search=甲") == {"甲企业"}
    assert names(f"search={personas.enterprise_b.uscc[-6:]}") == {"乙企业"}
    assert names("district=150204") == {"乙企业"}  # Qingshan
    assert names("year=2023") == {"甲企业"}
    assert names("year=2021") == set()
    first = client.get(ENTERPRISES).json()["results"]
    assert next(r for r in first if r["name_zh"] == "甲企业")["unit_count"] == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [("year=abc", "year"), ("year=2022.5", "year"), ("district=999999", "district")],
)
def test_it_answers_a_bad_filter_with_400_on_that_filter(client, personas, query, field):
    as_user(client, personas.staff)
    response = client.get(f"{ENTERPRISES}?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_it_pages_enterprises_and_answers_a_page_past_the_end_with_404(client, personas):
    EnterpriseFactory.create_batch(3)
    as_user(client, personas.manager)
    body = client.get(f"{ENTERPRISES}?page_size=2").json()
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["next"]
    assert client.get(f"{ENTERPRISES}?page=99").status_code == 404


@pytest.mark.parametrize("rows", [2, 6])
def test_it_lists_enterprises_in_a_fixed_number_of_queries(
    client, personas, django_assert_num_queries, rows
):
    for enterprise in EnterpriseFactory.create_batch(rows):
        ListingFactory(enterprise=enterprise, year=2022)
        UnitFactory(facility=FacilityFactory(enterprise=enterprise))
    as_user(client, personas.staff)
    # 1 session, 2 user, 3 count, 4 the page of enterprises with their unit counts,
    # 5 their listings.
    with django_assert_num_queries(5):
        assert client.get(ENTERPRISES).status_code == 200


def test_it_answers_an_unknown_api_path_with_json(client, personas):
    as_user(client, personas.staff)
    response = client.get("/api/v1/enterprises/abc/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert client.get("/enterprises/abc/").status_code == 404  # the pages keep their own


def test_it_speaks_json_only(client, personas):
    as_user(client, personas.staff)
    html = client.get(ENTERPRISES, HTTP_ACCEPT="text/html")
    assert html.status_code == 406
    assert html["Content-Type"] == "application/json"
    as_user(client, personas.enterprise_a_user)
    form = client.post(EVIDENCE, {"year": "2023"})  # form-encoded
    assert form.status_code == 415
    assert form["Content-Type"] == "application/json"


# API tokens ----------------------------------------------------------------------------------


def test_it_authenticates_a_token_as_its_enterprise_user(client, personas, registry_rows):
    token, key = token_for(personas.enterprise_a_user)
    assert token.prefix == key[:8]
    assert token.key_hash == api_key_digest(key)
    assert key not in json.dumps(list(EnterpriseApiToken.objects.values()), default=str)
    response = client.get(ENTERPRISES, **bearer(key))
    assert response.status_code == 200
    assert [row["name_zh"] for row in response.json()["results"]] == ["甲企业"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_keeps_a_token_of_enterprise_a_out_of_b(client, personas):
    submission_b = submit_month(
        personas, enterprise=personas.enterprise_b, user=personas.enterprise_b_user
    )
    position_b = position(personas.enterprise_b)
    _, key = token_for(personas.enterprise_a_user)
    auth = bearer(key)
    assert client.get(f"{ENTERPRISES}{personas.enterprise_b.pk}/", **auth).status_code == 404
    assert client.get(f"{EVIDENCE}{submission_b.pk}/", **auth).status_code == 404
    assert (
        client.get(f"{EVIDENCE}?enterprise={personas.enterprise_b.pk}", **auth).json()["results"]
        == []
    )
    assert client.get(f"{POSITIONS}{position_b.pk}/", **auth).status_code == 404
    pushed = send(
        client, "post", EVIDENCE, month_body(2, enterprise=personas.enterprise_b.pk), **auth
    )
    assert pushed.status_code == 404
    patched = send(client, "patch", f"{EVIDENCE}{submission_b.pk}/", {"notes": "x"}, **auth)
    assert patched.status_code == 404
    assert EvidenceSubmission.objects.filter(enterprise=personas.enterprise_b).count() == 1


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Token not-a-key-of-ours", "Invalid token."),
        ("Token", "Invalid token header"),
        ("Token two words", "Invalid token header"),
    ],
)
def test_it_refuses_an_unknown_or_malformed_token_with_a_json_message(
    client, personas, header, message
):
    response = client.get(ENTERPRISES, HTTP_AUTHORIZATION=header)
    assert response.status_code == 403
    assert response.json()["detail"].startswith(message)


def test_it_refuses_a_revoked_token_and_a_token_whose_user_left(client, personas):
    token, key = token_for(personas.enterprise_a_user)
    registry.api_token_revoke(token=token, actor=personas.staff)
    response = client.get(ENTERPRISES, **bearer(key))
    assert (response.status_code, response.json()) == (403, {"detail": "This token was revoked."})

    _, other_key = token_for(personas.enterprise_a_user)
    personas.enterprise_a_user.is_active = False
    personas.enterprise_a_user.save()
    response = client.get(ENTERPRISES, **bearer(other_key))
    assert response.status_code == 403
    assert "no longer" in response.json()["detail"]


def test_it_issues_tokens_only_for_an_active_user_of_the_same_enterprise(personas):
    with pytest.raises(ValidationError, match="active user of its own enterprise"):
        registry.api_token_issue(
            enterprise=personas.enterprise_a,
            user=personas.enterprise_b_user,
            name="wrong",
            actor=personas.staff,
        )
    with pytest.raises(ValidationError, match="active user of its own enterprise"):
        registry.api_token_issue(
            enterprise=personas.enterprise_a,
            user=personas.staff,
            name="wrong",
            actor=personas.staff,
        )


def test_it_throttles_a_user_who_calls_too_often(client, personas, monkeypatch):
    monkeypatch.setitem(UserRateThrottle.THROTTLE_RATES, "user", "3/minute")
    as_user(client, personas.staff)
    statuses = [client.get(ENTERPRISES).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "detail" in client.get(ENTERPRISES).json()


# The token page ------------------------------------------------------------------------------


def tokens_url(enterprise) -> str:
    return reverse("enterprises:api_tokens", args=[enterprise.pk])


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("staff", 200),
        ("admin", 200),
        ("manager", 403),
        ("enterprise_a_user", 200),
        ("enterprise_b_user", 404),
        ("agency_user", 404),  # no case of enterprise A
        ("district_reviewer", 403),  # sees A (its district) but keeps none of its tokens
        (None, 302),
    ],
)
def test_it_lets_staff_and_the_enterprise_manage_its_tokens(client, personas, persona, expected):
    token, _key = token_for(personas.enterprise_a_user)
    as_user(client, getattr(personas, persona) if persona else None)
    assert client.get(tokens_url(personas.enterprise_a)).status_code == expected
    revoke = client.post(reverse("enterprises:api_token_revoke", args=[token.pk]))
    assert revoke.status_code == (302 if expected == 200 else expected)
    token.refresh_from_db()
    assert (token.revoked_at is not None) == (expected == 200)


def test_it_shows_a_new_key_once_and_records_who_issued_it(client, personas):
    as_user(client, personas.staff)
    page = client.get(tokens_url(personas.enterprise_a))
    assert "No API token has been issued" in page.content.decode()
    response = client.post(
        tokens_url(personas.enterprise_a),
        {"name": "DCS bridge", "user": personas.enterprise_a_user.pk},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["key"]
    assert key in response.content.decode()
    token = EnterpriseApiToken.objects.get()
    assert (token.user, token.created_by) == (personas.enterprise_a_user, personas.staff)
    assert token.history.get().history_user == personas.staff
    again = client.get(tokens_url(personas.enterprise_a)).content.decode()
    assert key not in again
    assert token.prefix in again
    assert client.get(ENTERPRISES, **bearer(key)).status_code == 200

    client.post(reverse("enterprises:api_token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.history.first().history_user == personas.staff
    assert token.history.first().revoked_at is not None


def test_it_offers_only_the_enterprises_own_users_on_the_token_page(client, personas):
    as_user(client, personas.enterprise_a_user)
    response = client.post(
        tokens_url(personas.enterprise_a), {"name": "x", "user": personas.enterprise_b_user.pk}
    )
    assert response.status_code == 400
    assert "user" in response.context["form"].errors
    assert not EnterpriseApiToken.objects.exists()


def test_it_refuses_a_second_active_token_of_the_same_name(client, personas):
    token_for(personas.enterprise_a_user)
    as_user(client, personas.staff)
    response = client.post(
        tokens_url(personas.enterprise_a),
        {"name": "DCS bridge", "user": personas.enterprise_a_user.pk},
    )
    assert response.status_code == 400
    assert "already has this name" in response.content.decode()
    assert EnterpriseApiToken.objects.count() == 1


def test_it_links_the_token_page_from_the_enterprise_page(client, personas):
    as_user(client, personas.enterprise_a_user)
    page = client.get(personas.enterprise_a.get_absolute_url()).content.decode()
    assert tokens_url(personas.enterprise_a) in page
    as_user(client, personas.manager)
    page = client.get(personas.enterprise_a.get_absolute_url()).content.decode()
    assert tokens_url(personas.enterprise_a) not in page


# Monthly evidence: reading -------------------------------------------------------------------


# persona → (enterprises whose months are listed, A's month detail)
EVIDENCE_MATRIX = [
    ("staff", {"甲企业", "乙企业"}, 200),
    ("manager", {"甲企业", "乙企业"}, 200),
    ("admin", {"甲企业", "乙企业"}, 200),
    ("enterprise_a_user", {"甲企业"}, 200),
    ("enterprise_b_user", {"乙企业"}, 404),
    ("agency_user", {"甲企业"}, 200),  # A has a case of its agency
    ("district_reviewer", {"甲企业"}, 200),  # A is in its district
]


@pytest.mark.parametrize(("persona", "names", "detail"), EVIDENCE_MATRIX)
def test_it_shows_each_role_the_evidence_its_pages_show(client, personas, persona, names, detail):
    VerificationCaseFactory(enterprise=personas.enterprise_a, agency=personas.agency)
    month_a = submit_month(personas)
    submit_month(personas, enterprise=personas.enterprise_b, user=personas.enterprise_b_user)
    as_user(client, getattr(personas, persona))
    listed = client.get(EVIDENCE)
    assert listed.status_code == 200
    assert {row["enterprise_name"] for row in listed.json()["results"]} == names
    assert client.get(f"{EVIDENCE}{month_a.pk}/").status_code == detail


def test_it_gives_a_month_with_its_data_as_decimal_strings_and_its_files(client, personas):
    month = submit_month(personas)
    as_user(client, personas.district_reviewer)
    body = client.get(f"{EVIDENCE}{month.pk}/").json()
    assert (body["year"], body["month"], body["status"]) == (2023, 1, "submitted")
    assert body["fuel_consumption_t"] == "85000.000"
    assert body["load_factor"] == "82.50"
    (stored,) = body["files"]
    assert stored["original_name"] == "月报.pdf"
    assert stored["download_url"] == reverse("verification:evidence_file", args=[stored["id"]])


def test_it_filters_evidence_by_enterprise_year_month_and_status(client, personas):
    submit_month(personas)
    submit_month(personas, enterprise=personas.enterprise_b, user=personas.enterprise_b_user)
    as_user(client, personas.staff)

    def count(query: str) -> int:
        response = client.get(f"{EVIDENCE}?{query}")
        assert response.status_code == 200, response.json()
        return response.json()["count"]

    assert count(f"enterprise={personas.enterprise_a.pk}") == 1
    assert count("year=2023&month=1") == 2
    assert count("month=2") == 0
    assert count("status=returned") == 0
    assert client.get(f"{EVIDENCE}?month=x").status_code == 400


@pytest.mark.parametrize("rows", [1, 4])
def test_it_lists_evidence_in_a_fixed_number_of_queries(
    client, personas, django_assert_num_queries, rows
):
    for _ in range(rows):
        enterprise = EnterpriseFactory()
        user = UserFactory(role=Role.ENTERPRISE, enterprise=enterprise)
        submit_month(personas, enterprise=enterprise, user=user)
    as_user(client, personas.staff)
    # 1 session, 2 user, 3 count, 4 the page of months with their enterprises, 5 their files.
    with django_assert_num_queries(5):
        assert client.get(EVIDENCE).json()["count"] == rows


# Monthly evidence: submitting ----------------------------------------------------------------


@SEEN_IN_2024
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("staff", 403),
        ("manager", 403),
        ("admin", 403),
        ("enterprise_a_user", 201),
        ("enterprise_b_user", 404),  # A is not among the enterprises it sees
        ("agency_user", 403),
        ("district_reviewer", 403),
        (None, 403),
    ],
)
def test_it_lets_only_the_enterprises_own_user_submit_its_month(
    client, personas, persona, expected
):
    as_user(client, getattr(personas, persona) if persona else None)
    body = month_body(enterprise=personas.enterprise_a.pk)
    response = send(client, "post", EVIDENCE, body)
    assert response.status_code == expected, response.content
    assert EvidenceSubmission.objects.exists() == (expected == 201)


@SEEN_IN_2024
def test_it_saves_a_pushed_month_as_the_page_would_in_the_tokens_user_name(client, personas, media):
    """The same month, once through the page's form, once through the API: the same rows."""
    user = personas.enterprise_a_user
    as_user(client, user)
    page_data = {**DATA, "documents": _upload()}
    url = reverse("verification:evidence_month", args=[personas.enterprise_a.pk, 2023, 1])
    assert client.post(url, page_data).status_code == 302
    client.logout()

    _, key = token_for(user)
    response = send(client, "post", EVIDENCE, month_body(month=3), **bearer(key))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["month"], body["status"], body["enterprise"]) == (
        3,
        "submitted",
        personas.enterprise_a.pk,
    )

    by_page, by_api = EvidenceSubmission.objects.order_by("month")
    for name in EvidenceSubmission.DATA_FIELDS:
        assert getattr(by_api, name) == getattr(by_page, name), name
    assert by_api.status == by_page.status == EvidenceStatus.SUBMITTED
    for submission in (by_page, by_api):
        (step,) = EvidenceTransition.objects.filter(submission=submission)
        assert (step.to_status, step.actor) == (EvidenceStatus.SUBMITTED, user)
        (stored,) = EvidenceFile.objects.filter(submission=submission)
        assert stored.uploaded_by == user
        assert stored.file.read() == PDF
        assert submission.history.get().history_user == user
    # The same bytes as January's: March's file is flagged as a duplicate, as the page flags them.
    assert EvidenceFile.objects.get(submission=by_api).duplicate_of.submission == by_page


@SEEN_IN_2024
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"fuel_consumption_t": "-1"}, "fuel_consumption_t"),
        ({"fuel_consumption_t": "eighty"}, "fuel_consumption_t"),
        ({"fuel_consumption_t": [1]}, "fuel_consumption_t"),
        ({"ncv_gj_per_t": 185}, "ncv_gj_per_t"),
        ({"carbon_content_tc_per_gj": "26.8"}, "carbon_content_tc_per_gj"),
        ({"load_factor": "120"}, "load_factor"),
        ({"operating_hours": "800"}, "operating_hours"),  # January has 744 hours
        ({"supply_mwh": "190000"}, "supply_mwh"),  # more supplied than generated
        ({"heat_gj": None}, "heat_gj"),
        ({"documents": []}, "documents"),
        ({"documents": [document("setup.exe", b"MZ\x00\x00")]}, "documents"),
        ({"documents": [document("fake.pdf", PNG)]}, "documents"),
        ({"documents": [{"name": "a.pdf", "content": "%%%not base64"}]}, "documents"),
        ({"documents": [{"name": "a.pdf"}]}, "documents"),
        ({"documents": "a.pdf"}, "documents"),
        ({"month": 13}, "month"),
        ({"year": 1999}, "year"),
        ({"year": 2099}, "non_field_errors"),  # the month is not over
    ],
)
def test_it_refuses_bad_data_with_400_per_field_and_saves_nothing(
    client, personas, media, change, field
):
    _, key = token_for(personas.enterprise_a_user)
    response = send(client, "post", EVIDENCE, month_body(**change), **bearer(key))
    assert response.status_code == 400
    errors = response.json()
    assert field in errors, errors
    assert all(isinstance(m, str) for m in errors[field])
    assert not EvidenceSubmission.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert not media.exists() or not any(media.rglob("*.*"))


@SEEN_IN_2024
def test_it_refuses_a_body_that_is_not_a_json_object(client, personas):
    _, key = token_for(personas.enterprise_a_user)
    assert send(client, "post", EVIDENCE, [1, 2], **bearer(key)).status_code == 400
    response = client.post(EVIDENCE, "{", content_type="application/json", **bearer(key))
    assert response.status_code == 400


@SEEN_IN_2024
def test_it_resubmits_a_returned_month_and_refuses_an_accepted_one(client, personas):
    month = submit_month(personas)
    verification.evidence_review(
        submission=month, accept=False, comment="缺少化验报告", actor=personas.district_reviewer
    )
    _, key = token_for(personas.enterprise_a_user)
    url = f"{EVIDENCE}{month.pk}/"
    bad = send(client, "patch", url, {"supply_mwh": "999999"}, **bearer(key))
    assert bad.status_code == 400
    assert "supply_mwh" in bad.json()
    fixed = send(
        client,
        "patch",
        url,
        {"fuel_consumption_t": "86000", "documents": [document("化验报告.pdf")]},
        **bearer(key),
    )
    assert fixed.status_code == 200, fixed.json()
    assert fixed.json()["status"] == "submitted"
    assert fixed.json()["fuel_consumption_t"] == "86000.000"
    assert fixed.json()["supply_mwh"] == "165000.000"  # kept: PATCH leaves the rest
    assert len(fixed.json()["files"]) == 2
    month.refresh_from_db()
    assert month.transitions.order_by("pk").last().actor == personas.enterprise_a_user

    verification.evidence_review(
        submission=month, accept=True, comment="", actor=personas.district_reviewer
    )
    refused = send(client, "put", url, {**DATA}, **bearer(key))
    assert refused.status_code == 400
    assert "cannot be submitted again" in refused.json()["non_field_errors"][0]
    again = send(client, "post", EVIDENCE, month_body(), **bearer(key))
    assert again.status_code == 400


@SEEN_IN_2024
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("staff", 403),
        ("manager", 403),
        ("enterprise_a_user", 200),
        ("enterprise_b_user", 404),
        ("agency_user", 404),  # no case of A here
        ("district_reviewer", 403),
        (None, 403),
    ],
)
def test_it_lets_only_the_enterprises_own_user_correct_its_month(
    client, personas, persona, expected
):
    month = submit_month(personas)
    verification.evidence_review(
        submission=month, accept=False, comment="缺少化验报告", actor=personas.staff
    )
    as_user(client, getattr(personas, persona) if persona else None)
    response = send(client, "put", f"{EVIDENCE}{month.pk}/", {**DATA, "notes": "改"})
    assert response.status_code == expected
    month.refresh_from_db()
    assert (month.status == EvidenceStatus.SUBMITTED) == (expected == 200)


# Compliance positions ------------------------------------------------------------------------


# persona → (enterprises whose positions are listed or None when refused, A's position)
POSITION_MATRIX = [
    ("staff", {"甲企业", "乙企业"}, 200),
    ("manager", {"甲企业", "乙企业"}, 200),
    ("admin", {"甲企业", "乙企业"}, 200),
    ("enterprise_a_user", {"甲企业"}, 200),
    ("enterprise_b_user", {"乙企业"}, 404),
    ("agency_user", None, 403),
    ("district_reviewer", None, 403),
    (None, None, 403),
]


@pytest.mark.parametrize(("persona", "names", "detail"), POSITION_MATRIX)
def test_it_shows_each_role_the_positions_its_pages_show(client, personas, persona, names, detail):
    position_a = position(personas.enterprise_a)
    position(personas.enterprise_b)
    as_user(client, getattr(personas, persona) if persona else None)
    listed = client.get(POSITIONS)
    if names is None:
        assert listed.status_code == 403
    else:
        assert {row["enterprise_name"] for row in listed.json()["results"]} == names
    assert client.get(f"{POSITIONS}{position_a.pk}/").status_code == detail
    assert send(client, "post", POSITIONS, {}).status_code == (405 if persona else 403)


def test_it_gives_a_position_with_its_breakdown(client, personas):
    row = position(personas.enterprise_a, surrendered_t=Decimal("600000"))
    as_user(client, personas.enterprise_a_user)
    body = client.get(f"{POSITIONS}{row.pk}/").json()
    assert body["shortfall_t"] == "200000.000"
    assert body["shortfall_ratio"] == "0.200000"
    assert body["gap_cap_top_up_t"] == "100000.000"
    assert body["advance_eligible"] is True
    assert body["remaining_t"] == "400000.000"
    assert body["inputs"] == {"rule_set_year": 2022, "units": 2}


def test_it_filters_positions_by_year_enterprise_and_basis(client, personas):
    position(personas.enterprise_a, year=2021)
    position(personas.enterprise_a, year=2022)
    position(personas.enterprise_a, year=2022, basis=PositionBasis.PROJECTED)
    position(personas.enterprise_b, year=2022)
    as_user(client, personas.staff)

    def count(query: str) -> int:
        return client.get(f"{POSITIONS}?{query}").json()["count"]

    assert count("year=2022") == 3
    assert count(f"year=2022&enterprise={personas.enterprise_a.pk}") == 2
    assert count("basis=verified&year=2022") == 2
    assert client.get(f"{POSITIONS}?year=next").status_code == 400


@pytest.mark.parametrize("rows", [1, 5])
def test_it_lists_positions_in_a_fixed_number_of_queries(
    client, personas, django_assert_num_queries, rows
):
    for enterprise in EnterpriseFactory.create_batch(rows):
        position(enterprise)
    as_user(client, personas.manager)
    # 1 session, 2 user, 3 count, 4 the page of positions with their enterprises.
    with django_assert_num_queries(4):
        assert client.get(POSITIONS).json()["count"] == rows


# Schema and docs -----------------------------------------------------------------------------


def test_it_serves_the_schema_and_docs_to_logged_in_users_only(client, personas):
    assert client.get("/api/v1/schema/").status_code == 403
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 302
    assert docs["Location"].startswith(reverse("accounts:login"))
    as_user(client, personas.enterprise_a_user)
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "https://" not in html  # no asset from a CDN


def test_it_documents_every_endpoint_with_its_errors_and_the_token(client, personas):
    as_user(client, personas.staff)
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    for path, method, codes in [
        (ENTERPRISES, "get", {"200", "400", "403", "404"}),
        ("/api/v1/enterprises/{id}/", "get", {"200", "403", "404"}),
        (EVIDENCE, "get", {"200", "400", "403"}),
        (EVIDENCE, "post", {"201", "400", "403", "404"}),
        ("/api/v1/evidence/{id}/", "patch", {"200", "400", "403", "404"}),
        (POSITIONS, "get", {"200", "400", "403"}),
        ("/api/v1/positions/{id}/", "get", {"200", "403", "404"}),
    ]:
        assert codes <= set(paths[path][method]["responses"]), (path, method)
    assert schema["components"]["securitySchemes"]["enterpriseToken"]["name"] == "Authorization"
    evidence = schema["components"]["schemas"]["Evidence"]["properties"]
    assert evidence["fuel_consumption_t"]["type"] == "string"  # a decimal string
