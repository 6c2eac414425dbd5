"""Journey, on a phone: staff log an on-site visit with a follow-up in under a minute, the
enterprise confirms the follow-up, and the progress page counts the visit.

The phone is a 390×844 touch viewport (a new context of its own), in English so the labels
read the same before and after the catalogues are translated.
"""

import re
import time

import pytest
from playwright.sync_api import Page, expect

from baotou_carbon.accounts.roles import Role
from enterprises.models import District
from tests.factories import PASSWORD, EnterpriseFactory, UserFactory

PHONE = {"width": 390, "height": 844}
ENTERPRISE = "包头希望铝业有限公司"
PROBLEM = "3月入炉煤低位发热量化验原始记录缺失"
ACTION = "补传3月低位发热量化验原始记录"


@pytest.fixture
def phone(new_context, transactional_db):
    """A fresh phone-sized, touch-enabled browser context per person (own cookies)."""

    def open_page() -> Page:
        context = new_context(viewport=PHONE, has_touch=True, is_mobile=True, locale="en-US")
        context.set_default_timeout(10_000)
        context.set_default_navigation_timeout(15_000)
        return context.new_page()

    return open_page


def _log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    expect(page).to_have_url(re.compile(r"/$"))


def _box(page: Page, selector: str) -> dict:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return dict(box)


@pytest.mark.date_sensitive  # logged now, counted "as of today" since 1 January
def test_it_logs_a_visit_on_a_phone_the_enterprise_confirms_and_progress_counts_it(phone):
    enterprise = EnterpriseFactory.create(name_zh=ENTERPRISE, district=District.KUNDULUN)
    EnterpriseFactory.create_batch(12)  # a list long enough to need the filter box
    staff = UserFactory.create(role=Role.BUREAU_STAFF, first_name="王芳")
    UserFactory.create(role=Role.BUREAU_STAFF, first_name="赵敏")
    enterprise_user = UserFactory.create(role=Role.ENTERPRISE, enterprise=enterprise)

    page = phone()
    _log_in(page, staff.username)
    started = time.monotonic()
    page.goto("/assistance/visits/new/")
    expect(page.get_by_role("heading", name="Log a visit", level=1)).to_be_visible()

    # One column on the phone: nothing wider than the screen, fields stacked, big targets.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    when, occasion = _box(page, "#id_started_at"), _box(page, "#id_occasion")
    assert occasion["y"] > when["y"] + when["height"] - 1
    assert when["width"] > PHONE["width"] * 0.75
    assert _box(page, "[data-testid=save-visit]")["height"] >= 44
    # Sensible defaults: on-site, now, the logged-in staff member.
    expect(page.get_by_label("On-site")).to_be_checked()
    assert page.locator("#id_started_at").input_value()
    expect(page.locator("#staff-choices").get_by_label("王芳")).to_be_checked()
    expect(page.locator("#staff-choices").get_by_label("赵敏")).not_to_be_checked()

    # Find the enterprise by typing part of its name, tick it, describe, add one follow-up.
    page.get_by_test_id("enterprise-choices-filter").fill("希望")
    expect(page.locator("#enterprise-choices .form-check:visible")).to_have_count(1)
    page.locator("#enterprise-choices").get_by_label(ENTERPRISE).tap()
    page.get_by_label("Occasion").select_option("national_supervision")
    page.get_by_label("Problems found").fill(PROBLEM)
    page.get_by_label("Follow-up action").fill(ACTION)
    page.get_by_label("Owner").fill("燃料部 李工")
    page.get_by_label("Due date").fill("2099-12-31")
    page.get_by_test_id("save-visit").tap()

    expect(page.get_by_role("alert")).to_contain_text("The visit was logged.")
    follow_up = page.get_by_test_id("follow-up")
    expect(follow_up).to_contain_text(ACTION)
    expect(follow_up.get_by_test_id("follow-up-status")).to_have_text("Open")
    assert time.monotonic() - started < 60  # logging it took under a minute
    visit_url = page.url

    # The enterprise user sees the visit among its own and confirms the follow-up.
    page = phone()
    _log_in(page, enterprise_user.username)
    page.get_by_role("button", name="Toggle navigation").tap()
    page.get_by_role("button", name="Assistance", exact=True).tap()
    page.get_by_role("link", name="Assistance visits", exact=True).tap()
    # On the phone the list keeps the enterprise in view, and no sub-navigation tab is cut.
    expect(page.get_by_role("cell", name=ENTERPRISE)).to_be_in_viewport()
    for tab in page.get_by_role("navigation", name="Assistance").get_by_role("link").all():
        box = tab.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("link", name=re.compile(r"\d{4}-\d{2}-\d{2}")).first.tap()
    expect(page).to_have_url(visit_url)
    expect(page.get_by_text(PROBLEM)).to_be_visible()
    page.get_by_test_id("confirm-follow-up").tap()
    # Back at the top of the visit page, the message naming the follow-up in sight.
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(f'Follow-up "{ACTION}" confirmed.')
    expect(alert).to_be_in_viewport()
    expect(page.get_by_test_id("follow-up-status")).to_have_text("Confirmed by the enterprise")
    expect(page.get_by_test_id("confirm-follow-up")).to_have_count(0)

    # Back at the bureau, the progress page counts the visit as of today.
    page = phone()
    _log_in(page, staff.username)
    page.goto("/assistance/progress/")
    expect(page.get_by_test_id("done-on_site_visits")).to_have_text("1")
    expect(page.get_by_test_id("done-remote_sessions")).to_have_text("0")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_it_adds_a_second_follow_up_row_on_the_phone(phone):
    first, second = (
        EnterpriseFactory.create(name_zh="甲电厂"),
        EnterpriseFactory.create(name_zh="乙钢铁"),
    )
    staff = UserFactory.create(role=Role.BUREAU_STAFF, first_name="王芳")
    page = phone()
    _log_in(page, staff.username)
    page.goto("/assistance/visits/new/")
    page.locator("label[for=id_mode_1]").tap()  # the "Remote" half of the mode toggle
    page.locator("#enterprise-choices").get_by_label("甲电厂").tap()
    page.locator("#enterprise-choices").get_by_label("乙钢铁").tap()
    page.get_by_label("Occasion").select_option("enterprise_request")
    page.get_by_role("button", name="Add another follow-up").tap()
    rows = page.get_by_test_id("follow-up-row")
    expect(rows).to_have_count(2)
    # Only the ticked enterprises are offered as the owner of a follow-up.
    owners = rows.nth(1).get_by_label("Owed by")
    assert "甲电厂" in owners.inner_text() and "乙钢铁" in owners.inner_text()
    for row, (enterprise, action) in zip(
        (rows.nth(0), rows.nth(1)), ((first, "补传化验报告"), (second, "更正排放报告")), strict=True
    ):
        row.get_by_label("Follow-up action").fill(action)
        row.get_by_label("Owner").fill("李工")
        row.get_by_label("Due date").fill("2099-12-31")
        row.get_by_label("Owed by").select_option(str(enterprise.pk))
    page.get_by_test_id("save-visit").tap()
    expect(page.get_by_role("alert")).to_contain_text("The visit was logged.")
    expect(page.get_by_test_id("follow-up")).to_have_count(2)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Remote")
