"""Real hand-ins get the right marks: zips, resubmissions, everyday answer forms, failed runs."""

from __future__ import annotations

import csv
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import handin_cohort as cohort
import nbformat
import pytest
from grading_helpers import CH02_RIGHT, ROOT, answer_cells, answered, check_points, ensure_bubblewrap, save

from dementia_housing.grading.course import Course
from dementia_housing.grading.export import export_grades
from dementia_housing.grading.intake import collect, learner_id
from dementia_housing.grading.marking import Form, normalise, number_from_text
from dementia_housing.grading.pipeline import KernelsWouldNotStart, grade
from dementia_housing.grading.sandbox import Limits

pytestmark = pytest.mark.grading
LIMITS = Limits(cell_seconds=10, total_seconds=60)
CH02, CH05 = cohort.CH02, cohort.CH05


def _rows(course: Course) -> dict[tuple[str, str], dict[str, str]]:
    with open(course.work / "grades.csv", newline="") as handle:
        return {(r["learner"], r["assignment"]): r for r in csv.DictReader(handle)}


def _auto(row: dict[str, str]) -> float:
    parts = (p.split("=") for p in row["per_question"].split("; "))
    return sum(float(mark.split("/")[0].removeprefix("held:")) for name, mark in parts if "reflection" not in name)


# --- intake: whose work, from zips of every shape (fast) ---------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("cara_doyle", "cara-doyle"),
        ("Cara Doyle", "cara-doyle"),
        ("cara.doyle", "cara-doyle"),
        ("Zoë Ñúñez", "zoe-nunez"),
        ("Siobhán O'Neill", "siobhan-oneill"),
        ("Siobhan O'Neill", "siobhan-oneill"),
        ("王芳", "王芳"),
        ("Nguyễn Thị", "nguyen-thi"),
        ("../../etc/passwd", "etc-passwd"),
        ("=HYPERLINK(x)", "hyperlink-x"),
    ],
)
def test_learner_names_become_one_readable_id(raw, expected):
    assert learner_id(raw) == expected


def _zip(path: Path, members: dict[str, bytes | str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _nb(assignment: str = CH05) -> str:
    return nbformat.writes(answered(assignment, answer_cells(assignment)))


@pytest.mark.parametrize(
    "members",
    [
        {f"asha_{CH05}.ipynb": _nb(), f"ben_{CH05}.ipynb": _nb()},  # flat
        {"cohort-nov/": "", f"cohort-nov/asha_{CH05}.ipynb": _nb(), f"cohort-nov/ben_{CH05}.ipynb": _nb()},
        {
            f"cohort-nov/asha_{CH05}.ipynb": _nb(),
            f"cohort-nov/ben_{CH05}.ipynb": _nb(),
            f"__MACOSX/cohort-nov/._asha_{CH05}.ipynb": b"\x00\x05\x16\x07",
            "cohort-nov/.DS_Store": b"\x00\x00",
        },
        {f"cohort-nov/asha/{CH05}.ipynb": _nb(), f"cohort-nov/ben/{CH05}/{CH05}.ipynb": _nb()},  # folders inside
    ],
    ids=["flat", "wrapped-in-a-folder", "macos-extras", "learner-folders-in-a-wrapper"],
)
def test_a_zip_of_any_shape_gives_each_learner_their_own_work(tmp_path, members):
    found = collect(_zip(tmp_path / "cohort-nov.zip", members), ROOT / "solutions")
    assert {(s.learner, s.assignment) for s in found.submissions} == {("asha", CH05), ("ben", CH05)}
    assert found.problems == []


def test_zips_inside_zips_and_a_learners_own_zipped_folder(tmp_path):
    inner = tmp_path / "inner.zip"
    _zip(inner, {f"fay_{CH02}.ipynb": _nb(CH02)})
    _zip(tmp_path / "subs" / "late-batch.zip", {"late-batch/fay.zip": inner.read_bytes()})
    _zip(tmp_path / "subs" / "gus.zip", {f"gus-hart/{CH02}.ipynb": _nb(CH02)})  # a learner zipped their folder
    found = collect(tmp_path / "subs", ROOT / "solutions")
    assert {(s.learner, s.assignment) for s in found.submissions} == {("fay", CH02), ("gus-hart", CH02)}
    fay = next(s for s in found.submissions if s.learner == "fay")
    assert fay.time_source == "the date stored in the zip file"


# --- answers in everyday forms (fast) ----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "form", "expected"),
    [
        ("D.", Form("letter", "ABCD"), "D"),
        ("C - self-assessment", Form("letter", "ABCD"), "C"),
        (" b ", Form("letter", "ABCD"), "B"),
        ("(a)", Form("letter", "ABCD"), "A"),
        ("A or B", Form("letter", "ABCD"), "A or B"),  # two answers are not one
        ("Assessment", Form("letter", "ABCD"), "Assessment"),
        ("0.75", Form("number"), 0.75),
        ("1,234", Form("number"), 1234),
        ("4,78", Form("number"), 4.78),
        ("£3", Form("number"), "£3"),
        (3.0, Form("whole"), 3),
        ("2008", Form("whole"), 2008),
        (3.5, Form("whole"), 3.5),
        (True, Form("number"), True),  # still refused by the check: True is not a number
    ],
)
def test_everyday_answer_forms_are_read_as_meant(value, form, expected):
    result = normalise(value, form)
    assert result == expected and type(result) is type(expected)


def test_text_that_is_not_a_number_stays_text():
    for text in ("1; import os", "NaN", "inf", "1e999", "", "1,2,3"):
        assert number_from_text(text) is None


# --- a whole cohort as it arrives, graded twice (slow) -----------------------------------


@pytest.fixture(scope="module")
def handins(tmp_path_factory):
    ensure_bubblewrap()
    base = tmp_path_factory.mktemp("handins")
    course = Course.at(ROOT, work=base / "work")
    subs = base / "incoming"
    cohort.first_handin(subs)
    (subs / "notes.docx").write_text("not a notebook")
    first = grade(subs, course, limits=LIMITS, say=lambda line: None)
    before = _rows(course)
    cohort.mark_reflection(course, "cara-doyle", 3.0, "A good plan; add what you would record afterwards.")
    export_grades(course)  # as `dementia-housing export` after marking in the formgrader
    marked = _rows(course)
    cohort.resubmit(subs)
    lines: list[str] = []
    second = grade(subs, course, limits=LIMITS, say=lines.append)
    return course, subs, first, second, before, marked, lines


def test_every_learner_in_zips_is_found_and_marked(handins):
    course, *_ = handins
    rows = _rows(course)
    full05 = sum(check_points(CH05).values())
    for learner in ("asha", "ben"):  # one zip of a folder, with __MACOSX entries
        assert _auto(rows[(learner, CH05)]) == full05
    assert _auto(rows[("fay", CH02)]) == sum(check_points(CH02).values())  # a zip inside a zip
    assert not any(learner.startswith(("cohort", "late-batch")) for learner, _ in rows)


def test_answers_in_everyday_forms_get_their_marks(handins):
    course, *_ = handins
    rows = _rows(course)
    assert _auto(rows[("eli", CH05)]) == sum(check_points(CH05).values())  # "4.7775", Fraction, 2008.0, "B."
    dev = rows[("dev", CH02)]
    points = check_points(CH02)
    assert _auto(dev) == sum(points.values()) - points["q4-check"]  # all but the bare C
    assert "answer_q4 looks like the letter C written without quotes" in dev["problems"]
    assert dev["needs_manual_grading"] == "yes" and "q4-check=held:0/1" in dev["per_question"]
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.course_id) as gb:  # the formgrader's "Flagged?" column
        assert gb.find_submission_notebook(CH02, CH02, "dev").flagged
        assert not gb.find_submission_notebook(CH02, CH02, "fay").flagged


def test_a_changed_resubmission_parks_its_old_manual_mark(handins):
    course, _, _, second, _, marked, lines = handins
    assert "reflection-communicating=3/4" in marked[("cara-doyle", CH02)]["per_question"]
    row = _rows(course)[("cara-doyle", CH02)]
    assert "reflection-communicating=pending/4" in row["per_question"]
    assert float(row["score"]) == sum(check_points(CH02).values())  # the stale 3 is not counted
    assert row["mark_again"] == "reflection-communicating"
    assert "earlier mark 3/4 and its comment set aside" in row["problems"]
    assert any("changed after they were marked by hand" in line for line in lines)
    feedback = (course.folder("feedback") / "cara-doyle" / CH02 / f"{CH02}.html").read_text()
    assert "add what you would record afterwards" not in feedback  # the old advice is not sent
    assert [g.status for g in second.graded if g.learner == "cara-doyle"] == ["graded"]


def test_manual_marks_on_unchanged_answers_survive_a_regrade(tmp_path):
    ensure_bubblewrap()
    course = Course.at(ROOT, work=tmp_path / "work")
    subs = tmp_path / "subs"
    save(answered(CH02, {**CH02_RIGHT, "reflection-communicating": cohort.REFLECTION_V1}), subs / f"kim_{CH02}.ipynb")
    grade(subs, course, limits=LIMITS, say=lambda line: None)
    cohort.mark_reflection(course, "kim", 2.0, "Say why each step helps.")
    grade(subs, course, limits=LIMITS, regrade=True, say=lambda line: None)
    row = _rows(course)[("kim", CH02)]
    assert "reflection-communicating=2/4" in row["per_question"] and row["mark_again"] == ""
    assert row["needs_manual_grading"] == "no"


def test_files_not_graded_are_listed_with_what_to_do(handins):
    course, *_ = handins
    with open(course.work / "not-graded.csv", newline="") as handle:
        rows = {r["file"]: r for r in csv.DictReader(handle)}
    assert "not a notebook" in rows["notes.docx"]["reason"]
    assert ".ipynb file itself" in rows["notes.docx"]["what_to_do"]


def test_a_zip_given_directly_is_marked_in_the_sandbox(tmp_path):
    ensure_bubblewrap()
    course = Course.at(ROOT, work=tmp_path / "work")
    archive = _zip(
        tmp_path / "cohort-nov.zip", {f"cohort-nov/asha_{CH05}.ipynb": _nb(), f"cohort-nov/ben_{CH05}.ipynb": _nb()}
    )
    report = grade(archive, course, limits=LIMITS, say=lambda line: None)
    assert {g.status for g in report.graded} == {"graded"}
    rows = _rows(course)
    assert {learner for learner, _ in rows} == {"asha", "ben"}
    assert all(_auto(row) == sum(check_points(CH05).values()) for row in rows.values())


def test_kernels_that_cannot_start_stop_the_run_and_record_nothing(tmp_path):
    ensure_bubblewrap()
    course = Course.at(ROOT, work=tmp_path / "work")
    subs = tmp_path / "subs"
    save(answered(CH02, CH02_RIGHT), subs / f"sam_{CH02}.ipynb")
    starved = Limits(cell_seconds=10, total_seconds=30, memory_bytes=40 * 1024**2, startup_seconds=20)
    with pytest.raises(KernelsWouldNotStart, match="nothing was marked or recorded"):
        grade(subs, course, limits=starved, say=lambda line: None)
    assert not (course.folder("submitted") / "sam").exists()
    report = grade(subs, course, limits=LIMITS, say=lambda line: None)  # the next run tries again
    assert [g.status for g in report.graded] == ["graded"]
    assert _auto(_rows(course)[("sam", CH02)]) == sum(check_points(CH02).values())


def test_work_after_the_due_time_is_noted_with_the_time_used(tmp_path):
    ensure_bubblewrap()
    course = Course.at(ROOT, work=tmp_path / "work")
    subs = tmp_path / "subs"
    save(answered(CH02, CH02_RIGHT), subs / f"sam_{CH02}.ipynb")
    due = datetime.now() - timedelta(hours=5)
    grade(subs, course, limits=LIMITS, due=due, say=lambda line: None)
    problems = _rows(course)[("sam", CH02)]["problems"]
    assert "late: saved" in problems and "5 hours after the due time" in problems
    assert "the file's modified time" in problems


def _visible_text(page: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_feedback_reads_as_plain_marks_and_reasons(handins):
    course, *_ = handins
    cara = (course.folder("feedback") / "cara-doyle" / CH02 / f"{CH02}.html").read_text()
    dev = (course.folder("feedback") / "dev" / CH02 / f"{CH02}.html").read_text()
    for page in (cara, dev):
        text = _visible_text(page)
        for jargon in ("Test cell", "Grade cell", "In [", "Traceback", "check_letter", "BEGIN HIDDEN"):
            assert jargon not in text, jargon
        assert "<script" not in page and "mathjax" not in page.lower().replace("mathjax_ignore", "")
    assert "not marked yet (4 marks)" in _visible_text(cara)  # never "Score: 0.0 / 4.0"
    assert "written without quotes" not in _visible_text(dev)  # review notes are for the assessor
    assert 'write answer_q4 = "C"' in _visible_text(dev)  # but the learner is told how to write it


def test_nbgraders_own_generate_feedback_writes_the_course_page(handins, monkeypatch):
    """The formgrader's "Generate Feedback" button runs nbgrader's GenerateFeedback with the
    repository's nbgrader_config.py: it must write the same safe page, not nbgrader's stock one."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    course, *_ = handins
    monkeypatch.setenv("DEMENTIA_HOUSING_WORK", str(course.work))
    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    target = course.folder("feedback") / "eli" / CH05 / f"{CH05}.html"
    target.unlink()
    api = NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)
    result = api.generate_feedback(CH05, "eli", force=True)
    assert result["success"], result.get("log", "")[-2000:]
    page = target.read_text()
    assert "Your feedback:" in page and "cdn" not in page.lower() and "<script" not in page


def test_moderation_notes_stay_out_of_feedback_and_grades(handins):
    from dementia_housing.cli import main
    from dementia_housing.grading.feedback import write_feedback
    from dementia_housing.grading.moderation import read_notes

    course, *_ = handins
    note = "Second marker: agree 3/4 was generous; held at 2 pending discussion."
    assert main(["moderate", "Cara Doyle", CH02, note, "--by", "JT", "--work", str(course.work)]) == 0
    assert main(["moderate", "cara-doyle", CH02, "  ", "--work", str(course.work)]) == 2  # an empty note is refused
    assert [(n["learner"], n["by"], n["note"]) for n in read_notes(course)] == [("cara-doyle", "JT", note)]
    write_feedback(course, [("cara-doyle", CH02)], say=lambda line: None)
    assert "Second marker" not in (course.folder("feedback") / "cara-doyle" / CH02 / f"{CH02}.html").read_text()
    assert "Second marker" not in export_grades(course).read_text()


def test_marking_needs_no_web_files():
    """`make grade` depends on the Python install only, not on fetching the site's web assets."""
    import re

    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^grade: \$\(STAMP\)$", makefile, flags=re.MULTILINE), "make grade must not need `assets`"


def test_an_override_on_changed_answers_is_set_aside_and_the_automatic_mark_stands(tmp_path):
    from nbgrader.api import Gradebook

    ensure_bubblewrap()
    course = Course.at(ROOT, work=tmp_path / "work")
    subs = tmp_path / "subs"
    path = save(answered(CH02, CH02_RIGHT), subs / f"kim_{CH02}.ipynb")
    grade(subs, course, limits=LIMITS, say=lambda line: None)
    with Gradebook(course.db_url, course.course_id) as gb:  # the assessor overrides q1 in the formgrader
        q1 = next(g for g in gb.find_submission_notebook(CH02, CH02, "kim").grades if g.name == "q1-check")
        q1.manual_score, q1.needs_manual_grade = 0.0, False
        gb.db.commit()
    export_grades(course)
    assert "q1-check=0/1" in _rows(course)[("kim", CH02)]["per_question"]
    changed = {**CH02_RIGHT, "q2-answer": CH02_RIGHT["q2-answer"].replace('"A"', '"B"')}
    save(answered(CH02, changed), path)  # a resubmission with another answer to q2
    grade(subs, course, limits=LIMITS, say=lambda line: None)
    row = _rows(course)[("kim", CH02)]
    assert "q1-check=1/1" in row["per_question"] and row["mark_again"] == ""
    assert "q1-check: the answers changed since you overrode its mark" in row["problems"]
