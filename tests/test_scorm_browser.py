"""A chapter SCO in Chromium against a real SCORM runtime (scorm-again, as LMS players embed it).

The package is unpacked under /lms/content/123/ beside a small player page, which creates the
runtime's API with every call recorded, launches one chapter in a frame, and later relaunches
it with the data the first launch saved. The reader scrolls to the end and answers the
self-check; the chapter must report it (completion, score, resume point, progress), with every
value accepted by the runtime's validation, and ask for nothing outside its own folder."""

from __future__ import annotations

import json
import zipfile

import pytest
from helpers import ROOT, Visit, serving, toc_files

from dementia_housing import scorm

pytestmark = pytest.mark.browser
RUNTIME = ROOT / "tests" / "_vendor" / "scorm-again" / "scorm-again.min.js"
CONTENT = "lms/content/123/"
CHAPTER = next(sco for sco in scorm.scos((ROOT / "_toc.yml").read_text()))
WORDS = {
    "1.2": {
        "global": "API",
        "class": "Scorm12API",
        "error": "LMSGetLastError",
        "init": "LMSInitialize",
        "get": "LMSGetValue",
        "set": "LMSSetValue",
        "commit": "LMSCommit",
        "finish": "LMSFinish",
        "status": "cmi.core.lesson_status",
        "location": "cmi.core.lesson_location",
        "score": "cmi.core.score",
        "exit": "cmi.core.exit",
    },
    "2004": {
        "global": "API_1484_11",
        "class": "Scorm2004API",
        "error": "GetLastError",
        "init": "Initialize",
        "get": "GetValue",
        "set": "SetValue",
        "commit": "Commit",
        "finish": "Terminate",
        "status": "cmi.completion_status",
        "location": "cmi.location",
        "score": "cmi.score",
        "exit": "cmi.exit",
    },
}

# The LMS side: the runtime's API, each of its calls recorded with the error code that followed.
PLAYER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test player</title>
<script src="scorm-again.min.js"></script>
<script>
window.calls = [];
window.launch = function (saved) {
  var words = %(words)s;
  var api = new window[words["class"]]({ autocommit: false, logLevel: 5 });
  if (saved) api.loadFromJSON(saved, "");
  [words.init, words.get, words.set, words.commit, words.finish].forEach(function (name) {
    var original = api[name].bind(api);
    api[name] = function () {
      var args = Array.prototype.slice.call(arguments);
      var result = String(original.apply(null, args));
      window.calls.push({ method: name, args: args, result: result, error: String(api[words.error]()) });
      return result;
    };
  });
  window[words.global] = api;
  window.api = api;
  document.getElementById("sco").src = "content/123/%(href)s";
};
window.close_sco = function () { document.getElementById("sco").src = "about:blank"; };
window.saved = function () { return JSON.parse(JSON.stringify(window.api.renderCMIToJSONObject())); };
</script></head>
<body><iframe id="sco" title="Chapter" style="width: 1000px; height: 700px"></iframe></body></html>
"""


@pytest.fixture(scope="module")
def lms(built_site, tmp_path_factory):
    """Both packages unpacked under lms/<version>/content/123/, each beside its player page, served."""
    if not RUNTIME.exists():
        pytest.fail("The scorm-again runtime is missing: run `make assets` (scripts/fetch_web_assets.py)")
    root = tmp_path_factory.mktemp("lms")
    packages = scorm.write_packages(built_site, (ROOT / "_toc.yml").read_text(), root / "zips")
    for version, package in zip(scorm.VERSIONS, packages, strict=True):
        folder = root / version / CONTENT
        with zipfile.ZipFile(package) as archive:
            archive.extractall(folder)
        player = PLAYER % {"words": json.dumps(WORDS[version]), "href": CHAPTER.href + CHAPTER.parameters}
        (root / version / "lms" / "player.html").write_text(player, encoding="utf-8")
        (root / version / "lms" / "scorm-again.min.js").write_bytes(RUNTIME.read_bytes())
    with serving(root) as url:
        yield url


def frame(page):
    return page.frame_locator("#sco")


def sco_frame(page):
    return next(f for f in page.frames if CHAPTER.href in f.url)


def read_and_answer(page) -> tuple[int, int]:
    """In the chapter: scroll to the end and answer each self-check question (the first option);
    return (right, questions)."""
    chapter = sco_frame(page)
    questions = chapter.locator(".dh-self-check .dh-question")
    total = questions.count()
    right = 0
    for index in range(total):
        option = questions.nth(index).locator("details.dh-option").first
        option.locator("summary").click()
        right += option.get_attribute("data-correct") == "true"
    chapter.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    chapter.locator(".dh-chapter-end").wait_for(state="attached")
    chapter.wait_for_function(f"window.dhProgress.summary({json.dumps(CHAPTER.chapter.slug)}).read")
    return right, total


def launch(lms_url, browser, version, saved=None) -> Visit:
    opened = Visit(browser, f"{lms_url}/{version}/lms/player.html")
    opened.page.evaluate("saved => window.launch(saved)", saved)
    opened.page.wait_for_function(f"window.calls.some(c => c.method === {json.dumps(WORDS[version]['init'])})")
    sco_frame(opened.page).wait_for_load_state("networkidle")
    return opened


def close(opened: Visit, version: str) -> list[dict]:
    opened.page.evaluate("window.close_sco()")
    opened.page.wait_for_function(f"window.calls.some(c => c.method === {json.dumps(WORDS[version]['finish'])})")
    return opened.page.evaluate("window.calls")


def values_set(calls: list[dict], words: dict) -> dict[str, str]:
    return {c["args"][0]: c["args"][1] for c in calls if c["method"] == words["set"]}


@pytest.mark.parametrize("version", scorm.VERSIONS)
def test_a_chapter_reports_completion_score_and_resume_point_and_restores_them(lms, browser, version):
    words = WORDS[version]
    first = launch(lms, browser, version)
    try:
        right, total = read_and_answer(first.page)
        assert total > 0, "the chapter has no self-check to answer"
        sco_frame(first.page).evaluate("document.querySelectorAll('article section[id]')[2].scrollIntoView()")
        resume_at = sco_frame(first.page).evaluate("document.querySelectorAll('article section[id]')[2].id")
        calls = close(first, version)
        saved = first.page.evaluate("window.saved()")
        content = f"{lms}/{version}/{CONTENT}"
        outside = {u for u in first.requested if not u.startswith(content)}
        assert outside <= {f"{lms}/{version}/lms/player.html", f"{lms}/{version}/lms/scorm-again.min.js", "about:blank"}
        assert first.errors == [] and first.failed == [] and first.outside == []
    finally:
        first.close()

    methods = [c["method"] for c in calls]
    assert methods[0] == words["init"] and methods[-1] == words["finish"], methods
    assert methods.count(words["init"]) == 1 and methods.count(words["finish"]) == 1
    assert words["commit"] in methods[:-1], "nothing was committed before finishing"
    rejected = [c for c in calls if c["error"] != "0" or c["result"] == "false"]
    # A first launch has no location or suspend_data yet: reading them is the one allowed "error"
    # (SCORM 2004's 403, "not initialised"), which is how content learns it is a new attempt.
    assert {(c["method"], c["args"][0]) for c in rejected} <= {
        (words["get"], "cmi.suspend_data"),
        (words["get"], words["location"]),
    }, rejected
    values = values_set(calls, words)
    percent = round(100 * right / total)
    assert values[words["status"]] == "completed"
    assert values[words["score"] + ".raw"] == str(percent)
    assert (values[words["score"] + ".min"], values[words["score"] + ".max"]) == ("0", "100")
    assert values[words["location"]] == resume_at
    assert values[words["exit"]] == "suspend"
    progress = json.loads(values["cmi.suspend_data"])
    assert len(values["cmi.suspend_data"]) <= 4096
    assert progress["read"] and progress["questions"] == total and len(progress["answers"]) == total
    if version == "2004":
        assert float(values["cmi.score.scaled"]) == pytest.approx(right / total)
        assert float(values["cmi.progress_measure"]) == 1.0

    # Relaunch in a fresh browser (nothing in its storage) with the saved data: restored from the LMS.
    second = launch(lms, browser, version, saved)
    try:
        chapter = sco_frame(second.page)
        slug = json.dumps(CHAPTER.chapter.slug)
        restored = chapter.evaluate(f"window.dhProgress.summary({slug})")
        assert restored == {"read": True, "questions": total, "answered": total, "right": right, "complete": True}
        top = chapter.evaluate(f"document.getElementById({json.dumps(resume_at)}).getBoundingClientRect().top")
        assert 0 <= top <= 80, (
            "the chapter did not reopen at the resume point (its heading at the top, under the header)"
        )
        assert chapter.locator(".bd-docs-nav .dh-read-mark").count() >= 1, "the menu does not show the chapter read"
        calls = close(second, version)
        assert second.errors == []
    finally:
        second.close()
    assert [c for c in calls if c["error"] != "0"] == [], "a value was rejected on relaunch"
    gets = {c["args"][0]: c["result"] for c in calls if c["method"] == words["get"]}
    assert gets[words["location"]] == resume_at and json.loads(gets["cmi.suspend_data"]) == progress
    again = values_set(calls, words)
    assert again.get(words["status"], "completed") == "completed", "relaunch lost the completion"


OTHER_PAGES = ["book/tools/prevalence-estimator", *[e for e in toc_files() if "/exercises/" in e][:1], "book/glossary"]


@pytest.mark.parametrize("entry", OTHER_PAGES)
def test_other_pages_in_the_package_ask_for_nothing_outside_its_folder(lms, browser, entry):
    """Tools, exercise pages and the rest are shared files of the package: they load from it alone."""
    content = f"{lms}/1.2/{CONTENT}"
    opened = Visit(browser, f"{content}{entry}.html")
    try:
        assert [u for u in opened.requested if not u.startswith(content)] == []
        assert opened.failed == [] and opened.errors == []
    finally:
        opened.close()
