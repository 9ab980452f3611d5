"""Moderation notes: what assessors say to each other about a mark, never shown to the learner.

Comments typed in the formgrader go into the learner's feedback. A note about the marking
itself (a second marker's view, why a mark changed, what was sampled) goes here instead:
``moderation.csv`` in the work area, one row per note. Neither the feedback pages nor
``grades.csv`` read it.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from .course import Course

COLUMNS = ["when", "by", "learner", "assignment", "note"]


def notes_path(course: Course) -> Path:
    return course.work / "moderation.csv"


def add_note(course: Course, learner: str, assignment: str, note: str, by: str = "") -> Path:
    """Append one note; the file is created with its header the first time."""
    if not note.strip():
        raise ValueError("the note is empty: say what was checked or why a mark changed")
    course.prepare_work_area()
    path = notes_path(course)
    new = not path.exists()
    with open(path, "a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        if new:
            writer.writerow(COLUMNS)
        writer.writerow([datetime.now().strftime("%Y-%m-%d %H:%M"), by, learner, assignment, note.strip()])
    return path


def read_notes(course: Course) -> list[dict[str, str]]:
    path = notes_path(course)
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
