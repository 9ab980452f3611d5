"""The prevalence model against hand-worked examples, and its answers to bad input."""

from __future__ import annotations

import math

import pytest

from dementia_housing.models import prevalence
from dementia_housing.models.prevalence import compare_with_known, estimate, parse_count

# Elm Grove, worked by hand with the 2013 rates (1.7, 3.0, 6.0, 11.1, 18.3, 29.9, 41.1 %):
# 4×.017 + 8×.030 + 14×.060 + 20×.111 + 18×.183 + 12×.299 + 4×.411
#   = .068 + .240 + .840 + 2.220 + 3.294 + 3.588 + 1.644 = 11.894
# variance Σ n·p·(1−p) = 9.237526; 1.96 × √9.237526 = 5.957 -> range 5.937…17.851 -> 5 to 18
ELM_GROVE = {"65-69": 4, "70-74": 8, "75-79": 14, "80-84": 20, "85-89": 18, "90-94": 12, "95+": 4}


def test_hand_worked_scheme():
    result = estimate(ELM_GROVE)
    assert result.total_residents == 80
    assert result.expected == pytest.approx(11.894, abs=1e-9)
    assert (result.low, result.high) == (5, 18)
    assert result.expected_whole == 12
    assert [round(b.expected, 3) for b in result.bands] == [0.068, 0.24, 0.84, 2.22, 3.294, 3.588, 1.644]
    assert result.source_key == "prince2014" and result.rates_year == 2013


def test_single_band_and_missing_bands_count_as_nobody():
    result = estimate({"85-89": 100})
    assert result.expected == pytest.approx(18.3)
    assert result.total_residents == 100
    spread = 1.96 * math.sqrt(100 * 0.183 * 0.817)
    assert (result.low, result.high) == (math.floor(18.3 - spread), math.ceil(18.3 + spread))


def test_nobody_gives_zero():
    result = estimate({})
    assert (result.expected, result.low, result.high, result.total_residents) == (0, 0, 0, 0)


def test_estimate_scales_with_residents():
    one = estimate({"75-79": 10}).expected
    ten = estimate({"75-79": 100}).expected
    assert ten == pytest.approx(10 * one)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "blank; enter 0 if there is nobody"),
        ("   ", "blank"),
        ("-3", "enter 0 or more (you typed -3)"),
        (-5, "enter 0 or more (you typed -5)"),
        ("-2.5", "enter 0 or more (you typed -2.5)"),
        ("2.5", "whole numbers; enter a whole number from 0 to 100,000 (you typed 2.5)"),
        (2.5, "whole number"),
        ("abc", "(you typed 'abc', which is not a number)"),
        ("nan", "is not a number"),
        ("inf", "is not a number"),
        (float("inf"), "is not a number"),
        (True, "enter a number of people, such as 12 (got True)"),
        (None, "enter a number of people, such as 12 (got NoneType)"),
        ("100001", "enter a whole number from 0 to 100,000 (you typed 100,001)"),
        ("99,999,999,999", "enter a whole number from 0 to 100,000 (you typed 99,999,999,999)"),
        ("99999999999", "enter a whole number from 0 to 100,000 (you typed 99,999,999,999)"),
        (99_999_999_999, "enter a whole number from 0 to 100,000 (you typed 99,999,999,999)"),
        (1e20, "(you typed 100,000,000,000,000,000,000)"),
        ("1e12", "enter a whole number from 0 to 100,000 (you typed 1e12)"),
        ("9" * 5000, "enter a whole number from 0 to 100,000"),  # no crash on a very long number
    ],
)
def test_bad_counts_are_explained(raw, words):
    with pytest.raises(ValueError) as caught:
        parse_count("age band 85-89", raw)
    assert str(caught.value).startswith("age band 85-89: ")
    assert words in str(caught.value)
    assert "e+" not in str(caught.value)


def test_the_limits_are_plausible_counts():
    assert prevalence.MAX_COUNT == 100_000
    assert parse_count("x", "100,000") == parse_count("x", 100_000) == 100_000
    assert parse_count("x", "0") == parse_count("x", "-0") == 0
    for too_many in ("100,001", 100_001, 100_001.0):
        with pytest.raises(ValueError, match=r"from 0 to 100,000 \(you typed 100,001\)"):
            parse_count("x", too_many)
    with pytest.raises(ValueError, match="age band 95\\+: enter a whole number from 0 to 100,000"):
        estimate({"95+": 99_999_999_999})


@pytest.mark.parametrize(("raw", "value"), [("12", 12), (" 7 ", 7), ("1,200", 1200), (3.0, 3), ("4.0", 4), (0, 0)])
def test_good_counts(raw, value):
    assert parse_count("x", raw) == value


def test_estimate_names_the_bad_band():
    with pytest.raises(ValueError, match="age band 90-94: enter 0 or more"):
        estimate({"65-69": 3, "90-94": -1})
    with pytest.raises(ValueError, match="unknown age band"):
        estimate({"60-64": 3})


def test_comparison_readings():
    result = estimate(ELM_GROVE)  # range 5 to 18
    assert "Fewer people have a known diagnosis" in compare_with_known(result, 4).reading
    assert "in line" in compare_with_known(result, 5).reading
    assert "in line" in compare_with_known(result, 18).reading
    assert "More people have a known diagnosis" in compare_with_known(result, 19).reading
    assert compare_with_known(result, 4).gap == pytest.approx(7.894)


def test_comparison_rejects_more_diagnoses_than_residents():
    with pytest.raises(ValueError, match="81 is more than the 80 residents"):
        compare_with_known(estimate(ELM_GROVE), 81)
    with pytest.raises(ValueError, match="1,001 is more than the 1,000 residents"):
        compare_with_known(estimate({"85-89": 1000}), "1001")


def test_rates_come_from_the_evidence_table():
    rates = prevalence.band_rates()
    assert [r.band for r in rates] == list(prevalence.BAND_LABELS)
    assert all(r.evidence.unit == "%" for r in rates)
    assert [r.evidence.number for r in rates] == sorted(r.evidence.number for r in rates)
