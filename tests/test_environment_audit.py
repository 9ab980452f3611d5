"""The dementia-friendly environment audit: the course's checklist, bad data and bad scores, the
priority order and the summaries (checked against rules computed from the data), void visits,
the CSV, and the view driven through its widgets."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from fractions import Fraction
from html import escape, unescape
from urllib.parse import unquote

import ipywidgets as widgets
import pytest
from helpers import assert_data_error

from dementia_housing.content import evidence
from dementia_housing.models import environment_audit as model
from dementia_housing.models.environment_audit import (
    COST_BANDS,
    CSV_HEADER,
    NOT_APPLICABLE,
    SCORE_WORDS,
    AuditError,
    audit_csv,
    audit_of,
    items,
    load_checklist,
    parse_checklist,
    result,
    score,
    start,
    switch,
)
from dementia_housing.models.spreadsheet import BOM
from dementia_housing.views.base import ToolView
from dementia_housing.views.environment_audit import (
    UNSCORED,
    WORKED_EXAMPLE,
    EnvironmentAudit,
    checklist_html,
    csv_link_html,
    results_html,
    worked_example_html,
)

PATH = evidence.data_path(model.FILE)
CHECKLIST = load_checklist()
PAIRS = [(kind, mode) for kind in model.KINDS for mode in model.MODES]
AREAS = {
    "flat": ["entrance", "hall", "kitchen", "bathroom", "bedroom", "living-room"],
    "scheme": ["entrance", "corridors", "lounge", "garden", "signage"],
}


def everything_scored(kind: str, mode: str) -> model.Audit:
    """Every item scored in turn 0, 1, 2, not applicable, with a reason for each."""
    cycle = (0, 1, 2, NOT_APPLICABLE)
    scores = {item.id: (cycle[n % 4], f"seen at {item.id}") for n, item in enumerate(items(kind, mode))}
    return audit_of(kind, mode, scores)


# The course's file ----------------------------------------------------------------------------


def test_the_file_has_both_kinds_their_areas_and_four_to_six_items_in_each():
    data = json.loads(PATH.read_text(encoding="utf-8"))
    assert data["chapter"] == "ch07-environments" and data["outcomes"] == ["LO7"]
    assert [k.id for k in CHECKLIST.kinds] == list(model.KINDS)
    for kind in CHECKLIST.kinds:
        assert [a.id for a in kind.areas] == AREAS[kind.id]
        assert all(4 <= len(a.items) <= 6 for a in kind.areas)
        names = [i.name for i in kind.items]
        assert len(names) == len(set(names)), "names label the score controls, so they must differ"
    ids = [i.id for k in CHECKLIST.kinds for i in k.items]
    assert len(ids) == len(set(ids))


def test_the_six_dsdc_principles():
    names = [p.name.lower() for p in CHECKLIST.principles]
    for words in ("compensate", "independence", "identity", "orienting", "relatives", "stimulation"):
        assert sum(words in n for n in names) == 1, words


def test_the_notes_say_what_the_checklist_is_and_is_not():
    assert "rough guide" in CHECKLIST.note("cost_bands")
    contrast = CHECKLIST.note("contrast")
    assert "30" in contrast and "not a standard" in contrast
    adaptation = CHECKLIST.note("adaptation")
    assert "DSDC" in adaptation and "EHE" in adaptation and "not the official EHE tool" in adaptation
    assert "not to them" in CHECKLIST.note("with_residents")
    assert all(i.cost in COST_BANDS for k in CHECKLIST.kinds for i in k.items)


def test_person_first_language():
    texts = re.findall(r'"((?:[^"\\]|\\.)*)"', PATH.read_text(encoding="utf-8"))
    assert len(texts) > 300
    for text in texts:
        lower = text.lower()
        for word in (r"\bsufferers?\b", r"\bsuffering\b", r"\bdemented\b", r"\bsenile\b", r"\bwandering\b"):
            assert not re.search(word, lower), text
        assert not re.search(r"\bEMI\b", text), text
        assert "dementia patient" not in lower and "the demented" not in lower, text


def test_items_about_the_residents_own_things_do_not_apply_in_a_void():
    own = re.compile(r"resident's own|residents' own|familiar things|things the resident")
    for kind in CHECKLIST.kinds:
        for item in kind.items:
            if own.search(item.question):
                assert not item.applies_in_void, item.id


@pytest.mark.parametrize(("kind", "mode"), PAIRS)
def test_items_in_a_mode_are_the_ones_that_apply(kind, mode):
    everything = CHECKLIST.kind(kind).items
    expected = everything if mode == "lived-in" else tuple(i for i in everything if i.applies_in_void)
    assert items(kind, mode) == expected
    assert [i for _, area_items in model.areas(kind, mode) for i in area_items] == list(expected)
    if mode == "void":
        assert len(expected) < len(everything)


# Bad data -------------------------------------------------------------------------------------

PRINCIPLE_IDS = ["compensate", "independence", "identity", "orientation", "welcome", "stimulation"]


def item(item_id, principles, void=True, cost="no cost"):
    return {
        "id": item_id,
        "name": f"Item {item_id}",
        "question": "Is it right?",
        "principles": principles,
        "fix": "Put it right.",
        "cost": cost,
        "applies_in_void": void,
    }


def kind(kind_id):
    area_items = [
        item(f"{kind_id}-a", PRINCIPLE_IDS[:2]),
        item(f"{kind_id}-b", PRINCIPLE_IDS[2:4], cost="under £100"),
        item(f"{kind_id}-c", PRINCIPLE_IDS[4:], void=False),
        item(f"{kind_id}-d", PRINCIPLE_IDS[:1], cost="over £1,000"),
    ]
    return {
        "id": kind_id,
        "name": kind_id.title(),
        "areas": [{"id": "entrance", "name": "Entrance", "items": area_items}],
    }


SMALL = {
    "schema": "dementia-housing/environment-audit",
    "schema_version": 1,
    "title": "Small",
    "notes": {key: f"A note about {key}." for key in model.NOTES},
    "principles": [{"id": p, "name": p.title(), "meaning": f"What {p} means."} for p in PRINCIPLE_IDS],
    "kinds": [kind("flat"), kind("scheme")],
}
FILE = "data/environment-audit.json"


def raised(function, *args) -> Exception:
    with pytest.raises(Exception) as caught:
        function(*args)
    return caught.value


def test_the_small_checklist_is_valid():
    checklist = parse_checklist(copy.deepcopy(SMALL), FILE)
    assert [i.id for i in checklist.kind("scheme").items] == ["scheme-a", "scheme-b", "scheme-c", "scheme-d"]


def first_item(d):
    return d["kinds"][0]["areas"][0]["items"][0]


def no_void_item(d):
    for entry in d["kinds"][1]["areas"][0]["items"]:
        entry["applies_in_void"] = False


def no_welcome(d):
    d["kinds"][0]["areas"][0]["items"][2]["principles"] = ["identity"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: d["principles"].pop(), "principles", "between 6 and 6 principles (found 5)"),
        (lambda d: d["principles"][1].update(id="compensate"), "principles[1].id", "'compensate' is already used"),
        (lambda d: d["principles"][2].update(meaning=""), "principles[2].meaning", "missing or empty"),
        (lambda d: first_item(d).update(principles=["kindness"]), "kinds[0].areas[0].items[0].principles[0]", "not a"),
        (
            lambda d: first_item(d).update(principles=["identity", "identity"]),
            "kinds[0].areas[0].items[0].principles[1]",
            "listed twice",
        ),
        (lambda d: first_item(d).update(principles=[]), "kinds[0].areas[0].items[0].principles", "at least 1"),
        (lambda d: first_item(d).update(cost="£50"), "kinds[0].areas[0].items[0].cost", "must be one of the cost"),
        (lambda d: first_item(d).pop("applies_in_void"), "kinds[0].areas[0].items[0].applies_in_void", "missing"),
        (
            lambda d: first_item(d).update(applies_in_void="yes"),
            "kinds[0].areas[0].items[0].applies_in_void",
            "must be true or false",
        ),
        (lambda d: first_item(d).update(question="Look at it."), "kinds[0].areas[0].items[0].question", "ending in"),
        (lambda d: first_item(d).update(name="x" * 40), "kinds[0].areas[0].items[0].name", "has 40 characters"),
        (lambda d: first_item(d).update(fix=" "), "kinds[0].areas[0].items[0].fix", "missing or empty"),
        (lambda d: first_item(d).update(id="Item_One"), "kinds[0].areas[0].items[0].id", "must be kebab-case"),
        (lambda d: first_item(d).update(id="scheme-a"), "kinds[1].areas[0].items[0].id", "'scheme-a' is already"),
        (lambda d: d["kinds"][0]["areas"][0]["items"].pop(), "kinds[0].areas[0].items", "between 4 and 6 items"),
        (
            lambda d: d["kinds"][0]["areas"][0]["items"].extend(item(f"extra-{n}", ["identity"]) for n in range(3)),
            "kinds[0].areas[0].items",
            "(found 7)",
        ),
        (no_void_item, "kinds[1].areas[0].items", "applies in a void inspection"),
        (no_welcome, "kinds[0].areas", "no item serves the principle 'welcome'"),
        (lambda d: d["kinds"][0].update(id="house"), "kinds[0].id", "must be one of flat, scheme"),
        (lambda d: d["kinds"][1].update(id="flat"), "kinds[1].id", "'flat' is already used"),
        (lambda d: d["kinds"].pop(), "kinds", "between 2 and 2 kinds"),
        (lambda d: d["notes"].pop("contrast"), "notes.contrast", "missing"),
        (lambda d: d.update(schema_version=2), "schema_version", "2 is not a version this tool reads"),
        (lambda d: d.update(schema="other"), "schema", "must be 'dementia-housing/environment-audit'"),
        (lambda d: d.pop("principles"), "principles", "missing; add it"),
    ],
)
def test_bad_data_names_the_line_and_field(change, field, words):
    data = copy.deepcopy(SMALL)
    change(data)
    assert_data_error(raised(parse_checklist, data, FILE), data, FILE, field, words)


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    """A data folder of the test's own, read afresh by the loader."""
    monkeypatch.setenv(evidence.DATA_ENV, str(tmp_path))
    model.load_checklist.cache_clear()
    yield tmp_path
    model.load_checklist.cache_clear()


def test_a_file_read_from_disk_names_its_own_line(data_folder):
    data = copy.deepcopy(SMALL)
    first_item(data)["cost"] = "about £75"
    text = json.dumps(data, indent=2, ensure_ascii=False)
    (data_folder / model.FILE).write_text(text, encoding="utf-8")
    problem = raised(load_checklist)
    assert str(problem).startswith(f"{FILE}:{problem.line}, field 'kinds[0].areas[0].items[0].cost'")
    assert '"cost": "about £75"' in text.splitlines()[problem.line - 1]


# Scoring --------------------------------------------------------------------------------------

FLAT = start("flat", "lived-in")
SOME_ITEM = items("flat", "lived-in")[0].id
LIVED_IN_ONLY = next(i for i in CHECKLIST.kind("flat").items if not i.applies_in_void)


def error_of(audit, item_id, value, reason="") -> AuditError:
    with pytest.raises(AuditError) as caught:
        score(audit, item_id, value, reason)
    return caught.value


@pytest.mark.parametrize("value", ["3", "2.5", 2.5, 3, -1, True, "two", "1/2", [1]])
def test_a_value_off_the_scale_says_what_the_scale_is(value):
    problem = error_of(FLAT, SOME_ITEM, value, "a reason")
    assert problem.field == "score"
    assert problem.message.startswith(f"'{str(value).strip()}' is not a score on this scale")
    assert "0 (needs attention now), 1 (could be better), 2 (works well) or not applicable" in problem.message


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_needs_attention_now_needs_a_reason(reason):
    problem = error_of(FLAT, SOME_ITEM, 0, reason)
    assert problem.field == "reason" and "give a short reason" in problem.message
    assert score(FLAT, SOME_ITEM, 0, "  the number  is missing ").mark(SOME_ITEM) == (
        SOME_ITEM,
        0,
        "the number is missing",
    )


def test_a_reason_must_be_short():
    problem = error_of(FLAT, SOME_ITEM, 1, "x" * (model.MAX_REASON_LENGTH + 1))
    assert problem.field == "reason" and f"{model.MAX_REASON_LENGTH} characters at most" in problem.message


def test_an_unknown_item_or_one_from_the_other_kind_is_refused():
    assert error_of(FLAT, "no-such-item", 1).field == "item"
    other = CHECKLIST.kind("scheme").items[0].id
    assert error_of(FLAT, other, 1).message == f"There is no item '{other}' in the flat checklist."


def test_an_item_that_does_not_apply_in_a_void_cannot_be_scored_there():
    problem = error_of(start("flat", "void"), LIVED_IN_ONLY.id, 2)
    assert problem.field == "item" and "does not apply in a void inspection" in problem.message
    assert score(FLAT, LIVED_IN_ONLY.id, 2).value(LIVED_IN_ONLY.id) == 2


def test_an_unknown_kind_or_mode_is_refused():
    with pytest.raises(AuditError) as caught:
        start("house", "lived-in")
    assert caught.value.field == "kind"
    with pytest.raises(AuditError) as caught:
        start("flat", "empty")
    assert caught.value.field == "mode"


@pytest.mark.parametrize(
    ("given", "kept"),
    [("1", 1), (" 2 ", 2), (2, 2), ("n/a", NOT_APPLICABLE), ("Not applicable", NOT_APPLICABLE), ("works well", 2)],
)
def test_scores_given_as_text_are_read(given, kept):
    assert score(FLAT, SOME_ITEM, given).value(SOME_ITEM) == kept


def test_audits_are_immutable_and_clearing_a_score_forgets_it():
    scored = score(FLAT, SOME_ITEM, 1, "dim")
    assert FLAT.marks == () and scored.value(SOME_ITEM) == 1
    assert score(scored, SOME_ITEM, None) == FLAT
    assert score(scored, SOME_ITEM, "") == FLAT
    with pytest.raises(AttributeError):
        scored.kind = "scheme"


def test_switching_keeps_the_scores_that_still_apply():
    audit = score(score(FLAT, SOME_ITEM, 2), LIVED_IN_ONLY.id, 1)
    void = switch(audit, "flat", "void")
    assert [m.item for m in void.marks] == [SOME_ITEM]
    assert switch(audit, "scheme", "lived-in").marks == ()


# Results, checked against rules computed from the data ------------------------------------------


@pytest.mark.parametrize(("kind", "mode"), PAIRS)
def test_fixes_are_every_0_and_1_in_priority_order(kind, mode):
    audit = everything_scored(kind, mode)
    found = result(audit)
    checklist_order = [i.id for i in items(kind, mode)]
    needing = [i for i in items(kind, mode) if audit.value(i.id) in (0, 1)]
    assert {f.item.id for f in found.fixes} == {i.id for i in needing}
    assert [f.rank for f in found.fixes] == list(range(1, len(needing) + 1))

    def key(fix):
        return (
            fix.value,
            -len(fix.item.principles),
            COST_BANDS.index(fix.item.cost),
            checklist_order.index(fix.item.id),
        )

    keys = [key(f) for f in found.fixes]
    assert keys == sorted(keys)
    assert any(a[0] == b[0] and a[1] != b[1] for a, b in zip(keys, keys[1:], strict=False)), "principles break ties"
    for fix in found.fixes:
        assert fix.area.id == fix.item.area and fix.reason == f"seen at {fix.item.id}"
        assert [p.id for p in fix.principles] == list(fix.item.principles)


def test_a_0_comes_before_any_1_whatever_it_costs():
    dearest = max(items("flat", "lived-in"), key=lambda i: (i.cost_rank, -len(i.principles)))
    cheapest = min(items("flat", "lived-in"), key=lambda i: (i.cost_rank, -len(i.principles)))
    audit = audit_of("flat", "lived-in", {cheapest.id: 1, dearest.id: (0, "broken")})
    assert [f.item.id for f in result(audit).fixes] == [dearest.id, cheapest.id]


@pytest.mark.parametrize(("kind", "mode"), PAIRS)
def test_summaries_average_only_the_items_scored(kind, mode):
    audit = everything_scored(kind, mode)
    found = result(audit)
    for tally in found.principles:
        among = [i for i in items(kind, mode) if tally.id in i.principles]
        given = [audit.value(i.id) for i in among if audit.value(i.id) in (0, 1, 2)]
        assert (tally.items, tally.scored) == (len(among), len(given))
        assert tally.average == (Fraction(sum(given), len(given)) if given else None)
        assert tally.not_applicable == sum(audit.value(i.id) == NOT_APPLICABLE for i in among)
    for tally, (area, area_items) in zip(found.areas, model.areas(kind, mode), strict=True):
        given = [audit.value(i.id) for i in area_items if audit.value(i.id) in (0, 1, 2)]
        assert tally.id == area.id and tally.scores == tuple(given)


def test_unscored_items_are_not_yet_looked_at_never_0():
    one = items("flat", "lived-in")[0]
    found = result(audit_of("flat", "lived-in", {one.id: 2}))
    served = [t for t in found.principles if t.id in one.principles]
    assert all(t.average == 2 and t.average_text == "2.0 out of 2" for t in served)
    assert all(t.not_looked_at == t.items - 1 for t in served)
    assert len(found.not_looked_at) == len(items("flat", "lived-in")) - 1 and one not in found.not_looked_at
    untouched = [t for t in found.principles if t.id not in one.principles]
    assert all(t.average is None and t.average_text == "none scored yet" for t in untouched)
    assert found.fixes == ()
    assert dict(found.counts) == {
        **{w: 0 for w in SCORE_WORDS.values()},
        "Works well": 1,
        "Not looked at yet": len(items("flat", "lived-in")) - 1,
    }


# The CSV ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "mode"), PAIRS)
def test_the_csv_has_one_row_per_item(kind, mode):
    audit = score(everything_scored(kind, mode), items(kind, mode)[-1].id, None)
    text = audit_csv(audit)
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert tuple(rows[0]) == CSV_HEADER
    found = result(audit)
    assert len(rows) == 1 + len(items(kind, mode))
    names = {a.id: a.name for a in CHECKLIST.kind(kind).areas}
    for entry, row in zip(items(kind, mode), rows[1:], strict=True):
        mark, fix = audit.mark(entry.id), found.fix(entry.id)
        assert row[:3] == [names[entry.area], entry.question, SCORE_WORDS[mark.value if mark else None]]
        assert row[3] == (mark.reason if mark else "")
        assert row[4] == "; ".join(CHECKLIST.principle(p).name for p in entry.principles)
        assert row[5:7] == [entry.fix, entry.cost]
        assert row[7] == (str(fix.rank) if fix else "")
    assert rows[-1][2] == "Not looked at yet"


# The page's static HTML -----------------------------------------------------------------------


def test_the_worked_example_shows_its_fixes_with_a_0_first():
    audit = audit_of(**WORKED_EXAMPLE)
    found = result(audit)
    assert 7 <= len(audit.marks) <= 10
    assert found.fixes[0].value == 0 and {f.value for f in found.fixes[1:]} == {1}
    html = worked_example_html()
    assert html.count("<tr>") >= len(found.fixes)
    for fix in found.fixes:
        assert escape(fix.item.fix) in html and escape(fix.reason) in html
    assert results_html(found) in html and csv_link_html(audit) in html


@pytest.mark.parametrize("kind", model.KINDS)
def test_the_paper_checklist_has_every_item(kind):
    html = checklist_html(kind)
    every = CHECKLIST.kind(kind).items
    assert all(escape(f"{i.name}. {i.question}") in html for i in every)
    assert html.count("lived-in only") == sum(not i.applies_in_void for i in every) + 1  # and once in the key
    assert html.count("<caption>") == len(CHECKLIST.kind(kind).areas)


# The view, driven through its widgets --------------------------------------------------------


def label_text(control) -> str:
    """A control's label as read out: its description without the markup that aligns it."""
    return unescape(re.sub(r"<[^>]+>", "", control.description))


def test_the_view_opens_on_the_worked_example():
    tool = EnvironmentAudit.worked_example()
    assert isinstance(tool, ToolView)
    audit = audit_of(**WORKED_EXAMPLE)
    assert tool.audit == audit
    assert list(tool.rows) == [i.id for i in items("flat", "lived-in")]
    for item_id, row in tool.rows.items():
        assert row.control.value == (UNSCORED if audit.value(item_id) is None else audit.value(item_id))
        assert label_text(row.control) == row.item.name and label_text(row.reason) == "Reason"
    assert tool.results.value == results_html(result(audit))
    assert (label_text(tool.kind_field), label_text(tool.mode_field)) == ("What you are auditing", "Kind of visit")


def test_changing_a_dropdown_shows_the_models_result():
    tool = EnvironmentAudit.worked_example()
    unscored = next(i for i in items("flat", "lived-in") if i.id not in WORKED_EXAMPLE["scores"])
    tool.rows[unscored.id].control.value = 1
    expected = score(audit_of(**WORKED_EXAMPLE), unscored.id, 1)
    assert tool.audit == expected
    assert tool.results.value == results_html(result(expected))
    assert escape(unscored.fix) in tool.results.value
    tool.rows[unscored.id].control.value = NOT_APPLICABLE
    assert tool.results.value == results_html(result(score(expected, unscored.id, NOT_APPLICABLE)))


def test_a_0_without_a_reason_shows_the_models_message_beside_the_reason():
    tool = EnvironmentAudit.worked_example()
    before = tool.audit
    row = next(r for r in tool.rows.values() if r.item.id not in WORKED_EXAMPLE["scores"])
    row.control.value = 0
    message = error_of(before, row.item.id, 0, "").message
    assert row.reason_error.value == ToolView.field_error(message) and 'role="alert"' in row.reason_error.value
    assert row.score_error.value == ""
    assert row.box.children.index(row.reason_error) == row.box.children.index(row.reason) + 1
    assert tool.audit == before and tool.results.value == results_html(result(before))
    row.reason.value = "No cut-off on the cooker."
    assert row.reason_error.value == ""
    assert tool.audit == score(before, row.item.id, 0, "No cut-off on the cooker.")


def test_the_csv_link_holds_the_models_csv():
    tool = EnvironmentAudit.worked_example()
    tool.rows[SOME_ITEM].control.value = 1
    link = re.search(
        r'<a download="environment-audit\.csv" href="data:text/csv;charset=utf-8,([^"]*)">', tool.csv_link.value
    )
    assert link and unquote(unescape(link.group(1))) == audit_csv(tool.audit)
    assert "use your browser's Print" in unescape(tool.csv_link.value)


def test_changing_kind_or_mode_rebuilds_the_checklist():
    tool = EnvironmentAudit.worked_example()
    tool.mode_field.value = "void"
    assert list(tool.rows) == [i.id for i in items("flat", "void")]
    assert tool.audit == switch(audit_of(**WORKED_EXAMPLE), "flat", "void")
    tool.kind_field.value = "scheme"
    assert list(tool.rows) == [i.id for i in items("scheme", "void")] and tool.audit.marks == ()
    assert tool.results.value == results_html(result(start("scheme", "void")))


def test_a_bad_score_given_to_the_view_is_refused():
    with pytest.raises(AuditError):
        EnvironmentAudit(kind="flat", mode="lived-in", scores={SOME_ITEM: "3"})


def all_widgets(root):
    waiting = [root]
    while waiting:
        widget = waiting.pop()
        yield widget
        waiting.extend(getattr(widget, "children", ()))


def test_the_view_fits_a_phone_and_every_control_is_labelled():
    for widget in all_widgets(EnvironmentAudit.worked_example().view):
        if isinstance(widget, (widgets.Dropdown, widgets.Text)):
            assert label_text(widget) and widget.layout.flex_flow == "row wrap", "labels above their fields"
            assert widget.style.description_width == "100%"
        for width in filter(None, (widget.layout.width, widget.layout.max_width)):
            size = re.fullmatch(r"([\d.]+)(em|rem|px)", width)
            assert width in {"100%", "40em"} or (size and float(size.group(1)) <= 20), width


def test_a_typed_reason_is_never_a_spreadsheet_formula():
    first = items("flat", "lived-in")[0]
    audit = score(start(), first.id, 0, '=HYPERLINK("http://example.org")')
    rows = list(csv.reader(io.StringIO(audit_csv(audit).removeprefix(BOM))))
    reason = rows[1][CSV_HEADER.index("reason")]
    assert reason.startswith("'=") and audit.mark(first.id).reason.startswith("=")
