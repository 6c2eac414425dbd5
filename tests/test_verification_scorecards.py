"""Verification-agency scorecards: the figures on hand-worked cases walked through the real
services, the periods behind "on time", the case list each count links to, who sees which
rows, the query count, the export and the demo's 2022 gains."""

from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from baotou_carbon.accounts.roles import Role
from enterprises.models import VerificationAgency
from verification import services
from verification.calculations import case_timeliness
from verification.models import (
    CaseStatus,
    ChecklistItem,
    DayKind,
    DeadlineSettings,
    FindingStatus,
    Holiday,
    ItemResult,
    ObjectionOutcome,
    VerificationCase,
)
from verification.selectors import (
    ScorecardMark,
    agency_scorecards,
    scorecard_cases,
    scorecards_total,
)

from .factories import (
    AgencyFactory,
    ChecklistTemplateItemFactory,
    EnterpriseFactory,
    UserFactory,
)

D = Decimal
URL = reverse("verification:scorecards")
YEAR = 2022
# The story: notified in May 2023; the scorecards read on Monday 3 July 2023.
TODAY = date(2023, 7, 3)
NOTIFIED_ON = date(2023, 5, 15)  # a Monday: objection period (7 working days) to 24 May


@pytest.fixture
def template(db):
    item = ChecklistTemplateItemFactory.create(position=1, checkpoint="fuel_consumption")
    return item.template


@pytest.fixture
def whit_monday(db):
    """A weekday off inside the re-review periods: every one of them ends a day later."""
    return Holiday.objects.create(date=date(2023, 5, 22), kind=DayKind.HOLIDAY, name="测试假日")


class Walk:
    """Cases built with the real services, so their status changes and history exist."""

    def __init__(self, personas, template):
        self.p = personas
        self.template = template

    def open(self, agency, *, enterprise=None, findings=()):
        enterprise = enterprise or EnterpriseFactory.create()
        case = services.case_create(
            template=self.template,
            actor=self.p.staff,
            enterprise=enterprise,
            year=YEAR,
            agency=agency,
            reported_emissions_t=D("100000"),
        )
        for target in ("working_group", "document_review", "onsite_team", "onsite"):
            case = services.case_transition(case=case, target=target, actor=self.p.staff)
        for status in findings:
            services.finding_create(
                case=case,
                actor=self.p.staff,
                description="入炉煤量未扣减库存",
                rectification_deadline=date(2023, 4, 28),
                status=status,
                conservative_estimate_t=D("10") if status == FindingStatus.UNRECTIFIED else None,
                estimate_basis="按设计值估算" if status == FindingStatus.UNRECTIFIED else "",
            )
        return case

    def notified(self, agency, *, on=NOTIFIED_ON, **kwargs):
        case = self.open(agency, **kwargs)
        ChecklistItem.objects.filter(case=case).update(result=ItemResult.CONFORMING)
        case = services.case_update(
            case=case, actor=self.p.staff, verified_emissions_t=D("99000"), conclusion="结论"
        )
        case = services.case_transition(case=case, target="concluded", actor=self.p.staff)
        return services.case_transition(case=case, target="notified", actor=self.p.staff, on=on)

    def objected(self, agency, *, lodged_on, **kwargs):
        case = self.notified(agency, **kwargs)
        objector = UserFactory.create(role=Role.ENTERPRISE, enterprise=case.enterprise)
        services.objection_lodge(case=case, grounds="检测报告应采信", actor=objector, on=lodged_on)
        return VerificationCase.objects.get(pk=case.pk)

    def decided(self, agency, *, lodged_on, decided_on, outcome, corrected=None, **kwargs):
        case = self.objected(agency, lodged_on=lodged_on, **kwargs)
        services.re_review_decide(
            case=case,
            outcome=outcome,
            decision="复核决定",
            actor=self.p.manager,
            verified_emissions_t=corrected,
            on=decided_on,
        )
        return VerificationCase.objects.get(pk=case.pk)

    def gain(self, case, allocation_t, emissions_t):
        services.gain_component_create(
            case=case,
            actor=self.p.staff,
            cause="measured_carbon",
            allocation_change_t=D(allocation_t),
            emissions_change_t=D(emissions_t),
        )


@pytest.fixture
def walk(personas, template):
    return Walk(personas, template)


@pytest.fixture
def story(personas, walk, whit_monday):
    """Three agencies. The persona's agency (X), seven cases:

    1. notified 15 May, archived 30 Jun, 3 findings (2 rectified, 1 unrectified), gain 100 + 50:
       on time (objection period over);
    2. objected Fri 19 May, upheld 31 May with a corrected figure (deadline 5 Jun), gain 200:
       on time, objection upheld, re-review changes the figures; 1 rectified finding;
    3. objected Thu 18 May, rejected Fri 2 Jun: its deadline, 2 Jun only thanks to the
       holiday of 22 May: on time;
    4. objected 19 May, partly upheld 9 Jun with no figure changed (deadline 5 Jun): late,
       objection upheld, figures unchanged;
    5. still on site with 1 open finding: not due;
    6. notified Wed 28 Jun, objection period to 7 Jul: not due on 3 Jul;
    7. notified 1 Jun, objected 2 Jun, undecided on 3 Jul (deadline 16 Jun): late.

    Agency Y: one case notified 15 May, not archived, 1 unrectified finding, no gain: on time.
    Agency Z: no case.
    """
    x, y, z = personas.agency, AgencyFactory.create(name_zh="乙核查"), AgencyFactory.create()
    cases = {}
    cases[1] = walk.notified(
        x,
        enterprise=personas.enterprise_a,
        findings=[FindingStatus.RECTIFIED, FindingStatus.RECTIFIED, FindingStatus.UNRECTIFIED],
    )
    walk.gain(cases[1], "100", "50")
    services.case_transition(
        case=cases[1], target="archived", actor=personas.staff, on=date(2023, 6, 30)
    )
    cases[2] = walk.decided(
        x,
        enterprise=personas.enterprise_b,
        findings=[FindingStatus.RECTIFIED],
        lodged_on=date(2023, 5, 19),
        decided_on=date(2023, 5, 31),
        outcome=ObjectionOutcome.UPHELD,
        corrected=D("98000"),
    )
    walk.gain(cases[2], "0", "200")
    cases[3] = walk.decided(
        x,
        lodged_on=date(2023, 5, 18),
        decided_on=date(2023, 6, 2),
        outcome=ObjectionOutcome.REJECTED,
    )
    cases[4] = walk.decided(
        x,
        lodged_on=date(2023, 5, 19),
        decided_on=date(2023, 6, 9),
        outcome=ObjectionOutcome.PARTLY_UPHELD,
    )
    cases[5] = walk.open(x, findings=[FindingStatus.OPEN])
    cases[6] = walk.notified(x, on=date(2023, 6, 28))
    cases[7] = walk.objected(x, on=date(2023, 6, 1), lodged_on=date(2023, 6, 2))
    cases["y"] = walk.notified(y, findings=[FindingStatus.UNRECTIFIED])
    return {"x": x, "y": y, "z": z, "cases": cases}


def by_agency(cards):
    return {card.agency.pk: card for card in cards}


# The figures ---------------------------------------------------------------------------------


def test_it_works_out_the_figures_of_the_hand_worked_cases(story):
    cards = by_agency(agency_scorecards(year=YEAR, today=TODAY))
    x = cards[story["x"].pk]
    assert (x.cases, x.on_time, x.late, x.not_due) == (7, 3, 2, 2)
    assert x.on_time_share == D(3) / D(5)
    assert (x.findings, x.findings_rectified) == (5, 3)
    assert x.findings_per_case == D(5) / D(7)
    assert x.rectified_share == D(3) / D(5)
    assert (x.objections, x.objections_overturned) == (4, 2)
    assert (x.re_reviews, x.re_reviews_overturned) == (3, 1)
    assert x.gain_t == D("350.000")

    y = cards[story["y"].pk]
    assert (y.cases, y.on_time, y.late, y.not_due) == (1, 1, 0, 0)
    assert y.on_time_share == D(1)
    assert (y.findings, y.findings_rectified, y.rectified_share) == (1, 0, D(0))
    assert (y.objections, y.re_reviews, y.gain_t) == (0, 0, D(0))


def test_it_gives_an_agency_without_cases_zeros_and_no_shares(story):
    z = by_agency(agency_scorecards(year=YEAR, today=TODAY))[story["z"].pk]
    assert (z.cases, z.on_time, z.late, z.not_due, z.findings, z.objections) == (0,) * 6
    assert z.gain_t == D(0)
    assert z.on_time_share is None
    assert z.findings_per_case is None
    assert z.rectified_share is None
    assert z.objections_overturned_share is None


def test_it_totals_the_counts_and_recomputes_the_shares(story):
    cards = agency_scorecards(year=YEAR, today=TODAY)
    total = scorecards_total(cards, year=YEAR)
    assert total.agency is None
    assert (total.cases, total.on_time, total.late, total.not_due) == (8, 4, 2, 2)
    assert total.on_time_share == D(4) / D(6)
    assert (total.findings, total.findings_rectified) == (6, 3)
    assert total.gain_t == D("350.000")


def test_it_counts_a_case_in_its_objection_period_as_not_yet_due_then_on_time(story):
    sixth = story["cases"][6]  # notified Wed 28 Jun: 7 working days → Fri 7 Jul
    on_last_day = scorecard_cases(VerificationCase.objects.all(), "not_due", today=date(2023, 7, 7))
    assert sixth in on_last_day
    after = scorecard_cases(VerificationCase.objects.all(), "on_time", today=date(2023, 7, 8))
    assert sixth in after
    x = by_agency(agency_scorecards(year=YEAR, today=date(2023, 7, 8)))[story["x"].pk]
    assert (x.on_time, x.not_due) == (4, 1)


def test_it_follows_the_working_day_calendar_and_the_configured_periods(story, whit_monday):
    third = story["cases"][3]  # rejected on 2 Jun: on time only because 22 May is off
    assert third in scorecard_cases(VerificationCase.objects.all(), "on_time", today=TODAY)
    whit_monday.delete()
    assert third in scorecard_cases(VerificationCase.objects.all(), "late", today=TODAY)
    settings_row = DeadlineSettings.current()
    settings_row.re_review_working_days = 15
    settings_row.save()
    assert third in scorecard_cases(VerificationCase.objects.all(), "on_time", today=TODAY)


def test_it_counts_only_the_year_and_the_agencies_asked_for(story, walk, personas):
    later = walk.open(personas.agency)
    VerificationCase.objects.filter(pk=later.pk).update(year=YEAR + 1)
    cards = agency_scorecards(year=YEAR, agency_ids=[story["y"].pk], today=TODAY)
    assert [c.agency for c in cards] == [story["y"]]
    next_year = by_agency(agency_scorecards(year=YEAR + 1, today=TODAY))
    assert next_year[personas.agency.pk].cases == 1
    assert next_year[story["y"].pk].cases == 0


OBJECT_BY = date(2023, 5, 24)  # the objection deadline
DECIDE_BY = date(2023, 6, 5)  # the re-review deadline
LODGED = date(2023, 5, 19)


@pytest.mark.parametrize(
    ("objection_deadline", "closed", "lodged_on", "decided_on", "today", "expected"),
    [
        pytest.param(None, False, None, None, date(2030, 1, 1), "not_due", id="never-notified"),
        pytest.param(OBJECT_BY, False, None, None, OBJECT_BY, "not_due", id="last-day-to-object"),
        pytest.param(OBJECT_BY, False, None, None, date(2023, 5, 25), "on_time", id="period-over"),
        pytest.param(OBJECT_BY, True, None, None, OBJECT_BY, "on_time", id="closed"),
        pytest.param(OBJECT_BY, False, LODGED, None, DECIDE_BY, "not_due", id="last-day-to-decide"),
        pytest.param(OBJECT_BY, False, LODGED, None, date(2023, 6, 6), "late", id="undecided-late"),
        pytest.param(
            OBJECT_BY, False, LODGED, DECIDE_BY, date(2023, 6, 6), "on_time", id="decided"
        ),
        pytest.param(
            OBJECT_BY, False, LODGED, date(2023, 6, 6), date(2023, 6, 6), "late", id="decided-late"
        ),
    ],
)
def test_it_tells_whether_a_case_kept_its_periods(
    objection_deadline, closed, lodged_on, decided_on, today, expected
):
    assert (
        case_timeliness(
            today=today,
            objection_deadline=objection_deadline,
            closed=closed,
            lodged_on=lodged_on,
            decided_on=decided_on,
            re_review_deadline=DECIDE_BY if lodged_on else None,
        )
        == expected
    )


# The page and its links ----------------------------------------------------------------------


def cell(html: str, row: str, column: str) -> str:
    """The text of the cell `column` of the row `row` (testids), links stripped."""
    start = html.index(f'data-testid="{row}"')
    at = html.index(f'data-testid="{column}"', start)
    return html[html.index(">", at) + 1 : html.index("<", at)]


@pytest.mark.date_sensitive(today="2023-07-03")
def test_it_shows_a_row_per_agency_a_total_and_the_rules(client, personas, story):
    client.force_login(personas.manager)
    response = client.get(URL, {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    row = f"scorecard-{story['x'].pk}"
    assert cell(html, row, "cases") == "7"
    assert cell(html, row, "on_time") == "3"
    assert cell(html, row, "on_time_share") == "60.0%"
    assert cell(html, row, "findings_per_case") == "0.71"
    assert cell(html, row, "re_reviews_overturned") == "1"
    assert cell(html, row, "gain_t") == "350.000"
    assert cell(html, f"scorecard-{story['z'].pk}", "on_time_share") == "—"
    assert cell(html, "scorecard-total", "cases") == "8"
    assert cell(html, "scorecard-total", "on_time_share") == "66.7%"
    assert "within 7 working days of being notified" in html
    assert "within 10 working days of its lodging" in html


@pytest.mark.date_sensitive(today="2023-07-03")
def test_it_links_every_count_to_the_cases_it_counts(client, personas, story):
    client.force_login(personas.staff)
    html = client.get(URL).content.decode()  # the latest year with cases: 2022
    row = f"scorecard-{story['x'].pk}"
    columns = {
        "cases": "",
        "on_time": ScorecardMark.ON_TIME,
        "late": ScorecardMark.LATE,
        "not_due": ScorecardMark.NOT_DUE,
        "findings": ScorecardMark.WITH_FINDINGS,
        "findings_rectified": ScorecardMark.WITH_RECTIFIED,
        "objections": ScorecardMark.OBJECTED,
        "objections_overturned": ScorecardMark.OBJECTION_OVERTURNED,
        "re_reviews": ScorecardMark.RE_REVIEWED,
        "re_reviews_overturned": ScorecardMark.RE_REVIEW_OVERTURNED,
    }
    # Cases the column counts (findings: the cases with findings, not the findings).
    expected = {
        "cases": {1, 2, 3, 4, 5, 6, 7},
        "on_time": {1, 2, 3},
        "late": {4, 7},
        "not_due": {5, 6},
        "findings": {1, 2, 5},
        "findings_rectified": {1, 2},
        "objections": {2, 3, 4, 7},
        "objections_overturned": {2, 4},
        "re_reviews": {2, 3, 4},
        "re_reviews_overturned": {2},
    }
    for column, mark in columns.items():
        params = {"year": YEAR, "agency": story["x"].pk}
        if mark:
            params["scorecard"] = mark
        link = f"{reverse('verification:case_list')}?{'&amp;'.join(f'{k}={v}' for k, v in params.items())}"
        start = html.index(f'data-testid="{row}"')
        assert html.index(f'href="{link}" data-testid="{column}"', start) > start, column
        listed = client.get(reverse("verification:case_list"), params).context["table"].data
        assert {r.pk for r in listed} == {story["cases"][n].pk for n in expected[column]}, column


@pytest.mark.date_sensitive(today="2023-07-03")
def test_it_defaults_to_the_latest_year_and_refuses_a_year_without_cases(client, personas, story):
    VerificationCase.objects.filter(pk=story["cases"][5].pk).update(year=2021)
    client.force_login(personas.staff)
    response = client.get(URL)
    assert response.context["year"] == YEAR
    assert [y for y, _label in response.context["form"].fields["year"].choices] == [2022, 2021]
    response = client.get(URL, {"year": 2019})
    assert response.status_code == 400
    assert "No verification case covers that year" in response.content.decode()
    assert client.get(URL, {"year": "abc"}).status_code == 400


def test_it_shows_an_empty_state_without_cases(client, personas):
    client.force_login(personas.staff)
    response = client.get(URL)
    assert response.status_code == 200
    assert 'data-testid="empty"' in response.content.decode()
    assert response.context["cards"] == []


# Who sees it ---------------------------------------------------------------------------------

MATRIX = {
    "admin": 200,
    "staff": 200,
    "manager": 200,
    "enterprise_a_user": 403,
    "enterprise_b_user": 403,
    "agency_user": 200,
    "district_reviewer": 403,
}


@pytest.mark.date_sensitive(today="2023-07-03")
def test_it_applies_the_permission_matrix(client, personas, story):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    for persona, expected in MATRIX.items():
        client.force_login(getattr(personas, persona))
        assert client.get(URL).status_code == expected, persona
        assert client.get(URL, {"_export": "xlsx"}).status_code == expected, persona


@pytest.mark.date_sensitive(today="2023-07-03")
def test_it_shows_an_agency_user_only_its_own_row(client, personas, story):
    client.force_login(personas.agency_user)
    response = client.get(URL)
    assert [c.agency for c in response.context["cards"]] == [personas.agency]
    assert response.context["total"].cases == 7
    html = response.content.decode()
    assert "乙核查" not in html


def test_it_offers_the_page_in_the_navigation_of_the_bureau_and_agencies(client, personas):
    for persona, shown in [
        ("manager", True),
        ("agency_user", True),
        ("enterprise_a_user", False),
        ("district_reviewer", False),
    ]:
        client.force_login(getattr(personas, persona))
        html = client.get(reverse("dashboard:home")).content.decode()
        assert (f'href="{URL}"' in html) is shown, persona


# Query count ---------------------------------------------------------------------------------


def agencies_with_cases(walk, count):
    """`count` agencies, each with one case of every kind that makes a query run: a finding,
    a gain, a notification (the periods) and a decided objection (the history)."""
    for _ in range(count):
        agency = AgencyFactory.create()
        case = walk.decided(
            agency,
            findings=[FindingStatus.RECTIFIED],
            lodged_on=date(2023, 5, 19),
            decided_on=date(2023, 5, 31),
            outcome=ObjectionOutcome.UPHELD,
            corrected=D("98000"),
        )
        walk.gain(case, "1", "1")
        walk.notified(agency)


@pytest.mark.date_sensitive(today="2023-07-03")
@pytest.mark.parametrize("agencies", [1, 5])
def test_it_pins_the_page_query_count_whatever_the_agencies(
    client, personas, walk, agencies, django_assert_num_queries
):
    # The persona's agency, without cases, leaves the list: only the counted agencies remain.
    VerificationAgency.objects.filter(pk=personas.agency.pk).update(is_active=False)
    agencies_with_cases(walk, agencies)
    DeadlineSettings.current()
    client.force_login(personas.staff)
    # session, user, years with cases, deadline settings, agencies, cases grouped by agency,
    # findings grouped, gains grouped, the notified cases (periods), the calendar, the
    # history of the re-reviewed cases
    with django_assert_num_queries(11):
        response = client.get(URL, {"year": YEAR})
    assert len(response.context["cards"]) == agencies
    assert response.context["total"].cases == 2 * agencies


# Export --------------------------------------------------------------------------------------


@pytest.mark.date_sensitive(today="2023-07-03")
def test_it_exports_the_same_figures_to_excel(client, personas, story):
    client.force_login(personas.staff)
    response = client.get(URL, {"year": YEAR, "_export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="verification-scorecards-2022-'
    )
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:6] == (
        "Verification agency",
        "Cases",
        "On time",
        "Late",
        "Not yet due",
        "On time (%)",
    )
    by_name = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    x = by_name[story["x"].name_zh]
    assert (x["Cases"], x["On time"], x["Late"], x["Not yet due"]) == (7, 3, 2, 2)
    assert D(str(x["On time (%)"])) == D("60.0")
    assert D(str(x["Findings per case"])) == D("0.71")
    assert D(str(x["Gains found (t)"])) == D("350")
    assert by_name[story["z"].name_zh]["Rectified (%)"] == "—"
    assert list(by_name)[-1] == "Total"
    assert by_name["Total"]["Cases"] == 8


# The demo ------------------------------------------------------------------------------------


@pytest.mark.date_sensitive(today="2024-06-01")
def test_it_finds_the_demo_s_118770_t_in_the_2022_scorecards(db):
    call_command("seed_demo", "--allow-without-debug", stdout=StringIO())
    cards = agency_scorecards(year=2022)
    assert sum((c.gain_t for c in cards), D(0)) == D("118770")
    assert scorecards_total(cards, year=2022).cases == 8
    # Every demo case was notified in May 2023 and closed: all on time; one upheld objection.
    total = scorecards_total(cards, year=2022)
    assert (total.on_time, total.late, total.not_due) == (8, 0, 0)
    assert (total.objections_overturned, total.re_reviews_overturned) == (1, 1)
    assert CaseStatus.ARCHIVED in set(VerificationCase.objects.values_list("status", flat=True))
