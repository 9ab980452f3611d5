"""grades.csv: one row per learner and assignment, from the gradebook (so manual marks count).

A mark that waits for a person (a reflection not marked yet, or automatic marks held for
review) shows as ``pending`` or ``held:<mark>`` and is left out of ``score`` until confirmed.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .course import Course, load_state
from .gradebook import open_gradebook

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
    with open_gradebook(course) as gb:
        for assignment in sorted(gb.assignments, key=lambda a: a.name):
            for submission in sorted(assignment.submissions, key=lambda s: s.student.id):
                parts, score = [], 0.0
                for notebook in sorted(submission.notebooks, key=lambda n: n.name):
                    for grade in notebook.grades:
                        if not grade.needs_manual_grade:
                            mark = _number(grade.score)
                            score += grade.score or 0.0
                        elif grade.auto_score is not None and grade.manual_score is None:
                            mark = f"held:{_number(grade.auto_score)}"
                        else:
                            mark = "pending"
                        parts.append(f"{grade.name}={mark}/{_number(grade.max_score)}")
                learner = submission.student.id
                problems = state.get(f"{learner}/{assignment.name}", {}).get("problems", [])
                rows.append(
                    {
                        "learner": learner,
                        "assignment": assignment.name,
                        "score": _number(score),
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
