"""Journey: bureau staff register an enterprise and export the filtered registry to Excel.

Read top to bottom, it is the specification of the registry's main path through a real
browser: log in (Chinese by default), switch to English, create an enterprise after
correcting a mistyped credit code, find it with the list filters, export what is shown.
"""

import re
from pathlib import Path

import openpyxl
from playwright.sync_api import Page, expect

from baotou_carbon.accounts.roles import Role
from enterprises.models import District
from tests.factories import PASSWORD, EnterpriseFactory, UserFactory

# The check character of 91350100M000100Y4? is "3": the form must say so next to the field.
MISTYPED_USCC = "91350100M000100Y4Z"
CORRECT_USCC = "91350100M000100Y43"
NAME_ZH = "包头绿能新材料有限公司"
NAME_EN = "Baotou Green Energy New Materials Co., Ltd."
SEARCH_TERM = "绿能"


def _log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    # Django's own catalogue labels the login fields, so the default language shows here.
    page.get_by_label("用户名").fill(username)
    password = page.get_by_label("密码")
    password.fill(PASSWORD)
    password.press("Enter")


def _sheet_values(path: Path) -> set[str]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return {
            str(value).strip()
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        }
    finally:
        workbook.close()


def test_it_lets_bureau_staff_register_an_enterprise_and_export_the_filtered_list(
    page: Page, tmp_path
):
    staff = UserFactory.create(role=Role.BUREAU_STAFF)
    # Matches the search term but lies in another district: only the district filter drops it.
    other_district = EnterpriseFactory.create(
        name_zh="包头绿能化工有限公司", district=District.QINGSHAN
    )
    # Same district, different name: only the search term drops it.
    other_name = EnterpriseFactory.create(
        name_zh="包头稀土冶炼有限公司", district=District.KUNDULUN
    )

    # Staff log in through the login page and land on home, in Chinese by default.
    _log_in(page, staff.username)
    expect(page).to_have_url(re.compile(r"/$"))
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "zh-CN")
    nav = page.get_by_role("navigation").first  # the navigation bar (pagination comes later)
    chinese_nav_text = nav.inner_text()

    # The language switch in the navigation bar turns the interface to English.
    page.get_by_test_id("lang-en").click()
    expect(html).to_have_attribute("lang", "en")
    expect(nav).not_to_have_text(chinese_nav_text)
    expect(nav.get_by_role("button", name="Registry", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    # Enterprises → New enterprise.
    nav.get_by_role("button", name="Registry", exact=True).click()
    nav.get_by_role("link", name="Enterprises", exact=True).click()
    expect(page.get_by_role("heading", name="Enterprises", level=1)).to_be_visible()
    page.get_by_role("link", name="New enterprise").click()
    expect(page.get_by_role("heading", name="New enterprise", level=1)).to_be_visible()

    # A mistyped check character is refused, with the right one named next to the field.
    page.get_by_label("Name (Chinese)").fill(NAME_ZH)
    page.get_by_label("Name (English)").fill(NAME_EN)
    credit_code = page.get_by_label("Unified social credit code")
    credit_code.fill(MISTYPED_USCC)
    page.get_by_label("District").select_option(label="Kundulun District")
    page.get_by_label("Industry").select_option(label="Rare earths")
    page.get_by_role("button", name="Save").click()

    expect(credit_code).to_have_attribute("aria-invalid", "true")
    expect(credit_code).to_have_accessible_description(re.compile(r"should be 3\b"))
    expect(page.locator("#div_id_uscc .invalid-feedback")).to_contain_text("should be 3")
    expect(credit_code).to_have_value(MISTYPED_USCC)  # what was typed is kept to correct

    # Corrected, it saves and the enterprise's page shows.
    credit_code.fill(CORRECT_USCC)
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/enterprises/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text("The enterprise was created.")
    expect(page.get_by_role("heading", name=NAME_ZH, level=1)).to_be_visible()
    expect(page.get_by_role("tabpanel")).to_contain_text(CORRECT_USCC)

    # The list, filtered by search term and district, shows it and only it.
    nav.get_by_role("button", name="Registry", exact=True).click()
    nav.get_by_role("link", name="Enterprises", exact=True).click()
    filters = page.get_by_role("search")
    filters.get_by_label("Search").fill(SEARCH_TERM)
    filters.get_by_label("District").select_option(label="Kundulun District")
    filters.get_by_role("button", name="Filter").click()

    expect(page).to_have_url(re.compile(r"[?&]district=150203"))
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows.filter(has_text=CORRECT_USCC)).to_have_count(1)
    expect(rows.filter(has_text=other_district.uscc)).to_have_count(0)
    expect(rows.filter(has_text=other_name.uscc)).to_have_count(0)
    expect(page.get_by_role("link", name=NAME_ZH)).to_be_visible()

    # "Export to Excel" downloads exactly the filtered rows.
    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename  # openpyxl goes by the file's extension
    download.save_as(saved)
    values = _sheet_values(saved)
    assert CORRECT_USCC in values
    assert NAME_ZH in values
    assert other_district.uscc not in values
    assert other_name.uscc not in values
