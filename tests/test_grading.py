"""Grading: exercises, rubrics, intake of bad input, and the safety of learners' markup (fast)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import nbformat
import pytest
from grading_helpers import ASSIGNMENTS, CH02_RIGHT, ROOT, answered, grade_id, released, save, solution

from dementia_housing.grading.course import Course
from dementia_housing.grading.gradebook import ensure_assignments
from dementia_housing.grading.intake import collect, learner_id
from dementia_housing.grading.safety import (
    HideHiddenTests,
    SanitiseLearnerCells,
    UnsafeFeedback,
    active_content,
    check_feedback_html,
    inert_markdown,
    scan_learner_code,
)

pytestmark = pytest.mark.grading

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def _cells_by_id(nb):
    return {grade_id(c): c for c in nb.cells if grade_id(c)}


@pytest.fixture(scope="module")
def fresh_release(tmp_path_factory):
    """nbgrader generate_assignment of every assignment, into a throw-away work area."""
    work = tmp_path_factory.mktemp("generate") / "work"
    ensure_assignments(Course.at(ROOT, work=work), list(ASSIGNMENTS))
    return work / "release"


def test_there_is_an_assignment_for_each_chapter():
    assert len(ASSIGNMENTS) >= 7
    assert {a[:4] for a in ASSIGNMENTS} == {f"ch0{n}" for n in range(1, 10)}
    assert sorted(p.name for p in (ROOT / "exercises").iterdir() if p.is_dir()) == list(ASSIGNMENTS)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_release_equals_a_fresh_generate_assignment(assignment, fresh_release):
    fresh = (fresh_release / assignment / f"{assignment}.ipynb").read_text()
    committed = (ROOT / "exercises" / assignment / f"{assignment}.ipynb").read_text()
    assert json.loads(committed) == json.loads(fresh), (
        f"exercises/{assignment} is stale: run `make exercises` and commit the result"
    )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_no_solution_or_hidden_test(assignment):
    text = (ROOT / "exercises" / assignment / f"{assignment}.ipynb").read_text()
    for marker in MARKERS:
        assert marker not in text
    source = _cells_by_id(solution(assignment))
    for gid, cell in _cells_by_id(released(assignment)).items():
        meta = cell.metadata["nbgrader"]
        if meta.get("solution"):
            # the solution text itself is gone, replaced by a friendly stub
            body = source[gid].source.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", "").strip()
            assert body not in cell.source
            assert "answer" in cell.source.lower()
        if meta.get("grade") and not meta.get("solution"):
            hidden = source[gid].source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
            for line in filter(None, (x.strip() for x in hidden.splitlines())):
                if line.startswith(("assert", "_expected", "_high")):
                    assert line not in cell.source


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_question_has_a_visible_check_and_a_hidden_check_of_type_and_value(assignment):
    tests = [c for c in solution(assignment).cells if c.metadata["nbgrader"].get("grade") and c.cell_type == "code"]
    assert tests
    for cell in tests:
        visible, hidden = cell.source.split("### BEGIN HIDDEN TESTS")
        assert "check_" in visible  # the friendly format check learners see
        # hidden checks use the real types, whatever names the learner rebinds
        assert "_type(" in hidden and "(0).__class__" in hidden
        assert "check_letter" not in hidden and "check_number" not in hidden


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_rubric_data_matches_the_reflection_cell(assignment):
    rubric = json.loads((ROOT / "data" / "rubrics" / f"{assignment}.json").read_text())
    assert rubric["assignment"] == assignment
    cells = _cells_by_id(solution(assignment))
    instructions = cells["reflection-question"].source
    for reflection in rubric["reflections"]:
        answer = cells[reflection["grade_id"]]
        assert answer.cell_type == "markdown" and answer.metadata["nbgrader"]["grade"]
        assert answer.metadata["nbgrader"]["points"] == reflection["points"]
        assert sum(c["points"] for c in reflection["criteria"]) == reflection["points"]
        assert reflection["prompt"] in instructions
        for criterion in reflection["criteria"]:
            assert criterion["descriptor"] in instructions


def test_assessors_guide_shows_every_rubric():
    guide = (ROOT / "book" / "assessors" / "guide.md").read_text()
    for path in sorted((ROOT / "data" / "rubrics").glob("*.json")):
        rubric = json.loads(path.read_text())
        for reflection in rubric["reflections"]:
            for criterion in reflection["criteria"]:
                assert criterion["descriptor"] in guide, f"{path.name}: rubric missing from the guide"


def test_learner_ids_are_safe():
    assert learner_id("Sam Jones") == "sam-jones"
    assert learner_id("../../etc/passwd") == "etc-passwd"
    assert learner_id("=HYPERLINK(x)") == "hyperlink-x"
    assert learner_id("   ") == ""


def test_intake_reports_bad_input_by_name_and_carries_on(tmp_path):
    subs = tmp_path / "subs"
    save(answered("ch02-understanding", CH02_RIGHT), subs / "sam" / "ch02-understanding.ipynb")
    save(answered("ch02-understanding", CH02_RIGHT), subs / "sam_ch02-understanding.ipynb")  # duplicated learner
    (subs / "notes.docx").write_text("not a notebook")
    (subs / "jo_ch01-why-housing.ipynb").write_text('{"cells": [')  # corrupt JSON
    save(released("ch02-understanding"), subs / "kim_ch01-why-housing.ipynb")  # wrong assignment
    save(nbformat.v4.new_notebook(), subs / "lee_ch03-personhood.ipynb")  # no exercise cells
    partial = released("ch03-personhood")
    partial.cells = [c for c in partial.cells if grade_id(c) not in ("i2-check-kind", "i2-answer")]
    save(partial, subs / "ash_ch03-personhood.ipynb")  # missing cells: still graded
    with zipfile.ZipFile(subs / "batch.zip", "w") as archive:
        archive.writestr("pat_ch01-why-housing.ipynb", nbformat.writes(released("ch01-why-housing")))
        archive.writestr("../escape_ch01-why-housing.ipynb", "{}")
    (subs / "empty-learner").mkdir()

    found = collect(subs, ROOT / "solutions")
    graded = {(s.learner, s.assignment) for s in found.submissions}
    assert graded == {("sam", "ch02-understanding"), ("ash", "ch03-personhood"), ("pat", "ch01-why-housing")}
    problems = dict(found.problems)
    assert "not a notebook" in problems["notes.docx"]
    assert "corrupt" in problems["jo_ch01-why-housing.ipynb"]
    assert "wrong assignment" in problems["kim_ch01-why-housing.ipynb"]
    assert "missing that exercise's cells" in problems["lee_ch03-personhood.ipynb"]
    assert any("duplicated learner" in reason for reason in problems.values())
    assert not (tmp_path / "escape_ch01-why-housing.ipynb").exists()


def test_intake_of_an_empty_folder_says_so(tmp_path):
    found = collect(tmp_path, ROOT / "solutions")
    assert found.submissions == []
    assert "empty" in found.problems[0][1]


def test_inert_markdown_keeps_words_and_loses_markup():
    hostile = 'Tenants first. <script>alert("x")</script> <img src=x onerror="alert(1)"> [click](javascript:alert(2))'
    text = inert_markdown(hostile)
    assert "<script" not in text and "<img" not in text
    assert "Tenants first." in text
    assert "](" not in text.replace("\\](", "")
    assert inert_markdown(text) == text  # safe to apply twice


def test_sanitising_reduces_rich_outputs_and_learner_markdown():
    nb = answered("ch02-understanding", {"reflection-communicating": "<b onmouseover=alert(1)>hi</b>"})
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<script>alert(1)</script>", "text/plain": "x"})
    ]
    nb.metadata["widgets"] = {"state": "<script>"}
    nb, _ = SanitiseLearnerCells().preprocess(nb, {})
    assert code.outputs[0]["data"] == {"text/plain": "x"}
    assert "widgets" not in nb.metadata
    cell = next(c for c in nb.cells if grade_id(c) == "reflection-communicating")
    assert "<b " not in cell.source and "hi" in cell.source


def test_hidden_tests_and_their_tracebacks_are_hidden():
    nb = solution("ch02-understanding")
    check = next(c for c in nb.cells if grade_id(c) == "q1-check")
    check.outputs = [
        nbformat.v4.new_output(
            "error", ename="AssertionError", evalue="this is not the best answer", traceback=['assert answer == "B"']
        )
    ]
    nb, _ = HideHiddenTests().preprocess(nb, {})
    assert "BEGIN HIDDEN TESTS" not in check.source and "hidden marking checks" in check.source
    assert check.outputs[0]["traceback"] == ["AssertionError: this is not the best answer"]


def test_feedback_gate_refuses_hidden_tests_and_new_scripts():
    baseline = active_content("<html><script src='a.js'></script></html>")
    check_feedback_html("<html><script src='a.js'></script><p>fine</p></html>", baseline)
    for page in (
        "<p>### BEGIN HIDDEN TESTS</p>",
        "<p>### BEGIN SOLUTION</p>",
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
    ):
        with pytest.raises(UnsafeFeedback):
            check_feedback_html(page, baseline)


def test_scan_flags_code_that_reaches_into_the_kernel():
    plain = answered("ch02-understanding", CH02_RIGHT)
    assert scan_learner_code(plain) == []
    sneaky = answered("ch02-understanding", {"q1-answer": "get_ipython().set_custom_exc((Exception,), print)"})
    assert any("kernel" in reason for reason in scan_learner_code(sneaky))
    helper = answered("ch02-understanding", {"q1-answer": "def check_letter(*args):\n    pass"})
    assert any("checks" in reason for reason in scan_learner_code(helper))


def test_grading_refuses_clearly_when_the_sandbox_cannot_be_built(monkeypatch, tmp_path):
    from dementia_housing.grading import sandbox

    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to creating new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    which = sandbox.shutil.which
    try:
        for found, expected in ((None, "not installed"), (str(fake), "user namespaces")):
            monkeypatch.setattr(sandbox.shutil, "which", lambda name, f=found: f if name == "bwrap" else which(name))
            sandbox.bubblewrap_problem.cache_clear()
            with pytest.raises(sandbox.SandboxUnavailable, match=expected) as refused:
                sandbox.plan_sandbox([tmp_path])
            assert "--allow-weak-sandbox" in str(refused.value)
        weak = sandbox.plan_sandbox([tmp_path], allow_weak=True)
        assert weak.kind != sandbox.FULL
        assert weak.describe().startswith(("WEAK", "NO sandbox"))
    finally:
        monkeypatch.undo()
        sandbox.bubblewrap_problem.cache_clear()


def test_the_faster_nbgrader_internals_give_the_same_answers():
    """The pipeline reads the gradebook version and checks cell metadata in-process (see pipeline.py)."""
    import subprocess
    import sys

    import jsonschema
    from nbgrader.dbutil import _temp_alembic_ini
    from nbgrader.nbgraderformat.v3 import MetadataValidatorV3

    from dementia_housing.grading.gradebook import _alembic_head, _CompiledJsonSchema

    with _temp_alembic_ini("sqlite:////nonexistent/gradebook.db") as ini:
        alembic = str(Path(sys.executable).parent / "alembic")
        heads = subprocess.run([alembic, "-c", ini, "heads"], capture_output=True, text=True, check=True).stdout
    assert heads.split()[0] == _alembic_head()

    schema = MetadataValidatorV3().schema
    compiled = _CompiledJsonSchema()
    good = solution("ch02-understanding").cells[0].metadata["nbgrader"]
    compiled.validate(dict(good), schema)
    for bad in ({**good, "grade": "yes"}, {**good, "grade_id": "not allowed!"}):
        with pytest.raises(jsonschema.ValidationError) as ours:
            compiled.validate(bad, schema)
        with pytest.raises(jsonschema.ValidationError) as theirs:
            jsonschema.validate(bad, schema)
        assert ours.value.message == theirs.value.message


def test_loading_the_configuration_touches_only_the_work_area_in_use(tmp_path, monkeypatch):
    """nbgrader_config.py (stock nbgrader, the formgrader) and the course command's own settings
    create no folder other than the work area in use, and leave PATH alone."""
    import os

    from traitlets.config.loader import PyFileConfigLoader

    chosen = tmp_path / "chosen"
    monkeypatch.setenv("DEMENTIA_HOUSING_WORK", str(chosen))
    monkeypatch.delenv("DEMENTIA_HOUSING_DB_URL", raising=False)
    path_before = os.environ["PATH"]
    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    assert cfg.CourseDirectory.submitted_directory == str(chosen / "submitted")
    assert cfg.CourseDirectory.db_url == f"sqlite:///{chosen / 'gradebook.db'}"
    assert os.environ["PATH"] == path_before
    assert sorted(p.name for p in chosen.iterdir()) == [
        ".gitignore",
        ".ignore",
        "DEMENTIA-HOUSING-GRADING-WORK-AREA",
        "exchange",
    ]
    elsewhere = tmp_path / "elsewhere"
    Course.at(ROOT, work=elsewhere).config()
    assert not elsewhere.exists()


def test_work_areas_are_marked_and_found_wherever_they_are(tmp_path):
    from dementia_housing.grading import workarea

    tree = tmp_path / "course"
    inside = workarea.mark(tree / "book" / "any-name")
    (inside / "submitted").mkdir()
    workarea.mark(tree / ".hidden-one")
    assert workarea.find_work_areas(tree) == [tree / ".hidden-one", inside]
    assert workarea.inside_work_area(inside / "submitted" / "x.ipynb")
    assert not workarea.inside_work_area(tree / "book" / "ch01.md")
    assert (inside / ".gitignore").read_text().splitlines()[-1] == "*"
    assert workarea.default_work_area(tree) == tmp_path / "course-grading"  # beside the course, not in it


def test_the_book_build_excludes_work_areas_and_hidden_folders(tmp_path):
    import importlib.util
    import types

    from dementia_housing.grading import workarea

    spec = importlib.util.spec_from_file_location("course_extensions", ROOT / "book" / "_ext" / "course_extensions.py")
    extension = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(extension)
    workarea.mark(tmp_path / "book" / "marking-2026")
    app = types.SimpleNamespace(srcdir=str(tmp_path))
    config = types.SimpleNamespace(exclude_patterns=["_build"])
    extension.exclude_work_areas(app, config)
    assert {"_build", ".*", "**/.*", "book/marking-2026", "book/marking-2026/**"} <= set(config.exclude_patterns)


def test_the_cpu_limit_follows_the_time_allowed():
    from dementia_housing.grading.sandbox import NONE, Limits, SandboxPlan, sandbox_prefix

    assert Limits(total_seconds=600).cpu_limit >= 600  # `--timeout 600` is not cut short by a fixed CPU cap
    assert Limits(total_seconds=60).cpu_limit < Limits(total_seconds=600).cpu_limit
    assert Limits(cpu_seconds=7).cpu_limit == 7
    words = sandbox_prefix(SandboxPlan(NONE), Path("/tmp/x"), Limits(total_seconds=600))
    assert f"--cpu={Limits(total_seconds=600).cpu_limit}" in words  # prlimit, from util-linux
