"""The gradebook follows solutions/: a changed exercise is updated or stops the run, never graded stale."""

from __future__ import annotations

import copy
import csv
import shutil
from pathlib import Path

import nbformat
import pytest
from grading_helpers import CH02_RIGHT, ROOT, answered, check_points, ensure_bubblewrap, save, solution

from dementia_housing.grading.course import Course
from dementia_housing.grading.gradebook import AssignmentChanged
from dementia_housing.grading.pipeline import grade
from dementia_housing.grading.sandbox import Limits

pytestmark = pytest.mark.grading
LIMITS = Limits(cell_seconds=10, total_seconds=60)
ASSIGNMENT = "ch02-understanding"


def _course(tmp_path: Path) -> Course:
    """A private copy of the course's sources, so the test can change an exercise."""
    root = tmp_path / "course"
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, root / "solutions" / ASSIGNMENT)
    return Course.at(root, work=tmp_path / "work")


def _source_path(course: Course) -> Path:
    return course.source / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


def _rows(course: Course) -> dict[str, dict[str, str]]:
    with open(course.work / "grades.csv", newline="") as handle:
        return {row["learner"]: row for row in csv.DictReader(handle)}


def _add_question(course: Course) -> None:
    """A sixth multiple-choice question (answer "A"), as an author would add one."""
    nb = nbformat.read(_source_path(course), as_version=4)
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells]
    at = ids.index("q5-check") + 1
    new = []
    for grade_id in ("q5-question", "q5-answer", "q5-check"):
        cell = copy.deepcopy(nb.cells[ids.index(grade_id)])
        cell.metadata["nbgrader"]["grade_id"] = grade_id.replace("q5", "q6")
        right = CH02_RIGHT["q5-answer"].split('"')[1]
        cell.source = cell.source.replace("answer_q5", "answer_q6").replace(f'"{right}"', '"A"')
        cell["id"] = cell.metadata["nbgrader"]["grade_id"]
        new.append(cell)
    nb.cells[at:at] = new
    nbformat.write(nb, _source_path(course))


def _change_right_answer_of_q1(course: Course) -> str:
    nb = nbformat.read(_source_path(course), as_version=4)
    right = CH02_RIGHT["q1-answer"].split('"')[1]
    other = "ABCD"[("ABCD".index(right) + 2) % 4]
    for cell in nb.cells:
        if cell.metadata["nbgrader"]["grade_id"] in ("q1-answer", "q1-check"):
            cell.source = cell.source.replace(f'"{right}"', f'"{other}"')
    nbformat.write(nb, _source_path(course))
    return other


def _graded_once(tmp_path: Path) -> tuple[Course, Path]:
    """Sam's right answers, graded against the exercise as it is now."""
    ensure_bubblewrap()
    course = _course(tmp_path)
    subs = tmp_path / "subs"
    save(answered(ASSIGNMENT, CH02_RIGHT), subs / f"sam_{ASSIGNMENT}.ipynb")
    grade(subs, course, limits=LIMITS, say=lambda line: None)
    return course, subs


def test_a_changed_exercise_updates_the_gradebook_and_regrades(tmp_path):
    course, subs = _graded_once(tmp_path)
    full = sum(check_points(ASSIGNMENT).values())
    assert float(_rows(course)["sam"]["score"]) == full

    _change_right_answer_of_q1(course)  # same cells, a different right answer
    lines: list[str] = []
    report = grade(subs, course, limits=LIMITS, say=lines.append)
    assert [g.status for g in report.graded] == ["graded"]  # unchanged work is marked again
    assert any("the exercise changed" in line and "q1-check" in line for line in lines), lines
    assert float(_rows(course)["sam"]["score"]) == full - check_points(ASSIGNMENT)["q1-check"]


def test_added_questions_stop_the_run_before_anything_is_recorded(tmp_path):
    course, subs = _graded_once(tmp_path)
    before = (course.work / "grades.csv").read_text()

    _add_question(course)
    save(nbformat.read(_source_path(course), as_version=4), subs / f"newcomer_{ASSIGNMENT}.ipynb")
    with pytest.raises(AssignmentChanged) as stopped:
        grade(subs, course, limits=LIMITS, say=lambda line: None)
    message = str(stopped.value)
    assert "cells added: q6-answer, q6-check, q6-question" in message
    assert "--work" in message and "--replace-changed" in message
    assert (course.work / "grades.csv").read_text() == before  # no stale 'pending' row was added
    assert not (course.folder("submitted") / "newcomer").exists()

    again = grade(subs, course, limits=LIMITS, replace_changed=True, say=lambda line: None)
    rows = _rows(course)
    new_full = sum(check_points(ASSIGNMENT).values()) + 1  # check_points reads the repository's version
    assert float(rows["newcomer"]["score"]) == new_full
    assert "q6-check=1/1" in rows["newcomer"]["per_question"] and float(rows["newcomer"]["max_score"]) == new_full + 4
    # sam's notebook is the old version, without question 6: named, with what to do, and not recorded
    reason = dict(again.intake_problems)[f"sam_{ASSIGNMENT}.ipynb"]
    assert "q6-answer is missing" in reason and "fresh copy" in reason
    assert "sam" not in rows


def test_a_notebook_that_cannot_be_prepared_is_named_and_not_recorded(tmp_path):
    ensure_bubblewrap()
    course = _course(tmp_path)
    subs = tmp_path / "subs"
    save(answered(ASSIGNMENT, CH02_RIGHT), subs / f"sam_{ASSIGNMENT}.ipynb")
    broken = answered(ASSIGNMENT, CH02_RIGHT)
    check = next(c for c in broken.cells if c.metadata["nbgrader"]["grade_id"] == "q2-check")
    check.metadata["nbgrader"] = {"grade_id": "q2-check", "grade": "yes", "schema_version": 3}
    save(broken, subs / f"kim_{ASSIGNMENT}.ipynb")
    report = grade(subs, course, limits=LIMITS, say=lambda line: None)
    reason = dict(report.intake_problems)[f"kim_{ASSIGNMENT}.ipynb"]
    assert reason.startswith("not graded:") and f"exercises/{ASSIGNMENT}" in reason
    assert "Error:" not in reason.split("(")[0]  # said in words, not as a bare exception name
    assert set(_rows(course)) == {"sam"}
    assert not (course.folder("submitted") / "kim").exists()


def test_answer_keys_come_from_the_solutions():
    """The tests' keys are read from solutions/, so an added question cannot weaken them silently."""
    letters = {gid: code.split('"')[1] for gid, code in CH02_RIGHT.items()}
    for cell in solution(ASSIGNMENT).cells:
        gid = cell.metadata["nbgrader"]["grade_id"]
        if gid.endswith("-check"):
            assert f'== "{letters[gid.replace("check", "answer")]}"' in cell.source
