"""The welcome page's promises follow the table of contents; the About page, its review dates
and the footer's one route for reporting an error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from helpers import assert_data_error

from dementia_housing.content import course_map
from dementia_housing.content.datafiles import DataError, entry_of, load

ROOT = Path(__file__).resolve().parents[1]

TOC = """\
parts:
  - caption: "Part I"
    chapters:
      - file: book/ch01-why-housing   # 1
      - file: book/ch02-understanding
  # - caption: "Part III"
  #   chapters:
  #     - file: book/ch05-evidence
      - file: book/ch06-commissioning
        sections:
          - file: book/ch06-jsna
"""


def test_only_listed_chapters_count_as_published_and_the_rest_are_coming():
    values = course_map.substitutions(TOC)
    assert values["chapters_published"] == "three"
    assert values["chapters_total"] == "nine"
    assert values["chapters_status"] == "three of its nine chapters are published"
    every = "".join(f"      - file: book/{c.slug}\n" for c in course_map.CHAPTERS)
    assert course_map.substitutions(every)["chapters_status"] == "all nine of its chapters are published"
    assert values["status_ch01"] == values["status_ch06"] == ""
    assert values["status_ch05"] == course_map.COMING  # commented out
    assert values["status_ch09"] == course_map.COMING  # not listed at all


def test_the_welcome_page_uses_every_chapters_status_in_both_tables():
    welcome = (ROOT / "book" / "welcome.md").read_text(encoding="utf-8")
    for chapter in course_map.CHAPTERS:
        marker = f"{chapter.title}{{{{ status_ch{chapter.number:02d} }}}}"
        flat = re.sub(r"\s*\n\s*", " ", welcome)
        assert flat.count(marker) == 2, f"the outcome table and the map must both mark chapter {chapter.number}"
    assert "{{ chapters_status }}" in welcome


def test_review_dates_must_be_real_dates_in_order():
    reviewed, due = course_map.review_dates(load("evidence-review.json"))
    assert reviewed < due
    for data, field, words in [
        ({"reviewed": "1 Dec 2026", "next_review_due": "2027-06-01"}, "reviewed", "YYYY-MM-DD"),
        ({"reviewed": "2026-12-01", "next_review_due": "2026-11-30"}, "next_review_due", "after"),
        ({"reviewed": "2026-12-01"}, "next_review_due", "missing"),
    ]:
        with pytest.raises(DataError) as caught:
            course_map.review_dates(entry_of(data, "evidence-review.json"))
        assert_data_error(caught.value, data, "evidence-review.json", field, words)


def test_about_substitutions_write_dates_in_words():
    entry = entry_of({"reviewed": "2026-03-09", "next_review_due": "2026-09-09"}, "evidence-review.json")
    values = course_map.about_substitutions(entry, "1.2.3")
    assert values == {
        "evidence_reviewed": "9 March 2026",
        "evidence_review_due": "9 September 2026",
        "course_version": "1.2.3",
        "course_year": "2026",
    }


def _published_chapters() -> list[course_map.Chapter]:
    listed = course_map.published_slugs((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [chapter for chapter in course_map.CHAPTERS if chapter.slug in listed]


@pytest.mark.build
def test_built_welcome_says_how_many_chapters_are_published_and_marks_the_others(built_site: Path):
    html = (built_site / "book" / "welcome.html").read_text(encoding="utf-8")
    published = _published_chapters()
    status = course_map.substitutions((ROOT / "_toc.yml").read_text(encoding="utf-8"))["chapters_status"]
    assert f"<strong>What it is:</strong> {status}, each with" in html
    assert len(published) == 9 or course_map.NUMBER_WORDS[len(published)] in status
    assert "{{" not in html, "a substitution was left unreplaced"
    assert re.search(r'<a class="reference internal" href="ch01-why-housing.html">.*Start chapter 1 →', html, re.S)
    for chapter in course_map.CHAPTERS:
        title = r"\s+".join(map(re.escape, chapter.title.split()))
        coming = len(re.findall(rf"{title}\s*<em>\(coming\)</em>", html))
        assert coming == (0 if chapter in published else 2), chapter.title


@pytest.mark.build
def test_every_page_footer_has_the_one_route_for_reporting_an_error(built_site: Path):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    route = config["sphinx"]["config"]["html_context"]["report_an_error"]
    pages = sorted((built_site / "book").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        footer = html[html.index('class="dh-report-error"') :]
        link = re.search(r'<a href="([^"]+)">([^<]+)</a>', footer)
        assert link and link.group(2) == route["text"], page
        if route["url"]:
            assert link.group(1) == route["url"], page
        else:
            path = link.group(1).split("#")[0]
            target = (page.parent / path).resolve() if path else page.resolve()
            assert target == (built_site / "book" / "about.html").resolve(), page
            assert link.group(1).endswith("#report-an-error")
    about = (built_site / "book" / "about.html").read_text(encoding="utf-8")
    for anchor in ("report-an-error", "accessibility-statement", "about-sources"):
        assert f'id="{anchor}"' in about


@pytest.mark.build
def test_about_page_states_review_dates_version_and_licences(built_site: Path):
    about = (built_site / "book" / "about.html").read_text(encoding="utf-8")
    reviewed, due = course_map.review_dates(load("evidence-review.json"))
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    for text in (
        f"{reviewed.day} {reviewed:%B %Y}",
        f"{due.day} {due:%B %Y}",
        f"version {version}",
        "CC BY 4.0",
        "MIT",
    ):
        assert text in about, text
    for licence in ("LICENSE", "LICENSE-content.md"):
        assert (ROOT / licence).is_file()


@pytest.mark.build
def test_markdown_sources_are_not_offered_for_download_but_notebooks_and_print_are(built_site: Path):
    chapter = (built_site / "book" / "ch01-why-housing.html").read_text(encoding="utf-8")
    assert "_sources/book/ch01-why-housing.md" not in chapter
    assert "btn-download-pdf-button" in chapter
    tool = (built_site / "book" / "tools" / "prevalence-estimator.html").read_text(encoding="utf-8")
    assert "_sources/book/tools/prevalence-estimator.ipynb" in tool
