"""static/js/dashboard-charts.js in Chromium: the manager dashboard's charts drawn with the
vendored ECharts from the summary payload, on a test-only page (tests/dashboard_charts_urls.py)
that carries SAMPLE_PAYLOAD or EMPTY_PAYLOAD the way the dashboard's template will."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.urls("tests.dashboard_charts_urls")

CHARTS = {
    # element id → a label its text alternative must name, with its value
    "chart-measures": "Verification 9,432,713.40",
    "chart-enterprises": "Baotou Aluminium Co., Ltd. 3,051,316.40",
    "chart-assistance": "2023-04 On-site 5, Remote 8",
    "chart-shortfall": "No shortfall 22",
    "chart-districts": "Donghe District 3,051,316.40",
    "chart-industries": "Aluminium smelting 5,124,992.46",
}
EMPTY_TEXTS = {
    "chart-measures": "No savings recorded yet.",
    "chart-enterprises": "No enterprise has savings recorded yet.",
    "chart-assistance": "No assistance recorded in this period.",
    "chart-shortfall": "No positions computed yet.",
    "chart-districts": "No savings by district yet.",
    "chart-industries": "No savings by industry yet.",
}


@pytest.fixture
def charts(page):
    """The sample page, without animations (as for a user who asks for reduced motion), so a
    bar is where it ends up as soon as it is drawn."""
    page.emulate_media(reduced_motion="reduce")
    page.goto("/charts/")
    return page


def bar_point(page, chart_id: str, index: int) -> tuple[float, float]:
    """The page coordinates of the middle of bar `index` in a chart, from ECharts itself."""
    x, y = page.evaluate(
        """([id, index]) => {
            const chart = echarts.getInstanceByDom(document.getElementById(id));
            const option = chart.getOption();
            const value = option.series[0].data[index] / 2;
            const horizontal = option.yAxis[0].type === "category";
            return chart.convertToPixel({seriesIndex: 0}, horizontal ? [value, index] : [index, value]);
        }""",
        [chart_id, index],
    )
    box = page.locator(f"#{chart_id}").bounding_box()
    return box["x"] + x, box["y"] + y


def test_it_draws_every_chart_with_a_text_alternative(charts):
    for chart_id, described in CHARTS.items():
        element = charts.locator(f"#{chart_id}")
        expect(element.locator("canvas").first).to_be_visible()
        expect(element).to_have_attribute("data-chart-state", "drawn")
        expect(element).to_have_attribute("role", "img")
        expect(element).to_have_attribute("aria-label", re.compile(re.escape(described)))


def test_it_opens_a_bars_drill_down_when_clicked(charts):
    charts.mouse.click(*bar_point(charts, "chart-enterprises", 1))  # the second largest
    charts.wait_for_url("**/enterprises/3/")
    expect(charts.locator("body")).to_contain_text("landed on /enterprises/3/")


def test_it_opens_a_measures_drill_down_when_clicked(charts):
    charts.mouse.click(*bar_point(charts, "chart-measures", 0))
    charts.wait_for_url(re.compile(r"/verification/cases/\?year=2022$"))


def test_it_stays_put_when_a_bar_has_no_url(charts):
    charts.mouse.click(*bar_point(charts, "chart-industries", 0))  # industries carry no url
    charts.wait_for_timeout(500)
    assert charts.url.endswith("/charts/")


def test_it_follows_the_windows_width(charts):
    canvas = charts.locator("#chart-districts canvas").first
    wide = canvas.bounding_box()["width"]
    charts.set_viewport_size({"width": 640, "height": 900})
    charts.wait_for_function(
        """(limit) => document.querySelector("#chart-districts canvas")
            .getBoundingClientRect().width < limit""",
        arg=wide * 0.7,
    )


def test_it_says_so_when_there_is_nothing_to_draw(page):
    page.goto("/charts/empty/")
    for chart_id, text in EMPTY_TEXTS.items():
        element = page.locator(f"#{chart_id}")
        expect(element).to_have_text(text)
        expect(element).to_have_attribute("data-chart-state", "empty")
        expect(element.locator("canvas")).to_have_count(0)
