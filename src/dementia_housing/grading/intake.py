"""Receive submissions as learners send them and sort out what can be graded.

Accepted, in any mix: one folder per learner (``sam-jones/ch01-why-housing.ipynb``, or
nbgrader's ``sam-jones/ch01-why-housing/ch01-why-housing.ipynb``), files named
``<learner>_<assignment>.ipynb``, and zip files of either, zips inside zips included. Each
notebook's assignment is recognised from its cells, not only its name. Anything that cannot be
graded is reported by name, with the reason and what to do, and the rest carry on.

Whose work a notebook is: the learner named in the file name (``asha_ch05-evidence.ipynb``)
if there is one, else the folder that holds it (or, in nbgrader's layout, the folder above the
assignment's folder). So a zip of a folder, as Windows and macOS make one
(``cohort-nov/asha_ch05-evidence.ipynb``), is only a wrapper. macOS's ``__MACOSX/`` entries
and ``._`` files are skipped. Names become ids by :func:`learner_id`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import unicodedata
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
    time_source: str = "the file's modified time"  # where ``modified`` was read from


@dataclass
class Intake:
    submissions: list[Submission] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)

    def problem(self, name: str, reason: str) -> None:
        self.problems.append((name, reason))


def learner_id(raw: str) -> str:
    """A readable, safe learner id from a folder or file name.

    Letters and digits of any script, lower case, with accents folded ("Zoë Ñúñez" ->
    "zoe-nunez", "Siobhán" -> "siobhan"; "王芳" stays "王芳"), so a name typed with or without
    its accents, in Jupyter or on the exercise page, is one learner; apostrophes dropped
    ("O'Neill" -> "oneill"); every run of anything else (spaces, '_', '.', '-', slashes) becomes
    one '-'. So "cara_doyle", "Cara Doyle" and "cara.doyle" are one learner, and no id can reach
    outside its folder or start a spreadsheet formula. The exercise pages' script
    (book/_static/exercise-form.js, safeLearner) applies the same rule.
    """
    text = unicodedata.normalize("NFKD", raw)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = re.sub(r"['’‘`]", "", text)
    text = "".join(ch if ch.isalnum() else "-" for ch in text)
    return re.sub(r"-+", "-", text).strip("-")[:64].strip("-")


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


def _walk(folder: Path, shown_root: str, intake: Intake, found: list, depth: int = 0, parents: tuple = ()) -> None:
    for entry in sorted(folder.iterdir()):
        shown = f"{shown_root}/{entry.name}" if shown_root else entry.name
        if entry.name.lower() in IGNORED_NAMES or entry.name.startswith("."):
            continue
        if entry.is_symlink():
            intake.problem(shown, "a link, not a file; not followed")
        elif entry.is_dir():
            if depth >= 4:
                intake.problem(shown, "folders nested too deeply; not searched")
                continue
            _walk(entry, shown, intake, found, depth + 1, (*parents, entry.name))
        elif entry.suffix.lower() == ".zip":
            if depth >= 4:
                intake.problem(shown, "zip files nested too deeply; not unpacked")
                continue
            _unzip(entry, shown, intake, found, depth + 1, parents)
        elif entry.suffix.lower() == ".ipynb":
            found.append((entry, shown, parents))
        else:
            intake.problem(shown, "not a notebook (.ipynb); ignored")


def _unzip(path: Path, shown: str, intake: Intake, found: list, depth: int, parents: tuple) -> None:
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
                os.utime(dest, (stamp, stamp))
                zipped.add(dest)
    except (zipfile.BadZipFile, OSError) as error:
        intake.problem(shown, f"not a readable zip file ({error}); not graded")
        return
    top = [e for e in target.iterdir() if e.name.lower() not in IGNORED_NAMES and not e.name.startswith(".")]
    if len(top) == 1 and top[0].is_dir() and not top[0].is_symlink():
        # One folder inside the zip, as "Send to > Compressed folder" makes: a wrapper, unless it
        # is the only clue to whose work this is (a learner zipped their own folder of notebooks).
        wrapper = top[0]
        has_folders = any(e.is_dir() for e in wrapper.iterdir() if e.name.lower() not in IGNORED_NAMES)
        if has_folders or parents:
            _walk(wrapper, f"{shown}/{wrapper.name}", intake, found, depth, parents)
            return
    _walk(target, shown, intake, found, depth, parents)


intake_tmp: list[Path] = []
zipped: set[Path] = set()  # files whose date is the zip entry's (the time the learner's computer saved it)


def collect(submissions: Path, source_root: Path) -> Intake:
    """Find every gradeable notebook under ``submissions`` (a folder or a zip)."""
    intake = Intake()
    submissions = Path(submissions)
    prints = assignment_fingerprints(source_root)
    found: list[tuple[Path, str, tuple]] = []
    if not submissions.exists():
        intake.problem(str(submissions), "no such file or folder")
        return intake
    if submissions.is_file():
        if submissions.suffix.lower() == ".zip":
            _unzip(submissions, submissions.name, intake, found, 0, ())
        elif submissions.suffix.lower() == ".ipynb":
            found.append((submissions, submissions.name, ()))
        else:
            intake.problem(submissions.name, "not a notebook, zip file or folder")
    else:
        _walk(submissions, "", intake, found)
    if not found and not intake.problems:
        intake.problem(str(submissions), "empty: no submissions found")

    chosen: dict[tuple[str, str], Submission] = {}
    for path, shown, parents in found:
        nb = _read_notebook(path, shown, intake)
        if nb is None:
            continue
        named_learner, named_assignment = _name_hint(path.stem, list(prints))
        folders = list(parents)
        if folders and folders[-1].lower() in prints:  # nbgrader's <learner>/<assignment>/<notebook>
            folder_assignment = folders.pop().lower()
            named_assignment = named_assignment or folder_assignment
        owner = folders[-1] if folders else None
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
        learner = learner_id(named_learner or owner or "")
        if not learner:
            intake.problem(
                shown,
                "cannot tell whose work this is; not graded. Rename it <learner>_<assignment>.ipynb "
                f"(for example sam-jones_{assignment}.ipynb) or put it in a folder named after the learner",
            )
            continue
        modified = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
        time_source = "the date stored in the zip file" if path in zipped else "the file's modified time"
        digest = hashlib.sha256(nbformat.writes(nb).encode()).hexdigest()
        submission = Submission(learner, assignment, notebook_name, nb, shown, modified, digest, time_source)
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
    zipped.clear()


_ADVICE = [
    ("not a notebook", "Ask the learner for the .ipynb file itself (in Jupyter: File > Download)."),
    ("a link, not a file", "Copy the file itself into the folder, then run again."),
    ("empty", "Ask the learner to save the notebook again and resend it."),
    ("corrupt", "Ask the learner to save the notebook again and resend it."),
    ("not a valid jupyter notebook", "Ask the learner to save the notebook again and resend it."),
    ("too large", "Ask the learner to clear the notebook's outputs (Edit > Clear Outputs), save and resend."),
    ("wrong assignment", "Ask the learner which exercise this is, then rename the file and run again."),
    ("missing that exercise's cells", "Ask the learner to copy their answers into a fresh copy from exercises/."),
    ("not one of the course's exercises", "Ask the learner to copy their answers into a fresh copy from exercises/."),
    ("duplicated learner", "Nothing, unless the older file was the one meant: then remove the newer and run again."),
    ("cannot tell whose work", "Rename the file <learner>_<assignment>.ipynb, then run again."),
    ("zip", "Ask for the zip file again, or unzip it yourself and grade the folder."),
    ("nested too deeply", "Move the files up into a folder per learner, then run again."),
    ("fresh copy", "Ask the learner to copy their answers into a fresh copy from exercises/ and resend it."),
]


def advice(reason: str) -> str:
    """What the assessor can do about a file that was not graded."""
    lowered = reason.lower()
    for key, what in _ADVICE:
        if key in lowered:
            return what
    return "Look at the file, then run again."
