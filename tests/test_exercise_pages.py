"""Exercises in the browser (issue 17), the parts that are Python: the form made from a released
notebook, the rules for what a learner types, and the notebook the answers become."""

from __future__ import annotations

import copy
import html
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from grading_helpers import ASSIGNMENTS, ROOT, answer_cells, released, solution
from helpers import toc_files
from nbconvert.filters.markdown_mistune import markdown2html_mistune

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import exercise_pages

from dementia_housing.content.evidence import load_evidence
from dementia_housing.grading import exercise_form
from dementia_housing.grading.intake import _name_hint, learner_id
from dementia_housing.grading.safety import inert_markdown

CASES = json.loads((ROOT / "data" / exercise_form.CASES_FILE).read_text(encoding="utf-8"))
PAGES = ROOT / "book" / "exercises"


def released_text(assignment: str) -> str:
    return exercise_form.released_notebook(ROOT, assignment).read_text(encoding="utf-8")


def form_of(assignment: str) -> exercise_form.Form:
    return exercise_form.released_form(ROOT, assignment, set(load_evidence()))


def test_every_exercise_has_its_page_and_every_page_its_exercise():
    folders = {p.name for p in (ROOT / "exercises").iterdir() if p.is_dir()}
    pages = {p.stem for p in PAGES.glob("*.md")}
    assert folders == pages == set(ASSIGNMENTS)
    for assignment in folders:
        text = (PAGES / f"{assignment}.md").read_text(encoding="utf-8")
        assert re.search(rf"^```{{exercise-form}} {re.escape(assignment)}$", text, re.M), assignment
        assert f"book/exercises/{assignment}" in toc_files()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_page_has_enough_to_read(assignment):
    """The stub is tiny; the page's words come from the released notebook's markdown."""
    words = " ".join(c.source for c in released(assignment).cells if c.cell_type == "markdown")
    assert len(re.findall(r"[A-Za-z]{2,}", words)) >= 300


@pytest.mark.parametrize("case", CASES["numbers"], ids=lambda c: repr(c["typed"]) + (" whole" if c["whole"] else ""))
def test_number_fields_take_uk_numbers_and_refuse_everything_else(case):
    parsed = exercise_form.parse_number(case["typed"], whole=case["whole"])
    assert parsed.literal == case.get("literal")
    assert parsed.error == (exercise_form.MESSAGES[case["error"]] if "error" in case else None)
    if parsed.literal is not None:
        value = eval(parsed.literal, {"__builtins__": {}})  # a literal and nothing else
        assert type(value) is (int if case["whole"] or "." not in parsed.literal else float)
        assert abs(value) < float("inf")


@pytest.mark.parametrize("case", CASES["names"], ids=lambda c: c["name"])
def test_the_file_name_gives_the_grader_the_right_learner_and_assignment(case):
    learner = exercise_form.safe_learner(case["name"])
    assert learner == case["learner"]
    if learner:
        assert learner_id(learner) == learner
        stem = exercise_form.file_name(case["name"], "ch05-evidence").removesuffix(".ipynb")
        assert _name_hint(stem, list(ASSIGNMENTS)) == (learner, "ch05-evidence")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_answer_cell_gets_the_inputs_its_check_cells_ask_for(assignment):
    form = form_of(assignment)
    source_answers = {
        c.metadata["nbgrader"]["grade_id"] for c in solution(assignment).cells if c.metadata["nbgrader"].get("solution")
    }
    assert {q.grade_id for q in form.questions} == source_answers
    for question in form.questions:
        assert question.heading and not question.heading.endswith(")")
        if question.kind == "code":
            code = answer_cells(assignment)[question.grade_id]
            for field in question.fields:
                assert re.search(rf"^{field.name}\s*=", code, re.M), f"{field.name} is not what the model answer sets"
                if field.kind == "letter":
                    assert set(field.letters) <= set("ABCDUPVIS")
                    # every letter comes with its words: "A Outpacing", "U undermine", "V Valuing people"
                    assert all(field.options[letter] for letter in field.letters), (field.name, field.options)


def test_questions_show_the_evidence_rows_they_name():
    by_id = {q.grade_id: q for q in form_of("ch05-evidence").questions}
    assert by_id["q1-answer"].evidence_ids == ("hip_fracture_cost_2008", "major_adaptation_cost_2008")
    assert set(by_id["q2-answer"].evidence_ids) == {"sandwell_hia_nhs_saving", "sandwell_hia_investment"}
    rates = form_of("ch01-why-housing").questions[4].evidence_ids
    assert rates and all(i.startswith("prevalence_rate_") for i in rates)
    assert set(rates) == {i for i in load_evidence() if i.startswith("prevalence_rate_")}
    assert form_of("ch06-commissioning").data_files == ("evidence.csv", "jsna/ashworth-fictional-population.csv")


def model_answers(assignment: str) -> dict[str, str]:
    """What a learner would type for the model answers whose values are literals in solutions/."""
    answers = {}
    for question in form_of(assignment).questions:
        code = answer_cells(assignment).get(question.grade_id, "")
        for field in question.fields:
            match = re.search(rf'^{field.name} = (?:"([A-Z])"|(-?[\d.]+))$', code, re.M)
            if match:
                answers[question.key(field)] = match.group(1) or match.group(2)
    return answers


def _locked_checksums_hold(nb) -> None:
    from nbgrader.utils import compute_checksum

    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if (meta.get("locked") or meta.get("grade")) and meta.get("solution") is not True:
            assert compute_checksum(cell) == meta["checksum"], meta["grade_id"]


HOSTILE = '</textarea><script>alert("x")</script> """ ``` `code` & <b>bold</b>\n> quoted\n' + "long " * 20_000


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_filled_notebook_is_valid_and_changes_only_the_answer_cells(assignment):
    form = form_of(assignment)
    answers = model_answers(assignment)
    reflection = next(q for q in form.questions if q.kind == "markdown")
    answers[reflection.key()] = HOSTILE
    text = exercise_form.fill(released_text(assignment), form, answers)
    nb = nbformat.reads(text, as_version=4)
    nbformat.validate(nb)
    _locked_checksums_hold(nb)
    before = released(assignment)
    assert [c.id for c in nb.cells] == [c.id for c in before.cells]
    answer_indexes = {q.cell for q in form.questions}
    for index, (cell, old) in enumerate(zip(nb.cells, before.cells, strict=True)):
        if index in answer_indexes:
            assert {k: v for k, v in cell.items() if k != "source"} == {k: v for k, v in old.items() if k != "source"}
        else:
            assert cell == old
    assert text == nbformat.writes(nb) + "\n"  # as nbformat.write saves it
    written = nb.cells[reflection.cell].source
    assert inert_markdown(written) == written  # the grader's own inert form: it is not escaped twice
    assert "&lt;/textarea&gt;&lt;script&gt;" in written and len(written) > 100_000
    shown = markdown2html_mistune(written)
    assert "<script" not in shown and "<b>" not in shown
    words = html.unescape(re.sub(r"<[^>]+>", "", shown))
    assert '</textarea><script>alert("x")</script> """ ``` `code` & <b>bold</b>' in words  # reads as typed
    assert exercise_form.read_answers(json.loads(text), form) == answers


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_answers_give_the_released_notebook_byte_for_byte(assignment):
    form = form_of(assignment)
    assert exercise_form.fill(released_text(assignment), form, {}) == released_text(assignment)
    blank = {key: "" for q in form.questions for key in q.keys}
    assert exercise_form.fill(released_text(assignment), form, blank) == released_text(assignment)


def test_code_in_a_number_field_never_reaches_the_notebook():
    form = form_of("ch05-evidence")
    typed = {
        "q1-answer:times_the_cost": "1; import os",
        "q4-answer:answer_q4": 'B"; import os; "',
        "q3-answer:oldest_money_year": "2008",
    }
    nb = json.loads(exercise_form.fill(released_text("ch05-evidence"), form, typed))
    sources = {c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"]) for c in nb["cells"]}
    assert sources["q1-answer"] == sources["q2-answer"]  # both still as released
    assert "import os" not in json.dumps(nb)
    assert sources["q3-answer"] == "oldest_money_year = 2008"


def test_loading_refuses_another_exercise_or_a_file_that_is_not_a_notebook():
    form = form_of("ch05-evidence")
    other = json.loads(released_text("ch02-understanding"))
    with pytest.raises(exercise_form.FormError, match="different exercise"):
        exercise_form.read_answers(other, form)
    for thing in ([], {"cells": "x"}, {"cells": [{"cell_type": "markdown", "source": "hi", "metadata": {}}]}):
        with pytest.raises(exercise_form.FormError, match="not an exercise notebook"):
            exercise_form.read_answers(thing, form)


def test_loading_a_notebook_answered_in_jupyter_takes_its_literal_answers():
    nb = copy.deepcopy(released("ch03-personhood"))
    for cell in nb.cells:
        if cell.metadata["nbgrader"].get("grade_id") == "i2-answer":
            cell.source = "effect_2 = 'u'\nkind_2 = \"B\"\nprint('hello')"
    answers = exercise_form.read_answers(json.loads(nbformat.writes(nb)), form_of("ch03-personhood"))
    assert answers == {"i2-answer:effect_2": "U", "i2-answer:kind_2": "B"}


def test_the_page_data_cannot_close_its_script_element():
    text = exercise_form.script_json({"a": "</script><!-- <script>", "b": released_text("ch05-evidence")})
    assert "<" not in text
    assert json.loads(text)["a"] == "</script><!-- <script>"


@pytest.mark.build
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_built_page_carries_the_released_notebook_and_nothing_of_the_solutions(built_site: Path, assignment):
    html = (built_site / "book" / "exercises" / f"{assignment}.html").read_text(encoding="utf-8")
    embedded = re.search(r'<script type="application/json" id="dh-ex-notebook">(.*?)</script>', html, re.S).group(1)
    assert json.loads(embedded) == json.loads(released_text(assignment))
    assert "exercise-form.js" in html
    for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "END SOLUTION"):
        assert marker not in html
    for code in answer_cells(assignment).values():
        for line in code.splitlines():
            if len(line.strip()) > 20 and line.strip() not in released_text(assignment):
                assert line.strip() not in html, f"{assignment}: the page shows a model answer line"
    assert "exercise-form.js" not in (built_site / "book" / "ch05-evidence.html").read_text(encoding="utf-8")


JUPYTER_WORDS = re.compile(
    r"In Jupyter|\bHint:|\(hint:|next cell|\bRun (?:it|the)\b|\bvariable\b|\b[Ss]tore (?:it|the)\b"
)


def page_prose(page_html: str) -> str:
    """What a learner reads on an exercise page, as HTML: without the page's scripts and data, the
    notebook's data cells (shown as they are) and the fields' hints (which say where each answer
    goes in the notebook, for an assessor's or a Jupyter user's sake)."""
    main = page_html[page_html.index("<main") : page_html.index("</main>")]
    main = re.sub(r"(?s)<script\b.*?</script>", "", main)
    main = re.sub(r'(?s)<p class="dh-ex-hint"[^>]*>.*?</p>', "", main)
    return re.sub(r'(?s)<div class="dh-ex-code">.*?</div>\s*</div>\s*</div>', "", main)


@pytest.mark.build
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_page_asks_in_words_and_keeps_the_jupyter_instructions_for_jupyter(built_site: Path, assignment):
    """Learners on the page have no Python: its text names no variable to store an answer in and
    shows no code to call, and says nothing of cells to run or of Jupyter hints ("In Jupyter:"
    and "Hint:" paragraphs, and cells tagged jupyter-only, stay in the notebook)."""
    prose = page_prose((built_site / "book" / "exercises" / f"{assignment}.html").read_text(encoding="utf-8"))
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", prose)).split())
    assert not (found := JUPYTER_WORDS.findall(text)), f"{assignment}: Jupyter instructions on the page: {found}"
    names = {field.name for question in form_of(assignment).questions for field in question.fields}
    assert not (named := sorted(n for n in names if re.search(rf"\b{n}\b", text))), f"{assignment}: names {named}"
    code = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"(?s)<code\b[^>]*>(.*?)</code>", prose)]
    assert not (calls := [c for c in code if re.search(r"[(=\[]", c)]), f"{assignment}: code on the page: {calls}"


def test_jupyter_notes_and_cells_are_left_out_of_the_page_but_kept_in_the_notebook():
    """The page's rule on a question of its own: the note goes, the question stays; the notebook
    that is downloaded keeps everything."""
    question = "How many? Give a whole number.\n\nIn Jupyter: store it in `count`.\nHint: `len(x)`.\n\nThen go on."
    shown = exercise_pages._as_question(question, None, False)
    assert "How many? Give a whole number." in shown and "Then go on." in shown
    assert "Jupyter" not in shown and "count" not in shown and "len(" not in shown
    nb = json.loads(released_text("ch01-why-housing"))
    tagged = [c for c in nb["cells"] if exercise_pages.JUPYTER_ONLY_TAG in c["metadata"].get("tags", [])]
    assert tagged and all("read_csv" in "".join(c["source"]) for c in tagged)
