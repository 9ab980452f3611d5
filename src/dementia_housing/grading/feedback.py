"""Feedback pages a learner can read: their answers, a plain mark and reason per question.

The page is the course's own, not nbgrader's notebook template: no code prompts ("In [3]:"),
no "Test cell" or "Grade cell: q1-check", no tracebacks, no check code. Each question shows
its marks in words ("1 of 1 mark", "0 of 1 mark: this is not the best answer"), a written
answer shows "not marked yet" until an assessor marks it, and a mark held for review says so.
Learners' text is made inert first (:class:`~.safety.SanitiseLearnerCells`), hidden tests are
removed (:class:`~.safety.HideHiddenTests`), the page loads nothing (no MathJax, no script)
and every page passes :func:`~.safety.check_feedback_html` before it is written.

:class:`CourseFeedbackExporter` is also what nbgrader's own "Generate Feedback" (the formgrader
button, ``nbgrader generate_feedback``) uses, through ``course.nbgrader_settings``, so both
routes write the same safe page.
"""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbgrader.preprocessors import GetGrades

from .course import Course
from .gradebook import HELD, PENDING, mark_status
from .progress import Progress
from .safety import HideHiddenTests, SanitiseLearnerCells, UnsafeFeedback, active_content, check_feedback_html

_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; color: #1b1b1b; max-width: 46rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; } h3 { font-size: 1.1rem; }
pre, code { font: 0.95em/1.4 ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
pre { background: #f3f3f3; padding: 0.5rem; }
table { border-collapse: collapse; margin: 0.5rem 0; } th, td { border: 1px solid #999; padding: 0.25rem 0.6rem; }
.mark { border-left: 0.35rem solid #777; padding: 0.3rem 0.7rem; background: #f7f7f7; overflow-wrap: anywhere; }
.mark.full { border-color: #1d7a34; } .mark.none { border-color: #b3261e; } .mark.waiting { border-color: #8a6d00; }
.answer { border: 1px solid #bbb; padding: 0.5rem 0.8rem; margin: 0.5rem 0; overflow-wrap: anywhere; }
.comment { background: #eef4fb; padding: 0.4rem 0.8rem; }
@media print { body { max-width: none; } }
"""


class CourseGrades(GetGrades):
    """nbgrader's GetGrades, also noting which marks still wait for a person."""

    def _get_score(self, cell, resources) -> None:
        super()._get_score(cell, resources)
        grade = self.gradebook.find_grade(
            cell.metadata["nbgrader"]["grade_id"], self.notebook_id, self.assignment_id, self.student_id
        )
        status = mark_status(grade)
        cell.metadata.nbgrader["waiting"] = status == PENDING
        cell.metadata.nbgrader["held"] = status == HELD


def _comment(meta) -> str:
    """The assessor's comment, or nbgrader's automatic note on an answer left as it was released."""
    text = meta.get("comment")
    if not text:
        return ""
    if text == "No response.":
        return '<p class="comment">You did not answer this question.</p>'
    return f'<p class="comment">Comment from your assessor: {html.escape(text)}</p>'


def _number(value) -> str:
    return f"{float(value or 0):g}"


def _marks(score, points) -> str:
    return f"{_number(score)} of {_number(points)} mark{'' if float(points or 0) == 1 else 's'}"


def _reason(cell) -> str:
    """Why a check gave no marks, in the words of its message (never a traceback)."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            text = str(output.get("evalue", "")).strip()
            if output.get("ename") in ("AssertionError", "NoAnswer", "AnswerNotPlain", "AnswerNotRead", "NotRun"):
                return text or "the answer is not right"
            if output.get("ename") == "CellTimeoutError":
                return "your notebook ran for too long at this point and was stopped"
            if output.get("ename") == "KernelStopped":
                return "your notebook stopped here (it may have used too much memory)"
            return "the answer could not be checked in the form it was given"
    return "the answer is not right"


def _markdown(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", markdown2html_mistune(text))


# The notebook's own how-to (running cells in Jupyter) means nothing on a feedback page.
_NOT_SHOWN = {"intro", "setup-intro", "outro"}


def _label(heading: str | None, grade_id: str, summary: list) -> str:
    """The question's own heading ("Question 2 (1 mark)"), with a part number when it has several checks."""
    label = heading or grade_id
    same = sum(1 for seen, _, _ in summary if seen == label or seen.startswith(f"{label}, part "))
    if same:
        if same == 1:
            first = next(i for i, item in enumerate(summary) if item[0] == label)
            summary[first] = (f"{label}, part 1", *summary[first][1:])
        return f"{label}, part {same + 1}"
    return label


def render_feedback(nb, resources: dict) -> str:
    """The learner's feedback page for one notebook (after CourseGrades and the safety steps)."""
    info = resources.get("nbgrader", {})
    title, heading = info.get("notebook", "Exercise"), None
    body: list[str] = []
    summary: list[tuple[str, str, str]] = []  # (label, marks in words, css class)
    waiting_points = 0.0
    counted = 0.0  # marks that count now (not waiting for a person)
    held_any = False
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id", "")
        if cell.cell_type == "markdown" and not meta.get("solution"):
            found = re.findall(r"^#{1,3}\s+(.+)$", cell.source, flags=re.MULTILINE)
            if found:
                heading = found[-1].strip()
                if cell.source.lstrip().startswith("# "):
                    title = found[0].removeprefix("Exercise:").strip() or title
            if grade_id not in _NOT_SHOWN:
                body.append(_markdown(cell.source))
            continue
        if cell.cell_type == "code" and meta.get("solution"):
            body.append(f'<div class="answer"><p><strong>Your answer</strong></p><pre>{html.escape(cell.source)}</pre>')
            body.append(_comment(meta) + "</div>")
            continue
        if cell.cell_type == "markdown" and meta.get("solution"):  # a written answer
            body.append(f'<div class="answer"><p><strong>Your written answer</strong></p>{_markdown(cell.source)}')
            if meta.get("grade"):
                label = _label(heading, grade_id, summary)
                if meta.get("waiting"):
                    waiting_points += float(meta.get("points") or 0)
                    line, kind = f"not marked yet ({_number(meta.get('points'))} marks)", "waiting"
                else:
                    line = _marks(meta.get("score"), meta.get("points"))
                    counted += float(meta.get("score") or 0)
                    kind = "full" if float(meta.get("score") or 0) >= float(meta.get("points") or 0) else "none"
                summary.append((label, line, kind))
                body.append(f'<p class="mark {kind}">Marks: {html.escape(line)}</p>')
            body.append(_comment(meta) + "</div>")
            continue
        if cell.cell_type == "code" and meta.get("grade"):  # a check: its mark, never its code
            label = _label(heading, grade_id, summary)
            score, points = float(meta.get("score") or 0), float(meta.get("points") or 0)
            if meta.get("held") or meta.get("waiting"):
                held_any = True
                line, kind = f"{_marks(score, points)}, being checked by your assessor", "waiting"
                if score < points:
                    line += f": {_reason(cell)}"
            elif score >= points:
                line, kind = _marks(score, points), "full"
                counted += score
            else:
                line, kind = f"{_marks(score, points)}: {_reason(cell)}", "none"
                counted += score
            summary.append((label, line, kind))
            body.append(
                f'<p class="mark {kind}" id="{html.escape(grade_id)}">Marks for this question: {html.escape(line)}</p>'
            )
    total = counted - float(info.get("late_penalty") or 0)
    top = info.get("max_score", 0)
    head = [f"<h1>Your feedback: {html.escape(title)}</h1>"]
    if info.get("student"):
        head.append(f"<p>For {html.escape(str(info['student']))}.</p>")
    head.append(f"<p><strong>Marks so far: {_number(total)} of {_number(top)}.</strong></p>")
    if waiting_points:
        head.append(f"<p>Your written answer has not been marked yet ({_number(waiting_points)} marks to come).</p>")
    if held_any:
        head.append("<p>Some marks are being checked by your assessor and are not counted yet.</p>")
    if float(info.get("late_penalty") or 0) > 0:
        head.append(f"<p>Late submission: {_number(info['late_penalty'])} marks taken off.</p>")
    head.append(
        "<ol>"
        + "".join(
            f'<li>{html.escape(label)}: <span class="{kind}">{html.escape(line)}</span></li>'
            for label, line, kind in summary
        )
        + "</ol>"
    )
    head.append("<h2>Your answers</h2>")
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Feedback: {html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(head + body)
        + "\n</main>\n</body>\n</html>\n"
    )


class CourseFeedbackExporter(HTMLExporter):
    """An HTML exporter that writes the course's feedback page instead of a notebook page."""

    def from_notebook_node(self, nb, resources=None, **kw):
        nb_copy = copy.deepcopy(nb)
        resources = self._init_resources(resources)
        nb_copy, resources = self._preprocess(nb_copy, resources)
        page = render_feedback(nb_copy, resources)
        check_feedback_html(page, active_content(""))
        return page, resources


FEEDBACK_STEPS = (CourseGrades, HideHiddenTests, SanitiseLearnerCells)


def _exporter(course: Course) -> CourseFeedbackExporter:
    cfg = course.config()
    exporter = CourseFeedbackExporter(config=cfg)
    for step in FEEDBACK_STEPS:
        exporter.register_preprocessor(step(config=cfg), enabled=True)
    return exporter


class FeedbackWriter:
    """Writes feedback pages one (learner, assignment) at a time, so the grader can write each as
    soon as its submission is marked, while other submissions are still running."""

    def __init__(self, course: Course, say=print) -> None:
        self.course, self.say = course, say
        self.exporter = _exporter(course)

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
            try:
                page, _ = self.exporter.from_notebook_node(nbformat.read(path, as_version=4), resources=resources)
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
