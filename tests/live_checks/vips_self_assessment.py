"""The housing VIPS self-assessment, live: change a rating by keyboard, compare with the model;
"Don't know" is never 0, and a missing overall score is explained; the CSV follows the ratings."""

from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import expect

from dementia_housing.models import vips
from dementia_housing.views.vips import CSV_NAME, WORKED_EXAMPLE_NAME, control_label, rating_options
from dementia_housing.views.vips import WORKED_EXAMPLE as VIPS_EXAMPLE

OPTION_LABELS = {value: label for label, value in rating_options(vips.load_tool())}


def selected_text(control) -> str:
    """The chosen option's text; the widget writes its spaces as no-break spaces."""
    return control.evaluate("select => select.options[select.selectedIndex].text").replace("\xa0", " ")


def all_dont_know() -> dict[str, str]:
    return {p.id: vips.DONT_KNOW for p in vips.load_tool().element("P").prompts}


def as_shown(label: str) -> str:
    """An option's label as the widget shows it, for select_option."""
    return label.replace(" ", "\xa0")


def check(page, area) -> None:
    """Live in the browser, the tool recomputes with the model's answer (for the live-tool checks)."""
    control = area.get_by_label(control_label(vips.load_tool().prompt("P2")), exact=True)
    assert selected_text(control) == OPTION_LABELS[0]
    control.focus()
    page.keyboard.press("ArrowDown")  # the rating controls work from the keyboard
    assert selected_text(control) == OPTION_LABELS[1]
    control.select_option(label=as_shown(OPTION_LABELS[3]))
    expected = vips.assess({**VIPS_EXAMPLE, "P2": 3})
    area.locator(".dh-summary").get_by_text(f"Overall score: {expected.overall_text} out of 3").wait_for()
    link = area.get_by_role("link", name="Download your ratings and results (CSV)")
    assert link.get_attribute("download") == CSV_NAME
    csv_text = vips.results_csv({**VIPS_EXAMPLE, "P2": 3}, WORKED_EXAMPLE_NAME)
    expect(link).to_have_attribute("href", "data:text/csv;charset=utf-8," + quote(csv_text))

    # Six "Don't know" answers in P leave it without a score, never 0.
    for prompt_id in all_dont_know():
        area.get_by_label(control_label(vips.load_tool().prompt(prompt_id)), exact=True).select_option(
            label=as_shown(OPTION_LABELS[vips.DONT_KNOW])
        )
    area.get_by_role("tab", name="Table").click()
    row = area.locator("table.dh-table tr", has_text="P Looking from the person")
    row.get_by_text(vips.NOT_ENOUGH).wait_for()
    # ... and the result says why the overall score has gone, with the model's numbers.
    summary = vips.assess({**VIPS_EXAMPLE, **all_dont_know()}).summary
    [why] = [s for s in summary if s.startswith("Overall score not shown")]
    area.locator(".dh-summary").get_by_text(why).wait_for()
