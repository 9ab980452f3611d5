"""Helpers for the grading tests: build submissions from the released notebooks."""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
# every assignment in solutions/ (one folder per chapter's exercise)
ASSIGNMENTS = tuple(sorted(p.parent.name for p in (ROOT / "solutions").glob("ch*/*.ipynb")))


def released(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "exercises" / assignment / f"{assignment}.ipynb", as_version=4)


def solution(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)


def points(assignment: str, kind: str) -> float:
    """Marks available in the source notebook: ``kind`` "auto" (code test cells) or "manual" (markdown)."""
    cell_type = "code" if kind == "auto" else "markdown"
    return sum(
        c.metadata["nbgrader"].get("points", 0)
        for c in solution(assignment).cells
        if c.cell_type == cell_type and c.metadata.get("nbgrader", {}).get("grade")
    )


def grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def answered(assignment: str, answers: dict[str, str]) -> nbformat.NotebookNode:
    """The released notebook with some answer cells filled in (source text by grade id)."""
    nb = copy.deepcopy(released(assignment))
    for cell in nb.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return nb


# ch02's five multiple-choice answers, right and wrong
CH02_RIGHT = {f"q{n}-answer": f'answer_q{n} = "{letter}"' for n, letter in enumerate("BADCB", start=1)}
CH02_WRONG = {f"q{n}-answer": f'answer_q{n} = "{letter}"' for n, letter in enumerate("ACAAC", start=1)}


def with_first(first_answer: str) -> dict[str, str]:
    """ch02 with question 1 answered by ``first_answer`` and the other four right."""
    answers = dict(CH02_RIGHT)
    answers["q1-answer"] = first_answer
    return answers


def save(nb, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def ensure_bubblewrap() -> None:
    """The full sandbox needs Debian's bubblewrap: install it as root (as CI is), else fail clearly."""
    if shutil.which("bwrap"):
        return
    script = ROOT / "scripts" / "ensure_grading_tools.sh"
    result = subprocess.run(["bash", str(script), "bubblewrap"], capture_output=True, text=True)
    if result.returncode != 0 or not shutil.which("bwrap"):
        pytest.fail(f"bubblewrap is needed for the grading sandbox and could not be installed:\n{result.stderr}")
