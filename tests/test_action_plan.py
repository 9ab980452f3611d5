"""The action plan builder: reading a learner's entry, changing and checking a plan, starting
from a VIPS self-assessment, the CSV and the printable plan, bad data, and the view driven
through its widgets."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from datetime import date
from html import escape, unescape
from urllib.parse import unquote

import pytest
from helpers import ROOT, assert_data_error

from dementia_housing.models import action_plan as model
from dementia_housing.models import vips
from dementia_housing.models.action_plan import (
    CSV_HEADER,
    MISSING,
    Action,
    Plan,
    PlanError,
    check,
    from_vips,
    parse_action,
    parse_date,
    parse_guide,
    plan_csv,
    status,
)
from dementia_housing.models.spreadsheet import BOM
from dementia_housing.views.action_plan import (
    EXAMPLE_DATE,
    ActionPlanBuilder,
    example_plan,
    plan_html,
    worked_example_html,
)
from dementia_housing.views.base import ToolView
from dementia_housing.views.vips import WORKED_EXAMPLE as VIPS_EXAMPLE

TODAY = date(2026, 11, 2)
GUIDE_FILE = "data/action-plan.json"
RAW_GUIDE = json.loads((ROOT / GUIDE_FILE).read_text(encoding="utf-8"))
COMPLETE = {
    "element": "P",
    "what": "Rewrite the arrears letter with two tenants living with dementia and a carer.",
    "owner": "Income manager",
    "due": "31/03/2027",
    "measure": "The new letter is in use, and what the tenants who tested it say about it.",
    "baseline": "The current letter has not been read by any tenant before it is sent.",
    "involvement": "Two tenants living with dementia and a carer test each draft.",
}


def problems_of(fields: dict, written: date = TODAY) -> dict[str, str]:
    with pytest.raises(PlanError) as caught:
        parse_action(fields, written)
    return dict(caught.value.problems)


def plan_with(*actions: Action, reasons: dict[str, str] | None = None) -> Plan:
    plan = model.new_plan(TODAY, "A plan", "Ash Court")
    for action in actions:
        plan = model.add(plan, action)
    for code, reason in (reasons or {}).items():
        plan = model.set_reason(plan, code, reason)
    return plan


def complete(element: str = "P", **changes: str) -> Action:
    return parse_action({**COMPLETE, "element": element, **changes}, TODAY)


# Reading one action -----------------------------------------------------------------------------


def test_a_complete_entry_is_read_with_its_words_tidied():
    action = parse_action({**COMPLETE, "owner": "  Income\n manager ", "element": "p: anything"}, TODAY)
    assert action == Action(
        "P",
        COMPLETE["what"],
        "Income manager",
        date(2027, 3, 31),
        COMPLETE["measure"],
        COMPLETE["baseline"],
        COMPLETE["involvement"],
    )
    assert action.missing() == ()


@pytest.mark.parametrize("field", ["owner", "measure", "what", "baseline", "involvement"])
@pytest.mark.parametrize("empty", ["", "   ", None])
def test_an_action_needs_each_of_its_fields(field, empty):
    with pytest.raises(PlanError) as caught:
        parse_action({**COMPLETE, field: empty}, TODAY)
    assert (caught.value.field, caught.value.message, str(caught.value)) == (field, MISSING[field], MISSING[field])


def test_every_problem_is_given_at_once_each_with_its_field_in_form_order():
    found = problems_of({"element": "X", "what": "Something", "due": "soon"})
    assert list(found) == ["element", "owner", "due", "measure", "baseline", "involvement"]
    assert found["owner"].startswith("Name an owner") and "role or the person" in found["owner"]
    assert found["measure"].startswith("Say how you will know")
    assert "'not known yet'" in found["baseline"]
    assert "why" in found["involvement"]  # it may say why not yet, but cannot be empty
    assert found["element"] == MISSING["element"]


def test_a_baseline_not_known_yet_is_accepted_when_said():
    assert complete(baseline="not known yet").baseline == "not known yet"


@pytest.mark.parametrize("text", ["2027-03-31", "31/03/2027", "31-03-2027", "31.3.2027", " 31/03/2027 "])
def test_a_due_date_may_be_written_either_way(text):
    assert parse_date(text, TODAY) == date(2027, 3, 31)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("31/02/2027", "31/02/2027 is not a real date: February 2027 has 28 days"),
        ("29/02/2027", "February 2027 has 28 days"),
        ("2027-04-31", "April 2027 has 30 days"),
        ("03/31/2027", "there is no month 31. Write the day first"),
        ("next March", "'next March' is not a date. Write it as 31/03/2027"),
        ("31/03/27", "Write the year in full: for 31/03/27, write 31/03/2027"),
        ("", "Give a due date"),
        ("2026-11-02", "is not after the date of the plan, 2 November 2026"),
        ("01/01/2026", "The due date, 1 January 2026, is not after the date of the plan"),
    ],
)
def test_a_bad_or_past_due_date_is_named(text, words):
    with pytest.raises(PlanError) as caught:
        parse_date(text, TODAY)
    assert caught.value.field == "due" and words in caught.value.message
    assert problems_of({**COMPLETE, "due": text})["due"] == caught.value.message


def test_a_leap_day_is_a_real_date():
    assert parse_date("29/02/2028", TODAY) == date(2028, 2, 29)


# Changing a plan ------------------------------------------------------------------------------


def test_plans_are_immutable_and_change_by_copy():
    first = model.new_plan(TODAY)
    assert first.title == model.load_guide().title and first.actions == ()
    second = model.add(first, complete())
    third = model.replace(second, 0, complete("V"))
    fourth = model.remove(third, 0)
    assert first.actions == () and second.actions == (complete(),) and third.actions == (complete("V"),)
    assert fourth.actions == ()
    assert model.retitle(first, "  ", " Ash  Court ") == Plan(model.load_guide().title, "Ash Court", TODAY)


@pytest.mark.parametrize("index", [1, -1, 5])
def test_there_is_no_action_beyond_the_plan(index):
    plan = plan_with(complete())
    with pytest.raises(PlanError, match=r"There is no action \d+ in this plan: it has 1 action\.") as caught:
        model.remove(plan, index)
    assert caught.value.field == "action"
    with pytest.raises(PlanError):
        model.replace(plan, index, complete())
    with pytest.raises(PlanError, match="Choose an action from the list first"):
        model.action_at(plan, None)
    with pytest.raises(PlanError, match="no actions in this plan yet"):
        model.action_at(model.new_plan(TODAY), None)


def test_an_action_due_before_the_plan_cannot_be_added():
    with pytest.raises(PlanError, match="not after the date of the plan") as caught:
        model.add(model.new_plan(date(2027, 6, 1)), complete())
    assert caught.value.field == "due"
    with pytest.raises(PlanError) as caught:
        model.add(model.new_plan(TODAY), Action("Q", "Something"))
    assert caught.value.field == "element"


def test_reasons_are_kept_in_vips_order_and_emptied_away():
    plan = model.set_reason(model.set_reason(model.new_plan(TODAY), "S", " Next year. "), "i", "Strong already.")
    assert plan.reasons == (("I", "Strong already."), ("S", "Next year."))
    assert model.set_reason(plan, "S", "  ").reasons == (("I", "Strong already."),)
    with pytest.raises(PlanError):
        model.set_reason(plan, "Z", "why")


# Is it ready? ---------------------------------------------------------------------------------


def test_an_element_without_an_action_or_a_reason_stops_the_plan():
    plan = plan_with(complete("V"), complete("I"), complete("P"))
    assert check(plan) == [
        ("S", "S A positive social environment has no action. Add one, or say why not under 'Reason if no action'.")
    ]
    assert status(plan) == "draft: 1 thing to finish"
    ready = model.set_reason(plan, "S", "Rated highly; reviewed next year.")
    assert check(ready) == [] and status(ready) == "ready"
    assert model.status_line(ready).startswith("Ready:")


def test_every_unfinished_field_of_an_action_is_a_thing_to_finish():
    plan = plan_with(complete("V"), complete("I"), complete("S"), Action("P", "Review letters.", baseline="x"))
    found = check(plan)
    assert [where for where, _ in found] == ["owner", "due", "measure", "involvement"]
    assert all(message.startswith("Action 4 (P: Review letters.): ") for _, message in found)
    assert status(plan) == "draft: 4 things to finish"
    assert model.status_line(plan) == "Draft: 4 things to finish before this plan is ready."


def test_an_empty_plan_lists_all_four_elements():
    assert [where for where, _ in check(model.new_plan(TODAY))] == list(vips.ELEMENT_CODES)


# From a VIPS self-assessment ------------------------------------------------------------------


def test_from_vips_makes_a_draft_for_each_weakest_indicator():
    weakest = vips.assess(VIPS_EXAMPLE).weakest
    plan = from_vips(VIPS_EXAMPLE, TODAY, organisation="Hawthorn Gardens")
    assert plan.written == TODAY and plan.organisation == "Hawthorn Gardens"
    assert len(plan.actions) == len(weakest) > 0
    for action, weak in zip(plan.actions, weakest, strict=True):
        assert (action.element, action.what) == (weak.prompt.element, weak.prompt.action)
        label = vips.load_tool().label(weak.rating)
        assert action.baseline == f"{weak.prompt.id} {weak.prompt.title}: rated '{label}' in the self-assessment"
        assert action.missing() == ("owner", "due", "measure", "involvement")
    # Hawthorn Gardens' weakest are P2, P5, P1, V2, V6: I and S have no action and no reason.
    uncovered = [where for where, _ in check(plan) if where in vips.ELEMENT_CODES]
    assert uncovered == [c for c in vips.ELEMENT_CODES if c not in {w.prompt.element for w in weakest}]
    assert len(check(plan)) == len(uncovered) + 4 * len(weakest)


def test_from_vips_with_every_rating_at_the_top_gives_an_empty_plan():
    top = {p.id: vips.load_tool().maximum for p in vips.load_tool().prompts}
    assert from_vips(top, TODAY).actions == ()
    with pytest.raises(ValueError, match="prompt V1"):
        from_vips({"V1": 7}, TODAY)


# The CSV and the printable plan ---------------------------------------------------------------


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :])))


def test_the_csv_holds_every_action_the_reasons_and_the_plan():
    plan = example_plan()
    rows = csv_rows(plan_csv(plan))
    assert tuple(rows[0]) == CSV_HEADER
    for action, row in zip(plan.actions, rows[1:], strict=False):
        due = action.due.isoformat() if action.due else ""
        back = Action(row[0].split()[0], row[1], row[2], date.fromisoformat(due) if due else None, *row[4:])
        assert back == action and row[0] == model.element_label(action.element)
    rest = rows[1 + len(plan.actions) :]
    reasons = [row for row in rest if row and row[1].startswith("No action: ")]
    assert reasons == [[model.element_label(c), f"No action: {r}"] for c, r in plan.reasons if not plan.actions_for(c)]
    assert reasons and rest[len(reasons)] == []
    assert rest[len(reasons) + 1 :] == [
        ["plan", plan.title],
        ["organisation", plan.organisation],
        ["written", "2026-11-02"],
        ["status", status(plan)],
    ]


def test_typed_text_is_never_a_spreadsheet_formula():
    plan = model.retitle(plan_with(complete(owner="=HYPERLINK(1)", measure="-5 complaints")), "+plan", "@home")
    rows = csv_rows(plan_csv(plan))
    assert rows[1][2:5:2] == ["'=HYPERLINK(1)", "'-5 complaints"]
    assert ["plan", "'+plan"] in rows and ["organisation", "'@home"] in rows


def test_a_reason_for_an_element_that_has_actions_is_not_exported():
    plan = plan_with(complete("V"), reasons={"V": "not needed"})
    assert "not needed" not in plan_csv(plan)


def test_the_printable_plan_shows_status_tables_and_measures():
    plan = example_plan()
    html = plan_html(plan)
    assert escape(plan.title) in html and escape(plan.organisation) in html and "2 November 2026" in html
    assert f"<strong>Status:</strong> {escape(model.status_line(plan))}" in html
    assert model.status_line(plan).startswith(f"Draft: {len(check(plan))} things to finish")
    for code in vips.ELEMENT_CODES:
        actions = plan.actions_for(code)
        if actions:
            assert f"<caption>{escape(model.element_label(code))}: {len(actions)} action" in html
        else:
            assert escape(plan.reason(code)) in html
    assert html.count('<table class="dh-table">') == len({a.element for a in plan.actions})
    measures = html.split("Measures to report back on", 1)[1]
    assert all(escape(a.measure) in measures for a in plan.actions if a.measure)
    ready = plan_with(*(complete(c) for c in vips.ELEMENT_CODES))
    assert "<strong>Status:</strong> Ready: every VIPS element" in plan_html(ready)


def test_the_worked_example_has_complete_and_draft_actions_and_a_fixed_date():
    plan = example_plan()
    assert plan.written == EXAMPLE_DATE
    done = [a for a in plan.actions if not a.missing()]
    drafts = [a for a in plan.actions if a.missing()]
    assert 2 <= len(done) <= 3 and drafts
    assert not [where for where, _ in check(plan) if where in vips.ELEMENT_CODES]
    html = worked_example_html()
    assert "Hawthorn Gardens" in html and escape(model.status_line(plan)) in html
    assert worked_example_html() == html  # the same on any day


# The data file --------------------------------------------------------------------------------


def test_the_guide_has_help_for_each_element_in_order():
    guide = model.load_guide()
    assert [e.code for e in guide.elements] == list(vips.ELEMENT_CODES)
    assert all(e.measure_example and e.involvement_example for e in guide.elements)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: d["elements"][1].update(code="P"), "elements[1].code", "must be 'I'"),
        (lambda d: d["elements"].pop(), "elements", "between 4 and 4 elements (found 3)"),
        (lambda d: d["elements"][2].update(measure_example=" "), "elements[2].measure_example", "empty"),
        (lambda d: d["elements"][3].pop("involvement_example"), "elements[3].involvement_example", "missing"),
        (lambda d: d.pop("title"), "title", "missing"),
    ],
)
def test_bad_data_names_the_line_and_field(change, field, words):
    data = copy.deepcopy(RAW_GUIDE)
    change(data)
    with pytest.raises(Exception) as caught:
        parse_guide(data, GUIDE_FILE)
    assert_data_error(caught.value, data, GUIDE_FILE, field, words)


# The view, driven through its widgets --------------------------------------------------------


def fill(tool: ActionPlanBuilder, fields: dict[str, str]) -> None:
    for name, value in fields.items():
        tool.fields[name].value = value


def test_the_view_opens_on_the_worked_example():
    tool = ActionPlanBuilder.worked_example()
    assert isinstance(tool, ToolView) and tool.plan == example_plan()
    assert tool.printable.value == plan_html(example_plan())
    assert tool.reasons["I"].value == example_plan().reason("I")
    assert tool.fields["owner"].description == "Owner (a role or a name)"
    assert all(field.description for field in (*tool.fields.values(), *tool.reasons.values()))


def test_adding_an_action_through_the_widgets_updates_the_list_to_the_models():
    tool = ActionPlanBuilder(start="empty", today=TODAY)
    fill(tool, COMPLETE)
    tool.add_button.click()
    expected = model.add(model.new_plan(TODAY), parse_action(COMPLETE, TODAY))
    assert tool.plan == expected
    assert escape(COMPLETE["what"]) in tool.actions.value and "(Complete)" in tool.actions.value
    assert tool.pick_field.options == ((f"1. P: {model.short(COMPLETE['what'])}", 0),)
    assert tool.fields["what"].value == "" and all(e.value == "" for e in tool.errors.values())
    assert all(escape(p.message) in tool.readiness.value for p in check(expected))


def test_a_missing_owner_shows_the_models_message_beside_the_owner_field():
    tool = ActionPlanBuilder(start="empty", today=TODAY)
    fill(tool, {**COMPLETE, "owner": ""})
    tool.add_button.click()
    assert tool.errors["owner"].value == ToolView.field_error(problems_of({**COMPLETE, "owner": ""})["owner"])
    assert 'role="alert"' in tool.errors["owner"].value
    children = list(tool.view.children)
    assert children.index(tool.errors["owner"]) == children.index(tool.fields["owner"]) + 1
    assert tool.plan.actions == ()
    tool.fields["owner"].value = "Scheme manager"
    assert tool.errors["owner"].value == ""


def test_a_bad_date_shows_beside_the_due_date_field():
    tool = ActionPlanBuilder(start="empty", today=TODAY)
    fill(tool, {**COMPLETE, "due": "31/02/2027"})
    tool.add_button.click()
    assert "February 2027 has 28 days" in unescape(tool.errors["due"].value)


def test_changing_and_removing_an_action_in_the_view():
    tool = ActionPlanBuilder.worked_example()
    plan = example_plan()
    draft = next(i for i, a in enumerate(plan.actions) if a.missing())
    tool.pick_field.value = draft
    tool.edit_button.click()
    assert tool.fields["what"].value == plan.actions[draft].what
    assert tool.add_button.description == f"Save changes to action {draft + 1}"
    fill(tool, {k: v for k, v in COMPLETE.items() if k not in {"element", "what"}})
    tool.add_button.click()
    finished = model.parse_action(
        {**COMPLETE, "element": plan.actions[draft].element, "what": plan.actions[draft].what}, EXAMPLE_DATE
    )
    assert tool.plan == model.replace(plan, draft, finished)
    assert tool.add_button.description == "Add action"
    tool.pick_field.value = 0
    tool.remove_button.click()
    assert tool.plan == model.remove(model.replace(plan, draft, finished), 0)


def test_reasons_details_and_starting_again_go_through_the_model():
    tool = ActionPlanBuilder(start="empty", today=TODAY)
    tool.reasons["S"].value = "Strong already."
    tool.organisation_field.value = "Ash Court"
    assert tool.plan == model.set_reason(
        model.retitle(model.new_plan(TODAY), tool.plan.title, "Ash Court"), "S", "Strong already."
    )
    tool.start_field.value = "vips-example"
    tool.start_button.click()
    assert tool.plan == from_vips(VIPS_EXAMPLE, TODAY, organisation="Hawthorn Gardens, an extra care scheme")
    assert tool.reasons["S"].value == "" and tool.organisation_field.value == tool.plan.organisation
    assert "not available yet" in tool.view.children[0].value


def test_the_csv_link_decodes_to_the_models_csv():
    tool = ActionPlanBuilder.worked_example()
    link = re.search(r'<a download="action-plan\.csv" href="data:text/csv;charset=utf-8,([^"]*)">', tool.download.value)
    assert link and unquote(unescape(link.group(1))) == plan_csv(tool.plan)
    assert "Print" in tool.download.value


def test_the_view_fits_a_phone():
    """No widget is fixed wider than 20em, so the tool fits a 390 px screen."""
    stack, found = [ActionPlanBuilder.worked_example().view], set()
    while stack:
        widget = stack.pop()
        stack += getattr(widget, "children", ())
        found |= {w for w in (widget.layout.width, widget.layout.max_width) if w}
    assert found <= {"100%", "auto", "40em"}, found
