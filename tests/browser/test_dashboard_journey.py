"""Journey: a bureau manager logs in, opens the dashboard for 2022, filters it by district,
drills into the gain figure, starts a recompute and watches it finish, exports the figures to
Excel and downloads the leadership briefing (PDF).

Two enterprises in two districts gained allowances through verification (1,000 t in Kundulun,
250.5 t in Qingshan); Qingshan's enterprise was also granted an advance, relief the headline
gain leaves out. Fields and buttons are found by ids and test ids, not their (translated)
labels. Tasks run in-process (no broker), in the live server's thread, so the recompute and
the briefing are finished by the time their pages load; the waits are for a slow PDF.
"""

import re
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from django.utils import translation
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from allocation import services
from allocation.models import ReliefStatus, RunStatus, SavingsRun
from baotou_carbon.accounts.roles import Role
from enterprises.models import District
from tests.factories import (
    PASSWORD,
    EnterpriseFactory,
    GainComponentFactory,
    ReliefApplicationFactory,
    UserFactory,
    VerificationCaseFactory,
)

BRIEFING_TIMEOUT = 60_000  # the PDF is rendered while the briefing request is answered


def _zh(text) -> str:
    """A label as the page shows it: in Chinese, the browser's language."""
    with translation.override("zh-hans"):
        return str(translation.gettext(text) if isinstance(text, str) else text)


def _log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    password = page.get_by_label("密码")
    password.fill(PASSWORD)
    password.press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))


def _gain(enterprise, tonnes: str) -> None:
    GainComponentFactory.create(
        case=VerificationCaseFactory.create(enterprise=enterprise, year=2022),
        allocation_change_t=Decimal(0),
        emissions_change_t=Decimal(tonnes),
    )


def _table_rows(page: Page):
    return page.locator("table tbody tr")


def test_a_manager_filters_drills_recomputes_exports_and_downloads_the_briefing(
    seeded_rule_sets, page: Page
):
    kundulun = EnterpriseFactory.create(
        name_zh="包头旅程甲钢铁有限公司", district=District.KUNDULUN
    )
    qingshan = EnterpriseFactory.create(
        name_zh="包头旅程乙铝业有限公司", district=District.QINGSHAN
    )
    _gain(kundulun, "1000")
    _gain(qingshan, "250.5")
    ReliefApplicationFactory.create(
        enterprise=qingshan,
        status=ReliefStatus.GRANTED,
        granted_t=Decimal("80"),
        decision_reference="内环发〔2023〕88号",
        decided_on=date(2023, 10, 20),
    )
    services.savings_recompute(year=2022)
    UserFactory.create(username="journey_manager", role=Role.BUREAU_MANAGER)

    # The manager logs in and opens the dashboard for 2022: the city's figures, charts drawn.
    _log_in(page, "journey_manager")
    page.goto("/dashboard/")
    filters = page.get_by_test_id("dashboard-filters")
    filters.locator("#id_year").select_option("2022")
    filters.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/dashboard/\?year=2022&district=$"))
    gain_tile = page.get_by_test_id("tile-gain")
    expect(gain_tile).to_contain_text("1,250.5 t")
    expect(page.get_by_test_id("tile-savings")).to_contain_text("99,314.71")  # × 79.42 yuan/t
    expect(page.locator("#chart-measures canvas").first).to_be_visible()
    expect(page.locator("#chart-measures")).to_have_attribute("data-chart-state", "drawn")

    # It narrows the dashboard to Qingshan: that district's figure only.
    filters.locator("#id_district").select_option(District.QINGSHAN)
    filters.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"district={District.QINGSHAN}"))
    expect(gain_tile).to_contain_text("250.5 t")
    expect(gain_tile).not_to_contain_text("1,250.5")
    expect(page.locator("#id_district")).to_have_value(District.QINGSHAN)

    # The gain tile opens the savings rows behind it: Qingshan's verification gain, no more
    # (neither Kundulun's gain nor Qingshan's relief, which the tile leaves out).
    gain_tile.click()
    expect(page).to_have_url(re.compile(r"/allocation/savings/\?"))
    rows = _table_rows(page)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(qingshan.name_zh)
    expect(rows.first).to_contain_text(re.compile(r"250[.,]5"))
    expect(page.locator("table tbody")).not_to_contain_text(kundulun.name_zh)

    # Back on the dashboard, a measure's link opens the same row.
    page.go_back()
    expect(gain_tile).to_contain_text("250.5 t")
    page.get_by_test_id("measures").locator("tbody a").first.click()
    expect(page).to_have_url(re.compile(r"/allocation/savings/\?.*measure=verification"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(qingshan.name_zh)
    page.go_back()

    # It recomputes the savings and watches the run reach its end.
    page.get_by_test_id("recompute").click()
    expect(page).to_have_url(re.compile(r"/dashboard/recompute/\d+/$"))
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_test_id("progress-bar")).to_have_text("100%")
    expect(page.get_by_test_id("run-status")).to_contain_text(_zh(RunStatus.DONE.label))
    run = SavingsRun.objects.get()
    assert run.status == RunStatus.DONE and run.steps_done == run.steps_total == len(run.years)

    # Back on the dashboard (the city again), the figures survived the recompute.
    page.get_by_test_id("back-to-dashboard").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(gain_tile).to_contain_text("1,250.5 t")

    # It exports the figures to Excel.
    with page.expect_download() as caught:
        page.get_by_test_id("export").click()
    download = caught.value
    assert download.suggested_filename == "dashboard-2022.xlsx"
    sheet = load_workbook(BytesIO(Path(download.path()).read_bytes())).worksheets[0]
    headline = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert headline[_zh("Data year")] == 2022
    assert headline[_zh("District")] == _zh("The whole city")
    assert headline[_zh("Allowance gains (t)")] == "1250.500"
    assert headline[_zh("Savings (yuan)")] == "99314.71"

    # It asks for the leadership briefing and downloads the PDF once it is ready.
    page.get_by_test_id("briefing").click()
    expect(page).to_have_url(re.compile(r"/dashboard/briefings/\d+/$"), timeout=BRIEFING_TIMEOUT)
    link = page.get_by_test_id("briefing-download")
    expect(link).to_be_visible(timeout=BRIEFING_TIMEOUT)
    with page.expect_download() as caught:
        link.click()
    assert caught.value.suggested_filename.endswith(".pdf")
    assert Path(caught.value.path()).read_bytes().startswith(b"%PDF-")
