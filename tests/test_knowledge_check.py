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


# --- The form on the page (form_html) -----------------------------------------------------------

from html.parser import HTMLParser  # noqa: E402


class _Form(HTMLParser):
    """Collects the form's inputs, labels, legends and all text, and checks tags are balanced."""

    VOID = {"input", "br", "img", "meta", "link", "hr"}

    def __init__(self):
        super().__init__()
        self.inputs, self.labels, self.legends, self.stack, self.text = [], {}, [], [], []
        self._label = self._legend = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input":
            self.inputs.append(a)
        elif tag == "label":
            self._label = [a.get("for"), ""]
        elif tag == "legend":
            self._legend = ""
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, f"</{tag}> does not close the open element"
        if tag == "label":
            self.labels[self._label[0]] = self._label[1]
            self._label = None
        elif tag == "legend":
            self.legends.append(self._legend)
            self._legend = None

    def handle_data(self, data):
        self.text.append(data)
        if self._label is not None:
            self._label[1] += data
        if self._legend is not None:
            self._legend += data


def _parsed(check) -> _Form:
    form = _Form()
    form.feed(knowledge_check.form_html(check))
    form.close()
    assert form.stack == [], f"unclosed elements: {form.stack}"
    return form


def test_the_form_has_one_labelled_radio_per_option_named_by_question_and_lettered():
    check = knowledge_check.load()
    form = _parsed(check)
    radios = [i for i in form.inputs if i.get("type") == "radio" and i["name"] != "sitting"]
    assert [(r["name"], r["value"]) for r in radios] == [(q.id, letter) for q in check.questions for letter in "ABCD"]
    ids = [i["id"] for i in form.inputs]
    assert len(ids) == len(set(ids)), "two inputs share an id"
    for q in check.questions:
        for option in q.options:
            box = next(r for r in radios if r["name"] == q.id and r["value"] == option.letter)
            assert form.labels[box["id"]] == f"{option.letter}. {option.text}"
    # each question's prompt is its fieldset's legend, numbered in bank order
    for number, q in enumerate(check.questions, start=1):
        assert f"Question {number}. {q.prompt}" in form.legends


def test_the_form_asks_for_a_participant_and_a_sitting_and_never_shows_answers():
    check = knowledge_check.load()
    form = _parsed(check)
    participant = next(i for i in form.inputs if i.get("name") == "participant")
    assert form.labels[participant["id"]] == "Your pseudonym or learner number"
    sittings = [i["value"] for i in form.inputs if i.get("name") == "sitting"]
    assert sittings == ["pre", "post"]
    html = knowledge_check.form_html(check)
    assert "data-correct" not in html and "checked" not in html
    text = " ".join(form.text)
    for q in check.questions:
        for option in q.options:
            assert option.feedback not in text, f"{q.id}: feedback shown on a test"


def test_the_form_escapes_the_bank_and_is_deterministic():
    data = copy.deepcopy(RAW)
    data["questions"][0]["prompt"] = 'Is <b>this</b> "bold" & safe?'
    data["questions"][0]["options"][2]["text"] = "<script>alert(1)</script>"
    check = knowledge_check.parse(data)
    html = knowledge_check.form_html(check)
    assert "<b>" not in html and "<script>" not in html
    assert "Is &lt;b&gt;this&lt;/b&gt; &quot;bold&quot; &amp; safe?" in html
    form = _parsed(check)
    assert "Question 1. " + data["questions"][0]["prompt"] in form.legends
    assert html == knowledge_check.form_html(knowledge_check.parse(copy.deepcopy(data)))


def test_the_form_lists_the_question_ids_in_bank_order_for_the_hand_in():
    data = copy.deepcopy(RAW)
    data["questions"] = list(reversed(data["questions"]))
    check = knowledge_check.parse(data)
    html = knowledge_check.form_html(check)
    listed = re.search(r'data-questions="([^"]*)"', html).group(1).split(" ")
    assert listed == [q["id"] for q in data["questions"]]
    assert f'data-version="{RAW["version"]}"' in html


# --- The sample cohort report page (book/trainers/cohort-report.ipynb) --------------------------


def test_the_report_fragment_fits_inside_a_book_page_and_matches_the_full_report():
    pytest.importorskip("matplotlib")
    from dementia_housing.trainers.cohort import analyse, read_responses
    from dementia_housing.trainers.cohort_report import render_fragment, render_html

    check = knowledge_check.load()
    sample = ROOT / "data" / "cohort-sample.csv"
    responses = read_responses(sample, check.questions, name="cohort-sample.csv")
    result = analyse(responses)
    fragment = render_fragment(responses, result, version=check.version)
    lowered = fragment.lower()
    for tag in ("<html", "<head", "<body", "<style", "<h1", "<script", "<main"):
        assert tag not in lowered, f"{tag} would restyle or restructure the book page"
    assert fragment.startswith('<section class="dh-cohort-report">') and fragment.rstrip().endswith("</section>")
    assert str(ROOT) not in fragment, "a path that changes from machine to machine"
    full = render_html(responses, result, version=check.version)
    body = full.split("<main>", 1)[1].split("</main>", 1)[0]
    inner = fragment.split(">", 1)[1].rsplit("</section>", 1)[0]
    # The same report: everything after the full page's <h1> is the fragment's content.
    assert body.split("</h1>", 1)[1].strip() == inner.strip()
    assert "Rows left out" in fragment and "line " in fragment  # the sample's deliberate bad rows
    assert fragment == render_fragment(responses, result, version=check.version)
