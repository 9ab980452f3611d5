"""Grading, then building and testing the book: learners' code never runs outside the sandbox.

Regression test for a security defect: a book build once read and executed every notebook in
the grading work area (submitted and autograded copies) in the assessor's own kernel. Here a
copy of the course grades a small cohort, including a notebook that writes marker files to its
parent folder, $HOME and /tmp and one that loops for ever, into the default work area and into
two work areas inside the course tree (the old `.grading/` and an ordinary folder under
book/). Then the book is built, the notebook tests are collected as `make test` collects them,
ruff runs and the notebook script lists its notebooks, while inotify records every file opened
in the work areas. No marker may appear and no file in a work area may be read.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from grading_helpers import FileWatch, answered, ensure_bubblewrap, save, with_first
from helpers import build_book, course_copy

from dementia_housing.grading.workarea import MARKER_FILE

pytestmark = [pytest.mark.build, pytest.mark.grading]
BIN = Path(sys.executable).parent
OWN_FILES = {MARKER_FILE, ".gitignore", ".ignore"}  # the work area's own markers, read by ruff and git


def _run(args: list, cwd: Path, env: dict, timeout: int = 900) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    return result


def test_grading_then_building_never_reads_or_runs_submissions(tmp_path):
    ensure_bubblewrap()
    token = secrets.token_hex(6)
    marker = f"DH-MARKER-{token}"
    course = course_copy(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEMENTIA_HOUSING_")}
    env["HOME"] = str(home)

    writes_markers = (
        "from pathlib import Path\n"
        "for place in (Path.cwd().parent, Path.home(), Path('/tmp')):\n"
        "    try:\n"
        f"        (place / '{marker}').write_text('ran')\n"
        "    except OSError:\n"
        "        pass\n"
        'answer_q1 = "B"'
    )
    subs = tmp_path / "subs"
    save(answered("ch02-understanding", with_first(writes_markers)), subs / "marker_ch02-understanding.ipynb")
    save(answered("ch02-understanding", with_first("while True:\n    pass")), subs / "loop_ch02-understanding.ipynb")

    default_area = tmp_path / "course-grading"
    areas = [default_area, course / ".grading", course / "book" / "marking-2026"]
    for area in areas:
        work = [] if area == default_area else ["--work", area]
        graded = _run(
            [BIN / "dementia-housing", "grade", subs, *work, "--cell-timeout", "3", "--timeout", "40"], course, env
        )
        assert graded.returncode == 0, graded.stdout + graded.stderr
        assert (area / "grades.csv").exists(), f"nothing graded into {area}:\n{graded.stdout}"
        assert list((area / "autograded").glob("*/*/*.ipynb")), area
    assert (
        f"Work area: {default_area}"
        in _run([BIN / "dementia-housing", "grade", subs, "--cell-timeout", "3"], course, env).stdout
    )  # the default lies beside the course, outside its source tree

    watch = FileWatch(areas)
    try:
        built = build_book(course, tmp_path / "out", env)
        assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
        collected = _run(
            [
                BIN / "pytest",
                "--nbval",
                "--nbval-current-env",
                "--collect-only",
                "-q",
                "-p",
                "no:cacheprovider",
                "book",
            ],
            course,
            env,
        )
        assert collected.returncode == 0, collected.stdout[-3000:]
        linted = _run([BIN / "ruff", "check", "--no-cache", "."], course, env)
        listed = _run([sys.executable, "scripts/execute_notebooks.py", "--list"], course, env)
        assert listed.returncode == 0, listed.stderr
        opened = [p for p in watch.opened() if p.name not in OWN_FILES]
    finally:
        watch.close()

    assert opened == [], f"files in a grading work area were read: {opened[:10]}"
    for output in (collected.stdout, listed.stdout, linted.stdout, built.stdout):
        for area in areas:
            assert str(area.relative_to(tmp_path)) not in output.replace(str(tmp_path) + "/", "")
    assert "ch02-understanding" not in collected.stdout and "marking-2026" not in listed.stdout
    markers = [*tmp_path.rglob(marker), *Path("/tmp").glob(marker)]
    assert markers == [], f"learner code ran outside the sandbox and wrote {markers}"
