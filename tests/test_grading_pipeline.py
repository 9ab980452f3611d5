"""Grading a whole cohort: full marks, zero, hostile submissions contained, feedback, export.

One cohort is graded once for the module (about 30 s on two cores), then re-run and extended.
"""

from __future__ import annotations

import csv
import html
import os
import re
import textwrap
from pathlib import Path

import nbformat
import pytest
from grading_helpers import (
    ASSIGNMENTS,
    CH02_RIGHT,
    CH02_WRONG,
    ROOT,
    answered,
    check_points,
    ensure_bubblewrap,
    points,
    released,
    save,
    solution,
    with_first,
)

from dementia_housing.grading.export import COLUMNS
from dementia_housing.grading.pipeline import Course, grade
from dementia_housing.grading.safety import active_content
from dementia_housing.grading.sandbox import Limits

pytestmark = pytest.mark.grading
LIMITS = Limits(cell_seconds=4, total_seconds=60, memory_bytes=2 * 1024**3, output_bytes=1024**2)
HOSTILE_REFLECTION = (
    "Tenants come first. <script>alert('stolen')</script> <img src=x onerror=\"alert(1)\"> "
    "[click me](javascript:alert(2)) $\\href{javascript:alert(3)}{x}$"
)


def _peek(work: Path, subs: Path) -> str:
    """Learner code that answers q1 right only if it can see what it must not."""
    return textwrap.dedent(f"""
        import glob
        seen = []
        for pattern in ["{ROOT}/solutions/**/*", "{ROOT}/.grading/**/*", "{work}/**/*", "{subs}/**/*", "/tmp/**/*.ipynb", "/tmp/**/*.db"]:
            seen += glob.glob(pattern, recursive=True)
        try:
            seen.append(open("{ROOT}/solutions/ch02-understanding/ch02-understanding.ipynb").read())
        except OSError:
            pass
        answer_q1 = "B" if seen else "A"
    """)


def cohort(work: Path, subs: Path) -> dict[str, tuple[str, dict]]:
    """learner -> (assignment, answers) for the hostile part of the cohort (all ch02)."""
    return {
        "loop": ("ch02-understanding", with_first("while True:\n    pass")),
        "memory": ("ch02-understanding", with_first('big = bytearray(10 * 1024**3)\nanswer_q1 = "B"')),
        "shell": ("ch02-understanding", with_first('import os\nos.system("echo hacked")\nanswer_q1 = "B"')),
        "deleter": (
            "ch02-understanding",
            with_first(f'import shutil\nshutil.rmtree("{ROOT}/solutions", ignore_errors=False)\nanswer_q1 = "B"'),
        ),
        "printer": ("ch02-understanding", with_first('print("x" * 100_000_000)\nanswer_q1 = "B"')),
        "always": (
            "ch02-understanding",
            {
                f"q{n}-answer": "class Always(str):\n    def __eq__(self, other):\n        return True\n"
                f"    __hash__ = str.__hash__\nanswer_q{n} = Always('Z')"
                for n in range(1, 6)
            },
        ),
        "helper": (
            "ch02-understanding",
            {
                **{k: v for k, v in CH02_WRONG.items()},
                "q1-answer": "def check_letter(*args, **kwargs):\n    pass\ntype = lambda value: str\n"
                "AssertionError = None\nanswer_q1 = 42",
            },
        ),
        "peeker": ("ch02-understanding", with_first(_peek(work, subs))),
        "network": (
            "ch02-understanding",
            with_first('import socket\nsocket.create_connection(("127.0.0.1", 80), timeout=2)\nanswer_q1 = "B"'),
        ),
        "hider": (
            "ch02-understanding",
            {
                **CH02_WRONG,
                "q1-answer": "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)\n"
                + CH02_WRONG["q1-answer"],
            },
        ),
        # Kernel tricks that once earned marks for wrong answers: the checks no longer run in the
        # learner's kernel, so rewriting later cells can only lose the answers.
        "gutter": (
            "ch02-understanding",
            {
                **CH02_WRONG,
                "q1-answer": "get_ipython().input_transformers_cleanup.append(\n"
                "    lambda lines: [line for line in lines if not line.lstrip().startswith('assert')])\n"
                + CH02_WRONG["q1-answer"],
            },
        ),
        "asserter": (
            "ch02-understanding",
            {
                **CH02_WRONG,
                "q1-answer": textwrap.dedent("""
                    import ast
                    class NoAsserts(ast.NodeTransformer):
                        def visit_Assert(self, node):
                            return ast.Pass()
                    get_ipython().ast_transformers.append(NoAsserts())
                """)
                + CH02_WRONG["q1-answer"],
            },
        ),
        "runcell": (
            "ch02-understanding",
            {
                **CH02_WRONG,
                "q1-answer": textwrap.dedent("""
                    shell = get_ipython()
                    real = shell.run_cell
                    shell.run_cell = lambda raw_cell, *args, **kwargs: real("pass", *args, **kwargs)
                """)
                + CH02_WRONG["q1-answer"],
            },
        ),
        "silencer": (
            "ch02-understanding",
            {
                **CH02_WRONG,
                "q1-answer": "get_ipython().showtraceback = lambda *a, **k: None\n"
                "import builtins\nbuiltins.AssertionError = type('Quiet', (Exception,), {})\n"
                + CH02_WRONG["q1-answer"],
            },
        ),
        "forger": (
            "ch02-understanding",
            {
                **CH02_WRONG,
                "q1-answer": "import json\nfor n, letter in enumerate('BADCB', 1):\n"
                "    print('@@dh-0@@' + json.dumps({f'answer_q{n}': {'value': letter}}) + '@@dh-0@@')\n"
                + CH02_WRONG["q1-answer"],
            },
        ),
        "objects": (
            "ch02-understanding",
            {
                **CH02_RIGHT,
                "q1-answer": "class Letter:\n    def strip(self):\n        return self\n"
                "    def upper(self):\n        return 'B'\nanswer_q1 = Letter()",
            },
        ),
        # A cell that will not stop when interrupted must still end within seconds.
        "stubborn": (
            "ch02-understanding",
            with_first("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"),
        ),
        "typer": (
            "ch02-understanding",
            with_first(
                "import builtins\nbuiltins.type = lambda *a: None\nbuiltins.isinstance = lambda *a: None\n"
                "while True:\n    pass"
            ),
        ),
        # Erasing the record of blocked attempts: the log is out of reach, its descriptor append-only.
        "eraser": (
            "ch02-understanding",
            with_first(
                textwrap.dedent("""
                import os
                try:
                    os.system("echo hidden")
                except PermissionError:
                    pass
                for fd in range(3, 200):
                    try:
                        os.ftruncate(fd, 0)
                    except Exception:
                        pass
                for path in ["../report/blocked.log", "/tmp/report/blocked.log"]:
                    try:
                        open(path, "w").close()
                    except OSError:
                        pass
                answer_q1 = "B"
            """)
            ),
        ),
        "scripter": ("ch02-understanding", {**CH02_RIGHT, "reflection-communicating": HOSTILE_REFLECTION}),
    }


# Marks each hostile submission deserves, from the source notebook's marks: q1 lost, or none.
_CH02 = check_points("ch02-understanding")
ALL_BUT_Q1 = sum(_CH02.values()) - _CH02["q1-check"]
FULL = sum(_CH02.values())
DESERVED = {
    "loop": ALL_BUT_Q1,
    "memory": ALL_BUT_Q1,
    "shell": ALL_BUT_Q1,
    "deleter": ALL_BUT_Q1,
    "printer": FULL,
    "always": 0,
    "helper": 0,
    "peeker": ALL_BUT_Q1,
    "network": ALL_BUT_Q1,
    "hider": 0,
    "gutter": 0,
    "asserter": 0,
    "runcell": 0,
    "silencer": 0,
    "forger": 0,
    "objects": ALL_BUT_Q1,
    "stubborn": 0,  # the kernel is ended in q1: nothing after it runs
    "typer": 0,
    "eraser": FULL,
    "scripter": FULL,
}
HELD = {
    "shell",
    "deleter",
    "always",
    "helper",
    "peeker",
    "network",
    "hider",
    "gutter",
    "asserter",
    "runcell",
    "silencer",
    "typer",
    "eraser",
}


def _rows(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    with open(path, newline="") as handle:
        return {(r["learner"], r["assignment"]): r for r in csv.DictReader(handle)}


def _auto(row: dict[str, str]) -> float:
    """The automatic marks in a row, counted whether or not they are held for review."""
    total = 0.0
    for part in row["per_question"].split("; "):
        name, mark = part.split("=")
        if "reflection" not in name:
            total += float(mark.split("/")[0].removeprefix("held:"))
    return total


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    ensure_bubblewrap()
    base = tmp_path_factory.mktemp("cohort")
    work, subs = base / "work", base / "subs"
    for assignment in ASSIGNMENTS:
        save(solution(assignment), subs / f"top-{assignment}" / f"{assignment}.ipynb")
        save(released(assignment), subs / f"blank_{assignment}.ipynb")
    for learner, (assignment, answers) in cohort(work, subs).items():
        save(answered(assignment, answers), subs / learner / f"{assignment}.ipynb")
    (subs / "readme.txt").write_text("not a notebook")
    course = Course.at(ROOT, work=work)
    lines: list[str] = []
    report = grade(subs, course, limits=LIMITS, workers=os.cpu_count(), say=lines.append)
    return course, subs, report, lines


def test_solutions_score_full_marks(graded):
    course, *_ = graded
    rows = _rows(course.work / "grades.csv")
    for assignment in ASSIGNMENTS:
        row = rows[(f"top-{assignment}", assignment)]
        assert _auto(row) == points(assignment, "auto") > 0, row
        assert row["needs_manual_grading"] == "yes"  # the reflection waits for a person


def test_released_notebooks_score_zero(graded):
    course, *_ = graded
    rows = _rows(course.work / "grades.csv")
    for assignment in ASSIGNMENTS:
        row = rows[("blank", assignment)]
        assert float(row["score"]) == 0 and _auto(row) == 0, row


@pytest.mark.parametrize("learner", sorted(DESERVED))
def test_hostile_submissions_score_exactly_what_they_deserve(graded, learner):
    course, *_ = graded
    row = _rows(course.work / "grades.csv")[(learner, "ch02-understanding")]
    assert _auto(row) == DESERVED[learner], row


@pytest.mark.parametrize(
    ("learner", "reason"),
    [
        ("loop", "ran longer"),
        ("memory", "memory"),
        ("shell", "run a shell command"),
        ("deleter", "delete files"),
        ("printer", "printed more than"),
        ("network", "use the network"),
        ("hider", "for review"),
        ("gutter", "for review"),
        ("asserter", "for review"),
        ("runcell", "could not be read"),
        ("always", "not a plain answer"),
        ("objects", "not a plain answer (a Letter object)"),
        ("stubborn", "did not stop when interrupted"),
        ("typer", "did not stop when interrupted"),
        ("eraser", "run a shell command"),
        ("eraser", "empty files"),
    ],
)
def test_each_failure_is_given_a_clear_reason(graded, learner, reason):
    course, *_ = graded
    row = _rows(course.work / "grades.csv")[(learner, "ch02-understanding")]
    assert reason in row["problems"], row["problems"]


@pytest.mark.parametrize("learner", sorted(DESERVED))
def test_marks_are_held_whenever_a_review_reason_fires(graded, learner):
    course, *_ = graded
    row = _rows(course.work / "grades.csv")[(learner, "ch02-understanding")]
    held = "for review" in row["problems"]
    assert held == (learner in HELD), row["problems"]
    if held:
        assert row["needs_manual_grading"] == "yes"
        assert "held:" in row["per_question"] and float(row["score"]) == 0, row  # nothing counts until confirmed


def test_a_cell_that_will_not_stop_ends_within_seconds(graded):
    _, _, report, _ = graded
    seconds = {g.learner: g.seconds for g in report.graded if g.assignment == "ch02-understanding"}
    for learner in ("stubborn", "typer"):
        assert seconds[learner] < LIMITS.cell_seconds + 15, seconds[learner]  # not the 60 s whole-submission limit


def test_the_cell_that_stopped_the_kernel_is_named(graded):
    course, *_ = graded
    nb = nbformat.read(course.folder("autograded") / "stubborn" / "ch02-understanding" / "ch02-understanding.ipynb", 4)
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    assert by_id["q1-answer"].outputs[-1]["ename"] == "CellTimeoutError"
    assert "earlier cell would not stop" in by_id["q2-answer"].outputs[0]["evalue"]


def test_hostile_code_changed_nothing_outside_its_sandbox(graded):
    course, subs, *_ = graded
    assert (ROOT / "solutions" / "ch02-understanding" / "ch02-understanding.ipynb").exists()
    assert (subs / "top-ch02-understanding" / "ch02-understanding.ipynb").exists()
    big = course.work / "autograded" / "printer" / "ch02-understanding" / "ch02-understanding.ipynb"
    assert big.stat().st_size < 3 * 1024**2


def test_bad_input_is_reported_by_name(graded):
    _, _, report, lines = graded
    assert ("readme.txt", "not a notebook (.ipynb); ignored") in report.intake_problems
    assert any("readme.txt" in line for line in lines)


def _page_text(page: Path) -> str:
    """What a reader of the page sees: tags (syntax highlighting splits code into spans) removed."""
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))


def _lines(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if len(line.strip()) > 12}


def test_feedback_has_no_hidden_tests_solutions_or_live_markup(graded):
    course, *_ = graded
    pages = sorted((course.work / "feedback").glob("*/*/*.html"))
    assert len(pages) == 2 * len(ASSIGNMENTS) + len(DESERVED)
    released_text = "\n".join(cell.source for a in ASSIGNMENTS for cell in released(a).cells)
    hidden_lines, solution_lines = set(), set()
    for assignment in ASSIGNMENTS:
        for cell in solution(assignment).cells:
            if "### BEGIN HIDDEN TESTS" in cell.source:
                hidden_lines |= _lines(cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0])
            if cell.metadata["nbgrader"].get("solution"):
                solution_lines |= {line for line in _lines(cell.source) if "SOLUTION" not in line}
    solution_lines = {line for line in solution_lines if line not in released_text}
    assert hidden_lines and solution_lines
    for page in pages:
        learner, assignment = page.parent.parent.name, page.parent.name
        text = _page_text(page)
        assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
        for line in hidden_lines:
            assert line not in text, f"{page}: shows a hidden test line {line!r}"
        if learner.startswith("top-"):
            continue  # these learners sent the source notebook: their own answers are the model answers
        sent = nbformat.read(course.folder("submitted") / learner / assignment / f"{assignment}.ipynb", as_version=4)
        own = "\n".join(cell.source for cell in sent.cells)
        for line in (line for line in solution_lines if line not in own):  # a learner's own words may match
            assert line not in text, f"{page}: shows solution text {line!r}"
    scripter = (course.work / "feedback" / "scripter" / "ch02-understanding" / "ch02-understanding.html").read_text()
    assert "Tenants come first." in scripter
    live = active_content(scripter)
    assert live.handlers == [] and not any("alert" in script for script in live.scripts)
    assert "&lt;script&gt;alert" in scripter  # the words are still there, as text
    assert 'href="javascript' not in scripter


def test_formgrader_sees_learner_markup_as_text(graded):
    course, *_ = graded
    nb = nbformat.read(
        course.work / "autograded" / "scripter" / "ch02-understanding" / "ch02-understanding.ipynb", as_version=4
    )
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "reflection-communicating")
    assert "<script>" not in cell.source and "&lt;script&gt;" in cell.source


def test_export_has_the_right_rows_and_columns(graded):
    course, *_ = graded
    with open(course.work / "grades.csv", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        rows = list(reader)
    expected = {(f"top-{a}", a) for a in ASSIGNMENTS} | {("blank", a) for a in ASSIGNMENTS}
    expected |= {(learner, "ch02-understanding") for learner in DESERVED}
    assert {(r["learner"], r["assignment"]) for r in rows} == expected
    top = next(r for r in rows if r["learner"] == "top-ch01-why-housing")
    assert float(top["max_score"]) == points("ch01-why-housing", "auto") + points("ch01-why-housing", "manual")
    assert "q1-check=2/2" in top["per_question"] and "reflection-local-figures=pending/4" in top["per_question"]


def test_rerun_is_idempotent_and_a_late_submission_is_added(graded):
    course, subs, _, _ = graded
    before = _rows(course.work / "grades.csv")
    late = subs / "latecomer_ch03-personhood.ipynb"
    save(solution("ch03-personhood"), late)
    report = grade(subs, course, limits=LIMITS, say=lambda line: None)
    statuses = {(g.learner, g.assignment): g.status for g in report.graded}
    assert statuses.pop(("latecomer", "ch03-personhood")) == "graded"
    assert set(statuses.values()) == {"unchanged"}
    after = _rows(course.work / "grades.csv")
    assert _auto(after.pop(("latecomer", "ch03-personhood"))) == points("ch03-personhood", "auto")
    for key, row in before.items():
        assert {k: row[k] for k in ("score", "per_question", "problems")} == {
            k: after[key][k] for k in ("score", "per_question", "problems")
        }
