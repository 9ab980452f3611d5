"""Marking outside the learner's kernel: answers travel as plain values only (fast, no kernel)."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout

import pytest
from grading_helpers import ASSIGNMENTS, ROOT, answer_cells, check_points, solution

from dementia_housing.grading.capture import MAX_REPORT_CHARS, capture_code, read_report, report
from dementia_housing.grading.course import Course
from dementia_housing.grading.gradebook import CellRecord, source_cells
from dementia_housing.grading.marking import MarkingPlan, names_read

pytestmark = pytest.mark.grading
TAG = "@@dh-test@@"


def _reported(namespace: dict, names: list[str]) -> dict:
    out = io.StringIO()
    with redirect_stdout(out):
        report(namespace, names, TAG)
    return read_report(out.getvalue(), TAG, names)


def test_plain_values_travel_and_everything_else_is_named():
    class Always(str):
        def __eq__(self, other):
            return True

    answers = _reported(
        {"a": "B", "b": 3, "c": 4.5, "d": True, "e": None, "f": [1, "x"], "g": {"k": 2}, "h": Always("Z"), "i": print},
        list("abcdefghij"),
    )
    assert answers["a"] == {"value": "B"} and answers["c"] == {"value": 4.5} and answers["f"] == {"value": [1, "x"]}
    assert answers["h"] == {"not_plain": "a Always object"}
    assert answers["i"]["not_plain"].startswith("a builtin_function_or_method")
    assert answers["j"] == {"missing": True}


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 10**5000], ids=["nan", "inf", "huge"])
def test_numbers_that_are_not_plain_are_refused(value):
    assert "not_plain" in _reported({"x": value}, ["x"])["x"]


@pytest.mark.parametrize(
    "text",
    [
        "",  # the check's place was never reached
        f'{TAG}{{"x": {{"value": "B"}}}}',  # one tag only
        f'{TAG}{{"x": {{"value": "B", "extra": 1}}}}{TAG}',
        f'{TAG}{{"x": {{"value": NaN}}}}{TAG}',
        f'{TAG}{{"y": {{"value": "B"}}}}{TAG}',  # not the name asked for
        f'{TAG}["B"]{TAG}',
        f'{TAG}{{"x": {{"missing": false}}}}{TAG}',
        TAG + json.dumps({"x": {"value": "y" * (MAX_REPORT_CHARS + 1)}}) + TAG,
        '@@dh-guess@@{"x": {"value": "B"}}@@dh-guess@@',  # a forged report with a guessed tag
    ],
)
def test_malformed_or_forged_reports_read_as_nothing(text):
    assert read_report(text, TAG, ["x"]) is None


def test_the_capture_cell_names_only_what_it_reports():
    code = capture_code(["answer_q1"], TAG)
    assert "answer_q1" in code and TAG in code and "assert" not in code


def test_a_check_reads_its_answers_not_the_course_names():
    source = solution("ch01-why-housing").cells
    check = next(c for c in source if c.metadata["nbgrader"]["grade_id"] == "q1-check").source
    assert names_read(check, {"check_letter", "check_number", "prevalence", "pd", "data_path"}) == [
        "expected_residents"
    ]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_check_of_every_assignment_reads_only_answers_set_in_answer_cells(assignment):
    """Each check's names must be set by the learner's answer cells (else it could never pass)."""
    course = Course.at(ROOT, work=ROOT / "never-created")
    for notebook, cells in source_cells(course, assignment).items():
        plan = MarkingPlan.from_cells(cells)
        assert set(plan.checks) == set(check_points(assignment)), notebook
        answer_code = "\n".join(answer_cells(assignment).values())
        for check in plan.checks.values():
            assert check.names, check.grade_id
            for name in check.names:
                assert f"{name} =" in answer_code, (check.grade_id, name)


def test_marking_runs_course_code_on_values_only():
    cells = {
        "setup": CellRecord("code", "limit = 3", None, None, locked=True),
        "q1-answer": CellRecord("code", "answer = 2", None, None, solution=True),
        "q1-check": CellRecord("code", 'assert answer < limit, "too big"', None, 1.0, locked=True),
    }
    plan = MarkingPlan.from_cells(cells)
    assert plan.checks["q1-check"].names == ["answer"]
    tag = "@@dh-x@@"
    results = plan._run_checks({"q1-check": (f'{tag}{{"answer": {{"value": 2}}}}{tag}', True)}, {"q1-check": tag})
    assert results["q1-check"].outputs == []  # passed
    results = plan._run_checks({"q1-check": (f'{tag}{{"answer": {{"value": 5}}}}{tag}', True)}, {"q1-check": tag})
    assert results["q1-check"].outputs[0]["evalue"] == "too big"
    results = plan._run_checks({"q1-check": ("no report", True)}, {"q1-check": tag})
    assert results["q1-check"].for_review and results["q1-check"].outputs[0]["ename"] == "AnswerNotRead"
