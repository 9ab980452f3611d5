"""The trainers' knowledge check: a valid bank, every outcome covered, answers that give nothing away."""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from dementia_housing.content.datafiles import DataError
from dementia_housing.content.selfcheck import OUTCOMES
from dementia_housing.trainers import knowledge_check

ROOT = Path(__file__).resolve().parents[1]
FILE = ROOT / "data" / "knowledge-check.json"
RAW = json.loads(FILE.read_text(encoding="utf-8"))


def _right(question: dict) -> dict:
    return next(o for o in question["options"] if o.get("correct") is True)


def test_the_bank_loads_with_a_version():
    check = knowledge_check.load()
    assert check.version.strip()
    assert len(check.questions) == len(RAW["questions"]) >= 24


def test_ids_are_unique_and_every_question_has_four_options_one_right():
    ids = [q["id"] for q in RAW["questions"]]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    for q in RAW["questions"]:
        assert len(q["options"]) == 4, q["id"]
        assert sum(o.get("correct") is True for o in q["options"]) == 1, q["id"]
        assert len({o["text"].strip().lower() for o in q["options"]}) == 4, f"{q['id']}: two options read the same"
        assert all(o["feedback"].strip() for o in q["options"]), q["id"]


def test_every_outcome_has_two_to_four_questions():
    counts = Counter(q["outcome"] for q in RAW["questions"])
    assert set(counts) == set(OUTCOMES), f"outcomes missing: {sorted(set(OUTCOMES) - set(counts))}"
    assert all(2 <= n <= 4 for n in counts.values()), counts


def test_right_answers_are_spread_over_every_position():
    n = len(RAW["questions"])
    places = Counter(next(i for i, o in enumerate(q["options"]) if o.get("correct") is True) for q in RAW["questions"])
    assert set(places) == {0, 1, 2, 3}, f"right answers only at positions {sorted(places)}"
    assert max(places.values()) <= n // 3, f"too many right answers in one place: {places}"


def test_the_right_answer_is_the_longest_option_in_at_most_a_third():
    longest = [q["id"] for q in RAW["questions"] if len(_right(q)["text"]) == max(len(o["text"]) for o in q["options"])]
    assert len(longest) <= len(RAW["questions"]) // 3, f"the right answer is the longest option in {longest}"


def test_feedback_does_not_open_with_a_verdict():
    openings = ("yes", "right", "correct", "that's right", "that is right", "wrong", "no.", "no,")
    bad = [
        (q["id"], o["feedback"][:20])
        for q in RAW["questions"]
        for o in q["options"]
        if o["feedback"].strip().lower().startswith(openings)
    ]
    assert not bad, bad


def test_the_words_follow_the_course_style():
    text = json.dumps(RAW, ensure_ascii=False)
    for word in ("sufferer", "demented", "senile"):
        assert word not in text.lower(), word
    assert not re.search(r"\bEMI\b", text)
    for match in re.finditer(r"wandering", text, flags=re.IGNORECASE):
        before = text[max(0, match.start() - 2) : match.start()]
        assert "'" in before or "\u201c" in before or '\\"' in before, "'wandering' only in quotation marks"


def test_a_mistake_names_the_knowledge_check_file():
    """The bank is parsed by the self-check parser, but errors must name this file, not a self-check bank."""
    data = copy.deepcopy(RAW)
    data["questions"][3]["options"][1]["correct"] = True
    with pytest.raises(DataError) as caught:
        knowledge_check.parse(data)
    assert caught.value.file == "data/knowledge-check.json"
    assert caught.value.field == "questions[3].options"
    assert "exactly one option must be correct, found 2" in str(caught.value)


def test_a_missing_version_is_an_error():
    data = copy.deepcopy(RAW)
    del data["version"]
    with pytest.raises(DataError, match=r"^data/knowledge-check.json:\d+, field 'version': missing"):
        knowledge_check.parse(data)


def test_the_sample_cohort_uses_this_bank():
    header = (ROOT / "data" / "cohort-sample.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:2] == ["participant", "sitting"]
    assert header[2:] == [q["id"] for q in RAW["questions"]]
