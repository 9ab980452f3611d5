"""Released exercises ask only what their chapters teach.

``data/exercise-map.json`` names, for every question of a mapped exercise, the chapter section
that teaches it and the words its answer rests on. Every published chapter must be mapped. The
test reads the released notebook (what learners get), so a new or renamed question that nobody
has mapped fails here.
"""

from __future__ import annotations

import json
import re

import pytest
from helpers import ROOT, source_of, toc_files

from dementia_housing.content import course_map

MAP = json.loads((ROOT / "data" / "exercise-map.json").read_text(encoding="utf-8"))
CHAPTERS = {name: entries for name, entries in MAP.items() if not name.startswith("_")}
MAPPED_FROM = 1  # every published chapter, from the first on, must be mapped


def question_ids(assignment: str) -> set[str]:
    """The graded questions of a released notebook: qN for qN-answer, and manually graded answers."""
    notebook = json.loads((ROOT / "exercises" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
    ids = set()
    for cell in notebook["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution"):
            ids.add(meta["grade_id"].removesuffix("-answer"))
    return ids


def section_text(chapter: str, heading: str) -> str:
    """A section of a chapter: its heading, down to the next heading of the same or a higher level."""
    lines = chapter.splitlines()
    starts = [i for i, line in enumerate(lines) if re.fullmatch(r"(#{2,4}) " + re.escape(heading), line)]
    assert len(starts) == 1, f"no single section headed {heading!r}"
    level = len(lines[starts[0]].split(" ", 1)[0])
    body = []
    for line in lines[starts[0] + 1 :]:
        marks = re.match(r"(#{1,6}) ", line)
        if marks and len(marks.group(1)) <= level:
            break
        body.append(line)
    return " ".join(" ".join(body).split())


def test_every_published_chapter_is_mapped():
    published = [e.split("/")[-1] for e in toc_files() if e in {f"book/{c.slug}" for c in course_map.CHAPTERS}]
    later = [name for name in published if int(name[2:4]) >= MAPPED_FROM]
    assert later, f"no chapter from {MAPPED_FROM} on is published yet"
    assert set(later) <= set(CHAPTERS), f"map the exercise questions of {sorted(set(later) - set(CHAPTERS))}"


@pytest.mark.parametrize("assignment", sorted(CHAPTERS))
def test_every_question_is_mapped_to_a_section_that_teaches_it(assignment):
    entries = CHAPTERS[assignment]
    assert set(entries) == question_ids(assignment), "the map and the released notebook list different questions"
    chapter = source_of(f"book/{assignment}").read_text(encoding="utf-8")
    for question, where in entries.items():
        text = section_text(chapter, where["section"]).lower()
        missing = [term for term in where["terms"] if term.lower() not in text]
        assert not missing, f"{question}: the section {where['section']!r} does not say {missing}"
