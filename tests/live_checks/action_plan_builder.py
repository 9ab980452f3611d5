"""The action plan builder, live: add an action with no owner and see the model's message beside
the Owner field; complete it and see it in the plan, with the status the model gives."""

from __future__ import annotations

import pytest

from dementia_housing.models import action_plan as model
from dementia_housing.views.action_plan import EXAMPLE_DATE, LABELS, example_plan

ACTION = {
    "what": "Walk the scheme's corridors with two tenants living with dementia and note what confuses them.",
    "due": "31/03/2027",
    "measure": "A list of changes agreed with the tenants, and how many are done by the due date.",
    "baseline": model.NOT_KNOWN_YET,
    "involvement": "Two tenants living with dementia lead the walk and choose what goes on the list.",
}


def check(page, area) -> None:
    def field(name: str):
        return area.get_by_label(LABELS[name], exact=True)

    for name, value in ACTION.items():
        field(name).fill(value)
    field("element").select_option(label=model.element_label("S").replace(" ", "\xa0"))  # as the widget shows it
    add = area.get_by_role("button", name="Add action", exact=True)
    add.click()
    with pytest.raises(model.PlanError) as reason:
        model.parse_action({**ACTION, "element": "S", "owner": ""}, EXAMPLE_DATE)
    area.locator(".dh-field-error").get_by_text(reason.value.message).wait_for()

    field("owner").fill("Scheme manager")
    field("owner").press("Tab")  # the text widget sends its value on change
    add.click()
    plan = model.add(
        example_plan(), model.parse_action({**ACTION, "element": "S", "owner": "Scheme manager"}, EXAMPLE_DATE)
    )
    area.locator(".dh-plan").get_by_text(ACTION["what"], exact=True).wait_for()
    area.locator(".dh-plan-status").get_by_text(model.status(plan), exact=False).wait_for()
