"""The course's content promises, over every page in the toc and the data behind them:

- every £ amount and percentage in a page's prose was written by the ``{fig}`` role (a row of
  data/evidence.csv) or marked by ``{example}`` as not a figure about the world;
- every row of the evidence table is used somewhere, or kept in reserve with a reason;
- every learning outcome is taught in a chapter section and asked in an exercise, and every
  self-check and exercise question names its outcome;
- internal links resolve, and every outside link is in one report for a person to check.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from helpers import ROOT, source_of, toc_files
from site_checks import external_links, unglued_figures

from dementia_housing.content import course_map, evidence, selfcheck
from dementia_housing.content.datafiles import DataError

TOC_PAGES = [f"{entry}.html" for entry in toc_files()]


def _page(built_site: Path, page: str) -> str:
    return (built_site / page).read_text(encoding="utf-8")


# --- figures --------------------------------------------------------------------------------


@pytest.mark.build
def test_every_pound_and_percentage_figure_in_the_prose_comes_from_the_evidence_table(built_site: Path):
    """A figure typed into a page (not via {fig}) has no year or source, and is not updated when
    the table is. Mark an amount that is not about the world with {example}."""
    unglued = [f"{page}: {text}" for page in TOC_PAGES for text in unglued_figures(_page(built_site, page))]
    assert unglued == [], "figures not from the evidence table ({fig}) nor marked {example}:\n" + "\n".join(unglued)


@pytest.mark.build
def test_every_marked_figure_names_a_row_of_the_evidence_table(built_site: Path):
    table = evidence.load_evidence()
    marked = {
        fig_id for page in TOC_PAGES for fig_id in re.findall(r'data-evidence="([^"]+)"', _page(built_site, page))
    }
    assert marked, "no page marks a figure: the {fig} role's mark changed"
    assert marked <= set(table), sorted(marked - set(table))


def test_placeholders_are_filled_from_the_table_and_marked():
    fig = evidence.figure("uk_people_with_dementia_2024")
    assert evidence.fill_placeholders(
        "{fig:uk_people_with_dementia_2024} and {value:uk_people_with_dementia_2024}"
    ) == (f"{fig.display()} and {evidence.number_text(fig)}")
    html = evidence.fill_placeholders("over {example:£1,000}", mark=lambda kind, fig_id, shown: f"<{kind}>{shown}")
    assert html == "over <example>£1,000"
    with pytest.raises(DataError, match="no figure with id 'no_such_row'"):
        evidence.fill_placeholders("{fig:no_such_row}")


def test_a_bad_placeholder_in_a_bank_names_the_file_and_field():
    bank = json.loads((ROOT / "data" / "self-checks" / "ch01-why-housing.json").read_text(encoding="utf-8"))
    bank["questions"][0]["prompt"] = "About {fig:no_such_row} people."
    with pytest.raises(DataError) as raised:
        selfcheck.parse_bank(bank, "ch01-why-housing")
    assert raised.value.file == "data/self-checks/ch01-why-housing.json"
    assert raised.value.field == "questions[0].prompt" or "prompt" in str(raised.value)
    assert "no figure with id 'no_such_row'" in str(raised.value)


def test_banks_show_their_figures_marked_and_their_plain_text_filled():
    bank = selfcheck.load_bank("ch01-why-housing")
    html = selfcheck.bank_html(bank)
    assert "{fig:" not in html and "{value:" not in html
    shown = evidence.figure("uk_people_with_dementia_2024")
    assert f'<span class="dh-figure" data-evidence="{shown.id}">{evidence.number_text(shown)}</span>' in html
    assert all("{" not in q.prompt for q in bank.questions)


# --- every row used or in reserve -----------------------------------------------------------

USED_IN = ("book", "src", "exercises", "solutions", "data")
TEXT_SUFFIXES = {".md", ".ipynb", ".py", ".json", ".csv", ".js", ".yml"}
NOT_USES = {ROOT / "data" / "evidence.csv", ROOT / "data" / "evidence-reserve.csv"}


def _uses_text() -> str:
    files = [
        path
        for folder in USED_IN
        for path in (ROOT / folder).rglob("*")
        if path.suffix in TEXT_SUFFIXES and path.is_file() and path not in NOT_USES and "_build" not in path.parts
    ]
    return "\n".join(path.read_text(encoding="utf-8", errors="ignore") for path in files)


def test_every_row_of_the_evidence_table_is_used_or_kept_in_reserve():
    """A row is used when its id appears in a page ({fig}), a question bank's placeholder, a
    tool or model (src/), a notebook or an exercise; otherwise it goes in
    data/evidence-reserve.csv with a reason. A reserve row that is used is taken off the list."""
    text = _uses_text()
    used = {fig_id for fig_id in evidence.load_evidence() if re.search(rf"\b{fig_id}\b", text)}
    reserve = evidence.load_reserve()
    unused = sorted(set(evidence.load_evidence()) - used - set(reserve))
    assert unused == [], f"rows no page, tool or exercise uses: add each to data/evidence-reserve.csv: {unused}"
    assert sorted(used & set(reserve)) == [], "rows in reserve that are used: take them off data/evidence-reserve.csv"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("id,why\n", "header must be id,reason"),
        ("id,reason\nno_such_row,kept\n", "'no_such_row' is not a row"),
        ("id,reason\nuk_people_with_dementia_2024,\n", "missing; say why"),
    ],
)
def test_a_bad_reserve_list_is_a_clear_error(text, words):
    with pytest.raises(DataError, match=words) as raised:
        evidence.parse_reserve(text, evidence.load_evidence())
    assert str(raised.value).startswith("data/evidence-reserve.csv")


# --- learning outcomes ----------------------------------------------------------------------

OUTCOMES = set(selfcheck.OUTCOMES)
EXERCISE_MAP = {
    name: entries
    for name, entries in json.loads((ROOT / "data" / "exercise-map.json").read_text(encoding="utf-8")).items()
    if not name.startswith("_")
}
CHAPTERS = [e for e in toc_files() if e in {f"book/{c.slug}" for c in course_map.CHAPTERS}]


def stated_outcomes(entry: str) -> set[str]:
    """The outcomes a chapter's "Learning outcomes" section states."""
    text = source_of(entry).read_text(encoding="utf-8")
    return set(re.findall(r"LO\d+", text.split("## Learning outcomes", 1)[1].split("\n## ", 1)[0]))


def exercise_outcomes(assignment: str) -> set[str]:
    """The outcomes a released exercise names in its opening cell (they hold for each of its questions)."""
    notebook = json.loads((ROOT / "exercises" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
    return set(re.findall(r"LO\d+", "".join(notebook["cells"][0]["source"])))


def test_every_outcome_is_taught_in_a_chapter_section_and_asked_in_an_exercise_question():
    taught = {
        lo
        for entry in CHAPTERS
        if re.search(r"^## ", source_of(entry).read_text(), re.M)
        for lo in stated_outcomes(entry)
    }
    asked = {lo for assignment, questions in EXERCISE_MAP.items() if questions for lo in exercise_outcomes(assignment)}
    assert OUTCOMES - taught == set(), f"outcomes no chapter states: {sorted(OUTCOMES - taught)}"
    assert OUTCOMES - asked == set(), f"outcomes no exercise question asks: {sorted(OUTCOMES - asked)}"


@pytest.mark.parametrize("assignment", sorted(EXERCISE_MAP))
def test_each_exercise_names_the_outcomes_its_chapter_states(assignment):
    named = exercise_outcomes(assignment)
    assert named, f"{assignment}: the opening cell names no outcome (LO1 to LO9)"
    assert named <= OUTCOMES
    assert named <= stated_outcomes(f"book/{assignment}"), f"{assignment}: names outcomes its chapter does not state"


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "data" / "self-checks").glob("*.json")))
def test_every_self_check_question_names_its_outcome(name):
    raw = json.loads((ROOT / "data" / "self-checks" / f"{name}.json").read_text(encoding="utf-8"))
    bank = selfcheck.load_bank(name)  # the parser refuses a question without a valid outcome
    assert len(bank.questions) == len(raw["questions"])
    assert all(question.outcome in OUTCOMES for question in bank.questions)


# --- links ----------------------------------------------------------------------------------

INTERNAL_HREF = re.compile(r'<(?:a|link)\b[^>]*\bhref="(?![a-z]+:|//|#)([^"]+)"')


@pytest.mark.build
def test_internal_links_on_every_page_resolve(built_site: Path):
    """What the -W -n build checks for cross-references, also for raw HTML links and anchors."""
    broken = []
    ids: dict[Path, set[str]] = {}
    for page in TOC_PAGES:
        here = built_site / page
        for href in INTERNAL_HREF.findall(_page(built_site, page)):
            target, _, anchor = href.partition("#")
            path = (here.parent / target.split("?")[0]).resolve() if target else here
            if path.is_dir():
                path = path / "index.html"
            if not path.exists():
                broken.append(f"{page}: {href} (no such file)")
            elif anchor and path.suffix == ".html":
                if path not in ids:
                    ids[path] = set(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8")))
                if anchor not in ids[path]:
                    broken.append(f"{page}: {href} (no such anchor)")
    assert broken == [], "\n".join(broken)


@pytest.mark.build
def test_outside_links_are_listed_in_one_report_for_a_person_to_check(built_site: Path):
    report = built_site.parent / "external-links.csv"
    assert report.exists(), "the build wrote no _build/external-links.csv (book/_ext/link_report.py)"
    with report.open(encoding="utf-8") as rows:
        listed = {(row["page"], row["url"]) for row in csv.DictReader(rows)}
    # One outside link as the sources write it, found afresh each time: a DOI in references.bib,
    # which the list of references links to.
    doi = re.search(r"^\s*doi\s*=\s*\{([^}]+)\}", (ROOT / "data" / "references.bib").read_text(encoding="utf-8"), re.M)
    assert doi, "references.bib has no DOI to look for"
    assert ("book/references.html", f"https://doi.org/{doi.group(1)}") in listed, (
        f"DOI {doi.group(1)} is not in the report"
    )
    on_pages = {(page, href) for page in TOC_PAGES for _, href in external_links(_page(built_site, page))}
    assert on_pages - listed == set(), sorted(on_pages - listed)[:10]


# --- the checkers themselves, on small broken snippets (no build needed) ----------------------


def article(body: str) -> str:
    return f'<html><body><nav>£5 menu</nav><article class="bd-article">{body}</article></body></html>'


def test_the_figure_check_finds_typed_figures_and_passes_marked_ones():
    page = article(
        '<p>It costs <span class="dh-figure" data-evidence="x">£42bn a year in 2024</span>; about 7.1% have it,'
        ' and a band <span class="dh-example">£100</span>; and £1,000 more.</p>'
        "<pre>total = 45%</pre><div class='cell_output'>12%</div>"
        '<section class="dh-figure-sources-section">£9</section><div class="citation">99 per cent</div>'
    )
    found = unglued_figures(page)
    assert [f.split("[")[1].split("]")[0] for f in found] == ["7.1%", "£1,000"]
    assert "about [7.1%] have it" in found[0]


def test_the_word_list_finds_labels_and_unquoted_wandering():
    from site_checks import stigmatising_words

    text = 'A dementia sufferer.\nWe avoid "wandering" and say walking.\nStaff saw wandering at night.\nEMI unit.'
    found = stigmatising_words(text)
    assert len(found) == 3 and "line 1: 'sufferer'" in found[0]
    assert "line 3: unquoted 'wandering'" in found[1] and "line 4: 'EMI'" in found[2]
    assert stigmatising_words("The tenant's flat; 'wandering' is a label we question.") == []


def test_the_link_reader_lists_only_outside_links_in_the_article():
    page = article('<a href="https://example.org/a">A report</a> <a href="ch01.html">Chapter 1</a>')
    assert external_links(page.replace("<nav>", '<nav><a href="https://elsewhere.example">x</a>')) == [
        ("A report", "https://example.org/a")
    ]
