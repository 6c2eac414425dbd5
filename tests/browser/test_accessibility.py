"""axe-core on each page type: no critical or serious WCAG 2.1 A/AA violation.

One browser session per role walks that role's page types (lists, details, forms, the
calculator, the dashboard, the error pages); the test fails listing every page's violations
at once, so a run says everything that needs fixing.
"""

from django.urls import reverse
from playwright.sync_api import Page

from baotou_carbon.accounts.roles import Role
from tests.browser.axe import axe_violations, blocking, describe
from tests.factories import (
    PASSWORD,
    EnterpriseFactory,
    FacilityFactory,
    ListingFactory,
    TrainingFactory,
    UnitFactory,
    UserFactory,
    VerificationCaseFactory,
    VisitFactory,
)
from verification.services import reports as report_services

STAFF_PAGES = [
    "enterprises:list",
    "enterprises:create",
    "enterprises:import",
    "enterprises:unit_list",
    "enterprises:agency_list",
    "verification:calculator",
    "verification:parameters",
    "verification:holidays",
    "verification:deadlines",
    "verification:templates",
    "verification:case_list",
    "verification:scorecards",
    "verification:report_list",
    "assistance:visit_list",
    "assistance:visit_create",
    "assistance:follow_up_list",
    "assistance:draw_list",
    "assistance:training_list",
    "allocation:rule_sets",
    "allocation:unit_allocation_list",
    "allocation:position_list",
    "allocation:early_warning",
    "allocation:relief_list",
    "allocation:savings_list",
    "allocation:cost_list",
    "allocation:price_list",
    "briefings:list",
]


def _log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    password = page.get_by_label("密码")
    password.fill(PASSWORD)
    password.press("Enter")
    page.wait_for_url("**/")


def _sweep(page: Page, paths: list[str]) -> dict[str, str]:
    found = {}
    for path in paths:
        page.goto(path)
        problems = blocking(axe_violations(page))
        if problems:
            found[path] = describe(problems)
    return found


def _report(found: dict[str, str]) -> str:
    return "\n".join(f"{path}\n{text}" for path, text in found.items())


def test_it_finds_the_login_page_accessible(page: Page) -> None:
    page.goto("/accounts/login/")
    assert not blocking(axe_violations(page)), describe(blocking(axe_violations(page)))


def test_it_finds_every_staff_page_type_accessible(page: Page, seeded_rule_sets) -> None:
    UserFactory.create(username="staff-a11y", role=Role.BUREAU_STAFF)
    enterprise = EnterpriseFactory.create()
    ListingFactory.create(enterprise=enterprise)
    UnitFactory.create(facility=FacilityFactory.create(enterprise=enterprise))
    case = VerificationCaseFactory.create(enterprise=enterprise)
    visit = VisitFactory.create()
    training = TrainingFactory.create()
    paths = [reverse(name) for name in STAFF_PAGES] + [
        reverse("enterprises:detail", args=[enterprise.pk]),
        reverse("enterprises:update", args=[enterprise.pk]),
        reverse("verification:case_detail", args=[case.pk]),
        reverse("assistance:visit_detail", args=[visit.pk]),
        reverse("assistance:training_detail", args=[training.pk]),
        "/no-such-page/",
    ]
    _log_in(page, "staff-a11y")
    found = _sweep(page, paths)
    assert not found, _report(found)


def test_it_finds_the_manager_dashboard_accessible(page: Page, seeded_rule_sets) -> None:
    UserFactory.create(username="manager-a11y", role=Role.BUREAU_MANAGER)
    _log_in(page, "manager-a11y")
    found = _sweep(page, [reverse("dashboard:manager"), reverse("enterprises:create")])
    assert not found, _report(found)


def test_it_reports_what_axe_finds(page: Page) -> None:
    """The check itself can fail: an unlabelled input and grey-on-white text are caught."""
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><h1>t</h1>'
        '<input type="text"><p style="color:#bbb;background:#fff">faint</p></main></body></html>'
    )
    ids = {violation["id"] for violation in blocking(axe_violations(page))}
    assert {"label", "color-contrast"} <= ids


def test_it_finds_the_enterprise_users_pages_accessible(page: Page, seeded_rule_sets) -> None:
    enterprise = EnterpriseFactory.create()
    ListingFactory.create(enterprise=enterprise, year=2022)
    unit = UnitFactory.create(facility=FacilityFactory.create(enterprise=enterprise))
    user = UserFactory.create(username="ent-a11y", role=Role.ENTERPRISE, enterprise=enterprise)
    report = report_services.report_create(enterprise=enterprise, year=2022, actor=user)
    _log_in(page, "ent-a11y")
    found = _sweep(
        page,
        [
            reverse("enterprises:detail", args=[enterprise.pk]),
            reverse("verification:report_detail", args=[report.pk]),
            reverse("verification:report_unit", args=[report.pk, unit.pk]),
            reverse("allocation:relief_list"),
            reverse("allocation:relief_create"),
        ],
    )
    assert not found, _report(found)
