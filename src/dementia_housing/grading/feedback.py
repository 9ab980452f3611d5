"""Feedback pages for learners: marks and comments, their own answers, no hidden tests.

Rendered with nbgrader's feedback template from the autograded notebook, after
:class:`~.safety.HideHiddenTests` and :class:`~.safety.SanitiseLearnerCells`. The MathJax
loader is left out (feedback needs no maths, and nothing should load from elsewhere), and every
page passes :func:`~.safety.check_feedback_html` before it is written.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from .course import Course
from .progress import Progress
from .safety import HideHiddenTests, SanitiseLearnerCells, UnsafeFeedback, active_content, check_feedback_html

_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL)


def _exporter(course: Course):
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import GetGrades

    cfg = course.config()
    # GenerateFeedback knows where nbgrader keeps its feedback template and styles.
    cfg.merge(GenerateFeedback(coursedir=CourseDirectory(config=cfg), config=cfg).config)
    exporter = HTMLExporter(config=cfg)
    for step in (GetGrades, HideHiddenTests, SanitiseLearnerCells, CSSHTMLHeaderPreprocessor):
        exporter.register_preprocessor(step(config=cfg), enabled=True)
    return exporter


def _render(exporter, nb, resources: dict) -> str:
    page, _ = exporter.from_notebook_node(nb, resources=resources)
    return _MATHJAX.sub("", page)


class FeedbackWriter:
    """Writes feedback pages one (learner, assignment) at a time, so the grader can write each as
    soon as its submission is marked, while other submissions are still running."""

    def __init__(self, course: Course, say=print) -> None:
        self.course, self.say = course, say
        self.exporter = _exporter(course)
        self.baselines: dict[str, object] = {}

    def write(self, learner: str, assignment: str) -> list[Path]:
        """Feedback for each autograded notebook of this learner and assignment.

        A page that fails the safety check is not written; the reason is reported and the rest go on.
        """
        course, written = self.course, []
        folder = course.folder("autograded") / learner / assignment
        for path in sorted(folder.glob("*.ipynb")):
            resources = {
                "nbgrader": {
                    "student": learner,
                    "assignment": assignment,
                    "notebook": path.stem,
                    "db_url": course.db_url,
                },
                "metadata": {"path": str(folder)},
            }
            page = _render(self.exporter, nbformat.read(path, as_version=4), resources)
            if assignment not in self.baselines:
                self.baselines[assignment] = active_content(page.split('<div id="notebook"', 1)[0])
            try:
                check_feedback_html(page, self.baselines[assignment])
            except UnsafeFeedback as error:
                self.say(f"    ! {learner} / {assignment}: {error}; no feedback written for this notebook")
                continue
            out = course.folder("feedback") / learner / assignment / f"{path.stem}.html"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(page, encoding="utf-8")
            written.append(out)
        return written


def write_feedback(course: Course, items: list[tuple[str, str]], progress_stream=None, say=print) -> list[Path]:
    """Write feedback HTML for each (learner, assignment) that has an autograded notebook."""
    if not items:
        return []
    writer = FeedbackWriter(course, say)
    written: list[Path] = []
    bar = Progress(len(items), "Feedback   ", progress_stream)
    for learner, assignment in items:
        written += writer.write(learner, assignment)
        bar.step(learner)
    return written
