"""Each tool runs live in Chromium: nothing extra loads until "Run this tool live" is pressed (the
saved worked example's widget manager comes only when the example is reached, or with the live
tool if it is pressed first); then our Python runs in the page, a changed input recomputes the tool (checked against the
model run here), and every request stays on 127.0.0.1. If the browser cannot run the live
tool, the reader is told so and the saved worked example stays."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import Visit, toc_files
from live_checks import LIVE_CHECKS

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
from live_tools import live_cells  # noqa: E402

pytestmark = pytest.mark.browser
START_TIMEOUT_MS = 90_000  # a cold start on a slow CI machine; the benchmark reports real times


LIVE_PAGES = [
    entry for entry in toc_files() if (ROOT / f"{entry}.ipynb").exists() and live_cells(ROOT / f"{entry}.ipynb")
]


def test_every_live_tool_in_the_book_has_a_browser_check():
    assert set(LIVE_PAGES) == set(LIVE_CHECKS)


SAVED_NOTICE = "This is a saved worked example. Press Run this tool live to change it."
CONTROLS = "input, select, textarea, button"


def assert_the_saved_example_is_disabled_and_says_so(page) -> None:
    """Before the tool is live, its saved worked example cannot look live: every control is
    disabled, and the notice beside the button, just above the example, says why."""
    saved = page.locator(".dh-saved-example").first
    saved.locator(CONTROLS).first.wait_for(state="attached")  # the widget manager has drawn it
    controls = saved.locator(CONTROLS)
    assert controls.count() > 0
    states = controls.evaluate_all("cs => cs.map(c => [c.disabled, c.getAttribute('aria-disabled')])")
    assert set(map(tuple, states)) == {(True, "true")}, "a saved control is still enabled"
    notice = page.locator(".dh-live .dh-saved-notice").first
    assert notice.is_visible() and notice.inner_text() == SAVED_NOTICE
    # beside the button, in the box just above the saved example
    assert notice.evaluate(
        "n => n.closest('.dh-live').nextElementSibling.contains(document.querySelector('.dh-saved-example'))"
    )


def live_requests(opened: Visit) -> list[str]:
    return [url for url in opened.requested if "/live/" in url]


def manager_requests(opened: Visit) -> list[str]:
    return [url for url in opened.requested if url.endswith("/ipywidgets/embed-amd.js")]


@pytest.mark.parametrize("entry", LIVE_PAGES)
def test_the_saved_example_is_drawn_when_reached_and_cannot_be_used(visit, entry):
    opened = visit(f"{entry}.html")
    assert manager_requests(opened) == [], "the widget manager loaded before the example was reached"
    assert opened.draw_saved_widgets() > 0
    assert manager_requests(opened), "the saved example was drawn without the widget manager?"
    assert_the_saved_example_is_disabled_and_says_so(opened.page)
    assert opened.outside == [] and opened.failed == [] and opened.errors == []


@pytest.mark.parametrize("entry", LIVE_PAGES)
def test_the_tool_runs_live_after_the_button_is_pressed(visit, entry):
    """Pressed before the saved example has been reached: the live tool loads the widget manager
    itself."""
    opened = visit(f"{entry}.html")
    page = opened.page
    assert live_requests(opened) == [], "the page loaded the live runtime before anyone asked"
    assert manager_requests(opened) == [], "the widget manager loaded before anyone asked"

    button = page.get_by_role("button", name="Run this tool live")
    button.focus()
    page.keyboard.press("Enter")  # keyboard-usable
    area = page.locator(".dh-live-area").first
    area.locator(".widget-vbox").first.wait_for(timeout=START_TIMEOUT_MS)
    assert page.locator(".dh-live-status").first.inner_text().startswith("Live:")
    assert page.locator(".cell_output[hidden]").count() == 1, "the saved example gives way to the live tool"
    assert not page.get_by_text(SAVED_NOTICE).is_visible(), "the notice went with the saved example"
    live_controls = area.locator("input, select, textarea, button")
    assert live_controls.evaluate_all("controls => controls.some(c => !c.disabled && !c.hasAttribute('aria-disabled'))")

    LIVE_CHECKS[entry](page, area)

    assert live_requests(opened), "the live tool loaded nothing from the site's /live/ folder"
    assert len(manager_requests(opened)) == 1, "the widget manager was not loaded (once) for the live tool"
    assert opened.outside == [], "requests left 127.0.0.1"
    assert opened.failed == [], "some files the live tool needs were not found"
    assert opened.errors == [], "console errors"
    assert opened.axe_violations() == []


def test_a_browser_without_webassembly_is_told_and_keeps_the_worked_example(visit):
    opened = visit(LIVE_PAGES[0] + ".html")
    opened.draw_saved_widgets()
    page = opened.page
    page.evaluate("() => { delete window.WebAssembly; }")
    page.get_by_role("button", name="Run this tool live").click()
    status = page.locator(".dh-live-status").first
    status.get_by_text("could not start").wait_for()
    assert "WebAssembly" in status.inner_text()
    assert page.locator(".cell_output .widget-vbox").first.is_visible()
    assert page.get_by_role("button", name="Try again").is_enabled()
    assert opened.outside == []


@pytest.mark.parametrize("entry", LIVE_PAGES[:1])
def test_without_javascript_the_page_still_explains(browser, site_url, entry):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site_url}/{entry}.html")
        assert page.get_by_text(SAVED_NOTICE).is_visible()
        explanation = page.locator(".dh-no-script")
        assert explanation.is_visible()
        assert "not running JavaScript" in explanation.inner_text()
        assert "worked example earlier on this page" in explanation.inner_text()
    finally:
        context.close()
