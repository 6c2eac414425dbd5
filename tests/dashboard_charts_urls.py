"""A test-only URLconf: a page that loads the vendored ECharts, static/js/dashboard-charts.js
and a summary payload, for tests/browser/test_dashboard_charts.py (with
`@pytest.mark.urls("tests.dashboard_charts_urls")`). Every other path answers "landed", so a
chart's drill-down link has somewhere to arrive.

The page's template lives in tests/templates, read by an engine of its own: nothing of it
reaches the product's settings or templates.
"""

from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.template import Context, Engine
from django.urls import path, re_path

from .dashboard_payload import EMPTY_PAYLOAD, SAMPLE_PAYLOAD

ENGINE = Engine(
    dirs=[str(Path(__file__).resolve().parent / "templates")],
    libraries={"static": "django.templatetags.static"},
)


def charts_page(payload: dict):
    def view(request: HttpRequest) -> HttpResponse:
        template = ENGINE.get_template("dashboard_charts_test.html")
        return HttpResponse(template.render(Context({"payload": payload})))

    return view


def landed(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<!DOCTYPE html><title>landed</title><p>landed on {request.path}</p>")


urlpatterns = [
    path("charts/", charts_page(SAMPLE_PAYLOAD)),
    path("charts/empty/", charts_page(EMPTY_PAYLOAD)),
    re_path(r"^", landed),
]
