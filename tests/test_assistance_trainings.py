"""Trainings: invitations, attendance, materials, feedback, and their bad input."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assistance.models import Attendee, Invitation, Training, TrainingTopic

from .factories import AttendeeFactory, InvitationFactory, TrainingFactory


def test_it_seeds_the_three_topics_of_the_bureau(db):
    assert list(TrainingTopic.objects.values_list("name_en", flat=True)) == [
        "Key checkpoints of carbon data verification",
        "Error-prone points in accounting reports",
        "What monthly evidence storage must contain",
    ]


def training_post(personas, **overrides):
    data = {
        "title": "碳排放核查要点培训",
        "mode": "online",
        "held_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "location": "腾讯会议 123-456-789",
        "experts": "王专家\n  \n李专家 ",
        "topics": list(TrainingTopic.objects.values_list("pk", flat=True)[:2]),
        "invited": [personas.enterprise_a.pk, personas.enterprise_b.pk],
        "feedback": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff_client(client, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(personas.staff)
    return client


def test_it_creates_a_training_with_invitations_and_materials(staff_client, personas):
    slides = SimpleUploadedFile("月度存证要求.pdf", b"%PDF-1.7 ...", "application/pdf")
    response = staff_client.post(
        reverse("assistance:training_create"), {**training_post(personas), "uploads": [slides]}
    )
    training = Training.objects.get()
    assert response.status_code == 302
    assert training.expert_list == ["王专家", "李专家"]
    assert set(training.invited.all()) == {personas.enterprise_a, personas.enterprise_b}
    assert training.files.get().original_name == "月度存证要求.pdf"
    assert training.history.get().history_user == personas.staff


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"experts": " \n "}, "experts", None),
        ({"topics": []}, "topics", "Choose at least one topic."),
        ({"invited": []}, "invited", "Invite at least one enterprise."),
        ({"held_on": "2023-02-30"}, "held_on", None),
        ({"mode": "carrier_pigeon"}, "mode", None),
    ],
)
def test_it_answers_a_bad_training_with_messages(staff_client, personas, overrides, field, message):
    response = staff_client.post(
        reverse("assistance:training_create"), training_post(personas, **overrides)
    )
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    if message:
        assert errors == [message]
    assert not Training.objects.exists()


def test_it_keeps_an_enterprise_with_attendees_invited(staff_client, personas):
    training = TrainingFactory()
    AttendeeFactory(
        invitation=InvitationFactory(training=training, enterprise=personas.enterprise_a)
    )
    url = reverse("assistance:training_update", args=[training.pk])
    response = staff_client.post(
        url, training_post(personas, invited=[personas.enterprise_b.pk], title="改名")
    )
    assert response.status_code == 400
    training.refresh_from_db()
    assert training.title != "改名"
    assert list(training.invited.all()) == [personas.enterprise_a]


def _attendance(training, rows):
    data = {
        "att-TOTAL_FORMS": str(len(rows)),
        "att-INITIAL_FORMS": "0",
        "att-MIN_NUM_FORMS": "0",
        "att-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"att-{i}-{key}"] = value
    return data


@pytest.mark.date_sensitive  # held a week ago
def test_it_records_attendance(staff_client, personas):
    training = TrainingFactory()
    invitation = InvitationFactory(training=training, enterprise=personas.enterprise_a)
    url = reverse("assistance:training_attendance", args=[training.pk])
    assert staff_client.get(url).status_code == 200
    rows = [
        {"invitation": invitation.pk, "name": "赵会计", "attended": "on", "rating": "5"},
        {"invitation": invitation.pk, "name": "钱主任", "rating": ""},
    ]
    assert staff_client.post(url, _attendance(training, rows)).status_code == 302
    assert dict(Attendee.objects.values_list("name", "attended")) == {
        "赵会计": True,
        "钱主任": False,
    }


@pytest.mark.date_sensitive  # held in three days
def test_it_refuses_attendance_before_the_training(staff_client, personas):
    training = TrainingFactory(held_on=timezone.localdate() + timedelta(days=3))
    invitation = InvitationFactory(training=training, enterprise=personas.enterprise_a)
    url = reverse("assistance:training_attendance", args=[training.pk])
    response = staff_client.post(
        url,
        _attendance(training, [{"invitation": invitation.pk, "name": "赵会计", "attended": "on"}]),
    )
    assert response.status_code == 400
    assert (
        "Attendance can be recorded once the training has taken place." in response.content.decode()
    )
    assert not Attendee.objects.exists()


def test_it_refuses_an_attendee_of_an_enterprise_not_invited(staff_client, personas):
    training = TrainingFactory()
    InvitationFactory(training=training, enterprise=personas.enterprise_a)
    elsewhere = InvitationFactory(enterprise=personas.enterprise_b)  # another training's
    url = reverse("assistance:training_attendance", args=[training.pk])
    rows = [{"invitation": elsewhere.pk, "name": "孙工", "attended": "on", "rating": "9"}]
    response = staff_client.post(url, _attendance(training, rows))
    assert response.status_code == 400
    errors = response.context["formset"].forms[0].errors
    assert "invitation" in errors and "rating" in errors
    assert not Attendee.objects.exists()


def test_it_shows_an_enterprise_only_its_own_invitation(client, personas):
    training = TrainingFactory()
    AttendeeFactory(
        invitation=InvitationFactory(training=training, enterprise=personas.enterprise_a),
        name="甲的人",
    )
    AttendeeFactory(
        invitation=InvitationFactory(training=training, enterprise=personas.enterprise_b),
        name="乙的人",
    )
    client.force_login(personas.enterprise_a_user)
    page = client.get(training.get_absolute_url()).content.decode()
    assert "甲的人" in page
    assert "乙的人" not in page
    assert personas.enterprise_b.name_zh not in page


def test_it_refuses_a_material_that_is_not_a_document(staff_client, personas):
    training = TrainingFactory()
    url = reverse("assistance:training_files_add", args=[training.pk])
    html = SimpleUploadedFile("slides.html", b"<script>alert(1)</script>", "text/html")
    response = staff_client.post(url, {"uploads": [html]})
    assert response.status_code == 400
    assert not training.files.exists()
    docx = SimpleUploadedFile("讲义.docx", b"PK\x03\x04rest", "application/octet-stream")
    assert staff_client.post(url, {"uploads": [docx]}).status_code == 302
    stored = training.files.get()
    assert stored.content_type.endswith("wordprocessingml.document")
    download = staff_client.get(reverse("assistance:training_file", args=[stored.pk]))
    assert "attachment" in download["Content-Disposition"]


def test_it_counts_invitations_once_per_enterprise(personas):
    training = TrainingFactory()
    InvitationFactory(training=training, enterprise=personas.enterprise_a)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Invitation(training=training, enterprise=personas.enterprise_a).full_clean()
