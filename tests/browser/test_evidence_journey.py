"""Journey: an enterprise submits a month's evidence with a file, the district reviewer
returns it with a comment, the enterprise corrects and resubmits, the reviewer accepts it and
the completeness board shows the month accepted.

Fields and buttons are found by their ids, names and test ids, not their labels: the labels
are translated and the journey must not depend on a catalogue.
"""

import calendar
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from baotou_carbon.accounts.roles import Role
from enterprises.models import District
from tests.factories import PASSWORD, EnterpriseFactory, ListingFactory, UserFactory
from verification.models import EvidenceStatus, EvidenceSubmission

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _log_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    password = page.get_by_label("密码")
    password.fill(PASSWORD)
    password.press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))


def _fill_month(page: Page, *, fuel: str, hours: int, file_name: str, content: bytes) -> None:
    values = {
        "fuel_consumption_t": fuel,
        "ncv_gj_per_t": "18.5",
        "carbon_content_tc_per_gj": "0.0268",
        "purchased_mwh": "120",
        "generation_mwh": "180000",
        "supply_mwh": "165000",
        "heat_gj": "250000",
        "operating_hours": str(hours),  # every hour of the month: the most it may have
        "load_factor": "82.5",
    }
    for name, value in values.items():
        page.locator(f"#id_{name}").fill(value)
    page.locator("#id_documents").set_input_files(
        {"name": file_name, "mimeType": "application/pdf", "buffer": content}
    )
    page.locator("input[type=submit][name=submit]").click()


@pytest.mark.date_sensitive  # "last month" of today, 28 to 31 days long
def test_it_takes_a_months_evidence_from_submission_through_return_to_acceptance(page: Page):
    enterprise = EnterpriseFactory.create(
        name_zh="包头旅程热电有限公司", district=District.KUNDULUN
    )
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    year, month = last_month.year, last_month.month
    hours = calendar.monthrange(year, month)[1] * 24
    ListingFactory.create(enterprise=enterprise, year=year)
    owner = UserFactory.create(username="journey_ent", role=Role.ENTERPRISE, enterprise=enterprise)
    reviewer = UserFactory.create(
        username="journey_reviewer", role=Role.DISTRICT_REVIEWER, district=District.KUNDULUN
    )
    board = f"/verification/evidence/?year={year}"
    cell = page.locator(f'[data-testid="cell-{enterprise.pk}-{month}"]')

    # The enterprise opens the board and picks last month, which is open for submission.
    _log_in(page, owner.username)
    page.goto(board)
    cell.locator("a").click()
    expect(page.locator("#id_fuel_consumption_t")).to_be_visible()

    # A wrong value is caught field by field; nothing is saved.
    _fill_month(page, fuel="-5", hours=hours, file_name="月报.pdf", content=PDF)
    expect(page.locator("#id_fuel_consumption_t.is-invalid")).to_be_visible()
    assert not EvidenceSubmission.objects.exists()

    # Corrected, the month goes in with its supporting PDF.
    _fill_month(page, fuel="85000", hours=hours, file_name="月报.pdf", content=PDF)
    expect(page.get_by_test_id("evidence-status")).to_be_visible()
    expect(page.get_by_role("link", name="月报.pdf")).to_be_visible()
    submission = EvidenceSubmission.objects.get()
    assert submission.status == EvidenceStatus.SUBMITTED

    # The district reviewer returns it with a comment.
    _log_in(page, reviewer.username)
    page.goto(board)
    cell.locator("a").click()
    page.locator("input[name=decision][value=return]").check()
    page.locator("#id_comment").fill("缺少入炉煤化验报告，请补充。")
    page.locator("section[aria-labelledby=review-title] button[type=submit]").click()
    expect(page.get_by_test_id("evidence-status")).to_have_attribute("class", re.compile("badge"))
    submission.refresh_from_db()
    assert submission.status == EvidenceStatus.RETURNED

    # The enterprise sees the comment, corrects the month and resubmits with the lab report.
    _log_in(page, owner.username)
    page.goto(board)
    expect(cell).to_have_attribute("data-state", "returned")
    cell.locator("a").click()
    page.get_by_role("link", name=re.compile("resubmit|重新提交", re.IGNORECASE)).click()
    expect(page.get_by_test_id("review-comment")).to_contain_text("缺少入炉煤化验报告")
    _fill_month(
        page, fuel="84950", hours=hours, file_name="化验报告.pdf", content=PDF + b"% lab report\n"
    )
    expect(page.get_by_role("link", name="化验报告.pdf")).to_be_visible()

    # The reviewer accepts it; the board shows the month accepted.
    _log_in(page, reviewer.username)
    page.goto(board)
    cell.locator("a").click()
    page.locator("input[name=decision][value=accept]").check()
    page.locator("section[aria-labelledby=review-title] button[type=submit]").click()
    page.goto(board)
    expect(cell).to_have_attribute("data-state", "accepted")
    submission.refresh_from_db()
    assert submission.status == EvidenceStatus.ACCEPTED
    assert submission.fuel_consumption_t == 84950
    assert submission.files.count() == 2
