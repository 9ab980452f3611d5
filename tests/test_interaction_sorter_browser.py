"""The interaction sorter's page in Chromium: the saved worked example renders, every control is
found by its label or name and works from the keyboard, and the printable answers open."""

from __future__ import annotations

import pytest
from helpers import Visit

from dementia_housing.models.interactions import VERDICT_LABELS, judge, load_catalogue
from dementia_housing.views.interactions import WORKED_EXAMPLE

pytestmark = pytest.mark.browser
PAGE = "book/tools/interaction-sorter.html"


def open_sorter(visit) -> Visit:
    page = visit(PAGE)
    page.page.locator(".widget-vbox").first.wait_for(state="visible", timeout=15000)
    return page


def test_the_widget_shows_the_worked_example_from_saved_state(visit):
    page = open_sorter(visit).page
    catalogue = load_catalogue()
    vignette = catalogue.vignette(WORKED_EXAMPLE["vignette"])
    expected = judge(vignette.id, WORKED_EXAMPLE["verdict"], WORKED_EXAMPLE["kind"])
    widget = page.locator(".widget-vbox").first

    assert vignette.title in widget.inner_text()
    assert page.get_by_label(VERDICT_LABELS["undermines"], exact=True).is_checked()
    assert not page.get_by_label(VERDICT_LABELS["upholds"], exact=True).is_checked()
    kind = page.get_by_label("Kind of interaction", exact=True)
    chosen = kind.evaluate("select => select.options[select.selectedIndex].text")
    assert chosen == catalogue.kind(WORKED_EXAMPLE["kind"]).label
    feedback = widget.locator(".dh-feedback")
    assert feedback.get_attribute("aria-live") == "polite"
    assert feedback.inner_text().startswith(expected.headline)
    assert expected.paragraphs[-2] in feedback.inner_text()  # the explanation
    assert "1 of 1 right so far." in widget.locator(".dh-tally").inner_text()
    assert page.get_by_role("button", name="Previous vignette").is_disabled()
    assert page.get_by_role("button", name="Next vignette").is_enabled()


def test_every_control_is_reachable_and_usable_by_keyboard(visit):
    page = open_sorter(visit).page
    upholds = page.get_by_label(VERDICT_LABELS["upholds"], exact=True)
    upholds.focus()
    page.keyboard.press("Space")
    assert upholds.is_checked()

    kind = page.get_by_label("Kind of interaction", exact=True)
    kind.focus()
    before = kind.input_value()
    page.keyboard.press("ArrowDown")
    assert kind.input_value() != before

    for name in ("Check answer", "Next vignette"):
        button = page.get_by_role("button", name=name)
        button.focus()
        assert button.evaluate("element => element === document.activeElement"), name


def test_the_static_worked_example_and_printable_answers(visit):
    page = open_sorter(visit).page
    catalogue = load_catalogue()
    first = catalogue.vignette(WORKED_EXAMPLE["vignette"])
    heading = page.get_by_role("heading", name=f"Worked example: {first.title}")
    assert heading.is_visible()

    # The printable list: one disclosure per vignette, opened with the keyboard.
    answers = page.locator("details.dh-option", has_text="Answer and discussion")
    assert answers.count() == len(catalogue.vignettes)
    last = catalogue.vignettes[-1]
    disclosure = page.locator("details", has=page.locator("summary", has_text=last.title)).last
    explanation = disclosure.locator("p", has_text=last.explanation[:40])
    assert not explanation.is_visible()
    disclosure.locator("summary").focus()
    page.keyboard.press("Enter")
    explanation.wait_for(state="visible")
    assert VERDICT_LABELS[last.verdict] in disclosure.inner_text()
