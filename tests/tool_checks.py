"""How each tool is checked live in the browser: change an input, compare with the model.

Shared by the tool pages' own browser tests and the live-tool tests (a helper module, so no
test module imports another). A new tool adds its check here and one entry in LIVE_CHECKS.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dementia_housing import interactions, prevalence, vips
from dementia_housing.widgets.interactions import WORKED_EXAMPLE as SORTER_EXAMPLE
from dementia_housing.widgets.prevalence import WORKED_EXAMPLE, band_title
from dementia_housing.widgets.vips import WORKED_EXAMPLE as VIPS_EXAMPLE
from dementia_housing.widgets.vips import control_label, rating_options

OPTION_LABELS = {value: label for label, value in rating_options(vips.load_tool())}


def selected_text(control) -> str:
    """The chosen option's text; the widget writes its spaces as no-break spaces."""
    return control.evaluate("select => select.options[select.selectedIndex].text").replace("\xa0", " ")


def as_shown(label: str) -> str:
    """An option's label as the widget shows it, for select_option."""
    return label.replace(" ", "\xa0")


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


def check_vips_self_assessment(page, area) -> None:
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


# Every tool page with a live cell, and how to check that it recomputes.
LIVE_CHECKS: dict[str, Callable] = {
    "book/tools/prevalence-estimator": check_prevalence,
    "book/tools/interaction-sorter": check_interaction_sorter,
    "book/tools/vips-self-assessment": check_vips_self_assessment,
}
