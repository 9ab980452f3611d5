"""The built site in Chromium, served on 127.0.0.1, over every page in the toc: no console errors,
no request leaves the machine, no serious or critical accessibility issue (axe-core), a text
alternative for every image and chart; on a phone and a tablet no page scrolls sideways, the menu
reaches a chapter and chart text is at least 12 px; each tool, live, fits a phone and works by
keyboard with its focus always shown; each page's self-check gives the right feedback; a chapter
prints without the site's menus. The checks themselves are in tests/site_checks.py."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import source_of, toc_files
from live_checks import LIVE_CHECKS
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from site_checks import (
    FOCUS_SHOWN_JS,
    NO_TEXT_ALTERNATIVE_JS,
    SMALL_SVG_TEXT_JS,
    SQUEEZED_TEXT_JS,
    WIDER_THAN_VIEWPORT_JS,
)

from dementia_housing.content import course_map
from dementia_housing.content.selfcheck import load_bank
from dementia_housing.models import prevalence
from dementia_housing.views.prevalence import WORKED_EXAMPLE, band_title

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
# Every page in the table of contents, so a new chapter or tool page is checked as soon as it is listed.
PAGES = [f"{entry}.html" for entry in toc_files()]


@pytest.mark.parametrize("path", PAGES)
def test_page_is_clean_offline_and_accessible(visit, path):
    page = visit(path)
    page.draw_saved_widgets()  # a tool's worked example is checked too, once drawn
    assert page.page.title(), "page has no title"
    assert page.outside == [], "requests left 127.0.0.1"
    assert page.failed == [], "some files the page needs were not found"
    assert page.errors == [], "console errors"
    assert page.axe_violations() == []
    assert page.page.evaluate(NO_TEXT_ALTERNATIVE_JS) == [], "images or charts without a text alternative"


DEVICES = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "tablet": {
        "viewport": {"width": 768, "height": 1024},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
PHONE_CONTEXT = DEVICES["phone"]
START_TIMEOUT_MS = 90_000  # a live tool's cold start on a slow machine


def assert_no_sideways_scrolling(page, where: str) -> None:
    width = page.evaluate("document.documentElement.clientWidth")
    if page.evaluate("document.documentElement.scrollWidth") > width:
        wide = page.evaluate(WIDER_THAN_VIEWPORT_JS)
        pytest.fail(f"{where} scrolls sideways at {width} px; too wide: {wide}")


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("path", PAGES)
def test_page_fits_a_phone_and_a_tablet_with_readable_charts(visit, path, device):
    """At 390 and 768 px nothing widens the page: long figures, addresses and code wrap, and
    wide tables and charts scroll inside their own box. Chart text is at least 12 px."""
    opened = visit(path, **DEVICES[device])
    opened.draw_saved_widgets()
    page = opened.page
    assert_no_sideways_scrolling(page, f"{path} on a {device}")
    assert page.evaluate(SMALL_SVG_TEXT_JS) == [], f"chart text smaller than 12 px on a {device}"


def test_root_redirects_to_the_welcome_page(visit):
    page = visit("index.html")
    page.page.wait_for_url("**/book/welcome.html")
    assert "Dementia and Housing" in page.page.content()


def test_prevalence_widget_renders_the_worked_example_and_responds(visit):
    opened = visit("book/tools/prevalence-estimator.html")
    opened.draw_saved_widgets()
    page = opened.page
    expected = prevalence.estimate(WORKED_EXAMPLE)
    widget = page.locator(".widget-vbox").first
    widget.wait_for(state="visible", timeout=15000)

    # The saved state shows the worked example: every field with its value and label.
    for band, count in WORKED_EXAMPLE.items():
        field = page.get_by_label(band_title(band), exact=True)
        assert field.input_value() == str(count)
    summary = widget.locator(".dh-summary")
    assert f"About {expected.expected_whole} people" in summary.inner_text()

    # The tabs respond in the page: the table replaces the chart.
    table_tab = widget.get_by_role("tab", name="Table")
    table_tab.click()
    table = widget.locator("table.dh-table")
    table.wait_for(state="visible")
    assert f"{expected.expected:.2f}" in table.inner_text()
    assert not widget.locator("svg[role=img]").is_visible()
    widget.get_by_role("tab", name="Chart").click()
    widget.locator("svg[role=img]").wait_for(state="visible")

    # Until the tool is live its fields cannot be changed, and the page says so (typing 40 used to
    # seem to work while the summary still said 80 people).
    field = page.get_by_label(band_title("95+"), exact=True)
    assert field.is_disabled() and not field.is_editable()
    assert all(page.get_by_label(band_title(band), exact=True).is_disabled() for band in WORKED_EXAMPLE)
    assert page.get_by_text("This is a saved worked example. Press Run this tool live to change it.").is_visible()
    assert f"of the {expected.total_residents} people entered" in summary.inner_text()


def test_self_check_opens_to_give_feedback_by_keyboard(visit):
    page = visit("book/tools/prevalence-estimator.html").page
    first = page.locator(".dh-self-check details").first
    feedback = first.locator("p")
    assert not feedback.is_visible()
    first.locator("summary").focus()
    page.keyboard.press("Enter")
    feedback.wait_for(state="visible")
    assert feedback.inner_text().startswith(("Yes, this is right.", "Not quite."))


@pytest.mark.parametrize("device", DEVICES)
def test_the_menu_opens_on_a_phone_and_a_tablet_and_reaches_a_chapter(browser, site_url, device):
    """Below the theme's wide layout (960 px) the sidebar is a menu behind the ☰ button, on a
    tablet as on a phone."""
    context = browser.new_context(**DEVICES[device])
    try:
        page = context.new_page()
        page.goto(f"{site_url}/{PAGES[0]}", wait_until="networkidle")
        assert not page.locator("#pst-primary-sidebar").is_visible(), "the sidebar takes room beside the text"
        button = page.locator(".primary-toggle:visible").first
        button.click()
        menu = page.locator("#pst-primary-sidebar-modal")
        menu.wait_for(state="visible", timeout=5000)
        assert menu.evaluate("dialog => dialog.open")
        chapter = toc_files()[1]
        menu.locator(f'a[href$="{chapter.split("/")[-1]}.html"]').first.click()
        page.wait_for_url(f"**/{chapter}.html")
    finally:
        context.close()


def test_on_a_wide_screen_the_menu_button_folds_the_sidebar_away(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(f"{site_url}/{PAGES[0]}", wait_until="networkidle")
        # one search box (pydata-sphinx-theme 0.17 added a second, in a header bar of its own)
        assert page.locator(".search-button-field:visible").count() == 1
        assert page.locator("#pst-header").evaluate("header => header.getBoundingClientRect().height") == 0
        sidebar = page.locator("#pst-primary-sidebar")
        assert "pst-sidebar-hidden" not in (sidebar.get_attribute("class") or "")
        page.locator(".primary-toggle:visible").first.click()
        page.wait_for_function(
            "document.querySelector('#pst-primary-sidebar').classList.contains('pst-sidebar-hidden')"
        )
        assert not page.evaluate("document.querySelector('#pst-primary-sidebar-modal').open")
    finally:
        context.close()


SELF_CHECK = re.compile(r"```\{self-check\} ([a-z0-9-]+)")
SELF_CHECK_PAGES = [(entry, SELF_CHECK.search(source_of(entry).read_text(encoding="utf-8"))) for entry in toc_files()]
SELF_CHECK_PAGES = [(entry, found.group(1)) for entry, found in SELF_CHECK_PAGES if found]


@pytest.mark.parametrize(("entry", "bank_name"), SELF_CHECK_PAGES)
def test_self_check_gives_feedback_and_keeps_a_running_tally_of_first_answers(visit, entry, bank_name):
    """On each page with a self-check: a wrong answer and a right one each show their own
    feedback from the bank. Issue 13: a running tally; the first option opened in a question is
    the reader's answer, and opening others afterwards explores the feedback and changes nothing."""
    bank = load_bank(bank_name)
    page = visit(f"{entry}.html").page
    shown = page.locator(".dh-self-check").first
    tally = shown.locator(".dh-tally")
    assert tally.is_hidden(), "the tally waits for a first answer"
    questions = shown.locator(".dh-question")
    assert questions.count() == len(bank.questions)
    first, second = questions.nth(0), questions.nth(1)
    wrong = next(o for o in bank.questions[0].options if not o.correct)
    right = next(o for o in bank.questions[1].options if o.correct)

    option = first.locator("details.dh-option").nth("ABCDEF".index(wrong.letter))
    option.locator("summary").click()
    assert option.locator("p").inner_text() == f"Not quite. {wrong.feedback}"
    first.locator('details[data-correct="true"] summary').click()  # explored after: not counted
    option = second.locator("details.dh-option").nth("ABCDEF".index(right.letter))
    option.locator("summary").click()
    assert option.locator("p").inner_text() == f"Yes, this is right. {right.feedback}"
    tally.wait_for(state="visible")
    assert f"2 of {len(bank.questions)} questions answered, 1 right at the first try" in tally.inner_text()
    assert tally.get_attribute("role") == "status"


# --- keyboard and focus ---------------------------------------------------------------------

FIELDS = "input:not([type=hidden]), select, textarea"


def tab_to_next_field(page, area, stops: list[str], most: int = 40):
    """Press Tab until a field inside ``area`` has focus; at every stop on the way, note any
    focus that is not shown. Returns the field, or None."""
    for _ in range(most):
        page.keyboard.press("Tab")
        problem = page.evaluate(FOCUS_SHOWN_JS)
        if problem:
            stops.append(problem)
        focused = page.evaluate_handle("document.activeElement").as_element()
        if focused and focused.evaluate(
            f"(el, area) => area.contains(el) && el.matches('{FIELDS}')", area.element_handle()
        ):
            return focused
    return None


def change_by_keyboard(page, field) -> str:
    """Change the focused field with the keyboard only; returns how it was changed."""
    kind = field.evaluate("el => el.tagName === 'SELECT' ? 'select' : (el.type || 'text')")
    if kind == "select":
        page.keyboard.press(
            "ArrowDown" if field.evaluate("el => el.selectedIndex < el.options.length - 1") else "ArrowUp"
        )
        return "arrow key"
    if kind in {"checkbox", "radio"}:
        page.keyboard.press("Space")
        return "space"
    value = field.input_value()
    new = str(int(value.replace(",", "")) + 1) if value.replace(",", "").isdigit() else f"{value} (changed)"
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(new)
    page.keyboard.press("Enter")
    return f"typed {new!r}"


def result_changes(page, area, before: str, wait_ms: int = 8000) -> bool:
    try:
        page.wait_for_function(
            "([area, before]) => area.innerText !== before", arg=[area.element_handle(), before], timeout=wait_ms
        )
        return True
    except PlaywrightTimeout:
        return False


@pytest.mark.parametrize("entry", sorted(LIVE_CHECKS))
def test_each_tool_live_works_by_keyboard_and_fits_a_phone(visit, entry):
    """On a phone: start the tool by keyboard, tab to a field (focus shown at every stop), change
    it by keyboard and see the result change; then, with the tool's own live check run (which
    shows its messages), no field, message or result is wider than the screen or squeezed into
    a column narrower than about 8 em."""
    page = visit(f"{entry}.html", **PHONE_CONTEXT).page
    button = page.get_by_role("button", name="Run this tool live").first
    button.focus()
    page.keyboard.press("Enter")
    area = page.locator(".dh-live-area").first
    area.locator(".widget-vbox").first.wait_for(timeout=START_TIMEOUT_MS)
    page.wait_for_timeout(300)  # let the layout settle
    # The pressed button is now disabled; Tab goes on from it, into the tool.

    stops: list[str] = []
    changed = None
    for _ in range(6):  # the first field whose change shows in the result (a name may not)
        field = tab_to_next_field(page, area, stops)
        assert field is not None, "no field of the live tool can be reached with Tab"
        before = area.inner_text()
        how = change_by_keyboard(page, field)
        if result_changes(page, area, before):
            changed = how
            break
    assert changed, "changing the tool's fields by keyboard did not change its result"
    assert stops == [], f"focus not shown: {stops}"

    page.reload(wait_until="networkidle")  # the live check starts from the worked example
    page.get_by_role("button", name="Run this tool live").first.click()
    area = page.locator(".dh-live-area").first
    area.locator(".widget-vbox").first.wait_for(timeout=START_TIMEOUT_MS)
    LIVE_CHECKS[entry](page, area)
    page.wait_for_timeout(300)
    assert page.evaluate(WIDER_THAN_VIEWPORT_JS, area.element_handle()) == [], "parts of the tool run off a phone"
    assert page.evaluate(SQUEEZED_TEXT_JS, area.element_handle()) == [], "text squeezed into a narrow column"
    assert_no_sideways_scrolling(page, f"{entry}, live,")


def test_focus_is_shown_at_every_stop_when_tabbing_through_a_chapter(visit):
    page = visit(f"{CHAPTER_TO_PRINT}.html").page
    hidden = []
    for _ in range(30):
        page.keyboard.press("Tab")
        problem = page.evaluate(FOCUS_SHOWN_JS)
        if problem:
            hidden.append(problem)
    assert hidden == []


# --- print ----------------------------------------------------------------------------------

CHAPTERS = [entry for entry in toc_files() if entry in {f"book/{c.slug}" for c in course_map.CHAPTERS}]
CHAPTER_TO_PRINT = next(entry for entry in CHAPTERS if "list-table" in source_of(entry).read_text(encoding="utf-8"))


def pdf_text(pdf: Path) -> str:
    """The text of a PDF, with pypdf if the venv has it, else Debian's pdftotext (poppler-utils)."""
    try:
        from pypdf import PdfReader
    except ImportError:
        tool = shutil.which("pdftotext")
        assert tool, "to read the printed PDF, install poppler-utils (pdftotext) or pypdf"
        return subprocess.run([tool, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def words(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


def test_a_chapter_prints_its_text_and_tables_without_the_site_menus(visit, tmp_path):
    page = visit(f"{CHAPTER_TO_PRINT}.html").page
    headings = [words(h).rstrip("#").strip() for h in page.locator("article.bd-article :is(h1, h2)").all_inner_texts()]
    caption = words(page.locator("article.bd-article table caption").first.inner_text())
    article = words(page.locator("article.bd-article").inner_text())
    menu = [
        words(t)
        for t in page.locator(".bd-sidebar-primary .bd-links a, .bd-sidebar-primary .caption-text").all_text_contents()
    ]
    menu_only = [t for t in menu if t and t not in article]
    assert menu_only, "the sidebar has no text that is not also in the chapter: pick another check"
    pdf = tmp_path / "chapter.pdf"
    page.pdf(path=str(pdf), format="A4")
    printed = words(pdf_text(pdf))
    missing = [h for h in headings if words(h) not in printed]
    assert missing == [], f"headings not printed: {missing}"
    assert caption in printed, "the chapter's table was not printed"
    assert [t for t in menu_only if t in printed] == [], "the sidebar's navigation was printed"
    site_only = [t for t in ("Skip to main content", "Back to top", "Previous", "Next") if t not in article]
    assert [t for t in site_only if t in printed] == [], "the site's links and buttons were printed"


def test_a_tool_prints_its_results_both_chart_and_table(visit):
    """The prevalence estimator shows its result as a chart and a table, in two tabs: both print."""
    opened = visit("book/tools/prevalence-estimator.html")
    opened.draw_saved_widgets()
    page = opened.page
    page.locator(".dh-saved-example .widget-vbox").first.wait_for()
    page.emulate_media(media="print")
    saved = page.locator(".dh-saved-example").first
    assert saved.locator("svg[role=img]").first.is_visible(), "the chart is not printed"
    assert saved.locator("table").first.is_visible(), "the table is not printed"
    assert not page.get_by_role("button", name="Run this tool live").is_visible()


# --- the browser checks themselves, on a small broken page (no build needed) -----------------

BROKEN_SNIPPET = """<meta name="viewport" content="width=device-width, initial-scale=1"><style>input:focus { outline: none; }</style><article class="bd-article">
<div style="width: 900px">A banner laid out for a desktop screen</div>
<div style="display: flex"><input id="f" aria-label="Count"><p style="width: 30px">Enter a whole number of people</p></div>
<svg viewBox="0 0 640 100" style="width: 100%"><text x="0" y="50" font-size="13">Aged 65 to 69</text></svg>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40">
<div style="overflow-x: auto"><table style="width: 900px"><tr><td>A wide table scrolls in its box</td></tr></table></div>
</article>"""


def test_the_browser_checks_find_what_they_are_for_on_a_broken_page(browser):
    context = browser.new_context(**PHONE_CONTEXT)
    try:
        page = context.new_page()
        page.set_content(BROKEN_SNIPPET)
        wide = page.evaluate(WIDER_THAN_VIEWPORT_JS)
        assert len(wide) == 1 and wide[0].startswith("div. right edge at 9"), wide  # not the table in its box
        assert [s.split(":")[1].strip() for s in page.evaluate(SQUEEZED_TEXT_JS)] == ["Enter a whole number of people"]
        assert page.evaluate(SMALL_SVG_TEXT_JS)[0].endswith("px: Aged 65 to 69")
        assert [s.split(" ")[0] for s in page.evaluate(NO_TEXT_ALTERNATIVE_JS)] == ["img", "svg"]
        page.focus("#f")
        assert page.evaluate(FOCUS_SHOWN_JS) == 'input "Count" shows no focus (outline or box shadow)'
    finally:
        context.close()
