"""The branching tenancy scenarios' view: a thin form over :mod:`dementia_housing.models.scenarios`.

The view holds no logic of its own. It shows the decision point the model says the learner
has reached, sends their choice to the model, and shows the model's feedback, the path so far
and, at an ending, the model's summary with a CSV copy. A problem with a choice is shown beside
the options, in the model's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import ipywidgets as widgets

from ..models import scenarios as model
from ..models.scenarios import Choice, ChoiceError, Citation, Ending, Node, Scenario, Step, Summary, Walk
from .base import ToolInfo, ToolView, full_width
from .render import download_html, html_table

# The worked example: the arrears scenario with its first good choice taken.
WORKED_EXAMPLE: dict[str, object] = {"scenario": "arrears-suspected-dementia", "choices": ("b",)}


def _list(items: Sequence[str], tag: str = "ul", attrs: str = "") -> str:
    return f"<{tag}{attrs}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>"


def law_html(citations: Sequence[Citation]) -> str:
    return _list([f"<strong>{escape(c.source)}</strong>: {escape(c.point)}" for c in citations])


def situation_html(scenario: Scenario) -> str:
    return (
        f'<h3 class="dh-scenario-title">{escape(scenario.title)}</h3>'
        f'<p class="dh-situation">{escape(scenario.situation)}</p>'
    )


def decision_html(node: Node) -> str:
    """A decision point: its title, its prompt and every choice in full, lettered."""
    options = [f"<strong>{escape(c.id)}.</strong> {escape(c.text)}" for c in node.choices]
    return f"<h4>{escape(node.title)}</h4><p>{escape(node.prompt)}</p>" + _list(
        options, attrs=' class="dh-choices" style="list-style:none;padding-left:0"'
    )


def choice_html(choice: Choice, live: bool = False) -> str:
    """A choice's quality in words, its feedback, the law it touches and the practice point.

    In the tool (``live``) it is a polite live region, headed as the learner's last choice."""
    live_attrs = ' role="status" aria-live="polite"' if live else ""
    heading = "<h4>Your last choice</h4>" if live else ""
    return (
        f'<div class="dh-feedback"{live_attrs}>{heading}'
        f"<p><strong>{escape(choice.quality_words)}.</strong> You chose {escape(choice.id)}: {escape(choice.text)}</p>"
        f"<p>{escape(choice.feedback)}</p>"
        f"<p><strong>The law</strong></p>{law_html(choice.law)}"
        f"<p><strong>In practice:</strong> {escape(choice.practice)}</p></div>"
    )


def path_html(path: Sequence[Step]) -> str:
    if not path:
        return ""
    items = [
        f"{escape(node.title)}: you chose {escape(choice.id)} ({escape(choice.quality_words.lower())})"
        for node, choice in path
    ]
    return '<div class="dh-path"><h4>Your path so far</h4>' + _list(items, "ol") + "</div>"


def summary_html(result: Summary) -> str:
    """The end summary: where the story ended, what went well, what the law required, Monday."""
    ending = result.ending
    return (
        f'<div class="dh-summary"><h4>The end: {escape(ending.title)}</h4>'
        f"<p><strong>{escape(ending.kind_words)}.</strong> {escape(ending.summary)}</p>"
        f"<h4>What went well</h4>{_list([escape(t) for t in result.went_well])}"
        f"<h4>What the law required</h4>{law_html(result.law_required)}"
        f"<h4>What to do on Monday</h4>{_list([escape(t) for t in result.monday])}</div>"
    )


def csv_link_html(scenario: Scenario, walk: Walk) -> str:
    return download_html(
        f"{scenario.id}.csv", "Download your path and this summary (CSV)", model.walk_csv(scenario, walk)
    )


def worked_example_html() -> str:
    """One scenario walked on a good path, as static HTML: situation, each decision, the end."""
    scenario = model.load_scenario(str(WORKED_EXAMPLE["scenario"]))
    walk = Walk(scenario.id, model.good_path(scenario))
    parts = [f"<h3>Worked example: {escape(scenario.title)}</h3>", f"<p>{escape(scenario.situation)}</p>"]
    for number, (node, choice) in enumerate(model.steps(scenario, walk), start=1):
        parts.append(f"<h4>Decision {number}: {escape(node.title)}</h4><p>{escape(node.prompt)}</p>")
        parts.append(choice_html(choice))
    parts.append(summary_html(model.summary(scenario, walk)))
    return "".join(parts)


def scenarios_html() -> str:
    """A table of the scenarios: whose decision, and how many decision points, endings and paths."""
    rows = [(s.title, s.role, len(s.nodes), len(s.endings), len(model.all_paths(s))) for s in model.load_scenarios()]
    headers = ("Scenario", "Whose decision", "Decision points", "Endings", "Paths")
    return html_table(f"The {len(rows)} scenarios", headers, rows, numeric_from=2)


class TenancyScenarios(ToolView):
    """The interactive scenarios. Give ``scenario`` and ``choices`` (letters) to open part-way."""

    TOOL = ToolInfo(page="tenancy-scenarios", title="Branching tenancy scenarios", chapter="ch08-tenancy")

    @classmethod
    def worked_example(cls) -> TenancyScenarios:
        return cls(**WORKED_EXAMPLE)

    def __init__(self, scenario: str | None = None, choices: Sequence[str] = ()) -> None:
        self.scenarios = model.load_scenarios()
        self.scenario = model.load_scenario(scenario) if scenario else self.scenarios[0]
        self.walk = model.start(self.scenario)

        self.picker = widgets.Dropdown(
            options=[(s.title, s.id) for s in self.scenarios],
            value=self.scenario.id,
            description="Scenario",
            style={"description_width": "initial"},
            layout=full_width(),
        )
        self.situation = widgets.HTML(layout=full_width())
        self.decision = widgets.HTML(layout=full_width())
        self.choice_field = widgets.RadioButtons(
            options=[],
            value=None,
            description="Your choice",
            orientation="horizontal",
            style={"description_width": "initial"},
        )
        self.choice_error = widgets.HTML()
        self.choose_button = widgets.Button(description="Choose", tooltip="Take the choice you selected")
        self.restart_button = widgets.Button(description="Start again", tooltip="Start this scenario again")
        self.feedback = widgets.HTML(layout=full_width())
        self.path = widgets.HTML(layout=full_width())
        self.ending = widgets.HTML(layout=full_width())
        self.choice_row = widgets.HBox(
            [self.choice_field, self.choice_error], layout=widgets.Layout(flex_flow="row wrap", align_items="center")
        )
        self.view = widgets.VBox(
            [
                self.picker,
                self.situation,
                self.feedback,  # the last choice's feedback, read before the decision it led to
                self.decision,
                self.choice_row,
                self.ending,
                widgets.HBox([self.choose_button, self.restart_button], layout=widgets.Layout(flex_flow="row wrap")),
                self.path,
            ],
            layout=full_width(),
        )

        self.picker.observe(self._scenario_changed, names="value")
        self.choice_field.observe(lambda _change: setattr(self.choice_error, "value", ""), names="value")
        self.choose_button.on_click(self.choose)
        self.restart_button.on_click(self.restart)

        for letter in choices:
            self.walk = model.choose(self.scenario, self.walk, letter)
        self._show()

    def choose(self, _button: object = None) -> None:
        """Take the selected choice; show the model's feedback, or its message beside the options."""
        try:
            self.walk = model.choose(self.scenario, self.walk, self.choice_field.value)
        except ChoiceError as problem:
            self.choice_error.value = self.field_error(str(problem))
            return
        self._show()

    def restart(self, _button: object = None) -> None:
        self.walk = model.start(self.scenario)
        self._show()

    def _scenario_changed(self, change: dict) -> None:
        self.scenario = model.load_scenario(change["new"])
        self.restart()

    def _show(self) -> None:
        here = model.where(self.scenario, self.walk)
        taken = model.steps(self.scenario, self.walk)
        at_end = isinstance(here, Ending)
        self.situation.value = situation_html(self.scenario)
        self.decision.value = "" if at_end else decision_html(here)
        self.choice_field.options = [] if at_end else [(c.id, c.id) for c in here.choices]
        self.choice_field.value = None
        self.choice_error.value = ""
        self.choice_row.layout.display = self.choose_button.layout.display = "none" if at_end else None
        self.feedback.value = choice_html(taken[-1].choice, live=True) if taken else ""
        self.path.value = path_html(taken)
        self.ending.value = (
            summary_html(model.summary(self.scenario, self.walk)) + csv_link_html(self.scenario, self.walk)
            if at_end
            else ""
        )
