"""Which chapters of the course are published, read from the table of contents.

The welcome page says how many chapters are published and marks the others "coming"; both
come from ``_toc.yml`` at build time (as MyST substitutions), so the page can never promise a
chapter the menu does not have, or call a published chapter "coming".

Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .datafiles import Entry


@dataclass(frozen=True)
class Chapter:
    number: int
    slug: str
    title: str


CHAPTERS = (
    Chapter(1, "ch01-why-housing", "Why dementia is a housing matter"),
    Chapter(2, "ch02-understanding", "Understanding dementia"),
    Chapter(3, "ch03-personhood", "Personhood and the enriched model"),
    Chapter(4, "ch04-vips", "VIPS in housing"),
    Chapter(5, "ch05-evidence", "Housing, health and the evidence"),
    Chapter(6, "ch06-commissioning", "Commissioning and partnerships"),
    Chapter(7, "ch07-environments", "Dementia-friendly homes and schemes"),
    Chapter(8, "ch08-tenancy", "Tenancy sustainment, rights and risk"),
    Chapter(9, "ch09-leading-change", "Leading change"),
)

NUMBER_WORDS = ("none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
COMING = " *(coming)*"

# "- file: book/ch05-evidence" at the start of a line (after spaces), not behind a "#".
_TOC_FILE = re.compile(r"^\s*-\s*file:\s*book/(ch\d\d-[a-z0-9-]+)\s*(?:#.*)?$", re.M)


def published_slugs(toc_text: str) -> set[str]:
    """The ``chNN-…`` pages that the table of contents lists (commented-out lines do not count;
    a chapter's own sections, such as a data page, may be among them)."""
    return set(_TOC_FILE.findall(toc_text))


def substitutions(toc_text: str) -> dict[str, str]:
    """``chapters_published`` ("seven"), ``chapters_total`` ("nine"), ``chapters_status`` ("seven
    of its nine chapters are published", or "all nine of its chapters are published") and
    ``status_chNN``: empty for a published chapter, " *(coming)*" for one not yet in the menu."""
    listed = published_slugs(toc_text) & {chapter.slug for chapter in CHAPTERS}
    published, total = NUMBER_WORDS[len(listed)], NUMBER_WORDS[len(CHAPTERS)]
    values = {
        "chapters_published": published,
        "chapters_total": total,
        "chapters_status": (
            f"all {total} of its chapters are published"
            if len(listed) == len(CHAPTERS)
            else f"{published} of its {total} chapters are published"
        ),
    }
    for chapter in CHAPTERS:
        values[f"status_ch{chapter.number:02d}"] = "" if chapter.slug in listed else COMING
    return values


def _long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def review_dates(entry: Entry) -> tuple[date, date]:
    """``reviewed`` and ``next_review_due`` from data/evidence-review.json, as dates in order."""
    entry = entry.object("reviewed", "next_review_due")
    dates = []
    for key in ("reviewed", "next_review_due"):
        try:
            dates.append(date.fromisoformat(entry.text(key)))
        except ValueError:
            raise entry.error("must be a date written YYYY-MM-DD", key) from None
    if dates[1] <= dates[0]:
        raise entry.error("must come after 'reviewed'", "next_review_due")
    return dates[0], dates[1]


def about_substitutions(review: Entry, version: str) -> dict[str, str]:
    """What the About page shows: the evidence table's review dates and the course version."""
    reviewed, due = review_dates(review)
    return {
        "evidence_reviewed": _long_date(reviewed),
        "evidence_review_due": _long_date(due),
        "course_version": version,
        "course_year": str(reviewed.year),
    }
