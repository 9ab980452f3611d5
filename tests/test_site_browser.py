"""The built site in Chromium, served on 127.0.0.1: no console errors, no request leaves the
machine, no serious or critical accessibility issue (axe-core), and the saved widget shows the
worked example, its tabs working and its fields disabled until the tool is live."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import toc_files

from dementia_housing.models import prevalence
from dementia_housing.views.prevalence import WORKED_EXAMPLE, band_title

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
# Every page in the table of contents, so a new chapter or tool page is checked as soon as it is listed.
PAGES = [f"{entry}.html" for entry in toc_files()]


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

    # Until the tool is live its fields cannot be changed, and the page says so (typing 40 used to
    # seem to work while the summary still said 80 people).
    field = page.get_by_label(band_title("95+"), exact=True)
    assert field.is_disabled() and not field.is_editable()
    assert all(page.get_by_label(band_title(band), exact=True).is_disabled() for band in WORKED_EXAMPLE)
    assert page.get_by_text("This is a saved worked example. Press Run this tool live to change it.").is_visible()
    assert f"of the {expected.total_residents} people entered" in summary.inner_text()


def test_self_check_opens_to_give_feedback_by_keyboard(visit):
    page = visit("book/tools/prevalence-estimator.html").page
    first = page.locator(".dh-self-check details").first
    feedback = first.locator("p")
    assert not feedback.is_visible()
    first.locator("summary").focus()
    page.keyboard.press("Enter")
    feedback.wait_for(state="visible")
    assert feedback.inner_text().startswith(("Yes, this is right.", "Not quite."))


PHONE = {"width": 390, "height": 844}


def test_the_menu_opens_on_a_phone_and_reaches_a_chapter(browser, site_url):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{site_url}/{PAGES[0]}", wait_until="networkidle")
        button = page.locator(".primary-toggle:visible").first
        button.click()
        menu = page.locator("#pst-primary-sidebar-modal")
        menu.wait_for(state="visible", timeout=5000)
        assert menu.evaluate("dialog => dialog.open")
        chapter = toc_files()[1]
        menu.locator(f'a[href$="{chapter.split("/")[-1]}.html"]').first.click()
        page.wait_for_url(f"**/{chapter}.html")
    finally:
        context.close()


def test_on_a_wide_screen_the_menu_button_folds_the_sidebar_away(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(f"{site_url}/{PAGES[0]}", wait_until="networkidle")
        sidebar = page.locator("#pst-primary-sidebar")
        assert "pst-sidebar-hidden" not in (sidebar.get_attribute("class") or "")
        page.locator(".primary-toggle:visible").first.click()
        page.wait_for_function(
            "document.querySelector('#pst-primary-sidebar').classList.contains('pst-sidebar-hidden')"
        )
        assert not page.evaluate("document.querySelector('#pst-primary-sidebar-modal').open")
    finally:
        context.close()
