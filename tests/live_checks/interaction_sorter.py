"""The interaction sorter, live: move on, check with no verdict, then answer right; compare with the model."""

from __future__ import annotations

import pytest

from dementia_housing.models import interactions
from dementia_housing.views.interactions import WORKED_EXAMPLE as SORTER_EXAMPLE


def check(page, area) -> None:
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
