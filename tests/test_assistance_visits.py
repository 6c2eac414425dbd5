"""Logging visits: the phone form's defaults, its bad-input messages, and that nothing is
half-saved."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from assistance.models import FollowUp, Visit, VisitFile, VisitStatus
from assistance.tables import VisitTable
from baotou_carbon.core.checkpoints import Checkpoint

from .factories import EnterpriseFactory, FollowUpFactory, VisitFactory

# Visits an hour ago, follow-ups due in ten days, "in the future": all relative to now.
pytestmark = pytest.mark.date_sensitive

URL = "/assistance/visits/new/"


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def visit_post(personas, **overrides) -> dict:
    """A complete form submission: on-site, an hour ago, enterprise A, one follow-up."""
    now = timezone.now()
    data = {
        "mode": "on_site",
        "status": "done",
        "started_at": _local(now - timedelta(hours=1)),
        "occasion": "national_supervision",
        "enterprises": [personas.enterprise_a.pk],
        "staff": [personas.staff.pk],
        "topics": [Checkpoint.NET_CALORIFIC_VALUE, Checkpoint.MONTHLY_EVIDENCE_STORAGE],
        "problems": "3月入厂煤低位发热量化验记录缺失",
        "advice": "按月补充化验报告并上传存证",
        "fu-TOTAL_FORMS": "1",
        "fu-INITIAL_FORMS": "0",
        "fu-MIN_NUM_FORMS": "0",
        "fu-MAX_NUM_FORMS": "20",
        "fu-0-action": "补传3月化验报告",
        "fu-0-owner": "李工",
        "fu-0-due_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "fu-0-enterprise": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def staff_client(client, personas):
    client.force_login(personas.staff)
    return client


def test_it_prefills_now_on_site_and_the_logged_in_staff_member(staff_client, personas):
    response = staff_client.get(URL)
    form = response.context["form"]
    assert response.status_code == 200
    assert form.initial["staff"] == [personas.staff.pk]
    assert form["mode"].value() == "on_site"
    started = form.initial["started_at"]
    assert abs((timezone.now() - started).total_seconds()) < 120
    assert len(form.follow_ups.forms) == 1
    html = response.content.decode()
    assert 'name="fu-0-owner"' in html
    assert 'type="datetime-local"' in html


def test_it_logs_a_visit_with_a_follow_up(staff_client, personas):
    response = staff_client.post(URL, visit_post(personas))
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == visit.get_absolute_url()
    assert list(visit.enterprises.all()) == [personas.enterprise_a]
    assert list(visit.staff.all()) == [personas.staff]
    assert visit.topics == ["ncv", "monthly_evidence_storage"]
    follow_up = visit.follow_ups.get()
    assert (follow_up.enterprise, follow_up.owner, follow_up.status) == (
        personas.enterprise_a,
        "李工",
        "open",
    )
    assert visit.history.get().history_user == personas.staff
    assert follow_up.history.get().history_user == personas.staff


def test_it_logs_a_visit_without_a_follow_up(staff_client, personas):
    data = visit_post(personas, **{"fu-0-action": "", "fu-0-owner": "", "fu-0-due_on": ""})
    assert staff_client.post(URL, data).status_code == 302
    assert Visit.objects.count() == 1
    assert FollowUp.objects.count() == 0


def test_it_refuses_a_done_visit_in_the_future(staff_client, personas):
    later = _local(timezone.now() + timedelta(hours=2))
    response = staff_client.post(URL, visit_post(personas, started_at=later))
    assert response.status_code == 400
    assert response.context["form"].errors["started_at"] == [
        "A visit that took place cannot be in the future."
    ]
    assert not Visit.objects.exists()


def test_it_accepts_a_planned_visit_in_the_future(staff_client, personas):
    later = _local(timezone.now() + timedelta(days=3))
    data = visit_post(personas, started_at=later, status="planned")
    data["fu-0-due_on"] = (timezone.localdate() + timedelta(days=10)).isoformat()
    assert staff_client.post(URL, data).status_code == 302
    assert Visit.objects.get().status == VisitStatus.PLANNED


def test_it_refuses_a_follow_up_without_owner_and_saves_nothing(staff_client, personas):
    response = staff_client.post(URL, visit_post(personas, **{"fu-0-owner": ""}))
    assert response.status_code == 400
    follow_up_form = response.context["form"].follow_ups.forms[0]
    assert follow_up_form.errors["owner"] == ["Name the owner of this follow-up."]
    assert "Name the owner of this follow-up." in response.content.decode()
    assert not Visit.objects.exists()
    assert not FollowUp.objects.exists()


def test_it_refuses_a_follow_up_without_due_date_or_action(staff_client, personas):
    response = staff_client.post(
        URL, visit_post(personas, **{"fu-0-due_on": "", "fu-0-action": ""})
    )
    errors = response.context["form"].follow_ups.forms[0].errors
    assert response.status_code == 400
    assert errors["due_on"] == ["Give a due date."]
    assert errors["action"] == ["Describe the action to take."]


def test_it_refuses_an_empty_enterprise_list(staff_client, personas):
    response = staff_client.post(URL, visit_post(personas, enterprises=[]))
    assert response.status_code == 400
    assert response.context["form"].errors["enterprises"] == ["Choose at least one enterprise."]
    assert "Choose at least one enterprise." in response.content.decode()
    assert not Visit.objects.exists()


def test_it_refuses_an_empty_staff_list(staff_client, personas):
    response = staff_client.post(URL, visit_post(personas, staff=[]))
    assert response.status_code == 400
    assert response.context["form"].errors["staff"] == ["Choose at least one staff member."]


def test_it_refuses_an_enterprise_user_as_visiting_staff(staff_client, personas):
    response = staff_client.post(URL, visit_post(personas, staff=[personas.enterprise_a_user.pk]))
    assert response.status_code == 400
    assert "staff" in response.context["form"].errors


def test_it_asks_which_enterprise_owes_the_follow_up_when_several_were_visited(
    staff_client, personas
):
    both = [personas.enterprise_a.pk, personas.enterprise_b.pk]
    response = staff_client.post(URL, visit_post(personas, enterprises=both))
    assert response.status_code == 400
    assert response.context["form"].follow_ups.forms[0].errors["enterprise"] == [
        "Several enterprises were visited: choose one."
    ]
    data = visit_post(personas, enterprises=both, **{"fu-0-enterprise": personas.enterprise_b.pk})
    assert staff_client.post(URL, data).status_code == 302
    assert FollowUp.objects.get().enterprise == personas.enterprise_b


def test_it_refuses_a_follow_up_owed_by_an_enterprise_not_visited(staff_client, personas):
    outsider = EnterpriseFactory()
    response = staff_client.post(URL, visit_post(personas, **{"fu-0-enterprise": outsider.pk}))
    assert response.status_code == 400
    assert not Visit.objects.exists()


def test_it_refuses_a_due_date_before_the_visit(staff_client, personas):
    early = (timezone.localdate() - timedelta(days=30)).isoformat()
    response = staff_client.post(URL, visit_post(personas, **{"fu-0-due_on": early}))
    assert response.status_code == 400
    assert response.context["form"].follow_ups.forms[0].errors["due_on"] == [
        "The due date cannot be before the visit."
    ]


@pytest.mark.parametrize(
    "garbage",
    [
        {"started_at": "yesterday-ish"},
        {"mode": "by_carrier_pigeon"},
        {"occasion": "nope"},
        {"topics": ["not_a_checkpoint"]},
        {"enterprises": ["999999"]},
        {"fu-0-due_on": "2024-02-30"},
        {"fu-TOTAL_FORMS": "x"},
    ],
)
def test_it_answers_garbage_with_messages_not_errors(staff_client, personas, garbage):
    response = staff_client.post(URL, visit_post(personas, **garbage))
    assert response.status_code == 400
    assert not Visit.objects.exists()


def test_it_attaches_photos_and_refuses_other_files(staff_client, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff\xe0" + b"0" * 64, "image/jpeg")
    assert staff_client.post(URL, {**visit_post(personas), "uploads": [photo]}).status_code == 302
    stored = VisitFile.objects.get()
    assert (stored.original_name, stored.content_type) == ("现场.jpg", "image/jpeg")
    assert str(tmp_path) in stored.file.path

    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a jpeg", "image/jpeg")
    script = SimpleUploadedFile("run.exe", b"MZ\x90\x00", "application/octet-stream")
    response = staff_client.post(URL, {**visit_post(personas), "uploads": [fake, script]})
    assert response.status_code == 400
    errors = response.context["form"].errors["uploads"]
    assert "photo.jpg does not look like a JPG file." in errors
    assert any("run.exe" in e for e in errors)
    assert Visit.objects.count() == 1


def test_it_refuses_a_file_over_the_size_limit(staff_client, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf")
    response = staff_client.post(URL, {**visit_post(personas), "uploads": [big]})
    assert response.status_code == 400
    assert "the limit is 10.0" in response.context["form"].errors["uploads"][0]


def test_it_edits_a_visit_and_adds_a_follow_up(staff_client, personas):
    visit = VisitFactory(enterprises=[personas.enterprise_a], staff=[personas.staff])
    FollowUpFactory(visit=visit, enterprise=personas.enterprise_a)
    url = reverse("assistance:visit_update", args=[visit.pk])
    data = visit_post(personas, started_at=_local(visit.started_at), problems="新问题")
    assert staff_client.post(url, data).status_code == 302
    visit.refresh_from_db()
    assert visit.problems == "新问题"
    assert visit.follow_ups.count() == 2


def test_it_keeps_an_enterprise_that_owes_a_follow_up(staff_client, personas):
    visit = VisitFactory(enterprises=[personas.enterprise_a], staff=[personas.staff])
    FollowUpFactory(visit=visit, enterprise=personas.enterprise_a)
    url = reverse("assistance:visit_update", args=[visit.pk])
    data = visit_post(
        personas,
        started_at=_local(visit.started_at),
        enterprises=[personas.enterprise_b.pk],
        problems="不应保存",
        **{"fu-0-action": "", "fu-0-owner": "", "fu-0-due_on": ""},
    )
    response = staff_client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["enterprises"] == [
        "An enterprise that owes a follow-up cannot be removed."
    ]
    visit.refresh_from_db()
    assert visit.problems != "不应保存"
    assert list(visit.enterprises.all()) == [personas.enterprise_a]


def test_it_reports_a_follow_up_the_model_refuses_as_a_message(personas):
    from django.core.exceptions import ValidationError

    from assistance import services
    from assistance.services import FollowUpInput

    with pytest.raises(ValidationError) as refused:
        services.visit_create(
            actor=personas.staff,
            enterprises=[personas.enterprise_a],
            staff=[personas.staff],
            follow_ups=[FollowUpInput(action="x", owner="o" * 101, due_on=timezone.localdate())],
            mode="on_site",
            status="done",
            started_at=timezone.now(),
            occasion="other",
        )
    assert not hasattr(refused.value, "error_dict")
    assert "Follow-up “x”" in refused.value.messages[0]


def test_it_records_who_changed_the_visited_enterprises(staff_client, personas):
    visit = VisitFactory(enterprises=[personas.enterprise_a], staff=[personas.staff])
    url = reverse("assistance:visit_update", args=[visit.pk])
    data = visit_post(
        personas,
        started_at=_local(visit.started_at),
        enterprises=[personas.enterprise_a.pk, personas.enterprise_b.pk],
        **{"fu-0-action": "", "fu-0-owner": "", "fu-0-due_on": ""},
    )
    assert staff_client.post(url, data).status_code == 302
    latest = visit.history.first()
    assert latest.history_user == personas.staff
    assert latest.history_change_reason.startswith("Enterprises: ")
    assert {"甲企业", "乙企业"} <= set(latest.history_change_reason[13:].split(", "))


def test_it_puts_the_enterprises_second_and_hides_secondary_columns_on_a_phone(
    staff_client, personas
):
    VisitFactory(enterprises=[personas.enterprise_a])
    page = staff_client.get(reverse("assistance:visit_list")).content.decode()
    table = page[page.index("<table") : page.index("</table>")]

    def wide_only(tag: str) -> bool:
        classes = re.search(r'class="([^"]*)"', tag)
        return classes is not None and {"d-none", "d-md-table-cell"} <= set(classes[1].split())

    assert personas.enterprise_a.name_zh in table
    # Date, enterprises, status and overdue stay; mode, occasion, staff and open follow-ups
    # are shown from the md breakpoint up.
    wide = [wide_only(tag) for tag in re.findall(r"<th\b[^>]*>", table)]
    assert wide == [False, False, True, False, True, True, True, False]
    assert [wide_only(tag) for tag in re.findall(r"<td\b[^>]*>", table)] == wide
    assert table.index(personas.enterprise_a.name_zh) < table.index("On-site")


def test_it_labels_the_follow_up_block_once(staff_client):
    page = staff_client.get(URL).content.decode()
    block = page[page.index('id="follow-ups"') : page.index('id="follow-up-template"')]
    assert "<legend" in block and "Follow-up actions</legend>" in block
    # The action's own label is for screen readers only; owner and due date share a row
    # that stacks below the sm breakpoint.
    assert re.search(r'<label for="id_fu-0-action" class="visually-hidden">', block)
    assert 'class="col-12 col-sm-5"' in block


def test_it_translates_the_headers_of_the_columns_hidden_on_a_phone():
    with translation.override("zh-hans"):
        headers = [str(c.header) for c in VisitTable([]).columns]
    with translation.override("en"):
        assert [str(c.header) for c in VisitTable([]).columns][2:5] == [
            "Mode",
            "Status",
            "Occasion",
        ]
    assert "Mode" not in headers and "Occasion" not in headers
