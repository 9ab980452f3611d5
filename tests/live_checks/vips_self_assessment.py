"""The housing VIPS self-assessment, live: change a rating, compare with the model; "Don't know" is never 0."""

from __future__ import annotations

from dementia_housing.models import vips
from dementia_housing.views.vips import WORKED_EXAMPLE as VIPS_EXAMPLE
from dementia_housing.views.vips import control_label, rating_options

OPTION_LABELS = {value: label for label, value in rating_options(vips.load_tool())}


def selected_text(control) -> str:
    """The chosen option's text; the widget writes its spaces as no-break spaces."""
    return control.evaluate("select => select.options[select.selectedIndex].text").replace("\xa0", " ")


def as_shown(label: str) -> str:
    """An option's label as the widget shows it, for select_option."""
    return label.replace(" ", "\xa0")


def check(page, area) -> None:
    """Live in the browser, the tool recomputes with the model's answer (for the live-tool checks)."""
    control = area.get_by_label(control_label(vips.load_tool().prompt("P2")), exact=True)
    assert selected_text(control) == OPTION_LABELS[0]
    control.select_option(label=as_shown(OPTION_LABELS[3]))
    expected = vips.assess({**VIPS_EXAMPLE, "P2": 3})
    area.locator(".dh-summary").get_by_text(f"Overall score: {expected.overall_text} out of 3").wait_for()

    # Six "Don't know" answers in P leave it without a score, never 0.
    for prompt in vips.load_tool().element("P").prompts:
        area.get_by_label(control_label(prompt), exact=True).select_option(
            label=as_shown(OPTION_LABELS[vips.DONT_KNOW])
        )
    area.get_by_role("tab", name="Table").click()
    row = area.locator("table.dh-table tr", has_text="P Looking from the person")
    row.get_by_text(vips.NOT_ENOUGH).wait_for()
