"""The book: its table of contents, a clean build with warnings as errors, a self-contained site."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from helpers import source_of, toc_files
from site_checks import stigmatising_words

from dementia_housing.content import course_map

ROOT = Path(__file__).resolve().parents[1]
MIN_WORDS = 300  # a page below this is a placeholder, and the toc admits none


def words_in(path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        text = " ".join("".join(c["source"]) for c in json.loads(text)["cells"] if c["cell_type"] == "markdown")
    return len(re.findall(r"[A-Za-z]{2,}", text))


@pytest.mark.parametrize("entry", toc_files())
def test_every_toc_entry_is_a_real_page(entry):
    if entry.endswith("references"):
        return  # the bibliography page is generated from references.bib
    source = source_of(entry)
    if entry.startswith("book/exercises/"):  # a one-line stub: the page is made from the released notebook
        source = ROOT / "exercises" / Path(entry).name / f"{Path(entry).name}.ipynb"
    assert words_in(source) >= MIN_WORDS


# The chapters themselves (not a chapter's own pages, such as chapter 6's data page).
CHAPTERS = [entry for entry in toc_files() if entry in {f"book/{c.slug}" for c in course_map.CHAPTERS}]


def test_welcome_maps_every_outcome_and_each_chapter_names_the_outcomes_its_self_check_tests():
    welcome = (ROOT / "book" / "welcome.md").read_text(encoding="utf-8")
    mapped = set(re.findall(r"^\* - (LO\d+)$", welcome, flags=re.M))
    assert mapped == {f"LO{n}" for n in range(1, 10)}, "the welcome page's outcome table must list LO1 to LO9"
    for entry in CHAPTERS:
        chapter = source_of(entry).read_text(encoding="utf-8")
        outcomes = chapter.split("## Learning outcomes", 1)[1].split("\n## ", 1)[0]
        bank = json.loads((ROOT / "data" / "self-checks" / f"{Path(entry).name}.json").read_text(encoding="utf-8"))
        tested = {question["outcome"] for question in bank["questions"]}
        assert tested <= set(re.findall(r"LO\d+", outcomes)), f"{entry}: self-check tests outcomes it does not state"
        assert tested <= mapped


def test_config_keeps_the_book_offline_and_scoped():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["only_build_toc_files"] is True
    assert config["execute"]["execute_notebooks"] == "force"  # the site cannot show stale outputs
    widget_js = config["sphinx"]["config"]["nb_ipywidgets_js"]
    assert widget_js and all(not re.match(r"(https?:)?//", path) for path in widget_js)


class _Loads(HTMLParser):
    """Collects addresses the browser would load by itself (not plain links a reader follows)."""

    def __init__(self):
        super().__init__()
        self.loads: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "img", "iframe", "audio", "video", "source", "embed"} and attrs.get("src"):
            self.loads.append(attrs["src"])
        if (
            tag == "link"
            and attrs.get("href")
            and attrs.get("rel") in {"stylesheet", "preload", "icon", "modulepreload"}
        ):
            self.loads.append(attrs["href"])


@pytest.mark.build
def test_book_builds_cleanly_and_loads_nothing_from_outside(built_site: Path):
    pages = sorted(built_site.rglob("*.html"))
    assert (built_site / "book" / "welcome.html").exists()
    assert (built_site / "book" / "tools" / "prevalence-estimator.html").exists()
    outside = {}
    for page in pages:
        parser = _Loads()
        parser.feed(page.read_text(encoding="utf-8"))
        remote = [src for src in parser.loads if re.match(r"(https?:)?//", src)]
        if remote:
            outside[str(page.relative_to(built_site))] = remote
    assert outside == {}
    for css in built_site.rglob("*.css"):
        assert not re.search(r"@import\s+url\(\s*['\"]?(https?:)?//", css.read_text(errors="ignore")), css


@pytest.mark.build
def test_widget_page_uses_the_vendored_widget_manager(built_site: Path):
    html = (built_site / "book" / "tools" / "prevalence-estimator.html").read_text()
    assert "application/vnd.jupyter.widget-state+json" in html
    # one small loader on the page; it fetches the manager's three files from its own folder
    assert "ipywidgets/widgets-on-demand.js" in html
    loader = (built_site / "ipywidgets" / "widgets-on-demand.js").read_text()
    for name in ("requirejs-config.js", "require.js", "embed-amd.js"):
        assert f"ipywidgets/{name}" not in html, f"{name} is on the page itself"
        assert f'"{name}"' in loader and (built_site / "ipywidgets" / name).exists()
    # learners can download the notebook to run the tool with their own figures
    assert 'href="../../_sources/book/tools/prevalence-estimator.ipynb"' in html
    assert (built_site / "_sources" / "book" / "tools" / "prevalence-estimator.ipynb").exists()


@pytest.mark.build
def test_figures_carry_their_year_and_a_numbered_note_to_their_source(built_site: Path):
    """Issue 13: "[Author, year]" after every number made pages hard to read. A figure keeps its
    year and gets a short numbered note; the page lists each note's source once, linked."""
    html = (built_site / "book" / "welcome.html").read_text()
    note = re.search(
        r'982,000 people \(aged 65 and over\) in 2024</span><a class="dh-note[^"]*" href="#(figure-source-(\d+))"[^>]*>'
        r"<sup>\[(\d+)\]</sup></a>",
        html,
    )
    assert note, "fig role output changed"
    anchor, number, shown = note.groups()
    assert number == shown
    item = re.search(rf'<li id="{anchor}"><p>(.*?)</p>', html, re.S)
    assert item and re.search(r"Alzheimer(&#39;|')s Society, 2024</a>", item.group(1)), "the note's source is wrong"
    assert 'href="references.html#id' in item.group(1), "the source must link to the list of references"
    for page in (built_site / "book").glob("ch*.html"):
        text = page.read_text(encoding="utf-8")
        shown_notes = set(re.findall(r'href="#(figure-source-\d+)"', text))
        listed = set(re.findall(r'<li id="(figure-source-\d+)">', text))
        assert shown_notes == listed, f"{page.name}: every note needs its source, and every listed source a note"


@pytest.mark.build
@pytest.mark.parametrize("entry", [e for e in CHAPTERS if (ROOT / "exercises" / Path(e).name).is_dir()])
def test_each_chapter_offers_its_exercise_notebook_for_download(built_site: Path, entry):
    """Learners get the released notebook itself (never the solution) from the chapter page."""
    assignment = Path(entry).name
    html = (built_site / f"{entry}.html").read_text(encoding="utf-8")
    links = re.findall(rf'href="(\.\./_downloads/[0-9a-f]+/{assignment}\.ipynb)"', html)
    assert len(links) == 1, f"{entry}: no single download link for its exercise"
    downloaded = (built_site / "book" / links[0]).resolve()
    released = ROOT / "exercises" / assignment / f"{assignment}.ipynb"
    assert downloaded.read_bytes() == released.read_bytes()


WORD_LIST_FOLDERS = ("book", "data", "exercises", "solutions")
WORD_LIST_SUFFIXES = {".md", ".ipynb", ".json", ".csv", ".bib", ".txt", ".yml"}
VENDORED = {"_widgets_extra", "_build", ".ipynb_checkpoints"}  # third-party files and build output


def word_list_files() -> list[str]:
    return sorted(
        path.relative_to(ROOT).as_posix()
        for folder in WORD_LIST_FOLDERS
        for path in (ROOT / folder).rglob("*")
        if path.suffix in WORD_LIST_SUFFIXES and path.is_file() and not VENDORED & set(path.parts)
    )


def readable_text(path: Path) -> str:
    """What a reader sees of a file: a notebook's cell sources, a JSON file's strings (one a
    line, so that JSON's own quotation marks do not hide a word), other files as they are."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        return "\n".join("".join(cell["source"]) for cell in json.loads(text)["cells"])
    if path.suffix == ".json":
        strings: list[str] = []

        def walk(value):
            if isinstance(value, str):
                strings.append(value)
            elif isinstance(value, dict):  # ids too: they show in the pages' addresses
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)

        walk(json.loads(text))
        return "\n".join(strings)
    return text


@pytest.mark.parametrize("file", word_list_files())
def test_pages_use_person_first_language(file):
    """No stigmatising labels ("sufferer", "demented", "senile", "victim of dementia", "elderly
    mentally infirm", "EMI") in the course's pages, data, exercises or solutions; "wandering"
    only in quotation marks, as a label to question."""
    found = stigmatising_words(readable_text(ROOT / file))
    assert found == [], "\n".join(found)
