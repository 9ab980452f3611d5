"""Writes every link that leaves the site to one report, for a person to check by hand.

The build has no network, so it cannot check outside addresses itself (internal links and
cross-references are checked by the ``-W -n`` build and tests/test_content_integrity.py). At the
end of an HTML build this reads each page's main text as written (so links that other
extensions add late, such as the DOIs in the list of references, are included) and writes
``_build/external-links.csv`` beside the ``html`` folder: one row per address and page, with
the link's text, sorted by address.
"""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

from sphinx.application import Sphinx

REPORT_NAME = "external-links.csv"
COLUMNS = ("url", "page", "link_text")
EXTERNAL = re.compile(r"(https?:)?//|mailto:")


class _ArticleLinks(HTMLParser):
    """The links (address, text) inside a page's main article."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # how many <article class="bd-article"> are open
        self.open: list[list[str]] = []
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article" and "bd-article" in (attrs.get("class") or "").split():
            self.depth += 1
        elif tag == "a" and self.depth:
            self.open.append([attrs.get("href") or "", ""])

    def handle_endtag(self, tag):
        if tag == "article" and self.depth:
            self.depth -= 1
        elif tag == "a" and self.open:
            href, text = self.open.pop()
            self.links.append((href, " ".join(text.split())))

    def handle_data(self, data):
        for link in self.open:
            link[1] += data


def external_links(html: str) -> list[tuple[str, str]]:
    """(link text, address) of every link in a page's main article that leaves the site."""
    parser = _ArticleLinks()
    parser.feed(html)
    return [(text, href) for href, text in parser.links if EXTERNAL.match(href)]


def report_path(outdir: str | Path) -> Path:
    """Where the report goes: ``_build/external-links.csv`` for ``_build/html``."""
    return Path(outdir).parent / REPORT_NAME


def write_report(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    rows = set()
    for docname in app.env.all_docs:
        page = Path(app.outdir) / f"{docname}.html"
        if page.exists():
            rows |= {(url, f"{docname}.html", text) for text, url in external_links(page.read_text(encoding="utf-8"))}
    with report_path(app.outdir).open("w", encoding="utf-8", newline="") as report:
        writer = csv.writer(report)
        writer.writerow(COLUMNS)
        writer.writerows(sorted(rows))


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", write_report)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
