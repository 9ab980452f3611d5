"""The site zip (`make site`) works from any folder of any web server: unpacked and served under
/training/dementia-and-housing/, every internal link and file resolves inside the zip, one live
tool starts and responds, the exercise pages load cleanly, and nothing is asked for outside the
sub-path."""

from __future__ import annotations

import posixpath
import zipfile
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

import pytest
from helpers import Visit, serving, toc_files
from live_checks import LIVE_CHECKS

from dementia_housing import scorm

pytestmark = pytest.mark.browser
SUB_PATH = "training/dementia-and-housing/"
LIVE_TOOL = "book/tools/prevalence-estimator"
START_TIMEOUT_MS = 90_000


@pytest.fixture(scope="module")
def site_zip(built_site, tmp_path_factory):
    return scorm.write_site_zip(built_site, tmp_path_factory.mktemp("site") / scorm.SITE_ZIP_NAME)


@pytest.fixture(scope="module")
def served(site_zip, tmp_path_factory):
    """The zip unpacked under a sub-path of a plain web server; yields the site's address."""
    root = tmp_path_factory.mktemp("web")
    with zipfile.ZipFile(site_zip) as archive:
        archive.extractall(root / SUB_PATH)
    with serving(root) as url:
        yield f"{url}/{SUB_PATH}"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.targets.append(value)


def broken_links(names: set[str], page: str, html: str) -> list[str]:
    """The links and files a page names that are not in the zip (or would leave its folder)."""
    parser = Links()
    parser.feed(html)
    broken = []
    for target in parser.targets:
        url = urldefrag(target).url.split("?", 1)[0]
        if not url or urlparse(url).scheme in ("http", "https", "mailto", "data", "blob", "javascript"):
            continue  # outside links are checked by the request log; mailto: is the error-report route
        if url.startswith("/"):
            broken.append(f"{target} (an absolute path: breaks under a sub-path)")
            continue
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page), url))
        if path.startswith("..") or not (path in names or f"{path.rstrip('/')}/index.html" in names):
            broken.append(target)
    return broken


def test_every_internal_link_and_file_resolves_inside_the_zip(site_zip):
    with zipfile.ZipFile(site_zip) as archive:
        names = set(archive.namelist())
        pages = sorted(n for n in names if n.endswith(".html") and not n.startswith("_static/"))  # theme templates
        problems = {page: broken_links(names, page, archive.read(page).decode("utf-8")) for page in pages}
    assert {f"{entry}.html" for entry in toc_files()} <= set(pages)
    assert {page: links for page, links in problems.items() if links} == {}


def test_links_outside_the_zip_are_caught():
    names = {"book/a.html", "book/b.html", "_static/x.css"}
    html = '<a href="b.html#top">b</a><link href="../_static/x.css"><a href="/book/a.html">a</a><img src="c.png">'
    assert broken_links(names, "book/a.html", html) == [
        "/book/a.html (an absolute path: breaks under a sub-path)",
        "c.png",
    ]


def test_under_a_sub_path_a_live_tool_starts_and_responds(served, browser):
    opened = Visit(browser, f"{served}{LIVE_TOOL}.html")
    try:
        page = opened.page
        page.get_by_role("button", name="Run this tool live").click()
        area = page.locator(".dh-live-area").first
        area.locator(".widget-vbox").first.wait_for(timeout=START_TIMEOUT_MS)
        LIVE_CHECKS[LIVE_TOOL](page, area)
        assert [u for u in opened.requested if not u.startswith(served)] == [], "a request left the sub-path"
        assert opened.failed == [] and opened.errors == []
    finally:
        opened.close()


@pytest.mark.parametrize(
    "entry", ["book/welcome", "book/progress", *[e for e in toc_files() if "/exercises/" in e][:1]]
)
def test_under_a_sub_path_pages_load_cleanly(served, browser, entry):
    opened = Visit(browser, f"{served}{entry}.html")
    try:
        assert [u for u in opened.requested if not u.startswith(served)] == [], "a request left the sub-path"
        assert opened.failed == [] and opened.errors == []
    finally:
        opened.close()
