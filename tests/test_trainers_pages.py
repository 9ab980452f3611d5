"""The "For trainers" pages: the facilitator guide's timed session plans and the activities.

The checks read the pages as a trainer would use them: every session in the two day plans is
written up with all its parts and the time the plan gives it; the plans run in order without
overlaps; there are at least six activities with every field; every page and label the two pages
link to exists; and every course tool is used somewhere in a session or an activity.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dementia_housing import views

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "book" / "trainers" / "facilitator-guide.md"
ACTIVITIES = ROOT / "book" / "trainers" / "activities.md"

SESSION_FIELDS = ("Purpose", "Timings", "Method", "Materials", "Use live", "Prompts", "What to watch for")
ACTIVITY_FIELDS = ("Purpose", "Time", "Group size", "Materials", "How to run it", "Debrief")
TIME_RANGE = re.compile(r"^(\d{2}):(\d{2})\s*[–-]\s*(\d{2}):(\d{2})$")
SESSION_ROW = re.compile(r"^Session (\d+\.\d+|R\.\d+): (.+)$")
DOC_LINK = re.compile(r"\{doc\}`(?:[^`<]*<([^>`]+)>|([^`<>]+))`")
REF_LINK = re.compile(r"\{ref\}`(?:[^`<]*<([^>`]+)>|([^`<>]+))`")
LABEL = re.compile(r"^\(([A-Za-z0-9_-]+)\)=\s*$", re.MULTILINE)
STIGMATISING = re.compile(r"\b(sufferers?|demented|senile|EMI)\b", re.IGNORECASE)
QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”")


# ---- parsing -----------------------------------------------------------------------------


def sections(text: str, level: int) -> dict[str, str]:
    """Heading -> body for every heading of exactly this level (the body runs to the next heading
    of this level or higher)."""
    marks = "#" * level
    pattern = re.compile(rf"^{marks} (.+)$", re.MULTILINE)
    stop = re.compile(rf"^#{{1,{level}}} ", re.MULTILINE)
    out = {}
    for match in pattern.finditer(text):
        end = stop.search(text, match.end())
        out[match.group(1).strip()] = text[match.end() : end.start() if end else len(text)]
    return out


def fields(body: str, names: tuple[str, ...]) -> dict[str, str]:
    """Bold field name at the start of a paragraph (``**Purpose.** text``) -> its text, up to the
    next field or heading."""
    found = {}
    starts = [(m.start(), m.end(), m.group(1)) for m in re.finditer(r"^\*\*([^*]+?)\.\*\*", body, re.MULTILINE)]
    for i, (_, end, name) in enumerate(starts):
        stop = starts[i + 1][0] if i + 1 < len(starts) else len(body)
        found[name] = body[end:stop].strip()
    return {name: found.get(name, "") for name in names}


def plan_rows(body: str) -> list[tuple[str, str]]:
    """(time, session cell) for each data row of the first list-table in a day's section."""
    match = re.search(r"```\{list-table\}[^\n]*\n(.*?)\n```", body, re.DOTALL)
    assert match, "no list-table plan"
    table = match.group(1)
    assert ":header-rows: 1" in table, "the plan needs a header row"
    rows = re.split(r"^\* - ", table, flags=re.MULTILINE)[1:]
    parsed = []
    for row in rows[1:]:  # the first is the header
        cells = [" ".join(c.split()) for c in re.split(r"\n  - ?", row)]
        parsed.append((cells[0], cells[1] if len(cells) > 1 else ""))
    return parsed


def minutes(time_range: str) -> tuple[int, int]:
    match = TIME_RANGE.match(time_range)
    if not match:
        raise ValueError(f"not a time range: {time_range!r}")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    return h1 * 60 + m1, h2 * 60 + m2


def timing_problems(rows: list[tuple[str, str]]) -> list[str]:
    """Rows whose times are malformed, end before they start, or overlap the row before."""
    problems, previous_end = [], None
    for time_range, what in rows:
        try:
            start, end = minutes(time_range)
        except ValueError as error:
            problems.append(str(error))
            continue
        if end <= start:
            problems.append(f"{what}: ends before it starts ({time_range})")
        if previous_end is not None and start < previous_end:
            problems.append(f"{what}: starts before the row above ends ({time_range})")
        previous_end = end
    return problems


def links(text: str, pattern: re.Pattern) -> list[str]:
    return [a or b for a, b in pattern.findall(text)]


def doc_exists(target: str) -> bool:
    base = ROOT / target.lstrip("/") if target.startswith("/") else GUIDE.parent / target
    return any(base.with_suffix(suffix).is_file() for suffix in (".md", ".ipynb"))


# ---- the parser catches what it should (so the page checks below can fail) ------------------


def test_timing_check_catches_overlap_and_reversed_times():
    assert timing_problems([("09:30–10:00", "a"), ("10:00–11:00", "b")]) == []
    assert timing_problems([("09:30–10:30", "a"), ("10:00–11:00", "b")])
    assert timing_problems([("11:00–10:00", "a")])
    assert timing_problems([("9.30 to 10", "a")])


def test_field_parser_reports_missing_fields():
    body = "**Purpose.** Why.\n\n**Method.** How.\n"
    got = fields(body, SESSION_FIELDS)
    assert got["Purpose"] == "Why." and got["Method"] == "How."
    assert got["Prompts"] == "" and got["What to watch for"] == ""


# ---- the facilitator guide ---------------------------------------------------------------


def guide_days() -> dict[str, str]:
    days = {h: b for h, b in sections(GUIDE.read_text(encoding="utf-8"), 2).items() if re.match(r"Day [12]\b", h)}
    assert len(days) == 2, f"expected a Day 1 and a Day 2 section, found {sorted(days)}"
    return days


def test_guide_covers_what_the_issue_asks():
    heads = " | ".join(sections(GUIDE.read_text(encoding="utf-8"), 2))
    for needed in ("Aims", "Who should come", "Involving people living with dementia", "online", "review day"):
        assert needed.lower() in heads.lower(), f"no section on {needed!r}: {heads}"


@pytest.mark.parametrize("day", ["Day 1", "Day 2"])
def test_every_session_in_the_plan_is_written_up(day):
    ((heading, body),) = [(h, b) for h, b in guide_days().items() if h.startswith(day)]
    rows = plan_rows(body)
    planned = {}
    for time_range, cell in rows:
        match = SESSION_ROW.match(cell)
        if match:
            planned[f"Session {match.group(1)}: {match.group(2)}"] = time_range
        else:
            assert cell in {"Break", "Lunch"}, f"{heading}: a row is neither a session nor a break: {cell!r}"
    assert len(planned) >= 4, f"{heading}: too few sessions"
    written = sections(body, 3)
    assert set(planned) == set(written), (
        f"{heading}: planned but not written up {sorted(set(planned) - set(written))}; "
        f"written up but not planned {sorted(set(written) - set(planned))}"
    )
    for title, time_range in planned.items():
        got = fields(written[title], SESSION_FIELDS)
        empty = [name for name, text in got.items() if len(text.split()) < 3]
        assert not empty, f"{title}: missing or empty {empty}"
        assert got["Timings"].startswith(time_range), f"{title}: Timings {got['Timings'][:20]!r} ≠ plan {time_range}"
        assert links(got["Use live"], DOC_LINK), f"{title}: 'Use live' links to no course page or tool"
        assert re.search(r"^- ", got["Prompts"], re.MULTILINE), f"{title}: prompts should be a list"


@pytest.mark.parametrize("plan", ["Day 1", "Day 2", "The review day"])
def test_plan_times_are_in_order_and_do_not_overlap(plan):
    (body,) = [b for h, b in sections(GUIDE.read_text(encoding="utf-8"), 2).items() if h.startswith(plan)]
    rows = plan_rows(body)
    assert rows, f"{plan}: empty plan"
    assert timing_problems(rows) == []


def test_knowledge_check_is_placed_before_and_after():
    days = guide_days()
    day1 = next(b for h, b in days.items() if h.startswith("Day 1"))
    day2 = next(b for h, b in days.items() if h.startswith("Day 2"))
    first_day1 = plan_rows(day1)[0][1]
    last_day2 = plan_rows(day2)[-1][1]
    assert "knowledge check" in first_day1.lower(), first_day1
    assert "knowledge check" in last_day2.lower(), last_day2
    assert "dementia-housing cohort" in GUIDE.read_text(encoding="utf-8")


# ---- the activities ----------------------------------------------------------------------


def activities() -> dict[str, str]:
    return {h: b for h, b in sections(ACTIVITIES.read_text(encoding="utf-8"), 2).items() if h.startswith("Activity ")}


def test_at_least_six_activities_with_every_field():
    found = activities()
    assert len(found) >= 6, sorted(found)
    for title, body in found.items():
        got = fields(body, ACTIVITY_FIELDS)
        empty = [name for name, text in got.items() if len(text.split()) < 3]
        assert not empty, f"{title}: missing or empty {empty}"
        assert re.match(r"\d+ minutes", got["Time"]), f"{title}: Time should start with its minutes"
        assert re.search(r"^1\. ", got["How to run it"], re.MULTILINE), f"{title}: steps should be numbered"


# ---- links and tools ---------------------------------------------------------------------


@pytest.mark.parametrize("page", [GUIDE, ACTIVITIES], ids=lambda p: p.name)
def test_every_doc_link_target_exists(page):
    targets = links(page.read_text(encoding="utf-8"), DOC_LINK)
    assert targets
    missing = sorted({t for t in targets if not doc_exists(t)})
    assert not missing, f"{page.name} links to pages that do not exist: {missing}"


def test_every_ref_target_is_a_label_on_these_pages():
    texts = [p.read_text(encoding="utf-8") for p in (GUIDE, ACTIVITIES)]
    labels = {label for text in texts for label in LABEL.findall(text)}
    refs = {r for text in texts for r in links(text, REF_LINK)}
    assert refs and not refs - labels, f"unknown labels: {sorted(refs - labels)}"


def test_every_tool_is_used_in_a_session_or_an_activity():
    bodies = [b for day in guide_days().values() for b in sections(day, 3).values()]
    bodies += list(activities().values())
    used = {t.rsplit("/", 1)[-1] for body in bodies for t in links(body, DOC_LINK) if "/book/tools/" in t}
    tools = set(views.tools())
    assert tools, "no tools registered"
    assert not tools - used, f"tools used by no session or activity: {sorted(tools - used)}"


@pytest.mark.parametrize("page", [GUIDE, ACTIVITIES], ids=lambda p: p.name)
def test_person_first_language(page):
    unquoted = QUOTED.sub("", page.read_text(encoding="utf-8"))
    assert not STIGMATISING.findall(unquoted)
    assert "wandering" not in unquoted.lower()


@pytest.mark.parametrize("page", [GUIDE, ACTIVITIES], ids=lambda p: p.name)
def test_printable_and_phone_friendly(page):
    """No widgets or code cells, and no plan table wider than four columns."""
    text = page.read_text(encoding="utf-8")
    assert "{code-cell}" not in text and "ipywidgets" not in text
    for table in re.findall(r"```\{list-table\}[^\n]*\n(.*?)\n```", text, re.DOTALL):
        header = re.split(r"^\* - ", table, flags=re.MULTILINE)[1]
        assert len(re.split(r"\n  - ?", header)) <= 4, header
