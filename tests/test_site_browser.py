"""The built site in Chromium, served on 127.0.0.1: no console errors, no request leaves the
machine, no serious or critical accessibility issue (axe-core), and the widget works."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from test_book import toc_files

from dementia_housing import prevalence
from dementia_housing.widgets.prevalence import WORKED_EXAMPLE, band_title

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "tests" / "_vendor" / "axe-core" / "axe.min.js"
# Every page in the table of contents, so a new chapter or tool page is checked as soon as it is listed.
PAGES = [f"{entry}.html" for entry in toc_files()]


class Visit:
    """A page visit that records console errors, failed loads and every outside request."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context()
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.requested: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        self.page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))
        self.page.goto(url, wait_until="networkidle")

    def _route(self, route):
        self.requested.append(route.request.url)
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def axe_violations(self) -> list[str]:
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
        )
        return [
            f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in {"serious", "critical"}
        ]

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, site_url):
    visits = []

    def open_page(path: str) -> Visit:
        v = Visit(browser, f"{site_url}/{path}")
        visits.append(v)
        return v

    yield open_page
    for v in visits:
        v.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_is_clean_offline_and_accessible(visit, path):
    page = visit(path)
    assert page.page.title(), "page has no title"
    assert page.outside == [], "requests left 127.0.0.1"
    assert page.failed == [], "some files the page needs were not found"
    assert page.errors == [], "console errors"
    assert page.axe_violations() == []


def test_root_redirects_to_the_welcome_page(visit):
    page = visit("index.html")
    page.page.wait_for_url("**/book/welcome.html")
    assert "Dementia and Housing" in page.page.content()


def test_prevalence_widget_renders_the_worked_example_and_responds(visit):
    page = visit("book/tools/prevalence-estimator.html").page
    expected = prevalence.estimate(WORKED_EXAMPLE)
    widget = page.locator(".widget-vbox").first
    widget.wait_for(state="visible", timeout=15000)

    # The saved state shows the worked example: every field with its value and label.
    for band, count in WORKED_EXAMPLE.items():
        field = page.get_by_label(band_title(band), exact=True)
        assert field.input_value() == str(count)
    summary = widget.locator(".dh-summary")
    assert f"About {expected.expected_whole} people" in summary.inner_text()

    # The tabs respond in the page: the table replaces the chart.
    table_tab = widget.get_by_role("tab", name="Table")
    table_tab.click()
    table = widget.locator("table.dh-table")
    table.wait_for(state="visible")
    assert f"{expected.expected:.2f}" in table.inner_text()
    assert not widget.locator("svg[role=img]").is_visible()
    widget.get_by_role("tab", name="Chart").click()
    widget.locator("svg[role=img]").wait_for(state="visible")

    # Fields take keyboard input.
    field = page.get_by_label(band_title("95+"), exact=True)
    field.fill("7")
    assert field.input_value() == "7"


def test_self_check_opens_to_give_feedback_by_keyboard(visit):
    page = visit("book/tools/prevalence-estimator.html").page
    first = page.locator(".dh-self-check details").first
    feedback = first.locator("p")
    assert not feedback.is_visible()
    first.locator("summary").focus()
    page.keyboard.press("Enter")
    feedback.wait_for(state="visible")
    assert feedback.inner_text().startswith(("Yes, this is right.", "Not quite."))
