"""The cohort report: numbers worked by hand, every kind of bad row, the sign test, the command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dementia_housing import cli
from dementia_housing.content.selfcheck import parse_bank
from dementia_housing.trainers.cohort import ResponsesError, analyse, read_responses, reading, sign_test

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "cohort-sample.csv"


def _question(qid, outcome, right):
    return {
        "id": qid,
        "outcome": outcome,
        "prompt": f"{qid}?",
        "options": [{"text": letter, "correct": letter == right, "feedback": "because"} for letter in "ABCD"],
    }


# Three questions: q1 (LO1, right answer A), q2 (LO1, right B), q3 (LO2, right C).
QUESTIONS = parse_bank(
    {
        "title": "T",
        "questions": [_question("q1", "LO1", "A"), _question("q2", "LO1", "B"), _question("q3", "LO2", "C")],
    },
    "tiny",
).questions

TINY = """participant,sitting,q1,q2,q3
P1,pre,A,A,C
P2,pre,B,,D
P3,pre,A,B,C
P1,post,A,B,C
P2,post,A,B,D
P3,post,A,B,
"""


def _read(text: str, questions=QUESTIONS):
    return read_responses(text.encode("utf-8"), questions, name="responses.csv")


def test_a_tiny_cohort_worked_by_hand():
    # By hand:            pre right   post right   change
    #   P1  A A C / A B C  q1 q3 = 2   3            +1
    #   P2  B - D / A B D  0 (1 blank) q1 q2 = 2    +2
    #   P3  A B C / A B -  3           2 (1 blank)  -1
    responses = _read(TINY)
    assert responses.problems == []
    result = analyse(responses)
    people = {p.participant: (p.pre, p.post, p.change, p.pre_blank, p.post_blank) for p in result.participants}
    assert people == {"P1": (2, 3, 1, 0, 0), "P2": (0, 2, 2, 1, 0), "P3": (3, 2, -1, 0, 1)}

    # Per question (3 people each): q1 pre A,B,A = 2 right; post A,A,A = 3.
    # q2 pre A,-,B = 1 right, 1 blank; post B,B,B = 3.  q3 pre C,D,C = 2; post C,D,- = 1, 1 blank.
    by_q = {
        q.question.id: (q.pre.right, q.pre.of, q.pre.blank, q.post.right, q.post.of, q.post.blank)
        for q in result.questions
    }
    assert by_q == {"q1": (2, 3, 0, 3, 3, 0), "q2": (1, 3, 1, 3, 3, 0), "q3": (2, 3, 0, 1, 3, 1)}

    # Per outcome: LO1 = q1 + q2, 6 answers due: pre 3 right (1 blank), post 6. LO2 = q3.
    by_lo = {o.outcome: (o.pre.right, o.pre.of, o.pre.blank, o.post.right, o.post.of) for o in result.outcomes}
    assert by_lo == {"LO1": (3, 6, 1, 6, 6), "LO2": (2, 3, 0, 1, 3)}
    assert result.outcomes[0].pre.share == pytest.approx(0.5)

    # Two rose, one fell: mean change (1 + 2 - 1) / 3, median 1; sign test 2 x (1 + 3) / 8, capped at 1.
    c = result.comparison
    assert (c.n, c.up, c.down, c.same) == (3, 2, 1, 0)
    assert c.mean_change == pytest.approx(2 / 3)
    assert c.median_change == 1
    assert c.p_value == 1.0


def test_letters_and_ids_are_read_forgivingly():
    text = "Participant , Sitting,q1,q2,q3\n p1 ,PRE,a,b,c\nP1,post,a,b,c\n,,,,\n"
    responses = _read(text)
    assert responses.problems == []
    (pair,) = responses.pairs
    assert pair.pre.answers == {"q1": "A", "q2": "B", "q3": "C"}
    assert analyse(responses).participants[0].pre == 3


@pytest.mark.parametrize(
    ("up", "down", "expected"),
    [
        (5, 0, 2 / 32),  # 2 x C(5,0) / 2^5
        (0, 5, 2 / 32),
        (8, 1, 2 * (1 + 9) / 512),  # 2 x (C(9,0) + C(9,1)) / 2^9
        (6, 1, 2 * (1 + 7) / 128),
        (9, 2, 2 * (1 + 11 + 55) / 2048),
        (10, 0, 2 / 1024),
        (3, 3, 1.0),  # 2 x 42/64 is over 1
        (1, 0, 1.0),
        (0, 0, 1.0),
    ],
)
def test_sign_test_against_hand_worked_cases(up, down, expected):
    assert sign_test(up, down) == pytest.approx(expected, abs=1e-12)


def test_sign_test_refuses_negative_counts():
    with pytest.raises(ValueError):
        sign_test(-1, 3)


def _problems(text: str):
    responses = _read(text)
    return responses, [(p.line, p.participant, p.problem) for p in responses.problems]


def test_unknown_question_column_is_listed_and_left_out():
    responses, problems = _problems("participant,sitting,q1,q9,q2\nP1,pre,A,A,B\nP1,post,A,B,B\n")
    assert problems == [(1, "", "the column 'q9' is not a question in the knowledge check; its answers are left out")]
    assert [q.id for q in responses.questions] == ["q1", "q2"]
    assert analyse(responses).participants[0].pre == 2  # q9's answers are not counted


def test_missing_participant_id():
    responses, problems = _problems(TINY + ",post,A,B,C\n")
    assert problems == [(8, "", "no participant id; give every row one (a pseudonym such as P07 is fine)")]
    assert len(responses.pairs) == 3


def test_answer_out_of_range_names_the_participant_and_question():
    text = TINY.replace("P2,post,A,B,D", "P2,post,A,E,D")
    responses, problems = _problems(text)
    assert [line for line, _, _ in problems] == [3, 6]  # listed in line order
    assert problems[1] == (
        6,
        "P2",
        "participant 'P2' answered 'E' to question 'q2'; answers are A to D, or blank for not answered",
    )
    # P2's pre row is then a pre without a post, and P2 is out of the comparison.
    assert problems[0][1] == "P2" and "'pre' row but there is no usable 'post' row" in problems[0][2]
    assert [p.participant for p in responses.pairs] == ["P1", "P3"]


def test_a_duplicate_leaves_out_every_copy_and_says_so():
    text = TINY + "P1,pre,A,B,C\n"
    responses, problems = _problems(text)
    lines = {line: words for line, _, words in problems}
    assert set(lines) == {2, 5, 8}
    assert "more than one 'pre' row (lines 2 and 8)" in lines[2] and lines[2] == lines[8]
    assert "'post' row but its 'pre' rows were left out" in lines[5]
    assert [p.participant for p in responses.pairs] == ["P2", "P3"]


def test_pre_without_post_and_post_without_pre_say_which():
    text = "participant,sitting,q1,q2,q3\nP1,pre,A,B,C\nP1,post,A,B,C\nP2,pre,A,B,C\nP3,post,A,B,C\n"
    responses, problems = _problems(text)
    assert problems == [
        (
            4,
            "P2",
            "participant 'P2' has a 'pre' row but there is no usable 'post' row; left out of the before-and-after comparison",
        ),
        (
            5,
            "P3",
            "participant 'P3' has a 'post' row but there is no usable 'pre' row; left out of the before-and-after comparison",
        ),
    ]
    assert len(responses.pairs) == 1


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("P4,during,A,B,C", "participant 'P4': the sitting is 'during'; write pre or post"),
        ("P4,,A,B,C", "participant 'P4': the sitting is blank; write pre or post"),
        ("P4,pre,A,B", "has 4 cells but the header has 5 columns (fewer)"),
        ("P4,pre,A,B,C,D", "has 6 cells but the header has 5 columns (more)"),
    ],
)
def test_other_bad_rows(row, words):
    responses, problems = _problems(TINY + row + "\n")
    assert problems[0][0] == 8 and words in problems[0][2]
    assert len(responses.pairs) == 3


def test_line_numbers_count_physical_lines():
    text = 'participant,sitting,q1,q2,q3\n\nP1,pre,A,B,C\n"P\n2",post,A,B,C\nP1,post,A,B,C\n,post,A,B,C\n'
    _, problems = _problems(text)
    lines = [line for line, _, _ in problems]
    assert 4 in lines  # the quoted id that spans lines 4-5 starts on line 4
    assert 7 in lines  # the row with no id, after the blank line and the two-line record


def test_excel_byte_order_mark_is_accepted():
    plain = _read(TINY)
    excel = b"\xef\xbb\xbf" + TINY.replace("\n", "\r\n").encode("utf-8")  # Excel: BOM and CRLF line ends
    marked = read_responses(excel, QUESTIONS, name="excel.csv")
    assert marked.problems == []
    assert analyse(marked).participants == analyse(plain).participants
    broken = read_responses(excel + b",post,A,B,C\r\n", QUESTIONS, name="excel.csv")
    assert [p.line for p in broken.problems] == [8]


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("participant,sitting,q1\nRen\u00e9e,pre,A\n".encode("cp1252"), "is not UTF-8 text"),
        (b"", "is empty"),
        (b"name,sitting,q1\nP1,pre,A\n", "no 'participant' column"),
        (b"participant,sitting,x1,x2\nP1,pre,A,B\n", "none of the columns is a question id"),
        (b"participant,sitting,q1,q1\nP1,pre,A,B\n", "the column 'q1' appears more than once"),
        (b"participant,sitting,q1\x00\n", "binary data"),
    ],
)
def test_unusable_files_raise_with_the_file_name(raw, words):
    with pytest.raises(ResponsesError) as caught:
        read_responses(raw, QUESTIONS, name="week1.csv")
    assert str(caught.value).startswith("week1.csv") and words in str(caught.value)


def test_missing_file(tmp_path):
    with pytest.raises(ResponsesError, match="no such file"):
        read_responses(tmp_path / "nope.csv", QUESTIONS)


def test_the_reading_names_its_limits_and_follows_the_result():
    responses = _read(TINY)
    text = " ".join(reading(analyse(responses), responses))
    for words in ("small group", "no control group", "practice", "pseudonymous", "p = 1.000"):
        assert words in text, words
    assert "cannot rule it out" in text

    # Ten people, all up by one: p = 2/1024, which the reading calls unlikely to be chance.
    rows = [f"P{i},pre,A,A,C\nP{i},post,A,B,C\n" for i in range(10)]
    strong = _read("participant,sitting,q1,q2,q3\n" + "".join(rows))
    text = " ".join(reading(analyse(strong), strong))
    assert (
        "p = 0.002" in text and "Chance alone would rarely give" in text and "says nothing about what caused it" in text
    )


# ------------------------------------------------------------------ the command


def test_command_on_the_sample_writes_the_report_and_lists_bad_rows(tmp_path, capsys):
    assert cli.main(["cohort", str(SAMPLE), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for line in (14, 21, 28):
        assert f"line {line}:" in out
    page = (tmp_path / "cohort-report.html").read_text(encoding="utf-8")
    assert "12 participant(s) with both sittings" in page
    for line in (14, 21, 28):
        assert f"<li>line {line}:" in page
    assert "answered &#x27;E&#x27; to question &#x27;kc-lo2-noticing-change&#x27;" in page
    # Self-contained: no script, nothing fetched; every chart has alt text and a table after it.
    assert "<script" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    images = re.findall(r"<img [^>]*>", page)
    assert len(images) == 2
    assert all(re.search(r'src="data:image/png;base64,', i) and re.search(r'alt="[^"]{40,}"', i) for i in images)
    assert page.count("<table>") == 3
    assert "LO1" in re.search(r'alt="([^"]*)"', images[0]).group(1)


def test_command_exit_2_on_an_unusable_file(tmp_path, capsys):
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("participant,sitting\nRen\u00e9e,pre\n".encode("cp1252"))
    assert cli.main(["cohort", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "CSV UTF-8" in err
    assert not (tmp_path / "out" / "cohort-report.html").exists()


def test_command_exit_2_when_nobody_has_both_sittings(tmp_path, capsys):
    only_pre = tmp_path / "pre.csv"
    only_pre.write_text("participant,sitting,kc-lo1-age-groups\nP1,pre,B\nP2,pre,A\n", encoding="utf-8")
    assert cli.main(["cohort", str(only_pre), "--out", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert "line 2:" in captured.out and "no participant" in captured.err


@pytest.mark.browser
def test_command_prints_an_a4_pdf(tmp_path):
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("Chromium is missing: run `make test` (installs it as root) or `sudo apt-get install chromium`")
    assert cli.main(["cohort", str(SAMPLE), "--out", str(tmp_path), "--pdf"]) == 0
    pdf = (tmp_path / "cohort-report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    width, height = map(float, re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf).groups())
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4 in millimetres


def test_two_bad_answers_in_one_row_are_named_together():
    _, problems = _problems(TINY.replace("P3,pre,A,B,C", "P3,pre,e,B,x"))
    assert (
        4,
        "P3",
        "participant 'P3' answered 'e' to question 'q1' and 'x' to question 'q3'; answers are A to D, "
        "or blank for not answered",
    ) in problems


def test_the_report_page_shows_the_hand_worked_numbers():
    from dementia_housing.trainers.cohort_report import render_html

    responses = _read(TINY)
    page = render_html(responses, analyse(responses), version="t1", title="Tiny <cohort>")
    assert "<h1>Tiny &lt;cohort&gt;</h1>" in page and "knowledge check version t1" in page
    cells = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "LO1 2 3 of 6 (50%) 6 of 6 (100%) 1 0" in cells  # outcome, questions, before, after, blanks
    assert "LO2 1 2 of 3 (67%) 1 of 3 (33%) 0 1" in cells
    assert "P2 0 2 +2 1 0" in cells and "P3 3 2 \u22121 0 1" in cells
    assert "None: every row of the file was used." in page


def test_command_says_what_to_install_without_matplotlib(tmp_path, capsys, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert cli.main(["cohort", str(SAMPLE), "--out", str(tmp_path)]) == 2
    assert "matplotlib" in capsys.readouterr().err
    assert not (tmp_path / "cohort-report.html").exists()


@pytest.mark.parametrize("module", ["cohort.py", "knowledge_check.py", "__init__.py"])
def test_reading_and_arithmetic_use_only_the_standard_library(module):
    import ast
    import sys

    source = ROOT / "src" / "dementia_housing" / "trainers" / module
    names = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names.add(node.module or "")
    outside = {n for n in names if n.split(".")[0] not in sys.stdlib_module_names}
    assert not outside, f"{module} imports {outside}; pandas and matplotlib belong in cohort_report.py only"


def test_command_without_chromium_still_writes_the_html_and_exits_1(tmp_path, capsys, monkeypatch):
    from dementia_housing.trainers import cohort_report

    monkeypatch.setattr(cohort_report.shutil, "which", lambda name: "/nonexistent/chromium")
    assert cli.main(["cohort", str(SAMPLE), "--out", str(tmp_path), "--pdf"]) == 1
    assert "No PDF: Chromium is not installed" in capsys.readouterr().err
    assert (tmp_path / "cohort-report.html").exists() and not (tmp_path / "cohort-report.pdf").exists()
