"""Pinned query counts: list, detail and progress pages cost the same for 1 row or 20."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assistance import services

from .factories import (
    AttendeeFactory,
    EnterpriseFactory,
    FollowUpFactory,
    InvitationFactory,
    ListingFactory,
    TargetFactory,
    TrainingFactory,
    VisitFactory,
)

# Every page of a logged-in user starts with the same two queries.
SESSION_AND_USER = 2


@pytest.fixture
def many_visits(personas):
    for i in range(6):
        visit = VisitFactory(
            enterprises=[personas.enterprise_a, personas.enterprise_b],
            staff=[personas.staff, personas.admin],
        )
        FollowUpFactory(visit=visit, enterprise=personas.enterprise_a, action=f"整改{i}")


@pytest.mark.parametrize("persona", ["staff", "enterprise_a_user"])
def test_it_lists_visits_in_a_fixed_number_of_queries(
    client, personas, many_visits, django_assert_num_queries, persona
):
    client.force_login(getattr(personas, persona))
    # session, user; count of rows (paginator); the page of visits with follow-up counts;
    # prefetch of their enterprises; prefetch of their staff
    with django_assert_num_queries(SESSION_AND_USER + 4):
        response = client.get(reverse("assistance:visit_list"))
    assert response.status_code == 200


def test_it_lists_follow_ups_in_a_fixed_number_of_queries(
    client, personas, many_visits, django_assert_num_queries
):
    client.force_login(personas.staff)
    # session, user; count; the page of follow-ups joined with visit and enterprise
    with django_assert_num_queries(SESSION_AND_USER + 2):
        assert client.get(reverse("assistance:follow_up_list")).status_code == 200


def test_it_shows_a_visit_in_a_fixed_number_of_queries(
    client, personas, django_assert_num_queries, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    visit = VisitFactory(enterprises=[personas.enterprise_a], staff=[personas.staff])
    for i in range(4):
        FollowUpFactory(visit=visit, enterprise=personas.enterprise_a, action=f"整改{i}")
    services.visit_file_add(
        visit=visit,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4", "application/pdf"),
        actor=personas.staff,
    )
    client.force_login(personas.staff)
    # session, user; the visit (scoped getter); its follow-ups with enterprises; the ids of
    # the follow-ups the user may see; enterprises; the ids of those enterprises the user may
    # open (to link only those); staff; files; history of the visit, of its follow-ups and of
    # its files (each with its actor)
    with django_assert_num_queries(SESSION_AND_USER + 10):
        assert client.get(visit.get_absolute_url()).status_code == 200


def test_it_lists_trainings_in_a_fixed_number_of_queries(
    client, personas, django_assert_num_queries
):
    for _ in range(5):
        training = TrainingFactory()
        AttendeeFactory(
            invitation=InvitationFactory(training=training, enterprise=personas.enterprise_a)
        )
    client.force_login(personas.staff)
    # session, user; count; the page with invitation and attendee counts; prefetch of topics
    with django_assert_num_queries(SESSION_AND_USER + 3):
        assert client.get(reverse("assistance:training_list")).status_code == 200


def test_it_shows_a_draw_in_a_fixed_number_of_queries(client, personas, django_assert_num_queries):
    draw = services.draw_create(
        actor=personas.staff,
        title="抽查",
        enterprise_pool=[personas.enterprise_a.pk, personas.enterprise_b.pk],
        inspector_pool=[personas.staff.pk, personas.admin.pk],
        enterprise_count=2,
        inspectors_per_enterprise=2,
        planned_on=date(2099, 1, 1),
    )
    client.force_login(personas.agency_user)
    # session, user; the draw with who drew it and what it replaced; the inspectors; the
    # pool's enterprises; the draw's visits; prefetch of their enterprises; a redraw of it,
    # if any; the ids of the pool's enterprises the user may open (to link only those); its
    # history (with actors)
    with django_assert_num_queries(SESSION_AND_USER + 8):
        assert client.get(draw.get_absolute_url()).status_code == 200


def test_it_verifies_a_draw_in_a_fixed_number_of_queries(
    client, personas, django_assert_num_queries
):
    extra = [EnterpriseFactory() for _ in range(6)]
    draw = services.draw_create(
        actor=personas.staff,
        title="抽查",
        enterprise_pool=[personas.enterprise_a.pk, personas.enterprise_b.pk]
        + [e.pk for e in extra],
        inspector_pool=[personas.staff.pk, personas.admin.pk, personas.manager.pk],
        enterprise_count=5,
        inspectors_per_enterprise=2,
        planned_on=date(2099, 1, 1),
    )
    client.force_login(personas.agency_user)
    # session, user; the draw with who drew it and what it replaced; the names of the pool's
    # and both results' enterprises; the names of the inspectors (in bulk, whatever the size)
    with django_assert_num_queries(SESSION_AND_USER + 3):
        response = client.get(reverse("assistance:draw_verify", args=[draw.pk]))
    assert response.status_code == 200


def test_it_shows_progress_in_a_fixed_number_of_queries(
    client, personas, django_assert_num_queries
):
    shanghai = ZoneInfo("Asia/Shanghai")
    for month in range(1, 13):
        VisitFactory(
            started_at=datetime(2023, month, 10, 9, tzinfo=shanghai),
            enterprises=[personas.enterprise_a],
        )
        VisitFactory(
            started_at=datetime(2023, month, 11, 9, tzinfo=shanghai),
            mode="remote",
            occasion="enterprise_request",
            enterprises=[personas.enterprise_b],
        )
    ListingFactory(enterprise=personas.enterprise_a, year=2023)
    TargetFactory(year=2023, measure="on_site_visits", target=12)
    client.force_login(personas.manager)
    # session, user; visits per month and mode; trainings per month and mode; visits per
    # occasion and mode; targets; latest key emitter list year; coverage
    with django_assert_num_queries(SESSION_AND_USER + 6):
        response = client.get(
            reverse("assistance:progress"), {"as_of": "2024-01-31", "since": "2023-01-01"}
        )
    assert response.status_code == 200
    totals = {t.measure: t.done for t in response.context["report"]["totals"]}
    assert (totals["on_site_visits"], totals["remote_sessions"]) == (12, 12)


def test_it_shows_a_training_in_a_fixed_number_of_queries(
    client, personas, django_assert_num_queries
):
    training = TrainingFactory()
    for enterprise in (personas.enterprise_a, personas.enterprise_b):
        invitation = InvitationFactory(training=training, enterprise=enterprise)
        AttendeeFactory.create_batch(3, invitation=invitation)
    client.force_login(personas.enterprise_a_user)
    # session, user; the training (scoped getter); the invitations in scope with enterprises;
    # prefetch of their attendees; topics; files; history of the training, its invitations,
    # their attendees and its files
    with django_assert_num_queries(SESSION_AND_USER + 9):
        assert client.get(training.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("export", ["xlsx", "csv"])
def test_it_exports_the_visit_list(client, personas, many_visits, export):
    client.force_login(personas.staff)
    response = client.get(reverse("assistance:visit_list"), {"_export": export})
    assert response.status_code == 200
    if export == "csv":
        body = response.content.decode()
        assert personas.enterprise_a.name_zh in body
        assert "<span" not in body
