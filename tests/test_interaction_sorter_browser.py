"""The interaction sorter's page in Chromium: the saved worked example renders with its controls
disabled until the sorter is live, found by their label or name, and the printable answers open."""

from __future__ import annotations

import pytest
from helpers import Visit

from dementia_housing.models.interactions import VERDICT_LABELS, judge, load_catalogue
from dementia_housing.views.interactions import WORKED_EXAMPLE

pytestmark = pytest.mark.browser
PAGE = "book/tools/interaction-sorter.html"


def open_sorter(visit) -> Visit:
    page = visit(PAGE)
    page.draw_saved_widgets()
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
    # The worked example is not the learner's answer: it is not in their score.
    assert "No answers checked yet." in widget.locator(".dh-tally").inner_text()
    assert "right so far" not in widget.locator(".dh-tally").inner_text()


def test_until_it_is_live_the_saved_sorter_cannot_be_used_and_says_so(visit):
    """Next and Check used to look live and do nothing; now every control is disabled (the live
    check, tests/live_checks/interaction_sorter.py, uses them by keyboard once live)."""
    page = open_sorter(visit).page
    widget = page.locator(".dh-saved-example .widget-vbox").first
    for name in ("Check answer", "Previous vignette", "Next vignette"):
        assert widget.get_by_role("button", name=name).is_disabled(), name
    for label in VERDICT_LABELS.values():
        assert widget.get_by_label(label, exact=True).is_disabled()
    assert widget.get_by_label("Kind of interaction", exact=True).is_disabled()
    assert page.get_by_text("This is a saved worked example. Press Run this tool live to change it.").is_visible()


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
