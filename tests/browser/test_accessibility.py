"""axe-core on each page type: no critical or serious WCAG 2.1 A/AA violation."""

from tests.browser.axe import assert_accessible


def test_it_finds_the_login_page_accessible(page) -> None:
    page.goto("/accounts/login/")
    assert_accessible(page)
