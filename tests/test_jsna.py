"""Chapter 6's fictional district: its data, the ward comparison, the page and the exercise agree."""

from __future__ import annotations

import json
import re

import pytest
from helpers import ROOT

from dementia_housing.content import jsna
from dementia_housing.content.datafiles import DataError
from dementia_housing.models import prevalence

POPULATION = (ROOT / "data" / jsna.POPULATION).read_text(encoding="utf-8")
HOUSING = (ROOT / "data" / jsna.HOUSING).read_text(encoding="utf-8")
DIAGNOSES = (ROOT / "data" / jsna.DIAGNOSES).read_text(encoding="utf-8")
PAGE = json.loads((ROOT / "book" / "ch06-jsna.ipynb").read_text(encoding="utf-8"))
EXERCISE = json.loads(
    (ROOT / "solutions" / "ch06-commissioning" / "ch06-commissioning.ipynb").read_text(encoding="utf-8")
)


def tiny(population: str = "", housing: str = "", diagnoses: str = ""):
    """A one-ward district: 100 people aged 80-84 and 100 aged 65-69, 3 sheltered and 1 extra care unit."""
    bands = {"65-69": 100, "80-84": 100}
    rows = "".join(f"Ward A,2025,{b},{bands.get(b, 0)}\n" for b in prevalence.BAND_LABELS)
    return (
        population or "ward,year,age_band,people\n" + rows,
        housing or "ward,year,sheltered_units,extra_care_units\nWard A,2025,3,1\n",
        diagnoses or "ward,year,known_diagnoses_65_plus\nWard A,2025,5\n",
    )


def test_the_shipped_district_has_every_band_for_both_years_and_says_it_is_invented():
    table = jsna.read_population(POPULATION)
    wards = {ward for ward, _ in table}
    assert 5 <= len(wards) <= 7
    assert {year for _, year in table} == {2025, 2035}
    assert len(table) == 2 * len(wards)
    readme = (ROOT / "data" / "jsna" / "README.md").read_text(encoding="utf-8").lower()
    assert "invented" in readme and "fictional" in readme
    assert all("fictional" in name for name in jsna.FILES)


def test_a_ward_comparison_follows_from_the_model_and_the_files():
    (row,) = jsna.compare(*tiny(), year=2025)
    rate_65, rate_80 = (prevalence.band_rates()[i].proportion for i in (0, 3))
    assert row.expected == pytest.approx(100 * rate_65 + 100 * rate_80)
    assert row.people_65_plus == 200 and row.people_75_plus == 100
    assert row.gap == pytest.approx(row.expected - 5)
    assert row.specialist_per_100_aged_75_plus == pytest.approx(4.0)
    assert row.extra_care_per_100_aged_75_plus == pytest.approx(1.0)


def test_the_wards_add_up_to_the_district_estimate():
    for year in (2025, 2035):
        rows = jsna.load(year)
        bands: dict[str, int] = {}
        for (_ward, y), counts in jsna.read_population(POPULATION).items():
            if y == year:
                for band, n in counts.items():
                    bands[band] = bands.get(band, 0) + n
        assert jsna.district_total(rows).expected == pytest.approx(prevalence.estimate(bands).expected)


def test_the_district_matches_what_the_chapter_and_exercise_say_about_it():
    now, later = jsna.load(2025), jsna.load(2035)
    total = jsna.district_total(now)
    assert total.known_diagnoses < total.expected  # exercise q5: diagnoses "well below" the estimate
    assert jsna.district_total(later).expected > total.expected  # the projection grows
    assert all(a.known_diagnoses < a.expected < b.expected for a, b in zip(now, later, strict=True))
    # the page's chart alt text: the ward with most extra care has the smallest gap
    most_extra_care = max(now, key=lambda r: r.extra_care_units)
    assert most_extra_care == min(now, key=lambda r: r.gap)


@pytest.mark.parametrize(
    ("which", "text", "field", "words"),
    [
        ("population", "ward,year,age_band,people\nWard A,2025,65 to 69,10\n", "age_band", "is not one of"),
        ("population", "ward,year,age_band,people\nWard A,2025,65-69,ten\n", "people", "whole number"),
        ("population", "ward,year,age_band,people\nWard A,2025,65-69,-4\n", "people", "whole number"),
        ("population", "ward,year,people\nWard A,2025,4\n", None, "missing column(s) age_band"),
        ("housing", "ward,year,sheltered_units,extra_care_units\nWard A,2025,3,1\nWard A,2025,2,0\n", "ward", "twice"),
        ("housing", "ward,year,sheltered_units,extra_care_units\nWard B,2025,3,1\n", "ward", "must be those"),
        ("diagnoses", "ward,year,known_diagnoses_65_plus\nWard A,2025,500\n", "known_diagnoses_65_plus", "more"),
    ],
)
def test_bad_data_names_the_file_line_and_field(which, text, field, words):
    files = dict(zip(("population", "housing", "diagnoses"), tiny(), strict=True))
    files[which] = text
    with pytest.raises(DataError) as caught:
        jsna.compare(files["population"], files["housing"], files["diagnoses"], year=2025)
    assert caught.value.file.startswith("data/jsna/") and caught.value.field == field
    assert words in str(caught.value)


def test_a_missing_band_and_a_missing_year_are_explained():
    text = "ward,year,age_band,people\nWard A,2025,65-69,10\n"
    with pytest.raises(DataError, match="has no row for 70-74"):
        jsna.read_population(text)
    with pytest.raises(ValueError, match="no population for 2040"):
        jsna.compare(*tiny(), year=2040)


def _markdown() -> str:
    return "\n".join("".join(c["source"]) for c in PAGE["cells"] if c["cell_type"] == "markdown")


def test_the_page_offers_every_file_and_says_the_district_is_fictional():
    text = _markdown()
    assert PAGE["cells"][0]["source"][0].startswith("# A needs assessment for a fictional district")
    for name in jsna.FILES:
        assert f"</data/{name}>" in text, f"no download link to {name}"
    assert text.lower().count("fictional") >= 3


def test_the_chart_has_alt_text_naming_the_ward_with_the_largest_gap():
    charts = [c for c in PAGE["cells"] if c["metadata"].get("mystnb", {}).get("image", {}).get("alt")]
    assert len(charts) == 1
    alt = charts[0]["metadata"]["mystnb"]["image"]["alt"]
    assert "fictional" in alt.lower()
    widest = max(jsna.load(2025), key=lambda r: r.gap)
    assert widest.ward in alt, "the alt text no longer names the ward with the largest gap: update it"
    assert any(o.get("data", {}).get("image/png") for o in charts[0].get("outputs", [])), "execute the page"


def test_the_exercise_loads_the_shipped_data_and_its_answer_keys_follow_from_it():
    code = "\n".join("".join(c["source"]) for c in EXERCISE["cells"] if c["cell_type"] == "code")
    assert f'data_path("{jsna.POPULATION}")' in code
    assert "pd.DataFrame(" not in code, "the exercise should load the district, not build its own table"
    riverside = next(r for r in jsna.load(2025) if r.ward == "Riverside")
    assert f"riverside_people == {riverside.people_65_plus}" in code
    expected = re.search(r"district_expected - ([0-9.]+)", code)
    assert expected and float(expected.group(1)) == pytest.approx(
        jsna.district_total(jsna.load(2025)).expected, abs=0.001
    )
