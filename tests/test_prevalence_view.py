"""The prevalence estimator's form on CPython: it recomputes, and bad input stays by its field."""

from __future__ import annotations

import re

import ipywidgets as widgets

from dementia_housing.models import prevalence
from dementia_housing.views.charts import horizontal_bar_svg
from dementia_housing.views.prevalence import WORKED_EXAMPLE, PrevalenceEstimator, band_title, worked_example_html


def test_starts_with_the_worked_example():
    tool = PrevalenceEstimator(WORKED_EXAMPLE, known=4)
    expected = prevalence.estimate(WORKED_EXAMPLE)
    assert f"About {expected.expected_whole} people" in tool.summary.value
    assert "Dementia UK: Update" in tool.summary.value and "2013" in tool.summary.value
    assert "<svg" in tool.chart.value and "<table" in tool.table.value


def test_editing_a_field_recomputes():
    tool = PrevalenceEstimator(WORKED_EXAMPLE, known=4)
    tool.fields["95+"].value = "40"
    changed = dict(WORKED_EXAMPLE, **{"95+": 40})
    assert f"estimate {prevalence.estimate(changed).expected:.1f}" in tool.summary.value
    assert "40" in tool.table.value


def test_bad_input_is_shown_next_to_its_field_and_nothing_is_lost():
    tool = PrevalenceEstimator(WORKED_EXAMPLE, known=4)
    chart_before = tool.chart.value
    tool.fields["80-84"].value = "-3"
    assert "enter 0 or more (you typed -3)" in tool.errors["80-84"].value
    assert all(tool.errors[b].value == "" for b in tool.errors if b != "80-84")
    assert "Please correct" in tool.summary.value
    assert tool.fields["80-84"].value == "-3"  # what the reader typed is kept
    assert tool.chart.value == chart_before  # the last good result stays
    tool.fields["80-84"].value = "21"
    assert tool.errors["80-84"].value == ""
    assert "Please correct" not in tool.summary.value


def test_blank_and_fraction_messages():
    tool = PrevalenceEstimator(WORKED_EXAMPLE, known=4)
    tool.fields["65-69"].value = ""
    tool.fields["70-74"].value = "2.5"
    assert "enter 0 if there is nobody" in tool.errors["65-69"].value
    assert "whole number" in tool.errors["70-74"].value


def test_known_diagnoses_above_residents_is_flagged_but_estimate_shown():
    tool = PrevalenceEstimator({"85-89": 3}, known=2)
    tool.known_field.value = "9"
    assert "more than the 3 residents" in tool.known_error.value
    assert "About 1 person" in tool.summary.value


def test_error_text_is_escaped():
    tool = PrevalenceEstimator(WORKED_EXAMPLE, known=4)
    tool.fields["65-69"].value = "<img src=x onerror=alert(1)>"
    assert "<img" not in tool.errors["65-69"].value
    assert "&lt;img" in tool.errors["65-69"].value


def test_band_titles():
    assert band_title("65-69") == "Aged 65\u201369"
    assert band_title("95+") == "Aged 95 and over"


def test_chart_is_accessible_deterministic_and_self_contained():
    svg = horizontal_bar_svg("test-chart", "Title <1>", "Description & more", ["A", "B"], [("S", [1.0, 2.5])])
    assert svg == horizontal_bar_svg("test-chart", "Title <1>", "Description & more", ["A", "B"], [("S", [1.0, 2.5])])
    assert svg.startswith('<svg role="img" aria-labelledby="test-chart-title test-chart-desc"')
    assert '<title id="test-chart-title">Title &lt;1&gt;</title>' in svg
    assert '<desc id="test-chart-desc">Description &amp; more</desc>' in svg
    assert "<script" not in svg and "<!--" not in svg
    assert set(re.findall(r"https?://[^\"' )<]+", svg)) <= {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }


def test_worked_example_html_is_static_and_complete():
    page = worked_example_html()
    assert "Elm Grove" in page and "<svg" in page and "<table" in page
    assert page == worked_example_html()


def test_the_largest_counts_print_with_separators_and_never_in_e_notation():
    most = {band: prevalence.MAX_COUNT for band in prevalence.BAND_LABELS}
    tool = PrevalenceEstimator(most, known=prevalence.MAX_COUNT)
    outputs = [tool.summary.value, tool.chart.value, tool.table.value]
    assert "of the 700,000 people entered" in tool.summary.value
    assert "Known diagnoses: <strong>100,000</strong>" in tool.summary.value
    assert ">41,100.00<" in tool.table.value and ">100,000<" in tool.table.value
    assert "41,100.0" in tool.chart.value
    tool.fields["95+"].value = "99,999,999,999"
    tool.fields["90-94"].value = "99999999999"
    tool.known_field.value = str(10**15)
    for band in ("95+", "90-94"):
        message = tool.errors[band].value
        assert "enter a whole number from 0 to 100,000 (you typed 99,999,999,999)" in message
        outputs.append(message)
    outputs += [tool.known_error.value, tool.summary.value]
    for text in outputs:
        assert "e+" not in text and "E+" not in text
    assert "1.83e+10" not in "".join(outputs)


def test_a_count_over_the_limit_is_refused_beside_its_field_and_kept():
    tool = PrevalenceEstimator(WORKED_EXAMPLE, known=4)
    summary_before = tool.summary.value
    tool.fields["95+"].value = "99,999,999,999"
    assert "(you typed 99,999,999,999)" in tool.errors["95+"].value
    assert "Please correct" in tool.summary.value and tool.fields["95+"].value == "99,999,999,999"
    tool.fields["95+"].value = "-5"
    assert "enter 0 or more (you typed -5)" in tool.errors["95+"].value
    tool.fields["95+"].value = str(WORKED_EXAMPLE["95+"])
    assert tool.summary.value == summary_before


def test_a_message_wraps_below_its_field_rather_than_squeezing_into_a_column():
    tool = PrevalenceEstimator()
    row = next(r for r in tool.view.children if isinstance(r, widgets.HBox) and tool.fields["95+"] in r.children)
    assert row.layout.flex_flow == "row wrap"
    assert tool.errors["95+"].layout.flex == "1 1 14em"


def test_the_summary_says_the_rates_can_miss_either_way_and_what_the_range_covers():
    for html in (PrevalenceEstimator(WORKED_EXAMPLE, known=4).summary.value, worked_example_html()):
        assert "care-home residents included" in html
        assert "overstate as well as understate" in html
        assert "a rough range for chance alone, not for how far the rates fit your tenants: 5 to 18" in html
        assert "95% range" not in html
