"""The prevalence estimator's view: a form over :mod:`dementia_housing.prevalence`.

The view holds no arithmetic. It reads the fields, asks the model, and shows the model's
answer as a summary, a chart and a table, or shows the model's error message next to the
field it is about, keeping everything the reader typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import ipywidgets as widgets

from ..content.evidence import source_label
from ..models import prevalence
from .base import ToolInfo, ToolView
from .charts import horizontal_bar_svg
from .render import html_table

# A worked example used on the tool's page: an extra care scheme with 80 residents aged 65+.
WORKED_EXAMPLE_NAME = "Elm Grove, an extra care scheme"
WORKED_EXAMPLE: dict[str, int] = {
    "65-69": 4,
    "70-74": 8,
    "75-79": 14,
    "80-84": 20,
    "85-89": 18,
    "90-94": 12,
    "95+": 4,
}
WORKED_EXAMPLE_KNOWN = 4


def _field_row(field: widgets.Text) -> tuple[widgets.HBox, widgets.HTML]:
    """A field and the place for its message: side by side when there is room, the message
    below the field on a phone, never squeezed into a narrow column."""
    error = widgets.HTML(value="", layout=widgets.Layout(flex="1 1 14em", min_width="0"))
    return widgets.HBox([field, error], layout=widgets.Layout(flex_flow="row wrap", align_items="baseline")), error


def band_title(band: str) -> str:
    """``"65-69"`` -> ``"Aged 65–69"`` (with an en dash), ``"95+"`` -> ``"Aged 95 and over"``."""
    if band.endswith("+"):
        return f"Aged {band[:-1]} and over"
    return "Aged " + band.replace("-", "\u2013")


def _people(n: int) -> str:
    """``"1 person"``, ``"1,200 people"``: always with thousands separators, never ``1e+03``."""
    return "1 person" if n == 1 else f"{n:,} people"


# Said wherever the estimate is: the rates fit the whole population, so they can miss either way.
CAVEAT = (
    "The rates are for the whole population of each age, care-home residents included, so for your tenants "
    "they may overstate as well as understate. Applied to general needs or sheltered tenants they may "
    "overstate the number, because many people of these ages living with dementia live in care homes; they "
    "may understate it where people move in because their needs are growing, as they often do in sheltered "
    "and extra care housing."
)
RANGE_LABEL = "a rough range for chance alone, not for how far the rates fit your tenants"


def summary_html(result: prevalence.Estimate, comparison: prevalence.Comparison | None) -> str:
    """The estimate in plain words, with the rates' source and year."""
    source = source_label(result.source_key)
    parts = [
        '<div class="dh-summary" aria-live="polite">',
        f"<p><strong>About {_people(result.expected_whole)}</strong> of the {_people(result.total_residents)} "
        f"entered might be expected to be living with dementia (estimate {result.expected:,.1f}; {RANGE_LABEL}: "
        f"{result.low:,} to {result.high:,}).</p>",
        f"<p>{escape(CAVEAT)}</p>",
    ]
    if comparison is not None:
        parts.append(f"<p>Known diagnoses: <strong>{comparison.known:,}</strong>. {escape(comparison.reading)}</p>")
    parts.append(
        f'<p class="dh-source">Rates: {escape(source)}, age-specific prevalence for {result.rates_year}, both sexes. '
        "They describe a population, never a diagnosis of any person.</p>"
    )
    parts.append("</div>")
    return "".join(parts)


def chart_svg(result: prevalence.Estimate, chart_id: str = "prevalence-chart") -> str:
    labels = [band_title(b.band) for b in result.bands]
    values = [b.expected for b in result.bands]
    biggest = max(result.bands, key=lambda b: b.expected)
    description = (
        f"Bar chart of the expected number of people living with dementia in each age band; total "
        f"{result.expected:,.1f}. The largest band is {band_title(biggest.band).lower()} with {biggest.expected:,.1f}. "
        "The same numbers are in the table."
    )
    return horizontal_bar_svg(
        chart_id,
        "Expected number living with dementia, by age band",
        description,
        labels,
        [("Expected number", values)],
        value_format="{:,.1f}",
    )


def table_html(result: prevalence.Estimate) -> str:
    rows = [
        (band_title(b.band), f"{b.residents:,}", f"{b.rate_percent:g}%", f"{b.expected:,.2f}") for b in result.bands
    ]
    rows.append(("All ages 65+", f"{result.total_residents:,}", "", f"{result.expected:,.2f}"))
    return html_table(
        "Expected number living with dementia, by age band",
        ("Age band", "Residents", "Prevalence rate", "Expected number"),
        rows,
    )


def worked_example_html() -> str:
    """The worked example as static HTML (summary, chart and table), for print and no-script readers."""
    result = prevalence.estimate(WORKED_EXAMPLE)
    comparison = prevalence.compare_with_known(result, WORKED_EXAMPLE_KNOWN)
    return (
        f"<h4>Worked example: {escape(WORKED_EXAMPLE_NAME)}</h4>"
        + summary_html(result, comparison)
        + chart_svg(result, chart_id="prevalence-example-chart")
        + table_html(result)
    )


class PrevalenceEstimator(ToolView):
    """The interactive form. Display it in a notebook; ``view`` is the ipywidgets tree."""

    TOOL = ToolInfo(page="prevalence-estimator", title="Prevalence estimator", chapter="ch01-why-housing")

    @classmethod
    def worked_example(cls) -> PrevalenceEstimator:
        return cls(WORKED_EXAMPLE, known=WORKED_EXAMPLE_KNOWN)

    def __init__(self, residents: Mapping[str, object] | None = None, known: object = 0) -> None:
        residents = dict(residents or {})
        style = {"description_width": "11em"}
        self.fields: dict[str, widgets.Text] = {}
        self.errors: dict[str, widgets.HTML] = {}
        rows = []
        for band in prevalence.BAND_LABELS:
            field = widgets.Text(
                value=str(residents.get(band, 0)),
                description=band_title(band),
                placeholder="number of residents",
                continuous_update=False,
                style=style,
                layout=widgets.Layout(width="22em"),
            )
            self.fields[band] = field
            row, self.errors[band] = _field_row(field)
            rows.append(row)
        self.known_field = widgets.Text(
            value=str(known),
            description="Known diagnoses",
            placeholder="number with a diagnosis",
            continuous_update=False,
            style=style,
            layout=widgets.Layout(width="22em"),
        )
        row, self.known_error = _field_row(self.known_field)
        rows.append(row)

        self.summary = widgets.HTML()
        self.chart = widgets.HTML()
        self.table = widgets.HTML()
        self.results = widgets.Tab(children=[self.chart, self.table], titles=("Chart", "Table"))
        heading = widgets.HTML("<p><strong>Residents aged 65 and over, by age band</strong></p>")
        self.view = widgets.VBox([heading, *rows, self.summary, self.results])

        for field in [*self.fields.values(), self.known_field]:
            field.observe(self.update, names="value")
        self.update()

    def update(self, _change: object = None) -> None:
        """Recompute from the fields; show any problem next to its field and keep the last good result."""
        counts: dict[str, int] = {}
        for band, field in self.fields.items():
            counts[band] = self._read(field, self.errors[band], band_title(band))
        known = self._read(self.known_field, self.known_error, "Known diagnoses")
        if None in counts.values() or known is None:
            self.summary.value = (
                '<p class="dh-problem" role="alert">Please correct the field(s) marked above; '
                "the results below are from your last complete entry.</p>"
            )
            return
        result = prevalence.estimate(counts)
        try:
            comparison = prevalence.compare_with_known(result, known)
        except ValueError as problem:
            self._show_error(self.known_error, str(problem))
            comparison = None
        self.summary.value = summary_html(result, comparison)
        self.chart.value = chart_svg(result)
        self.table.value = table_html(result)

    def _read(self, field: widgets.Text, error: widgets.HTML, label: str) -> int | None:
        try:
            value = prevalence.parse_count(label, field.value)
        except ValueError as problem:
            self._show_error(error, str(problem))
            return None
        error.value = ""
        return value

    def _show_error(self, error: widgets.HTML, message: str) -> None:
        error.value = self.field_error(message)
