"""grades.csv: one row per learner and assignment, from the gradebook (so manual marks count)."""

from __future__ import annotations

import csv
from pathlib import Path

from .pipeline import Course, _gradebook, load_state

COLUMNS = [
    "learner",
    "assignment",
    "score",
    "max_score",
    "needs_manual_grading",
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
    with _gradebook(course) as gb:
        for assignment in sorted(gb.assignments, key=lambda a: a.name):
            for submission in sorted(assignment.submissions, key=lambda s: s.student.id):
                parts = []
                for notebook in sorted(submission.notebooks, key=lambda n: n.name):
                    for grade in notebook.grades:
                        mark = "pending" if grade.needs_manual_grade else _number(grade.score)
                        parts.append(f"{grade.name}={mark}/{_number(grade.max_score)}")
                learner = submission.student.id
                problems = state.get(f"{learner}/{assignment.name}", {}).get("problems", [])
                rows.append(
                    {
                        "learner": learner,
                        "assignment": assignment.name,
                        "score": _number(submission.score),
                        "max_score": _number(submission.max_score),
                        "needs_manual_grading": "yes" if submission.needs_manual_grade else "no",
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
