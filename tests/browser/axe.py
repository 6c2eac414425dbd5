"""Accessibility checks in browser journeys: axe-core, vendored for the tests only.

    from tests.browser.axe import assert_accessible
    assert_accessible(page)            # the page as it is now

A page passes when axe reports no violation of impact "critical" or "serious" against the
WCAG 2.1 A and AA rules; the failure message lists each rule, its help text and the first
offending nodes, so it can be fixed without rerunning.
"""

from pathlib import Path

from playwright.sync_api import Page

AXE_SOURCE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = frozenset({"critical", "serious"})
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Page) -> list[dict]:
    """axe's violations on the page (every impact), injecting axe-core once per document."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_SOURCE.read_text(encoding="utf-8"))
    return page.evaluate(
        "async (tags) => (await window.axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})).violations",
        WCAG_TAGS,
    )


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]


def describe(violations: list[dict], *, nodes: int = 3) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:nodes]:
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:160]}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fail when axe finds a critical or serious violation on the current page."""
    found = blocking(axe_violations(page))
    assert not found, f"axe on {page.url}:\n{describe(found)}"
