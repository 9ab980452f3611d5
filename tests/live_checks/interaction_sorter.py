"""The interaction sorter, live: the tally starts empty (the worked example does not count); move
on, check with no verdict, then answer right, by keyboard; compare with the model."""

from __future__ import annotations

import pytest

from dementia_housing.models import interactions
from dementia_housing.views.interactions import WORKED_EXAMPLE as SORTER_EXAMPLE


def check(page, area) -> None:
    catalogue = interactions.load_catalogue()
    start = catalogue.position(SORTER_EXAMPLE["vignette"])
    following = catalogue.vignettes[start + 1]
    assert "Your score: No answers checked yet." in area.locator(".dh-tally").inner_text()
    next_button = area.get_by_role("button", name="Next vignette")
    next_button.focus()
    page.keyboard.press("Enter")  # the buttons work from the keyboard
    area.get_by_text(following.text).wait_for()
    assert f"Vignette {start + 2} of {len(catalogue.vignettes)}" in area.inner_text()

    # Checking with no verdict gives the model's own message, next to the verdict.
    area.get_by_role("button", name="Check answer").click()
    with pytest.raises(interactions.AnswerError) as reason:
        interactions.judge(following.id, None, None, catalogue)
    area.locator(".dh-field-error").get_by_text(str(reason.value)).wait_for()

    # A right answer, chosen by keyboard, gets the model's verdict on it; only it is in the tally.
    verdict = area.get_by_role("radio", name=interactions.VERDICT_LABELS[following.verdict])
    verdict.focus()
    page.keyboard.press("Space")
    assert verdict.is_checked()
    area.get_by_label("Kind of interaction").select_option(label=catalogue.kind(following.kind).label)
    area.get_by_role("button", name="Check answer").click()
    judgement = interactions.judge(following.id, following.verdict, following.kind, catalogue)
    tally = interactions.Tally().record(judgement)
    assert tally.summary() == "1 of 1 right so far."
    area.locator(".dh-tally").get_by_text(tally.summary()).wait_for()
