"""Exercises in the browser (issue 17), in Chromium: fill each exercise page with the model
answers, download the notebook and grade every download in one batch with the solution
notebooks (as Jupyter-made work): the same automatic marks per question. Blank, partial and
hostile forms are graded in the same run; resuming and the page's rules are checked too."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest
from grading_helpers import ASSIGNMENTS, ROOT, ensure_bubblewrap, save, solution
from helpers import BIN, Visit

from dementia_housing.content.evidence import DATA_ENV, load_evidence
from dementia_housing.grading import exercise_form
from dementia_housing.grading.course import Course
from dementia_housing.grading.safety import active_content, inert_markdown

pytestmark = [pytest.mark.browser, pytest.mark.grading]
CASES = json.loads((ROOT / "data" / exercise_form.CASES_FILE).read_text(encoding="utf-8"))
PARTIAL = ("q1-answer", "q4-answer")  # ch05 questions the partial form answers
REFUSED = ["1; import os", "NaN", "inf", "1e999"]
HOSTILE_TEXT = '</textarea><script>alert("form")</script> """ ``` `x` ' + "pasted " * 15_000


def page_of(assignment: str) -> str:
    return f"book/exercises/{assignment}.html"


def form_of(assignment: str) -> exercise_form.Form:
    return exercise_form.released_form(ROOT, assignment, set(load_evidence()))


@contextlib.contextmanager
def _in(folder: Path):
    old_cwd, old_data = Path.cwd(), os.environ.get(DATA_ENV)
    os.chdir(folder)
    os.environ[DATA_ENV] = str(ROOT / "data")
    try:
        yield
    finally:
        os.chdir(old_cwd)
        if old_data is None:
            os.environ.pop(DATA_ENV, None)
        else:
            os.environ[DATA_ENV] = old_data


def _typed(value: object) -> str:
    if isinstance(value, float):
        text = repr(value)
        return f"{value:.15f}".rstrip("0") if "e" in text else text
    return str(value)


def model_answers(assignment: str) -> dict[str, str]:
    """What a learner types for the model answers: the solution notebook's code cells (its check
    cells left out) run in this process, and each answer variable's value read back; the model
    reflection as written."""
    nb = solution(assignment)
    namespace: dict = {}
    with _in(ROOT / "solutions" / assignment):
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and not meta.get("grade"):
                exec(compile(cell.source, f"{assignment}:{meta.get('grade_id')}", "exec"), namespace)
    by_id = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells}
    answers = {}
    for question in form_of(assignment).questions:
        if question.kind == "markdown":
            answers[question.key()] = by_id[question.grade_id].source
        for field in question.fields:
            answers[question.key(field)] = _typed(namespace[field.name])
    return answers


def fill_form(page, answers: dict[str, str]) -> None:
    for key, text in answers.items():
        box = page.locator(f'[data-key="{key}"]')
        if box.locator('input[type="radio"]').count():
            box.locator(f'input[value="{text}"]').check()
        else:
            box.locator("input, textarea").first.fill(text)


def download(page, name: str, folder: Path) -> Path:
    page.fill("#dh-ex-name", name)
    with page.expect_download() as info:
        page.click(".dh-ex-download")
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def per_question(row: dict[str, str]) -> dict[str, str]:
    return dict(part.split("=", 1) for part in row["per_question"].split("; "))


def auto_marks(row: dict[str, str]) -> dict[str, float]:
    return {k: float(v.split("/")[0]) for k, v in per_question(row).items() if "reflection" not in k}


@pytest.fixture(scope="module")
def made(browser, site_url, tmp_path_factory):
    """Every download made in the browser, then one grading run over all of them."""
    ensure_bubblewrap()
    base = tmp_path_factory.mktemp("exercise-forms")
    subs, work = base / "subs", base / "work"
    subs.mkdir()
    typed, files, seen = {}, {}, {}
    for assignment in ASSIGNMENTS:
        typed[assignment] = model_answers(assignment)
        visit = Visit(browser, f"{site_url}/{page_of(assignment)}")
        fill_form(visit.page, typed[assignment])
        files[assignment] = download(visit.page, "Form Learner", subs)
        seen[assignment] = (visit.outside, visit.failed, visit.errors)
        visit.close()
        save(solution(assignment), subs / f"jupyter-learner_{assignment}.ipynb")

    visit = Visit(browser, f"{site_url}/{page_of('ch05-evidence')}")
    files["blank"] = download(visit.page, "Blank Form", subs)
    model = typed["ch05-evidence"]
    typed["partial"] = {k: v for k, v in model.items() if k.split(":")[0] in PARTIAL}
    fill_form(visit.page, typed["partial"])
    files["partial"] = download(visit.page, "Part Answered", subs)

    refused = {}
    field = visit.page.locator('[data-key="q1-answer:times_the_cost"] input')
    for text in REFUSED:
        field.fill(text)
        field.blur()
        error_id = field.get_attribute("aria-describedby").split()[-1]
        refused[text] = (visit.page.locator(f"#{error_id}").inner_text(), field.get_attribute("aria-invalid"))
    visit.page.click(".dh-ex-download")  # refused while a number field is wrong
    refused["download status"] = visit.page.locator("#dh-ex-download-status").inner_text()
    refused["focused"] = visit.page.evaluate("document.activeElement.id") == field.get_attribute("id")
    typed["hostile"] = {**model, "reflection-business-case": HOSTILE_TEXT}
    fill_form(visit.page, typed["hostile"])
    files["hostile"] = download(visit.page, "Hostile Typist", subs)
    visit.close()

    # One batch, by the assessors' own command (Playwright's event loop rules out grading in-process).
    command = [BIN / "dementia-housing", "grade", subs, "--course", ROOT, "--work", work]
    result = subprocess.run(
        [*map(str, command), "--cell-timeout", "10", "--timeout", "90"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    course = Course.at(ROOT, work=work)
    with open(course.work / "grades.csv", newline="") as handle:
        rows = {(r["learner"], r["assignment"]): r for r in csv.DictReader(handle)}
    return {"typed": typed, "files": files, "rows": rows, "course": course, "refused": refused, "seen": seen}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_form_made_notebook_gets_the_marks_of_the_jupyter_made_one(made, assignment):
    outside, failed, errors = made["seen"][assignment]
    assert outside == [] and failed == [] and errors == []
    assert made["files"][assignment].name == f"form-learner_{assignment}.ipynb"
    form_row = made["rows"][("form-learner", assignment)]
    jupyter_row = made["rows"][("jupyter-learner", assignment)]
    assert auto_marks(form_row) == auto_marks(jupyter_row)
    assert sum(auto_marks(form_row).values()) > 0
    assert "held:" not in form_row["per_question"] and "for review" not in form_row["problems"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_download_is_the_released_notebook_with_literal_answers(made, assignment):
    path = made["files"][assignment]
    released_text = exercise_form.released_notebook(ROOT, assignment).read_text(encoding="utf-8")
    # the page's script and the Python rules make the same bytes from the same answers
    assert path.read_text(encoding="utf-8") == exercise_form.fill(
        released_text, form_of(assignment), made["typed"][assignment]
    )
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    from nbgrader.utils import compute_checksum

    released = nbformat.reads(released_text, as_version=4)
    assert [c.id for c in nb.cells] == [c.id for c in released.cells]
    for cell, old in zip(nb.cells, released.cells, strict=True):
        meta = cell.metadata["nbgrader"]
        if not meta.get("solution"):
            assert cell == old and compute_checksum(cell) == meta["checksum"]


def test_blank_form_scores_zero_and_a_partial_one_the_marks_of_its_answers(made):
    rows = made["rows"]
    blank = rows[("blank-form", "ch05-evidence")]
    assert float(blank["score"]) == 0 and set(auto_marks(blank).values()) == {0.0}
    full = auto_marks(rows[("jupyter-learner", "ch05-evidence")])
    partial = auto_marks(rows[("part-answered", "ch05-evidence")])
    answered = {q.replace("-answer", "-check") for q in PARTIAL}
    assert partial == {check: (full[check] if check in answered else 0.0) for check in full}
    assert 0 < sum(partial.values()) < sum(full.values())


def test_number_fields_refuse_code_and_non_numbers_beside_the_field(made):
    refused = made["refused"]
    for text in REFUSED:
        message, invalid = refused[text]
        assert message == exercise_form.MESSAGES["not_a_number"] and invalid == "true", text
    assert "Question 1" in refused["download status"] and refused["focused"]


def test_hostile_text_stays_inert_in_the_notebook_the_feedback_and_the_formgrader(made):
    nb = nbformat.read(made["files"]["hostile"], as_version=4)
    cell = next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "reflection-business-case")
    assert inert_markdown(cell.source) == cell.source and "&lt;/textarea&gt;&lt;script&gt;" in cell.source
    assert '"""' in cell.source and "\\`\\`\\`" in cell.source and len(cell.source) > 100_000
    row = made["rows"][("hostile-typist", "ch05-evidence")]
    assert auto_marks(row) == auto_marks(made["rows"][("jupyter-learner", "ch05-evidence")])

    course = made["course"]
    feedback = (course.work / "feedback" / "hostile-typist" / "ch05-evidence" / "ch05-evidence.html").read_text()
    live = active_content(feedback)
    assert live.handlers == [] and not any("alert" in script for script in live.scripts)
    assert "&lt;/textarea&gt;&lt;script&gt;alert" in feedback and "&amp;lt;" not in feedback  # reads as typed

    from nbconvert import HTMLExporter

    graded = nbformat.read(
        course.folder("autograded") / "hostile-typist" / "ch05-evidence" / "ch05-evidence.ipynb", as_version=4
    )
    kept = next(c for c in graded.cells if c.metadata["nbgrader"]["grade_id"] == "reflection-business-case")
    assert kept.source == cell.source  # already inert: the grader did not escape it a second time
    body, _ = HTMLExporter().from_notebook_node(graded)
    assert not re.search(r"<script>\s*alert", body) and "</textarea><script>" not in body
    assert not any("alert" in script for script in active_content(body).scripts)


def test_answers_survive_a_reload_and_load_back_from_a_downloaded_file(made, visit):
    page = visit(page_of("ch02-understanding")).page
    page.locator('[data-key="q1-answer:answer_q1"] input[value="C"]').check()
    page.fill('[data-key="reflection-communicating"] textarea', "Notes to finish tomorrow")
    page.fill("#dh-ex-name", "Sam Jones")
    page.reload(wait_until="networkidle")
    assert page.locator('[data-key="q1-answer:answer_q1"] input[value="C"]').is_checked()
    assert page.input_value('[data-key="reflection-communicating"] textarea') == "Notes to finish tomorrow"
    assert page.input_value("#dh-ex-name") == "Sam Jones"

    # "Clear my answers" asks first, by keyboard: Escape keeps them, "Yes" clears them
    page.focus(".dh-ex-clear-ask")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.className") == "dh-ex-clear-no"
    page.keyboard.press("Escape")
    assert page.locator(".dh-ex-confirm").is_hidden()
    assert page.locator('[data-key="q1-answer:answer_q1"] input[value="C"]').is_checked()
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert not page.locator('[data-key="q1-answer:answer_q1"] input:checked').count()
    page.reload(wait_until="networkidle")
    assert not page.locator('[data-key="q1-answer:answer_q1"] input:checked').count()

    page.set_input_files("#dh-ex-load-file", str(made["files"]["ch05-evidence"]))
    status = page.locator("#dh-ex-load-status")
    status.wait_for(state="visible")
    assert exercise_form.MESSAGES["other_assignment"] in status.inner_text()
    page.set_input_files("#dh-ex-load-file", str(made["files"]["ch02-understanding"]))
    page.wait_for_function("document.querySelector('#dh-ex-load-status').textContent.startsWith('Loaded')")
    for key, text in made["typed"]["ch02-understanding"].items():
        box = page.locator(f'[data-key="{key}"]')
        if box.locator('input[type="radio"]').count():
            assert box.locator(f'input[value="{text}"]').is_checked(), key
        else:
            assert box.locator("textarea").input_value() == text, key
    page.reload(wait_until="networkidle")  # what was loaded is kept too
    key, letter = next((k, v) for k, v in made["typed"]["ch02-understanding"].items() if len(v) == 1)
    assert page.locator(f'[data-key="{key}"] input[value="{letter}"]').is_checked()


def test_the_page_applies_the_same_rules_as_python(visit):
    page = visit(page_of("ch05-evidence")).page
    results = page.evaluate(
        """(cases) => {
            const form = JSON.parse(document.getElementById("dh-ex-form").textContent);
            const f = window.dhExerciseForm;
            return {
                numbers: cases.numbers.map(c => f.parseNumber(c.typed, c.whole, form.messages, form.limits)),
                names: cases.names.map(c => f.safeLearner(c.name)),
                lines: f.splitLines("a\\nb\\r\\nc\\rd\\u2028e\\x0cf"),
            };
        }""",
        CASES,
    )
    for case, got in zip(CASES["numbers"], results["numbers"], strict=True):
        python = exercise_form.parse_number(case["typed"], case["whole"])
        assert (got["literal"], got["error"]) == (python.literal, python.error), case
    assert results["names"] == [case["learner"] for case in CASES["names"]]
    assert results["lines"] == "a\nb\r\nc\rd\u2028e\x0cf".splitlines(keepends=True)


def test_the_page_is_light_and_labels_every_control(visit):
    visit_ = visit(page_of("ch05-evidence"))
    own = {
        urlparse(url).path.rsplit("/", 1)[-1]: len(visit_.page.request.get(url).body())
        for url in visit_.requested
        if urlparse(url).path.endswith((page_of("ch05-evidence"), "exercise-form.js", "course.css"))
    }
    assert set(own) == {"ch05-evidence.html", "exercise-form.js", "course.css"}
    assert sum(own.values()) < 1024**2, own  # the page's own bytes: its HTML, its script, the course's styles
    assert not any("pyodide" in url or "ipywidgets" in url for url in visit_.requested)
    controls = visit_.page.locator(".dh-ex-field input, .dh-ex-field textarea, #dh-ex-load-file")
    assert controls.count() > 5
    for index in range(controls.count()):
        control = controls.nth(index)
        if control.get_attribute("type") != "radio":
            assert visit_.page.locator(f'label[for="{control.get_attribute("id")}"]').count() == 1
