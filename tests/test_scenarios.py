"""The branching tenancy scenarios: the course's files, every path through them, bad data and bad
choices, the summary and its CSV, and the view driven through its widgets."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from html import escape, unescape
from pathlib import Path
from urllib.parse import unquote

import pytest
from helpers import assert_data_error

from dementia_housing.content import evidence
from dementia_housing.models import scenarios as model
from dementia_housing.models.scenarios import (
    CSV_HEADER,
    LOCATOR,
    QUALITY_WORDS,
    ChoiceError,
    Ending,
    Node,
    Walk,
    all_paths,
    choose,
    load_scenario,
    load_scenarios,
    parse_scenario,
    steps,
    summary,
    walk_csv,
    where,
)
from dementia_housing.models.spreadsheet import BOM
from dementia_housing.views.base import ToolView
from dementia_housing.views.scenarios import WORKED_EXAMPLE, TenancyScenarios, scenarios_html, worked_example_html

FOLDER = evidence.data_path("scenarios")
FILES = sorted(FOLDER.glob("*.json"))
SCENARIOS = load_scenarios()
by_id = {"ids": lambda s: s.id}


def walk_of(scenario, path) -> Walk:
    walk = model.start(scenario)
    for letter in path:
        walk = choose(scenario, walk, letter)
    return walk


# The course's files ---------------------------------------------------------------------------


def test_every_file_loads_sorted_by_id_and_named_by_it():
    assert len(FILES) >= 4
    assert [s.id for s in SCENARIOS] == sorted(p.stem for p in FILES)
    for path in FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["status"] == "published" and data["chapter"] == "ch08-tenancy" and data["outcomes"] == ["LO8"]
    assert load_scenario(SCENARIOS[0].id) is SCENARIOS[0]


def test_an_unknown_scenario_names_the_ones_there_are():
    with pytest.raises(ChoiceError) as caught:
        load_scenario("no-such-scenario")
    assert all(s.id in str(caught.value) for s in SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS, **by_id)
def test_every_path_ends_well_formed_at_an_ending(scenario):
    paths = all_paths(scenario)
    assert len(paths) == len(set(paths)) > 0
    reached: set[str] = {scenario.start}
    for path in paths:
        walk = walk_of(scenario, path)
        taken = steps(scenario, walk)
        assert [choice.id for _, choice in taken] == list(path)
        nodes = [node.id for node, _ in taken]
        assert len(nodes) == len(set(nodes)), f"{path}: a decision point repeats"
        end = where(scenario, walk)
        assert isinstance(end, Ending)
        reached |= {*nodes, end.id}
        for node, choice in taken:
            where_ = f"{scenario.id} {node.id} {choice.id}"
            assert choice.feedback and choice.practice, where_
            assert any(LOCATOR.search(c.source) for c in choice.law), where_
    assert reached == {s.id for s in (*scenario.nodes, *scenario.endings)}, "every step is on some path"


@pytest.mark.parametrize("scenario", SCENARIOS, **by_id)
def test_each_scenario_has_three_endings_reached_and_a_good_one(scenario):
    ends = {where(scenario, walk_of(scenario, path)) for path in all_paths(scenario)}
    assert len(ends) >= 3
    assert any(end.kind == "good" for end in ends)
    assert all(any(c.quality == "good" for c in node.choices) for node in scenario.nodes)
    # the good path (the worked example's kind of walk) reaches a good ending
    assert where(scenario, walk_of(scenario, model.good_path(scenario))).kind == "good"


def test_the_worked_example_is_the_first_good_choice_of_its_scenario():
    scenario = load_scenario(WORKED_EXAMPLE["scenario"])
    first = scenario.step(scenario.start)
    assert list(WORKED_EXAMPLE["choices"]) == [next(c.id for c in first.choices if c.quality == "good")]


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return []


QUOTED = re.compile(r"(?<![A-Za-z])'[^']+'(?![A-Za-z])|\"[^\"]+\"|‘[^’]+’|“[^”]+”")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_person_first_language(path):
    for text in strings(json.loads(path.read_text(encoding="utf-8"))):
        lower = text.lower()
        for word in (r"\bsufferers?\b", r"\bdemented\b", r"\bsenile\b"):
            assert not re.search(word, lower), text
        assert not re.search(r"\bEMI\b", text), text
        assert "wandering" not in QUOTED.sub("", lower), f"'wandering' outside quotation marks: {text}"


# Bad data -------------------------------------------------------------------------------------


def citation(source="Mental Capacity Act 2005, s1(3)"):
    return {"source": source, "point": "All practicable steps first."}


def option(letter, quality, next_id):
    return {
        "id": letter,
        "text": f"Choice {letter}.",
        "quality": quality,
        "feedback": "Why it matters.",
        "law": [citation()],
        "practice": "A practice point.",
        "next": next_id,
    }


def ending(ending_id, kind):
    return {
        "id": ending_id,
        "title": f"Ending {ending_id}",
        "kind": kind,
        "summary": "Where it ended.",
        "went_well": ["Something."],
        "law_required": [citation()],
        "monday": ["One.", "Two.", "Three."],
    }


def node(node_id, *choices):
    return {"id": node_id, "title": node_id.title(), "prompt": "What now?", "choices": [option(*c) for c in choices]}


SMALL = {
    "schema": "dementia-housing/branching-scenario",
    "schema_version": 1,
    "id": "small",
    "title": "Small",
    "role": "neighbourhood officer",
    "jurisdiction": "England",
    "situation": "A situation.",
    "start": "first",
    "nodes": [
        node("first", ("a", "good", "second"), ("b", "mixed", "end-mixed"), ("c", "poor", "end-poor")),
        node("second", ("a", "good", "end-good"), ("b", "poor", "end-poor"), ("c", "mixed", "end-mixed")),
    ],
    "endings": [ending("end-good", "good"), ending("end-mixed", "mixed"), ending("end-poor", "poor")],
}
SMALL_FILE = "data/scenarios/small.json"


def test_the_small_scenario_is_valid():
    scenario = parse_scenario(copy.deepcopy(SMALL), SMALL_FILE)
    assert all_paths(scenario) == (("a", "a"), ("a", "b"), ("a", "c"), ("b",), ("c",))


def orphan(data):
    data["nodes"].append({**copy.deepcopy(data["nodes"][1]), "id": "orphan"})


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: d["nodes"][1]["choices"][1].update(next="first"), "nodes[1].choices[1].next", "'first', a loop"),
        (lambda d: d["nodes"][1]["choices"][2].update(next="second"), "nodes[1].choices[2].next", "a loop"),
        (lambda d: d["nodes"][0]["choices"][1].update(next="nowhere"), "nodes[0].choices[1].next", "'nowhere' is not"),
        (orphan, "nodes[2].id", "'orphan' cannot be reached"),
        (lambda d: d["endings"].append(ending("end-extra", "mixed")), "endings[3].id", "cannot be reached"),
        (lambda d: d["nodes"][0]["choices"].pop(), "nodes[0].choices", "between 3 and 4 choices (found 2)"),
        (
            lambda d: d["nodes"][0]["choices"].extend(
                [option("d", "poor", "end-poor"), option("e", "poor", "end-poor")]
            ),
            "nodes[0].choices",
            "between 3 and 4 choices (found 5)",
        ),
        (lambda d: d["nodes"][0]["choices"][1].update(id="c"), "nodes[0].choices[1].id", "must be 'b'"),
        (
            lambda d: d["nodes"][0]["choices"][0].update(quality="great"),
            "nodes[0].choices[0].quality",
            "must be one of",
        ),
        (
            lambda d: d["nodes"][1]["choices"][0].update(law=[citation("Home Office, ASB guidance")]),
            "nodes[1].choices[0].law",
            "no citation's source names a section",
        ),
        (lambda d: d["nodes"][1]["choices"][0].update(law=[]), "nodes[1].choices[0].law", "at least 1 citations"),
        (lambda d: d["nodes"][1].update(id="first"), "nodes[1].id", "'first' is already used on line"),
        (lambda d: d["endings"][0].update(id="second"), "endings[0].id", "'second' is already used"),
        (lambda d: d["nodes"][0]["choices"][2].pop("feedback"), "nodes[0].choices[2].feedback", "missing"),
        (lambda d: d["nodes"][0]["choices"][2].update(feedback=" "), "nodes[0].choices[2].feedback", "empty"),
        (lambda d: d["nodes"][0]["choices"][0].update(quality="mixed"), "nodes[0].choices", "no choice here is 'good'"),
        (lambda d: d["endings"][0].update(kind="mixed"), "endings", "no ending is 'good'"),
        (lambda d: d["endings"][1].update(kind="bad"), "endings[1].kind", "must be one of"),
        (lambda d: d["endings"][1].update(monday=["One.", "Two."]), "endings[1].monday", "between 3 and 5"),
        (lambda d: d["endings"][1]["monday"].extend(["4", "5", "6"]), "endings[1].monday", "between 3 and 5"),
        (lambda d: d["endings"][1].update(went_well=[]), "endings[1].went_well", "at least 1"),
        (lambda d: d["endings"][1].update(law_required=[]), "endings[1].law_required", "at least 1"),
        (lambda d: d.update(schema_version=2), "schema_version", "2 is not a version this tool reads"),
        (lambda d: d.update(schema="something-else"), "schema", "must be 'dementia-housing/branching-scenario'"),
        (lambda d: d.update(id="other"), "id", "'other' must equal the file's name, 'small'"),
        (lambda d: d["nodes"][1].update(id="Second_Node"), "nodes[1].id", "must be kebab-case"),
        (lambda d: d.update(start="end-good"), "start", "'end-good' is not the id of a decision point"),
        (lambda d: d.pop("situation"), "situation", "missing"),
        (lambda d: d.update(jurisdiction="Wales"), "jurisdiction", "the law in England"),
    ],
)
def test_bad_data_names_the_line_and_field(change, field, words):
    data = copy.deepcopy(SMALL)
    change(data)
    with pytest.raises(Exception) as caught:
        parse_scenario(data, SMALL_FILE)
    assert_data_error(caught.value, data, SMALL_FILE, field, words)


def test_a_file_read_from_disk_names_its_own_line(tmp_path, monkeypatch):
    data = copy.deepcopy(SMALL)
    data["nodes"][0]["choices"][1]["next"] = "nowhere"
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "small.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    monkeypatch.setenv(evidence.DATA_ENV, str(tmp_path))
    model.load_scenarios.cache_clear()
    try:
        with pytest.raises(Exception) as caught:
            load_scenarios()
    finally:
        model.load_scenarios.cache_clear()
    line = json.dumps(data, indent=2).splitlines()[caught.value.line - 1]
    assert str(caught.value).startswith(f"{SMALL_FILE}:{caught.value.line}, field 'nodes[0].choices[1].next'")
    assert '"next": "nowhere"' in line


# Choosing -------------------------------------------------------------------------------------


@pytest.fixture
def small():
    return parse_scenario(copy.deepcopy(SMALL), SMALL_FILE)


@pytest.mark.parametrize("empty", [None, "", "  "])
def test_choosing_nothing_says_to_choose(small, empty):
    with pytest.raises(ChoiceError, match=r"^Choose one of the options first\.$"):
        choose(small, model.start(small), empty)


def test_an_unknown_letter_names_the_letters_offered(small):
    with pytest.raises(ChoiceError) as caught:
        choose(small, model.start(small), "z")
    assert str(caught.value) == "'z' is not one of the options here. Choose a, b or c."
    assert choose(small, model.start(small), " B ") == Walk("small", ("b",))


def test_choosing_after_the_end_says_start_again(small):
    ended = walk_of(small, ("b",))
    assert isinstance(where(small, ended), Ending)
    with pytest.raises(ChoiceError, match="has ended.*Start again"):
        choose(small, ended, "a")


def test_walks_are_immutable_and_checked(small):
    first = model.start(small)
    second = choose(small, first, "a")
    assert first.choices == () and second.choices == ("a",)
    assert isinstance(where(small, second), Node) and where(small, second).id == "second"
    with pytest.raises(ChoiceError):
        where(small, Walk("small", ("d",)))
    with pytest.raises(ChoiceError):
        where(small, Walk("another", ()))
    with pytest.raises(ChoiceError, match="not ended yet"):
        summary(small, second)


# The summary and the CSV, checked against the data ----------------------------------------------


@pytest.mark.parametrize("scenario", SCENARIOS, **by_id)
def test_the_summary_is_the_endings_plus_the_law_of_the_path(scenario):
    for path in all_paths(scenario):
        walk = walk_of(scenario, path)
        result = summary(scenario, walk)
        end = where(scenario, walk)
        assert result.ending == end and result.path == steps(scenario, walk)
        assert (result.went_well, result.monday) == (end.went_well, end.monday)
        law = result.law_required
        assert len(law) == len(set(law))
        assert law[: len(set(end.law_required))] == tuple(dict.fromkeys(end.law_required))
        assert set(law) == set(end.law_required) | {c for _, choice in result.path for c in choice.law}


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :])))


@pytest.mark.parametrize("scenario", SCENARIOS, **by_id)
def test_the_csv_holds_the_path_and_the_ending(scenario):
    path = all_paths(scenario)[-1]
    walk = walk_of(scenario, path)
    rows = csv_rows(walk_csv(scenario, walk))
    assert tuple(rows[0]) == CSV_HEADER
    taken = steps(scenario, walk)
    for number, ((node, choice), row) in enumerate(zip(taken, rows[1:], strict=False), start=1):
        assert row[:5] == [str(number), node.title, choice.text, QUALITY_WORDS[choice.quality], choice.feedback]
        assert all(c.source in row[5] and c.point in row[5] for c in choice.law)
        assert row[6] == choice.practice
    rest = rows[1 + len(taken) :]
    end = where(scenario, walk)
    assert rest[0] == [] and rest[1][0] == "ending" and end.title in rest[1][1]
    assert rest[2] == ["summary", end.summary]
    assert [r[1] for r in rest if r[:1] == ["what went well"]] == list(end.went_well)
    assert [r[1] for r in rest if r[:1] == ["monday"]] == list(end.monday)
    law_rows = [r[1] for r in rest if r[:1] == ["law required"]]
    assert law_rows == [f"{c.source}: {c.point}" for c in summary(scenario, walk).law_required]


# The page's static HTML -----------------------------------------------------------------------


def test_the_worked_example_html_walks_the_good_path():
    scenario = load_scenario(WORKED_EXAMPLE["scenario"])
    walk = walk_of(scenario, model.good_path(scenario))
    html = worked_example_html()
    assert escape(scenario.situation) in html
    for node, choice in steps(scenario, walk):
        assert escape(node.title) in html and escape(choice.feedback) in html
    assert all(escape(item) in html for item in where(scenario, walk).monday)
    assert "to_verify" not in html and all(escape(claim) not in html for claim in scenario.to_verify)


def test_the_scenarios_table_counts_from_the_model():
    html = scenarios_html()
    for scenario in SCENARIOS:
        cells = f"<td>{escape(scenario.role)}</td>" + "".join(
            f'<td style="text-align:right">{n}</td>'
            for n in (len(scenario.nodes), len(scenario.endings), len(all_paths(scenario)))
        )
        assert cells in html


# The view, driven through its widgets --------------------------------------------------------


def error_message(scenario, walk, choice) -> str:
    with pytest.raises(ChoiceError) as caught:
        choose(scenario, walk, choice)
    return str(caught.value)


def test_the_view_builds_and_opens_on_the_worked_example():
    tool = TenancyScenarios.worked_example()
    assert isinstance(tool, ToolView)
    scenario = load_scenario(WORKED_EXAMPLE["scenario"])
    walk = walk_of(scenario, WORKED_EXAMPLE["choices"])
    assert tool.walk == walk
    (_, taken), here = steps(scenario, walk)[-1], where(scenario, walk)
    assert escape(taken.feedback) in tool.feedback.value and "A good choice" in tool.feedback.value
    assert escape(here.prompt) in tool.decision.value
    assert all(escape(c.text) in tool.decision.value for c in here.choices)
    assert tool.choice_field.options == tuple((c.id, c.id) for c in here.choices)
    assert tool.choice_field.description == "Your choice" and tool.picker.description == "Scenario"


def test_choosing_in_the_view_shows_the_models_feedback():
    scenario = SCENARIOS[0]
    tool = TenancyScenarios(scenario=scenario.id)
    first = scenario.step(scenario.start)
    for choice in first.choices:
        tool.restart_button.click()
        tool.choice_field.value = choice.id
        tool.choose_button.click()
        assert escape(choice.feedback) in tool.feedback.value
        assert escape(QUALITY_WORDS[choice.quality]) in tool.feedback.value
        assert all(escape(c.source) in tool.feedback.value for c in choice.law)
        assert escape(choice.practice) in tool.feedback.value
        assert escape(first.title) in tool.path.value


def test_an_empty_choice_shows_the_models_message_beside_the_field():
    scenario = SCENARIOS[0]
    tool = TenancyScenarios(scenario=scenario.id)
    tool.choose_button.click()
    message = error_message(scenario, model.start(scenario), None)
    assert tool.choice_error.value == ToolView.field_error(message)
    assert 'role="alert"' in tool.choice_error.value
    assert tool.choice_error in tool.choice_row.children
    tool.choice_field.value = "a"
    assert tool.choice_error.value == ""


@pytest.mark.parametrize("scenario", SCENARIOS, **by_id)
def test_reaching_an_ending_shows_the_summary_and_the_csv(scenario):
    tool = TenancyScenarios()
    tool.picker.value = scenario.id
    path = all_paths(scenario)[0]
    for letter in path:
        tool.choice_field.value = letter
        tool.choose_button.click()
    walk = walk_of(scenario, path)
    end = where(scenario, walk)
    shown = tool.ending.value
    assert escape(end.summary) in shown
    for heading in ("What went well", "What the law required", "What to do on Monday"):
        assert heading in shown
    assert all(escape(item) in shown for item in (*end.monday, *end.went_well))
    link = re.search(rf'<a download="{scenario.id}\.csv" href="data:text/csv;charset=utf-8,([^"]*)">', shown)
    assert link and unquote(unescape(link.group(1))) == walk_csv(scenario, walk)
    assert "Print" in shown
    assert tool.choice_row.layout.display == "none"
    tool.restart_button.click()
    assert tool.walk == model.start(scenario) and tool.ending.value == "" and tool.feedback.value == ""


def test_changing_the_scenario_starts_it_afresh():
    tool = TenancyScenarios.worked_example()
    other = next(s for s in SCENARIOS if s.id != WORKED_EXAMPLE["scenario"])
    tool.picker.value = other.id
    assert tool.walk == model.start(other) and tool.feedback.value == ""
    assert escape(other.situation) in tool.situation.value


def widths(widget) -> list[str]:
    found = [w for w in (widget.layout.width, widget.layout.max_width) if w]
    for child in getattr(widget, "children", ()):
        found += widths(child)
    return found


def test_the_view_fits_a_phone():
    for width in widths(TenancyScenarios.worked_example().view):
        number = re.fullmatch(r"([\d.]+)(em|rem|px)", width)
        assert width in {"100%", "auto", "40em"} or (number and float(number.group(1)) <= 20), width


def test_no_learner_text_comes_from_to_verify():
    for path in FILES:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        tool = TenancyScenarios(scenario=data["id"])
        shown = tool.situation.value + tool.decision.value
        assert all(escape(claim) not in shown for claim in data.get("to_verify", []))
