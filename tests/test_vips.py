"""The housing VIPS self-assessment model: its data, hand-worked scores and its answers to bad input."""

from __future__ import annotations

import copy
import json
from fractions import Fraction
from pathlib import Path

import pytest
from helpers import assert_data_error

from dementia_housing.content.datafiles import DataError
from dementia_housing.models import vips
from dementia_housing.models.vips import DONT_KNOW, assess, format_score, load_tool, parse_tool

ROOT = Path(__file__).resolve().parents[1]
RAW = json.loads((ROOT / "data" / "vips.json").read_text(encoding="utf-8"))
TOOL = load_tool()

# Hawthorn Gardens (the worked example), worked by hand:
#   V: 2, 1, 2, DK, 3, 1  -> 5 rated, sum 9   -> 9/5  = 1.8
#   I: 3, 2, 2, 1, 1, 3   -> 6 rated, sum 12  -> 12/6 = 2.0
#   P: 1, 0, DK, 2, 0, DK -> 4 rated, sum 3   -> 3/4  = 0.75 -> "0.8" (half up)
#   S: 3, 2, 3, 2, 2, 1   -> 6 rated, sum 13  -> 13/6 = 2.1666… -> "2.2"
#   overall = (9/5 + 2 + 3/4 + 13/6) / 4 = (108 + 120 + 45 + 130) / 60 / 4 = 403/240 = 1.679… -> "1.7"
#   weakest: rated 0 are P2, P5 (P mean 0.75); rated 1 are P1 (P 0.75), V2, V6 (V 1.8),
#   I4, I5 (I 2.0), S6 (S 2.17) -> the first five: P2, P5, P1, V2, V6
HAWTHORN = {
    "V1": 2, "V2": 1, "V3": 2, "V4": DONT_KNOW, "V5": 3, "V6": 1,
    "I1": 3, "I2": 2, "I3": 2, "I4": 1, "I5": 1, "I6": 3,
    "P1": 1, "P2": 0, "P3": DONT_KNOW, "P4": 2, "P5": 0, "P6": DONT_KNOW,
    "S1": 3, "S2": 2, "S3": 3, "S4": 2, "S5": 2, "S6": 1,
}  # fmt: skip


def ids(code: str) -> list[str]:
    return [f"{code}{n}" for n in range(1, 7)]


# --- the data ------------------------------------------------------------------------------


def test_the_data_has_24_prompts_six_per_element_in_vips_order():
    assert [e.code for e in TOOL.elements] == ["V", "I", "P", "S"]
    assert all(len(e.prompts) == 6 for e in TOOL.elements)
    prompt_ids = [p.id for p in TOOL.prompts]
    assert len(prompt_ids) == 24 and len(set(prompt_ids)) == 24
    assert all(p.id.startswith(p.element) for p in TOOL.prompts)


def test_every_prompt_has_a_title_a_text_and_an_action_of_its_own():
    for prompt in TOOL.prompts:
        assert prompt.title and len(prompt.title) <= vips.MAX_TITLE_LENGTH
        assert len(prompt.text.split()) >= 10, prompt.id
        assert len(prompt.action.split()) >= 10, prompt.id
    assert len({p.action for p in TOOL.prompts}) == 24
    assert len({p.title for p in TOOL.prompts}) == 24


def test_the_scale_is_labelled_and_dont_know_is_separate():
    assert [(p.value, p.label) for p in TOOL.scale] == [
        (0, "Not yet"),
        (1, "Starting"),
        (2, "Often"),
        (3, "Consistently"),
    ]
    assert TOOL.maximum == 3
    assert TOOL.dont_know_label == "Don't know"


def test_the_notice_says_it_is_an_adaptation_and_not_care_fit_for_vips():
    assert "adaptation" in TOOL.notice
    assert "not the official Care Fit for VIPS" in TOOL.notice


def test_the_data_uses_person_first_language():
    text = json.dumps(RAW).lower()
    for word in ("sufferer", "demented", "senile", " emi "):
        assert word not in text


# --- hand-worked scores --------------------------------------------------------------------


def test_hawthorn_gardens_by_hand():
    result = assess(HAWTHORN)
    v, i, p, s = result.elements
    assert (v.rated, v.dont_know, v.unanswered, v.score) == (5, 1, 0, Fraction(9, 5))
    assert (i.rated, i.dont_know, i.unanswered, i.score) == (6, 0, 0, Fraction(2))
    assert (p.rated, p.dont_know, p.unanswered, p.score) == (4, 2, 0, Fraction(3, 4))
    assert (s.rated, s.dont_know, s.unanswered, s.score) == (6, 0, 0, Fraction(13, 6))
    assert [r.score_text for r in result.elements] == ["1.8", "2.0", "0.8", "2.2"]
    assert result.overall == Fraction(403, 240) and result.overall_text == "1.7"
    assert [w.prompt.id for w in result.weakest] == ["P2", "P5", "P1", "V2", "V6"]
    assert [(w.rating, w.rating_label) for w in result.weakest[:3]] == [(0, "Not yet"), (0, "Not yet"), (1, "Starting")]
    assert [p.id for p in result.dont_know] == ["V4", "P3", "P6"]
    assert result.unanswered == ()


def test_hawthorn_gardens_summary_in_plain_words():
    summary = " ".join(assess(HAWTHORN).summary)
    assert "Overall score: 1.7 out of 3" in summary
    assert "between \u201cStarting\u201d and \u201cOften\u201d" in summary
    assert "Strongest: A positive social environment (S), 2.2 out of 3." in summary
    assert "Weakest: Looking from the person's perspective (P), 0.8 out of 3." in summary
    assert "3 of the 24 prompts (V4 Policies allow adjustments, P3 Places that make sense" in summary
    assert "P2 Behaviour as communication, P5 Risk weighed with the tenant" in summary


def test_dont_know_is_counted_not_scored_as_zero():
    # V: 2, 2, 2 and three "don't know" -> 3 rated, mean 6/3 = 2 (a zero for each DK would give 1)
    ratings = dict.fromkeys(ids("V")[:3], 2) | dict.fromkeys(ids("V")[3:], DONT_KNOW)
    v = assess(ratings).element("V")
    assert (v.rated, v.dont_know, v.score) == (3, 3, Fraction(2))


def test_too_few_ratings_is_not_enough_answers_never_zero():
    # P: 0 and 1 rated, four "don't know" -> 2 rated, below the minimum of 3
    ratings = {"P1": 0, "P2": 1} | dict.fromkeys(ids("P")[2:], DONT_KNOW)
    result = assess(ratings)
    p = result.element("P")
    assert (p.rated, p.dont_know, p.score, p.score_text) == (2, 4, None, "not enough answers")
    assert result.overall is None and result.overall_text == "not enough answers"
    why = result.summary[0]  # the other three elements have no answers at all
    assert why.startswith("Overall score not shown: the elements Valuing people (V), Treating people")
    assert "(V has 0, I has 0, P has 2, S has 0)" in why and why.endswith("they are not shown as 0.")
    alone = assess(ratings | dict.fromkeys(ids("V") + ids("I") + ids("S"), 2)).summary[0]
    assert alone == (
        "Overall score not shown: element P (Looking from the person's perspective) has fewer than 3 answers "
        "other than \u201cDon't know\u201d (it has 2); answer at least 3 of its 6 prompts with a rating from 0 "
        "to 3. Until then it has no score, and it is not shown as 0."
    )
    # the two rated prompts are still the weakest indicators, with their actions
    assert [w.prompt.id for w in result.weakest] == ["P1", "P2"]


def test_three_ratings_are_enough_for_a_score():
    # I: 0, 1, 1 -> 2/3 = 0.666… -> "0.7"
    result = assess({"I1": 0, "I2": 1, "I3": 1})
    i = result.element("I")
    assert (i.rated, i.unanswered, i.score, i.score_text) == (3, 3, Fraction(2, 3), "0.7")
    assert result.element("V").score is None and result.element("V").unanswered == 6


def test_overall_is_the_mean_of_the_four_element_scores():
    # V all 3 (3), I all 0 (0), P 1,1,1 + 3 DK (1), S 2,2,2,2,2,2 (2) -> (3 + 0 + 1 + 2) / 4 = 1.5
    # (a mean over all 21 rated prompts would be (18 + 0 + 3 + 12) / 21 = 1.57…)
    ratings = (
        dict.fromkeys(ids("V"), 3)
        | dict.fromkeys(ids("I"), 0)
        | dict.fromkeys(ids("P")[:3], 1)
        | dict.fromkeys(ids("P")[3:], DONT_KNOW)
        | dict.fromkeys(ids("S"), 2)
    )
    result = assess(ratings)
    assert result.overall == Fraction(3, 2) and result.overall_text == "1.5"


def test_weakest_ties_go_to_the_weaker_element_then_tool_order():
    # every prompt 2, except V1 = 1, S1 = 1 and S2 = 0.
    # Element means: V 11/6 = 1.83, I 2, P 2, S 9/6 = 1.5.
    # Rated 0: S2. Rated 1: S1 (S 1.5) before V1 (V 1.83). Rated 2: S first (1.5): S3, S4, …
    # -> S2, S1, V1, S3, S4
    ratings = dict.fromkeys([p.id for p in TOOL.prompts], 2) | {"V1": 1, "S1": 1, "S2": 0}
    assert [w.prompt.id for w in assess(ratings).weakest] == ["S2", "S1", "V1", "S3", "S4"]


def test_weakest_leaves_out_consistently_and_stops_at_five():
    ratings = dict.fromkeys([p.id for p in TOOL.prompts], 3) | {"I6": 2}
    result = assess(ratings)
    assert [(w.prompt.id, w.rating) for w in result.weakest] == [("I6", 2)]
    everything_low = dict.fromkeys([p.id for p in TOOL.prompts], 0)
    assert len(assess(everything_low).weakest) == vips.WEAKEST_LIMIT


def test_all_consistently_has_no_weakest_and_says_so():
    result = assess(dict.fromkeys([p.id for p in TOOL.prompts], 3))
    assert result.weakest == () and result.overall == 3
    assert "The scored elements are level, at 3.0 out of 3." in result.summary
    assert any("Every rated indicator is rated \u201cConsistently\u201d" in s for s in result.summary)


def test_nothing_answered():
    result = assess({})
    assert len(result.unanswered) == 24 and result.dont_know == () and result.weakest == ()
    assert all(r.score is None for r in result.elements)
    assert result.summary[-1] == "No prompt has a rating yet."
    assert "24 of the 24 prompts are not answered yet." in result.summary


def test_none_means_unanswered():
    result = assess({"V1": None, "V2": 3})
    assert result.element("V").unanswered == 5 and result.element("V").rated == 1


@pytest.mark.parametrize(
    ("score", "text"),
    [
        (Fraction(0), "0.0"),
        (Fraction(1, 4), "0.3"),  # 0.25 rounds half up
        (Fraction(3, 4), "0.8"),
        (Fraction(9, 4), "2.3"),  # 2.25, where round() would give 2.2
        (Fraction(13, 6), "2.2"),
        (Fraction(29, 20), "1.5"),  # 1.45 rounds half up
        (Fraction(3), "3.0"),
    ],
)
def test_scores_show_one_decimal_place_halves_up(score, text):
    assert format_score(score) == text


def test_scale_words():
    assert vips.scale_words(TOOL, Fraction(2)) == "\u201cOften\u201d"
    assert vips.scale_words(TOOL, Fraction(1, 2)) == "between \u201cNot yet\u201d and \u201cStarting\u201d"


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "words"),
    [
        ({"X9": 2}, "unknown prompt 'X9': the prompts are V1\u2013V6, I1\u2013I6, P1\u2013P6 and S1\u2013S6"),
        ({"v1": 2}, "unknown prompt 'v1'"),
        ({"V3": 4}, "prompt V3: rating 4 is outside the scale; choose 0 (Not yet)"),
        ({"S6": -1}, "prompt S6: rating -1 is outside the scale"),
        ({"P2": 2.5}, "prompt P2: the rating must be a whole number, one of 0 (Not yet), 1 (Starting), 2 (Often)"),
        ({"P2": 2.0}, "prompt P2: the rating must be a whole number"),
        ({"I1": "2"}, "prompt I1: the rating must be a whole number"),
        ({"I1": True}, "prompt I1: the rating must be a whole number"),
        ({"I1": "don't know"}, "prompt I1: the rating must be a whole number"),
    ],
)
def test_bad_ratings_name_the_prompt(ratings, words):
    with pytest.raises(ValueError) as caught:
        assess(ratings)
    assert words in str(caught.value)


def test_bad_rating_message_offers_dont_know():
    with pytest.raises(ValueError, match=r"or 'dont-know' \(Don't know\)"):
        assess({"V1": 7})


# --- bad data files ------------------------------------------------------------------------


def _broken(change):
    data = copy.deepcopy(RAW)
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: d["elements"][1]["prompts"].pop(), "elements[1].prompts", "give between 6 and 6 prompts (found 5)"),
        (
            lambda d: d["elements"][2]["prompts"].append(copy.deepcopy(d["elements"][2]["prompts"][0])),
            "elements[2].prompts",
            "(found 7)",
        ),
        (
            lambda d: d["elements"][0]["prompts"][1].update(id="V1"),
            "elements[0].prompts[1].id",
            "duplicate id 'V1' (first used in element V)",
        ),
        (lambda d: d["elements"][3]["prompts"][2].pop("action"), "elements[3].prompts[2].action", "missing"),
        (lambda d: d["elements"][3]["prompts"][2].update(action="  "), "elements[3].prompts[2].action", "empty"),
        (lambda d: d["elements"][0]["prompts"][0].update(text=""), "elements[0].prompts[0].text", "missing or empty"),
        (lambda d: d["elements"][1]["prompts"][0].update(id="V7"), "elements[1].prompts[0].id", "element's letter I"),
        (lambda d: d["elements"].reverse(), "elements[0].code", "must be 'V'"),
        (lambda d: d["elements"].pop(), "elements", "must list the 4 VIPS elements, V I P S, in that order"),
        (
            lambda d: d["elements"][0]["prompts"][0].update(title="x" * 40),
            "elements[0].prompts[0].title",
            "has 40 characters; keep it to 32",
        ),
        (lambda d: d["elements"][0].update(short_name="x" * 30), "elements[0].short_name", "30 characters; keep it"),
        (lambda d: d["scale"].pop(1), "scale[1].value", "must be 1"),
        (lambda d: d["scale"][3].update(label="Often"), "scale", "the scale's labels must all differ"),
        (lambda d: d.pop("notice"), "notice", "missing"),
        (lambda d: d.update(dont_know="no"), "dont_know", "must be an object"),
    ],
)
def test_bad_data_names_the_line_and_field(change, field, words):
    data = _broken(change)
    with pytest.raises(DataError) as caught:
        parse_tool(data)
    assert_data_error(caught.value, data, "data/vips.json", field, words)


def test_the_packaged_data_validates():
    assert parse_tool(RAW) == TOOL


def test_when_the_overall_score_is_missing_the_summary_says_why_with_the_real_numbers():
    # Hawthorn with P1 and P2 "don't know": P keeps 2 rated prompts (P4, P5), one short of 3
    result = assess(HAWTHORN | {"P1": DONT_KNOW, "P2": DONT_KNOW})
    assert result.overall is None
    summary = " ".join(result.summary)
    assert "Overall score not shown: element P (Looking from the person's perspective) has fewer than 3" in summary
    assert "(it has 2); answer at least 3 of its 6 prompts" in summary
    assert "Overall score:" not in summary.replace("Overall score not shown", "")
    # "Weakest" now compares the scored elements only, and says so
    assert "Weakest of the scored elements: Valuing people (V), 1.8 out of 3." in summary
    assert "Strongest of the scored elements: A positive social environment (S)" in summary
    # two elements short: both named, each with its count
    two = " ".join(assess(HAWTHORN | {"P1": DONT_KNOW, "P2": DONT_KNOW, "V1": None, "V2": None, "V3": None}).summary)
    assert (
        "Overall score not shown: the elements Valuing people (V) and Looking from the person's perspective (P) "
        "each have fewer than 3 answers other than \u201cDon't know\u201d (V has 2, P has 2)"
    ) in two


def test_a_full_assessment_has_no_explanation_of_a_missing_overall():
    assert not any(s.startswith("Overall score not shown") for s in assess(HAWTHORN).summary)


def rows_of(text: str) -> list[list[str]]:
    import csv
    import io

    assert text.startswith("\ufeff"), "a BOM, so spreadsheets read UTF-8"
    return list(csv.reader(io.StringIO(text[1:])))


def test_results_csv_has_a_row_a_prompt_then_the_scores():
    rows = rows_of(vips.results_csv(HAWTHORN, name="Hawthorn Gardens"))
    assert rows[0] == ["element", "prompt", "rating", "action"]
    prompts = rows[1:25]
    assert len(prompts) == 24 and rows[25] == []
    first = TOOL.prompt("V1")
    assert prompts[0] == ["V Valuing people", f"V1 {first.title}: {first.text}", "2 Often", first.action]
    assert prompts[3][2] == "Don't know"  # V4
    assert [row[1].split(" ")[0] for row in prompts] == [p.id for p in TOOL.prompts]
    scores = rows[26:]
    assert scores[:4] == [
        ["V Valuing people", "element score", "1.8", ""],
        ["I Treating people as individuals", "element score", "2.0", ""],
        ["P Looking from the person's perspective", "element score", "0.8", ""],
        ["S A positive social environment", "element score", "2.2", ""],
    ]
    assert scores[4] == ["Overall", "mean of the four element scores", "1.7", ""]
    assert scores[5] == ["Service or scheme", "Hawthorn Gardens", "", ""]


def test_results_csv_says_why_there_is_no_overall_and_marks_unanswered_prompts():
    ratings = HAWTHORN | {"P1": DONT_KNOW, "P2": DONT_KNOW, "S1": None}
    rows = rows_of(vips.results_csv(ratings))
    assert next(r for r in rows if r[1].startswith("S1 "))[2] == "Not answered"
    overall = next(r for r in rows if r[:1] == ["Overall"])
    assert overall[2] == "not enough answers"
    assert overall[3].startswith("Overall score not shown: element P") and "(it has 2)" in overall[3]
    assert not any(r[:1] == ["Service or scheme"] for r in rows)  # no name given, no row


def test_results_csv_never_lets_a_typed_name_run_as_a_formula():
    rows = rows_of(vips.results_csv(HAWTHORN, name='=HYPERLINK("http://example.org")'))
    assert rows[-1][1] == '\'=HYPERLINK("http://example.org")'


def test_results_csv_checks_the_ratings_as_assess_does():
    with pytest.raises(ValueError, match="prompt V1: rating 7 is outside the scale"):
        vips.results_csv({"V1": 7})
