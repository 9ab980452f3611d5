"""Dementia-friendly environment audit: a walk-round checklist for a flat or a scheme.

The checklist (``data/environment-audit.json``) is the course's own, built on the six DSDC
(University of Stirling) design principles and the approach of the King's Fund Enhancing the
Healing Environment (EHE) assessment for housing. It is an adaptation for learning, not the
official EHE tool and not a design standard; the data's notes say so.

There are two kinds of audit: a **flat** (entrance, hall, kitchen, bathroom, bedroom, living
room) and a **scheme**'s shared areas (entrance, corridors, lounge, garden, signs). Each area
has four to six items; each item asks what to look at, names the principles it serves, says
what a fix looks like with a rough cost band, and says whether it applies in a **void**
inspection (an empty home: items about a resident's own things or routines do not).

How an audit is scored (the tool's page states the same rules):

- each item is scored 0 "Needs attention now", 1 "Could be better", 2 "Works well", or "Not
  applicable"; an item not scored is "not yet looked at" and is never counted as 0;
- a score of 0 needs a short reason (what was seen), so that the fix can be planned;
- an area's or a principle's **average** is the mean score of its scored items, from 0 to 2
  (an item serving two principles counts towards both); "not applicable" items are left out;
- the **prioritised fixes** are every item scored 0 or 1: 0 before 1, then items serving more
  principles first, then cheaper cost bands first, then checklist order.

An :class:`Audit` is immutable: :func:`score` returns a new one, or raises :class:`AuditError`
naming the field ("kind", "mode", "item", "score" or "reason") and what to do.
Standard library only: this module also runs in the reader's browser (Pyodide).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from ..content import datafiles
from ..content.datafiles import Entry
from .field_error import FieldError
from .spreadsheet import csv_text, typed
from .vips import format_score

FILE = "environment-audit.json"
SCHEMA = "dementia-housing/environment-audit"
SCHEMA_VERSION = 1
KINDS = ("flat", "scheme")
MODES = ("lived-in", "void")
MODE_WORDS = {"lived-in": "Lived-in home", "void": "Void inspection (empty home)"}
PRINCIPLE_COUNT = 6
ITEMS_PER_AREA = (4, 6)
COST_BANDS = ("no cost", "under £100", "£100–£1,000", "over £1,000")  # cheapest first
NOTES = ("adaptation", "with_residents", "cost_bands", "contrast")
MAX_NAME_LENGTH = 32  # an item's name labels its score control
MAX_REASON_LENGTH = 200

NOT_APPLICABLE = "not applicable"
SCALE = (0, 1, 2)
SCORE_WORDS: dict[int | str | None, str] = {
    None: "Not looked at yet",
    0: "Needs attention now",
    1: "Could be better",
    2: "Works well",
    NOT_APPLICABLE: "Not applicable",
}
SCALE_HELP = "choose 0 (needs attention now), 1 (could be better), 2 (works well) or not applicable"

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

Value = int | str | None  # 0, 1, 2, NOT_APPLICABLE, or None (not yet looked at)


class AuditError(FieldError):
    """A problem with a learner's input, naming the field it is about and what to do."""


@dataclass(frozen=True)
class Principle:
    id: str
    name: str
    meaning: str


@dataclass(frozen=True)
class Item:
    id: str
    area: str  # the area's id
    name: str  # short: it labels the score control
    question: str  # what to look at
    principles: tuple[str, ...]  # principle ids
    fix: str
    cost: str  # one of COST_BANDS
    applies_in_void: bool

    @property
    def cost_rank(self) -> int:
        return COST_BANDS.index(self.cost)


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Kind:
    id: str
    name: str
    areas: tuple[Area, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for area in self.areas for item in area.items)


@dataclass(frozen=True)
class Checklist:
    """The whole validated data file."""

    title: str
    notes: tuple[tuple[str, str], ...]  # (key, text) in NOTES order
    principles: tuple[Principle, ...]
    kinds: tuple[Kind, ...]

    def note(self, key: str) -> str:
        return dict(self.notes)[key]

    def principle(self, principle_id: str) -> Principle:
        return next(p for p in self.principles if p.id == principle_id)

    def kind(self, kind_id: str) -> Kind:
        return next(k for k in self.kinds if k.id == kind_id)


class Mark(NamedTuple):
    """One item's score and the reason given for it."""

    item: str
    value: int | str  # 0, 1, 2 or NOT_APPLICABLE
    reason: str = ""


@dataclass(frozen=True)
class Audit:
    """One audit: its kind, its mode and the items scored so far, in checklist order."""

    kind: str
    mode: str
    marks: tuple[Mark, ...] = ()

    def mark(self, item_id: str) -> Mark | None:
        return next((m for m in self.marks if m.item == item_id), None)

    def value(self, item_id: str) -> Value:
        found = self.mark(item_id)
        return None if found is None else found.value


# Loading and validating ----------------------------------------------------------------------


def _own_id(entry: Entry) -> str:
    value = entry.text("id")
    if not _ID.match(value):
        raise entry.error(f"'{value}' must be kebab-case: lower case letters and digits joined by hyphens", "id")
    return value


def _unique(seen: dict[str, Entry], value: str, entry: Entry, what: str) -> None:
    if value in seen:
        raise entry.error(f"'{value}' is already used on line {seen[value].line}; {what} ids must be unique", "id")
    seen[value] = entry.child("id")


def _parse_item(entry: Entry, area: str, principles: set[str], seen: dict[str, Entry]) -> Item:
    entry.object("id", "name", "question", "principles", "fix", "cost", "applies_in_void")
    item_id = _own_id(entry)
    _unique(seen, item_id, entry, "item")
    name = entry.text("name")
    if len(name) > MAX_NAME_LENGTH:
        raise entry.error(f"has {len(name)} characters; keep it to {MAX_NAME_LENGTH} (it labels a control)", "name")
    question = entry.text("question")
    if not question.endswith("?"):
        raise entry.error("must be a question ending in '?': say what to look at", "question")
    served: list[str] = []
    for ref in entry["principles"].items(what="principle id"):
        value = ref.text()
        if value not in principles:
            raise ref.error(f"'{value}' is not a principle; use one of {', '.join(sorted(principles))}")
        if value in served:
            raise ref.error(f"'{value}' is listed twice")
        served.append(value)
    cost = entry.text("cost")
    if cost not in COST_BANDS:
        raise entry.error(f"'{cost}' must be one of the cost bands: {', '.join(COST_BANDS)}", "cost")
    if not isinstance(entry["applies_in_void"].value, bool):
        raise entry["applies_in_void"].error("must be true or false")
    return Item(
        id=item_id,
        area=area,
        name=name,
        question=question,
        principles=tuple(served),
        fix=entry.text("fix"),
        cost=cost,
        applies_in_void=entry.flag("applies_in_void"),
    )


def _parse_kind(entry: Entry, principles: tuple[Principle, ...], seen_items: dict[str, Entry]) -> Kind:
    entry.object("id", "name", "areas")
    kind_id = _own_id(entry)
    if kind_id not in KINDS:
        raise entry.error(f"'{kind_id}' must be one of {', '.join(KINDS)}", "id")
    ids = {p.id for p in principles}
    areas: list[Area] = []
    seen_areas: dict[str, Entry] = {}
    for area_entry in entry["areas"].items(what="area"):
        area_entry.object("id", "name", "items")
        area_id = _own_id(area_entry)
        _unique(seen_areas, area_id, area_entry, "area")
        low, high = ITEMS_PER_AREA
        items = tuple(
            _parse_item(item, area_id, ids, seen_items) for item in area_entry["items"].items(low, high, "item")
        )
        if not any(item.applies_in_void for item in items):
            raise area_entry.error("no item here applies in a void inspection; an empty home needs one", "items")
        areas.append(Area(area_id, area_entry.text("name"), items))
    kind = Kind(kind_id, entry.text("name"), tuple(areas))
    for principle in principles:
        if not any(principle.id in item.principles for item in kind.items):
            raise entry.error(f"no item serves the principle '{principle.id}'; every principle needs one", "areas")
    return kind


def parse_checklist(data: object, file: str = f"data/{FILE}") -> Checklist:
    """Validate the checklist (an :class:`Entry`, or data already read); DataError names line and field."""
    root = datafiles.entry_of(data, file).object("schema", "schema_version", "title", "notes", "principles", "kinds")
    if root["schema"].value != SCHEMA:
        raise root.error(f"must be '{SCHEMA}'", "schema")
    version = root["schema_version"].value
    if version != SCHEMA_VERSION or isinstance(version, bool):
        raise root.error(f"{version!r} is not a version this tool reads; it reads {SCHEMA_VERSION}", "schema_version")
    notes_entry = root["notes"].object(*NOTES)
    notes = tuple((key, notes_entry.text(key)) for key in NOTES)

    principles: list[Principle] = []
    seen: dict[str, Entry] = {}
    for entry in root["principles"].items(PRINCIPLE_COUNT, PRINCIPLE_COUNT, "principle"):
        entry.object("id", "name", "meaning")
        principle_id = _own_id(entry)
        _unique(seen, principle_id, entry, "principle")
        principles.append(Principle(principle_id, entry.text("name"), entry.text("meaning")))

    kinds: list[Kind] = []
    seen_kinds: dict[str, Entry] = {}
    seen_items: dict[str, Entry] = {}
    kinds_entry = root["kinds"]
    for entry in kinds_entry.items(len(KINDS), len(KINDS), "kind"):
        kind = _parse_kind(entry, tuple(principles), seen_items)
        _unique(seen_kinds, kind.id, entry, "kind")
        kinds.append(kind)
    return Checklist(
        title=root.text("title"),
        notes=notes,
        principles=tuple(principles),
        kinds=tuple(sorted(kinds, key=lambda k: KINDS.index(k.id))),
    )


@functools.lru_cache(maxsize=1)
def load_checklist() -> Checklist:
    """The course's checklist, read once from ``data/environment-audit.json``."""
    return parse_checklist(datafiles.load(FILE), f"data/{FILE}")


# Auditing ------------------------------------------------------------------------------------


def _kind(kind: object) -> Kind:
    if kind not in KINDS:
        raise AuditError("kind", f"'{kind}' is not a kind of audit here: choose {' or '.join(KINDS)}.")
    return load_checklist().kind(str(kind))


def _check_mode(mode: object) -> str:
    if mode not in MODES:
        raise AuditError("mode", f"'{mode}' is not a kind of visit here: choose {' or '.join(MODES)}.")
    return str(mode)


def items(kind: str, mode: str) -> tuple[Item, ...]:
    """The items of a kind's checklist that apply in this mode, in checklist order."""
    void = _check_mode(mode) == "void"
    return tuple(item for item in _kind(kind).items if item.applies_in_void or not void)


def areas(kind: str, mode: str) -> tuple[tuple[Area, tuple[Item, ...]], ...]:
    """Each area of the checklist with its items that apply in this mode."""
    wanted = items(kind, mode)
    return tuple((area, tuple(i for i in wanted if i.area == area.id)) for area in _kind(kind).areas)


def start(kind: str = "flat", mode: str = "lived-in") -> Audit:
    items(kind, mode)  # checks both
    return Audit(kind, mode)


def parse_value(value: object) -> Value:
    """A score as given (0, "1", " 2 ", "n/a", "Works well" …): 0, 1, 2, NOT_APPLICABLE, or None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value in SCALE:
        return value
    if isinstance(value, str):
        text = " ".join(value.split()).lower()
        if text in {"0", "1", "2"}:
            return int(text)
        if text in {NOT_APPLICABLE, "n/a", "na"}:
            return NOT_APPLICABLE
        for key, words in SCORE_WORDS.items():
            if text == words.lower():
                return key
    shown = value.strip() if isinstance(value, str) else value
    raise AuditError("score", f"'{shown}' is not a score on this scale: {SCALE_HELP}.")


def score(audit: Audit, item_id: str, value: object, reason: object = "") -> Audit:
    """The audit with one item scored (or, for None or "", set back to not yet looked at).

    Raises AuditError naming the field: an unknown item, an item that does not apply in a void
    inspection, a value off the scale, a 0 without a reason, or a reason that is too long."""
    checklist = items(audit.kind, audit.mode)
    item = next((i for i in _kind(audit.kind).items if i.id == item_id), None)
    if item is None:
        raise AuditError("item", f"There is no item '{item_id}' in the {audit.kind} checklist.")
    if item not in checklist:
        raise AuditError(
            "item",
            f"'{item.name}' is about the resident's own things or routines, so it does not apply in a void inspection.",
        )
    parsed = parse_value(value)
    text = " ".join(str(reason or "").split())
    if parsed == 0 and not text:
        raise AuditError(
            "reason", "Needs attention now: give a short reason (what you saw), so that the fix can be planned."
        )
    if len(text) > MAX_REASON_LENGTH:
        raise AuditError(
            "reason", f"Keep the reason short: {MAX_REASON_LENGTH} characters at most (this one has {len(text)})."
        )
    others = {m.item: m for m in audit.marks if m.item != item_id}
    if parsed is not None:
        others[item_id] = Mark(item_id, parsed, text)
    return Audit(audit.kind, audit.mode, tuple(others[i.id] for i in checklist if i.id in others))


def audit_of(kind: str, mode: str, scores: Mapping[str, object]) -> Audit:
    """An audit with these scores: ``{item id: value}`` or ``{item id: (value, reason)}``."""
    audit = start(kind, mode)
    for item_id, given in scores.items():
        value, reason = given if isinstance(given, tuple) else (given, "")
        audit = score(audit, item_id, value, reason)
    return audit


def switch(audit: Audit, kind: str, mode: str) -> Audit:
    """The audit moved to another kind or mode: scores kept for the same kind's items that still apply."""
    wanted = {i.id for i in items(kind, mode)}
    kept = tuple(m for m in audit.marks if m.item in wanted) if kind == audit.kind else ()
    return Audit(kind, mode, kept)


# Results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """How one area's or one principle's items were scored."""

    id: str
    name: str
    items: int
    scores: tuple[int, ...]  # the 0-2 scores given, in checklist order
    not_applicable: int

    @property
    def scored(self) -> int:
        return len(self.scores)

    @property
    def not_looked_at(self) -> int:
        return self.items - self.scored - self.not_applicable

    @property
    def average(self) -> Fraction | None:
        return Fraction(sum(self.scores), len(self.scores)) if self.scores else None

    @property
    def average_number(self) -> str:
        """The average to one decimal place (halves rounded up), or "none yet"."""
        return "none yet" if self.average is None else format_score(self.average)

    @property
    def average_text(self) -> str:
        return "none scored yet" if self.average is None else f"{self.average_number} out of 2"


@dataclass(frozen=True)
class Fix:
    rank: int
    item: Item
    area: Area
    value: int  # 0 or 1
    reason: str
    principles: tuple[Principle, ...]

    @property
    def score_words(self) -> str:
        return SCORE_WORDS[self.value]


@dataclass(frozen=True)
class Result:
    audit: Audit
    areas: tuple[Tally, ...]
    principles: tuple[Tally, ...]
    fixes: tuple[Fix, ...]  # most urgent first
    not_looked_at: tuple[Item, ...]
    not_applicable: tuple[Item, ...]
    works_well: tuple[Item, ...]

    def fix(self, item_id: str) -> Fix | None:
        return next((f for f in self.fixes if f.item.id == item_id), None)

    @property
    def counts(self) -> tuple[tuple[str, int], ...]:
        """How many items have each score, in words, from "Needs attention now" to "Not looked at yet"."""
        values = [self.audit.value(i.id) for i in items(self.audit.kind, self.audit.mode)]
        return tuple((SCORE_WORDS[v], values.count(v)) for v in (*SCALE, NOT_APPLICABLE, None))


def priority(item: Item, value: int, position: int) -> tuple[int, int, int, int]:
    """The order of fixes: score (0 first), more principles first, cheaper first, checklist order."""
    return (value, -len(item.principles), item.cost_rank, position)


def _tally(id_: str, name: str, among: list[Item], audit: Audit) -> Tally:
    values = [audit.value(i.id) for i in among]
    return Tally(id_, name, len(among), tuple(v for v in values if v in SCALE), values.count(NOT_APPLICABLE))


def result(audit: Audit) -> Result:
    """What the audit shows: tallies by area and by principle, and the fixes in priority order."""
    checklist = load_checklist()
    shown = areas(audit.kind, audit.mode)
    all_items = [item for _, area_items in shown for item in area_items]
    area_of = {item.id: area for area, area_items in shown for item in area_items}
    marked = [(item, audit.mark(item.id), position) for position, item in enumerate(all_items)]
    needing = sorted(
        ((item, mark, position) for item, mark, position in marked if mark is not None and mark.value in (0, 1)),
        key=lambda row: priority(row[0], row[1].value, row[2]),
    )
    fixes = tuple(
        Fix(
            rank,
            item,
            area_of[item.id],
            mark.value,
            mark.reason,
            tuple(checklist.principle(p) for p in item.principles),
        )
        for rank, (item, mark, _) in enumerate(needing, start=1)
    )
    return Result(
        audit=audit,
        areas=tuple(_tally(area.id, area.name, list(area_items), audit) for area, area_items in shown),
        principles=tuple(
            _tally(p.id, p.name, [i for i in all_items if p.id in i.principles], audit) for p in checklist.principles
        ),
        fixes=fixes,
        not_looked_at=tuple(i for i in all_items if audit.value(i.id) is None),
        not_applicable=tuple(i for i in all_items if audit.value(i.id) == NOT_APPLICABLE),
        works_well=tuple(i for i in all_items if audit.value(i.id) == 2),
    )


CSV_HEADER = ("area", "item", "score", "reason", "principles", "fix", "cost band", "priority")


def audit_csv(audit: Audit) -> str:
    """Every item of the audit as CSV text, in checklist order, with its priority if it needs a fix."""
    found = result(audit)
    checklist = load_checklist()
    rows: list[tuple[object, ...]] = [CSV_HEADER]
    for area, area_items in areas(audit.kind, audit.mode):
        for item in area_items:
            mark = audit.mark(item.id)
            fix = found.fix(item.id)
            rows.append(
                (
                    area.name,
                    item.question,
                    SCORE_WORDS[None if mark is None else mark.value],
                    "" if mark is None else typed(mark.reason),
                    "; ".join(checklist.principle(p).name for p in item.principles),
                    item.fix,
                    item.cost,
                    "" if fix is None else fix.rank,
                )
            )
    return csv_text(rows)
