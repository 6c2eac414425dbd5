"""The one file mechanism (baotou_carbon.core.files): what an upload really is, its SHA-256, the
multi-file field, and the response that serves a stored file; and each download view using it."""

import hashlib
import io
import zipfile
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from assistance import services as assistance_services
from assistance.models import VisitFile
from baotou_carbon.core.files import (
    FILE_TYPES,
    MultipleFileField,
    check_upload,
    sha256_of,
    stored_file_response,
)
from verification import services as verification_services

from .factories import ListingFactory, TrainingFactory, VisitFactory

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
ACCEPTED = ("pdf", "png", "jpg", "jpeg", "xlsx", "docx")
LIMIT = 2**20


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["月份", "入炉煤量"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, "<x/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refusal(name: str, content: bytes, **kwargs) -> ValidationError:
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        check_upload(upload(name, content), accepted=ACCEPTED, max_bytes=LIMIT, **kwargs)
    return raised.value


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


# check_upload --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("报告.pdf", PDF, "pdf"),
        ("照片.PNG", PNG, "png"),
        ("照片.jpg", JPEG, "jpeg"),
        ("台账.xlsx", None, "xlsx"),
        ("讲义.docx", b"PK\x03\x04rest", "docx"),
    ],
)
def test_it_accepts_a_file_whose_bytes_are_what_its_extension_claims(name, content, kind):
    content = content if content is not None else xlsx_bytes()
    file_type = check_upload(upload(name, content), accepted=ACCEPTED, max_bytes=LIMIT)
    assert file_type.kind == kind
    assert file_type == FILE_TYPES[name.rsplit(".", 1)[-1].lower()]


@pytest.mark.parametrize("name", ["run.exe", "notes.txt", "noextension", "page.html"])
def test_it_refuses_an_extension_it_does_not_accept(name):
    error = refusal(name, PDF)
    assert error.code == "file_type"
    assert error.messages == [f"{name}: files of this type are not accepted."]


def test_it_refuses_an_accepted_extension_it_was_not_asked_to_accept():
    with pytest.raises(ValidationError) as raised:
        check_upload(upload("讲义.docx", b"PK\x03\x04rest"), accepted=("pdf",), max_bytes=LIMIT)
    assert raised.value.code == "file_type"


@pytest.mark.parametrize(
    ("name", "content"),
    [("fake.pdf", PNG), ("fake.png", PDF), ("photo.jpg", b"MZ\x90\x00 not a jpeg")],
)
def test_it_refuses_a_file_whose_content_lies_about_its_type(name, content):
    error = refusal(name, content)
    assert error.code == "file_content"
    assert error.messages == [f"{name} does not look like a {name[-3:].upper()} file."]


@pytest.mark.parametrize("content", [b"PK\x03\x04" + b"\x00" * 30, zip_bytes("word/document.xml")])
def test_it_refuses_a_zip_that_is_not_a_workbook(content):
    assert refusal("台账.xlsx", content).code == "file_content"


def test_it_refuses_an_empty_file():
    error = refusal("empty.pdf", b"")
    assert error.code == "file_empty"
    assert error.messages == ["empty.pdf is empty."]


def test_it_refuses_a_file_larger_than_the_limit_and_accepts_one_at_it():
    padded = PDF + b"0" * (LIMIT - len(PDF))
    assert check_upload(upload("at.pdf", padded), accepted=ACCEPTED, max_bytes=LIMIT)
    error = refusal("big.pdf", padded + b"0")
    assert error.code == "file_size"
    assert error.messages == ["big.pdf is 1.0\xa0MB; the limit is 1.0\xa0MB."]


def test_it_words_a_refusal_as_the_app_asks_and_falls_back_on_its_own_words():
    messages = {"file_content": "“%(name)s” is not really a %(kind)s (.%(type)s) file."}
    assert refusal("fake.jpg", PDF, messages=messages).messages == [
        "“fake.jpg” is not really a JPEG (.JPG) file."
    ]
    assert refusal("empty.pdf", b"", messages=messages).messages == ["empty.pdf is empty."]


def test_it_leaves_the_upload_at_its_start_after_sniffing_it():
    checked = upload("台账.xlsx", xlsx_bytes())
    check_upload(checked, accepted=ACCEPTED, max_bytes=LIMIT)
    assert checked.tell() == 0


# sha256_of -----------------------------------------------------------------------------------


def test_it_hashes_an_upload_in_chunks_and_rewinds_it():
    content = PDF + bytes(range(256)) * 1024  # several of Django's 64 KiB chunks
    hashed = upload("big.pdf", content)
    hashed.read(10)
    assert sha256_of(hashed) == hashlib.sha256(content).hexdigest()
    assert hashed.tell() == 0


# MultipleFileField ---------------------------------------------------------------------------


def test_it_cleans_several_files_and_names_every_one_it_refuses():
    field = MultipleFileField(accepted=("pdf", "png"), max_bytes=LIMIT)
    good = [upload("a.pdf", PDF), upload("b.png", PNG)]
    assert field.clean(good) == good
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        field.clean([upload("a.pdf", PDF), upload("fake.png", PDF), upload("run.exe", b"MZ")])
    assert [e.code for e in raised.value.error_list] == ["file_content", "file_type"]
    assert "fake.png" in raised.value.messages[0]
    assert "run.exe" in raised.value.messages[1]


def test_it_asks_for_a_file_only_when_one_is_required():
    assert MultipleFileField(accepted=("pdf",), max_bytes=LIMIT).clean([]) == []
    required = MultipleFileField(accepted=("pdf",), max_bytes=LIMIT, required=True)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        required.clean([])
    assert raised.value.messages == ["Choose at least one file."]


def test_it_offers_several_files_of_the_accepted_types_in_one_input():
    html = MultipleFileField(accepted=("pdf", "jpg"), max_bytes=LIMIT).widget.render("f", None)
    assert "multiple" in html
    assert 'accept=".pdf,.jpg,application/pdf,image/jpeg"' in html


# stored_file_response ------------------------------------------------------------------------


def stored(name: str, content: bytes, content_type: str) -> VisitFile:
    kept = VisitFile(original_name=name, content_type=content_type, size=len(content))
    kept.file.save(name, ContentFile(content), save=False)
    return kept


def assert_private(response) -> None:
    cache_control = [part.strip() for part in response["Cache-Control"].split(",")]
    assert "private" in cache_control
    assert "no-store" in cache_control
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_serves_a_stored_file_as_a_private_attachment_under_its_original_name():
    response = stored_file_response(stored("report.pdf", PDF, "application/pdf"))
    assert_private(response)
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_it_keeps_a_chinese_original_name_in_the_attachment():
    response = stored_file_response(stored("现场记录.pdf", PDF, "application/pdf"))
    assert response["Content-Disposition"].startswith("attachment")
    assert (
        "filename*=utf-8''%E7%8E%B0%E5%9C%BA%E8%AE%B0%E5%BD%95.pdf"
        in (response["Content-Disposition"])
    )


def test_it_serves_an_image_inline_when_asked():
    response = stored_file_response(stored("site.png", PNG, "image/png"), inline=True)
    assert_private(response)
    assert response["Content-Disposition"] == 'inline; filename="site.png"'
    assert response["Content-Type"] == "image/png"


def test_it_answers_404_for_a_file_whose_bytes_have_gone():
    gone = stored("gone.pdf", PDF, "application/pdf")
    gone.file.storage.delete(gone.file.name)
    with pytest.raises(Http404):
        stored_file_response(gone)


# The download views --------------------------------------------------------------------------


def test_it_serves_an_evidence_file_through_the_mechanism(client, personas):
    ListingFactory.create(enterprise=personas.enterprise_a, year=2023)
    submission = verification_services.evidence_submit(
        enterprise=personas.enterprise_a,
        year=2023,
        month=1,
        files=[upload("月报.pdf", PDF)],
        actor=personas.enterprise_a_user,
        now=datetime(2023, 2, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
        fuel_consumption_t=Decimal("85000.000"),
        ncv_gj_per_t=Decimal("18.5"),
        carbon_content_tc_per_gj=Decimal("0.0268"),
        purchased_mwh=Decimal("120"),
        generation_mwh=Decimal("180000"),
        supply_mwh=Decimal("165000"),
        heat_gj=Decimal("250000"),
        operating_hours=Decimal("744"),
        load_factor=Decimal("82.5"),
        notes="",
    )
    evidence = submission.files.get()
    assert evidence.content_type == "application/pdf"
    client.force_login(personas.enterprise_a_user)
    response = client.get(reverse("verification:evidence_file", args=[evidence.pk]))
    assert_private(response)
    assert response["Content-Disposition"].startswith("attachment")


def test_it_shows_a_visit_photo_inline_and_downloads_its_other_files(client, personas):
    visit = VisitFactory(enterprises=[personas.enterprise_a], staff=[personas.staff])
    photo = assistance_services.visit_file_add(
        visit=visit, upload=upload("site.png", PNG), actor=personas.staff
    )
    sheet = assistance_services.visit_file_add(
        visit=visit, upload=upload("台账.xlsx", xlsx_bytes()), actor=personas.staff
    )
    assert photo.sha256 == hashlib.sha256(PNG).hexdigest()
    client.force_login(personas.enterprise_a_user)
    shown = client.get(reverse("assistance:visit_file", args=[photo.pk]))
    assert_private(shown)
    assert shown["Content-Disposition"] == 'inline; filename="site.png"'
    downloaded = client.get(reverse("assistance:visit_file", args=[sheet.pk]))
    assert_private(downloaded)
    assert downloaded["Content-Disposition"].startswith("attachment")


def test_it_serves_a_training_material_as_a_private_attachment(client, personas):
    training = TrainingFactory()
    material = assistance_services.training_file_add(
        training=training, upload=upload("slides.pdf", PDF), actor=personas.staff
    )
    assert material.sha256 == hashlib.sha256(PDF).hexdigest()
    client.force_login(personas.staff)
    response = client.get(reverse("assistance:training_file", args=[material.pk]))
    assert_private(response)
    assert response["Content-Disposition"] == 'attachment; filename="slides.pdf"'


# The migration that hashes the files kept before hashes were ---------------------------------


def test_it_hashes_old_visit_files_and_skips_those_whose_bytes_have_gone(personas):
    visit = VisitFactory(enterprises=[personas.enterprise_a], staff=[personas.staff])
    kept, gone = (
        assistance_services.visit_file_add(
            visit=visit, upload=upload(name, PDF), actor=personas.staff
        )
        for name in ["kept.pdf", "gone.pdf"]
    )
    VisitFile.objects.update(sha256="")
    gone.file.storage.delete(gone.file.name)
    name = "0003_visit_training_file_sha256"
    loader = MigrationLoader(connection)
    migration = loader.get_migration("assistance", name)
    state = loader.project_state(("assistance", name), at_end=True)
    migration.operations[-1].code(state.apps, None)  # the RunPython that hashes them
    assert VisitFile.objects.get(pk=kept.pk).sha256 == hashlib.sha256(PDF).hexdigest()
    assert VisitFile.objects.get(pk=gone.pk).sha256 == ""
