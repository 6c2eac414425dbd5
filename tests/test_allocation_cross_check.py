"""Cross-verification of allocation data (DOMAIN §1.3): staff open a year, the bureau, the
agency and the enterprise enter their figures in turn, figures differing by more than the
tolerance are flagged and discussed, and the bureau approves; who sees and does what."""

from decimal import Decimal as D

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from allocation import services
from allocation.models import (
    AllocationSettings,
    CrossCheckStatus,
    DiscrepancyComment,
    Party,
    PartyFigures,
    UnitAllocation,
)
from enterprises.models import OperatingMode

from .factories import (
    ListingFactory,
    PartyFiguresFactory,
    UnitAllocationFactory,
    UnitFactory,
    VerificationCaseFactory,
)

S = CrossCheckStatus
OPEN_URL = reverse("allocation:unit_allocations_open")
LIST_URL = reverse("allocation:unit_allocation_list")


def url(name, record):
    return reverse(f"allocation:{name}", args=[record.pk])


def figures(**changes):
    """The figures form's payload: a 300 MW air-cooled CHP coal unit's 2022 figures."""
    data = {
        "supplied_mwh": "1000000",
        "generated_mwh": "",
        "heat_gj": "500000",
        "heat_ratio_percent": "25",
        "load_factor_percent": "",
        "cooling": "air",
        "operating_mode": "chp",
    }
    data.update(changes)
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def post(client, target, data) -> list[str]:
    """POST, follow the redirect, and read the messages the page shows (consuming them)."""
    response = client.post(target, data, follow=True)
    assert response.status_code == 200
    return messages_of(response)


@pytest.fixture
def unit_a(personas):
    return UnitFactory(facility__enterprise=personas.enterprise_a, code="#1")


@pytest.fixture
def case_a(personas):
    """The agency's case for enterprise A's 2022 data: the agency sees A's 2022 rows."""
    return VerificationCaseFactory(
        enterprise=personas.enterprise_a, year=2022, agency=personas.agency
    )


# Permission matrix --------------------------------------------------------------------------

PERSONAS = [
    "staff",
    "admin",
    "manager",
    "enterprise_a_user",
    "enterprise_b_user",
    "agency_user",  # before its agency has a case for enterprise A's 2022 data
    "agency_user_with_case",  # the same user, once the case exists
    "district_reviewer",
]
# A 302 here is the view's own redirect (back to the record), never the login page.
MATRIX = {
    # staff, admin, manager, enterprise A, enterprise B, agency, agency with case, reviewer
    "list": (200, 200, 200, 200, 200, 200, 200, 200),
    "open": (200, 200, 403, 403, 403, 403, 403, 403),
    "detail": (200, 200, 200, 200, 404, 404, 200, 404),
    "figures": (200, 200, 403, 403, 404, 404, 403, 404),
    "figures_at_agency": (403, 403, 403, 403, 404, 404, 200, 404),
    "figures_at_enterprise": (403, 403, 403, 200, 404, 404, 403, 404),
    "figures_when_approved": (403, 403, 403, 403, 404, 404, 403, 404),
    "step": (302, 302, 403, 403, 404, 404, 403, 404),
    "step_at_agency": (403, 403, 403, 403, 404, 404, 302, 404),
    "comment": (302, 302, 403, 302, 404, 404, 302, 404),
    "comment_when_approved": (403, 403, 403, 403, 404, 404, 403, 404),
}
# view → (status of enterprise A's 2022 record, URL name, POST data or None for a GET)
REQUESTS = {
    "list": (S.PRELIMINARY, None, None),
    "open": (S.PRELIMINARY, None, None),
    "detail": (S.PRELIMINARY, "unit_allocation_detail", None),
    "figures": (S.PRELIMINARY, "party_figures_edit", None),
    "figures_at_agency": (S.AGENCY, "party_figures_edit", None),
    "figures_at_enterprise": (S.ENTERPRISE, "party_figures_edit", None),
    "figures_when_approved": (S.APPROVED, "party_figures_edit", None),  # the bureau's turn
    # Without figures the step is refused with a message: the redirect back to the record.
    "step": (S.PRELIMINARY, "unit_allocation_step", {"to": S.AGENCY}),
    "step_at_agency": (S.AGENCY, "unit_allocation_step", {"to": S.ENTERPRISE}),
    "comment": (S.PRELIMINARY, "discrepancy_comment", {"field": "heat_gj", "text": "Why?"}),
    "comment_when_approved": (
        S.APPROVED,
        "discrepancy_comment",
        {"field": "heat_gj", "text": "Why?"},
    ),
}


def _request(client, view, record):
    _status, name, data = REQUESTS[view]
    target = {"list": LIST_URL, "open": OPEN_URL}.get(view) or url(name, record)
    return client.post(target, data) if data is not None else client.get(target)


@pytest.mark.parametrize("view", list(MATRIX))
def test_it_applies_the_permission_matrix(client, personas, unit_a, view):
    status = REQUESTS[view][0]
    record = UnitAllocationFactory(
        unit=unit_a,
        status=status,
        approved_allocation_t=D("1000") if status == S.APPROVED else None,
    )
    login = resolve_url(settings.LOGIN_URL)
    response = _request(client, view, record)
    assert (response.status_code, response.url.split("?")[0]) == (302, login)
    for persona, expected in zip(PERSONAS, MATRIX[view], strict=True):
        if persona == "agency_user_with_case":
            VerificationCaseFactory(
                enterprise=personas.enterprise_a, year=2022, agency=personas.agency
            )
        client.force_login(getattr(personas, persona.removesuffix("_with_case")))
        response = _request(client, view, record)
        assert response.status_code == expected, persona
        if expected == 302:
            assert response.url.startswith(record.get_absolute_url()), persona


def test_it_allows_only_posts_to_the_step_and_comment_views(client, personas, unit_a):
    record = UnitAllocationFactory(unit=unit_a)
    client.force_login(personas.staff)
    assert client.get(url("unit_allocation_step", record)).status_code == 405
    assert client.get(url("discrepancy_comment", record)).status_code == 405


# The journey ---------------------------------------------------------------------------------


def test_it_walks_the_figures_through_the_three_parties(client, personas, unit_a, case_a):
    AllocationSettings.current()  # tolerance 1%
    client.force_login(personas.staff)
    response = client.post(
        OPEN_URL, {"year": "2022", "enterprise": personas.enterprise_a.pk}, follow=True
    )
    assert messages_of(response) == ["Allocation data for 2022 was opened for 1 unit."]
    record = UnitAllocation.objects.get(unit=unit_a, year=2022)
    figures_url, step_url = url("party_figures_edit", record), url("unit_allocation_step", record)
    comment_url, detail_url = url("discrepancy_comment", record), record.get_absolute_url()

    # The bureau's preliminary calculation, prefilled from the registry's unit.
    form = client.get(figures_url).context["form"]
    assert form.initial == {"cooling": "air", "operating_mode": "chp"}
    assert post(client, figures_url, figures()) == ["Your figures were saved."]
    bureau = PartyFigures.objects.get(unit_allocation=record, party=Party.BUREAU)
    assert (bureau.heat_ratio, bureau.load_factor) == (D("0.25"), None)  # 25% → a fraction
    assert post(client, step_url, {"to": S.AGENCY}) == [
        "The allocation data moved on: With the verification agency."
    ]
    record.refresh_from_db()
    assert record.status == S.AGENCY
    # 2022, coal ≤ 300 MW, air-cooled CHP (F_load does not apply to CHP units in 2022):
    # 0.8729 × 1 000 000 MWh × 1.05 × (1 − 0.22 × 0.25) = 866 135.025 t
    # + 0.1105 × 500 000 GJ = 55 250 t → 921 385.025 t
    assert record.preliminary_allocation_t == D("921385.025")

    # The agency starts from the bureau's figures, ratios as percentages.
    client.force_login(personas.agency_user)
    form = client.get(figures_url).context["form"]
    assert (form.initial["supplied_mwh"], form.initial["heat_ratio_percent"]) == ("1000000", "25")
    # Electricity +0.5% (within the 1% tolerance), heat +4% (beyond it).
    assert post(client, figures_url, figures(supplied_mwh="1005000", heat_gj="520000")) == [
        "Your figures were saved."
    ]
    page = client.get(detail_url)
    assert [row.name for row in page.context["flagged"]] == ["heat_gj"]
    html = page.content.decode()
    assert html.count('data-testid="differs"') == 1
    assert "differs by more than 1%" in html
    assert "1,005,000 MWh" in html and "520,000 GJ" in html and "25%" in html
    assert "921,385.025 t" in html
    comment = {"field": "heat_gj", "text": "Heat meter read on site."}
    assert post(client, comment_url, comment) == ["Your comment was added."]
    assert post(client, step_url, {"to": S.ENTERPRISE}) == [
        "The allocation data moved on: With the enterprise for review."
    ]

    # The enterprise comments, then confirms the agency's figures as they stand.
    client.force_login(personas.enterprise_a_user)
    form = client.get(figures_url).context["form"]
    assert form.initial["heat_gj"] == "520000"  # from the agency's figures
    assert post(client, comment_url, {"field": "heat_gj", "text": "Agreed."})
    assert post(client, step_url, {"to": S.CONFIRMED}) == [
        "The allocation data moved on: Confirmed by the enterprise."
    ]
    record.refresh_from_db()
    assert record.status == S.CONFIRMED

    # The bureau approves the allocation of the confirmed figures.
    client.force_login(personas.staff)
    assert post(client, step_url, {"to": S.APPROVED}) == ["The allocation data moved on: Approved."]
    record.refresh_from_db()
    assert record.status == S.APPROVED
    # 0.8729 × 1 005 000 × 1.05 × 0.945 = 870 465.700125 + 0.1105 × 520 000 = 57 460
    assert record.approved_allocation_t == D("927925.700")

    # Reopening needs a note.
    assert post(client, step_url, {"to": S.PRELIMINARY, "note": " "}) == [
        "Say why the approved allocation is reopened."
    ]
    record.refresh_from_db()
    assert record.status == S.APPROVED
    post(client, step_url, {"to": S.PRELIMINARY, "note": "The heat meter was recalibrated."})
    record.refresh_from_db()
    assert (record.status, record.approved_allocation_t) == (S.PRELIMINARY, None)

    staff, agency, enterprise = personas.staff, personas.agency_user, personas.enterprise_a_user
    assert [
        (step.from_status, step.to_status, step.actor) for step in record.status_changes.all()
    ] == [
        ("", S.PRELIMINARY, staff),
        (S.PRELIMINARY, S.AGENCY, staff),
        (S.AGENCY, S.ENTERPRISE, agency),
        (S.ENTERPRISE, S.CONFIRMED, enterprise),
        (S.CONFIRMED, S.APPROVED, staff),
        (S.APPROVED, S.PRELIMINARY, staff),
    ]
    assert [(row.status, row.history_user) for row in record.history.order_by("history_date")] == [
        (S.PRELIMINARY, staff),
        (S.AGENCY, staff),
        (S.ENTERPRISE, agency),
        (S.CONFIRMED, enterprise),
        (S.APPROVED, staff),
        (S.PRELIMINARY, staff),
    ]
    assert {
        (row.party, row.history_user)
        for row in PartyFigures.history.filter(unit_allocation_id=record.pk)
    } == {(Party.BUREAU, staff), (Party.AGENCY, agency), (Party.ENTERPRISE, enterprise)}
    assert [(c.party, c.author) for c in record.comments.all()] == [
        (Party.AGENCY, agency),
        (Party.ENTERPRISE, enterprise),
    ]
    html = client.get(detail_url).content.decode()
    assert "The heat meter was recalibrated." in html  # the steps list
    assert "Heat meter read on site." in html and "Agreed." in html


def test_it_flags_by_the_tolerance_set_by_staff(client, personas, unit_a):
    settings_row = AllocationSettings.current()
    settings_row.tolerance_ratio = D("0.05")
    settings_row.save()
    record = UnitAllocationFactory(unit=unit_a, status=S.AGENCY)
    PartyFiguresFactory(unit_allocation=record, party=Party.BUREAU)
    PartyFiguresFactory(unit_allocation=record, party=Party.AGENCY, heat_gj=D("520000"))
    client.force_login(personas.staff)
    page = client.get(record.get_absolute_url())
    assert page.context["flagged"] == []  # 4% is within 5%
    PartyFigures.objects.filter(party=Party.AGENCY).update(heat_gj=D("530000"))
    page = client.get(record.get_absolute_url())
    assert [row.name for row in page.context["flagged"]] == ["heat_gj"]  # 6% is not
    assert "differs by more than 5%" in page.content.decode()


def test_it_opens_every_listed_enterprise_once(client, personas, unit_a):
    UnitFactory(facility=unit_a.facility, code="#2")
    UnitFactory(facility__enterprise=personas.enterprise_b)  # not listed in 2022
    ListingFactory(enterprise=personas.enterprise_a, year=2022)
    client.force_login(personas.staff)
    response = client.post(OPEN_URL, {"year": "2022"}, follow=True)
    assert messages_of(response) == ["Allocation data for 2022 was opened for 2 units."]
    assert UnitAllocation.objects.filter(year=2022).count() == 2
    response = client.post(OPEN_URL, {"year": "2022"}, follow=True)
    assert messages_of(response) == ["Every unit chosen already had allocation data for 2022."]
    assert UnitAllocation.objects.count() == 2


def test_it_refuses_to_open_a_year_without_a_rule_set_or_units(client, personas, unit_a):
    client.force_login(personas.staff)
    response = client.post(OPEN_URL, {"year": "2018", "enterprise": personas.enterprise_a.pk})
    assert response.status_code == 400
    assert "year" in response.context["form"].errors
    response = client.post(OPEN_URL, {"year": "2022", "enterprise": personas.enterprise_b.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["enterprise"] == [
        "The registry records no generating unit for it."
    ]
    response = client.post(OPEN_URL, {"year": "2022"})  # nobody listed in 2022
    assert response.status_code == 400
    assert UnitAllocation.objects.count() == 0


# Bad input -----------------------------------------------------------------------------------


def test_it_refuses_bad_figures_next_to_the_field_and_saves_nothing(client, personas):
    unit = UnitFactory(
        facility__enterprise=personas.enterprise_a, operating_mode=OperatingMode.CONDENSING
    )
    record = UnitAllocationFactory(unit=unit)
    client.force_login(personas.staff)
    response = client.post(
        url("party_figures_edit", record),
        figures(supplied_mwh="-5", heat_ratio_percent="120", operating_mode="condensing"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["supplied_mwh"] == ["Ensure this value is greater than or equal to 0."]
    assert errors["heat_ratio_percent"] == ["Ensure this value is less than or equal to 100."]
    # A condensing conventional-coal unit is corrected for its load factor in 2022.
    assert errors["load_factor_percent"] == [
        "The 2022 rules correct this unit for its load factor: enter it."
    ]
    html = response.content.decode()
    assert "Ensure this value is less than or equal to 100." in html
    assert PartyFigures.objects.count() == 0
    # The rules' electricity is required; a load factor lets the condensing unit through.
    response = client.post(url("party_figures_edit", record), figures(supplied_mwh=""))
    assert response.status_code == 400
    assert "supplied_mwh" in response.context["form"].errors
    response = client.post(
        url("party_figures_edit", record),
        figures(operating_mode="condensing", load_factor_percent="72.5"),
    )
    assert response.status_code == 302
    assert PartyFigures.objects.get().load_factor == D("0.725")


@pytest.mark.parametrize(
    ("status", "persona", "data", "message"),
    [
        (
            S.PRELIMINARY,
            "staff",
            {"to": S.APPROVED},
            "This unit allocation cannot go from “Bureau's preliminary calculation” to “Approved”.",
        ),
        (S.PRELIMINARY, "staff", {"to": "nowhere"}, "That step is not one these figures can take."),
        (
            S.PRELIMINARY,
            "staff",
            {"to": S.AGENCY},
            "Bureau (preliminary) has not entered its figures yet.",
        ),
        (S.ENTERPRISE, "enterprise_a_user", {"to": S.AGENCY}, "Say what the enterprise disputes."),
    ],
)
def test_it_refuses_a_step_with_a_message_and_changes_nothing(
    client, personas, unit_a, status, persona, data, message
):
    record = UnitAllocationFactory(unit=unit_a, status=status)
    client.force_login(getattr(personas, persona))
    response = client.post(url("unit_allocation_step", record), data, follow=True)
    assert response.status_code == 200
    assert messages_of(response) == [message]
    record.refresh_from_db()
    assert record.status == status
    assert record.status_changes.count() == 0


def test_it_refuses_an_empty_comment_next_to_the_field(client, personas, unit_a):
    record = UnitAllocationFactory(unit=unit_a)
    client.force_login(personas.enterprise_a_user)
    response = client.post(url("discrepancy_comment", record), {"field": "heat_gj", "text": ""})
    assert response.status_code == 400
    assert response.context["comment_form"].errors["text"] == ["This field is required."]
    assert DiscrepancyComment.objects.count() == 0


# Who sees which rows ------------------------------------------------------------------------


def _listed(client, user, **params) -> set[int]:
    client.force_login(user)
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return {row.record.pk for row in response.context["table"].rows}


def test_it_never_shows_enterprise_b_the_rows_of_enterprise_a(client, personas, unit_a):
    a_2022 = UnitAllocationFactory(unit=unit_a)
    a_2021 = UnitAllocationFactory(unit=unit_a, year=2021)
    b_2022 = UnitAllocationFactory(unit__facility__enterprise=personas.enterprise_b)
    assert _listed(client, personas.enterprise_b_user) == {b_2022.pk}
    assert _listed(client, personas.enterprise_a_user) == {a_2022.pk, a_2021.pk}
    html = client.get(LIST_URL).content.decode()
    assert personas.enterprise_b.name_zh not in html
    client.force_login(personas.enterprise_b_user)
    assert client.get(a_2022.get_absolute_url()).status_code == 404


def test_it_shows_an_agency_only_the_enterprises_and_years_of_its_cases(
    client, personas, unit_a, case_a
):
    a_2022 = UnitAllocationFactory(unit=unit_a)
    a_2021 = UnitAllocationFactory(unit=unit_a, year=2021)
    b_2022 = UnitAllocationFactory(unit__facility__enterprise=personas.enterprise_b)
    VerificationCaseFactory(enterprise=personas.enterprise_b, year=2022)  # another agency's
    assert _listed(client, personas.agency_user) == {a_2022.pk}
    assert client.get(a_2021.get_absolute_url()).status_code == 404
    assert client.get(b_2022.get_absolute_url()).status_code == 404


def test_it_filters_the_list_by_year_status_and_enterprise_name(client, personas, unit_a):
    a_2022 = UnitAllocationFactory(unit=unit_a, status=S.AGENCY)
    a_2021 = UnitAllocationFactory(unit=unit_a, year=2021)
    b_2022 = UnitAllocationFactory(unit__facility__enterprise=personas.enterprise_b)
    staff = personas.staff
    assert _listed(client, staff, year=2021) == {a_2021.pk}
    assert _listed(client, staff, status=S.PRELIMINARY) == {a_2021.pk, b_2022.pk}
    assert _listed(client, staff, q=personas.enterprise_b.name_zh) == {b_2022.pk}
    assert _listed(client, staff, q="甲", year=2022) == {a_2022.pk}
    html = client.get(LIST_URL, {"year": 2030}).content.decode()
    assert "No allocation data matches these filters." in html
    UnitAllocation.objects.filter(pk=a_2022.pk).update(preliminary_allocation_t=D("921385.025"))
    assert "921,385.025 t" in client.get(LIST_URL).content.decode()
    export = client.get(LIST_URL, {"_export": "csv", "year": 2022}).content.decode()
    assert "921385.025" in export and personas.enterprise_b.name_zh in export


def test_it_shows_the_open_button_to_staff_only(client, personas):
    client.force_login(personas.staff)
    assert 'data-testid="open-year"' in client.get(LIST_URL).content.decode()
    client.force_login(personas.manager)
    assert 'data-testid="open-year"' not in client.get(LIST_URL).content.decode()


def test_it_offers_the_steps_the_capabilities_allow(client, personas, unit_a, case_a):
    record = UnitAllocationFactory(unit=unit_a, status=S.ENTERPRISE)
    client.force_login(personas.enterprise_a_user)
    html = client.get(record.get_absolute_url()).content.decode()
    assert 'data-testid="step-confirmed"' in html and 'data-testid="step-agency"' in html
    assert 'data-testid="enter-figures"' in html and 'data-testid="comment-form"' in html
    client.force_login(personas.agency_user)
    html = client.get(record.get_absolute_url()).content.decode()
    assert 'data-testid="step-' not in html and 'data-testid="enter-figures"' not in html
    assert 'data-testid="comment-form"' in html
    client.force_login(personas.manager)
    html = client.get(record.get_absolute_url()).content.decode()
    assert 'data-testid="step-' not in html and 'data-testid="comment-form"' not in html


# Query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["staff", "agency_user"])
def test_it_pins_the_list_queries_whatever_the_number_of_rows(
    client, personas, unit_a, case_a, django_assert_num_queries, persona
):
    client.force_login(getattr(personas, persona))
    for rows in (2, 6):
        while UnitAllocation.objects.count() < rows:
            UnitAllocationFactory(unit__facility__enterprise=personas.enterprise_a)
        # session, user, count, page of rows (+unit, facility, enterprise; the agency's
        # cases as a subquery)
        with django_assert_num_queries(4):
            response = client.get(LIST_URL)
        assert len(response.context["table"].page.object_list) == rows


def test_it_pins_the_detail_queries(client, personas, unit_a, django_assert_num_queries):
    AllocationSettings.current()
    record = UnitAllocationFactory(unit=unit_a)
    services.party_figures_save(
        unit_allocation=record,
        fields={
            "supplied_mwh": D("1000000"),
            "generated_mwh": None,
            "heat_gj": D("500000"),
            "heat_ratio": D("0.25"),
            "load_factor": None,
            "cooling": "air",
            "operating_mode": "chp",
        },
        actor=personas.staff,
    )
    services.unit_allocation_advance(unit_allocation=record, to=S.AGENCY, actor=personas.staff)
    PartyFiguresFactory(unit_allocation=record, party=Party.AGENCY, heat_gj=D("520000"))
    services.discrepancy_comment_add(
        unit_allocation=record, field="heat_gj", text="Why?", actor=personas.staff
    )
    client.force_login(personas.staff)
    # session, user, the record (getter: +unit, facility, enterprise), the record again with
    # its figures (+entered by), comments (+author) and steps (+actor), the allocation
    # settings, the history of the record, of the figures and of the comments: 11, whatever
    # the number of history rows (their labels follow no foreign key).
    with django_assert_num_queries(11):
        response = client.get(record.get_absolute_url())
    assert response.status_code == 200
