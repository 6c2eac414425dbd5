"""Relief applications (DOMAIN §4): the enterprise drafts an allowance advance or an
individual relief with its documents and submits it; the pre-check judges an advance on the
position and the year's rules; staff return it, forward it and record the province's decision.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from allocation import services
from allocation.forms import relief as relief_forms
from allocation.models import (
    ReliefApplication,
    ReliefDocument,
    ReliefKind,
    ReliefStatus,
    ReliefStatusChange,
)
from baotou_carbon.core.files import FILE_TYPES

from .factories import (
    EnterpriseFactory,
    FacilityFactory,
    ReliefApplicationFactory,
    UnitAllocationFactory,
    UnitFactory,
    VerificationCaseFactory,
)

D = Decimal
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
LIST = reverse("allocation:relief_list")
CREATE = reverse("allocation:relief_create")

PERSONAS = [
    "staff",
    "admin",
    "manager",
    "enterprise_a_user",
    "enterprise_b_user",
    "agency_user",
    "district_reviewer",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def pdf(name="经营困难说明.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def url(name, application):
    return reverse(f"allocation:{name}", args=[application.pk])


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def position(enterprise, *, allocation, verified, year=2022):
    """An approved unit allocation and a concluded verification case for the year."""
    UnitAllocationFactory(
        unit=UnitFactory(facility=FacilityFactory(enterprise=enterprise)),
        year=year,
        status="approved",
        approved_allocation_t=D(allocation),
    )
    VerificationCaseFactory(
        enterprise=enterprise, year=year, status="concluded", verified_emissions_t=D(verified)
    )


def draft(personas, *, kind=ReliefKind.ADVANCE, requested="40", year=2022, document=True):
    """Enterprise A's draft, drafted through the service, with a PDF attached."""
    user = personas.enterprise_a_user
    application = services.relief_create(
        enterprise=personas.enterprise_a,
        year=year,
        kind=kind,
        requested_t=D(requested),
        reason="电价倒挂，经营困难",
        actor=user,
    )
    if document:
        services.relief_document_add(application=application, upload=pdf(), actor=user)
    return application


def application_in(personas, status, *, year):
    """Enterprise A's individual relief in `status` (set directly), with one document."""
    application = ReliefApplicationFactory(
        enterprise=personas.enterprise_a,
        created_by=personas.enterprise_a_user,
        kind=ReliefKind.INDIVIDUAL,
        year=year,
        status=status,
    )
    document = ReliefDocument.from_upload(
        pdf(),
        file_type=FILE_TYPES["pdf"],
        actor=personas.enterprise_a_user,
        application=application,
    )
    document.save()
    return application


def steps(application):
    return list(
        ReliefStatusChange.objects.filter(application=application)
        .order_by("at", "pk")
        .values_list("from_status", "to_status", "actor__username", "note")
    )


# Permission matrix ---------------------------------------------------------------------------

# staff, admin, manager, enterprise A (the owner), enterprise B, agency, district reviewer
READ = (200, 200, 200, 200, 404, 404, 404)
APPLY = (403, 403, 403, 302, 404, 404, 404)
HANDLE = (302, 302, 403, 403, 404, 404, 404)

GET_MATRIX = {
    "list": (200, 200, 200, 200, 200, 200, 200),
    "create": (403, 403, 403, 200, 200, 403, 403),
    "detail": READ,
    "update": (403, 403, 403, 200, 404, 404, 404),
    "document": READ,
}
# view: (the status the application is in, the form sent, expected per persona)
POST_MATRIX = {
    "relief_document_add": (ReliefStatus.DRAFT, lambda: {"uploads": pdf()}, APPLY),
    "relief_submit": (ReliefStatus.DRAFT, dict, APPLY),
    "relief_withdraw": (ReliefStatus.DRAFT, dict, APPLY),
    "relief_return": (ReliefStatus.SUBMITTED, lambda: {"note": "补充财务报表"}, HANDLE),
    "relief_forward": (ReliefStatus.SUBMITTED, dict, HANDLE),
    "relief_decide": (
        ReliefStatus.FORWARDED,
        lambda: {
            "outcome": "refused",
            "decision_reference": "内环气候〔2023〕12号",
            "decided_on": "2023-10-20",
        },
        HANDLE,
    ),
}


def get_url(view, personas):
    if view == "list":
        return LIST
    if view == "create":
        return CREATE
    application = application_in(personas, ReliefStatus.DRAFT, year=2022)
    if view == "document":
        return reverse("allocation:relief_document", args=[application.documents.get().pk])
    return url(f"relief_{view}", application)


@pytest.mark.parametrize("view", list(GET_MATRIX))
def test_it_applies_the_permission_matrix_to_the_pages(client, personas, view):
    target = get_url(view, personas)
    assert client.get(target).status_code == 302  # to the login page
    for persona, expected in zip(PERSONAS, GET_MATRIX[view], strict=True):
        client.force_login(getattr(personas, persona))
        assert client.get(target).status_code == expected, persona


@pytest.mark.parametrize("view", list(POST_MATRIX))
def test_it_applies_the_permission_matrix_to_the_steps(client, personas, view):
    status, data, expected = POST_MATRIX[view]
    anonymous = application_in(personas, status, year=2013)
    assert client.post(url(view, anonymous), data()).status_code == 302  # to the login page
    assert client.get(url(view, anonymous)).status_code == 405  # POST only
    assert ReliefApplication.objects.get(pk=anonymous.pk).status == status
    for index, (persona, code) in enumerate(zip(PERSONAS, expected, strict=True)):
        application = application_in(personas, status, year=2014 + index)
        client.force_login(getattr(personas, persona))
        response = client.post(url(view, application), data())
        assert response.status_code == code, persona
        if code == 302:
            assert response.url.startswith(application.get_absolute_url())


def test_it_serves_a_document_only_as_a_private_attachment(client, personas):
    application = application_in(personas, ReliefStatus.DRAFT, year=2022)
    client.force_login(personas.staff)
    response = client.get(
        reverse("allocation:relief_document", args=[application.documents.get().pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF


def test_it_never_shows_enterprise_a_s_application_to_enterprise_b(client, personas):
    application = draft(personas)
    document = application.documents.get()
    client.force_login(personas.enterprise_b_user)
    assert client.get(url("relief_detail", application)).status_code == 404
    assert client.get(url("relief_update", application)).status_code == 404
    assert client.get(reverse("allocation:relief_document", args=[document.pk])).status_code == 404
    assert (
        client.post(url("relief_document_add", application), {"uploads": pdf()}).status_code == 404
    )
    assert client.post(url("relief_submit", application)).status_code == 404
    assert client.post(url("relief_withdraw", application)).status_code == 404
    html = client.get(LIST).content.decode()
    assert personas.enterprise_a.name_zh not in html
    assert "No relief application matches these filters." in html
    assert application.documents.count() == 1
    assert ReliefApplication.objects.get(pk=application.pk).status == ReliefStatus.DRAFT


# The list ------------------------------------------------------------------------------------


def test_it_lists_filters_and_offers_a_new_application_to_enterprise_users(client, personas):
    advance = ReliefApplicationFactory(enterprise=personas.enterprise_a, year=2022)
    ReliefApplicationFactory(
        enterprise=personas.enterprise_b, year=2021, kind=ReliefKind.INDIVIDUAL
    )
    client.force_login(personas.staff)
    response = client.get(LIST)
    assert len(response.context["table"].rows) == 2
    assert CREATE not in response.content.decode()
    assert [r.record for r in client.get(LIST, {"year": "2022"}).context["table"].rows] == [advance]
    assert len(client.get(LIST, {"kind": "individual"}).context["table"].rows) == 1
    assert len(client.get(LIST, {"status": "submitted"}).context["table"].rows) == 0
    client.force_login(personas.enterprise_a_user)
    response = client.get(LIST)
    assert [r.record for r in response.context["table"].rows] == [advance]
    assert CREATE in response.content.decode()


def test_it_shows_an_empty_state(client, personas):
    client.force_login(personas.enterprise_a_user)
    assert "No relief application matches these filters." in client.get(LIST).content.decode()


@pytest.mark.parametrize("applications", [1, 6])
def test_it_pins_the_list_queries(client, personas, applications, django_assert_num_queries):
    for year in range(2013, 2013 + applications):
        ReliefApplicationFactory(enterprise=EnterpriseFactory.create(), year=year)
    client.force_login(personas.staff)
    # session, user, the rows' count, the page's rows with their enterprise
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert len(response.context["table"].rows) == applications


# Drafting ------------------------------------------------------------------------------------


def test_it_drafts_an_application_for_the_user_s_own_enterprise(client, personas):
    client.force_login(personas.enterprise_a_user)
    response = client.post(
        CREATE,
        {"year": "2022", "kind": "advance", "requested_t": "40", "reason": "电价倒挂"},
    )
    application = ReliefApplication.objects.get()
    assert response.status_code == 302
    assert response.url == application.get_absolute_url()
    assert (application.enterprise, application.status, application.created_by) == (
        personas.enterprise_a,
        ReliefStatus.DRAFT,
        personas.enterprise_a_user,
    )
    assert steps(application) == [("", "draft", "ent_a", "")]
    again = client.post(
        CREATE, {"year": "2022", "kind": "advance", "requested_t": "10", "reason": "再次"}
    )
    assert again.status_code == 400
    assert "already has an application of this kind" in again.content.decode()
    assert ReliefApplication.objects.count() == 1


def test_it_edits_a_draft_but_not_a_submitted_application(client, personas):
    application = draft(personas, kind=ReliefKind.INDIVIDUAL)
    client.force_login(personas.enterprise_a_user)
    response = client.post(
        url("relief_update", application), {"requested_t": "55.5", "reason": "补充说明"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.requested_t, application.reason) == (D("55.5"), "补充说明")
    services.relief_submit(application=application, actor=personas.enterprise_a_user)
    refused = client.get(url("relief_update", application))
    assert refused.status_code == 302
    assert refused.url == application.get_absolute_url()
    late = client.post(url("relief_update", application), {"requested_t": "1", "reason": "x"})
    assert late.status_code == 302
    application.refresh_from_db()
    assert application.requested_t == D("55.5")


# The pre-check through the pages -------------------------------------------------------------


def submit(client, personas, application):
    client.force_login(personas.enterprise_a_user)
    return client.post(url("relief_submit", application))


def test_it_refuses_a_shortfall_ratio_just_below_the_threshold(client, personas):
    position(personas.enterprise_a, allocation="900.1", verified="1000")  # 99.9 t short
    application = draft(personas, requested="10")
    response = submit(client, personas, application)
    assert response.status_code == 400
    html = response.content.decode()
    refusal = "The shortfall ratio after the gap cap is 9.99%, below the 10.00% the rules require."
    assert response.context["submit_form"].non_field_errors() == [refusal]
    assert html.count(refusal) == 2  # on the submit form, and in the live pre-check
    application.refresh_from_db()
    assert (application.status, application.eligibility) == (ReliefStatus.DRAFT, {})
    assert len(steps(application)) == 1


def test_it_accepts_a_shortfall_ratio_of_exactly_the_threshold(client, personas):
    position(personas.enterprise_a, allocation="900", verified="1000")  # 100 t short, 10%
    application = draft(personas, requested="50")
    client.force_login(personas.enterprise_a_user)
    page = client.get(url("relief_detail", application))
    assert page.context["precheck"]["eligible"]
    assert "Eligible: the request meets the year" in page.content.decode()
    response = submit(client, personas, application)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ReliefStatus.SUBMITTED
    assert application.eligibility["eligible"] is True
    assert application.eligibility["shortfall_ratio"] == "0.100000"
    assert application.eligibility["advance_max_t"] == "50.000"
    assert application.eligibility["source_year"] == 2023


def test_it_refuses_a_request_above_half_the_shortfall_naming_the_maximum(client, personas):
    position(personas.enterprise_a, allocation="900", verified="1000")
    application = draft(personas, requested="50.001")
    response = submit(client, personas, application)
    assert response.status_code == 400
    assert (
        "At most 50.00% of the shortfall of 100.000 t may be advanced: 50.000 t, not 50.001 t."
        in response.content.decode()
    )
    assert ReliefApplication.objects.get(pk=application.pk).status == ReliefStatus.DRAFT


def test_it_judges_the_shortfall_after_the_gap_cap(client, personas):
    position(personas.enterprise_a, allocation="700", verified="1000")  # 30% short, capped 20%
    application = draft(personas, requested="100")
    client.force_login(personas.enterprise_a_user)
    response = client.get(url("relief_detail", application))
    html = response.content.decode()
    check = response.context["precheck"]
    assert check["eligible"]
    assert check["position"].gap_cap_top_up_t == D("100")
    assert check["position"].shortfall_t == D("200")
    assert check["position"].advance_max_t == D("100")  # 10% of the emissions
    assert "20.00%" in html
    assert "10.00%" in html  # the threshold
    assert "Eligible: the request meets the year" in html


def test_it_refuses_more_than_the_capped_maximum(client, personas):
    position(personas.enterprise_a, allocation="700", verified="1000")
    application = draft(personas, requested="150")  # half the raw 300 t, twice the capped max
    response = submit(client, personas, application)
    assert response.status_code == 400
    assert "of the shortfall of 200.000 t may be advanced: 100.000 t" in response.content.decode()


def test_it_refuses_an_advance_in_a_year_whose_rules_have_none(client, personas):
    position(personas.enterprise_a, allocation="700", verified="1000", year=2023)
    application = draft(personas, year=2023)
    response = submit(client, personas, application)
    assert response.status_code == 400
    assert "The 2023 rules have no allowance advance." in response.content.decode()
    assert ReliefApplication.objects.get(pk=application.pk).status == ReliefStatus.DRAFT


def test_it_refuses_an_advance_without_a_position(client, personas):
    application = draft(personas)
    client.force_login(personas.enterprise_a_user)
    assert (
        "The 2022 position is not known yet"
        in client.get(url("relief_detail", application)).content.decode()
    )
    response = submit(client, personas, application)
    assert response.status_code == 400
    assert "The 2022 position is not known yet" in response.content.decode()


def test_it_asks_for_a_document_before_submitting(client, personas):
    application = draft(personas, kind=ReliefKind.INDIVIDUAL, document=False)
    response = submit(client, personas, application)
    assert response.status_code == 400
    assert "Attach at least one supporting document" in response.content.decode()


def test_it_says_individual_relief_is_a_case_decided_with_a_reference(client, personas):
    application = draft(personas, kind=ReliefKind.INDIVIDUAL)
    client.force_login(personas.staff)
    html = client.get(url("relief_detail", application)).content.decode()
    assert "the province decides the case" in html
    assert "with its reference and date" in html


# The journey ---------------------------------------------------------------------------------


@pytest.mark.date_sensitive
def test_it_runs_the_journey_from_draft_to_decision(client, personas):
    position(personas.enterprise_a, allocation="850", verified="1000")  # 150 t short, 15%
    ent, staff = personas.enterprise_a_user, personas.staff
    client.force_login(ent)
    client.post(
        CREATE, {"year": "2022", "kind": "advance", "requested_t": "60", "reason": "电价倒挂"}
    )
    application = ReliefApplication.objects.get()
    added = client.post(url("relief_document_add", application), {"uploads": pdf()})
    assert added.status_code == 302
    assert client.post(url("relief_submit", application)).status_code == 302

    client.force_login(staff)
    detail = client.get(url("relief_detail", application))
    assert detail.context["snapshot"][0] == {
        "key": "requested_t",
        "label": "Allowances requested",
        "value": D("60"),
        "unit": "t",
    }
    assert "Pre-check at submission" in detail.content.decode()
    no_note = client.post(url("relief_return", application), {"note": " "})
    assert no_note.status_code == 400
    assert (
        client.post(url("relief_return", application), {"note": "补充2022年财务报表"}).status_code
        == 302
    )

    client.force_login(ent)
    assert (
        client.post(
            url("relief_update", application), {"requested_t": "70", "reason": "已补充"}
        ).status_code
        == 302
    )
    assert client.post(url("relief_submit", application)).status_code == 302

    client.force_login(staff)
    assert client.post(url("relief_forward", application), {"note": "初审通过"}).status_code == 302
    decision = {
        "outcome": "granted",
        "decision_reference": "内环气候〔2023〕12号",
        "decided_on": timezone.localdate().isoformat(),
        "granted_t": "70",
    }
    assert client.post(url("relief_decide", application), decision).status_code == 302

    application.refresh_from_db()
    assert (application.status, application.granted_t, application.decision_reference) == (
        ReliefStatus.GRANTED,
        D("70"),
        "内环气候〔2023〕12号",
    )
    assert application.decided_on == timezone.localdate()
    assert steps(application) == [
        ("", "draft", "ent_a", ""),
        ("draft", "submitted", "ent_a", ""),
        ("submitted", "returned", "staff", "补充2022年财务报表"),
        ("returned", "submitted", "ent_a", ""),
        ("submitted", "forwarded", "staff", "初审通过"),
        ("forwarded", "granted", "staff", ""),
    ]
    history = list(application.history.order_by("history_date", "history_id"))
    assert [h.history_user.username for h in history] == [
        "ent_a",
        "ent_a",
        "staff",
        "ent_a",
        "ent_a",
        "staff",
        "staff",
    ]
    assert application.documents.get().history.get().history_user == ent
    html = client.get(url("relief_detail", application)).content.decode()
    assert "内环气候〔2023〕12号" in html
    assert "补充2022年财务报表" in html
    assert "relief document" in html.lower()


def forwarded(personas, requested="100"):
    application = draft(personas, kind=ReliefKind.INDIVIDUAL, requested=requested)
    services.relief_submit(application=application, actor=personas.enterprise_a_user)
    return services.relief_forward(application=application, actor=personas.staff)


@pytest.mark.date_sensitive
def test_it_refuses_a_decision_dated_in_the_future(client, personas):
    application = forwarded(personas)
    client.force_login(personas.staff)
    response = client.post(
        url("relief_decide", application),
        {
            "outcome": "granted",
            "decision_reference": "内环气候〔2023〕12号",
            "decided_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "granted_t": "10",
        },
    )
    assert response.status_code == 400
    form = response.context["decision_form"]
    assert form.errors["decided_on"] == ["A decision cannot be dated in the future."]
    application.refresh_from_db()
    assert (application.status, application.decision_reference) == (ReliefStatus.FORWARDED, "")


@pytest.mark.date_sensitive
def test_it_refuses_to_grant_more_than_was_requested(client, personas):
    application = forwarded(personas, requested="100")
    client.force_login(personas.staff)
    response = client.post(
        url("relief_decide", application),
        {
            "outcome": "granted",
            "decision_reference": "内环气候〔2023〕12号",
            "decided_on": timezone.localdate().isoformat(),
            "granted_t": "100.001",
        },
    )
    assert response.status_code == 400
    assert response.context["decision_form"].errors["granted_t"] == [
        "At most the 100.000 t requested."
    ]
    assert ReliefApplication.objects.get(pk=application.pk).granted_t is None


def test_it_refuses_a_step_the_status_does_not_allow(client, personas):
    application = draft(personas, kind=ReliefKind.INDIVIDUAL)
    client.force_login(personas.staff)
    response = client.post(url("relief_forward", application))
    assert response.status_code == 400
    assert "cannot go from" in response.content.decode()
    assert ReliefApplication.objects.get(pk=application.pk).status == ReliefStatus.DRAFT


def test_it_lets_the_enterprise_withdraw_until_the_application_is_forwarded(client, personas):
    application = forwarded(personas)
    client.force_login(personas.enterprise_a_user)
    response = client.post(url("relief_withdraw", application), {"note": "撤回"})
    assert response.status_code == 400
    assert "can no longer be withdrawn" in response.content.decode()
    assert ReliefApplication.objects.get(pk=application.pk).status == ReliefStatus.FORWARDED


# Uploads -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("说明.exe", b"MZ\x90\x00", content_type="application/pdf"),
            "说明.exe: files of this type are not accepted.",
        ),
        (
            SimpleUploadedFile("说明.pdf", b"not a pdf at all", content_type="application/pdf"),
            "说明.pdf does not look like a PDF file.",
        ),
    ],
    ids=["wrong_type", "fake_pdf"],
)
def test_it_refuses_a_bad_upload_next_to_the_field(client, personas, media, upload, message):
    application = draft(personas, kind=ReliefKind.INDIVIDUAL, document=False)
    client.force_login(personas.enterprise_a_user)
    response = client.post(url("relief_document_add", application), {"uploads": upload})
    assert response.status_code == 400
    assert response.context["document_form"].errors["uploads"] == [message]
    assert message in response.content.decode()
    assert not ReliefDocument.objects.exists()
    assert stored_files(media) == []


def test_it_refuses_an_oversize_upload_and_stores_nothing(client, personas, media, monkeypatch):
    monkeypatch.setattr(
        relief_forms.ReliefDocumentForm.base_fields["uploads"], "max_bytes", len(PDF) - 1
    )
    application = draft(personas, kind=ReliefKind.INDIVIDUAL, document=False)
    client.force_login(personas.enterprise_a_user)
    response = client.post(
        url("relief_document_add", application), {"uploads": [pdf("甲.pdf"), pdf("乙.pdf")]}
    )
    assert response.status_code == 400
    errors = response.context["document_form"].errors["uploads"]
    assert len(errors) == 2
    assert errors[0].startswith("甲.pdf is ")
    assert "the limit is" in errors[0]
    assert not ReliefDocument.objects.exists()
    assert stored_files(media) == []


def test_it_adds_several_documents_at_once(client, personas, media):
    application = draft(personas, kind=ReliefKind.INDIVIDUAL, document=False)
    client.force_login(personas.enterprise_a_user)
    response = client.post(
        url("relief_document_add", application), {"uploads": [pdf("甲.pdf"), pdf("乙.pdf")]}
    )
    assert response.status_code == 302
    assert sorted(application.documents.values_list("original_name", flat=True)) == [
        "乙.pdf",
        "甲.pdf",
    ]
    assert len(stored_files(media)) == 2


def test_it_refuses_documents_once_submitted(client, personas, media):
    application = draft(personas, kind=ReliefKind.INDIVIDUAL)
    services.relief_submit(application=application, actor=personas.enterprise_a_user)
    client.force_login(personas.enterprise_a_user)
    before = stored_files(media)
    response = client.post(url("relief_document_add", application), {"uploads": pdf()})
    assert response.status_code == 400
    assert "Documents are added while the application is a draft or returned." in (
        response.content.decode()
    )
    assert application.documents.count() == 1
    assert stored_files(media) == before
