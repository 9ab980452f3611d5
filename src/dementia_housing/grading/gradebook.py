"""nbgrader's gradebook: opening it, keeping its copy of each assignment in step with solutions/.

The gradebook keeps its own copy of every assignment's cells (sources, checksums, marks). When
an exercise is changed in ``solutions/`` that copy goes stale, and marking against it gives
wrong maxima or fails on a new question. :func:`ensure_assignments` compares the two before
any submission is recorded and updates the copy, or stops with what changed and what to do.
"""

from __future__ import annotations

import contextlib
import copy
import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .course import Course

NBGRADER_TESTED = ("0.9.",)  # the versions whose internals the speed-ups below replace


class AssignmentChanged(RuntimeError):
    """The gradebook's copy of an assignment differs from solutions/ in a way nbgrader cannot update."""


class _CompiledJsonSchema:
    """``jsonschema`` as nbgrader's cell-metadata check uses it, with each schema compiled once.

    nbgrader calls ``jsonschema.validate`` for every cell, which checks the schema itself again
    each time: most of the trusted process's time per submission. Errors are the same ones.
    """

    def __init__(self) -> None:
        import jsonschema

        self._jsonschema = jsonschema
        self._compiled: dict[int, tuple[dict, object]] = {}

    def validate(self, instance, schema) -> None:
        entry = self._compiled.get(id(schema))
        if entry is None or entry[0] is not schema:
            cls = self._jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            entry = self._compiled[id(schema)] = (schema, cls(schema))
        error = self._jsonschema.exceptions.best_match(entry[1].iter_errors(instance))
        if error is not None:
            raise error

    def __getattr__(self, name: str):
        return getattr(self._jsonschema, name)


def _alembic_head() -> str:
    """The gradebook schema's version, read in this process (nbgrader runs `alembic heads`, ~3 s)."""
    import nbgrader
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

    config = AlembicConfig()
    config.set_main_option("script_location", str(Path(nbgrader.__file__).parent / "alembic"))
    return ScriptDirectory.from_config(config).get_current_head()


@contextlib.contextmanager
def nbgrader_speedups():
    """Two of nbgrader's slow spots, replaced in this process while the block runs, with the same
    results; only on the nbgrader versions they were checked against (else left as they are)."""
    import nbgrader
    from nbgrader import api
    from nbgrader.nbgraderformat import common

    if not nbgrader.__version__.startswith(NBGRADER_TESTED):
        yield
        return
    saved = common.jsonschema, api.get_alembic_version
    common.jsonschema, api.get_alembic_version = _CompiledJsonSchema(), _alembic_head
    try:
        yield
    finally:
        common.jsonschema, api.get_alembic_version = saved


def open_gradebook(course: Course):
    from nbgrader.api import Gradebook

    # A new gradebook runs nbgrader's `alembic` command: make sure this environment's is found.
    tools = str(Path(sys.executable).parent)
    if tools not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = tools + os.pathsep + os.environ.get("PATH", "")
    return Gradebook(course.db_url, course.course_id)


COUNTED, HELD, PENDING = "counted", "held", "pending"


def mark_status(grade) -> str:
    """Where one gradebook mark stands: ``counted``; ``held`` (an automatic mark waiting for a
    person to confirm it, after a review reason); or ``pending`` (waiting to be marked by hand)."""
    if not grade.needs_manual_grade:
        return COUNTED
    if grade.auto_score is not None and grade.manual_score is None:
        return HELD
    return PENDING


@dataclass(frozen=True)
class CellRecord:
    """What the gradebook keeps about one nbgrader cell."""

    cell_type: str
    source: str
    checksum: str | None
    points: float | None
    locked: bool = False
    solution: bool = False

    @property
    def is_check(self) -> bool:
        """A test cell: marks given by running it (never a learner's answer)."""
        return self.cell_type == "code" and self.points is not None and not self.solution

    @property
    def is_setup(self) -> bool:
        """A locked code cell of the course's own (imports, data), run before the checks after it."""
        return self.cell_type == "code" and self.locked and self.points is None and not self.solution

    def same_as(self, other: CellRecord) -> bool:
        return (self.cell_type, self.source, self.checksum, self.points) == (
            other.cell_type,
            other.source,
            other.checksum,
            other.points,
        )


def source_cells(course: Course, assignment: str) -> dict[str, dict[str, CellRecord]]:
    """notebook -> grade id -> the cell as ``generate_assignment`` would store it in the gradebook."""
    from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, ClearSolutions, ComputeChecksums, LockCells

    cfg = course.config()
    records: dict[str, dict[str, CellRecord]] = {}
    for path in sorted((course.source / assignment).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        resources = {"nbgrader": {"assignment": assignment, "notebook": path.stem}}
        for step in (LockCells, ClearSolutions, ClearOutput, CheckCellMetadata, ComputeChecksums):
            nb, resources = step(config=cfg).preprocess(copy.deepcopy(nb), resources)
        cells: dict[str, CellRecord] = {}
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if "grade_id" in meta:
                points = float(meta["points"]) if meta.get("grade") else None
                cells[meta["grade_id"]] = CellRecord(
                    cell.cell_type,
                    cell.source,
                    meta.get("checksum"),
                    points,
                    locked=bool(meta.get("locked")),
                    solution=bool(meta.get("solution")),
                )
        records[path.stem] = cells
    return records


def stored_cells(gb, assignment: str) -> dict[str, dict[str, CellRecord]]:
    """notebook -> grade id -> the cell as the gradebook holds it now (empty if not loaded)."""
    from nbgrader.api import MissingEntry

    try:
        notebooks = gb.find_assignment(assignment).notebooks
    except MissingEntry:
        return {}
    records: dict[str, dict[str, CellRecord]] = {}
    for notebook in notebooks:
        points = {cell.name: float(cell.max_score) for cell in notebook.grade_cells}
        records[notebook.name] = {
            cell.name: CellRecord(cell.cell_type, cell.source, cell.checksum, points.get(cell.name), locked=cell.locked)
            for cell in notebook.source_cells
        }
    return records


def describe_changes(old: dict[str, dict[str, CellRecord]], new: dict[str, dict[str, CellRecord]]) -> list[str]:
    """What changed between two versions of an assignment, in words (empty when nothing did)."""
    changes: list[str] = []
    for notebook in sorted(set(old) | set(new)):
        if notebook not in new:
            changes.append(f"notebook {notebook} was removed")
            continue
        if notebook not in old:
            changes.append(f"notebook {notebook} was added")
            continue
        before, after = old[notebook], new[notebook]
        added, removed = sorted(set(after) - set(before)), sorted(set(before) - set(after))
        if added:
            changes.append(f"cells added: {', '.join(added)}")
        if removed:
            changes.append(f"cells removed: {', '.join(removed)}")
        for grade_id in sorted(set(before) & set(after)):
            was, now = before[grade_id], after[grade_id]
            if was.points != now.points:
                changes.append(f"{grade_id}: marks changed from {was.points:g} to {now.points:g}")
            elif not was.same_as(now):
                changes.append(f"{grade_id}: its text or checks changed")
    return changes


def _cell_sets_differ(old, new) -> bool:
    return set(old) != set(new) or any(set(old[name]) != set(new[name]) for name in old)


def ensure_assignments(course: Course, assignments: list[str], replace_changed: bool = False, say=print) -> set[str]:
    """Put each assignment's cells into the gradebook, or bring a stale copy up to date.

    Returns the assignments whose gradebook copy was created or changed (their submissions must
    be marked again). Raises :class:`AssignmentChanged`, naming what changed and what to run,
    when nbgrader cannot update a copy that already has submissions and ``replace_changed`` is off.
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    course.prepare_work_area()
    todo: dict[str, list[str]] = {}
    with open_gradebook(course) as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy's autoflush notes inside nbgrader; harmless
        for assignment in assignments:
            old, new = stored_cells(gb, assignment), source_cells(course, assignment)
            if not old:
                todo[assignment] = []
                continue
            changes = describe_changes(old, new)
            if not changes:
                continue
            has_submissions = bool(gb.find_assignment(assignment).submissions)
            if has_submissions and _cell_sets_differ(old, new):
                if not replace_changed:
                    raise AssignmentChanged(
                        f"the exercise {assignment} in solutions/ has changed since the gradebook's copy was made "
                        f"({'; '.join(changes)}), and the gradebook already holds marks for it. Nothing was graded. "
                        "Either mark against the new version in a fresh work area (add --work NEW-FOLDER), or "
                        "discard the marks given under the old version and mark every submission again "
                        "(add --replace-changed)."
                    )
                gb.remove_assignment(assignment)
                say(
                    f"    ! {assignment}: removed the old version and its marks from the gradebook ({'; '.join(changes)})"
                )
            else:
                say(f"    ! {assignment}: the exercise changed ({'; '.join(changes)}); updating the gradebook")
            todo[assignment] = changes
    if not todo:
        return set()
    cfg = course.config()
    api = NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)
    for assignment in todo:
        result = api.generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise RuntimeError(f"could not load {assignment} into the gradebook:\n{result.get('log', '')[-2000:]}")
    return set(todo)
