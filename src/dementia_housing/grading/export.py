"""grades.csv: one row per learner and assignment, from the gradebook (so manual marks count).

A mark that waits for a person (a reflection not marked yet, or automatic marks held for
review) shows as ``pending`` or ``held:<mark>`` and is left out of ``score`` until confirmed.
``mark_again`` lists answers that changed after they were marked by hand (their old marks were
set aside); ``problems`` includes the late note when ``--due`` was given.

not-graded.csv: every file set aside, with the reason and what to do.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .course import Course, load_state
from .gradebook import COUNTED, HELD, mark_status, open_gradebook

COLUMNS = [
    "learner",
    "assignment",
    "score",
    "max_score",
    "needs_manual_grading",
    "mark_again",
    "per_question",
    "submitted_at",
    "problems",
]


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


def grade_rows(course: Course) -> list[dict[str, str]]:
    """Every submission in the gradebook, with its marks question by question."""
    state = load_state(course)
    rows = []
    with open_gradebook(course) as gb:
        for assignment in sorted(gb.assignments, key=lambda a: a.name):
            for submission in sorted(assignment.submissions, key=lambda s: s.student.id):
                parts, score, waiting = [], 0.0, set()
                for notebook in sorted(submission.notebooks, key=lambda n: n.name):
                    for grade in notebook.grades:
                        status = mark_status(grade)
                        if status == COUNTED:
                            mark = _number(grade.score)
                            score += grade.score or 0.0
                        else:
                            waiting.add(grade.name)
                            mark = f"held:{_number(grade.auto_score)}" if status == HELD else "pending"
                        parts.append(f"{grade.name}={mark}/{_number(grade.max_score)}")
                learner = submission.student.id
                entry = state.get(f"{learner}/{assignment.name}", {})
                problems = entry.get("problems", []) + ([entry["late"]] if entry.get("late") else [])
                mark_again = [question for question in entry.get("mark_again", []) if question in waiting]
                rows.append(
                    {
                        "learner": learner,
                        "assignment": assignment.name,
                        "score": _number(score),
                        "max_score": _number(submission.max_score),
                        "needs_manual_grading": "yes" if submission.needs_manual_grade else "no",
                        "mark_again": "; ".join(mark_again),
                        "per_question": "; ".join(parts),
                        "submitted_at": submission.timestamp.isoformat(sep=" ") if submission.timestamp else "",
                        "problems": "; ".join(problems),
                    }
                )
    return rows


def export_grades(course: Course, path: Path | None = None) -> Path:
    path = path or course.work / "grades.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(grade_rows(course))
    return path


NOT_GRADED_COLUMNS = ["file", "reason", "what_to_do"]


def export_not_graded(course: Course, problems: list[tuple[str, str]], path: Path | None = None) -> Path:
    """Write the files that were not graded, with the reason and the advice for each."""
    from .intake import advice

    path = path or course.work / "not-graded.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(NOT_GRADED_COLUMNS)
        for name, reason in problems:
            writer.writerow([name, reason, advice(reason)])
    return path
