"""Progress in the browser (book/_static/progress.js and the "Your progress" page): a chapter read
to the end and its self-check answered show on the progress page and in the menu, the CSV copy
follows the course's spreadsheet conventions, "Clear my data" asks first, and with storage
blocked the page says why it is empty."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from dementia_housing.content.course_map import CHAPTERS
from dementia_housing.models.spreadsheet import BOM, csv_text, typed

pytestmark = pytest.mark.browser
CHAPTER = CHAPTERS[0]
PROGRESS = "book/progress.html"
BLOCK_STORAGE = """Object.defineProperty(window, "localStorage", {
  get: function () { throw new DOMException("The operation is insecure.", "SecurityError"); }
});"""


def stored(page) -> dict:
    return page.evaluate("key => JSON.parse(localStorage.getItem(key) || 'null')", "dh-progress")


def read_chapter_and_answer(page) -> tuple[int, int]:
    """Answer each self-check question with its first option and scroll to the end: (right, total)."""
    questions = page.locator(".dh-self-check .dh-question")
    right = 0
    for index in range(questions.count()):
        option = questions.nth(index).locator("details.dh-option").first
        option.locator("summary").click()
        right += option.get_attribute("data-correct") == "true"
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function(f"window.dhProgress.summary({json.dumps(CHAPTER.slug)}).read")
    return right, questions.count()


def test_the_csv_copy_follows_the_course_spreadsheet_conventions(visit):
    page = visit(PROGRESS).page
    rows = [["=1+1", "a,b", 'say "hi"', "-3", "@home", "+44", "plain", "two\nlines"]]
    made = page.evaluate("rows => window.dhProgress.csv(rows)", rows)
    assert made == csv_text([[typed(cell) for cell in row] for row in rows])
    assert made.startswith(BOM)


def test_a_record_from_another_version_or_damaged_is_ignored(visit):
    opened = visit(PROGRESS)
    for bad in ['{"version": 99, "chapters": {"ch01-why-housing": {"read": "2026-01-01"}}}', "{not json"]:
        opened.page.evaluate("([key, text]) => localStorage.setItem(key, text)", ["dh-progress", bad])
        opened.page.reload()
        assert opened.page.evaluate("window.dhProgress.summary('ch01-why-housing').read") is False
    assert opened.errors == []


def test_reading_a_chapter_shows_on_the_progress_page_downloads_and_clears(visit):
    opened = visit(f"book/{CHAPTER.slug}.html")
    page = opened.page
    assert stored(page) is None, "a fresh browser has no record"
    right, total = read_chapter_and_answer(page)
    record = stored(page)["chapters"][CHAPTER.slug]
    assert record["read"] and record["questions"] == total and len(record["answers"]) == total
    assert sum(answer["right"] for answer in record["answers"].values()) == right
    assert page.locator(".bd-docs-nav a.current .visually-hidden").inner_text().strip() == "(read)"

    # a tool used (its live button) and an exercise downloaded from its exercise page
    page.goto(page.url.replace(f"{CHAPTER.slug}.html", "tools/prevalence-estimator.html"))
    page.get_by_role("button", name="Run this tool live").click()
    page.goto(page.url.replace("tools/prevalence-estimator.html", "exercises/ch01-why-housing.html"))
    page.fill("#dh-ex-name", "Sam Jones")
    with page.expect_download():
        page.click(".dh-ex-download")
    page.goto(page.url.replace("exercises/ch01-why-housing.html", "progress.html"))

    menu_entry = page.locator(f'.bd-docs-nav a[href$="{CHAPTER.slug}.html"]')
    assert menu_entry.locator(".visually-hidden").inner_text().strip() == "(read)", "the menu marks the chapter read"
    assert page.locator(".bd-docs-nav .dh-read-mark").count() == 1, "only the chapter read is marked"
    chapters = page.locator(".dh-progress-chapters table")
    row = chapters.locator("tbody tr").filter(has_text=CHAPTER.title)
    assert row.locator("td").all_inner_texts() == [
        "Read to the end",
        f"{total} of {total} answered, {right} right at the first try",
    ]
    assert chapters.locator("tbody tr").count() == len(CHAPTERS)
    assert "Prevalence estimator" in page.locator(".dh-progress-tools").inner_text()
    assert "ch01-why-housing" in page.locator(".dh-progress-exercises").inner_text()

    with page.expect_download() as download:
        page.get_by_role("button", name="Download my progress").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert rows[0][:4] == ["Kind", "Page", "Title", "Read to the end"]
    by_kind = {(r[0], r[1]): r for r in rows[1:]}
    chapter_row = by_kind[("chapter", f"book/{CHAPTER.slug}")]
    assert chapter_row[2:7] == [CHAPTER.title, "yes", str(total), str(total), str(right)]
    assert ("tool used", "book/tools/prevalence-estimator") in by_kind
    assert ("exercise downloaded", "ch01-why-housing") in by_kind

    clear = page.get_by_role("button", name="Clear my data")
    clear.focus()
    page.keyboard.press("Enter")
    confirm = page.get_by_role("button", name="Yes, clear my data")
    assert confirm.is_visible() and stored(page) is not None, "clearing asks first"
    assert page.evaluate("document.activeElement.textContent") == "Yes, clear my data"
    page.get_by_role("button", name="Cancel").click()
    assert stored(page) is not None and not confirm.is_visible()
    clear.click()
    page.keyboard.press("Enter")  # on "Yes, clear my data", which has the focus
    assert stored(page) is None
    assert page.locator(".dh-progress-chapters").inner_text() == "Nothing recorded yet."
    assert "removed" in page.locator(".dh-progress-done").inner_text()
    assert opened.errors == [] and opened.outside == []


def test_with_storage_blocked_pages_work_and_the_progress_page_says_why(browser, site_url):
    context = browser.new_context()
    try:
        context.add_init_script(BLOCK_STORAGE)
        # The theme's own scripts (pydata-sphinx-theme) throw when storage is blocked: only ours are checked.
        errors: list[str] = []
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(error.stack or str(error)))
        page.goto(f"{site_url}/book/{CHAPTER.slug}.html", wait_until="networkidle")
        read_chapter_and_answer(page)  # still counted for this page's life, just not kept
        page.goto(f"{site_url}/{PROGRESS}", wait_until="networkidle")
        why = page.locator(".dh-progress-why[role=status]")
        assert why.is_visible() and "storage is blocked" in why.inner_text()
        assert page.locator(".dh-progress-chapters").inner_text() == "Nothing recorded yet."
        ours = ("progress.js", "scorm-bridge.js", "self-check.js")
        assert [e for e in errors if any(name in e for name in ours)] == []
        assert page.evaluate("() => { try { return !localStorage; } catch (error) { return true; } }")
    finally:
        context.close()


def test_without_javascript_the_progress_page_says_why(visit):
    page = visit(PROGRESS, java_script_enabled=False).page
    assert "JavaScript is off" in page.locator("#dh-progress noscript").inner_text()
