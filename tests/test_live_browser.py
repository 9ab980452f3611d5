"""Each tool runs live in Chromium: nothing extra loads until "Run this tool live" is pressed;
then our Python runs in the page, a changed input recomputes the tool (checked against the
model run here), and every request stays on 127.0.0.1. If the browser cannot run the live
tool, the reader is told so and the saved worked example stays."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from test_book import toc_files
from test_site_browser import Visit, visit  # noqa: F401  (the fixture and the class it returns)
from test_vips_browser import check_vips_self_assessment

from dementia_housing import interactions, prevalence
from dementia_housing.widgets.interactions import WORKED_EXAMPLE as SORTER_EXAMPLE
from dementia_housing.widgets.prevalence import WORKED_EXAMPLE, band_title

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
from live_tools import live_cells  # noqa: E402

pytestmark = pytest.mark.browser
START_TIMEOUT_MS = 90_000  # a cold start on a slow CI machine; the benchmark reports real times


def check_prevalence(page, area) -> None:
    field = area.get_by_label(band_title("95+"), exact=True)
    assert field.input_value() == str(WORKED_EXAMPLE["95+"])
    field.fill("40")
    field.press("Enter")
    expected = prevalence.estimate({**WORKED_EXAMPLE, "95+": 40})
    summary = area.locator(".dh-summary")
    summary.get_by_text(f"of the {expected.total_residents} people entered").wait_for()
    assert f"About {expected.expected_whole} people" in summary.inner_text()
    assert f"estimate {expected.expected:.1f}" in summary.inner_text()

    band = area.get_by_label(band_title("80-84"), exact=True)
    band.fill("2.5")
    band.press("Tab")
    with pytest.raises(ValueError) as reason:
        prevalence.parse_count(band_title("80-84"), "2.5")
    area.get_by_text(str(reason.value)).wait_for()
    assert band.input_value() == "2.5"


def check_interaction_sorter(page, area) -> None:
    catalogue = interactions.load_catalogue()
    start = catalogue.position(SORTER_EXAMPLE["vignette"])
    following = catalogue.vignettes[start + 1]
    area.get_by_role("button", name="Next vignette").click()
    area.get_by_text(following.text).wait_for()
    assert f"Vignette {start + 2} of {len(catalogue.vignettes)}" in area.inner_text()

    # Checking with no verdict gives the model's own message, next to the verdict.
    area.get_by_role("button", name="Check answer").click()
    with pytest.raises(interactions.AnswerError) as reason:
        interactions.judge(following.id, None, None, catalogue)
    area.locator(".dh-field-error").get_by_text(str(reason.value)).wait_for()

    # A right answer gets the model's verdict on it.
    area.get_by_role("radio", name=interactions.VERDICT_LABELS[following.verdict]).check()
    area.get_by_label("Kind of interaction").select_option(label=catalogue.kind(following.kind).label)
    area.get_by_role("button", name="Check answer").click()
    worked = interactions.judge(
        SORTER_EXAMPLE["vignette"], SORTER_EXAMPLE["verdict"], SORTER_EXAMPLE["kind"], catalogue
    )
    judgement = interactions.judge(following.id, following.verdict, following.kind, catalogue)
    tally = interactions.Tally().record(worked).record(judgement)
    area.locator(".dh-tally").get_by_text(tally.summary()).wait_for()


# Every tool page with a live cell, and how to check that it recomputes.
LIVE_CHECKS: dict[str, Callable] = {
    "book/tools/prevalence-estimator": check_prevalence,
    "book/tools/interaction-sorter": check_interaction_sorter,
    "book/tools/vips-self-assessment": check_vips_self_assessment,
}
LIVE_PAGES = [
    entry for entry in toc_files() if (ROOT / f"{entry}.ipynb").exists() and live_cells(ROOT / f"{entry}.ipynb")
]


def test_every_live_tool_in_the_book_has_a_browser_check():
    assert set(LIVE_PAGES) == set(LIVE_CHECKS)


def live_requests(opened: Visit) -> list[str]:
    return [url for url in opened.requested if "/live/" in url]


@pytest.mark.parametrize("entry", LIVE_PAGES)
def test_the_tool_runs_live_after_the_button_is_pressed(visit, entry):  # noqa: F811
    opened = visit(f"{entry}.html")
    page = opened.page
    assert live_requests(opened) == [], "the page loaded the live runtime before anyone asked"

    button = page.get_by_role("button", name="Run this tool live")
    button.focus()
    page.keyboard.press("Enter")  # keyboard-usable
    area = page.locator(".dh-live-area").first
    area.locator(".widget-vbox").first.wait_for(timeout=START_TIMEOUT_MS)
    assert page.locator(".dh-live-status").first.inner_text().startswith("Live:")
    assert page.locator(".cell_output[hidden]").count() == 1, "the saved example gives way to the live tool"

    LIVE_CHECKS[entry](page, area)

    assert live_requests(opened), "the live tool loaded nothing from the site's /live/ folder"
    assert opened.outside == [], "requests left 127.0.0.1"
    assert opened.failed == [], "some files the live tool needs were not found"
    assert opened.errors == [], "console errors"
    assert opened.axe_violations() == []


def test_a_browser_without_webassembly_is_told_and_keeps_the_worked_example(visit):  # noqa: F811
    opened = visit(LIVE_PAGES[0] + ".html")
    page = opened.page
    page.evaluate("() => { delete window.WebAssembly; }")
    page.get_by_role("button", name="Run this tool live").click()
    status = page.locator(".dh-live-status").first
    status.get_by_text("could not start").wait_for()
    assert "WebAssembly" in status.inner_text()
    assert page.locator(".cell_output .widget-vbox").first.is_visible()
    assert page.get_by_role("button", name="Try again").is_enabled()
    assert opened.outside == []
