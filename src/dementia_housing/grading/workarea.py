"""Where learners' submissions are kept while they are marked, and how every tool is kept out.

A grading work area holds learners' code (submitted and autograded notebooks), their marks and
feedback. Nothing but the sandboxed grader may ever read or run those notebooks: not the book
build, nbval, the notebook re-execution script, ruff or a benchmark.

- **The default lies outside the course folder**, beside it (``<course>-grading``), so that no
  tool that walks the course tree (Sphinx, pytest, ruff, ``git clean -xdf``, an editor's
  indexer, a tool we have not thought of) can meet learners' work, and learners' marks survive
  a clean checkout. ``--work`` or ``DEMENTIA_HOUSING_WORK`` choose another place.
- **Every work area is marked** with :data:`MARKER_FILE` (and ``.gitignore``/``.ignore``
  files that ignore everything in it). The book build, the test collection and the notebook
  scripts skip any folder that holds the marker, whatever its name or place, so a work area
  put inside the course tree is still never read.

Standard library only: the Sphinx extension and pytest import this module.
"""

from __future__ import annotations

import os
from pathlib import Path

MARKER_FILE = "DEMENTIA-HOUSING-GRADING-WORK-AREA"
ENV_VAR = "DEMENTIA_HOUSING_WORK"
_MARKER_TEXT = (
    "This folder is a Dementia and Housing grading work area: learners' submitted notebooks,\n"
    "their marks and feedback. The course's book build, tests and scripts never read anything\n"
    "in a folder that holds this file. Do not delete this file while the folder is in use.\n"
)
# Folders no tool of ours needs to search for work areas (big, and never hold one).
_NOT_SEARCHED = {".git", ".venv", "venv", "node_modules", "_build", "__pycache__", ".pytest_cache", ".ruff_cache"}


def default_work_area(course_root: Path) -> Path:
    """``$DEMENTIA_HOUSING_WORK`` if set, else ``<parent>/<course folder name>-grading``."""
    chosen = os.environ.get(ENV_VAR)
    if chosen:
        return Path(chosen).expanduser().resolve()
    root = Path(course_root).resolve()
    return root.parent / f"{root.name}-grading"


def mark(work: Path) -> Path:
    """Create ``work`` if needed and mark it as a work area (safe to repeat)."""
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    marker = work / MARKER_FILE
    if not marker.exists():
        marker.write_text(_MARKER_TEXT, encoding="utf-8")
    (work / "exchange").mkdir(exist_ok=True)  # the formgrader expects nbgrader's exchange folder; unused here
    for ignore_file in (".gitignore", ".ignore"):  # git, ruff and ripgrep skip everything here
        path = work / ignore_file
        if not path.exists():
            path.write_text("# a grading work area: learners' work, never committed or linted\n*\n", encoding="utf-8")
    return work


def is_work_area(folder: Path) -> bool:
    return (Path(folder) / MARKER_FILE).is_file()


def inside_work_area(path: Path) -> bool:
    """True if ``path`` is a work area or lies anywhere inside one."""
    path = Path(path).absolute()
    return any(is_work_area(folder) for folder in (path, *path.parents))


def find_work_areas(tree: Path) -> list[Path]:
    """Every marked work area inside ``tree`` (not searched below a work area)."""
    found: list[Path] = []
    for folder, subfolders, files in os.walk(tree):
        if MARKER_FILE in files:
            found.append(Path(folder))
            subfolders.clear()
            continue
        subfolders[:] = sorted(name for name in subfolders if name not in _NOT_SEARCHED)
    return found
