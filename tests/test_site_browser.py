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


PHONE_CONTEXT = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.mark.parametrize("path", PAGES)
def test_page_fits_a_phone_without_sideways_scrolling(visit, path):
    """At 390 px nothing widens the page: long figures, addresses and code wrap, and wide
    tables scroll inside their own box."""
    page = visit(path, **PHONE_CONTEXT).page
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways at 390 px"


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


def test_self_check_keeps_a_running_tally_of_first_answers(visit):
    """Issue 13: a running tally on the page. The first option opened in a question is the
    reader's answer; opening others afterwards explores the feedback and changes nothing."""
    page = visit("book/ch01-why-housing.html").page
    bank = page.locator(".dh-self-check").first
    tally = bank.locator(".dh-tally")
    assert tally.is_hidden(), "the tally waits for a first answer"
    questions = bank.locator(".dh-question")
    total = questions.count()
    first, second = questions.nth(0), questions.nth(1)
    wrong = first.locator('details[data-correct="false"]').first
    wrong.locator("summary").click()
    first.locator('details[data-correct="true"] summary').click()  # explored after: not counted
    second.locator('details[data-correct="true"] summary').click()
    tally.wait_for(state="visible")
    assert f"2 of {total} questions answered, 1 right at the first try" in tally.inner_text()
    assert tally.get_attribute("role") == "status"
