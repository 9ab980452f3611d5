"""Helpers for the grading tests: build submissions from the released notebooks."""

from __future__ import annotations

import copy
import re
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


def answer_cells(assignment: str) -> dict[str, str]:
    """grade id -> the model answer's code, for every code answer cell of the source notebook."""
    answers = {}
    for cell in solution(assignment).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            lines = [line for line in cell.source.splitlines() if "### BEGIN SOLUTION" not in line]
            answers[meta["grade_id"]] = "\n".join(line for line in lines if "### END SOLUTION" not in line)
    return answers


_LETTER = re.compile(r'^(answer_q\d+) = "([A-Z])"$')


def letter_answers(assignment: str, wrong: bool = False) -> dict[str, str]:
    """grade id -> 'answer_qN = "X"' for the multiple-choice answer cells, right (or all wrong)."""
    answers = {}
    for grade_id, code in answer_cells(assignment).items():
        match = _LETTER.match(code.strip())
        if match:
            name, letter = match.groups()
            if wrong:
                letter = "ABCD"[("ABCD".index(letter) + 1) % 4]
            answers[grade_id] = f'{name} = "{letter}"'
    return answers


def check_points(assignment: str) -> dict[str, float]:
    """check cell grade id -> its marks, from the source notebook."""
    return {
        c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"]["points"])
        for c in solution(assignment).cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
    }


# ch02 is all multiple choice: its right and wrong answers, read from solutions/
CH02_RIGHT = letter_answers("ch02-understanding")
CH02_WRONG = letter_answers("ch02-understanding", wrong=True)


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


class FileWatch:
    """Records every file opened under some folders (Linux inotify, read with ctypes)."""

    IN_ACCESS, IN_OPEN, IN_Q_OVERFLOW, IN_ISDIR = 0x1, 0x20, 0x4000, 0x40000000

    def __init__(self, folders: list[Path]) -> None:
        import ctypes
        import os

        self._os = os
        self._libc = ctypes.CDLL("libc.so.6", use_errno=True)
        self.fd = self._libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            pytest.fail(f"inotify is not available here (errno {ctypes.get_errno()})")
        self.folders: dict[int, Path] = {}
        for top in folders:
            for folder in [top, *(p for p in Path(top).rglob("*") if p.is_dir())]:
                wd = self._libc.inotify_add_watch(self.fd, str(folder).encode(), self.IN_OPEN | self.IN_ACCESS)
                if wd < 0:
                    pytest.fail(f"cannot watch {folder} (errno {ctypes.get_errno()})")
                self.folders[wd] = folder

    def opened(self) -> list[Path]:
        """Files opened or read since the watch began (folders' own listings are not counted)."""
        import struct

        found: list[Path] = []
        while True:
            try:
                data = self._os.read(self.fd, 1 << 20)
            except BlockingIOError:
                break
            offset = 0
            while offset < len(data):
                wd, mask, _cookie, length = struct.unpack_from("iIII", data, offset)
                name = data[offset + 16 : offset + 16 + length].rstrip(b"\0").decode(errors="replace")
                offset += 16 + length
                if mask & self.IN_Q_OVERFLOW:
                    pytest.fail("too many file events to record: the watch overflowed")
                if not mask & self.IN_ISDIR and name:
                    path = self.folders[wd] / name
                    if path not in found:
                        found.append(path)
        return found

    def close(self) -> None:
        self._os.close(self.fd)
