"""Benchmark (not a test): autograding throughput for a cohort of 30 learners x one assignment.

Prints three figures for the same notebook (the ch01 solution, which imports pandas):
- the floor: one `jupyter nbconvert --execute` of the notebook (process start, kernel start, run);
- the course's `dementia-housing grade` on the cohort (sandboxed kernels, run in parallel on the
  available cores): seconds per submission (cohort time / 30) and the ratio to the floor;
- plain `nbgrader autograde` on the same cohort (one process, one submission at a time, no
  sandbox), and the ratio of the two cohort times.
Goals: per submission within 1.5x of the floor; the cohort in under half plain nbgrader's time.
Run: .venv/bin/python bench/grading.py [--learners 30]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "ch01-why-housing"
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


def floor_seconds(scratch: Path, repeats: int = 3) -> float:
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute", str(NOTEBOOK)]
            + ["--output", str(scratch / f"floor-{i}.ipynb")],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_cohort(folder: Path, learners: int) -> None:
    for n in range(learners):
        target = folder / f"learner{n:02d}_{ASSIGNMENT}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(NOTEBOOK, target)


def course_seconds(scratch: Path, learners: int) -> float:
    subs = scratch / "subs"
    make_cohort(subs, learners)
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "dementia-housing"), "grade", str(subs), "--course", str(ROOT), "--work", str(scratch / "work")],
        check=True,
        capture_output=True,
        env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"},
    )
    return time.perf_counter() - start


def plain_nbgrader_seconds(scratch: Path, learners: int) -> float:
    course = scratch / "plain"
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, course / "source" / ASSIGNMENT)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.root = %r\n" % str(course)  # noqa: UP031
    )
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"}
    nbgrader = str(BIN / "nbgrader")
    subprocess.run([nbgrader, "generate_assignment", ASSIGNMENT], cwd=course, check=True, capture_output=True, env=env)
    for n in range(learners):
        target = course / "submitted" / f"learner{n:02d}" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        target.parent.mkdir(parents=True)
        shutil.copy(NOTEBOOK, target)
    start = time.perf_counter()
    subprocess.run([nbgrader, "autograde", ASSIGNMENT], cwd=course, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dh-bench-") as tmp:
        scratch = Path(tmp)
        print(f"==> Autograding benchmark: {args.learners} learners x {ASSIGNMENT}, {os.cpu_count()} cores")
        floor = floor_seconds(scratch)
        print(f"    floor, one `jupyter nbconvert --execute`:      {floor:6.2f} s")
        ours = course_seconds(scratch, args.learners)
        per = ours / args.learners
        print(f"    dementia-housing grade, whole cohort:          {ours:6.2f} s (with feedback and grades.csv)")
        print(
            f"    dementia-housing grade, per submission:        {per:6.2f} s = {per / floor:.2f} x the floor (goal <= 1.5)"
        )
        plain = plain_nbgrader_seconds(scratch, args.learners)
        print(f"    plain `nbgrader autograde`, whole cohort:      {plain:6.2f} s ({plain / args.learners:.2f} s each)")
        print(f"    cohort time, ours / plain nbgrader:            {ours / plain:6.2f}   (goal < 0.5)")


if __name__ == "__main__":
    main()
