"""Journey: an enterprise user confirms its unit's allocation data, starts an allowance-advance
application, sees the eligibility pre-check, attaches a document and submits; staff forwards
it to the province and records the decision.

Fields and buttons are found by their ids, names, form actions and test ids, not their labels:
the labels are translated and the journey must not depend on a catalogue.
"""

import re
from decimal import Decimal

from django.utils import translation
from playwright.sync_api import Page, expect

from allocation import services
from allocation.models import CrossCheckStatus, ReliefApplication, ReliefStatus, UnitAllocation
from baotou_carbon.accounts.roles import Role
from enterprises.models import AllocationCategory, Cooling, OperatingMode
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    EnterpriseFactory,
    FacilityFactory,
    UnitFactory,
    UserFactory,
    VerificationCaseFactory,
)
from verification.models import CaseStatus

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
FIGURES = {
    "supplied_mwh": Decimal("1000000"),
    "generated_mwh": None,
    "heat_gj": Decimal("500000"),
    "heat_ratio": Decimal("0.25"),
    "load_factor": Decimal("0.80"),
    "cooling": Cooling.AIR,
    "operating_mode": OperatingMode.CHP,
}


def _log_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    password = page.get_by_label("密码")
    password.fill(PASSWORD)
    password.press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))


def _zh(label) -> str:
    """A status label as the page shows it: in Chinese, the browser's language."""
    with translation.override("zh-hans"):
        return str(label)


def _submit(page: Page, action: str) -> None:
    page.locator(f"form[action$='/{action}/'] button[type=submit]").click()


def test_it_confirms_allocation_data_then_applies_for_an_advance_through_to_the_decision(
    seeded_rule_sets, page: Page
):
    enterprise = EnterpriseFactory.create(name_zh="包头旅程铝业有限公司")
    unit = UnitFactory.create(
        facility=FacilityFactory.create(enterprise=enterprise),
        allocation_category=AllocationCategory.COAL_300_AND_BELOW,
        cooling=Cooling.AIR,
        operating_mode=OperatingMode.CHP,
    )
    agency = AgencyFactory.create()
    staff = UserFactory.create(username="journey_staff", role=Role.BUREAU_STAFF)
    agency_user = UserFactory.create(username="journey_agency", role=Role.AGENCY, agency=agency)
    UserFactory.create(username="journey_ent", role=Role.ENTERPRISE, enterprise=enterprise)
    # 2022 verified emissions 1,100,000 t against 921,385.025 t allocated: 16.24% short.
    VerificationCaseFactory.create(
        enterprise=enterprise,
        year=2022,
        agency=agency,
        status=CaseStatus.CONCLUDED,
        verified_emissions_t=Decimal("1100000"),
    )
    record = services.unit_allocation_create(unit=unit, year=2022, actor=staff)
    services.party_figures_save(unit_allocation=record, fields=FIGURES, actor=staff)
    record = services.unit_allocation_advance(
        unit_allocation=record, to=CrossCheckStatus.AGENCY, actor=staff
    )
    services.party_figures_save(unit_allocation=record, fields=FIGURES, actor=agency_user)
    services.unit_allocation_advance(
        unit_allocation=record, to=CrossCheckStatus.ENTERPRISE, actor=agency_user
    )

    # The enterprise reviews the figures side by side and confirms them.
    _log_in(page, "journey_ent")
    page.goto(f"/allocation/units/{record.pk}/")
    expect(page.get_by_test_id("preliminary")).to_contain_text(re.compile(r"921,?385\.025"))
    page.get_by_test_id("step-confirmed").locator("button[type=submit]").click()
    expect(page.get_by_test_id("status")).to_have_text(_zh(CrossCheckStatus.CONFIRMED.label))
    assert UnitAllocation.objects.get(pk=record.pk).status == CrossCheckStatus.CONFIRMED

    # It starts an advance application and sees the pre-check pass.
    page.goto("/allocation/relief/new/")
    page.locator("#id_year").fill("2022")
    page.locator("#id_kind").select_option("advance")
    page.locator("#id_requested_t").fill("80000")
    page.locator("#id_reason").fill("电价倒挂，2022 年经营亏损，无力购买全部缺口配额。")
    page.locator("form input[type=submit][name=submit]").click()
    expect(page).to_have_url(re.compile(r"/allocation/relief/\d+/$"))
    panel = page.get_by_test_id("precheck")
    expect(panel).to_contain_text("16.24")
    expect(panel).to_contain_text(re.compile(r"89,?307\.488"))  # 50% of 178,614.975 t
    expect(page.get_by_test_id("precheck-result")).to_be_visible()
    page.locator("#id_uploads").set_input_files(
        {"name": "经营困难说明.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_test_id("document-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("relief-documents")).to_contain_text("经营困难说明.pdf")
    _submit(page, "submit")
    expect(page.get_by_test_id("relief-status")).to_have_text(_zh(ReliefStatus.SUBMITTED.label))
    application = ReliefApplication.objects.get()
    assert application.eligibility["eligible"] is True

    # Staff forwards it to the province, then records the decision.
    _log_in(page, "journey_staff")
    page.goto(f"/allocation/relief/{application.pk}/")
    page.locator("#id_forward_note").fill("经初审符合预支条件。")
    _submit(page, "forward")
    expect(page.get_by_test_id("relief-status")).to_have_text(_zh(ReliefStatus.FORWARDED.label))
    page.locator("#id_decision_outcome_0").check()
    page.locator("#id_decision_decision_reference").fill("内环发〔2023〕88号")
    page.locator("#id_decision_decided_on").fill("2023-10-20")
    page.locator("#id_decision_granted_t").fill("80000")
    _submit(page, "decide")
    expect(page.get_by_test_id("relief-status")).to_have_text(_zh(ReliefStatus.GRANTED.label))
    expect(page.get_by_test_id("relief-decision")).to_contain_text("内环发〔2023〕88号")
    application.refresh_from_db()
    assert (application.status, application.granted_t) == (ReliefStatus.GRANTED, Decimal(80000))
    steps = list(application.status_changes.values_list("to_status", "actor__username"))
    assert steps == [
        ("draft", "journey_ent"),
        ("submitted", "journey_ent"),
        ("forwarded", "journey_staff"),
        ("granted", "journey_staff"),
    ]
