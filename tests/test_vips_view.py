"""The VIPS self-assessment's view on CPython: it recomputes, handles "Don't know", says what it is."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from dementia_housing.models import vips
from dementia_housing.views.vips import (
    CSV_NAME,
    UNANSWERED,
    WORKED_EXAMPLE,
    WORKED_EXAMPLE_NAME,
    VipsSelfAssessment,
    control_label,
    rating_options,
    worked_example_html,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "book" / "tools" / "vips-self-assessment.ipynb"


@pytest.fixture
def tool() -> VipsSelfAssessment:
    return VipsSelfAssessment(WORKED_EXAMPLE, name=WORKED_EXAMPLE_NAME)


def test_starts_with_the_worked_example(tool):
    expected = vips.assess(WORKED_EXAMPLE)
    assert tool.ratings == WORKED_EXAMPLE
    assert f"Overall score: {expected.overall_text} out of 3" in tool.summary.value
    assert "Results for Hawthorn Gardens" in tool.summary.value
    assert 'aria-live="polite"' in tool.summary.value
    assert '<svg role="img"' in tool.chart.value and "<table" in tool.table.value
    for weak in expected.weakest:
        assert control_label(weak.prompt) in tool.actions.value


def test_the_adaptation_notice_is_in_the_view(tool):
    introduction = tool.view.children[0].value
    assert "An adaptation for learning, not the official tool." in introduction
    assert "not the official Care Fit for VIPS tool" in introduction
    assert introduction.index("adaptation") < introduction.index("The rating scale")


def test_prompts_are_grouped_by_element_with_labelled_controls(tool):
    sections = [c for c in tool.view.children if hasattr(c, "children") and len(c.children) == 13]
    assert len(sections) == 4  # a heading, then a text and a control for each of six prompts
    for section, element in zip(sections, vips.load_tool().elements, strict=True):
        assert f"<h3>{element.code}: " in section.children[0].value
        controls = section.children[2::2]
        assert [c.description for c in controls] == [control_label(p) for p in element.prompts]
    labels = [label for label, _ in rating_options(vips.load_tool())]
    assert labels == [
        "Not answered yet",
        "0 \u2013 Not yet",
        "1 \u2013 Starting",
        "2 \u2013 Often",
        "3 \u2013 Consistently",
        "Don't know",
    ]
    assert all(c.options == tool.controls["V1"].options for c in tool.controls.values())


def test_changing_a_rating_recomputes(tool):
    chart_before, table_before = tool.chart.value, tool.table.value
    tool.controls["P2"].value = 3
    changed = dict(WORKED_EXAMPLE, P2=3)
    expected = vips.assess(changed)
    assert f"Overall score: {expected.overall_text} out of 3" in tool.summary.value
    assert expected.overall_text != vips.assess(WORKED_EXAMPLE).overall_text
    assert f'<td style="text-align:right">{expected.element("P").score_text}</td>' in tool.table.value
    assert tool.chart.value != chart_before and tool.table.value != table_before
    assert "P2 Behaviour as communication" not in tool.actions.value


def test_dont_know_is_counted_and_listed_not_scored(tool):
    for prompt_id in ("P1", "P2", "P4", "P5"):
        tool.controls[prompt_id].value = vips.DONT_KNOW
    # P now has no rated prompt: six "don't know"
    assert tool.ratings["P1"] == vips.DONT_KNOW
    assert "not enough answers" in tool.table.value
    assert "Not enough answers to score P Perspective" in tool.chart.value
    assert "P: Perspective (no score)" in tool.chart.value
    assert "\u201cDon't know\u201d was the answer to 7 of the 24 prompts" in tool.summary.value.replace("&#x27;", "'")
    assert "P2 Behaviour as communication" in tool.actions.value  # listed under "Find out"
    assert "Find out" in tool.actions.value


def test_not_answered_yet(tool):
    tool.controls["S1"].value = UNANSWERED
    assert tool.ratings["S1"] is None
    assert "1 of the 24 prompts are not answered yet." in tool.summary.value


def test_a_fresh_form_starts_unanswered():
    fresh = VipsSelfAssessment()
    assert set(fresh.ratings.values()) == {None}
    assert "No prompt has a rating yet." in fresh.summary.value


def test_name_is_escaped_in_the_results(tool):
    tool.name_field.value = "<img src=x onerror=alert(1)>"
    assert "<img" not in tool.summary.value
    assert "Results for &lt;img src=x onerror=alert(1)&gt;" in tool.summary.value


def test_bad_starting_ratings_raise_naming_the_prompt():
    with pytest.raises(ValueError, match="prompt V2: rating 9 is outside the scale"):
        VipsSelfAssessment({"V2": 9})
    with pytest.raises(ValueError, match="unknown prompt 'Q1'"):
        VipsSelfAssessment({"Q1": 1})


def test_worked_example_html_is_static_and_complete():
    page = worked_example_html()
    assert page == worked_example_html()
    assert "Hawthorn Gardens" in page and "<svg" in page and "<table" in page
    assert "Suggested actions for the weakest indicators" in page and "Find out" in page
    assert 'id="vips-example-chart-desc"' in page  # its own chart id, not the widget's


def test_the_tool_page_widget_cell_builds_the_worked_example():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    live = [c for c in cells if "live-tool" in c["metadata"].get("tags", [])]
    assert len(live) == 1
    cell = live[0]
    assert cell["metadata"]["tags"] == ["remove-input", "live-tool"]
    tree = ast.parse("".join(cell["source"]))
    *imports, last = tree.body
    assert all(isinstance(node, ast.ImportFrom) for node in imports)
    assert isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)
    assert last.value.func.id == "VipsSelfAssessment"
    arguments = {k.arg: ast.literal_eval(k.value) for k in last.value.keywords}
    assert arguments == {"ratings": WORKED_EXAMPLE, "name": WORKED_EXAMPLE_NAME}
    assert cell["outputs"] and "application/vnd.jupyter.widget-view+json" in cell["outputs"][0]["data"]


def test_the_tool_page_states_it_is_not_the_official_tool():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    first = "".join(cells[0]["source"])
    assert "An adaptation for learning, not the official tool" in first
    assert "**not** Care Fit for VIPS" in first


def test_the_prose_quotes_the_worked_example_as_the_model_scores_it():
    result = vips.assess(WORKED_EXAMPLE)
    v, i, p, s = (r.score_text for r in result.elements)
    chapter = " ".join((ROOT / "book" / "ch04-vips.md").read_text(encoding="utf-8").split())
    assert (
        f"the social environment scored {s} out of 3, treating people as individuals {i}, "
        f"valuing people {v}, and looking from residents' perspective only {p}"
    ) in chapter
    notes = " ".join(
        " ".join("".join(c["source"]) for c in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]).split()
    )
    assert f"A single overall score of {result.overall_text} would hide that" in notes
    bank = json.loads((ROOT / "data" / "self-checks" / "ch04-vips.json").read_text(encoding="utf-8"))
    reading = next(q for q in bank["questions"] if q["id"] == "vips-reading-profile")["prompt"]
    assert f"overall score is {result.overall_text} out of 3" in reading
    assert f"S {s}, I {i}, V {v} and P {p}" in reading
    assert len(result.dont_know) == 3 and "Three prompts drew a" in chapter


def test_the_result_says_why_the_overall_score_is_not_shown(tool):
    assert "Overall score not shown" not in tool.summary.value
    for prompt_id in ("P1", "P2"):
        tool.controls[prompt_id].value = vips.DONT_KNOW
    summary = tool.summary.value.replace("&#x27;", "'")
    assert "Overall score not shown: element P (Looking from the person's perspective) has fewer than 3" in summary
    assert "(it has 2); answer at least 3 of its 6 prompts" in summary
    assert "Weakest of the scored elements: Valuing people (V)" in summary


def test_the_results_can_be_downloaded_as_csv(tool):
    from urllib.parse import unquote

    html = tool.download.value
    assert f'download="{CSV_NAME}"' in html and CSV_NAME == "vips-self-assessment.csv"
    prefix = 'href="data:text/csv;charset=utf-8,'
    href = html[html.index(prefix) + len(prefix) : html.index('"', html.index(prefix) + len(prefix))]
    assert unquote(href.replace("&amp;", "&")) == vips.results_csv(tool.ratings, WORKED_EXAMPLE_NAME)
    tool.controls["P2"].value = 3  # the link follows the ratings
    assert tool.download.value != html
    assert "print" in html.lower()


def test_the_prompts_are_left_out_of_a_printed_copy(tool):
    sections = [c for c in tool.view.children if "dh-print-hide" in c._dom_classes]
    assert len(sections) == 4
    assert all(
        tool.controls[p.id] in s.children for s, e in zip(sections, tool.tool.elements, strict=True) for p in e.prompts
    )
    assert tool.summary in tool.view.children and tool.download in tool.view.children


def test_no_output_uses_e_notation(tool):
    for prompt_id in tool.controls:
        tool.controls[prompt_id].value = 0
    for text in (tool.summary.value, tool.chart.value, tool.table.value, tool.actions.value, tool.download.value):
        assert "e+" not in text
