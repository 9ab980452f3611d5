"""The adaptations business-case calculator's view: a thin form over
:mod:`dementia_housing.models.business_case`.

The view shows each field of the model's form with its label above it and the default's source
and year beside it, hands every change to the model, and shows the model's answer: the price
base, a chart and a table by payer, the totals with their low / central / high range, a
paragraph for a board paper, and a CSV copy. A problem with an entry is shown beside its field
in the model's words; the model uses that field's last good value meanwhile, so the rest keeps
working. One column throughout, so that it fits a phone.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import ipywidgets as widgets

from ..models import business_case as model
from ..models.business_case import Field, Result
from .base import ToolInfo, ToolView, full_width, labelled
from .charts import horizontal_bar_svg
from .render import download_html, html_table

# The worked example: the chapter's case. Dev manages a home improvement agency and makes the
# case for a year's programme (invented numbers, to show how the tool works).
WORKED_EXAMPLE_NAME = "Dev's home improvement agency: a year's programme (invented numbers)"
WORKED_EXAMPLE: dict[str, str] = {
    model.count_field("grab-rails"): "100",
    model.count_field("door-widening"): "4",
    model.count_field("major-adaptation"): "5",
    model.quantity_field("hip-fractures"): "2",
    model.quantity_field("care-home-months"): "8",
    model.SELF_FUNDERS: "25",
    model.quantity_field("discharge-days"): "10",
    model.quantity_field("home-care-hours-a-week"): "5",
    model.quantity_field("home-care-weeks"): "26",
}
CSV_NAME = "adaptations-business-case.csv"
CHART_ID = "business-case-payers"
# Amounts never break across lines ("-£18,417" stays whole); the tables scroll in their own box.
RESULT_STYLE = ".dh-business-case td { white-space: nowrap; }"

SECTIONS = (
    ("What the adaptations cost", "adaptations"),
    ("Costs they may avoid", "outcomes"),
    ("How sure you are: the range", "range"),
    ("Prices", "prices"),
)


def example_form() -> dict[str, str]:
    return {**model.default_form(), **WORKED_EXAMPLE}


def _scroll(caption: str, table: str) -> str:
    """A table that scrolls sideways in its own box on a narrow screen (keyboard too)."""
    return (
        f'<div class="dh-scroll" role="region" aria-label="{escape(caption)}" tabindex="0" '
        f'style="overflow-x:auto;width:0;min-width:100%">{table}</div>'
    )


def payers_table(result: Result) -> str:
    calc = model.load_calculator()
    caption = f"Who pays and who saves ({result.price_base})"
    rows = []
    for i, payer in enumerate(calc.payers):
        avoided = [e.avoided_by_payer[i][1] for e in result.estimates]
        paid = result.cost_by_payer[i][1]
        rows.append(
            (payer.short, model.pounds(paid), *(model.pounds(v) for v in avoided), model.pounds(avoided[1] - paid))
        )
    central = result.estimate("central")
    rows.append(
        (
            "All",
            model.pounds(result.cost),
            *(model.pounds(e.avoided) for e in result.estimates),
            model.pounds(central.net),
        )
    )
    headers = ("Who", "Pays", "Saves: low", "Saves: central", "Saves: high", "Net, central")
    return _scroll(caption, html_table(caption, headers, rows))


def totals_table(result: Result) -> str:
    caption = f"The business case: low, central and high ({result.price_base})"
    rows = [
        ("Cost of the adaptations", *(model.pounds(e.cost) for e in result.estimates)),
        ("Costs avoided", *(model.pounds(e.avoided) for e in result.estimates)),
        ("Net benefit", *(model.pounds(e.net) for e in result.estimates)),
        ("Benefit-cost ratio", *(model.ratio_words(e) for e in result.estimates)),
        ("Payback", *(model.payback_words(e) for e in result.estimates)),
        ("Share really prevented", *(f"{s:.0%}" for s in result.case.attribution)),
    ]
    headers = ("", "Low", "Central", "High")
    return _scroll(caption, html_table(caption, headers, rows))


def lines_table(result: Result) -> str:
    caption = "Each line (central estimate)"
    rows = [
        (line.adaptation.name, f"{line.count:,.0f}", f"£{model.money_text(line.unit_cost)}", model.pounds(line.total))
        for line in result.costs
        if line.count
    ]
    rows += [
        (b.outcome.name, f"{b.quantity:,.10g}", f"£{model.money_text(b.unit_values[1])}", model.pounds(b.avoided[1]))
        for b in result.benefits
        if b.quantity
    ]
    if not rows:
        return "<p>No adaptations or avoided costs entered yet.</p>"
    headers = ("Line", "How many", "Each", "Total")
    return _scroll(caption, html_table(caption, headers, rows))


def chart_svg(result: Result) -> str:
    calc = model.load_calculator()
    central = result.estimate("central")
    paid = [v for _, v in result.cost_by_payer]
    saved = [v for _, v in central.avoided_by_payer]
    words = "; ".join(
        f"{p.name} pays {model.pounds(a)} and saves {model.pounds(b)}"
        for p, a, b in zip(calc.payers, paid, saved, strict=True)
    )
    return horizontal_bar_svg(
        CHART_ID,
        "Who pays and who saves (central estimate)",
        f"Bar chart in {result.price_base}: {words}. The same numbers are in the table below.",
        [p.short for p in calc.payers],
        [("Pays", paid), ("Saves (central)", saved)],
        value_format="£{:,.0f}",
    )


def board_html(result: Result) -> str:
    return f'<div class="dh-board"><h4 style="font-size:1.1rem">For a board paper</h4><p>{escape(model.board_paragraph(result))}</p></div>'


def results_html(result: Result) -> str:
    """The model's result: price base, chart, tables and the board paragraph."""
    mixed = (
        "<p><strong>Mixed prices</strong>: the figures you typed are probably at today's prices, but the guidance's are "
        f"{model.BASE_YEAR} prices. Enter a price factor under Prices to bring them to the same year.</p>"
        if result.mixed_prices and result.case.price is None
        else ""
    )
    return (
        f"<style>{RESULT_STYLE}</style>"
        '<div class="dh-business-case" aria-live="polite">'
        f'<p class="dh-price-base"><strong>Price base</strong>: {escape(result.price_base)}.</p>'
        + mixed
        + totals_table(result)
        + f'<div class="dh-chart">{chart_svg(result)}</div>'
        + payers_table(result)
        + lines_table(result)
        + board_html(result)
        + "</div>"
    )


def csv_link_html(result: Result) -> str:
    return download_html(CSV_NAME, "Download the business case (CSV)", model.result_csv(result))


def inputs_table(form: Mapping[str, str]) -> str:
    """The entries that differ from the defaults, for the static worked example."""
    defaults = model.default_form()
    rows = [(f.label, f.note, form[f.id]) for f in model.fields() if form.get(f.id, f.default) != defaults[f.id]]
    rows += [
        (f.label, f.note, f.default) for f in model.fields() if f.default not in ("", "0") and form[f.id] == f.default
    ]
    caption = "What Dev entered, and the defaults he kept"
    return _scroll(caption, html_table(caption, ("Entry", "Source or note", "Value"), rows, numeric_from=2))


def worked_example_html() -> str:
    """The worked example as static HTML, readable before the tool goes live and in print."""
    result = model.calculate_form(example_form())
    return (
        f"<h3>Worked example: {escape(WORKED_EXAMPLE_NAME)}</h3>"
        + inputs_table(example_form())
        + results_html(result)
        + csv_link_html(result)
    )


def results_intro_html() -> str:
    """What the results are, and are not, above them on the live tool."""
    calc = model.load_calculator()
    return "<h3>Results</h3>" + "".join(f"<p>{escape(calc.note(key))}</p>" for key in ("estimate", "wrong_pocket"))


def _section_of(field: Field) -> str:
    calc = model.load_calculator()
    if field.group in {a.id for a in calc.adaptations}:
        return "adaptations"
    if field.group:
        return "outcomes"
    return "prices" if field.id in (model.PRICE_FACTOR, model.PRICE_INDEX) else "range"


class _FieldRow:
    """One entry: its control (label above), the source or note beside it, and its message."""

    def __init__(self, field: Field, value: str) -> None:
        self.field = field
        self.control = labelled(widgets.Text, field.label, value=value, continuous_update=False)
        self.note = widgets.HTML(f'<span class="dh-source">{escape(field.note)}</span>', layout=full_width())
        self.error = widgets.HTML(layout=full_width())
        self.box = widgets.VBox([self.control, self.note, self.error], layout=full_width())

    def show(self, message: str) -> None:
        self.error.value = ToolView.field_error(message)


class BusinessCaseCalculator(ToolView):
    """The interactive calculator. ``form`` maps field ids to the text typed; the rest keep their defaults."""

    TOOL = ToolInfo(
        page="business-case-calculator", title="Adaptations business-case calculator", chapter="ch05-evidence"
    )

    @classmethod
    def worked_example(cls) -> BusinessCaseCalculator:
        return cls(WORKED_EXAMPLE)

    def __init__(self, form: Mapping[str, str] | None = None) -> None:
        self.form = {**model.default_form(), **(form or {})}
        self.last_good = dict(model.default_form())
        self.rows: dict[str, _FieldRow] = {}
        sections: dict[str, list[widgets.Widget]] = {key: [] for _, key in SECTIONS}
        calc = model.load_calculator()
        names = {a.id: (a.name, a.note) for a in calc.adaptations} | {o.id: (o.name, o.note) for o in calc.outcomes}
        group = None
        for field in model.fields():
            section = _section_of(field)
            if field.group and field.group != group:
                name, note = names[field.group]
                sections[section].append(
                    widgets.HTML(
                        f'<h4 style="margin:1rem 0 0.2rem;font-size:1.1rem">{escape(name)}</h4><p class="dh-source">{escape(note)}</p>',
                        layout=full_width(),
                    )
                )
            group = field.group
            row = _FieldRow(field, self.form[field.id])
            row.control.observe(lambda change, field_id=field.id: self._changed(field_id, change["new"]), names="value")
            self.rows[field.id] = row
            sections[section].append(row.box)
        notes = {"range": calc.note("range") + " " + calc.note("evenly"), "prices": calc.note("prices")}
        children: list[widgets.Widget] = []
        for title, key in SECTIONS:
            intro = f"<p>{escape(notes[key])}</p>" if key in notes else ""
            children.append(widgets.HTML(f"<h3>{escape(title)}</h3>{intro}", layout=full_width()))
            children += sections[key]
        self.results = widgets.HTML(layout=full_width())
        self.csv_link = widgets.HTML(layout=full_width())
        self.view = widgets.VBox(
            [*children, widgets.HTML(results_intro_html(), layout=full_width()), self.results, self.csv_link],
            layout=full_width(),
        )
        self._show()

    def _changed(self, field_id: str, value: str) -> None:
        self.form[field_id] = value
        self._show()

    def _show(self) -> None:
        """Read the whole form with the model; show each problem beside its field, then the results."""
        reading = model.read_form(self.form, self.last_good)
        for field_id, row in self.rows.items():
            message = reading.problem(field_id)
            row.show(message)
            if not message:
                self.last_good[field_id] = self.form[field_id]
        result = model.calculate(reading.case)
        self.results.value = results_html(result)
        self.csv_link.value = csv_link_html(result)
