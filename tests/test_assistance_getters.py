"""Assistance's access getters: one per entity, what the caller needs as a keyword; not
visible → 404, visible but the need not met → 403. And the frozen capabilities of its pages."""

import dataclasses
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from assistance import permissions, services
from assistance.permissions import Need

from .factories import FollowUpFactory, InvitationFactory, TrainingFactory, VisitFactory

PERSONAS = (
    "staff",
    "manager",
    "admin",
    "enterprise_a_user",
    "enterprise_b_user",
    "agency_user",
    "district_reviewer",
)


def outcome(get, *args, **kwargs) -> int:
    """What a view built on the getter answers: 200, 403 or 404."""
    try:
        get(*args, **kwargs)
    except Http404:
        return 404
    except PermissionDenied:
        return 403
    return 200


@pytest.fixture
def records(personas, settings, tmp_path):
    """A visit of enterprise A with a follow-up A owes and a file, a training A is invited
    to, and a published draw; the district reviewer is A's district's."""
    settings.MEDIA_ROOT = tmp_path
    visit = VisitFactory(enterprises=[personas.enterprise_a], staff=[personas.staff])
    training = TrainingFactory()
    InvitationFactory(training=training, enterprise=personas.enterprise_a)
    return {
        "visit": visit,
        "follow_up": FollowUpFactory(visit=visit, enterprise=personas.enterprise_a),
        "visit_file": services.visit_file_add(
            visit=visit,
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4", "application/pdf"),
            actor=personas.staff,
        ),
        "training": training,
        "draw": services.draw_create(
            actor=personas.staff,
            title="抽查",
            enterprise_pool=[personas.enterprise_a.pk, personas.enterprise_b.pk],
            inspector_pool=[personas.staff.pk, personas.admin.pk],
            enterprise_count=1,
            inspectors_per_enterprise=1,
            planned_on=date(2099, 1, 1),
        ),
    }


GETTERS = {
    "visit": permissions.get_visit_for_user_or_404,
    "follow_up": permissions.get_follow_up_for_user_or_404,
    "visit_file": permissions.get_visit_file_for_user_or_404,
    "training": permissions.get_training_for_user_or_404,
    "draw": permissions.get_draw_for_user_or_404,
}
A_READ = (200, 200, 200, 200, 404, 404, 200)
A_EDIT = (200, 403, 200, 403, 404, 404, 403)

#                                 staff manager admin ent_a ent_b agency reviewer
MATRIX = {
    ("visit", Need.READ): A_READ,
    ("visit", Need.EDIT): A_EDIT,
    ("follow_up", Need.READ): A_READ,
    ("follow_up", Need.ANSWER): (403, 403, 403, 200, 404, 404, 403),
    ("follow_up", Need.EDIT): A_EDIT,
    ("visit_file", Need.READ): A_READ,
    ("visit_file", Need.EDIT): A_EDIT,
    ("training", Need.READ): A_READ,
    ("training", Need.EDIT): A_EDIT,
    ("draw", Need.READ): (200,) * 7,
    ("draw", Need.EDIT): (200, 403, 200, 403, 403, 403, 403),
}


@pytest.mark.parametrize(("entity", "need"), list(MATRIX), ids=lambda v: getattr(v, "name", v))
def test_it_answers_each_need_of_each_persona(personas, records, entity, need):
    get, pk = GETTERS[entity], records[entity].pk
    got = tuple(outcome(get, getattr(personas, p), pk, need=need) for p in PERSONAS)
    assert got == MATRIX[(entity, need)]


def test_it_refuses_a_need_the_entity_does_not_have(personas, records):
    with pytest.raises(ValueError, match="ANSWER"):
        permissions.get_visit_for_user_or_404(personas.staff, records["visit"].pk, need=Need.ANSWER)


def test_it_freezes_the_capabilities_and_builds_them_from_the_predicates(personas, records):
    follow_up = records["follow_up"]
    for name in PERSONAS:
        user = getattr(personas, name)
        assert permissions.visit_capabilities(user, records["visit"]) == (
            permissions.VisitCapabilities(can_edit=permissions.can_edit(user))
        ), name
        assert permissions.follow_up_capabilities(user, follow_up) == (
            permissions.FollowUpCapabilities(
                can_answer=permissions.can_answer(user, follow_up),
                can_manage=permissions.can_edit(user),
                can_correct=permissions.can_record_correction(user),
            )
        ), name
        assert permissions.training_capabilities(user, records["training"]) == (
            permissions.TrainingCapabilities(can_edit=permissions.can_edit(user))
        ), name
        for redrawable in (False, True):
            assert permissions.draw_capabilities(
                user, records["draw"], redrawable=redrawable
            ) == permissions.DrawCapabilities(
                can_redraw=permissions.can_edit(user) and redrawable,
                can_read_visits=permissions.can_read_assistance(user),
            ), name
    caps = permissions.follow_up_capabilities(personas.enterprise_a_user, follow_up)
    assert (caps.can_answer, caps.can_manage) == (True, False)
    for frozen in (
        caps,
        permissions.visit_capabilities(personas.staff, records["visit"]),
        permissions.training_capabilities(personas.staff, records["training"]),
        permissions.draw_capabilities(personas.staff, records["draw"], redrawable=True),
    ):
        with pytest.raises(dataclasses.FrozenInstanceError):
            frozen.can_edit = False  # type: ignore[union-attr]
