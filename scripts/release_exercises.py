"""Regenerate every released exercise in exercises/ from its source in solutions/.

Runs nbgrader's generate_assignment for each assignment into a throw-away gradebook and work
area (nothing about learners is touched), then copies the released notebooks into exercises/.
Usage: python scripts/release_exercises.py [ASSIGNMENT ...]   (default: every assignment)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from dementia_housing.grading.course import Course
from dementia_housing.grading.gradebook import ensure_assignments

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> None:
    assignments = argv or sorted(p.name for p in (ROOT / "solutions").iterdir() if list(p.glob("*.ipynb")))
    with tempfile.TemporaryDirectory(prefix="dh-release-") as scratch:
        course = Course.at(ROOT, work=Path(scratch) / "work", db_url=f"sqlite:///{scratch}/gradebook.db")
        ensure_assignments(course, assignments, say=lambda line: None)
        for assignment in assignments:
            target = ROOT / "exercises" / assignment
            target.mkdir(parents=True, exist_ok=True)
            for notebook in sorted((course.work / "release" / assignment).glob("*.ipynb")):
                shutil.copy(notebook, target / notebook.name)
                print(f"released exercises/{assignment}/{notebook.name}")


if __name__ == "__main__":
    main(sys.argv[1:])
