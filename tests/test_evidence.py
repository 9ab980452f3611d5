"""The evidence table: the real one validates, and each kind of bad row is named clearly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dementia_housing.content import evidence
from dementia_housing.content.datafiles import DataError
from dementia_housing.content.evidence import parse_evidence

ROOT = Path(__file__).resolve().parents[1]
HEADER = "id,statement,value,unit,year,source_key,locator\n"
SOURCES = {"alzsoc2024", "prince2014"}


def parse(rows: str):
    return parse_evidence(HEADER + rows, SOURCES, filename="data/evidence.csv")


def test_course_table_loads_and_every_source_is_in_the_bibliography():
    table = evidence.load_evidence()
    assert len(table) >= 10
    bib = evidence.bibliography_fields((ROOT / "data" / "references.bib").read_text())
    for fig in table.values():
        assert fig.source_key in bib, fig.id
        assert 1900 <= fig.year <= 2100


def test_a_good_row_is_parsed_with_its_types():
    fig = parse("uk_2024,People living with dementia,982000,people,2024,alzsoc2024,p. 3\n")["uk_2024"]
    assert fig.value == 982000 and isinstance(fig.year, int)
    assert fig.display() == "982,000 people"


def test_the_population_column_is_optional_and_shown_beside_the_value():
    with_column = "id,statement,value,unit,year,source_key,locator,population\n"
    fig = parse_evidence(
        with_column + "a,People living with dementia,982000,people,2024,alzsoc2024,p. 3,aged 65 and over\n",
        {"alzsoc2024"},
    )["a"]
    assert fig.with_year() == "982,000 people (aged 65 and over) in 2024"
    plain = parse("b,Cost,42,£bn,2024,alzsoc2024,x\n")["b"]
    assert plain.population == "" and plain.with_year() == "£42bn in 2024"


def test_every_count_of_people_living_with_dementia_says_who_it_counts():
    """982,000 aged 65+ and 850,000 of all ages must never look alike (issue 13)."""
    unnamed = [
        f.id
        for f in evidence.load_evidence().values()
        if f.unit == "people" and "with dementia" in f.statement and "ATTILA" not in f.statement and not f.population
    ]
    assert not unnamed, f"give these rows a population (aged 65 and over, all ages, under 65): {unnamed}"
    counts = {
        f.id: f.population for f in evidence.load_evidence().values() if f.id.startswith("uk_people_with_dementia")
    }
    assert counts["uk_people_with_dementia_2024"] == "aged 65 and over"
    assert counts["uk_people_with_dementia_2015_prince"] == "all ages"


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("a,Thing,5,%,,alzsoc2024,x\n", "year", "missing"),
        ("a,Thing,5,%,20x4,alzsoc2024,x\n", "year", "not a four-digit year"),
        ("a,Thing,5,%,2024,nosuchsource,x\n", "source_key", "unknown source 'nosuchsource'"),
        ("a,Thing,5,%,2024,,x\n", "source_key", "missing"),
        ("a,Thing,,%,2024,alzsoc2024,x\n", "value", "missing"),
        ("a,Thing,five,%,2024,alzsoc2024,x\n", "value", "'five' is not a number"),
        ("a,Thing,5,furlongs,2024,alzsoc2024,x\n", "unit", "'furlongs' is not a known unit"),
        ('a,Thing,"7,1",%,2024,alzsoc2024,x\n', "value", "'7,1' has a comma that is not a thousands separator"),
        ('a,Thing,"98,20",people,2024,alzsoc2024,x\n', "value", "not a thousands separator"),
        ("A-B,Thing,5,%,2024,alzsoc2024,x\n", "id", "lower case"),
        (",Thing,5,%,2024,alzsoc2024,x\n", "id", "missing"),
        ("a,,5,%,2024,alzsoc2024,x\n", "statement", "missing"),
        ("a,Thing,5,%,2024,alzsoc2024,x,extra\n", "id", "quote any text that contains a comma"),
    ],
)
def test_bad_rows_name_the_line_and_field(row, field, words):
    with pytest.raises(DataError) as caught:
        parse("ok_row,Fine,1,%,2020,prince2014,x\n" + row)
    message = str(caught.value)
    assert message.startswith(f"data/evidence.csv:3, field '{field}'"), message
    assert words in message


def test_duplicate_id_names_both_lines():
    with pytest.raises(DataError, match=r"data/evidence.csv:3, field 'id': duplicate id 'a' \(first used on line 2\)"):
        parse("a,One,1,%,2020,prince2014,x\na,Two,2,%,2021,prince2014,y\n")


def test_missing_column_is_reported():
    with pytest.raises(DataError, match="missing column"):
        parse_evidence("id,statement,value,unit,source_key,locator\n", SOURCES)


def test_unknown_figure_id_suggests_similar_ones():
    with pytest.raises(DataError, match="no figure with id 'prevalence_rate_60_64'.*prevalence_rate_65_69"):
        evidence.figure("prevalence_rate_60_64")


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        ("7.1", "%", "7.1%"),
        ("42", "£bn", "£42bn"),
        ("28665", "£", "£28,665"),
        ("1400000", "people", "1,400,000 people"),
    ],
)
def test_display_formats(value, unit, shown):
    fig = parse(f"a,Thing,{value},{unit},2024,alzsoc2024,x\n")["a"]
    assert fig.display() == shown


def test_every_fig_role_in_the_book_names_a_real_figure():
    used = set()
    for page in [*ROOT.glob("book/**/*.md"), *ROOT.glob("book/**/*.ipynb")]:
        used |= set(re.findall(r"\{fig\}`([^`]+)`", page.read_text(encoding="utf-8")))
    assert used, "the book should take its figures from the evidence table"
    table = evidence.load_evidence()
    assert sorted(used - set(table)) == []


def test_source_label_is_readable():
    assert evidence.source_label("prince2014") == "Prince et al. (2014), Dementia UK: Update"
    with pytest.raises(DataError, match="unknown source"):
        evidence.source_label("nope")


def test_commas_are_read_only_as_thousands_separators():
    table = parse('a,Thing,"982,000",people,2024,alzsoc2024,x\nb,Other,"1,234.5",%,2024,alzsoc2024,y\n')
    assert table["a"].value == 982000 and float(table["b"].value) == 1234.5
