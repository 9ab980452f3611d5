"""Six invented learners' hand-ins, sent the ways real cohorts send them (tests and the closing note).

asha and ben: model answers to ch05, in a zip of a folder as Windows and macOS make one, with
macOS's __MACOSX/ entries; cara: ch02 named cara_doyle_..., marked, then resubmitted as
"Cara Doyle_..." with a rewritten reflection; dev: ch02 with answers in everyday forms ("B.",
"a", "D - agree…", " b " and a bare C without quotes); eli: ch05 with a number written as
text, a fraction and a whole number written as 2008.0; fay: ch02 model answers in a zip inside
a zip. Run as a script to grade the cohort and print each learner's marks:
``python tests/handin_cohort.py WORK``.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import nbformat
from grading_helpers import CH02_RIGHT, answer_cells, answered, save

CH05 = "ch05-evidence"
CH02 = "ch02-understanding"
REFLECTION_V1 = "I would ring her and visit about the rent change only, then leave a short note of what we agreed."
REFLECTION_V2 = (
    "I would ring at a time she prefers and visit with one topic, face to face, one question at a time. "
    "Afterwards I would leave a large-print note with the new amount and my number, and record what helped."
)


def _letter(grade_id: str) -> str:
    return CH02_RIGHT[grade_id].split('"')[1]


def everyday_ch02() -> dict[str, str]:
    """dev's answers: every one right, in the forms people type."""
    return {
        "q1-answer": f'answer_q1 = "{_letter("q1-answer")}."',
        "q2-answer": f'answer_q2 = "{_letter("q2-answer").lower()}"',
        "q3-answer": f'answer_q3 = "{_letter("q3-answer")} - agree a time with her"',
        "q4-answer": f"answer_q4 = {_letter('q4-answer')}",  # no quotes: Python reads a name
        "q5-answer": f'answer_q5 = " {_letter("q5-answer").lower()} "',
    }


def everyday_ch05() -> dict[str, str]:
    """eli's answers: right, as text, as a fraction and as a float that is a whole number."""
    model = answer_cells(CH05)
    return {
        "q1-answer": model["q1-answer"] + "\ntimes_the_cost = str(times_the_cost)",
        "q2-answer": "from fractions import Fraction\nsaving_per_pound = Fraction(56000, 25000)",
        "q3-answer": model["q3-answer"] + "\noldest_money_year = float(oldest_money_year)",
        "q4-answer": model["q4-answer"].replace('"B"', '"B."'),
        "q5-answer": model["q5-answer"],
    }


def _model(assignment: str) -> nbformat.NotebookNode:
    return answered(assignment, answer_cells(assignment))


def first_handin(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(folder / "cohort-nov.zip", "w") as archive:
        archive.writestr("cohort-nov/", "")
        for learner in ("asha", "ben"):
            archive.writestr(f"cohort-nov/{learner}_{CH05}.ipynb", nbformat.writes(_model(CH05)))
            archive.writestr(f"__MACOSX/cohort-nov/._{learner}_{CH05}.ipynb", b"\x00\x05\x16\x07 resource fork")
    save(answered(CH02, {**CH02_RIGHT, "reflection-communicating": REFLECTION_V1}), folder / f"cara_doyle_{CH02}.ipynb")
    save(answered(CH02, everyday_ch02()), folder / f"dev_{CH02}.ipynb")
    save(answered(CH05, everyday_ch05()), folder / f"eli_{CH05}.ipynb")
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr(f"fay_{CH02}.ipynb", nbformat.writes(_model(CH02)))
    with zipfile.ZipFile(folder / "late-batch.zip", "w") as archive:
        archive.writestr("late-batch/fay.zip", inner.getvalue())


def mark_reflection(course, learner: str, score: float, comment: str) -> None:
    """What an assessor does in the formgrader: a manual mark and a comment on the reflection."""
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.course_id) as gb:
        notebook = gb.find_submission_notebook(CH02, CH02, learner)
        grade = next(g for g in notebook.grades if g.name == "reflection-communicating")
        grade.manual_score, grade.needs_manual_grade = score, False
        note = next(c for c in notebook.comments if c.name == "reflection-communicating")
        note.manual_comment = comment
        gb.db.commit()


def resubmit(folder: Path) -> None:
    """cara sends a rewritten reflection, under her full name, replacing the first file."""
    (folder / f"cara_doyle_{CH02}.ipynb").unlink()
    save(answered(CH02, {**CH02_RIGHT, "reflection-communicating": REFLECTION_V2}), folder / f"Cara Doyle_{CH02}.ipynb")


def main(work: Path) -> None:
    import csv

    sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
    from dementia_housing.grading.pipeline import Course, grade

    root = Path(__file__).resolve().parents[1]
    course = Course.at(root, work=work / "work")
    subs = work / "incoming"
    first_handin(subs)
    grade(subs, course, say=lambda line: None)
    with open(course.work / "grades.csv", newline="") as handle:
        learners = {row["learner"] for row in csv.DictReader(handle)}
    cara = next((name for name in learners if name.startswith("cara")), None)
    if cara:
        mark_reflection(course, cara, 3.0, "A good plan; add what you would record afterwards.")
    resubmit(subs)
    grade(subs, course, say=lambda line: None)
    with open(course.work / "grades.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        print(
            f"{row['learner']:12} {row['assignment']:20} {row['score']:>4}/{row['max_score']:<3} {row['per_question']}"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
