"""The business-case calculator, live: change how many hip fractures are avoided and wait for the
model's paragraph for a board paper; then type a negative count and wait for the model's message
beside that field, with the results still those of the last good entries."""

from __future__ import annotations

from dementia_housing.models import business_case as model
from dementia_housing.views.business_case import example_form

LABELS = {f.id: f.label for f in model.fields()}
HIPS = model.quantity_field("hip-fractures")
RAILS = model.count_field("grab-rails")


def check(page, area) -> None:
    def field(field_id: str):
        return area.get_by_label(LABELS[field_id], exact=True)

    changed = {**example_form(), HIPS: "3"}
    field(HIPS).fill("3")
    field(HIPS).press("Tab")  # the text widget sends its value on change
    expected = model.board_paragraph(model.calculate_form(changed))
    area.locator(".dh-board").get_by_text(expected, exact=True).wait_for()
    central = model.calculate_form(changed).estimate("central")
    row = area.locator("table.dh-table tr", has_text="Net benefit").first
    assert model.pounds(central.net) in row.inner_text()

    field(RAILS).fill("-5")
    field(RAILS).press("Tab")
    message = model.read_form({**changed, RAILS: "-5"}, changed).problem(RAILS)
    assert message == "Enter 0 or more (you typed -5)."
    area.locator(".dh-field-error").get_by_text(message, exact=True).wait_for()
    area.locator(".dh-board").get_by_text(expected, exact=True).wait_for()  # the rest keeps working
