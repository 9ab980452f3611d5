"""The housing VIPS self-assessment's view: 24 rating controls over :mod:`dementia_housing.vips`.

The view holds no scoring. It reads the ratings, asks the model, and shows the model's answer
as a plain-language summary, a radar chart and a table, with the suggested actions for the
weakest indicators. It says, at the top, that the tool is an adaptation for learning and not
the official Care Fit for VIPS tool.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import ipywidgets as widgets

from ..models import vips
from . import render
from .base import ToolInfo, ToolView, labelled
from .charts import radar_svg
from .render import html_table

# The worked example on the tool's page: an invented extra care scheme with an uneven profile.
WORKED_EXAMPLE_NAME = "Hawthorn Gardens, an extra care scheme"
WORKED_EXAMPLE: dict[str, int | str] = {
    "V1": 2,
    "V2": 1,
    "V3": 2,
    "V4": vips.DONT_KNOW,
    "V5": 3,
    "V6": 1,
    "I1": 3,
    "I2": 2,
    "I3": 2,
    "I4": 1,
    "I5": 1,
    "I6": 3,
    "P1": 1,
    "P2": 0,
    "P3": vips.DONT_KNOW,
    "P4": 2,
    "P5": 0,
    "P6": vips.DONT_KNOW,
    "S1": 3,
    "S2": 2,
    "S3": 3,
    "S4": 2,
    "S5": 2,
    "S6": 1,
}

CSV_NAME = "vips-self-assessment.csv"
PRINT_NOTE = (
    "For a paper copy, use your browser's Print: it prints the results without the page's menus or the rating controls."
)

# A rating control's value for "not answered yet" (ipywidgets reserves None for "no selection").
UNANSWERED = ""
_NOTICE_STYLE = "border-left:6px solid #b3541e;background:#fdf1e8;color:#1f2933;padding:0.5rem 0.9rem;margin:0.5rem 0"


def rating_options(tool: vips.Tool) -> list[tuple[str, int | str]]:
    """The choices of every rating control, each labelled with its number and words."""
    return [
        ("Not answered yet", UNANSWERED),
        *((f"{p.value} \u2013 {p.label}", p.value) for p in tool.scale),
        (tool.dont_know_label, vips.DONT_KNOW),
    ]


def control_label(prompt: vips.Prompt) -> str:
    """``"P2 Behaviour as communication"``: the label of a prompt's rating control."""
    return f"{prompt.id} {prompt.title}"


def notice_html(tool: vips.Tool) -> str:
    """The statement that this is an adaptation for learning, not the official tool."""
    return (
        f'<div class="dh-notice" role="note" style="{_NOTICE_STYLE}">'
        f"<p><strong>An adaptation for learning, not the official tool.</strong> {escape(tool.notice)}</p></div>"
    )


def scale_html(tool: vips.Tool) -> str:
    items = "".join(f"<li><strong>{p.value} {escape(p.label)}</strong>: {escape(p.meaning)}</li>" for p in tool.scale)
    items += f"<li><strong>{escape(tool.dont_know_label)}</strong>: {escape(tool.dont_know_meaning)}</li>"
    return f"<p><strong>The rating scale</strong></p><ul>{items}</ul>"


def summary_html(result: vips.Assessment, name: str = "") -> str:
    """The result in plain words, announced to screen readers when it changes."""
    heading = f"Results for {escape(name.strip())}" if name.strip() else "Results"
    sentences = "".join(f"<li>{escape(s)}</li>" for s in result.summary)
    return f'<div class="dh-summary" aria-live="polite"><p><strong>{heading}</strong></p><ul>{sentences}</ul></div>'


def chart_svg(result: vips.Assessment, chart_id: str = "vips-chart") -> str:
    """The four element scores as a radar chart; an element with no score has no point."""
    labels, values, parts, missing = [], [], [], []
    for r in result.elements:
        code, short = r.element.code, r.element.short_name
        labels.append(f"{code}: {short}" if r.score is not None else f"{code}: {short} (no score)")
        values.append(None if r.score is None else float(r.score))
        if r.score is None:
            missing.append(f"{code} {short}")
        else:
            parts.append(f"{code} {short} {r.score_text}")
    description = (
        f"Radar chart of the VIPS element scores, each from 0 to {result.maximum}: {'; '.join(parts) or 'none'}."
    )
    if missing:
        description += f" Not enough answers to score {', '.join(missing)}, so no point is drawn there."
    description += " The same numbers are in the table."
    return radar_svg(
        chart_id,
        f"VIPS profile: element scores from 0 to {result.maximum}",
        description,
        labels,
        [("Score", values)],
        result.maximum,
    )


def table_html(result: vips.Assessment) -> str:
    rows = [
        (f"{r.element.code} {r.element.name}", r.rated, r.dont_know, r.unanswered, r.score_text)
        for r in result.elements
    ]
    rows.append(
        (
            "Overall (mean of the four elements)",
            sum(r.rated for r in result.elements),
            len(result.dont_know),
            len(result.unanswered),
            result.overall_text,
        )
    )
    return html_table(
        f"VIPS element scores (mean rating of the rated prompts, 0 to {result.maximum})",
        ("Element", "Prompts rated", "Don't know", "Not answered", "Score"),
        rows,
    )


def actions_html(result: vips.Assessment) -> str:
    """Suggested actions for the weakest indicators, and what to find out."""
    parts = ["<p><strong>Suggested actions for the weakest indicators</strong></p>"]
    if result.weakest:
        items = "".join(
            f"<li><strong>{escape(control_label(w.prompt))}</strong> (rated {w.rating}, {escape(w.rating_label)}): "
            f"{escape(w.prompt.action)}</li>"
            for w in result.weakest
        )
        parts.append(f'<ol class="dh-actions">{items}</ol>')
    else:
        parts.append("<p>No indicator is rated below the top of the scale.</p>")
    if result.dont_know:
        items = "".join(f"<li>{escape(control_label(p))}: {escape(p.text)}</li>" for p in result.dont_know)
        parts.append(f"<p><strong>Find out</strong> (answered \u201cDon't know\u201d)</p><ul>{items}</ul>")
    return "".join(parts)


def download_html(ratings: Mapping[str, object], name: str = "") -> str:
    """A link to save the ratings and the results as a spreadsheet file, and how to print them."""
    csv_text = vips.results_csv(ratings, name)
    return render.download_html(
        CSV_NAME, "Download your ratings and results (CSV)", csv_text, note=PRINT_NOTE, css_class="dh-download"
    )


def worked_example_html() -> str:
    """The worked example as static HTML (summary, chart, table, actions), for print and no-script readers."""
    result = vips.assess(WORKED_EXAMPLE)
    return (
        f"<h3>Worked example: {escape(WORKED_EXAMPLE_NAME)}</h3>"
        + summary_html(result, WORKED_EXAMPLE_NAME)
        + chart_svg(result, chart_id="vips-example-chart")
        + table_html(result)
        + actions_html(result)
    )


class VipsSelfAssessment(ToolView):
    """The interactive self-assessment. Display it in a notebook; ``view`` is the ipywidgets tree."""

    TOOL = ToolInfo(page="vips-self-assessment", title="Housing VIPS self-assessment", chapter="ch04-vips")

    @classmethod
    def worked_example(cls) -> VipsSelfAssessment:
        return cls(WORKED_EXAMPLE, name=WORKED_EXAMPLE_NAME)

    def __init__(self, ratings: Mapping[str, object] | None = None, name: str = "") -> None:
        ratings = dict(ratings or {})
        vips.assess(ratings)  # a bad rating raises ValueError naming its prompt
        self.tool = vips.load_tool()
        options = rating_options(self.tool)
        self.name_field = labelled(
            widgets.Text,
            "Service or scheme",
            value=name,
            placeholder="for example, the name of your scheme",
            continuous_update=False,
        )
        self.controls: dict[str, widgets.Dropdown] = {}
        sections = []
        for element in self.tool.elements:
            rows = [widgets.HTML(f"<h3>{element.code}: {escape(element.name)}</h3><p>{escape(element.definition)}</p>")]
            for prompt in element.prompts:
                value = ratings.get(prompt.id)
                control = labelled(
                    widgets.Dropdown,
                    control_label(prompt),
                    options=options,
                    value=UNANSWERED if value is None else value,
                )
                self.controls[prompt.id] = control
                rows.append(widgets.HTML(f"<p><strong>{prompt.id}.</strong> {escape(prompt.text)}</p>"))
                rows.append(control)
            sections.append(widgets.VBox(rows).add_class("dh-print-hide"))

        self.summary = widgets.HTML()
        self.chart = widgets.HTML()
        self.table = widgets.HTML()
        self.results = widgets.Tab(children=[self.chart, self.table], titles=("Chart", "Table"))
        self.actions = widgets.HTML()
        self.download = widgets.HTML()
        introduction = widgets.HTML(
            notice_html(self.tool)
            + "<p>Rate each prompt for your service. The results below the prompts update as you go.</p>"
            + scale_html(self.tool)
        )
        self.view = widgets.VBox(
            [
                introduction,
                self.name_field,
                *sections,
                widgets.HTML("<h3>Results</h3>"),
                self.summary,
                self.results,
                self.actions,
                self.download,
            ]
        )
        for control in [self.name_field, *self.controls.values()]:
            control.observe(self.update, names="value")
        self.update()

    @property
    def ratings(self) -> dict[str, int | str | None]:
        """The answers as the model takes them: a rating, ``"dont-know"``, or None if unanswered."""
        return {pid: (None if c.value == UNANSWERED else c.value) for pid, c in self.controls.items()}

    def update(self, _change: object = None) -> None:
        """Recompute from the controls and show the model's answer."""
        result = vips.assess(self.ratings)
        self.summary.value = summary_html(result, self.name_field.value)
        self.chart.value = chart_svg(result)
        self.table.value = table_html(result)
        self.actions.value = actions_html(result)
        self.download.value = download_html(self.ratings, self.name_field.value)
