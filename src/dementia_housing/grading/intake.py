"""Receive submissions as learners send them and sort out what can be graded.

Accepted, in any mix: one folder per learner (``sam-jones/ch01-why-housing.ipynb``, or
nbgrader's ``sam-jones/ch01-why-housing/ch01-why-housing.ipynb``), files named
``<learner>_<assignment>.ipynb``, and zip files of either. Each notebook's assignment is
recognised from its cells, not only its name. Anything that cannot be graded is reported by
name, with the reason, and the rest carry on.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import nbformat

MAX_NOTEBOOK_BYTES = 20 * 1024**2
MAX_ZIP_BYTES = 500 * 1024**2
MAX_ZIP_FILES = 5000
IGNORED_NAMES = {".ds_store", "thumbs.db", "desktop.ini", "__macosx", ".ipynb_checkpoints"}


@dataclass
class Submission:
    learner: str
    assignment: str
    notebook_name: str
    nb: nbformat.NotebookNode
    source: str  # where it came from, as the assessor named it
    modified: datetime
    digest: str


@dataclass
class Intake:
    submissions: list[Submission] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)

    def problem(self, name: str, reason: str) -> None:
        self.problems.append((name, reason))


def learner_id(raw: str) -> str:
    """A safe learner id from a folder or file name: lower case letters, digits, '.', '_' and '-'."""
    text = re.sub(r"[^a-z0-9._-]+", "-", raw.strip().lower()).strip("-._")
    return text[:64]


def assignment_fingerprints(source_root: Path) -> dict[str, dict[str, set[str]]]:
    """assignment -> notebook name -> the nbgrader cell ids of its source notebook."""
    prints: dict[str, dict[str, set[str]]] = {}
    for path in sorted(source_root.glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        ids = {c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata}
        prints.setdefault(path.parent.name, {})[path.stem] = ids
    return prints


def _recognise(nb, prints) -> tuple[str, str, float] | None:
    ids = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.cells} - {None}
    best = None
    for assignment, notebooks in prints.items():
        for name, expected in notebooks.items():
            score = len(ids & expected) / max(1, len(expected))
            if best is None or score > best[2]:
                best = (assignment, name, score)
    return best if best and best[2] >= 0.5 else None


def _name_hint(stem: str, assignments: list[str]) -> tuple[str | None, str | None]:
    """(learner, assignment) from a file name such as 'Sam Jones_ch01-why-housing (2)'."""
    for assignment in sorted(assignments, key=len, reverse=True):
        index = stem.lower().find(assignment)
        if index >= 0:
            learner = stem[:index].rstrip(" _-.")
            return (learner or None), assignment
    return None, None


def _read_notebook(path: Path, shown: str, intake: Intake):
    try:
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            intake.problem(shown, f"too large to be an exercise notebook ({size / 1024**2:.0f} MB); not graded")
            return None
        if size == 0:
            intake.problem(shown, "the file is empty; not graded")
            return None
        raw = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        intake.problem(shown, "not a notebook: the file is not text (was another file renamed .ipynb?); not graded")
        return None
    except json.JSONDecodeError as error:
        intake.problem(shown, f"corrupt notebook: not valid JSON ({error.msg}, line {error.lineno}); not graded")
        return None
    try:
        nb = nbformat.reads(json.dumps(raw), as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # noqa: BLE001 - any validation failure is reported the same way
        intake.problem(shown, f"not a valid Jupyter notebook ({str(error).splitlines()[0][:120]}); not graded")
        return None
    return nb


def _walk(folder: Path, shown_root: str, intake: Intake, found: list, depth: int = 0, owner: str | None = None) -> None:
    for entry in sorted(folder.iterdir()):
        shown = f"{shown_root}/{entry.name}" if shown_root else entry.name
        if entry.name.lower() in IGNORED_NAMES or entry.name.startswith("."):
            continue
        if entry.is_symlink():
            intake.problem(shown, "a link, not a file; not followed")
        elif entry.is_dir():
            if depth >= 3:
                intake.problem(shown, "folders nested too deeply; not searched")
                continue
            _walk(entry, shown, intake, found, depth + 1, owner if owner else entry.name)
        elif entry.suffix.lower() == ".zip":
            _unzip(entry, shown, intake, found, depth, owner)
        elif entry.suffix.lower() == ".ipynb":
            found.append((entry, shown, owner))
        else:
            intake.problem(shown, "not a notebook (.ipynb); ignored")


def _unzip(path: Path, shown: str, intake: Intake, found: list, depth: int, owner: str | None) -> None:
    target = Path(tempfile.mkdtemp(prefix="dh-zip-"))
    intake_tmp.append(target)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_FILES or sum(m.file_size for m in members) > MAX_ZIP_BYTES:
                intake.problem(shown, "zip file too large to unpack safely; not graded")
                return
            for member in members:
                name = Path(member.filename)
                if member.is_dir() or name.is_absolute() or ".." in name.parts:
                    continue
                dest = target / name
                dest.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as source, open(dest, "wb") as out:
                    shutil.copyfileobj(source, out)
                stamp = datetime(*member.date_time).timestamp()
                import os

                os.utime(dest, (stamp, stamp))
    except (zipfile.BadZipFile, OSError) as error:
        intake.problem(shown, f"not a readable zip file ({error}); not graded")
        return
    _walk(target, shown, intake, found, depth, owner)


intake_tmp: list[Path] = []


def collect(submissions: Path, source_root: Path) -> Intake:
    """Find every gradeable notebook under ``submissions`` (a folder or a zip)."""
    intake = Intake()
    submissions = Path(submissions)
    prints = assignment_fingerprints(source_root)
    found: list[tuple[Path, str, str | None]] = []
    if not submissions.exists():
        intake.problem(str(submissions), "no such file or folder")
        return intake
    if submissions.is_file():
        if submissions.suffix.lower() == ".zip":
            _unzip(submissions, submissions.name, intake, found, 0, None)
        elif submissions.suffix.lower() == ".ipynb":
            found.append((submissions, submissions.name, None))
        else:
            intake.problem(submissions.name, "not a notebook, zip file or folder")
    else:
        _walk(submissions, "", intake, found)
    if not found and not intake.problems:
        intake.problem(str(submissions), "empty: no submissions found")

    chosen: dict[tuple[str, str], Submission] = {}
    for path, shown, owner in found:
        nb = _read_notebook(path, shown, intake)
        if nb is None:
            continue
        named_learner, named_assignment = _name_hint(path.stem, list(prints))
        if owner and named_assignment is None and path.parent.name in prints:
            named_assignment = path.parent.name
        recognised = _recognise(nb, prints)
        if recognised is None:
            if named_assignment:
                intake.problem(shown, f"named as {named_assignment} but missing that exercise's cells; not graded")
            else:
                intake.problem(shown, "not one of the course's exercises (its cells match none); not graded")
            continue
        assignment, notebook_name, _ = recognised
        if named_assignment and named_assignment != assignment:
            intake.problem(
                shown, f"wrong assignment: named {named_assignment} but it is the {assignment} exercise; not graded"
            )
            continue
        learner = learner_id(owner or named_learner or "")
        if not learner:
            intake.problem(shown, "cannot tell whose work this is: name it <learner>_<assignment>.ipynb; not graded")
            continue
        modified = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
        digest = hashlib.sha256(nbformat.writes(nb).encode()).hexdigest()
        submission = Submission(learner, assignment, notebook_name, nb, shown, modified, digest)
        key = (learner, assignment)
        if key in chosen:
            older, newer = sorted([chosen[key], submission], key=lambda s: (s.modified, s.source))
            intake.problem(
                older.source,
                f"duplicated learner: {learner} sent {assignment} more than once; graded the newer file "
                f"({newer.source}) and not this one",
            )
            chosen[key] = newer
        else:
            chosen[key] = submission
    intake.submissions = sorted(chosen.values(), key=lambda s: (s.assignment, s.learner))
    return intake


def cleanup() -> None:
    while intake_tmp:
        shutil.rmtree(intake_tmp.pop(), ignore_errors=True)
