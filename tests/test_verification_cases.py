"""Verification cases: state machine, checklist, findings, objection deadlines, allowance gain,
scoping and the permission matrix of every case page."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from allocation.models import CrossCheckStatus
from baotou_carbon.accounts.roles import Role
from enterprises.permissions import enterprises_for_user
from enterprises.selectors import enterprise_list
from verification import services
from verification.models import (
    CaseStatus,
    CaseTransition,
    ChecklistItem,
    Finding,
    FindingStatus,
    GainComponent,
    Holiday,
    ItemResult,
    Objection,
    VerificationCase,
)

from .factories import (
    AgencyFactory,
    ChecklistTemplateItemFactory,
    FindingFactory,
    GainComponentFactory,
    UnitAllocationFactory,
    UnitFactory,
    UserFactory,
    VerificationCaseFactory,
)

D = Decimal


@pytest.fixture
def template(db):
    first = ChecklistTemplateItemFactory.create(position=1, checkpoint="fuel_consumption")
    ChecklistTemplateItemFactory.create(
        template=first.template, position=2, checkpoint="carbon_sampling"
    )
    return first.template


@pytest.fixture
def case(personas, template):
    return services.case_create(
        template=template,
        actor=personas.staff,
        enterprise=personas.enterprise_a,
        year=2022,
        agency=personas.agency,
        reported_emissions_t=D("120000.000"),
    )


@pytest.fixture
def other_agency_user(db):
    return UserFactory.create(
        username="other_agency", role=Role.AGENCY, agency=AgencyFactory.create()
    )


def walk(case, actor, *targets, on=None):
    for target in targets:
        case = services.case_transition(case=case, target=target, actor=actor, on=on)
    return case


def ready_to_conclude(case, actor):
    walk(case, actor, "working_group", "document_review", "onsite_team", "onsite")
    ChecklistItem.objects.filter(case=case).update(result=ItemResult.CONFORMING)
    services.case_update(
        case=case,
        actor=actor,
        verified_emissions_t=D("118000.000"),
        conclusion="核查确认排放量 118000 t。",
    )
    return case


def notified(case, staff, agency_user, on):
    ready_to_conclude(case, agency_user)
    walk(case, agency_user, "concluded")
    return walk(case, staff, "notified", on=on)


# Opening a case ------------------------------------------------------------------------------


def test_it_copies_the_template_checkpoints_into_the_case(case, personas):
    items = list(case.checklist_items.order_by("position"))
    assert [i.checkpoint for i in items] == ["fuel_consumption", "carbon_sampling"]
    assert all(i.result == ItemResult.PENDING for i in items)
    assert case.history.first().history_user == personas.staff


def test_it_seeds_a_template_covering_the_guideline_checkpoints(db):
    from verification.models import ChecklistTemplate

    seeded = ChecklistTemplate.objects.get(name_zh="发电设施核查要点（2022年度）")
    assert set(seeded.items.values_list("checkpoint", flat=True)) == {
        "fuel_consumption",
        "ncv",
        "carbon_sampling",
        "purchased_electricity",
        "meters",
        "heat",
        "load_factor",
        "unit_classification",
        "monthly_evidence_consistency",
    }


def test_it_refuses_a_second_case_for_the_same_enterprise_and_year(
    client, personas, case, template
):
    client.force_login(personas.staff)
    response = client.post(
        reverse("verification:case_create"),
        {
            "enterprise": personas.enterprise_a.pk,
            "year": 2022,
            "agency": personas.agency.pk,
            "template": template.pk,
            "reported_emissions_t": "1",
        },
    )
    assert response.status_code == 400
    assert VerificationCase.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"reported_emissions_t": "-1"},
        {"reported_emissions_t": "abc"},
        {"reported_emissions_t": "1e15"},
        {"year": "1999x"},
        {"template": ""},
    ],
)
def test_it_refuses_bad_case_input_and_saves_nothing(client, personas, template, change):
    client.force_login(personas.staff)
    data = {
        "enterprise": personas.enterprise_a.pk,
        "year": 2022,
        "agency": personas.agency.pk,
        "template": template.pk,
        "reported_emissions_t": "120000",
    }
    data.update(change)
    response = client.post(reverse("verification:case_create"), data)
    assert response.status_code == 400
    assert not VerificationCase.objects.exists()
    assert not ChecklistItem.objects.exists()


# The state machine ---------------------------------------------------------------------------


def test_it_walks_the_guideline_steps_with_a_history_row_per_step(case, personas):
    ready_to_conclude(case, personas.agency_user)
    walk(case, personas.agency_user, "concluded")
    walk(case, personas.staff, "notified", on=date(2023, 5, 5))
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED
    assert case.notified_on == date(2023, 5, 5)
    steps = list(
        CaseTransition.objects.filter(case=case).values_list("to_status", "actor__username")
    )
    assert steps == [
        ("working_group", "agency"),
        ("document_review", "agency"),
        ("onsite_team", "agency"),
        ("onsite", "agency"),
        ("concluded", "agency"),
        ("notified", "staff"),
    ]
    assert case.history.filter(status="notified").first().history_user == personas.staff


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("arranged", "concluded"),
        ("arranged", "notified"),
        ("document_review", "arranged"),
        ("archived", "onsite"),
        ("notified", "re_reviewed"),
        ("arranged", "nonsense"),
    ],
)
def test_it_refuses_illegal_transitions(case, personas, source, target):
    VerificationCase.objects.filter(pk=case.pk).update(status=source)
    case.refresh_from_db()
    with pytest.raises((ValidationError, ValueError)):
        services.case_transition(case=case, target=target, actor=personas.staff)
    case.refresh_from_db()
    assert case.status == source
    assert not CaseTransition.objects.exists()


def test_it_refuses_the_step_to_an_actor_not_allowed_to_take_it(case, personas, other_agency_user):
    for actor in (personas.enterprise_a_user, personas.manager, other_agency_user):
        with pytest.raises(PermissionDenied):
            services.case_transition(case=case, target="working_group", actor=actor)
    ready_to_conclude(case, personas.agency_user)
    walk(case, personas.agency_user, "concluded")
    with pytest.raises(PermissionDenied):  # only the bureau notifies
        services.case_transition(case=case, target="notified", actor=personas.agency_user)


def test_it_refuses_to_conclude_with_open_checkpoints_or_findings(case, personas):
    walk(case, personas.agency_user, "working_group", "document_review", "onsite_team", "onsite")
    with pytest.raises(ValidationError) as raised:
        services.case_transition(case=case, target="concluded", actor=personas.agency_user)
    messages = " ".join(raised.value.messages)
    assert "checklist" in messages and "verified emissions" in messages
    ChecklistItem.objects.filter(case=case).update(result=ItemResult.CONFORMING)
    services.case_update(
        case=case, actor=personas.staff, verified_emissions_t=D("1"), conclusion="ok"
    )
    FindingFactory.create(case=case, status=FindingStatus.OPEN)
    with pytest.raises(ValidationError):
        services.case_transition(case=case, target="concluded", actor=personas.agency_user)
    assert VerificationCase.objects.get(pk=case.pk).status == "onsite"


def test_it_refuses_a_step_from_a_stale_copy_of_the_case(case, personas):
    stale = VerificationCase.objects.get(pk=case.pk)
    services.case_transition(case=case, target="working_group", actor=personas.staff)
    # `stale` still says "arranged": the conditional UPDATE matches no row.
    with pytest.raises(ValidationError):
        services.case_transition(case=stale, target="working_group", actor=personas.agency_user)
    assert CaseTransition.objects.count() == 1


def test_it_closes_the_figures_once_concluded(case, personas):
    ready_to_conclude(case, personas.agency_user)
    walk(case, personas.agency_user, "concluded")
    with pytest.raises(ValidationError):
        services.case_update(case=case, actor=personas.staff, verified_emissions_t=D("1"))


# Objection and re-review deadlines -----------------------------------------------------------


# Objections lodged on 30 Sep 2024 are decided through the page, on "today": a day of the
# re-review period (until 18 Oct 2024).
RE_REVIEW_PERIOD = pytest.mark.date_sensitive(today="2024-10-10")


@pytest.fixture
def national_day_2024(db):
    for day in range(1, 8):
        Holiday.objects.create(date=date(2024, 10, day), kind="holiday", name="国庆节")
    Holiday.objects.create(date=date(2024, 9, 29), kind="working_day", name="国庆调休")
    Holiday.objects.create(date=date(2024, 10, 12), kind="working_day", name="国庆调休")


def test_it_allows_an_objection_until_the_seventh_working_day_across_a_holiday(
    case, personas, national_day_2024
):
    # Notified Fri 27 Sep 2024 → Sun 29 (1), Mon 30 (2), [1–7 Oct off], 8 (3) … 11 (6),
    # Sat 12 (7): the enterprise may object until 2024-10-12.
    notified(case, personas.staff, personas.agency_user, on=date(2024, 9, 27))
    from verification.models import DeadlineSettings
    from verification.selectors import objection_deadline

    assert objection_deadline(case, DeadlineSettings.current()) == date(2024, 10, 12)
    objection = services.objection_lodge(
        case=case,
        grounds="缺省值应被检测值替代",
        actor=personas.enterprise_a_user,
        on=date(2024, 10, 12),
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.OBJECTED
    assert objection.lodged_on == date(2024, 10, 12)


def test_it_refuses_an_objection_after_the_deadline(case, personas, national_day_2024):
    notified(case, personas.staff, personas.agency_user, on=date(2024, 9, 27))
    with pytest.raises(ValidationError):
        services.objection_lodge(
            case=case, grounds="晚了", actor=personas.enterprise_a_user, on=date(2024, 10, 14)
        )
    assert not Objection.objects.exists()
    assert VerificationCase.objects.get(pk=case.pk).status == CaseStatus.NOTIFIED


def test_it_refuses_an_objection_from_another_enterprise(case, personas):
    notified(case, personas.staff, personas.agency_user, on=date(2024, 9, 27))
    with pytest.raises(PermissionDenied):
        services.objection_lodge(
            case=case, grounds="x", actor=personas.enterprise_b_user, on=date(2024, 9, 30)
        )


def test_it_keeps_the_case_open_during_the_objection_period(case, personas, national_day_2024):
    notified(case, personas.staff, personas.agency_user, on=date(2024, 9, 27))
    with pytest.raises(ValidationError):
        services.case_transition(
            case=case, target="archived", actor=personas.staff, on=date(2024, 10, 12)
        )
    services.case_transition(
        case=case, target="archived", actor=personas.staff, on=date(2024, 10, 14)
    )
    assert VerificationCase.objects.get(pk=case.pk).status == CaseStatus.ARCHIVED


@RE_REVIEW_PERIOD
def test_it_shows_the_re_review_deadline_and_records_the_decision(
    client, case, personas, national_day_2024
):
    # Objection lodged Mon 30 Sep 2024: 10 working days → Fri 18 Oct (worked in calculations).
    notified(case, personas.staff, personas.agency_user, on=date(2024, 9, 27))
    services.objection_lodge(
        case=case, grounds="检测报告有效", actor=personas.enterprise_a_user, on=date(2024, 9, 30)
    )
    client.force_login(personas.manager)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "2024-10-18" in page
    response = client.post(
        reverse("verification:re_review", args=[case.pk]),
        {"outcome": "upheld", "decision": "采信检测值", "verified_emissions_t": "117500"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.RE_REVIEWED
    assert case.verified_emissions_t == D("117500.000")
    assert case.objection.decided_by == personas.manager


@RE_REVIEW_PERIOD
def test_it_refuses_a_rejected_objection_that_changes_the_figure(client, case, personas):
    notified(case, personas.staff, personas.agency_user, on=date(2024, 9, 27))
    services.objection_lodge(
        case=case, grounds="x", actor=personas.enterprise_a_user, on=date(2024, 9, 30)
    )
    client.force_login(personas.staff)
    response = client.post(
        reverse("verification:re_review", args=[case.pk]),
        {"outcome": "rejected", "decision": "维持", "verified_emissions_t": "1"},
    )
    assert response.status_code == 400
    assert VerificationCase.objects.get(pk=case.pk).status == CaseStatus.OBJECTED


# Findings ------------------------------------------------------------------------------------


def test_it_requires_a_conservative_estimate_for_an_unrectified_finding(client, case, personas):
    walk(case, personas.agency_user, "working_group", "document_review")
    finding = FindingFactory.create(case=case)
    client.force_login(personas.agency_user)
    url = reverse("verification:finding_update", args=[finding.pk])
    data = {
        "description": finding.description,
        "rectification_deadline": "2023-05-31",
        "status": "unrectified",
        "conservative_estimate_t": "",
        "estimate_basis": "",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.OPEN
    data.update(conservative_estimate_t="150.5", estimate_basis="按缺省值计算3月份")
    assert client.post(url, data).status_code == 302
    assert Finding.objects.get(pk=finding.pk).conservative_estimate_t == D("150.500")


@pytest.mark.parametrize(
    "change",
    [
        {"rectification_deadline": "not a date"},
        {"description": ""},
        {"conservative_estimate_t": "-5"},
    ],
)
def test_it_refuses_bad_findings_and_saves_nothing(client, case, personas, change):
    client.force_login(personas.agency_user)
    data = {
        "description": "x",
        "rectification_deadline": "2023-05-31",
        "status": "open",
        "conservative_estimate_t": "",
        "estimate_basis": "",
    }
    data.update(change)
    response = client.post(reverse("verification:finding_create", args=[case.pk]), data)
    assert response.status_code == 400
    assert not Finding.objects.exists()


def test_it_lets_the_enterprise_answer_its_finding(client, case, personas):
    finding = FindingFactory.create(case=case)
    client.force_login(personas.enterprise_a_user)
    response = client.post(
        reverse("verification:finding_answer", args=[finding.pk]),
        {"response": "已补充3月份检测报告"},
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.ANSWERED
    assert finding.history.first().history_user == personas.enterprise_a_user
    assert (
        client.post(
            reverse("verification:finding_answer", args=[finding.pk]), {"response": ""}
        ).status_code
        == 400
    )


def test_it_records_a_non_conformity_only_with_notes(client, case, personas):
    item = case.checklist_items.first()
    client.force_login(personas.agency_user)
    url = reverse("verification:checklist_item_update", args=[item.pk])
    assert (
        client.post(url, {"result": "non_conformity", "notes": "", "evidence": ""}).status_code
        == 400
    )
    assert client.post(url, {"result": "bogus"}).status_code == 400
    assert ChecklistItem.objects.get(pk=item.pk).result == ItemResult.PENDING
    assert (
        client.post(
            url, {"result": "non_conformity", "notes": "3月未检测", "evidence": "化验台账"}
        ).status_code
        == 302
    )


# Allowance gain ------------------------------------------------------------------------------


def _allocations(enterprise, *, approved: bool):
    """Two units of `enterprise` whose 2022 preliminary allocations are 60,000 + 40,000 t,
    approved at 63,000 + 42,000 t (or still with the enterprise)."""
    for preliminary, after in ((D("60000"), D("63000")), (D("40000"), D("42000"))):
        unit = UnitFactory.create(facility__enterprise=enterprise)
        UnitAllocationFactory.create(
            unit=unit,
            preliminary_allocation_t=preliminary,
            status=CrossCheckStatus.APPROVED if approved else CrossCheckStatus.ENTERPRISE,
            approved_allocation_t=after if approved else None,
        )


def test_it_shows_the_gain_from_the_cross_verified_allocation(client, case, personas):
    services.case_update(case=case, actor=personas.staff, verified_emissions_t=D("118000"))
    _allocations(case.enterprise, approved=True)
    finding = FindingFactory.create(
        case=case, status="unrectified", conservative_estimate_t=D("150"), estimate_basis="缺省值"
    )
    GainComponentFactory.create(case=case, cause="measured_carbon", emissions_change_t=D("1850"))
    GainComponentFactory.create(
        case=case, cause="heat_data", allocation_change_t=D("5000"), emissions_change_t=D(0)
    )
    # (105 000 − 100 000) + (120 000 − (118 000 + 150)) = 5 000 + 1 850 = 6 850 t, all attributed.
    client.force_login(personas.staff)
    html = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="final-verified">118,150.000 t' in html
    assert "100,000.000 t" in html and "105,000.000 t" in html
    assert 'data-testid="gain-total">6,850.000<' in html
    assert 'data-testid="gain-unattributed">0.000<' in html
    assert finding.description in html
    # Nothing on the case to type the allocation into: it is read-only here.
    assert "allocation_before_t" not in html


def test_it_waits_for_every_unit_s_approval_before_showing_the_gain(client, case, personas):
    services.case_update(case=case, actor=personas.staff, verified_emissions_t=D("118000"))
    _allocations(case.enterprise, approved=False)
    client.force_login(personas.staff)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "100,000.000 t" in html  # both preliminary allocations are known
    assert "0 of 2 units approved" in html
    assert 'data-testid="gain-total"' not in html


def test_it_refuses_a_gain_component_with_a_bad_number(client, case, personas):
    client.force_login(personas.staff)
    response = client.post(
        reverse("verification:gain_create", args=[case.pk]),
        {"cause": "heat_data", "allocation_change_t": "1e20", "emissions_change_t": "0"},
    )
    assert response.status_code == 400
    assert not GainComponent.objects.exists()


# Who sees what -------------------------------------------------------------------------------


def test_it_lets_an_agency_see_only_its_own_cases_and_their_enterprises(
    personas, case, other_agency_user
):
    VerificationCaseFactory.create(
        enterprise=personas.enterprise_a, year=2021, agency=personas.agency
    )
    VerificationCaseFactory.create(enterprise=personas.enterprise_b, year=2022)
    from verification.permissions import cases_for_user

    assert {c.agency_id for c in cases_for_user(personas.agency_user)} == {personas.agency.pk}
    assert cases_for_user(personas.agency_user).count() == 2
    assert not cases_for_user(other_agency_user).exists()
    # Two cases of enterprise A, one row: the scoping uses a subquery, not a join.
    assert list(enterprises_for_user(personas.agency_user)) == [personas.enterprise_a]
    assert enterprise_list(personas.agency_user).count() == 1
    assert not enterprises_for_user(other_agency_user).exists()


def test_it_hides_the_checklist_and_gain_from_the_enterprise(client, case, personas):
    FindingFactory.create(case=case, description="NCV 化验频次不足")
    client.force_login(personas.enterprise_a_user)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "NCV 化验频次不足" in html
    assert 'id="checklist-title"' not in html
    assert 'id="gain-title"' not in html
    assert 'id="figures-title"' not in html  # the conclusion only once notified


def case_urls(case, finding, item, component):
    return {
        "list": reverse("verification:case_list"),
        "create": reverse("verification:case_create"),
        "detail": reverse("verification:case_detail", args=[case.pk]),
        "update": reverse("verification:case_update", args=[case.pk]),
        "transition": reverse("verification:case_transition", args=[case.pk]),
        "finding_create": reverse("verification:finding_create", args=[case.pk]),
        "finding_update": reverse("verification:finding_update", args=[finding.pk]),
        "finding_answer": reverse("verification:finding_answer", args=[finding.pk]),
        "checklist": reverse("verification:checklist_item_update", args=[item.pk]),
        "gain_create": reverse("verification:gain_create", args=[case.pk]),
        "objection": reverse("verification:objection_lodge", args=[case.pk]),
        "re_review": reverse("verification:re_review", args=[case.pk]),
        "templates": reverse("verification:templates"),
    }


# GET status per persona (None: anonymous → login redirect).
MATRIX = {
    #                 staff admin manager ent_a ent_b agency other_ag reviewer
    "list": (200, 200, 200, 200, 200, 200, 200, 200),
    "create": (200, 200, 403, 403, 403, 403, 403, 403),
    "detail": (200, 200, 200, 200, 404, 200, 404, 404),
    "update": (200, 200, 403, 403, 404, 200, 404, 404),
    "transition": (200, 200, 403, 403, 404, 200, 404, 404),
    "finding_create": (200, 200, 403, 403, 404, 200, 404, 404),
    "finding_update": (200, 200, 403, 403, 404, 200, 404, 404),
    "finding_answer": (403, 403, 403, 200, 404, 403, 404, 404),
    "checklist": (200, 200, 403, 403, 404, 200, 404, 404),
    "gain_create": (200, 200, 403, 403, 404, 403, 404, 404),
    "objection": (403, 403, 403, 200, 404, 403, 404, 404),
    "re_review": (200, 200, 200, 403, 404, 403, 404, 404),
    "templates": (200, 200, 200, 403, 403, 200, 200, 403),
}
PERSONAS = [
    "staff",
    "admin",
    "manager",
    "enterprise_a_user",
    "enterprise_b_user",
    "agency_user",
    "other_agency",
    "district_reviewer",
]


@pytest.mark.parametrize("view", list(MATRIX))
def test_it_applies_the_permission_matrix(client, personas, case, other_agency_user, view):
    finding = FindingFactory.create(case=case)
    item = case.checklist_items.first()
    component = GainComponentFactory.create(case=case)
    url = case_urls(case, finding, item, component)[view]
    assert client.get(url).status_code == 302  # anonymous → login
    for persona, expected in zip(PERSONAS, MATRIX[view], strict=True):
        user = other_agency_user if persona == "other_agency" else getattr(personas, persona)
        client.force_login(user)
        assert client.get(url).status_code == expected, (view, persona)


def test_it_lets_only_staff_remove_a_gain_component(client, personas, case, other_agency_user):
    component = GainComponentFactory.create(case=case)
    url = reverse("verification:gain_delete", args=[component.pk])
    for persona, expected in [
        ("agency_user", 403),
        ("enterprise_b_user", 404),
        ("enterprise_a_user", 403),
        ("staff", 302),
    ]:
        client.force_login(getattr(personas, persona))
        assert client.post(url).status_code == expected, persona
    assert not GainComponent.objects.exists()


def test_it_shows_each_cause_s_gain_and_freezes_the_causes_once_the_case_is_closed(
    client, personas, case
):
    component = GainComponentFactory.create(
        case=case, cause="heat_data", allocation_change_t=D("5000"), emissions_change_t=D("250")
    )
    services.case_update(case=case, actor=personas.staff, verified_emissions_t=D("118000"))
    _allocations(case.enterprise, approved=True)
    client.force_login(personas.staff)
    html = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="component-gain">5,250.000<' in html
    assert reverse("verification:gain_delete", args=[component.pk]) in html
    VerificationCase.objects.filter(pk=case.pk).update(status=CaseStatus.ARCHIVED)
    html = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="component-gain">5,250.000<' in html
    assert reverse("verification:gain_delete", args=[component.pk]) not in html
    assert reverse("verification:gain_create", args=[case.pk]) not in html
    assert client.post(reverse("verification:gain_delete", args=[component.pk])).status_code == 403
    response = client.post(
        reverse("verification:gain_create", args=[case.pk]),
        {"cause": "other", "allocation_change_t": "1", "emissions_change_t": "0"},
    )
    assert response.status_code == 400
    assert "The case is closed" in response.content.decode()
    assert list(GainComponent.objects.all()) == [component]


def test_it_answers_a_refused_transition_with_400(client, personas, case):
    client.force_login(personas.staff)
    response = client.post(
        reverse("verification:case_transition", args=[case.pk]), {"target": "concluded", "note": ""}
    )
    assert response.status_code == 400
    assert VerificationCase.objects.get(pk=case.pk).status == "arranged"


# Query counts --------------------------------------------------------------------------------


def test_it_pins_the_case_list_query_count(client, personas, django_assert_num_queries):
    for year in (2019, 2020, 2021):
        VerificationCaseFactory.create(
            enterprise=personas.enterprise_a, year=year, agency=personas.agency
        )
    client.force_login(personas.agency_user)
    # session, user, count, page of cases with enterprise, agency and finding counts, the
    # agencies the agency filter offers
    with django_assert_num_queries(5):
        response = client.get(reverse("verification:case_list"))
    assert response.status_code == 200


def test_it_pins_the_case_detail_query_count(client, personas, case, django_assert_num_queries):
    FindingFactory.create(case=case)
    FindingFactory.create(case=case)
    GainComponentFactory.create(case=case)
    client.force_login(personas.staff)
    # session, user, case (+enterprise, agency), may the user see the agency (to link it),
    # findings (+item), gain components, checklist, transitions (+actor), objection,
    # deadline settings, the allocation before and after (allocation's tag), 5 history tables
    with django_assert_num_queries(16):
        response = client.get(case.get_absolute_url())
    assert response.status_code == 200


def test_it_hides_the_verified_figure_from_the_enterprises_case_list(client, personas, case):
    services.case_update(case=case, actor=personas.staff, verified_emissions_t=D("118000"))
    client.force_login(personas.enterprise_a_user)
    html = client.get(reverse("verification:case_list")).content.decode()
    assert "118000" not in html and "118,000" not in html
    client.force_login(personas.staff)
    html = client.get(reverse("verification:case_list")).content.decode()
    assert "118000" in html or "118,000" in html


# Links in the heading ------------------------------------------------------------------------


def test_it_links_the_enterprise_for_every_role_that_sees_the_case(client, personas, case):
    # The shared scoping: whoever sees a case sees its enterprise, so the link never 404s.
    for persona in ["staff", "admin", "manager", "enterprise_a_user", "agency_user"]:
        client.force_login(getattr(personas, persona))
        html = client.get(case.get_absolute_url()).content.decode()
        assert f'href="{case.enterprise.get_absolute_url()}" data-testid="case-enterprise"' in html
        assert client.get(case.enterprise.get_absolute_url()).status_code == 200, persona


@pytest.mark.parametrize(
    ("persona", "linked"),
    [
        ("staff", True),
        ("admin", True),
        ("manager", True),
        ("agency_user", True),  # the case's own agency
        ("enterprise_a_user", False),
    ],
)
def test_it_links_the_agency_only_for_roles_that_see_agencies(
    client, personas, case, persona, linked
):
    client.force_login(getattr(personas, persona))
    html = client.get(case.get_absolute_url()).content.decode()
    agency_url = case.agency.get_absolute_url()
    assert ('data-testid="case-agency"' in html) is linked
    assert (f'href="{agency_url}"' in html) is linked
    assert case.agency.name_zh in html
    assert client.get(agency_url).status_code == (200 if linked else 404)


def test_it_wraps_the_case_figures_for_a_phone(client, personas, case):
    client.force_login(personas.staff)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "w-auto" not in html
    assert html.count('class="table-responsive"') >= 1


def test_it_shows_the_checklist_template_in_the_active_language(client, personas, template):
    template.name_en = "Power checkpoints"
    template.save()
    item = template.items.get(position=1)
    item.title_en = "Fuel consumption records"
    item.save()
    untranslated = template.items.get(position=2)
    client.force_login(personas.staff)
    url = template.get_absolute_url()

    def page(**headers):
        # The history below the table names objects as stored (their Chinese name): skip it.
        return client.get(url, **headers).content.decode().split('id="history"')[0].split("<h2")[0]

    english = page()
    assert '<h1 class="h3 mb-0">Power checkpoints</h1>' in english
    assert "Fuel consumption records" in english and item.title_zh not in english
    assert untranslated.title_zh in english  # no English title: the Chinese one
    chinese = page(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert f'<h1 class="h3 mb-0">{template.name_zh}</h1>' in chinese
    assert item.title_zh in chinese and "Fuel consumption records" not in chinese
    assert '<td class="text-nowrap"><a href' in chinese
    assert 'class="table-responsive"' in chinese
