"""The knowledge check page in Chromium: a participant answers by clicking labels, presses "Make
my hand-in", and the row it produces reads back through the cohort reader exactly; missing
details are reported beside their fields; no outside request, no console error, no axe issue."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from dementia_housing.trainers import knowledge_check
from dementia_housing.trainers.cohort import read_responses

pytestmark = pytest.mark.browser
PAGE = "book/trainers/knowledge-check.html"
# Question index (0-based, bank order) -> the letter clicked; every other question left blank.
CHOSEN = {0: "B", 1: "D", 4: "A", 10: "C"}


def test_the_hand_in_row_reads_back_through_the_cohort_reader(visit):
    check = knowledge_check.load()
    questions = check.questions
    page = visit(PAGE)
    p = page.page
    p.get_by_label("Your pseudonym or learner number").fill("Q, 7")  # a comma: the cell must be quoted
    p.locator("label", has_text="Before the workshop").click()
    for index, letter in CHOSEN.items():
        fieldset = p.locator(f'fieldset[data-number="{index + 1}"]')
        fieldset.locator("label", has_text=f"{letter}. ").first.click()
        assert fieldset.locator(f'input[value="{letter}"]').is_checked()
    p.get_by_role("button", name="Make my hand-in").click()
    text = p.get_by_label("Your hand-in, to copy").input_value()
    assert p.get_by_label("Your hand-in, to copy").get_attribute("readonly") is not None

    unanswered = [str(i + 1) for i in range(len(questions)) if i not in CHOSEN]
    status = p.locator(".dh-kc-status").inner_text()
    assert f"{', '.join(unanswered[:-1])} and {unanswered[-1]}: that is fine, they count as not answered" in status

    link = p.get_by_role("link", name="Download your hand-in")
    assert link.get_attribute("download") == "knowledge-check-Q-7-pre.csv"
    href = link.get_attribute("href")
    assert href.startswith("data:text/csv;charset=utf-8,")
    assert unquote(href.split(",", 1)[1]) == text

    lines = text.splitlines()
    assert lines[0].split(",") == ["participant", "sitting", *[q.id for q in questions]]
    other = ",".join(['"Q, 7"', "post", *["A"] * len(questions)])
    responses = read_responses("\n".join([*lines, other, ""]).encode("utf-8"), questions, name="hand-in.csv")
    assert responses.problems == []
    assert len(responses.pairs) == 1
    pair = responses.pairs[0]
    assert pair.pre.participant == "Q, 7"
    assert pair.pre.answers == {q.id: CHOSEN.get(i) for i, q in enumerate(questions)}
    assert pair.post.answers == {q.id: "A" for q in questions}

    assert page.outside == []
    assert page.errors == []
    assert page.axe_violations() == []


def test_a_missing_participant_is_reported_beside_its_field(visit):
    page = visit(PAGE)
    p = page.page
    p.locator("label", has_text="After the workshop").click()
    p.get_by_role("button", name="Make my hand-in").click()
    error = p.locator("#dh-kc-participant-error")
    assert error.inner_text() == "Enter your pseudonym or learner number."
    field = p.get_by_label("Your pseudonym or learner number")
    assert field.get_attribute("aria-invalid") == "true"
    assert "dh-kc-participant-error" in field.get_attribute("aria-describedby")
    assert p.locator("#dh-kc-sitting-error").inner_text() == ""
    assert not p.get_by_label("Your hand-in, to copy").is_visible()
    field.fill("P07")
    assert error.inner_text() == ""
    assert page.errors == []
    assert page.axe_violations() == []
