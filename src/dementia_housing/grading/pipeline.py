"""One command from a folder of submissions to marks, feedback and a grade export.

Steps: intake (:mod:`.intake`) → copy into nbgrader's ``submitted/`` layout → restore locked and
test cells from the gradebook, in memory (nbgrader's own preprocessors) → run each submission
in a sandboxed kernel, several at once (:mod:`.execute`) → save autograded marks in the
gradebook and the autograded notebook (learner markup made inert) for the formgrader →
feedback HTML without hidden tests → ``grades.csv``. Re-running is safe: unchanged
submissions are not run again, manual marks are kept, a late submission is simply added.
"""

from __future__ import annotations

import copy
import json
import os
import secrets
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from . import intake as intake_mod
from .execute import MARK_KEY, Execution, run_many
from .sandbox import Limits, plan_sandbox

WORK_AREA = ".grading"


@dataclass
class Course:
    """Where things are: the course root and nbgrader's folders and gradebook."""

    root: Path
    work: Path
    db_url: str
    course_id: str = "dementia-housing"

    @property
    def source(self) -> Path:
        return self.root / "solutions"

    @property
    def release(self) -> Path:
        return self.root / "exercises"

    def folder(self, step: str) -> Path:
        return self.work / step

    def config(self) -> Config:
        """nbgrader's configuration: the repository's nbgrader_config.py with this run's folders."""
        config_file = self.root / "nbgrader_config.py"
        cfg = (
            PyFileConfigLoader(config_file.name, path=str(self.root)).load_config()
            if config_file.exists()
            else Config()
        )
        cd = cfg.CourseDirectory
        cd.root = str(self.root)
        cd.course_id = self.course_id
        cd.source_directory = "solutions"
        cd.release_directory = str(self.work / "release")  # the gradebook's copy; exercises/ is left alone
        for step in ("submitted", "autograded", "feedback", "solution"):
            setattr(cd, f"{step}_directory", str(self.work / step))
        cd.db_url = self.db_url
        return cfg

    @classmethod
    def at(cls, root: Path, work: Path | None = None, db_url: str | None = None) -> Course:
        root = Path(root).resolve()
        work = Path(work).resolve() if work else root / WORK_AREA
        if db_url is None:
            db_url = os.environ.get("DEMENTIA_HOUSING_DB_URL") or f"sqlite:///{work / 'gradebook.db'}"
        return cls(root=root, work=work, db_url=db_url)


@dataclass
class Graded:
    learner: str
    assignment: str
    status: str  # "graded", "unchanged", "failed"
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


@dataclass
class Report:
    graded: list[Graded] = field(default_factory=list)
    intake_problems: list[tuple[str, str]] = field(default_factory=list)
    feedback: list[Path] = field(default_factory=list)
    export: Path | None = None
    sandbox: str = ""
    seconds: float = 0.0


class Progress:
    """A plain text progress bar on stderr (a line per step when not on a terminal)."""

    def __init__(self, total: int, label: str, stream=None) -> None:
        self.total, self.label, self.done = total, label, 0
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()
        if total:
            self._draw()

    def step(self, note: str = "") -> None:
        self.done += 1
        self._draw(note)

    def _draw(self, note: str = "") -> None:
        width = 30
        filled = int(width * self.done / max(1, self.total))
        bar = "#" * filled + "-" * (width - filled)
        line = f"{self.label} [{bar}] {self.done}/{self.total} {time.monotonic() - self.started:5.1f}s {note}"
        if self.tty:
            self.stream.write("\r" + line[:120].ljust(120))
            if self.done == self.total:
                self.stream.write("\n")
        elif self.done:
            self.stream.write(line + "\n")
        self.stream.flush()


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


def _speed_up_nbgrader() -> None:
    """Two of nbgrader's slow spots, replaced in this process only, with the same results."""
    from nbgrader import api
    from nbgrader.nbgraderformat import common

    if not isinstance(common.jsonschema, _CompiledJsonSchema):
        common.jsonschema = _CompiledJsonSchema()
    if api.get_alembic_version is not _alembic_head:
        api.get_alembic_version = _alembic_head


def _gradebook(course: Course):
    from nbgrader.api import Gradebook

    # A new gradebook runs nbgrader's `alembic` command: make sure this environment's is found.
    tools = str(Path(sys.executable).parent)
    if tools not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = tools + os.pathsep + os.environ.get("PATH", "")
    return Gradebook(course.db_url, course.course_id)


def ensure_assignments(course: Course, assignments: list[str]) -> None:
    """Put each assignment's source cells into the gradebook (nbgrader generate_assignment)."""
    from nbgrader.api import MissingEntry
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    course.work.mkdir(parents=True, exist_ok=True)
    missing = []
    with _gradebook(course) as gb:
        for assignment in assignments:
            try:
                if gb.find_assignment(assignment).notebooks:
                    continue
            except MissingEntry:
                pass
            missing.append(assignment)
    if not missing:
        return
    cfg = course.config()
    api = NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)
    for assignment in missing:
        result = api.generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise RuntimeError(f"could not load {assignment} into the gradebook:\n{result.get('log', '')[-2000:]}")


def _resources(course: Course, learner: str, assignment: str, notebook: str) -> dict:
    return {
        "nbgrader": {"student": learner, "assignment": assignment, "notebook": notebook, "db_url": course.db_url},
        "metadata": {"path": str(course.folder("autograded") / learner / assignment)},
        "unique_key": notebook,
    }


def _preprocess(steps, nb, resources, config: Config):
    for step in steps:
        nb, resources = step(config=config).preprocess(nb, resources)
    return nb, resources


def _prepare(course: Course, sub: intake_mod.Submission, config: Config) -> tuple[nbformat.NotebookNode, list[str]]:
    """Sanitise as nbgrader autograde does, in memory: the result holds hidden tests."""
    from nbgrader.preprocessors import (
        CheckCellMetadata,
        ClearOutput,
        DeduplicateIds,
        OverwriteCells,
        OverwriteKernelspec,
    )

    before = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in sub.nb.cells}
    config.OverwriteCells.add_missing_cells = True
    config.OverwriteCells.missing_cell_notification = "This cell was missing from the submission and was put back. "
    resources = _resources(course, sub.learner, sub.assignment, sub.notebook_name)
    nb = copy.deepcopy(sub.nb)
    nb, _ = _preprocess(
        [ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata], nb, resources, config
    )
    after = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.cells}
    missing = sorted(after - before - {None})
    problems = [f"missing cells put back from the exercise: {', '.join(missing)}"] if missing else []
    _add_completion_marks(nb)
    return nb, problems


def _is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and meta.get("grade") and not meta.get("solution")


def _add_completion_marks(nb) -> None:
    """End each test cell with a print of a fresh random mark, so a cell whose checks were
    skipped (learner code rewriting cells on their way to the kernel) cannot pass silently."""
    for cell in nb.cells:
        if _is_test_cell(cell):
            mark = secrets.token_hex(16)
            cell.metadata[MARK_KEY] = mark
            cell.source = f"{cell.source}\nprint({mark!r}, end='')"


def _check_completion_marks(nb) -> bool:
    """Remove the marks again. A test cell that neither failed nor printed its mark was skipped
    somehow: it gets an error (no marks). True if no cell was skipped."""
    all_ran = True
    for cell in nb.cells:
        mark = cell.metadata.pop(MARK_KEY, None)
        if mark is None:
            continue
        cell.source = cell.source.removesuffix(f"\nprint({mark!r}, end='')")
        printed = False
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and mark in output.get("text", ""):
                printed = True
                output["text"] = output["text"].replace(mark, "")
        cell.outputs = [o for o in cell.get("outputs", []) if not (o.get("output_type") == "stream" and not o["text"])]
        if not printed and not any(o.get("output_type") == "error" for o in cell.outputs):
            all_ran = False
            cell.outputs.append(
                nbformat.v4.new_output(
                    "error",
                    ename="ChecksDidNotFinish",
                    evalue="the checks in this cell did not run to the end",
                    traceback=["ChecksDidNotFinish: the checks in this cell did not run to the end"],
                )
            )
    return all_ran


def _record_submission(course: Course, sub: intake_mod.Submission) -> None:
    folder = course.folder("submitted") / sub.learner / sub.assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(sub.nb, folder / f"{sub.notebook_name}.ipynb")
    (folder / "timestamp.txt").write_text(sub.modified.strftime("%Y-%m-%d %H:%M:%S.%f %Z") + "\n")
    with _gradebook(course) as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy's autoflush notes inside nbgrader; harmless
        gb.update_or_create_student(sub.learner)
        gb.update_or_create_submission(sub.assignment, sub.learner, timestamp=sub.modified.replace(tzinfo=None))


def _save(course: Course, sub: intake_mod.Submission, execution: Execution, config: Config) -> None:
    from nbgrader.preprocessors import AssignLatePenalties, LimitOutput, SaveAutoGrades

    from .safety import SanitiseLearnerCells

    if not _check_completion_marks(execution.notebook):
        execution.problems.append("some checks did not run to the end (code may have interfered with them)")
    resources = _resources(course, sub.learner, sub.assignment, sub.notebook_name)
    nb, _ = _preprocess(
        [LimitOutput, SaveAutoGrades, AssignLatePenalties, SanitiseLearnerCells],
        execution.notebook,
        resources,
        config,
    )
    folder = course.folder("autograded") / sub.learner / sub.assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{sub.notebook_name}.ipynb")
    stamp = course.folder("submitted") / sub.learner / sub.assignment / "timestamp.txt"
    (folder / "timestamp.txt").write_text(stamp.read_text())


def _state_path(course: Course) -> Path:
    return course.work / "grading-state.json"


def load_state(course: Course) -> dict:
    path = _state_path(course)
    return json.loads(path.read_text()) if path.exists() else {}


def _save_state(course: Course, state: dict) -> None:
    _state_path(course).write_text(json.dumps(state, indent=1, sort_keys=True))


def grade(
    submissions: Path,
    course: Course,
    limits: Limits | None = None,
    workers: int | None = None,
    allow_weak_sandbox: bool = False,
    regrade: bool = False,
    say: Callable[[str], None] = print,
    progress_stream=None,
) -> Report:
    """Grade every submission under ``submissions``; see the module docstring."""
    from .export import export_grades
    from .feedback import FeedbackWriter, write_feedback
    from .safety import scan_learner_code

    started = time.monotonic()
    _speed_up_nbgrader()
    limits = limits or Limits()
    workers = workers or os.cpu_count() or 1
    report = Report()
    course.work.mkdir(parents=True, exist_ok=True)
    plan = plan_sandbox([course.root, course.work, Path(submissions)], allow_weak=allow_weak_sandbox)
    report.sandbox = plan.describe()
    say(f"==> Sandbox: {report.sandbox}")

    try:
        found = intake_mod.collect(Path(submissions), course.source)
        report.intake_problems = found.problems
        for name, reason in found.problems:
            say(f"    ! {name}: {reason}")
        say(f"==> {len(found.submissions)} submission(s) to grade from {submissions}")
        assignments = sorted({s.assignment for s in found.submissions})
        ensure_assignments(course, assignments)
        config = course.config()
        state = load_state(course)

        todo: list[tuple[intake_mod.Submission, nbformat.NotebookNode, list[str]]] = []
        for sub in found.submissions:
            key = f"{sub.learner}/{sub.assignment}"
            autograded = course.folder("autograded") / sub.learner / sub.assignment / f"{sub.notebook_name}.ipynb"
            if not regrade and state.get(key, {}).get("digest") == sub.digest and autograded.exists():
                report.graded.append(Graded(sub.learner, sub.assignment, "unchanged", problems=state[key]["problems"]))
                continue
            try:
                _record_submission(course, sub)
                prepared, problems = _prepare(course, sub, config)
            except Exception as error:  # noqa: BLE001 - one bad notebook must not stop the cohort
                reason = f"could not be prepared for grading ({type(error).__name__}: {str(error)[:160]})"
                report.intake_problems.append((sub.source, reason))
                say(f"    ! {sub.source}: {reason}")
                continue
            problems += [f"for review: {note}" for note in scan_learner_code(sub.nb)]
            todo.append((sub, prepared, problems))

        kept = [(g.learner, g.assignment) for g in report.graded]
        writer = FeedbackWriter(course, say) if todo else None
        bar = Progress(len(todo), "Autograding", progress_stream)

        def finish(index: int, execution: Execution) -> None:
            # Marks, the autograded notebook and feedback for one submission, written while the
            # other submissions' kernels are still running (this process is mostly idle then).
            sub, _, problems = todo[index]
            bar.step(sub.learner)
            try:
                _save(course, sub, execution, config)
            except Exception as error:  # noqa: BLE001 - one bad notebook must not stop the cohort
                reason = f"marks could not be saved ({type(error).__name__}: {str(error)[:160]})"
                report.graded.append(Graded(sub.learner, sub.assignment, "failed", execution.seconds, [reason]))
                return
            all_problems = problems + execution.problems
            state[f"{sub.learner}/{sub.assignment}"] = {
                "digest": sub.digest,
                "problems": all_problems,
                "source": sub.source,
            }
            report.graded.append(Graded(sub.learner, sub.assignment, "graded", execution.seconds, all_problems))
            report.feedback.extend(writer.write(sub.learner, sub.assignment))

        run_many([prepared for _, prepared, _ in todo], plan, limits, workers, on_done=finish)
        _save_state(course, state)

        for item in report.graded:
            for problem in item.problems:
                say(f"    * {item.learner} / {item.assignment}: {problem}")
        # unchanged submissions: feedback again, so marks given by hand since the last run show
        report.feedback += write_feedback(course, kept, progress_stream, say)
        report.export = export_grades(course)
    finally:
        intake_mod.cleanup()
    report.seconds = time.monotonic() - started
    new = sum(g.status == "graded" for g in report.graded)
    kept = sum(g.status == "unchanged" for g in report.graded)
    say(f"==> Graded {new} submission(s), {kept} unchanged and kept, in {report.seconds:.1f} s")
    say(f"    feedback: {course.folder('feedback')}/<learner>/<assignment>/ ({len(report.feedback)} file(s))")
    say(f"    grades:   {report.export}")
    say(
        "==> To finish: mark the written reflections in nbgrader's formgrader (run `jupyter lab` in "
        f"{course.root}, then Nbgrader > Formgrader > Manual Grading), using the rubric shown above each answer; "
        "then run `dementia-housing feedback` and `dementia-housing export` to refresh feedback and grades.csv."
    )
    return report
