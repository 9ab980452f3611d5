"""The course as nbgrader sees it: folders, gradebook address and nbgrader's settings.

One function, :func:`nbgrader_settings`, holds the course's nbgrader configuration. The
repository's ``nbgrader_config.py`` calls it for stock nbgrader commands and the formgrader;
the course's own grading command calls it directly with the run's work area, so loading the
configuration never has side effects on a work area that is not in use.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config

from . import workarea

COURSE_ID = "dementia-housing"
STEPS = ("submitted", "autograded", "feedback", "solution")


def sqlite_url(work: Path) -> str:
    return f"sqlite:///{Path(work) / 'gradebook.db'}"


def nbgrader_settings(c: Config, root: Path, work: Path, db_url: str | None = None) -> Config:
    """Fill ``c`` with the course's nbgrader settings; the work area's folders hold learners' work."""
    from .safety import HideHiddenTests, SanitiseLearnerCells

    cd = c.CourseDirectory
    cd.root = str(root)
    cd.course_id = COURSE_ID
    cd.source_directory = "solutions"
    cd.release_directory = "exercises"
    for step in STEPS:
        setattr(cd, f"{step}_directory", str(Path(work) / step))
    cd.db_url = db_url or os.environ.get("DEMENTIA_HOUSING_DB_URL") or sqlite_url(work)
    # Friendly stubs where generate_assignment removes a solution.
    c.ClearSolutions.code_stub = {
        "python": (
            "# Your answer goes here: replace both lines of this cell with your answer, then run it.\n"
            'raise NotImplementedError("Not answered yet: replace this cell with your answer")'
        )
    }
    c.ClearSolutions.text_stub = "*Write your answer here, in your own words (double-click to type).*"
    # Stock `nbgrader autograde` / `generate_feedback`, if an assessor runs them directly, get
    # some of the course command's protections: learners' markup is made inert before anyone
    # sees it, and feedback never shows hidden tests. Prefer `dementia-housing grade`: it runs
    # each submission in a sandbox and marks answers outside the learner's kernel.
    c.Autograde.autograde_preprocessors = [
        "nbgrader.preprocessors.Execute",
        "nbgrader.preprocessors.IgnorePattern",
        "nbconvert.preprocessors.ClearMetadataPreprocessor",
        "nbgrader.preprocessors.LimitOutput",
        "nbgrader.preprocessors.SaveAutoGrades",
        "nbgrader.preprocessors.AssignLatePenalties",
        "nbgrader.preprocessors.CheckCellMetadata",
        SanitiseLearnerCells,
    ]
    # nbgrader's own feedback (the formgrader's "Generate Feedback" button, `nbgrader
    # generate_feedback`) writes the course's page: no MathJax from a CDN, no hidden tests,
    # learners' markup inert, the same as `dementia-housing feedback`.
    c.GenerateFeedback.exporter_class = "dementia_housing.grading.feedback.CourseFeedbackExporter"
    c.GenerateFeedback.preprocessors = [
        "dementia_housing.grading.feedback.CourseGrades",
        HideHiddenTests,
        SanitiseLearnerCells,
    ]
    # The formgrader looks for an exchange folder for releasing and collecting; the course does
    # not use one (learners send files), so it points at one in the work area.
    c.Exchange.root = str(Path(work) / "exchange")
    c.Exchange.path_includes_course = True
    return c


@dataclass
class Course:
    """Where things are: the course root, this run's work area and the gradebook."""

    root: Path
    work: Path
    db_url: str
    course_id: str = COURSE_ID

    @property
    def source(self) -> Path:
        return self.root / "solutions"

    @property
    def release(self) -> Path:
        return self.root / "exercises"

    def folder(self, step: str) -> Path:
        return self.work / step

    def config(self) -> Config:
        """nbgrader's configuration for this run (the gradebook's release copy kept in the work area)."""
        cfg = nbgrader_settings(Config(), self.root, self.work, self.db_url)
        cfg.CourseDirectory.release_directory = str(self.work / "release")  # exercises/ is left alone
        return cfg

    def prepare_work_area(self) -> None:
        workarea.mark(self.work)

    @classmethod
    def at(cls, root: Path, work: Path | None = None, db_url: str | None = None) -> Course:
        root = Path(root).resolve()
        work = Path(work).resolve() if work else workarea.default_work_area(root)
        if db_url is None:
            db_url = os.environ.get("DEMENTIA_HOUSING_DB_URL") or sqlite_url(work)
        return cls(root=root, work=work, db_url=db_url)


def _state_path(course: Course) -> Path:
    return course.work / "grading-state.json"


def load_state(course: Course) -> dict:
    """What the last runs marked: learner/assignment -> digest of the file marked, problems, source."""
    path = _state_path(course)
    return json.loads(path.read_text()) if path.exists() else {}


def save_state(course: Course, state: dict) -> None:
    _state_path(course).write_text(json.dumps(state, indent=1, sort_keys=True))
