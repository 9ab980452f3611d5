"""The action plan builder's view: a thin form over :mod:`dementia_housing.models.action_plan`.

The view reads the form, hands it to the model, and shows the model's answer: the plan's
actions, what still stops it being ready, the printable plan and a CSV copy. A problem with an
entry is shown beside its field, in the model's words. The view reads the clock (the model
never does): a plan started here is dated today, while the worked example keeps its own date.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from html import escape

import ipywidgets as widgets

from ..models import action_plan as model
from ..models import vips
from ..models.action_plan import Action, Plan, PlanError
from .base import ToolInfo, ToolView, full_width
from .render import download_html, html_table
from .vips import WORKED_EXAMPLE as VIPS_EXAMPLE
from .vips import WORKED_EXAMPLE_NAME

# The worked example: Hawthorn Gardens' plan, started from its VIPS self-assessment (the VIPS
# tool's worked example) on a fixed date, with three actions complete and three still drafts.
EXAMPLE_DATE = date(2026, 11, 2)
EXAMPLE_TITLE = "Dementia action plan, November 2026 to October 2027"
EXAMPLE_COMPLETED: dict[str, dict[str, str]] = {  # drafts from these VIPS prompts, filled in
    "P2": {
        "owner": "Housing and support manager, Hawthorn Gardens",
        "due": "31/03/2027",
        "measure": "Of ten case files checked each quarter where a tenant's behaviour worried staff, how many "
        "record an answer to 'what might this mean for the person?' before any warning.",
        "baseline": "Rated 'Not yet' in the self-assessment; none of the ten files checked in October records it.",
        "involvement": "Two tenants living with dementia and a carer from the residents' group helped to word "
        "the question, and will hear in April what has changed.",
    },
    "V2": {
        "owner": "Head of learning and development",
        "due": "2027-06-30",
        "measure": "The share of roles that meet tenants, contractors included, with dementia awareness "
        "training done, reported to the leadership team each quarter (aim: 9 in 10).",
        "baseline": "Rated 'Starting': 14 of the 40 staff who meet tenants have had awareness training.",
        "involvement": "A tenant living with dementia and her daughter will co-deliver part of each session.",
    },
}
EXAMPLE_ADDED: dict[str, str] = {
    "element": "S",
    "what": "Map local groups and dementia-friendly places near the scheme, and introduce at least one "
    "link that a tenant has asked for.",
    "owner": "Scheme coordinator",
    "due": "31/01/2027",
    "measure": "How many tenants are introduced to a group or place they asked for, and how many still go "
    "three months later.",
    "baseline": "S6 rated 'Starting'; there is no list of local groups yet.",
    "involvement": "The January tenants' meeting asks which groups and places tenants would like to be linked with.",
}
EXAMPLE_REASONS = {
    "I": "Rated well in the self-assessment (2.0 out of 3), with none of its prompts among the weakest. "
    "We will look at it again at the next self-assessment in autumn 2027, and put this year's effort into P and V.",
}

STARTS = {
    "example": "The Hawthorn Gardens worked example",
    "vips-example": "Hawthorn Gardens' weakest VIPS indicators, dated today",
    "empty": "An empty plan, dated today",
}


def _field_layout() -> widgets.Layout:
    """auto: the screen's width, less the widget's margin (a new layout for each field)."""
    return widgets.Layout(width="auto", max_width="40em")


FIELD_CLASS = "dh-plan-field"  # a labelled field: its label above it, both as wide as the screen allows
# The widgets put a label to the left of its field, right-aligned and cut short; on a phone the
# label goes above the field and wraps. The plan's tables scroll sideways rather than squeeze.
FORM_STYLE = f"""<style>
.{FIELD_CLASS} {{ flex-direction: column; align-items: stretch; height: auto; max-width: 100%; box-sizing: border-box; }}
.{FIELD_CLASS} > .widget-label {{ text-align: left; white-space: normal; width: auto; max-width: 100%;
  overflow: visible; height: auto; line-height: 1.3; margin: 0.6rem 0 0.2rem; font-weight: 600; }}
.{FIELD_CLASS} > input, .{FIELD_CLASS} > select, .{FIELD_CLASS} > textarea {{ width: 100%; max-width: 100%;
  box-sizing: border-box; flex: 0 0 auto; }}
.{FIELD_CLASS} > textarea {{ min-height: 4.5em; }}
.dh-plan-output, .dh-plan-output .widget-html-content {{ min-width: 0; max-width: 100%; }}
</style>"""
PLAN_STYLE = """<style>
.dh-plan .dh-table th, .dh-plan .dh-table td { min-width: 8em; vertical-align: top; text-align: left; }
.dh-plan .dh-table th[scope="row"] { min-width: 12em; }
</style>"""
LABEL_ABOVE = {"description_width": "initial"}
NOT_YET = "not given yet"
LABELS = {
    "element": "VIPS element",
    "what": "What will be done",
    "owner": "Owner (a role or a name)",
    "due": "Due date",
    "measure": "Measure: how you will know",
    "baseline": "Baseline: where it stands now",
    "involvement": "How people living with dementia and carers are involved",
}
PLACEHOLDERS = {
    "what": "One clear step someone else could act on",
    "owner": "for example, Scheme manager",
    "due": "for example, 31/03/2027",
    "measure": "A number, a date or what tenants tell you, that you can report back on",
    "baseline": f"Where things are now, or '{model.NOT_KNOWN_YET}'",
    "involvement": "Who was or will be involved, and how; or why not yet",
}
LONG_FIELDS = {"what", "measure", "involvement"}


def example_plan() -> Plan:
    """The worked example: the Hawthorn Gardens self-assessment's plan, part filled in."""
    plan = model.from_vips(VIPS_EXAMPLE, EXAMPLE_DATE, EXAMPLE_TITLE, WORKED_EXAMPLE_NAME)
    weakest = [w.prompt for w in vips.assess(VIPS_EXAMPLE).weakest]
    for prompt_id, fields in EXAMPLE_COMPLETED.items():
        prompt = next(p for p in weakest if p.id == prompt_id)
        action = model.parse_action({"element": prompt.element, "what": prompt.action, **fields}, EXAMPLE_DATE)
        plan = model.replace(plan, weakest.index(prompt), action)
    plan = model.add(plan, model.parse_action(EXAMPLE_ADDED, EXAMPLE_DATE))
    for code, reason in EXAMPLE_REASONS.items():
        plan = model.set_reason(plan, code, reason)
    return plan


def start_plan(start: str, today: date) -> Plan:
    """The plan a start choice gives: the worked example (its own date), or one dated ``today``."""
    if start == "example":
        return example_plan()
    if start == "vips-example":
        return model.from_vips(VIPS_EXAMPLE, today, organisation=WORKED_EXAMPLE_NAME)
    if start == "empty":
        return model.new_plan(today)
    raise ValueError(f"start must be one of {', '.join(STARTS)}; got {start!r}")


def action_words(action: Action) -> str:
    """``"Complete"``, or ``"To finish: an owner and a measure"``."""
    missing = [model.FIELD_WORDS[name] for name in action.missing()]
    if not missing:
        return "Complete"
    return "To finish: " + (missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1])


def actions_html(plan: Plan) -> str:
    if not plan.actions:
        return "<p>No actions yet. Add the first one with the form above.</p>"
    items = "".join(
        f"<li><strong>{escape(a.element)}</strong>: {escape(a.what)} <em>({escape(action_words(a))})</em></li>"
        for a in plan.actions
    )
    return f'<ol class="dh-plan-actions">{items}</ol>'


def readiness_html(plan: Plan) -> str:
    problems = model.check(plan)
    items = "".join(f"<li>{escape(p.message)}</li>" for p in problems)
    listed = f'<ul class="dh-plan-problems">{items}</ul>' if problems else ""
    return f'<div class="dh-summary" aria-live="polite"><p><strong>{escape(model.status_line(plan))}</strong></p>{listed}</div>'


def plan_html(plan: Plan) -> str:
    """The plan as a printable page for a board: details, status, a table per element, the measures."""
    organisation = f" for {escape(plan.organisation)}" if plan.organisation else ""
    parts = [
        f'{PLAN_STYLE}<div class="dh-plan"><h3>{escape(plan.title)}</h3>',
        f"<p>Written{organisation} on {escape(model.date_words(plan.written))}.</p>",
        f'<p class="dh-plan-status"><strong>Status:</strong> {escape(model.status_line(plan))}</p>',
    ]
    headers = ("Action", "Owner", "Due", "Measure", "Baseline", "How people are involved")
    for code in model.ELEMENT_CODES:
        actions = plan.actions_for(code)
        label = model.element_label(code)
        if not actions:
            reason = plan.reason(code)
            said = f"No action: {escape(reason)}" if reason else "No action yet, and no reason given."
            parts.append(f"<p><strong>{escape(label)}.</strong> {said}</p>")
            continue
        rows = [
            (
                a.what,
                a.owner or NOT_YET,
                model.date_words(a.due) if a.due else NOT_YET,
                a.measure or NOT_YET,
                a.baseline or NOT_YET,
                a.involvement or NOT_YET,
            )
            for a in actions
        ]
        caption = f"{label}: {len(actions)} action{'s' if len(actions) > 1 else ''}"
        # A table wider than a phone scrolls sideways; the region takes focus, for the keyboard.
        parts.append(
            f'<div class="dh-plan-table" role="region" aria-label="{escape(caption)}" tabindex="0" '
            f'style="overflow-x:auto;max-width:100%">{html_table(caption, headers, rows, 99)}</div>'
        )
    measures = [
        f"<li>{escape(a.measure)} ({escape(a.owner or 'owner ' + NOT_YET)}; "
        f"{escape('by ' + model.date_words(a.due) if a.due else 'due date ' + NOT_YET)})</li>"
        for a in plan.actions
        if a.measure
    ]
    parts.append("<h4>Measures to report back on</h4>")
    parts.append(f"<ul>{''.join(measures)}</ul>" if measures else "<p>No measures yet.</p>")
    return "".join(parts) + "</div>"


def csv_link_html(plan: Plan) -> str:
    return download_html("action-plan.csv", "Download the plan (CSV)", model.plan_csv(plan))


def guide_html(code: str) -> str:
    """What the element means, with an example measure and a way to involve people."""
    element, guide = vips.load_tool().element(code), model.load_guide().element(code)
    return (
        f'<div class="dh-source"><p>{escape(element.definition)}</p>'
        f"<p><strong>A measure might be:</strong> {escape(guide.measure_example)}<br>"
        f"<strong>People might be involved like this:</strong> {escape(guide.involvement_example)}</p></div>"
    )


def worked_example_html() -> str:
    """The worked example as static HTML: what is still to finish, then the printable plan."""
    plan = example_plan()
    return f"<h3>Worked example: {escape(WORKED_EXAMPLE_NAME)}</h3>" + readiness_html(plan) + plan_html(plan)


class ActionPlanBuilder(ToolView):
    """The interactive builder. ``start`` is "example", "vips-example" or "empty"."""

    TOOL = ToolInfo(page="action-plan-builder", title="Action plan builder", chapter="ch09-leading-change")

    @classmethod
    def worked_example(cls) -> ActionPlanBuilder:
        return cls(start="example")

    def __init__(self, start: str = "example", today: date | None = None) -> None:
        self.today = today or date.today()
        self.plan = start_plan(start, self.today)
        self.editing: int | None = None  # the action being changed, or None when adding
        self._loading = False  # True while a new plan's values are put in the fields

        self.start_field = widgets.Dropdown(
            options=[(words, key) for key, words in STARTS.items()],
            value=start,
            description="Start from",
            style=LABEL_ABOVE,
            layout=_field_layout(),
        )
        self.start_button = widgets.Button(description="Start this plan", tooltip="Replace the plan below")
        self.title_field = widgets.Text(description="Plan title", style=LABEL_ABOVE, layout=_field_layout())
        self.organisation_field = widgets.Text(
            description="Organisation or scheme", style=LABEL_ABOVE, layout=_field_layout()
        )
        for field in (self.title_field, self.organisation_field):
            field.continuous_update = False

        self.fields: dict[str, widgets.Widget] = {
            "element": widgets.Dropdown(
                options=[(model.element_label(code), code) for code in model.ELEMENT_CODES],
                description=LABELS["element"],
                style=LABEL_ABOVE,
                layout=_field_layout(),
            )
        }
        for name in model.FIELDS[1:]:
            kind = widgets.Textarea if name in LONG_FIELDS else widgets.Text
            self.fields[name] = kind(
                description=LABELS[name], placeholder=PLACEHOLDERS[name], style=LABEL_ABOVE, layout=_field_layout()
            )
        self.errors = {name: widgets.HTML() for name in model.FIELDS}
        self.guide = widgets.HTML(layout=full_width())
        self.form_heading = widgets.HTML()
        self.add_button = widgets.Button(description="Add action")
        self.clear_button = widgets.Button(description="Clear the form", tooltip="Empty the form; stop changing")

        self.actions = widgets.HTML(layout=full_width())
        self.pick_field = widgets.Dropdown(description="Action", style=LABEL_ABOVE, layout=_field_layout())
        self.edit_button = widgets.Button(description="Change", tooltip="Put this action in the form to change it")
        self.remove_button = widgets.Button(description="Remove", tooltip="Take this action out of the plan")
        self.pick_error = widgets.HTML()
        self.reasons = {
            code: widgets.Textarea(
                description=f"Reason if no action for {model.element_label(code)}",
                continuous_update=False,
                style=LABEL_ABOVE,
                layout=_field_layout(),
            )
            for code in model.ELEMENT_CODES
        }
        self.readiness = widgets.HTML(layout=full_width())
        self.printable = widgets.HTML(layout=full_width())
        self.download = widgets.HTML(layout=full_width())
        labelled = [
            self.start_field,
            self.title_field,
            self.organisation_field,
            *self.fields.values(),
            self.pick_field,
            *self.reasons.values(),
        ]
        for widget in labelled:
            widget.add_class(FIELD_CLASS)
        for widget in (self.actions, self.readiness, self.printable, self.download, self.guide):
            widget.add_class("dh-plan-output")

        row = widgets.Layout(flex_flow="row wrap", width="100%", max_width="40em")
        form = [self.form_heading]
        for name in model.FIELDS:
            form += [self.fields[name], self.errors[name]]
            if name == "element":
                form.append(self.guide)
        self.view = widgets.VBox(
            [
                widgets.HTML(FORM_STYLE + start_html()),
                self.start_field,
                self.start_button,
                widgets.HTML("<h3>The plan</h3>"),
                self.title_field,
                self.organisation_field,
                *form,
                widgets.HBox([self.add_button, self.clear_button], layout=row),
                widgets.HTML("<h3>Actions in the plan</h3>"),
                self.actions,
                self.pick_field,
                widgets.HBox([self.edit_button, self.remove_button], layout=row),
                self.pick_error,
                widgets.HTML(
                    "<h3>Elements without an action</h3><p>If you are not taking action on an element "
                    "this time, say why. A reason is enough for the plan to be ready.</p>"
                ),
                *self.reasons.values(),
                widgets.HTML("<h3>Is the plan ready?</h3>"),
                self.readiness,
                widgets.HTML("<h3>Your plan to print or download</h3>"),
                self.download,
                self.printable,
            ],
            layout=full_width(),
        )

        self.start_button.on_click(self.start_again)
        self.add_button.on_click(self.add)
        self.clear_button.on_click(self.clear)
        self.edit_button.on_click(self.edit)
        self.remove_button.on_click(self.remove)
        self.fields["element"].observe(self._show_guide, names="value")
        for name, field in self.fields.items():
            field.observe(lambda _change, name=name: setattr(self.errors[name], "value", ""), names="value")
        for field in (self.title_field, self.organisation_field):
            field.observe(self._retitle, names="value")
        for code, field in self.reasons.items():
            field.observe(lambda change, code=code: self._set_reason(code, change["new"]), names="value")
        self._load()

    # Reading and filling the form ------------------------------------------------------------

    @property
    def form(self) -> dict[str, str]:
        return {name: field.value for name, field in self.fields.items()}

    def _fill(self, values: Mapping[str, str]) -> None:
        for name in model.FIELDS[1:]:
            self.fields[name].value = values.get(name, "")
        if "element" in values:
            self.fields["element"].value = values["element"]
        for error in self.errors.values():
            error.value = ""

    def _show_guide(self, _change: object = None) -> None:
        self.guide.value = guide_html(self.fields["element"].value)

    # Buttons ---------------------------------------------------------------------------------

    def add(self, _button: object = None) -> None:
        """Add the form's action (or save the one being changed), or show each problem by its field."""
        for error in self.errors.values():
            error.value = ""
        try:
            action = model.parse_action(self.form, self.plan.written)
            if self.editing is None:
                self.plan = model.add(self.plan, action)
            else:
                self.plan = model.replace(self.plan, self.editing, action)
        except PlanError as problem:
            for field, message in problem.problems:
                self.errors[field].value = self.field_error(message)
            return
        self.clear()
        self._show()

    def clear(self, _button: object = None) -> None:
        self.editing = None
        self._fill({})
        self._show_form_mode()

    def edit(self, _button: object = None) -> None:
        """Put the chosen action in the form; Save changes then replaces it."""
        index = self._picked()
        if index is None:
            return
        action = self.plan.actions[index]
        self._fill(
            {
                "element": action.element,
                "what": action.what,
                "owner": action.owner,
                "due": action.due.isoformat() if action.due else "",
                "measure": action.measure,
                "baseline": action.baseline,
                "involvement": action.involvement,
            }
        )
        self.editing = index
        self._show_form_mode()

    def remove(self, _button: object = None) -> None:
        index = self._picked()
        if index is None:
            return
        self.plan = model.remove(self.plan, index)
        if self.editing is not None:
            self.clear()
        self._show()

    def start_again(self, _button: object = None) -> None:
        self.plan = start_plan(self.start_field.value, self.today)
        self.clear()
        self._load()

    def _picked(self) -> int | None:
        """The chosen action's index, or None with the model's message beside the list."""
        self.pick_error.value = ""
        try:
            model.action_at(self.plan, self.pick_field.value)
            return self.pick_field.value
        except PlanError as problem:
            self.pick_error.value = self.field_error(str(problem))
            return None

    def _retitle(self, _change: object = None) -> None:
        if self._loading:
            return
        self.plan = model.retitle(self.plan, self.title_field.value, self.organisation_field.value)
        self._show()

    def _set_reason(self, code: str, reason: str) -> None:
        if self._loading:
            return
        self.plan = model.set_reason(self.plan, code, reason)
        self._show()

    # Showing the model's answer --------------------------------------------------------------

    def _load(self) -> None:
        """Show a newly started plan: its details and reasons in their fields, then the rest."""
        self._loading = True
        self.title_field.value = self.plan.title
        self.organisation_field.value = self.plan.organisation
        for code, field in self.reasons.items():
            field.value = self.plan.reason(code)
        self._loading = False
        self._show_guide()
        self._show_form_mode()
        self._show()

    def _show_form_mode(self) -> None:
        if self.editing is None:
            self.form_heading.value = "<h4>Add an action</h4>"
            self.add_button.description = "Add action"
        else:
            self.form_heading.value = f"<h4>Change action {self.editing + 1}</h4>"
            self.add_button.description = f"Save changes to action {self.editing + 1}"

    def _show(self) -> None:
        self.actions.value = actions_html(self.plan)
        self.pick_field.options = [
            (f"{number}. {a.element}: {model.short(a.what)}", number - 1)
            for number, a in enumerate(self.plan.actions, 1)
        ]
        self.pick_field.value = 0 if self.plan.actions else None
        for button in (self.edit_button, self.remove_button):
            button.disabled = not self.plan.actions
        self.readiness.value = readiness_html(self.plan)
        self.download.value = csv_link_html(self.plan)
        self.printable.value = plan_html(self.plan)


def start_html() -> str:
    return (
        "<h3>Start your plan</h3>"
        "<p>The plan below is the Hawthorn Gardens worked example: change it to see how the checks "
        "work, or start your own. Starting replaces the plan below, so download it first if you want "
        "to keep it.</p>"
        "<p><strong>Linking to your own VIPS self-assessment is not available yet.</strong> The "
        "self-assessment tool cannot pass its ratings to this one. Until it can, start from the "
        "Hawthorn Gardens example's weakest indicators and change the actions to fit your service, "
        "or start an empty plan and use your own self-assessment's suggested actions.</p>"
    )
