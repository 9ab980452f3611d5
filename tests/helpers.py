"""Helpers shared by the test modules (import them from here, never from another test module)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORK_AREA_MARKER = "DEMENTIA-HOUSING-GRADING-WORK-AREA"


def course_copy(base: Path) -> Path:
    """A copy of this checkout as it is now (fetched web assets included), without the virtual
    environment, git, build output, caches or any grading work area."""
    copy = base / "course"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".git", ".venv", "_build", "__pycache__", ".pytest_cache", ".ruff_cache"),
        symlinks=True,
    )
    for own in [copy / ".grading", *(m.parent for m in copy.glob("**/" + WORK_AREA_MARKER))]:
        shutil.rmtree(own, ignore_errors=True)
    return copy


def build_book(course: Path, output: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """jupyter-book build of ``course`` as the tests and `make build` do it (warnings are errors)."""
    return subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(course), "-W", "-n", "--keep-going", "--path-output", str(output)],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
