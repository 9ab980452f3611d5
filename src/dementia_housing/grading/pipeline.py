"""One command from a folder of submissions to marks, feedback and a grade export.

Steps: intake (:mod:`.intake`) → bring the gradebook's copy of each assignment up to date
(:mod:`.gradebook`) → restore locked and check cells from the gradebook, in memory (nbgrader's
own preprocessors) → run each submission in a sandboxed kernel, several at once
(:mod:`.execute`), with its check cells replaced by reports of the answers as plain values →
mark those values outside the kernel with the course's checks (:mod:`.marking`) → record the
submission, save autograded marks in the gradebook and the autograded notebook (learner markup
made inert) for the formgrader → feedback HTML without hidden tests → ``grades.csv``.
A submission flagged for review has its automatic marks held until a person confirms them.
Re-running is safe: unchanged submissions are not run again, manual marks are kept, a late
submission is simply added; one whose run failed for the grader's own reasons is not recorded,
so the next run tries it again.
"""

from __future__ import annotations

import copy
import os
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat
from traitlets.config import Config

from . import intake as intake_mod
from .course import Course, load_state, save_state
from .execute import Execution, run_many
from .gradebook import ensure_assignments, nbgrader_speedups, open_gradebook, source_cells
from .marking import MarkingPlan
from .progress import Progress
from .sandbox import Limits, plan_sandbox

__all__ = ["Course", "Report", "grade", "load_state"]


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
    not_graded: Path | None = None
    sandbox: str = ""
    seconds: float = 0.0


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
    """Restore locked and check cells from the gradebook, as nbgrader autograde does, in memory."""
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
    return nb, problems


def _unpreparable(sub: intake_mod.Submission, error: Exception) -> str:
    """Why a notebook could not be prepared, in words an assessor can act on."""
    fresh = f"ask the learner for their answers in a fresh copy of exercises/{sub.assignment}/{sub.notebook_name}.ipynb"
    if isinstance(error, KeyError) and error.args:
        return f"not graded: the exercise's cell {error.args[0]!s} is missing or was changed beyond repair; {fresh}"
    detail = str(error).splitlines()[0][:160] if str(error) else "no detail"
    return f"not graded: the notebook's structure is damaged and could not be repaired ({detail}); {fresh}"


def _record_submission(course: Course, sub: intake_mod.Submission) -> None:
    folder = course.folder("submitted") / sub.learner / sub.assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(sub.nb, folder / f"{sub.notebook_name}.ipynb")
    (folder / "timestamp.txt").write_text(sub.modified.strftime("%Y-%m-%d %H:%M:%S.%f %Z") + "\n")
    with open_gradebook(course) as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy's autoflush notes inside nbgrader; harmless
        gb.update_or_create_student(sub.learner)
        gb.update_or_create_submission(sub.assignment, sub.learner, timestamp=sub.modified.replace(tzinfo=None))


def _hold_for_review(course: Course, sub: intake_mod.Submission) -> None:
    """Mark every automatic grade of this submission as needing a person's look (formgrader shows
    them as needing manual grading; grades.csv leaves them out of the score until confirmed)."""
    with open_gradebook(course) as gb:
        submission = gb.find_submission_notebook(sub.notebook_name, sub.assignment, sub.learner)
        submission.flagged = True  # the formgrader lists flagged notebooks
        for grade in submission.grades:
            if grade.auto_score is not None and grade.cell.cell_type == "code":
                grade.needs_manual_grade = True
        gb.db.commit()


def _previous_submission(course: Course, sub: intake_mod.Submission) -> nbformat.NotebookNode | None:
    path = course.folder("submitted") / sub.learner / sub.assignment / f"{sub.notebook_name}.ipynb"
    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return None


def _answers(nb: nbformat.NotebookNode) -> dict[str, str]:
    """grade id -> the learner's text, for every answer cell."""
    return {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in nb.cells
        if c.get("metadata", {}).get("nbgrader", {}).get("solution") and "grade_id" in c.metadata["nbgrader"]
    }


def _answer_unchanged(previous, current, grade_id: str, cell_type: str) -> bool:
    """Did the answer behind this mark stay the same? A written answer is its own cell; an
    automatic mark rests on the code answers, all of which are compared."""
    if previous is None:
        return False
    before, after = _answers(previous), _answers(current)
    if cell_type == "markdown":
        return grade_id in before and before.get(grade_id) == after.get(grade_id)
    code = {gid for gid, text in after.items()} | set(before)
    return all(before.get(gid) == after.get(gid) for gid in code)


def _reconcile_manual_marks(course: Course, sub: intake_mod.Submission, previous) -> list[dict]:
    """After marking again: keep marks given by hand on answers that did not change (nbgrader
    would ask for them again), and set aside ("park") those whose answer changed, with their
    comments, so a stale mark never counts or reaches the learner. Returns what was parked."""
    parked: list[dict] = []
    with open_gradebook(course) as gb:
        notebook = gb.find_submission_notebook(sub.notebook_name, sub.assignment, sub.learner)
        comments = {c.name: c for c in notebook.comments}
        for grade in notebook.grades:
            comment = comments.get(grade.name)
            manual_comment = comment.manual_comment if comment is not None else None
            if grade.manual_score is None and not manual_comment:
                continue
            if _answer_unchanged(previous, sub.nb, grade.name, grade.cell.cell_type):
                grade.needs_manual_grade = grade.manual_score is None and grade.auto_score is None
                continue
            parked.append(
                {
                    "question": grade.name,
                    "score": grade.manual_score,
                    "max": grade.max_score,
                    "comment": manual_comment,
                    "automatic": grade.auto_score is not None,  # an override of an automatic mark
                }
            )
            grade.manual_score = None
            grade.needs_manual_grade = grade.auto_score is None
            if comment is not None:
                comment.manual_comment = None
        gb.db.commit()
    return parked


def _set_aside(item: dict) -> str:
    parts = []
    if item["score"] is not None:
        parts.append(f"the earlier mark {item['score']:g}/{item['max']:g}")
    if item["comment"]:
        parts.append("its comment")
    return " and ".join(parts) + " set aside"


def _late_note(sub: intake_mod.Submission, due: datetime | None) -> str | None:
    if due is None or sub.modified <= due:
        return None
    hours = (sub.modified - due).total_seconds() / 3600
    late = f"{hours:.0f} hours" if hours >= 1.5 else f"{hours * 60:.0f} minutes"
    saved = sub.modified.astimezone(due.tzinfo).strftime("%Y-%m-%d %H:%M %Z")
    return f"late: saved {saved}, {late} after the due time (the time is {sub.time_source})"


class KernelsWouldNotStart(RuntimeError):
    """No submission's kernel could start: a fault of this machine's set-up, not of the learners."""


def _save(course: Course, sub: intake_mod.Submission, marked: nbformat.NotebookNode, config: Config) -> None:
    from nbgrader.preprocessors import AssignLatePenalties, LimitOutput, SaveAutoGrades

    from .safety import SanitiseLearnerCells

    resources = _resources(course, sub.learner, sub.assignment, sub.notebook_name)
    nb, _ = _preprocess(
        [LimitOutput, SaveAutoGrades, AssignLatePenalties, SanitiseLearnerCells], marked, resources, config
    )
    folder = course.folder("autograded") / sub.learner / sub.assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{sub.notebook_name}.ipynb")
    stamp = course.folder("submitted") / sub.learner / sub.assignment / "timestamp.txt"
    (folder / "timestamp.txt").write_text(stamp.read_text())


@dataclass
class _Job:
    sub: intake_mod.Submission
    prepared: nbformat.NotebookNode
    plan: MarkingPlan
    kernel_nb: nbformat.NotebookNode
    places: dict
    problems: list[str]


def grade(
    submissions: Path,
    course: Course,
    limits: Limits | None = None,
    workers: int | None = None,
    allow_weak_sandbox: bool = False,
    regrade: bool = False,
    replace_changed: bool = False,
    due: datetime | None = None,
    say: Callable[[str], None] = print,
    progress_stream=None,
) -> Report:
    """Grade every submission under ``submissions``; see the module docstring."""
    started = time.monotonic()
    if due is not None and due.tzinfo is None:
        due = due.astimezone()  # a time without a zone is the assessor's local time
    with nbgrader_speedups():
        report = _grade(
            submissions,
            course,
            limits or Limits(),
            workers,
            allow_weak_sandbox,
            regrade,
            replace_changed,
            due,
            say,
            progress_stream,
        )
    report.seconds = time.monotonic() - started
    new = sum(g.status == "graded" for g in report.graded)
    kept = sum(g.status == "unchanged" for g in report.graded)
    failed = sum(g.status == "failed" for g in report.graded)
    say(
        f"==> Graded {new} submission(s), {kept} unchanged and kept"
        + (f", {failed} FAILED and not recorded (run again to retry)" if failed else "")
        + f", in {report.seconds:.1f} s"
    )
    say(f"    feedback: {course.folder('feedback')}/<learner>/<assignment>/ ({len(report.feedback)} file(s))")
    say(f"    grades:   {report.export}")
    if report.intake_problems:
        say(
            f"    not graded: {len(report.intake_problems)} file(s), each with the reason and what to do: {report.not_graded}"
        )
    again = [(g.learner, g.assignment, p) for g in report.graded for p in g.problems if p.startswith("mark again:")]
    if again:
        say(f"==> {len(again)} answer(s) changed after they were marked by hand; their marks were set aside:")
        for learner, assignment, problem in again:
            say(f"    {learner} / {assignment}: {problem.removeprefix('mark again: ')}")
    say(
        "==> To finish: mark the written reflections, and confirm any marks held for review, in nbgrader's "
        f"formgrader (run `jupyter lab` in {course.root}, then Nbgrader > Formgrader > Manual Grading), using the "
        "rubric shown above each answer; then run `dementia-housing feedback` and `dementia-housing export` to "
        "refresh feedback and grades.csv."
    )
    return report


def _grade(
    submissions, course, limits, workers, allow_weak_sandbox, regrade, replace_changed, due, say, progress_stream
):
    from .export import export_grades, export_not_graded
    from .feedback import FeedbackWriter, write_feedback
    from .safety import scan_learner_code

    workers = workers or os.cpu_count() or 1
    report = Report()
    course.prepare_work_area()
    say(f"==> Work area: {course.work}")
    older = course.root / ".grading"
    if (older / "gradebook.db").exists() and course.work != older.resolve():
        say(f"    ! an older work area with a gradebook is at {older}: to go on with it, add --work {older}")
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
        changed = ensure_assignments(course, assignments, replace_changed=replace_changed, say=say)
        config = course.config()
        state = load_state(course)
        plans = {
            a: {nb: MarkingPlan.from_cells(cells) for nb, cells in source_cells(course, a).items()} for a in assignments
        }

        todo: list[_Job] = []
        for sub in found.submissions:
            key = f"{sub.learner}/{sub.assignment}"
            autograded = course.folder("autograded") / sub.learner / sub.assignment / f"{sub.notebook_name}.ipynb"
            unchanged = state.get(key, {}).get("digest") == sub.digest and autograded.exists()
            if unchanged and not regrade and sub.assignment not in changed:
                state[key]["late"] = _late_note(sub, due)
                report.graded.append(Graded(sub.learner, sub.assignment, "unchanged", problems=state[key]["problems"]))
                continue
            try:
                prepared, problems = _prepare(course, sub, config)
            except Exception as error:  # noqa: BLE001 - one bad notebook must not stop the cohort
                reason = _unpreparable(sub, error)
                report.intake_problems.append((sub.source, reason))
                say(f"    ! {sub.source}: {reason}")
                continue
            marking = plans[sub.assignment][sub.notebook_name]
            kernel_nb, places = marking.kernel_copy(prepared)
            problems += [f"for review: {note}" for note in scan_learner_code(sub.nb)]
            todo.append(_Job(sub, prepared, marking, kernel_nb, places, problems))

        kept = [(g.learner, g.assignment) for g in report.graded]
        writer = FeedbackWriter(course, say) if todo else None
        bar = Progress(len(todo), "Autograding", progress_stream)

        not_started: list[str] = []

        def finish(index: int, execution: Execution) -> None:
            # Mark, record and write feedback for one submission while the other submissions'
            # kernels are still running (this process is mostly idle then).
            job = todo[index]
            sub = job.sub
            bar.step(sub.learner)
            if not execution.kernel_started:
                cause = "; ".join(execution.problems)
                not_started.append(cause)
                reason = f"its kernel could not be started, so nothing was marked or recorded ({cause})"
                report.graded.append(Graded(sub.learner, sub.assignment, "failed", execution.seconds, [reason]))
                return
            key = f"{sub.learner}/{sub.assignment}"
            try:
                marked, marking_problems = job.plan.mark(
                    job.prepared, execution.notebook, job.places, execution.executed
                )
                all_problems = job.problems + execution.problems + marking_problems
                previous = _previous_submission(course, sub)
                _record_submission(course, sub)
                _save(course, sub, marked, config)
                parked = _reconcile_manual_marks(course, sub, previous)
                if any(p.startswith("for review") for p in all_problems):
                    _hold_for_review(course, sub)
                    all_problems.append("for review: automatic marks held until a person confirms them")
            except Exception as error:  # noqa: BLE001 - one notebook must not stop the cohort
                reason = f"marks could not be saved, so nothing was recorded ({error})"
                report.graded.append(Graded(sub.learner, sub.assignment, "failed", execution.seconds, [reason]))
                return
            entry = state.get(key, {})
            mark_again = sorted({*entry.get("mark_again", []), *(p["question"] for p in parked if not p["automatic"])})
            for item in parked:
                if item["automatic"]:
                    all_problems.append(
                        f"{item['question']}: the answers changed since you overrode its mark, so the automatic "
                        f"mark stands again ({_set_aside(item)})"
                    )
                else:
                    all_problems.append(
                        f"mark again: {item['question']}, the answer changed since it was marked ({_set_aside(item)})"
                    )
            state[key] = {
                "digest": sub.digest,
                "problems": all_problems,
                "source": sub.source,
                "late": _late_note(sub, due),
                "mark_again": mark_again,
                "parked": entry.get("parked", [])
                + [{**p, "set_aside": time.strftime("%Y-%m-%d %H:%M")} for p in parked],
            }
            report.graded.append(Graded(sub.learner, sub.assignment, "graded", execution.seconds, all_problems))
            report.feedback.extend(writer.write(sub.learner, sub.assignment))

        run_many(
            [job.kernel_nb for job in todo],
            plan,
            limits,
            workers,
            on_done=finish,
            tags=[[tag for _, tag in job.places.values()] for job in todo],
        )
        save_state(course, state)
        if todo and len(not_started) == len(todo):
            raise KernelsWouldNotStart(
                f"no submission's kernel could start, so nothing was marked or recorded ({not_started[0]}). "
                "This is the machine's set-up, not the learners' work: check that bubblewrap works here "
                "(see the assessors' guide), then run the same command again."
            )

        for item in report.graded:
            for problem in item.problems:
                say(f"    * {item.learner} / {item.assignment}: {problem}")
        # unchanged submissions: feedback again, so marks given by hand since the last run show
        report.feedback += write_feedback(course, kept, progress_stream, say)
        report.export = export_grades(course)
        report.not_graded = export_not_graded(course, report.intake_problems)
    finally:
        intake_mod.cleanup()
    return report
