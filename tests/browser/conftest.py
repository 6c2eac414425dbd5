"""Browser journeys: Playwright (sync API) driving Debian's Chromium against `live_server`.

pytest-playwright stays loaded; this file only overrides its documented extension fixtures
(`browser_type_launch_args`, `browser_context_args`, `base_url`) and its `page`, so the
plugin's `browser`/`context` machinery and its options (`--tracing retain-on-failure`,
`--screenshot only-on-failure`, `--video`, `--headed`) keep working. The plugin never
downloads a browser by itself: it launches the executable given here.

    DATABASE_URL=postgres://... .venv/bin/pytest tests/browser

The browser is Debian's `chromium` (never `playwright install`: no download works here);
`CHROMIUM_PATH` points elsewhere. Without it the tests FAIL, so CI cannot go green without
running them; set `ALLOW_SKIP_BROWSER=1` on a machine without Chromium to skip instead.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop on the test thread; Django would then refuse
# ORM calls made there (factories, assertions). The test thread never runs async code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
# The UI's default language; a test picks another with
# `@pytest.mark.parametrize("browser_locale", ["en-US"])` or by overriding the fixture.
DEFAULT_LOCALE = "zh-CN"
DESKTOP = {"width": 1280, "height": 900}

BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser is a `browser` test (`-m "not browser"` skips them)."""
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _allow_skip() -> bool:
    return os.environ.get("ALLOW_SKIP_BROWSER", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, browser_name):
    """Launch Debian's Chromium, headless; the plugin's --headed and --slowmo still apply."""
    if browser_name != "chromium":
        pytest.skip(f"only Chromium is installed on these machines, not {browser_name}")
    if not os.access(CHROMIUM_PATH, os.X_OK):
        reason = (
            f"Chromium not found at {CHROMIUM_PATH} (apt-get install -y chromium "
            "fonts-noto-cjk, or set CHROMIUM_PATH)"
        )
        if _allow_skip():
            pytest.skip(f"{reason}; skipped because ALLOW_SKIP_BROWSER is set")
        pytest.fail(f"{reason}. Set ALLOW_SKIP_BROWSER=1 to skip browser tests instead.")
    return {
        "headless": True,
        **browser_type_launch_args,
        "executable_path": CHROMIUM_PATH,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Relative `page.goto("/...")` calls go to the live server."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, base_url):
    """Every context: the live server as base URL, downloads kept, Baotou's clock. Per-test
    options (locale, viewport) go to `new_context(...)`, so they are not repeated here."""
    return {
        **browser_context_args,
        "base_url": base_url,
        "accept_downloads": True,
        "timezone_id": "Asia/Shanghai",
    }


@pytest.fixture
def browser_locale() -> str:
    """The browser's language (its Accept-Language header), which LocaleMiddleware honours."""
    return DEFAULT_LOCALE


@pytest.fixture
def page(new_context, browser_locale, transactional_db, request):
    """A page in a fresh browser context per test (own cookies, so own session and language).

    `transactional_db`: rows the test creates are committed, so the live server's thread
    sees them, and the tables are flushed afterwards."""
    marker = request.node.get_closest_marker("browser_context_args")
    options = {"locale": browser_locale, "viewport": DESKTOP}
    for name in marker.kwargs if marker else ():  # the plugin's marker wins, without a clash
        options.pop(name, None)
    context = new_context(**options)
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(15_000)
    return context.new_page()
