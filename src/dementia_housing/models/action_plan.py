"""A dementia action plan: actions with owners, dates, measures, baselines and co-production.

A :class:`Plan` has a title, an organisation, the date it is written and its actions. Each
:class:`Action` belongs to one of the four VIPS elements (V, I, P, S; see
:mod:`dementia_housing.models.vips`) and says what will be done, who owns it, when it is due,
how you will know it has worked (the measure), where it stands now (the baseline, which may be
"not known yet" but must be said) and how people living with dementia and carers were or will
be involved. An element with no action needs a stated reason instead.

Plans are immutable: :func:`add`, :func:`replace`, :func:`remove`, :func:`set_reason` and
:func:`retitle` return a new plan. A learner's entry is read by :func:`parse_action`, which
raises :class:`PlanError` naming the field and saying what to do. :func:`check` lists what
still stops a plan being ready; a plan with problems is still a draft that can be exported
(:func:`plan_csv`, :func:`plan_html`). :func:`from_vips` starts a draft plan from a housing
VIPS self-assessment's weakest indicators.

The model never reads the clock: the date a plan is written is passed in. Standard library
only: this module also runs in the reader's browser (Pyodide).
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import replace as _copy
from datetime import date
from typing import NamedTuple

from ..content import datafiles
from . import vips
from .field_error import FieldError
from .spreadsheet import csv_text, typed

ELEMENT_CODES = vips.ELEMENT_CODES
NOT_KNOWN_YET = "not known yet"
FIELDS = ("element", "what", "owner", "due", "measure", "baseline", "involvement")
CSV_HEADER = FIELDS
MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# What each field is called in a message, and what to write when it is missing.
FIELD_WORDS = {
    "what": "what will be done",
    "owner": "an owner",
    "due": "a due date",
    "measure": "a measure",
    "baseline": "a baseline",
    "involvement": "how people living with dementia and carers are involved",
}
MISSING = {
    "element": "Choose the VIPS element this action is for: V, I, P or S.",
    "what": "Say what will be done, in a sentence someone else could act on.",
    "owner": (
        "Name an owner: the role or the person who will make sure this happens. "
        "An action without an owner tends not to happen."
    ),
    "due": "Give a due date, for example 31/03/2027.",
    "measure": (
        "Say how you will know it has worked: a measure you can report back on, "
        "such as a number, a date or what tenants tell you."
    ),
    "baseline": (
        "Say where this stands now, so that you can show the change later. "
        f"If you do not know yet, write '{NOT_KNOWN_YET}'."
    ),
    "involvement": (
        "Say how people living with dementia and carers were or will be involved. "
        "If they have not been yet, say why, and when they will be."
    ),
}

# What check() asks for, when an action lacks the field.
TO_FINISH = {
    "what": "say what will be done",
    "owner": "name an owner",
    "due": "give a due date",
    "measure": "say how you will know it has worked (the measure)",
    "baseline": f"say where it stands now (the baseline), or write '{NOT_KNOWN_YET}'",
    "involvement": "say how people living with dementia and carers are involved",
}

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")


class PlanError(FieldError):
    """A problem with what a learner entered: the field it is about and what to do.

    ``problems`` holds every (field, message) found at once, the first being ``field`` and
    ``message``, so that a form can show each one beside its own field."""

    def __init__(self, field: str, message: str, problems: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(field, message)
        self.problems = problems or ((field, message),)


@dataclass(frozen=True)
class Action:
    """One action. Only ``element`` and ``what`` are always there; a draft may lack the rest."""

    element: str
    what: str
    owner: str = ""
    due: date | None = None
    measure: str = ""
    baseline: str = ""
    involvement: str = ""

    def missing(self) -> tuple[str, ...]:
        """The fields still to fill in, in form order."""
        return tuple(name for name in FIELD_WORDS if not getattr(self, name))


@dataclass(frozen=True)
class Plan:
    title: str
    organisation: str
    written: date  # the date the plan is written, which every due date must follow
    actions: tuple[Action, ...] = ()
    reasons: tuple[tuple[str, str], ...] = ()  # (element code, why it has no action), in VIPS order

    def reason(self, code: str) -> str:
        return dict(self.reasons).get(code, "")

    def actions_for(self, code: str) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.element == code)


class Problem(NamedTuple):
    """Something that stops a plan being ready: the field or element it is about, and what to do."""

    where: str
    message: str


@dataclass(frozen=True)
class ElementGuide:
    """Help for writing an action for one element, from ``data/action-plan.json``."""

    code: str
    measure_example: str
    involvement_example: str


@dataclass(frozen=True)
class Guide:
    title: str  # a new plan's title until the learner gives one
    elements: tuple[ElementGuide, ...]

    def element(self, code: str) -> ElementGuide:
        return next(e for e in self.elements if e.code == code)


# The data file --------------------------------------------------------------------------------


def parse_guide(data: object, file: str = "data/action-plan.json") -> Guide:
    """Validate the guide (an Entry, or data already read); DataError names the line and field."""
    root = datafiles.entry_of(data, file).object("title", "elements")
    items = root["elements"].items(len(ELEMENT_CODES), len(ELEMENT_CODES), "element")
    found = []
    for code, item in zip(ELEMENT_CODES, items, strict=True):
        item.object("code", "measure_example", "involvement_example")
        if item["code"].value != code:
            raise item.error(f"must be {code!r} (the elements are {', '.join(ELEMENT_CODES)}, in that order)", "code")
        found.append(ElementGuide(code, item.text("measure_example"), item.text("involvement_example")))
    return Guide(root.text("title"), tuple(found))


@functools.lru_cache(maxsize=1)
def load_guide() -> Guide:
    return parse_guide(datafiles.load("action-plan.json"))


# Words ----------------------------------------------------------------------------------------


def element_label(code: str) -> str:
    """``"P Looking from the person's perspective"``."""
    return f"{code} {vips.load_tool().element(code).name}"


def date_words(day: date) -> str:
    """``31 March 2027``, the same in every locale."""
    return f"{day.day} {MONTH_NAMES[day.month]} {day.year}"


def short(text: str, limit: int = 40) -> str:
    """The start of a text, cut at a word, to name an action in a message or a list."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0]
    if cut.count("(") > cut.count(")"):  # never end inside a bracket
        cut = cut.rsplit("(", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


# Reading a learner's entry --------------------------------------------------------------------


def parse_date(text: str, written: date, field: str = "due") -> date:
    """A due date written 2027-03-31 or 31/03/2027, which must be real and after ``written``."""
    value = " ".join(str(text or "").split())
    if not value:
        raise PlanError(field, MISSING["due"])
    iso, day_first = _ISO.match(value), _DAY_FIRST.match(value)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif day_first:
        day, month, year = (int(part) for part in day_first.groups())
        if len(day_first.group(3)) == 2:
            raise PlanError(field, f"Write the year in full: for {value}, write {day:02d}/{month:02d}/20{year:02d}.")
    else:
        raise PlanError(field, f"'{value}' is not a date. Write it as 31/03/2027 (day, month, year) or 2027-03-31.")
    if not 1 <= month <= 12:
        raise PlanError(
            field, f"{value} is not a real date: there is no month {month}. Write the day first: 31/03/2027."
        )
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise PlanError(
            field, f"{value} is not a real date: {MONTH_NAMES[month]} {year} has {days} days. Check the day."
        )
    result = date(year, month, day)
    if result <= written:
        raise PlanError(
            field,
            f"The due date, {date_words(result)}, is not after the date of the plan, {date_words(written)}. "
            "Choose a later date.",
        )
    return result


def _element(value: object) -> str:
    """``"V"``, ``"v"``, ``"V: Valuing people"`` or ``"V Valuing people"`` -> ``"V"``."""
    words = str(value or "").split()
    code = words[0].rstrip(":.").upper() if words else ""
    if code not in ELEMENT_CODES:
        raise PlanError("element", MISSING["element"])
    return code


def parse_action(fields: Mapping[str, object], written: date) -> Action:
    """A complete action from a form's texts; PlanError lists every problem, each with its field."""
    texts = {name: " ".join(str(fields.get(name) or "").split()) for name in FIELDS}
    problems: list[tuple[str, str]] = []
    values: dict[str, object] = {}
    for name, reader in (("element", _element), ("due", lambda text: parse_date(text, written))):
        try:
            values[name] = reader(texts[name])
        except PlanError as problem:
            problems.append((problem.field, problem.message))
    for name in ("what", "owner", "measure", "baseline", "involvement"):
        if not texts[name]:
            problems.append((name, MISSING[name]))
        values[name] = texts[name]
    if problems:
        problems.sort(key=lambda p: FIELDS.index(p[0]))
        raise PlanError(*problems[0], problems=tuple(problems))
    return Action(**values)


# Changing a plan ------------------------------------------------------------------------------


def new_plan(written: date, title: str = "", organisation: str = "") -> Plan:
    return Plan(" ".join(title.split()) or load_guide().title, " ".join(organisation.split()), written)


def retitle(plan: Plan, title: str, organisation: str) -> Plan:
    """The plan with a new title (an empty one gives the usual title) and organisation."""
    return _copy(plan, title=" ".join(title.split()) or load_guide().title, organisation=" ".join(organisation.split()))


def _checked(plan: Plan, action: Action) -> Action:
    if action.element not in ELEMENT_CODES:
        raise PlanError("element", MISSING["element"])
    if action.due is not None and action.due <= plan.written:
        parse_date(action.due.isoformat(), plan.written)  # raises, with the words for it
    return action


def _number(plan: Plan, index: int) -> int:
    if not 0 <= index < len(plan.actions):
        count = len(plan.actions)
        held = f"it has {_plural(count, 'action')}" if count else "it has no actions yet"
        raise PlanError("action", f"There is no action {index + 1} in this plan: {held}.")
    return index


def action_at(plan: Plan, index: int | None) -> Action:
    """Action ``index`` (from 0); PlanError if there is none, or none is chosen (None)."""
    if index is None:
        held = "Choose an action from the list first." if plan.actions else "There are no actions in this plan yet."
        raise PlanError("action", held)
    return plan.actions[_number(plan, index)]


def add(plan: Plan, action: Action) -> Plan:
    return _copy(plan, actions=(*plan.actions, _checked(plan, action)))


def replace(plan: Plan, index: int, action: Action) -> Plan:
    """The plan with action ``index`` (from 0) replaced."""
    actions = list(plan.actions)
    actions[_number(plan, index)] = _checked(plan, action)
    return _copy(plan, actions=tuple(actions))


def remove(plan: Plan, index: int) -> Plan:
    """The plan without action ``index`` (from 0)."""
    _number(plan, index)
    return _copy(plan, actions=plan.actions[:index] + plan.actions[index + 1 :])


def set_reason(plan: Plan, code: str, reason: str) -> Plan:
    """The plan with the reason why element ``code`` has no action (empty text removes it)."""
    code = _element(code)
    text = " ".join(str(reason or "").split())
    reasons = {**dict(plan.reasons), code: text}
    return _copy(plan, reasons=tuple((c, reasons[c]) for c in ELEMENT_CODES if reasons.get(c)))


# Is it ready? ---------------------------------------------------------------------------------


def check(plan: Plan) -> list[Problem]:
    """What stops the plan being ready: elements with no action and no reason, then unfinished actions."""
    problems = [
        Problem(
            code,
            f"{element_label(code)} has no action. Add one, or say why not under 'Reason if no action'.",
        )
        for code in ELEMENT_CODES
        if not plan.actions_for(code) and not plan.reason(code)
    ]
    for number, action in enumerate(plan.actions, start=1):
        where = f"Action {number} ({action.element}: {short(action.what)})"
        problems += [Problem(name, f"{where}: {TO_FINISH[name]}.") for name in action.missing()]
        if action.due is not None and action.due <= plan.written:
            problems.append(Problem("due", f"{where}: give a due date after the date of the plan."))
    return problems


def status(plan: Plan) -> str:
    """``"ready"``, or ``"draft: 3 things to finish"``."""
    count = len(check(plan))
    return "ready" if not count else f"draft: {_plural(count, 'thing')} to finish"


# Starting from a VIPS self-assessment ---------------------------------------------------------


def baseline_from(weak: vips.WeakIndicator) -> str:
    return f"{weak.prompt.id} {weak.prompt.title}: rated '{weak.rating_label}' in the self-assessment"


def from_vips(
    ratings: Mapping[str, object], written: date, title: str = "", organisation: str = "", tool: vips.Tool | None = None
) -> Plan:
    """A draft plan with one action for each of the self-assessment's weakest indicators.

    Each action takes its indicator's element and suggested action; its baseline is the rating.
    The owner, due date, measure and involvement are the learner's to write."""
    weakest = vips.assess(ratings, tool).weakest
    actions = tuple(Action(w.prompt.element, w.prompt.action, baseline=baseline_from(w)) for w in weakest)
    return _copy(new_plan(written, title, organisation), actions=actions)


# Exports --------------------------------------------------------------------------------------


def plan_csv(plan: Plan) -> str:
    """The plan as CSV: one row an action, then the reasons for elements without one, then the plan."""
    rows: list[tuple[object, ...]] = [CSV_HEADER]
    for a in plan.actions:
        due = a.due.isoformat() if a.due else ""
        cells = (a.what, a.owner, due, a.measure, a.baseline, a.involvement)
        rows.append((element_label(a.element), *map(typed, cells)))
    rows += [(element_label(c), f"No action: {r}") for c, r in plan.reasons if not plan.actions_for(c)]
    rows += [
        (),
        ("plan", typed(plan.title)),
        ("organisation", typed(plan.organisation)),
        ("written", plan.written.isoformat()),
        ("status", status(plan)),
    ]
    return csv_text(rows)


def status_line(plan: Plan) -> str:
    """The plan's status in a sentence, for the top of the printed plan."""
    count = len(check(plan))
    if not count:
        return "Ready: every VIPS element has an action or a reason, and every action is complete."
    return f"Draft: {_plural(count, 'thing')} to finish before this plan is ready."
