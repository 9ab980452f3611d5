"""Self-check banks: the course's banks validate, bad banks are named, the HTML needs no script."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from helpers import assert_data_error

from dementia_housing.content.datafiles import DataError
from dementia_housing.content.selfcheck import bank_html, load_bank, parse_bank
from dementia_housing.models import prevalence
from dementia_housing.views.prevalence import WORKED_EXAMPLE

ROOT = Path(__file__).resolve().parents[1]
# Every question bank: the chapters' self-checks and the trainers' knowledge check.
BANKS = sorted(p.stem for p in (ROOT / "data" / "self-checks").glob("*.json")) + ["../knowledge-check"]
GOOD = {
    "title": "T",
    "questions": [
        {
            "id": "q-one",
            "outcome": "LO3",
            "prompt": "P?",
            "options": [
                {"text": "a", "correct": True, "feedback": "because"},
                {"text": "b", "correct": False, "feedback": "because not"},
            ],
        }
    ],
}


@pytest.mark.parametrize("name", BANKS)
def test_course_banks_validate(name):
    bank = load_bank(name)
    assert bank.questions
    assert all(len({o.text for o in q.options}) == len(q.options) for q in bank.questions)


@pytest.mark.parametrize("name", BANKS)
def test_the_right_answers_place_and_length_give_nothing_away(name):
    questions = load_bank(name).questions
    places = [q.answer for q in questions]
    longest = [q.id for q in questions if len(_right(q).text) == max(len(o.text) for o in q.options)]
    assert len(set(places)) >= min(3, len(questions)), f"right answers at {places}: spread them out"
    assert max(places.count(p) for p in set(places)) <= (len(questions) + 1) // 2
    assert len(longest) <= len(questions) // 3, f"the right answer is the longest option in {longest}"


@pytest.mark.parametrize("name", BANKS)
def test_right_answer_feedback_does_not_repeat_the_verdict(name):
    """The page already prints "Yes, this is right." before the feedback: no "Yes." or "Right." again."""
    verdicts = ("yes", "right.", "right!", "correct", "that's right", "that is right")
    opening = [q.id for q in load_bank(name).questions if _right(q).feedback.strip().lower().startswith(verdicts)]
    assert not opening, f"right-answer feedback repeats the verdict in {opening}"


def _right(question):
    return next(o for o in question.options if o.correct)


def test_good_bank_parses_with_answer_letter():
    bank = parse_bank(GOOD, "t")
    assert bank.questions[0].answer == "A"
    assert [o.letter for o in bank.questions[0].options] == ["A", "B"]


def _broken(change):
    data = copy.deepcopy(GOOD)
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            lambda d: d["questions"][0]["options"][1].update(correct=True),
            "questions[0].options",
            "exactly one option must be correct, found 2",
        ),
        (
            lambda d: d["questions"][0]["options"][0].update(correct=False),
            "questions[0].options",
            "exactly one option must be correct, found 0",
        ),
        (lambda d: d["questions"][0]["options"][1].pop("feedback"), "questions[0].options[1].feedback", "missing"),
        (lambda d: d["questions"][0].update(outcome="LO12"), "questions[0].outcome", "'LO12' must be one of"),
        (lambda d: d["questions"].append(copy.deepcopy(d["questions"][0])), "questions[1].id", "duplicate id 'q-one'"),
        (
            lambda d: d["questions"][0].update(options=d["questions"][0]["options"][:1]),
            "questions[0].options",
            "give between 2 and 6 options",
        ),
        (lambda d: d["questions"][0]["options"][0].update(correct="yes"), "questions[0].options[0].correct", "true"),
        (lambda d: d.update(questions=[]), "questions", "give at least 1 questions"),
        (lambda d: d.pop("title"), "title", "missing"),
    ],
)
def test_bad_banks_name_the_line_and_field(change, field, words):
    data = _broken(change)
    with pytest.raises(DataError) as caught:
        parse_bank(data, "t")
    assert_data_error(caught.value, data, "data/self-checks/t.json", field, words)


def test_html_escapes_text_and_uses_no_script():
    data = _broken(lambda d: d["questions"][0].update(prompt="<script>alert(1)</script>"))
    page = bank_html(parse_bank(data, "t"))
    assert "<script" not in page and "&lt;script&gt;" in page
    assert page.count("<details") == 2 and page.count("Yes, this is right.") == 1


def test_invalid_json_names_the_line(tmp_path, monkeypatch):
    folder = tmp_path / "self-checks"
    folder.mkdir()
    (folder / "bad.json").write_text('{"title": "T",\n "questions": [,]}')
    monkeypatch.setenv("DEMENTIA_HOUSING_DATA", str(tmp_path))
    with pytest.raises(DataError, match=r"^data/self-checks/bad.json:2: not valid JSON"):
        load_bank("bad")


def test_prevalence_feedback_claims_match_the_model():
    """The feedback states facts about the worked example; they must stay true."""
    text = json.dumps(json.loads((ROOT / "data" / "self-checks" / "prevalence.json").read_text()))
    result = prevalence.estimate(WORKED_EXAMPLE)
    older = [b for b in result.bands if b.band in {"80-84", "85-89", "90-94", "95+"}]
    share_of_expected = sum(b.expected for b in older) / result.expected
    share_of_residents = sum(b.residents for b in older) / result.total_residents
    assert "54 residents aged 80 and over" in text and sum(b.residents for b in older) == 54
    assert 0.85 <= share_of_expected <= 0.95  # "about nine in ten"
    assert 0.62 <= share_of_residents <= 0.71  # "about two-thirds"
    rates = {r.band: r.evidence.number for r in prevalence.band_rates()}
    assert "more than seventeen times" in text and 17 < rates["90-94"] / rates["65-69"] < 18
    assert f"about {result.expected_whole} of Elm Grove's 80 residents" in text
