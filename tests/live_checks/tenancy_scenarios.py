"""The tenancy scenarios, live: choose with nothing selected, then follow the good path to its
ending; compare the message, the feedback and the Monday actions with the model's."""

from __future__ import annotations

import pytest

from dementia_housing.models import scenarios
from dementia_housing.views.scenarios import WORKED_EXAMPLE


def check(page, area) -> None:
    scenario = scenarios.load_scenario(WORKED_EXAMPLE["scenario"])
    walk = scenarios.Walk(scenario.id, tuple(WORKED_EXAMPLE["choices"]))

    # Choosing with nothing selected gives the model's own message, beside the options.
    area.get_by_role("button", name="Choose", exact=True).click()
    with pytest.raises(scenarios.ChoiceError) as reason:
        scenarios.choose(scenario, walk, None)
    area.locator(".dh-field-error").get_by_text(str(reason.value)).wait_for()

    # The rest of the good path: each choice gets the model's feedback, the ending its Monday list.
    for letter in scenarios.good_path(scenario)[len(walk.choices) :]:
        area.get_by_role("radio", name=letter, exact=True).check()
        area.get_by_role("button", name="Choose", exact=True).click()
        walk = scenarios.choose(scenario, walk, letter)
        choice = scenarios.steps(scenario, walk)[-1].choice
        area.locator(".dh-feedback").get_by_text(choice.feedback).wait_for()
    ending = scenarios.where(scenario, walk)
    assert isinstance(ending, scenarios.Ending)
    area.get_by_text("What to do on Monday").wait_for()
    for item in ending.monday:
        area.locator(".dh-summary").get_by_text(item, exact=True).wait_for()
    csv_link = area.get_by_role("link", name="Download your path and this summary (CSV)")
    assert csv_link.get_attribute("download") == f"{scenario.id}.csv"
