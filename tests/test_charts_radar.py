"""The radar chart: accessible, deterministic, self-contained, and honest about missing values."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from dementia_housing.views.charts import radar_svg

SVG = "{http://www.w3.org/2000/svg}"
LABELS = ["North", "East", "South", "West"]


def chart(values, chart_id="test-radar", labels=LABELS, title="Profile <1>", description="Scores & more"):
    return radar_svg(chart_id, title, description, labels, [("Score", values)], 3)


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def value_labels(svg: str) -> list[str]:
    root = parsed(svg)
    return [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "value"]


def test_same_input_same_svg():
    assert chart([1.0, 2.5, 0.5, 3.0]) == chart([1.0, 2.5, 0.5, 3.0])
    # only the chart id differs between two charts of the same data
    one, two = chart([1.0, 2.0, 3.0, 0.0], "first-radar"), chart([1.0, 2.0, 3.0, 0.0], "second-radar")
    assert one.replace("first-radar", "X") == two.replace("second-radar", "X")


def test_accessible_and_self_contained():
    svg = chart([1.0, 2.5, 0.5, 3.0])
    assert svg.startswith('<svg role="img" aria-labelledby="test-radar-title test-radar-desc"')
    assert '<title id="test-radar-title">Profile &lt;1&gt;</title>' in svg
    assert '<desc id="test-radar-desc">Scores &amp; more</desc>' in svg
    assert "<script" not in svg and "<!--" not in svg
    assert 'id="chart-test-radar"' in svg and not re.search(r"chart-[0-9a-f]{8}-", svg)
    assert set(re.findall(r"https?://[^\"' )<]+", svg)) <= {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }
    parsed(svg)  # well-formed XML


def test_every_value_is_printed_and_the_outline_is_drawn():
    svg = chart([1.0, 2.5, 0.5, 3.0])
    assert value_labels(svg) == ["1.0", "2.5", "0.5", "3.0"]
    assert 'class="line reactive"' in svg  # the filled outline joining the points


def test_a_missing_value_is_a_gap_never_zero():
    svg = chart([1.0, None, 2.0, 3.0])
    assert value_labels(svg) == ["1.0", "2.0", "3.0"]  # pygal's own radar would print 0.0 here
    dots = [c for c in parsed(svg).iter(f"{SVG}circle") if "dot" in c.get("class", "")]
    assert len(dots) == 3
    assert 'class="line reactive"' not in svg  # no outline through the gap


def test_a_real_zero_is_drawn():
    assert value_labels(chart([0.0, 1.0, 2.0, 3.0])) == ["0.0", "1.0", "2.0", "3.0"]


def test_axis_labels_are_upright_and_set_beside_the_chart():
    root = parsed(chart([1.0, 2.0, 3.0, 2.0]))
    axis = next(g for g in root.iter(f"{SVG}g") if g.get("class", "").startswith("axis x web"))
    labels = {t.text: t for t in axis.iter(f"{SVG}text")}
    assert set(labels) == set(LABELS)
    assert all("transform" not in t.attrib for t in labels.values())
    assert labels["North"].get("style") == "text-anchor:middle"
    assert labels["East"].get("style") == "text-anchor:end"  # pygal draws the second axis on the left
    assert labels["West"].get("style") == "text-anchor:start"


def test_rings_are_whole_numbers_up_to_the_maximum():
    root = parsed(chart([1.0, 2.0, 3.0, 2.0]))
    axis = next(g for g in root.iter(f"{SVG}g") if g.get("class", "") == "axis y web")
    assert sorted(t.text for t in axis.iter(f"{SVG}text")) == ["0", "1", "2", "3"]


def test_long_labels_are_not_cut_short():
    labels = ["A label that is rather long (no score)", "B", "C"]
    svg = radar_svg("long-radar", "T", "D", labels, [("S", [1.0, 2.0, 3.0])], 3)
    assert labels[0] in svg and "\u2026" not in svg


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: chart([1, 2, 3, 0], chart_id="Bad id"), "must be lower case letters"),
        (lambda: chart([1, 2], labels=["A", "B"]), "at least 3 axes, got 2"),
        (lambda: chart([1, 2, 3]), "series 'Score' has 3 values for 4 axes"),
    ],
)
def test_bad_calls_say_what_is_wrong(call, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        call()
