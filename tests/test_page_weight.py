"""The pages stay light (issue 20; figures in bench/RESULTS.md, measured by `make bench`).

- no page in the toc asks for Font Awesome (its 1.5 MB script or its font) or the search index
  when it loads, and every icon a page shows has its drawing in book/_static/icons.css;
- the search page still loads the index and finds words;
- no script file holds up a page's text (all are deferred); a tool page loads its widget manager
  (3.6 MB) only when its saved worked example is about to come into sight, says so where the
  example will be, and says so if the manager cannot be loaded;
- every page has a meta description taken from its own text;
- the site is served as a host serves it: gzip when asked, with Vary and the right type,
  precompressed copies when they exist, the plain file otherwise.
"""

from __future__ import annotations

import gzip
import re
import shutil
import sys
import urllib.request
from html import unescape
from pathlib import Path

import pytest
from helpers import ROOT, serving, toc_files

sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "book" / "_ext"))
from page_meta import LONGEST, trimmed
from precompress import precompress
from serve_site import accepts_gzip

PAGES = [f"{entry}.html" for entry in toc_files()]
HEAVY = ("fontawesome", "fa-solid-900", "fa-regular-400", "fa-brands-400", "searchindex.js")
ICON_CLASS = re.compile(r'<i class="([^"]*\bfa(?:-solid|-regular|s|r)\b[^"]*)"')
SPARED = {"fa-solid", "fa-regular", "fas", "far", "fa-lg", "fa-fw", "theme-switch"}  # styles, not icons
RUN_AT_ONCE = r"/(documentation_options|doctools)\.js"  # small, and other scripts need them at once (page_meta.py)
TEXT_PAGE_BUDGET = 1_000_000  # bytes, cold cache, uncompressed (issue 20's goal)
TOOL_PAGE_BUDGET = 3_000_000  # a tool page before anything is pressed or its example reached (the same)
TOOL_PAGE = "book/tools/vips-self-assessment.html"
MANAGER = "/ipywidgets/embed-amd.js"


def html_of(built_site: Path, page: str) -> str:
    return (built_site / page).read_text(encoding="utf-8")


def asset_urls(html: str) -> list[str]:
    """What a page's own markup asks the browser to fetch (scripts, stylesheets, preloads)."""
    return re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', html)


def test_no_page_in_the_toc_names_font_awesome_or_the_search_index(built_site):
    found = {
        page: heavy
        for page in PAGES
        if (heavy := [url for url in asset_urls(html_of(built_site, page)) if any(h in url for h in HEAVY)])
    }
    assert not found, f"pages that load a heavy file at once: {found}"


def test_every_icon_on_a_page_is_drawn_by_the_course_stylesheet(built_site):
    drawn = set(re.findall(r"^\.fa-([a-z0-9-]+) \{", (ROOT / "book/_static/icons.css").read_text(), re.M))
    used: dict[str, set[str]] = {}
    for page in sorted(built_site.rglob("*.html")):
        for classes in ICON_CLASS.findall(page.read_text(encoding="utf-8")):
            for name in set(classes.split()) - SPARED:
                used.setdefault(name.removeprefix("fa-"), set()).add(page.relative_to(built_site).as_posix())
    missing = {name: sorted(pages)[:3] for name, pages in used.items() if name not in drawn}
    assert used, "no Font Awesome icon found at all: has the theme changed how it writes them?"
    assert not missing, f"icons with no rule in book/_static/icons.css (add one): {missing}"


def blocking_scripts(html: str) -> list[str]:
    """The script files in a page's head that hold up its first paint (no defer, async or module)."""
    head = html.split("</head>", 1)[0]
    tags = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", head)
    return [tag for tag in tags if not re.search(r'\b(defer|async)\b|type="module"', tag)]


def test_no_script_file_holds_up_the_text_of_any_page(built_site):
    found = {
        page: [tag for tag in blocking_scripts(html_of(built_site, page)) if not re.search(RUN_AT_ONCE, tag)]
        for page in PAGES
    }
    assert not {page: tags for page, tags in found.items() if tags}, "render-blocking scripts (see page_meta.py)"


def test_a_tool_page_names_only_the_small_deferred_widget_loader(built_site):
    """The widget manager (3.6 MB) is not in the page's markup: widgets-on-demand.js fetches it."""
    html = html_of(built_site, "book/tools/vips-self-assessment.html")
    tags = re.findall(r"<script\b[^>]*ipywidgets/[^>]*>", html)
    assert len(tags) == 1 and "widgets-on-demand.js" in tags[0], tags
    assert re.search(r"\bdefer\b", tags[0]), f"not deferred: {tags}"
    assert (built_site / "ipywidgets/widgets-on-demand.js").stat().st_size < 10_000


def description_of(html: str) -> str:
    found = re.findall(r'<meta name="description" content="([^"]*)"', html)
    assert len(found) == 1, f"{len(found)} meta descriptions"
    return unescape(found[0])


def visible_text(html: str) -> str:
    body = re.sub(r"(?s)<(script|style|head)\b.*?</\1>", " ", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.mark.parametrize("page", PAGES)
def test_each_page_has_a_meta_description_from_its_own_text(built_site, page):
    html = html_of(built_site, page)
    description = description_of(html)
    assert 50 <= len(description) <= LONGEST, f"{page}: {len(description)} characters: {description!r}"
    words = description.removesuffix("…").split()
    text = re.sub(r"\s*\[\d+\]", "", visible_text(html))  # the page shows figures' note numbers
    assert " ".join(words[:8]) in text, f"{page}: {description!r} is not from the page's text"


def test_a_long_description_is_cut_at_a_word_with_an_ellipsis():
    text = "Housing staff " + "meet people living with dementia every day " * 6
    cut = trimmed(text)
    assert len(cut) <= LONGEST and cut.endswith("…") and text.startswith(cut.removesuffix("…"))
    assert cut.removesuffix("…").split()[-1] in text.split()
    assert trimmed("  A short\n description.  ") == "A short description."


@pytest.fixture(scope="module")
def host(built_site):
    """The built site served as scripts/serve_site.py (make serve) serves it."""
    with serving(built_site, like_a_host=True) as url:
        yield url


def fetch(url: str, encoding: str | None) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding} if encoding else {})
    with urllib.request.urlopen(request) as response:
        return dict(response.headers.items()), response.read()


@pytest.mark.parametrize(
    ("path", "kind"),
    [("ipywidgets/embed-amd.js", "text/javascript"), ("book/ch01-why-housing.html", "text/html")],
)
def test_the_served_site_sends_big_text_assets_gzipped_when_asked(built_site, host, path, kind):
    original = (built_site / path).read_bytes()
    headers, body = fetch(f"{host}/{path}", "gzip, deflate, br")
    assert headers.get("Content-Encoding") == "gzip", headers
    assert headers["Content-Type"].startswith(kind) and "Accept-Encoding" in headers.get("Vary", ""), headers
    assert gzip.decompress(body) == original and len(body) < len(original) / 2
    headers, body = fetch(f"{host}/{path}", None)
    assert "Content-Encoding" not in headers and body == original
    assert "Accept-Encoding" in headers.get("Vary", ""), headers


def test_already_compressed_files_are_sent_as_they_are(built_site, host):
    font = next((built_site / "ipywidgets").glob("*.woff2"))
    headers, body = fetch(f"{host}/ipywidgets/{font.name}", "gzip")
    assert "Content-Encoding" not in headers and body == font.read_bytes()


def test_a_precompressed_copy_is_served_and_says_the_same(built_site, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(built_site / "book/ch01-why-housing.html", site / "page.html")
    (site / "tiny.css").write_text("p{}")  # too small to be worth it
    (site / "font.woff2").write_bytes(bytes(4096))  # compressed already, whatever it holds
    count, before, after = precompress(site)
    assert count == 1 and after < before and sorted(p.name for p in site.glob("*.gz")) == ["page.html.gz"]
    assert gzip.decompress((site / "page.html.gz").read_bytes()) == (site / "page.html").read_bytes()
    with serving(site, like_a_host=True) as url:
        _, body = fetch(f"{url}/page.html", "gzip")
    assert body == (site / "page.html.gz").read_bytes()


@pytest.mark.parametrize(
    ("header", "gzip_ok"),
    [("gzip", True), ("deflate, gzip;q=0.5", True), ("*", True), ("gzip;q=0", False), ("br", False), ("", False)],
)
def test_accept_encoding_is_read_as_browsers_send_it(header, gzip_ok):
    assert accepts_gzip(header) is gzip_ok


# --- in the browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(
    "page", ["book/welcome.html", "book/ch06-commissioning.html", "book/tools/vips-self-assessment.html"]
)
def test_a_page_fetches_no_icon_font_script_or_search_index(visit, page):
    v = visit(page)
    fetched = [url for url in v.requested if any(h in url for h in HEAVY)]
    assert not fetched and not v.errors and not v.failed and not v.outside, (fetched, v.errors, v.failed)
    shown = v.page.evaluate(
        """() => [...document.querySelectorAll('i.fa-solid, i.fas')]
              .filter((icon) => icon.checkVisibility())
              .filter((icon) => getComputedStyle(icon, '::before').maskImage.startsWith('url('))
              .length"""
    )
    assert shown >= 3, f"{page}: only {shown} visible icons are drawn"


@pytest.mark.browser
@pytest.mark.parametrize("page", ["book/welcome.html", "book/ch01-why-housing.html"])
def test_a_text_page_weighs_at_most_a_megabyte_uncompressed(visit, page):
    v = visit(page)
    weight = v.page.evaluate(
        "() => performance.getEntriesByType('resource').reduce((sum, r) => sum + r.decodedBodySize, 0)"
        " + performance.getEntriesByType('navigation')[0].decodedBodySize"
    )
    assert weight <= TEXT_PAGE_BUDGET, f"{page}: {weight:,} bytes (budget {TEXT_PAGE_BUDGET:,})"


@pytest.mark.browser
def test_the_search_page_loads_the_index_and_finds_a_word(visit):
    v = visit("search.html?q=tenancy")
    results = v.page.locator("#search-results li")
    results.first.wait_for(timeout=20_000)
    assert any(url.split("?")[0].endswith("/searchindex.js") for url in v.requested)
    assert "tenanc" in v.page.inner_text("#search-results").lower()


def weight_of(v) -> int:
    """Bytes the page has received so far (bodies as decoded), the page itself included."""
    return v.page.evaluate(
        "() => performance.getEntriesByType('resource').reduce((sum, r) => sum + r.decodedBodySize, 0)"
        " + performance.getEntriesByType('navigation')[0].decodedBodySize"
    )


@pytest.mark.browser
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_a_tool_page_loads_its_widget_manager_only_when_the_example_comes_near(visit, device):
    size = {"viewport": {"width": 390, "height": 844}} if device == "phone" else {}
    v = visit(TOOL_PAGE, **size)
    assert not [url for url in v.requested if url.endswith(MANAGER)], "the manager loaded with the page"
    weight = weight_of(v)
    assert weight <= TOOL_PAGE_BUDGET, f"{weight:,} bytes before the example (budget {TOOL_PAGE_BUDGET:,})"
    note = v.page.locator(".dh-widget-note")
    assert note.count() >= 1 and note.first.inner_text() == "The worked example appears here as you reach it."
    v.page.mouse.wheel(0, 600)  # reading on, well above the example: still nothing
    v.page.wait_for_timeout(500)
    assert not [url for url in v.requested if url.endswith(MANAGER)], "loaded while the example was far away"

    assert v.draw_saved_widgets() >= 1
    assert [url for url in v.requested if url.endswith(MANAGER)], "drawn, but not by the manager?"
    assert v.page.locator(".dh-saved-example .widget-vbox").first.is_visible()
    assert v.page.locator(".dh-widget-note").count() == 0, "the note stayed beside the drawn example"
    assert not v.errors and not v.failed and not v.outside, (v.errors, v.failed, v.outside)


@pytest.mark.browser
def test_a_widget_manager_that_cannot_be_loaded_is_said_where_the_example_would_be(visit):
    v = visit(TOOL_PAGE)
    v.page.route(f"**{MANAGER}", lambda route: route.abort())
    note = v.page.locator(".dh-widget-note").first
    note.scroll_into_view_if_needed()
    failed = v.page.locator(".dh-widget-note.dh-widget-failed").first
    failed.wait_for(timeout=15_000)
    assert failed.inner_text().startswith("The worked example could not be loaded. Reload the page")
    assert failed.is_visible()
    v.page.get_by_role("button", name="Run this tool live").first.click()
    status = v.page.locator(".dh-live-status").first
    status.get_by_text("could not").wait_for(timeout=15_000)
    assert "embed-amd.js could not be loaded" in status.inner_text(), status.inner_text()
    # Once the files can be had again, "Try again" loads them and the example is drawn.
    v.page.unroute(f"**{MANAGER}")
    v.page.get_by_role("button", name="Try again").first.click()
    v.page.wait_for_function("() => !document.querySelector('.dh-widget-note')", timeout=30_000)
    assert v.page.locator(".dh-saved-example .widget-vbox").first.count() == 1
