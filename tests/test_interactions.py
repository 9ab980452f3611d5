"""The interaction sorter's model: Kitwood's two lists, the vignettes, judging and the tally."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from helpers import assert_data_error
from interactions_data import MALIGNANT_SOCIAL_PSYCHOLOGY, POSITIVE_PERSON_WORK, SMALL

from dementia_housing.content.datafiles import DataError
from dementia_housing.models import interactions
from dementia_housing.models.interactions import (
    ALSO_FITS,
    NEEDS,
    RIGHT,
    WRONG,
    AnswerError,
    Tally,
    judge,
    load_catalogue,
    parse_catalogue,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = json.loads((ROOT / "data" / "interactions.json").read_text(encoding="utf-8"))


@pytest.fixture
def small():
    return parse_catalogue(copy.deepcopy(SMALL), "small.json")


# The course's data ---------------------------------------------------------------------------


def test_the_two_lists_are_kitwoods_exactly():
    catalogue = load_catalogue()
    assert [k.id for k in catalogue.kinds_for("undermines")] == MALIGNANT_SOCIAL_PSYCHOLOGY
    assert [k.id for k in catalogue.kinds_for("upholds")] == POSITIVE_PERSON_WORK
    assert len(MALIGNANT_SOCIAL_PSYCHOLOGY) == 17 and len(POSITIVE_PERSON_WORK) == 12
    for kind in catalogue.kinds:
        # the kind's own name, or plain words first with Kitwood's name after: "Engaging the senses (timalation)"
        assert kind.label.lower() == kind.id or kind.label.lower().endswith(f"({kind.id})"), kind.label
        assert kind.definition.endswith(".") and len(kind.definition.split()) <= 20


def test_creation_and_giving_say_they_are_started_by_the_person():
    catalogue = load_catalogue()
    started = [k.id for k in catalogue.kinds if k.definition.startswith("Started by the person")]
    assert started == ["creation", "giving"]


def test_course_vignettes_are_valid_and_balanced():
    catalogue = load_catalogue()
    assert len(catalogue.vignettes) >= 12
    verdicts = [v.verdict for v in catalogue.vignettes]
    assert abs(verdicts.count("undermines") - verdicts.count("upholds")) <= 2
    assert len({v.id for v in catalogue.vignettes}) == len(catalogue.vignettes)
    for vignette in catalogue.vignettes:
        words = len(vignette.text.split())
        assert 60 <= words <= 120, f"{vignette.id}: {words} words"
        assert catalogue.kind(vignette.kind).verdict == vignette.verdict
        assert all(catalogue.kind(k).verdict == vignette.verdict for k, _ in vignette.also)
        assert set(vignette.needs) <= set(NEEDS)
        assert len(vignette.explanation.split()) >= 60, f"{vignette.id}: the explanation should teach"
        # the explanation says what to do instead (undermines) or what made it work (upholds)
        assert vignette.explanation != vignette.text


@pytest.mark.parametrize("vignette", load_catalogue().vignettes, ids=lambda v: v.id)
def test_every_vignette_judges_right_with_its_own_answer(vignette):
    result = judge(vignette.id, vignette.verdict, vignette.kind)
    assert result.correct and result.kind_result == RIGHT
    for kind_id, _ in vignette.also:
        assert judge(vignette.id, vignette.verdict, kind_id).kind_result == ALSO_FITS


def test_the_vignettes_cover_the_housing_settings_the_tool_promises():
    settings = " ".join(v.setting.lower() for v in load_catalogue().vignettes)
    for setting in ("repairs", "gas safety", "tenancy review", "lounge", "arrears", "lettings", "discharge"):
        assert setting in settings, setting


def test_person_first_language_in_the_data():
    text = json.dumps(DATA).lower()
    for word in ("sufferer", "the demented", "senile", "elderly mentally infirm"):
        assert word not in text


# Judging, worked by hand on the small catalogue -------------------------------------------------


def test_right_on_both_counts(small):
    result = judge("rushed-visit", "undermines", "outpacing", small)
    assert (result.verdict_right, result.kind_result, result.correct) == (True, RIGHT, True)
    assert result.headline == "Right on both counts."
    # paragraphs by hand: the verdict and best fit, the other kind that also fits,
    # the explanation, then the needs at stake
    assert result.paragraphs == (
        "This interaction undermines personhood, and outpacing is the best fit: going too fast.",
        "Ignoring also fits: he talked over her.",
        "Slow down.",
        "Psychological needs at stake: comfort and occupation.",
    )


def test_a_kind_that_also_fits_is_accepted_and_the_best_fit_named(small):
    result = judge("rushed-visit", "undermines", "Ignoring", small)  # a label works as well as an id
    assert (result.kind, result.kind_result, result.correct) == ("ignoring", ALSO_FITS, True)
    assert result.headline == "Right, and ignoring also fits."
    assert result.paragraphs[0] == (
        "This interaction undermines personhood. Ignoring also fits: he talked over her. "
        "The best fit is outpacing, a kind of malignant social psychology: going too fast."
    )
    assert "Ignoring also fits" not in " ".join(result.paragraphs[1:])  # said once, not twice


def test_right_verdict_wrong_kind(small):
    result = judge("rushed-visit", "undermines", "mockery", small)
    assert (result.verdict_right, result.kind_result, result.correct) == (True, WRONG, False)
    assert result.paragraphs[0] == (
        "This interaction undermines personhood, as you said. You chose mockery: laughing at the person. It is not "
        "the best fit here. The best fit is outpacing, a kind of malignant social psychology: going too fast."
    )


def test_wrong_verdict(small):
    result = judge("cup-of-tea", "undermines", "outpacing", small)
    assert (result.verdict_right, result.kind_result, result.correct) == (False, WRONG, False)
    assert result.headline == "Not this time."
    assert result.paragraphs == (
        "This interaction upholds personhood; you said it undermines it. The best fit is giving, a kind of "
        "positive person work: started by the person, who offers kindness.",
        "Accepting affirms the tenant.",
        "Psychological needs met: identity.",
    )
    assert result.feedback.startswith("Not this time.\n\nThis interaction upholds")


def test_answers_are_read_generously(small):
    assert judge(" cup-of-tea ", " Upholds ", " GIVING ", small).correct
    assert judge("cup-of-tea", "Upholds personhood", "giving", small).correct


# Bad input: a clear message, naming the field ---------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "field", "words"),
    [
        (("no-such-story", "undermines", "outpacing"), "vignette", "There is no vignette called 'no-such-story'"),
        (("", "undermines", "outpacing"), "vignette", "Choose a vignette first"),
        (("rushed-visit", "", "outpacing"), "verdict", "Choose a verdict first"),
        (("rushed-visit", None, "outpacing"), "verdict", "Choose a verdict first"),
        (("rushed-visit", "maybe", "outpacing"), "verdict", "'maybe' is not a verdict"),
        (("rushed-visit", 1, "outpacing"), "verdict", "must be 'undermines' or 'upholds'"),
        (("rushed-visit", "undermines", ""), "kind", "Choose a kind first"),
        (("rushed-visit", "undermines", "   "), "kind", "Choose a kind first"),
        (("rushed-visit", "undermines", None), "kind", "Choose a kind first"),
        (("rushed-visit", "undermines", "rudeness"), "kind", "'rudeness' is not one of Kitwood's kinds"),
        (
            ("rushed-visit", "undermines", "recognition"),
            "kind",
            "Recognition is a kind of positive person work, which upholds personhood, but your verdict is "
            "'undermines'. Choose a kind of malignant social psychology, or change your verdict.",
        ),
        (("cup-of-tea", "upholds", "mockery"), "kind", "Choose a kind of positive person work"),
    ],
)
def test_bad_answers_say_what_to_do_next_to_the_right_field(small, answer, field, words):
    with pytest.raises(AnswerError) as caught:
        judge(*answer, catalogue=small)
    assert caught.value.field == field
    assert words in str(caught.value)
    assert isinstance(caught.value, ValueError)


# The data's validation ----------------------------------------------------------------------------


def _broken(change):
    data = copy.deepcopy(SMALL)
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: d["vignettes"][0].update(kind="outpace"), "vignettes[0].kind", "'outpace' is not a kind listed"),
        (
            lambda d: d["vignettes"][0].update(kind="recognition"),
            "vignettes[0].kind",
            "'recognition' is positive person work, which upholds",
        ),
        (lambda d: d["vignettes"][1].update(verdict="neutral"), "vignettes[1].verdict", "'neutral' must be one of"),
        (lambda d: d["vignettes"][1].update(id="rushed-visit"), "vignettes[1].id", "duplicate id 'rushed-visit'"),
        (lambda d: d["vignettes"][1].update(id="Cup of tea"), "vignettes[1].id", "'Cup of tea' must be lower case"),
        (lambda d: d["vignettes"][0].update(text="  "), "vignettes[0].text", "missing or empty"),
        (lambda d: d["vignettes"][0].pop("explanation"), "vignettes[0].explanation", "missing"),
        (lambda d: d["vignettes"][0].update(also={"giving": "x"}), "vignettes[0].also.giving", "'giving' is positive"),
        (lambda d: d["vignettes"][0].update(also={"outpacing": "x"}), "vignettes[0].also.outpacing", "best-fitting"),
        (lambda d: d["vignettes"][0].update(also={"ignoring": ""}), "vignettes[0].also.ignoring", "missing or empty"),
        (lambda d: d["vignettes"][0].update(needs=["love", "comfort"]), "vignettes[0].needs[0]", "'love' is not one"),
        (lambda d: d["vignettes"][0].update(needs=[]), "vignettes[0].needs", "give at least 1 needs"),
        (
            lambda d: d["kinds"]["upholds"].append({"id": "outpacing", "label": "O", "definition": "D."}),
            "kinds.upholds[" + str(len(SMALL["kinds"]["upholds"])) + "].id",
            "duplicate kind 'outpacing'",
        ),
        (lambda d: d["kinds"]["undermines"][0].pop("definition"), "kinds.undermines[0].definition", "missing"),
        (lambda d: d["kinds"].pop("upholds"), "kinds", "must be an object with exactly the lists"),
        (lambda d: d.update(vignettes=[]), "vignettes", "give at least 1 vignettes"),
    ],
)
def test_bad_data_names_the_line_and_field(change, field, words):
    data = _broken(change)
    with pytest.raises(DataError) as caught:
        parse_catalogue(data, "small.json")
    assert_data_error(caught.value, data, "small.json", field, words)


def test_invalid_json_names_the_line(tmp_path, monkeypatch):
    (tmp_path / "interactions.json").write_text('{"title": "T",\n "kinds": [,]}')
    monkeypatch.setattr("dementia_housing.content.evidence.data_path", lambda name: tmp_path / name)
    interactions.load_catalogue.cache_clear()
    try:
        with pytest.raises(DataError, match=r"^data/interactions.json:2: not valid JSON"):
            interactions.load_catalogue()
    finally:
        interactions.load_catalogue.cache_clear()


# The tally ------------------------------------------------------------------------------------------


def test_tally_counts_the_first_answer_to_each_vignette(small):
    tally = Tally()
    assert tally.summary() == "No answers checked yet."
    right = judge("rushed-visit", "undermines", "outpacing", small)
    wrong = judge("cup-of-tea", "undermines", "mockery", small)
    corrected = judge("cup-of-tea", "upholds", "giving", small)
    after_one = tally.record(right)
    after_two = after_one.record(wrong)
    after_retry = after_two.record(corrected)  # a second go at cup-of-tea does not count
    # by hand: rushed-visit right (1 of 1); cup-of-tea wrong (1 of 2); the retry changes nothing
    assert after_one.summary() == "1 of 1 right so far."
    assert after_two.summary() == "1 of 2 right so far."
    assert after_retry == after_two
    assert (after_retry.right, after_retry.answered) == (1, 2)
    assert tally.answered == 0 and after_one.answered == 1  # earlier tallies are unchanged


def test_an_also_fits_answer_counts_as_right(small):
    tally = Tally().record(judge("rushed-visit", "undermines", "ignoring", small))
    assert tally.summary() == "1 of 1 right so far."


def test_chapter_tables_name_exactly_the_kinds_in_the_data():
    chapter = (ROOT / "book" / "ch03-personhood.md").read_text(encoding="utf-8")
    catalogue = load_catalogue()
    labels = [k.label for k in catalogue.kinds]
    rows = re.findall(r"^\* - (.+)$", chapter, re.MULTILINE)  # each table row's first column
    named = [label for row in rows for label in labels if row == label or row.startswith(f"{label} (")]
    assert named == labels


def test_pages_state_the_number_of_vignettes_the_data_holds():
    count = len(load_catalogue().vignettes)
    in_words = {12: "twelve", 13: "thirteen", 14: "fourteen", 15: "fifteen", 16: "sixteen", 17: "seventeen"}[count]
    chapter = (ROOT / "book" / "ch03-personhood.md").read_text(encoding="utf-8")
    tool_page = (ROOT / "book" / "tools" / "interaction-sorter.ipynb").read_text(encoding="utf-8")
    assert f"gives you {in_words} short stories" in chapter
    assert f"move through the {in_words} stories" in tool_page
