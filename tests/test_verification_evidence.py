"""Monthly evidence storage: deadlines, files, review, the completeness board, reminders."""

import hashlib
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from baotou_carbon.accounts.roles import Role
from enterprises.models import District
from verification import calculations as calc
from verification import services
from verification.models import (
    DeadlineSettings,
    EvidenceFile,
    EvidenceReminder,
    EvidenceStatus,
    EvidenceSubmission,
    EvidenceTransition,
    validate_evidence_file,
)
from verification.services import evidence as evidence_services
from verification.tasks import mail_evidence_returned

from .factories import ListingFactory, UserFactory, VerificationCaseFactory

TZ = ZoneInfo("Asia/Shanghai")
# 2023's evidence seen from mid-2024: every month of 2023 is over and past its deadlines, and
# the calendar year (2024) has no listing. For the tests that read today through the product.
SEEN_IN_2024 = pytest.mark.date_sensitive(today="2024-06-01")
D672 = Decimal("672")  # February 2023: 28 days × 24 h
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["月份", "入炉煤量"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name="月报.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


DATA = {
    "fuel_consumption_t": Decimal("85000.000"),
    "ncv_gj_per_t": Decimal("18.5"),
    "carbon_content_tc_per_gj": Decimal("0.0268"),
    "purchased_mwh": Decimal("120"),
    "generation_mwh": Decimal("180000"),
    "supply_mwh": Decimal("165000"),
    "heat_gj": Decimal("250000"),
    "operating_hours": Decimal("744"),
    "load_factor": Decimal("82.5"),
    "notes": "",
}


def form_data(**overrides):
    data = {k: str(v) for k, v in DATA.items()}
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def listed(personas):
    ListingFactory.create(enterprise=personas.enterprise_a, year=2023)
    ListingFactory.create(enterprise=personas.enterprise_b, year=2023)
    return personas


def submit(personas, month=1, files=None, when=datetime(2023, 2, 10, 10, tzinfo=TZ), **data):
    return services.evidence_submit(
        enterprise=personas.enterprise_a,
        year=2023,
        month=month,
        files=files if files is not None else [upload()],
        actor=personas.enterprise_a_user,
        now=when,
        **(DATA | data),
    )


# Deadlines and board states, by hand ---------------------------------------------------------


def test_it_computes_the_month_deadlines_by_hand():
    # January 2023 ends on the 31st: +20 days = 20 Feb; review +5 = 25 Feb;
    # ceiling +40 days = 28 (to 28 Feb) + 12 = 12 March.
    d = calc.evidence_deadlines(2023, 1, enterprise_days=20, review_days=5, ceiling_days=40)
    assert (d.month_end, d.enterprise, d.review, d.ceiling) == (
        date(2023, 1, 31),
        date(2023, 2, 20),
        date(2023, 2, 25),
        date(2023, 3, 12),
    )
    # December rolls into the next year: 31 Dec + 20 = 20 Jan 2024.
    assert calc.evidence_deadlines(
        2023, 12, enterprise_days=20, review_days=5, ceiling_days=40
    ).enterprise == date(2024, 1, 20)


def test_it_never_sets_a_local_deadline_beyond_the_national_ceiling():
    d = calc.evidence_deadlines(2023, 1, enterprise_days=38, review_days=5, ceiling_days=40)
    assert d.review == d.ceiling == date(2023, 3, 12)


@pytest.mark.parametrize(
    ("today", "status", "submitted", "state", "days_left"),
    [
        (date(2023, 1, 31), None, None, "not_due", None),
        (date(2023, 2, 17), None, None, "open", 3),  # 20 Feb − 17 Feb
        (date(2023, 2, 21), None, None, "missing", 19),  # counting down to the 12 Mar ceiling
        (date(2023, 2, 21), "submitted", date(2023, 2, 20), "on_time", 4),  # review by 25 Feb
        (date(2023, 2, 21), "submitted", date(2023, 2, 21), "late", 4),
        (date(2023, 2, 27), "submitted", date(2023, 2, 10), "on_time", -2),  # review overdue
        (date(2023, 2, 22), "returned", date(2023, 2, 10), "returned", 18),
        (date(2023, 2, 22), "accepted", date(2023, 2, 10), "accepted", None),
    ],
)
def test_it_gives_each_month_its_state_and_countdown(today, status, submitted, state, days_left):
    d = calc.evidence_deadlines(2023, 1, enterprise_days=20, review_days=5, ceiling_days=40)
    cell = calc.month_cell(deadlines=d, today=today, status=status, first_submitted_on=submitted)
    assert (cell.state, cell.days_left) == (state, days_left)


# Files ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [("报告.pdf", PDF), ("照片.PNG", PNG), ("照片.jpg", JPEG), ("台账.xlsx", None)],
)
def test_it_accepts_pdf_images_and_workbooks(name, content):
    content = content if content is not None else xlsx_bytes()
    assert validate_evidence_file(upload(name, content), max_bytes=2**20)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ" + b"\x00" * 10, "only PDF"),
        ("notes.txt", b"hello", "only PDF"),
        ("noextension", PDF, "only PDF"),
        ("fake.pdf", PNG, "not really"),  # the extension lies
        ("fake.png", PDF, "not really"),
        ("archive.xlsx", b"PK\x03\x04" + b"\x00" * 30, "not really"),  # a zip, not a workbook
        ("empty.pdf", b"", "empty"),
        ("big.pdf", PDF + b"0" * 2**20, "larger than"),
    ],
)
def test_it_refuses_wrong_types_fakes_and_oversize_files(name, content, message):
    with pytest.raises(ValidationError) as raised:
        validate_evidence_file(upload(name, content), max_bytes=2**20)
    assert message in " ".join(raised.value.messages)


# Submitting ----------------------------------------------------------------------------------


def test_it_stores_the_file_under_media_root_with_its_sha256(listed, media, settings):
    submission = submit(listed)
    stored = EvidenceFile.objects.get(submission=submission)
    path = Path(stored.file.path)
    assert media in path.parents
    assert "static" not in path.parts
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert path.read_bytes() == PDF
    assert stored.duplicate_of is None
    assert submission.history.first().history_user == listed.enterprise_a_user
    assert EvidenceTransition.objects.get(submission=submission).to_status == "submitted"


def test_it_flags_a_file_already_submitted_for_another_month(listed):
    first = submit(listed, month=1)
    second = submit(listed, month=2, when=datetime(2023, 3, 10, tzinfo=TZ), operating_hours=D672)
    duplicate = EvidenceFile.objects.get(submission=second)
    assert duplicate.duplicate_of == EvidenceFile.objects.get(submission=first)


def test_it_refuses_a_month_that_is_not_over(listed):
    with pytest.raises(ValidationError):
        submit(listed, month=2, when=datetime(2023, 2, 28, 23, tzinfo=TZ))
    assert not EvidenceSubmission.objects.exists()


def test_it_refuses_a_second_submission_unless_returned(listed):
    submit(listed)
    with pytest.raises(ValidationError):
        submit(listed)
    assert EvidenceSubmission.objects.count() == 1


def test_it_refuses_another_enterprises_user(listed):
    with pytest.raises(PermissionDenied):
        services.evidence_submit(
            enterprise=listed.enterprise_a,
            year=2023,
            month=1,
            files=[upload()],
            actor=listed.enterprise_b_user,
            **DATA,
        )


def month_url(personas, month=1, year=2023):
    return reverse("verification:evidence_month", args=[personas.enterprise_a.pk, year, month])


@SEEN_IN_2024
def test_it_submits_through_the_form_with_a_file(client, listed):
    client.force_login(listed.enterprise_a_user)
    assert client.get(month_url(listed)).status_code == 200
    response = client.post(month_url(listed), form_data(documents=upload()))
    assert response.status_code == 302
    submission = EvidenceSubmission.objects.get()
    assert submission.fuel_consumption_t == Decimal("85000.000")
    assert submission.files.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"fuel_consumption_t": "-1"}, "fuel_consumption_t"),
        ({"fuel_consumption_t": "eighty"}, "fuel_consumption_t"),
        ({"fuel_consumption_t": "99999999999"}, "fuel_consumption_t"),
        ({"ncv_gj_per_t": "185"}, "ncv_gj_per_t"),
        ({"carbon_content_tc_per_gj": "26.8"}, "carbon_content_tc_per_gj"),
        ({"load_factor": "120"}, "load_factor"),
        ({"operating_hours": "800"}, "operating_hours"),
        ({"supply_mwh": "190000"}, "supply_mwh"),  # more supplied than generated
        ({"heat_gj": ""}, "heat_gj"),
        ({"documents": ""}, "documents"),
    ],
)
def test_it_refuses_bad_data_with_field_messages_and_saves_nothing(client, listed, change, field):
    client.force_login(listed.enterprise_a_user)
    data = form_data(documents=upload())
    data.update(change)
    if data.get("documents") == "":
        del data["documents"]
    response = client.post(month_url(listed), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not EvidenceSubmission.objects.exists()
    assert not EvidenceFile.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("setup.exe", b"MZ\x00\x00"), ("fake.pdf", PNG), ("big.pdf", PDF + b"0" * (2 * 2**20))],
)
def test_it_refuses_wrong_or_oversize_files_through_the_form(client, listed, media, name, content):
    DeadlineSettings.objects.filter(pk=1).update(max_upload_mb=1)
    client.force_login(listed.enterprise_a_user)
    response = client.post(month_url(listed), form_data(documents=upload(name, content)))
    assert response.status_code == 400
    assert "documents" in response.context["form"].errors
    assert not EvidenceSubmission.objects.exists()
    assert not media.exists() or not any(media.rglob("*.*"))


@SEEN_IN_2024
def test_it_refuses_a_month_not_over_through_the_form(client, listed):
    client.force_login(listed.enterprise_a_user)
    response = client.post(month_url(listed, year=2099), form_data(documents=upload()))
    assert response.status_code == 400
    assert not EvidenceSubmission.objects.exists()


# Review --------------------------------------------------------------------------------------


@SEEN_IN_2024
def test_it_returns_with_a_comment_then_accepts_the_resubmission(client, listed):
    submission = submit(listed)
    reviewer = listed.district_reviewer  # Kundulun, the district of enterprise A
    url = reverse("verification:evidence_review", args=[submission.pk])
    client.force_login(reviewer)
    assert client.post(url, {"decision": "return", "comment": ""}).status_code == 400
    assert client.post(url, {"decision": "return", "comment": "缺少化验报告"}).status_code == 302
    submission.refresh_from_db()
    assert submission.status == EvidenceStatus.RETURNED
    services.evidence_submit(
        enterprise=listed.enterprise_a,
        year=2023,
        month=1,
        files=[upload("化验.pdf", PDF + b"1")],
        actor=listed.enterprise_a_user,
        **DATA,
    )
    assert client.post(url, {"decision": "accept", "comment": ""}).status_code == 302
    submission.refresh_from_db()
    assert submission.status == EvidenceStatus.ACCEPTED
    assert submission.files.count() == 2
    assert list(submission.transitions.values_list("to_status", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
        "accepted",
    ]


def test_it_refuses_to_review_twice(listed):
    submission = submit(listed)
    services.evidence_review(submission=submission, accept=True, comment="", actor=listed.staff)
    stale = EvidenceSubmission.objects.get(pk=submission.pk)
    stale.status = EvidenceStatus.SUBMITTED
    with pytest.raises(ValidationError):
        services.evidence_review(submission=stale, accept=False, comment="x", actor=listed.staff)
    assert EvidenceSubmission.objects.get(pk=submission.pk).status == EvidenceStatus.ACCEPTED


def test_it_mails_the_enterprise_when_its_evidence_is_returned(
    listed, django_capture_on_commit_callbacks
):
    listed.enterprise_a_user.email = "ent_a@example.cn"
    listed.enterprise_a_user.save()
    submission = submit(listed)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_review(
            submission=submission, accept=False, comment="缺少化验报告", actor=listed.staff
        )
    assert mail.outbox[-1].to == ["ent_a@example.cn"]
    assert "缺少化验报告" in mail.outbox[-1].body


# Who sees what -------------------------------------------------------------------------------


@pytest.fixture
def qingshan_reviewer(db):
    return UserFactory.create(
        username="qs", role=Role.DISTRICT_REVIEWER, district=District.QINGSHAN
    )


PERSONAS = [
    "staff",
    "admin",
    "manager",
    "enterprise_a_user",
    "enterprise_b_user",
    "agency_user",
    "district_reviewer",
    "qingshan_reviewer",
]
MATRIX = {
    #         staff admin manager ent_a ent_b agency reviewer(Kundulun) reviewer(Qingshan)
    "board": (200, 200, 200, 200, 200, 200, 200, 200),
    "month": (403, 403, 403, 302, 404, 404, 403, 404),
    "detail": (200, 200, 200, 200, 404, 404, 200, 404),
    "review": (200, 200, 403, 403, 404, 404, 200, 404),
    "file": (200, 200, 200, 200, 404, 404, 200, 404),
}


@pytest.mark.parametrize("view", list(MATRIX))
def test_it_applies_the_permission_matrix(client, listed, qingshan_reviewer, view):
    submission = submit(listed)
    urls = {
        "board": reverse("verification:evidence_board") + "?year=2023",
        "month": month_url(listed),  # already submitted: the owner is sent to the detail
        "detail": reverse("verification:evidence_detail", args=[submission.pk]),
        "review": reverse("verification:evidence_review", args=[submission.pk]),
        "file": reverse("verification:evidence_file", args=[submission.files.get().pk]),
    }
    assert client.get(urls[view]).status_code == 302  # anonymous → login
    for persona, expected in zip(PERSONAS, MATRIX[view], strict=True):
        user = qingshan_reviewer if persona == "qingshan_reviewer" else getattr(listed, persona)
        client.force_login(user)
        assert client.get(urls[view]).status_code == expected, (view, persona)


def test_it_serves_the_file_as_an_attachment_only_through_the_view(client, listed):
    submission = submit(listed)
    stored = submission.files.get()
    client.force_login(listed.enterprise_a_user)
    response = client.get(reverse("verification:evidence_file", args=[stored.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    assert client.get("/media/" + stored.file.name).status_code == 404


def test_it_lets_an_agency_see_the_evidence_of_its_case_enterprises(client, listed):
    submission = submit(listed)
    VerificationCaseFactory.create(enterprise=listed.enterprise_a, agency=listed.agency)
    client.force_login(listed.agency_user)
    assert client.get(submission.get_absolute_url()).status_code == 200
    assert (
        client.post(
            reverse("verification:evidence_review", args=[submission.pk]), {"decision": "accept"}
        ).status_code
        == 403
    )


def test_it_shows_each_district_reviewer_only_its_district_on_the_board(
    client, listed, qingshan_reviewer
):
    client.force_login(qingshan_reviewer)
    html = client.get(reverse("verification:evidence_board") + "?year=2023").content.decode()
    assert listed.enterprise_b.name_zh in html
    assert listed.enterprise_a.name_zh not in html


@SEEN_IN_2024
def test_it_pins_the_board_query_count(client, listed, django_assert_num_queries):
    submit(listed, month=1)
    submit(
        listed,
        month=2,
        files=[upload("b.pdf", PDF + b"2")],
        when=datetime(2023, 3, 30, tzinfo=TZ),
        operating_hours=D672,
    )
    client.force_login(listed.staff)
    # session, user, the years with listings (default year and year links), deadline
    # settings, enterprises (listed in 2023), submissions of the year
    with django_assert_num_queries(6):
        response = client.get(reverse("verification:evidence_board") + "?year=2023")
    html = response.content.decode()
    assert f'data-testid="cell-{listed.enterprise_a.pk}-1" data-state="on_time"' in html
    assert f'data-testid="cell-{listed.enterprise_a.pk}-2" data-state="late"' in html
    assert f'data-testid="cell-{listed.enterprise_b.pk}-1" data-state="missing"' in html


def test_it_pins_the_evidence_detail_query_count(client, listed, django_assert_num_queries):
    submission = submit(listed)
    client.force_login(listed.district_reviewer)
    # session, user, submission (+enterprise), deadline settings, files, steps (+actor),
    # 2 history tables
    with django_assert_num_queries(8):
        assert client.get(submission.get_absolute_url()).status_code == 200


# Reminders -----------------------------------------------------------------------------------


def test_it_reminds_once_before_each_deadline(listed, django_capture_on_commit_callbacks):
    listed.enterprise_a_user.email = "a@example.cn"
    listed.enterprise_a_user.save()
    listed.enterprise_b_user.email = "b@example.cn"
    listed.enterprise_b_user.save()
    listed.district_reviewer.email = "r@example.cn"
    listed.district_reviewer.save()
    # Enterprise A submitted January; B did not. On 18 Feb 2023 the enterprise deadline
    # (20 Feb) is 2 days away: B is reminded; A's review is due 25 Feb, 7 days away: not yet.
    submit(listed, month=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.evidence_reminders_send(today=date(2023, 2, 18)) == 1
    assert [m.to for m in mail.outbox] == [["b@example.cn"]]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.evidence_reminders_send(today=date(2023, 2, 18)) == 0  # rerun: nothing
        assert services.evidence_reminders_send(today=date(2023, 2, 19)) == 0
    assert len(mail.outbox) == 1
    # 23 Feb: A's review (25 Feb) is near, the Kundulun reviewer hears of it.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.evidence_reminders_send(today=date(2023, 2, 23)) == 1
    assert mail.outbox[-1].to == ["r@example.cn"]
    # 10 Mar: B's January is still missing and the national ceiling (12 Mar) is near.
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_reminders_send(today=date(2023, 3, 10))
    assert set(EvidenceReminder.objects.values_list("kind", flat=True)) >= {
        "enterprise_deadline",
        "review_deadline",
        "ceiling",
    }


def test_it_schedules_the_reminders_with_celery_beat(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="verification: monthly evidence reminders")
    assert task.task == "verification.tasks.send_evidence_reminders"
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("8", "0")


@SEEN_IN_2024
def test_it_knows_february_has_672_hours(client, listed):
    client.force_login(listed.enterprise_a_user)
    response = client.post(
        month_url(listed, month=2), form_data(operating_hours="700", documents=upload())
    )
    assert response.status_code == 400
    assert "operating_hours" in response.context["form"].errors
    assert not EvidenceSubmission.objects.exists()
    assert (
        client.post(
            month_url(listed, month=2), form_data(operating_hours="672", documents=upload())
        ).status_code
        == 302
    )


def test_it_removes_stored_bytes_when_the_submission_fails(listed, media, monkeypatch):
    calls: list[EvidenceFile] = []
    real = services.evidence_file_store

    def store_then_fail(**kwargs):
        if calls:
            raise RuntimeError("disk full")
        calls.append(real(**kwargs))
        return calls[-1]

    monkeypatch.setattr(evidence_services, "evidence_file_store", store_then_fail)
    with pytest.raises(RuntimeError):
        submit(listed, files=[upload("a.pdf", PDF), upload("b.pdf", PDF + b"b")])
    assert not EvidenceSubmission.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))


def test_it_answers_an_impossible_month_with_404(client, listed):
    client.force_login(listed.enterprise_a_user)
    for month, year in [(13, 2023), (0, 2023), (1, 1900)]:
        url = reverse("verification:evidence_month", args=[listed.enterprise_a.pk, year, month])
        assert client.get(url).status_code == 404


# The board's default year and wording --------------------------------------------------------


@SEEN_IN_2024
def test_it_opens_the_board_on_the_latest_listed_year(client, listed):
    ListingFactory.create(enterprise=listed.enterprise_a, year=2021)
    client.force_login(listed.staff)
    response = client.get(reverse("verification:evidence_board"))
    assert response.status_code == 200
    assert response.context["year"] == 2023  # not the calendar year, which has no listing
    assert list(response.context["years"]) == [2021, 2023]
    html = response.content.decode()
    assert f'data-testid="cell-{listed.enterprise_a.pk}-1"' in html
    # An explicit year still wins, and a bad one falls back to the default.
    assert client.get(reverse("verification:evidence_board") + "?year=2021").context["year"] == 2021
    assert client.get(reverse("verification:evidence_board") + "?year=x").context["year"] == 2023


@pytest.mark.date_sensitive
def test_it_opens_the_board_on_the_calendar_year_without_any_listing(client, personas):
    client.force_login(personas.staff)
    response = client.get(reverse("verification:evidence_board"))
    assert response.context["year"] == date.today().year
    assert "No key emitting enterprise listed for this year." in response.content.decode()


def test_it_gives_a_late_month_a_fixed_number_of_days_late():
    d = calc.evidence_deadlines(2023, 1, enterprise_days=20, review_days=5, ceiling_days=40)
    for today in (date(2023, 2, 24), date(2023, 6, 1)):
        cell = calc.month_cell(
            deadlines=d, today=today, status="submitted", first_submitted_on=date(2023, 2, 23)
        )
        assert (cell.state, cell.late, cell.days_late) == ("late", True, 3)
    on_time = calc.month_cell(
        deadlines=d, today=date(2023, 2, 24), status="accepted", first_submitted_on=d.enterprise
    )
    assert (on_time.late, on_time.days_late) == (False, None)


@SEEN_IN_2024
def test_it_shows_review_status_and_timeliness_as_two_facts(client, listed):
    submit(listed, month=1)  # 10 Feb: on time
    submit(
        listed,
        month=2,
        files=[upload("b.pdf", PDF + b"2")],
        when=datetime(2023, 3, 30, tzinfo=TZ),
        operating_hours=D672,
    )
    client.force_login(listed.staff)
    html = client.get(reverse("verification:evidence_board") + "?year=2023").content.decode()
    # February's deadline was 20 March: submitted 30 March, 10 days late, whatever today is.
    assert "submitted 10 days late" in html
    assert html.count("awaiting review") >= 3  # legend and both cells
    assert "Timeliness of the first submission" in html


# The month's form ----------------------------------------------------------------------------


def test_it_shows_one_cancel_link_and_the_size_limit_on_the_form(client, listed):
    DeadlineSettings.objects.filter(pk=1).update(max_upload_mb=7)
    client.force_login(listed.enterprise_a_user)
    html = client.get(month_url(listed)).content.decode()
    assert html.count(">Cancel<") == 1
    assert "each file at most 7 MB" in html


def test_it_lists_the_files_already_uploaded_when_resubmitting(client, listed):
    submission = submit(listed)
    services.evidence_review(
        submission=submission, accept=False, comment="缺少化验报告", actor=listed.staff
    )
    client.force_login(listed.enterprise_a_user)
    html = client.get(month_url(listed)).content.decode()
    uploaded = submission.files.get()
    assert 'data-testid="uploaded-files"' in html
    assert f'href="{reverse("verification:evidence_file", args=[uploaded.pk])}"' in html
    assert uploaded.original_name in html


def test_it_mails_a_returned_month_from_a_task_that_stays_silent_once_resubmitted(listed):
    listed.enterprise_a_user.email = "ent_a@example.cn"
    listed.enterprise_a_user.save()
    submission = submit(listed)
    services.evidence_review(
        submission=submission, accept=False, comment="缺少化验报告", actor=listed.staff
    )
    # Not sent in the request: nothing until the task runs (on commit, here by hand).
    assert mail.outbox == []
    EvidenceSubmission.objects.filter(pk=submission.pk).update(status=EvidenceStatus.SUBMITTED)
    assert mail_evidence_returned.delay(submission.pk).get() is False
    assert mail.outbox == []
    EvidenceSubmission.objects.filter(pk=submission.pk).update(status=EvidenceStatus.RETURNED)
    assert mail_evidence_returned.delay(submission.pk).get() is True
    assert mail.outbox[-1].to == ["ent_a@example.cn"]
