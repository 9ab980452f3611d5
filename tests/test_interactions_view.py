"""The interaction sorter's form on CPython: the kinds follow the verdict, checking gives feedback,
problems stay next to their field, choices survive moving between vignettes, text is escaped."""

from __future__ import annotations

import copy

import pytest
from interactions_data import MALIGNANT_SOCIAL_PSYCHOLOGY, POSITIVE_PERSON_WORK, SMALL

from dementia_housing.models.interactions import load_catalogue, parse_catalogue
from dementia_housing.views.interactions import (
    KIND_PROMPT,
    NO_VERDICT_PROMPT,
    WORKED_EXAMPLE,
    InteractionSorter,
    kinds_html,
    vignettes_html,
    worked_example_html,
)


def kind_ids(tool: InteractionSorter) -> list[str]:
    return [value for _, value in tool.kind_field.options if value]


def test_opens_on_the_worked_example_answered():
    tool = InteractionSorter(**WORKED_EXAMPLE)
    assert tool.current.id == WORKED_EXAMPLE["vignette"]
    assert tool.verdict_field.value == "undermines" and tool.kind_field.value == "outpacing"
    assert "Right on both counts." in tool.feedback.value
    assert 'aria-live="polite"' in tool.feedback.value
    assert "Outpacing: Going faster than the person can follow" in tool.kind_hint.value
    assert tool.previous_button.disabled and not tool.next_button.disabled


def test_the_worked_example_does_not_count_towards_the_learners_tally():
    tool = InteractionSorter(**WORKED_EXAMPLE)
    assert tool.tally.answered == 0
    assert "Your score:</strong> No answers checked yet." in tool.tally_display.value
    assert "The worked example does not count" in tool.tally_display.value
    assert "right so far" not in tool.tally_display.value
    tool.check_button.click()  # the learner checks the same answer themselves: now it counts
    assert "1 of 1 right so far." in tool.tally_display.value
    tool.next_button.click()
    tool.verdict_field.value = "undermines"  # the second vignette upholds personhood
    tool.kind_field.value = "outpacing"
    tool.check_button.click()
    assert "1 of 2 right so far." in tool.tally_display.value


def test_a_fresh_sorter_asks_for_a_verdict_before_the_kinds():
    tool = InteractionSorter()
    assert tool.verdict_field.value is None
    assert [label for label, _ in tool.kind_field.options] == [NO_VERDICT_PROMPT]
    assert tool.feedback.value == "" and "No answers checked yet." in tool.tally_display.value


def test_changing_the_verdict_filters_the_kinds():
    tool = InteractionSorter()
    tool.verdict_field.value = "undermines"
    assert tool.kind_field.options[0] == (KIND_PROMPT, "")
    assert kind_ids(tool) == MALIGNANT_SOCIAL_PSYCHOLOGY
    tool.kind_field.value = "mockery"
    tool.verdict_field.value = "upholds"
    assert kind_ids(tool) == POSITIVE_PERSON_WORK
    assert tool.kind_field.value == ""  # a kind from the other list cannot stay chosen
    assert tool.kind_hint.value == ""


def test_check_shows_the_models_feedback_and_updates_the_tally():
    tool = InteractionSorter()  # first vignette: undermines, best fit outpacing, disempowerment also fits
    tool.verdict_field.value = "undermines"
    tool.kind_field.value = "disempowerment"
    tool.check_button.click()
    assert "Right, and disempowerment also fits." in tool.feedback.value
    assert "The best fit is outpacing" in tool.feedback.value
    assert "1 of 1 right so far." in tool.tally_display.value


def test_a_wrong_answer_is_explained():
    tool = InteractionSorter(vignette="gas-safety-check")  # upholds, best fit negotiation
    tool.verdict_field.value = "undermines"
    tool.kind_field.value = "intimidation"
    tool.check_button.click()
    assert "Not this time." in tool.feedback.value
    assert "This interaction upholds personhood; you said it undermines it." in tool.feedback.value
    assert "0 of 1 right so far." in tool.tally_display.value


def test_missing_answers_are_shown_next_to_their_field():
    tool = InteractionSorter()
    tool.check_button.click()
    assert "Choose a verdict first" in tool.verdict_error.value and 'role="alert"' in tool.verdict_error.value
    assert tool.kind_error.value == "" and tool.feedback.value == ""
    tool.verdict_field.value = "upholds"
    assert tool.verdict_error.value == ""  # the problem is cleared once fixed
    tool.check_button.click()
    assert "Choose a kind first" in tool.kind_error.value
    assert tool.verdict_error.value == ""
    assert "No answers checked yet." in tool.tally_display.value  # nothing was judged
    tool.kind_field.value = "recognition"
    assert tool.kind_error.value == ""


def test_moving_between_vignettes_keeps_choices_and_feedback():
    tool = InteractionSorter(**WORKED_EXAMPLE)
    first_feedback = tool.feedback.value
    tool.next_button.click()
    assert tool.current.id == load_catalogue().vignettes[1].id
    assert "Vignette 2 of" in tool.story.value
    assert tool.verdict_field.value is None and tool.feedback.value == "" and tool.kind_hint.value == ""
    tool.verdict_field.value = "upholds"
    tool.kind_field.value = "negotiation"  # chosen, not yet checked
    tool.previous_button.click()
    assert (tool.verdict_field.value, tool.kind_field.value) == ("undermines", "outpacing")
    assert tool.feedback.value == first_feedback
    tool.next_button.click()
    assert (tool.verdict_field.value, tool.kind_field.value) == ("upholds", "negotiation")
    assert tool.feedback.value == ""


def test_next_stops_at_the_last_vignette():
    count = len(load_catalogue().vignettes)
    tool = InteractionSorter(vignette=load_catalogue().vignettes[-1].id)
    assert tool.next_button.disabled and not tool.previous_button.disabled
    tool.go(1)
    assert tool.index == count - 1


def test_learner_visible_text_is_escaped():
    data = copy.deepcopy(SMALL)
    data["vignettes"][0]["text"] = "She said <script>alert(1)</script> & left."
    data["vignettes"][0]["title"] = "<b>Bold</b>"
    data["vignettes"][0]["explanation"] = "<img src=x onerror=alert(1)>"
    data["kinds"]["undermines"][0]["label"] = "Out<pacing>"
    tool = InteractionSorter(
        vignette="rushed-visit", verdict="undermines", kind="outpacing", catalogue=parse_catalogue(data)
    )
    assert "<script>" not in tool.story.value and "&lt;script&gt;" in tool.story.value
    assert "&amp; left." in tool.story.value and "&lt;b&gt;Bold" in tool.story.value
    assert "<img" not in tool.feedback.value and "&lt;img" in tool.feedback.value
    assert "<pacing>" not in tool.kind_hint.value and "&lt;pacing&gt;" in tool.kind_hint.value


def test_bad_constructor_values_say_what_is_wrong():
    with pytest.raises(ValueError, match="There is no vignette called 'nowhere'"):
        InteractionSorter(vignette="nowhere")
    with pytest.raises(ValueError, match="Choose a kind of malignant social psychology"):
        InteractionSorter(vignette="repairs-visit", verdict="undermines", kind="recognition")


def test_worked_example_html_is_static_complete_and_not_live():
    page = worked_example_html()
    assert page == worked_example_html()
    assert "Worked example: Water on the bathroom floor" in page
    assert "Joan Pritchard" in page and "Right on both counts." in page
    assert "Your answer: undermines personhood; outpacing." in page
    assert "aria-live" not in page  # static text, not a live region


def test_kinds_and_vignettes_html_cover_every_kind_and_vignette():
    tables = kinds_html()
    assert tables.count("<table") == 2
    assert "Malignant social psychology: 17 kinds that undermine personhood" in tables
    assert "Positive person work: 12 kinds that uphold personhood" in tables
    listing = vignettes_html()
    catalogue = load_catalogue()
    assert listing.count("<details") == len(catalogue.vignettes)
    for vignette in catalogue.vignettes:
        assert f"Answer and discussion: {vignette.title}".replace('"', "&quot;") in listing
