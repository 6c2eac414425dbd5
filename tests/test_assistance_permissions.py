"""Who may open which assistance page: a permission matrix per view.

Anonymous → login; staff and administrators write; managers read; an enterprise user sees its
own enterprise's visits and trainings and answers its follow-ups; a district reviewer reads its
district's; an agency user sees only the published draws. Not visible → 404, not allowed → 403.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assistance import services
from assistance.models import VisitFile

from .factories import (
    AttendeeFactory,
    FollowUpFactory,
    InvitationFactory,
    TrainingFactory,
    VisitFactory,
)

PERSONAS = ["staff", "manager", "admin", "ent_a", "ent_b", "agency", "reviewer"]
ATTR = {
    "staff": "staff",
    "manager": "manager",
    "admin": "admin",
    "ent_a": "enterprise_a_user",
    "ent_b": "enterprise_b_user",
    "agency": "agency_user",
    "reviewer": "district_reviewer",  # reviews enterprise A's district
}

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def world(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    visit = VisitFactory(enterprises=[personas.enterprise_a], staff=[personas.staff])
    follow_up = FollowUpFactory(visit=visit, enterprise=personas.enterprise_a)
    visit_file = services.visit_file_add(
        visit=visit,
        upload=SimpleUploadedFile("site.png", PNG, content_type="image/png"),
        actor=personas.staff,
    )
    training = TrainingFactory()
    invitation = InvitationFactory(training=training, enterprise=personas.enterprise_a)
    AttendeeFactory(invitation=invitation)
    training_file = services.training_file_add(
        training=training,
        upload=SimpleUploadedFile("slides.pdf", b"%PDF-1.7 slides", content_type="application/pdf"),
        actor=personas.staff,
    )
    draw = services.draw_create(
        actor=personas.staff,
        title="2023 第一批双随机抽查",
        enterprise_pool=[personas.enterprise_a.pk, personas.enterprise_b.pk],
        inspector_pool=[personas.staff.pk, personas.admin.pk],
        enterprise_count=1,
        inspectors_per_enterprise=1,
        planned_on=visit.started_at.date(),
        seed="12345",
    )
    return {
        "visit": visit.pk,
        "follow_up": follow_up.pk,
        "visit_file": visit_file.pk,
        "training": training.pk,
        "training_file": training_file.pk,
        "draw": draw.pk,
    }


def _expect(**by_persona):
    return [by_persona[p] for p in PERSONAS]


# (url name, object key or None, method, expected codes in PERSONAS order)
MATRIX = [
    ("visit_list", None, "get", _expect(staff=200, manager=200, admin=200, ent_a=200, ent_b=200, agency=403, reviewer=200)),
    ("visit_create", None, "get", _expect(staff=200, manager=403, admin=200, ent_a=403, ent_b=403, agency=403, reviewer=403)),
    ("visit_detail", "visit", "get", _expect(staff=200, manager=200, admin=200, ent_a=200, ent_b=404, agency=404, reviewer=200)),
    ("visit_update", "visit", "get", _expect(staff=200, manager=403, admin=200, ent_a=403, ent_b=404, agency=404, reviewer=403)),
    ("visit_files_add", "visit", "post", _expect(staff=400, manager=403, admin=400, ent_a=403, ent_b=404, agency=404, reviewer=403)),
    ("visit_file", "visit_file", "get", _expect(staff=200, manager=200, admin=200, ent_a=200, ent_b=404, agency=404, reviewer=200)),
    ("visit_file_delete", "visit_file", "post", _expect(staff=302, manager=403, admin=302, ent_a=403, ent_b=404, agency=404, reviewer=403)),
    ("follow_up_list", None, "get", _expect(staff=200, manager=200, admin=200, ent_a=200, ent_b=200, agency=403, reviewer=200)),
    ("follow_up_answer", "follow_up", "get", _expect(staff=403, manager=403, admin=403, ent_a=200, ent_b=404, agency=404, reviewer=403)),
    ("draw_list", None, "get", _expect(staff=200, manager=200, admin=200, ent_a=200, ent_b=200, agency=200, reviewer=200)),
    ("draw_detail", "draw", "get", _expect(staff=200, manager=200, admin=200, ent_a=200, ent_b=200, agency=200, reviewer=200)),
    ("draw_verify", "draw", "get", _expect(staff=200, manager=200, admin=200, ent_a=200, ent_b=200, agency=200, reviewer=200)),
    ("draw_create", None, "get", _expect(staff=200, manager=403, admin=200, ent_a=403, ent_b=403, agency=403, reviewer=403)),
    ("draw_redraw", "draw", "get", _expect(staff=200, manager=403, admin=200, ent_a=403, ent_b=403, agency=403, reviewer=403)),
    ("training_list", None, "get", _expect(staff=200, manager=200, admin=200, ent_a=200, ent_b=200, agency=403, reviewer=200)),
    ("training_create", None, "get", _expect(staff=200, manager=403, admin=200, ent_a=403, ent_b=403, agency=403, reviewer=403)),
    ("training_detail", "training", "get", _expect(staff=200, manager=200, admin=200, ent_a=200, ent_b=404, agency=404, reviewer=200)),
    ("training_update", "training", "get", _expect(staff=200, manager=403, admin=200, ent_a=403, ent_b=404, agency=404, reviewer=403)),
    ("training_attendance", "training", "get", _expect(staff=200, manager=403, admin=200, ent_a=403, ent_b=404, agency=404, reviewer=403)),
    ("training_files_add", "training", "post", _expect(staff=400, manager=403, admin=400, ent_a=403, ent_b=404, agency=404, reviewer=403)),
    ("training_file", "training_file", "get", _expect(staff=200, manager=200, admin=200, ent_a=200, ent_b=404, agency=404, reviewer=200)),
    ("training_file_delete", "training_file", "post", _expect(staff=302, manager=403, admin=302, ent_a=403, ent_b=404, agency=404, reviewer=403)),
    ("progress", None, "get", _expect(staff=200, manager=200, admin=200, ent_a=403, ent_b=403, agency=403, reviewer=403)),
]  # fmt: skip


def _url(name, key, world):
    return reverse(f"assistance:{name}", args=[world[key]] if key else [])


@pytest.mark.parametrize(("name", "key", "method", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_it_answers_each_persona_as_the_matrix_says(
    client, personas, world, name, key, method, expected
):
    url = _url(name, key, world)
    anonymous = getattr(client, method)(url)
    assert anonymous.status_code == 302
    assert reverse("accounts:login") in anonymous["Location"]
    for persona, code in zip(PERSONAS, expected, strict=True):
        client.force_login(getattr(personas, ATTR[persona]))
        response = getattr(client, method)(url)
        assert response.status_code == code, f"{persona} on {name}: {response.status_code}"
        if name.endswith("_delete") and code == 302:
            break  # the file is gone: later personas would see 404


@pytest.mark.parametrize(
    ("persona", "step", "code"),
    [
        ("ent_a", "confirm", 302),
        ("ent_b", "confirm", 404),
        ("staff", "confirm", 403),
        ("manager", "confirm", 403),
        ("agency", "confirm", 404),
        ("reviewer", "confirm", 403),
        ("staff", "close", 302),
        ("admin", "close", 302),
        ("manager", "close", 403),
        ("ent_a", "close", 403),
        ("ent_b", "close", 404),
        ("reviewer", "close", 403),
        ("staff", "unknown", 404),
    ],
)
def test_it_lets_only_the_right_people_move_a_follow_up(
    client, personas, world, persona, step, code
):
    client.force_login(getattr(personas, ATTR[persona]))
    url = reverse("assistance:follow_up_step", args=[world["follow_up"], step])
    assert client.post(url).status_code == code
    assert client.get(url).status_code == 405


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("staff", 200),
        ("admin", 200),
        ("manager", 403),
        ("ent_a", 403),
        ("agency", 403),
        ("reviewer", 403),
    ],
)
def test_it_lets_only_editors_set_targets(client, personas, persona, code):
    client.force_login(getattr(personas, ATTR[persona]))
    assert client.get(reverse("assistance:targets_edit", args=[2024])).status_code == code


def test_it_hides_other_enterprises_from_the_lists(client, personas, world):
    other = VisitFactory(enterprises=[personas.enterprise_b], problems="乙企业的问题")
    client.force_login(personas.enterprise_a_user)
    page = client.get(reverse("assistance:visit_list")).content.decode()
    assert reverse("assistance:visit_detail", args=[world["visit"]]) in page
    assert reverse("assistance:visit_detail", args=[other.pk]) not in page
    client.force_login(personas.enterprise_b_user)
    page = client.get(reverse("assistance:training_list")).content.decode()
    assert reverse("assistance:training_detail", args=[world["training"]]) not in page


def test_it_lists_a_visit_of_two_enterprises_once(client, personas):
    visit = VisitFactory(enterprises=[personas.enterprise_a, personas.enterprise_b])
    client.force_login(personas.staff)
    page = client.get(reverse("assistance:visit_list")).content.decode()
    assert page.count(reverse("assistance:visit_detail", args=[visit.pk]) + '"') == 1


def test_it_shows_an_agency_user_the_draws_in_its_navigation(client, personas, world):
    client.force_login(personas.agency_user)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert reverse("assistance:draw_list") in page
    assert reverse("assistance:visit_list") not in page


def test_it_serves_files_only_through_the_checked_view(client, personas, world, settings):
    assert not settings.MEDIA_URL or not settings.MEDIA_URL.strip("/")
    stored = VisitFile.objects.get(pk=world["visit_file"])
    assert not stored.file.name.startswith("static")
    client.force_login(personas.enterprise_a_user)
    response = client.get(reverse("assistance:visit_file", args=[stored.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("visit_list", {"since": "yesterday", "mode": "zzz", "district": "1"}),
        ("visit_list", {"sort": "nonsense", "page": "999"}),
        ("follow_up_list", {"overdue": "maybe", "status": "??"}),
        ("training_list", {"year": "abc"}),
        ("draw_list", {"page": "-1"}),
        ("progress", {"as_of": "🙂"}),
    ],
)
def test_it_never_answers_garbage_queries_with_a_server_error(client, personas, world, name, query):
    client.force_login(personas.staff)
    response = client.get(reverse(f"assistance:{name}"), query)
    assert response.status_code in {200, 400, 404}
