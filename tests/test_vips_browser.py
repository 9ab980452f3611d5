"""The VIPS self-assessment page in Chromium: the worked example from saved state, controls found
by their labels (disabled until live), the chart and table tabs, printing and the CSV download,
the adaptation notice, and the chapter's Try it link."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from helpers import Visit
from live_checks.vips_self_assessment import OPTION_LABELS, selected_text

from dementia_housing.models import vips
from dementia_housing.views.vips import CSV_NAME, WORKED_EXAMPLE, WORKED_EXAMPLE_NAME, control_label

pytestmark = pytest.mark.browser
TOOL_PAGE = "book/tools/vips-self-assessment.html"


def open_tool(visit) -> tuple[Visit, object]:
    page = visit(TOOL_PAGE)
    page.draw_saved_widgets()
    widget = page.page.locator(".widget-vbox", has=page.page.get_by_label("Service or scheme")).first
    widget.wait_for(state="visible", timeout=15000)
    return page, widget


def test_saved_state_shows_the_worked_example_with_labelled_controls(visit):
    page, widget = open_tool(visit)
    expected = vips.assess(WORKED_EXAMPLE)
    assert page.page.get_by_label("Service or scheme", exact=True).input_value() == WORKED_EXAMPLE_NAME
    for prompt in vips.load_tool().prompts:
        control = page.page.get_by_label(control_label(prompt), exact=True)
        assert selected_text(control) == OPTION_LABELS[WORKED_EXAMPLE[prompt.id]], prompt.id
    summary = widget.locator(".dh-summary")
    assert f"Overall score: {expected.overall_text} out of 3" in summary.inner_text()
    assert summary.get_attribute("aria-live") == "polite"
    assert "not the official Care Fit for VIPS tool" in widget.locator(".dh-notice").inner_text()
    for weak in expected.weakest:
        assert weak.prompt.action in widget.inner_text()


def test_chart_and_table_tabs(visit):
    _, widget = open_tool(visit)
    expected = vips.assess(WORKED_EXAMPLE)
    chart = widget.locator("svg[role=img]")
    chart.wait_for(state="visible")
    assert "Radar chart of the VIPS element scores" in chart.locator("desc").first.text_content()

    widget.get_by_role("tab", name="Table").click()
    table = widget.locator("table.dh-table")
    table.wait_for(state="visible")
    for result in expected.elements:
        row = table.locator("tr", has_text=f"{result.element.code} {result.element.name}")
        assert row.locator("td").last.inner_text() == result.score_text
    assert not chart.is_visible()

    widget.get_by_role("tab", name="Chart").click()
    chart.wait_for(state="visible")
    assert not table.is_visible()


def test_until_it_is_live_the_rating_controls_are_disabled(visit):
    """They work from the keyboard once live (tests/live_checks/vips_self_assessment.py)."""
    page, widget = open_tool(visit)
    control = page.page.get_by_label(control_label(vips.load_tool().prompt("P2")), exact=True)
    assert selected_text(control) == OPTION_LABELS[0]
    assert control.is_disabled() and page.page.get_by_label("Service or scheme").is_disabled()
    assert widget.locator("select:enabled, input:enabled").count() == 0
    assert page.page.get_by_text("This is a saved worked example. Press Run this tool live to change it.").is_visible()


def test_the_results_print_without_the_sites_menus_buttons_or_controls(visit):
    page, widget = open_tool(visit)
    expected = vips.assess(WORKED_EXAMPLE)
    page.page.emulate_media(media="print")
    for hidden in (".bd-header", ".bd-sidebar-primary", ".dh-live", "button"):
        assert page.page.locator(hidden).evaluate_all("els => els.every(e => !e.checkVisibility())"), hidden
    assert widget.locator("select").evaluate_all("els => els.every(e => !e.checkVisibility())")
    assert not widget.get_by_text(vips.load_tool().prompt("P2").text).is_visible(), "the prompts are not printed"
    # the results are, with both the chart and the table
    assert widget.locator(".dh-summary").is_visible()
    assert widget.locator("svg[role=img]").is_visible() and widget.locator("table.dh-table").is_visible()
    assert expected.weakest[0].prompt.action in widget.locator(".dh-actions").inner_text()
    page.page.emulate_media(media="screen")
    assert not widget.locator("table.dh-table").is_visible()  # on screen, one tab at a time


def test_the_results_can_be_downloaded_as_csv(visit):
    _, widget = open_tool(visit)
    link = widget.get_by_role("link", name="Download your ratings and results (CSV)")
    assert link.get_attribute("download") == CSV_NAME
    href = link.get_attribute("href")
    assert href.startswith("data:text/csv;charset=utf-8,")
    assert unquote(href.split(",", 1)[1]) == vips.results_csv(WORKED_EXAMPLE, WORKED_EXAMPLE_NAME)


def test_static_worked_example_and_notice_are_on_the_page_without_the_widget(visit):
    page = visit(TOOL_PAGE).page
    example = page.locator("h3", has_text="Worked example: Hawthorn Gardens").locator("xpath=..")
    assert example.locator("svg[role=img] desc").first.text_content().startswith("Radar chart")
    assert example.locator("table.dh-table").count() == 1
    notice = page.locator(".admonition", has_text="An adaptation for learning, not the official tool")
    assert "not Care Fit for VIPS" in notice.inner_text() and "**" not in notice.inner_text()


def test_chapter_try_it_links_to_the_tool_and_has_its_self_check(visit):
    page = visit("book/ch04-vips.html").page
    link = page.locator("section#try-it-the-housing-vips-self-assessment").get_by_role(
        "link", name="housing VIPS self-assessment"
    )
    link.click()
    page.wait_for_url("**/book/tools/vips-self-assessment.html")
    page.go_back()
    assert page.locator(".dh-self-check .dh-question").count() >= 4
