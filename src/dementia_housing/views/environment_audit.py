"""The dementia-friendly environment audit's view: a thin form over :mod:`..models.environment_audit`.

The view holds no scoring. Per area it shows each item's question with a score control and a
reason field; it sends each change to the model and shows the model's summaries, its
prioritised fixes and its CSV. A problem is shown beside the field it is about, in the
model's words. Everything is one column, so that it fits a phone.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import ipywidgets as widgets

from ..models import environment_audit as model
from ..models.environment_audit import AuditError, Item, Result, Tally
from .base import ToolInfo, ToolView, full_width, labelled
from .render import download_html, html_table

WORKED_EXAMPLE_NAME = "Mrs Ada Lowe's flat (invented), audited with her and her daughter"
WORKED_EXAMPLE: dict[str, object] = {
    "kind": "flat",
    "mode": "lived-in",
    "scores": {
        "flat-entrance-door": 2,
        "flat-entrance-number": (0, "No number on the door; her daughter says visitors knock at the wrong flat."),
        "flat-hall-light": (1, "One bulb at the far end, so the hall is dim by the front door."),
        "flat-hall-floor": 2,
        "flat-kitchen-everyday": 2,
        "flat-bathroom-toilet": (1, "White seat on a white pan and a pale floor."),
        "flat-bathroom-rails": 2,
        "flat-bedroom-dark": 2,
        "flat-living-chair": (1, "Her chair faces the wall; she would like to see the window."),
        "flat-living-memories": 2,
    },
}
CSV_NAME = "environment-audit.csv"
UNSCORED = ""  # a score control's value for "Not looked at yet" (ipywidgets keeps None for no selection)


def score_options() -> list[tuple[str, int | str]]:
    """The choices of every score control, in words."""
    return [(model.SCORE_WORDS[v], UNSCORED if v is None else v) for v in (None, *model.SCALE, model.NOT_APPLICABLE)]


def _table(
    caption: str, headers: tuple[str, ...], rows: list[tuple[object, ...]], numeric_from: int = 1, wide: bool = False
) -> str:
    """An html_table that fits a phone: a ``wide`` one keeps readable columns and scrolls sideways
    (the region can take focus, so a keyboard can scroll it too)."""
    table = html_table(caption, headers, rows, numeric_from)
    if wide:
        table = f'<div style="min-width:52em">{table}</div>'
    return (
        f'<div class="dh-scroll" role="region" aria-label="{escape(caption)}" tabindex="0" '
        f'style="overflow-x:auto;width:0;min-width:100%">{table}</div>'
    )


def _principle_names(item: Item) -> str:
    checklist = model.load_checklist()
    return "; ".join(checklist.principle(p).name for p in item.principles)


def tally_table(caption: str, first: str, tallies: tuple[Tally, ...]) -> str:
    rows = [(t.name, t.scored, t.average_number, t.not_looked_at) for t in tallies]
    headers = (first, "Items scored", "Average (0 to 2)", "Not looked at yet")
    return _table(caption, headers, rows)


def fixes_html(result: Result) -> str:
    if not result.fixes:
        return "<p><strong>Prioritised fixes</strong>: none yet. Items scored 0 or 1 are listed here.</p>"
    caption = f"Prioritised fixes: {len(result.fixes)}, most urgent first"
    rows = [
        (
            f.rank,
            f"{f.area.name}: {f.item.name}",
            f"{f.score_words}: {f.reason}" if f.reason else f.score_words,
            f.item.fix,
            f.item.cost,
            "; ".join(p.name for p in f.principles),
        )
        for f in result.fixes
    ]
    headers = ("Rank", "Item", "Score and reason", "What a fix looks like", "Cost band (rough)", "Principles")
    return _table(caption, headers, rows, numeric_from=len(headers), wide=True)


def not_looked_at_html(result: Result) -> str:
    if not result.not_looked_at:
        return ""
    names = "".join(f"<li>{escape(i.name)}</li>" for i in result.not_looked_at)
    return (
        f"<details><summary>Not yet looked at: {len(result.not_looked_at)} items "
        f"(not counted as 0)</summary><ul>{names}</ul></details>"
    )


def counts_html(result: Result) -> str:
    parts = "; ".join(f"{words}: {count}" for words, count in result.counts)
    return f"<p>{escape(parts)}.</p>"


def csv_link_html(audit: model.Audit) -> str:
    return download_html(CSV_NAME, "Download the whole audit (CSV)", model.audit_csv(audit))


def results_html(result: Result) -> str:
    """The model's result: counts, summary by principle and by area, the fixes, what is left."""
    return (
        '<div class="dh-summary" aria-live="polite">'
        + counts_html(result)
        + tally_table("Summary by design principle", "Principle", result.principles)
        + fixes_html(result)
        + tally_table("Summary by area", "Area", result.areas)
        + not_looked_at_html(result)
        + "</div>"
    )


def worked_example_html() -> str:
    """The worked example's results as static HTML, for print and for readers without the live tool."""
    audit = model.audit_of(**WORKED_EXAMPLE)
    return (
        f"<h3>Worked example: {escape(WORKED_EXAMPLE_NAME)}</h3>"
        + results_html(model.result(audit))
        + csv_link_html(audit)
    )


def notes_html() -> str:
    checklist = model.load_checklist()
    return "".join(f"<p>{escape(checklist.note(key))}</p>" for key in model.NOTES)


def principles_html() -> str:
    items = "".join(
        f"<li><strong>{escape(p.name)}</strong>: {escape(p.meaning)}</li>" for p in model.load_checklist().principles
    )
    return f"<ul>{items}</ul>"


def checklist_html(kind: str) -> str:
    """The whole checklist of one kind, to print and take on a walk-round."""
    checklist = model.load_checklist()
    parts = [
        f"<h3>Paper checklist: {escape(checklist.kind(kind).name)}</h3>",
        "<p>Score each item 0 (needs attention now), 1 (could be better), 2 (works well) or n/a "
        "(not applicable), and note what you saw: a 0 always needs a note. Items marked "
        "“lived-in only” are about the resident's own things or routines; leave them out in a void inspection.</p>",
    ]
    for area, area_items in model.areas(kind, "lived-in"):
        rows = [
            (
                f"{item.name}. {item.question}",
                _principle_names(item),
                "both" if item.applies_in_void else "lived-in only",
                "0   1   2   n/a",
                "",
            )
            for item in area_items
        ]
        caption = f"{area.name} ({len(area_items)} items)"
        headers = ("What to look at", "Principles", "Visits", "Score (circle one)", "What you saw")
        parts.append(_table(caption, headers, rows, numeric_from=len(headers), wide=True))
    return "".join(parts)


class _ItemRow:
    """The widgets of one item: its question, score control, reason field and their messages."""

    def __init__(self, item: Item, value: int | str, reason: str) -> None:
        self.item = item
        self.question = widgets.HTML(
            f'<p style="margin:0.6rem 0 0.2rem">{escape(item.question)}<br>'
            f'<span class="dh-source">Serves: {escape(_principle_names(item))}</span></p>',
            layout=full_width(),
        )
        self.control = labelled(widgets.Dropdown, item.name, options=score_options(), value=value)
        self.score_error = widgets.HTML()
        self.reason = labelled(
            widgets.Text, "Reason", value=reason, placeholder="what you saw (needed for a 0)", continuous_update=False
        )
        self.reason_error = widgets.HTML()
        self.box = widgets.VBox(
            [self.question, self.control, self.score_error, self.reason, self.reason_error], layout=full_width()
        )

    @property
    def value(self) -> object:
        return None if self.control.value == UNSCORED else self.control.value

    def show_error(self, problem: AuditError | None) -> None:
        message = "" if problem is None else problem.message
        self.reason_error.value = ToolView.field_error(message) if problem and problem.field == "reason" else ""
        self.score_error.value = ToolView.field_error(message) if problem and problem.field != "reason" else ""


class EnvironmentAudit(ToolView):
    """The interactive audit. ``scores`` maps item ids to a score or to (score, reason)."""

    TOOL = ToolInfo(page="environment-audit", title="Dementia-friendly environment audit", chapter="ch07-environments")

    @classmethod
    def worked_example(cls) -> EnvironmentAudit:
        return cls(**WORKED_EXAMPLE)

    def __init__(self, kind: str = "flat", mode: str = "lived-in", scores: Mapping[str, object] | None = None) -> None:
        self.audit = model.audit_of(kind, mode, scores or {})  # a bad score raises AuditError
        checklist = model.load_checklist()
        kinds = [(k.name, k.id) for k in checklist.kinds]
        self.kind_field = labelled(widgets.Dropdown, "What you are auditing", options=kinds, value=kind)
        modes = [(words, mode_id) for mode_id, words in model.MODE_WORDS.items()]
        self.mode_field = labelled(widgets.Dropdown, "Kind of visit", options=modes, value=mode)
        self.rows: dict[str, _ItemRow] = {}
        self.checklist = widgets.VBox(layout=full_width())
        self.results = widgets.HTML(layout=full_width())
        self.csv_link = widgets.HTML(layout=full_width())
        self.view = widgets.VBox(
            [
                self.kind_field,
                self.mode_field,
                self.checklist,
                widgets.HTML("<h3>Results</h3>", layout=full_width()),
                self.results,
                self.csv_link,
            ],
            layout=full_width(),
        )
        self.kind_field.observe(self._switch, names="value")
        self.mode_field.observe(self._switch, names="value")
        self._build()

    def _build(self) -> None:
        """One section per area, each item's controls set from the audit."""
        self.rows = {}
        sections: list[widgets.Widget] = []
        for area, area_items in model.areas(self.audit.kind, self.audit.mode):
            sections.append(widgets.HTML(f"<h3>{escape(area.name)}</h3>", layout=full_width()))
            for item in area_items:
                mark = self.audit.mark(item.id)
                row = _ItemRow(item, *((UNSCORED, "") if mark is None else (mark.value, mark.reason)))
                row.control.observe(lambda _change, item_id=item.id: self._changed(item_id), names="value")
                row.reason.observe(lambda _change, item_id=item.id: self._changed(item_id), names="value")
                self.rows[item.id] = row
                sections.append(row.box)
        self.checklist.children = sections
        self._show()

    def _switch(self, _change: object = None) -> None:
        self.audit = model.switch(self.audit, self.kind_field.value, self.mode_field.value)
        self._build()

    def _changed(self, item_id: str) -> None:
        """Send one item's score and reason to the model; show its message beside the field."""
        row = self.rows[item_id]
        try:
            self.audit = model.score(self.audit, item_id, row.value, row.reason.value)
        except AuditError as problem:
            row.show_error(problem)
            return
        row.show_error(None)
        self._show()

    def _show(self) -> None:
        self.results.value = results_html(model.result(self.audit))
        self.csv_link.value = csv_link_html(self.audit)
