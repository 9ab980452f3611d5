"""Branching tenancy scenarios: a housing decision, the law behind it, and where it leads.

Each scenario (one file in ``data/scenarios/``, named by its id) is a small graph without
loops. It starts at a decision point (a *node*) with three or four choices, lettered a to d.
Each choice has a quality (good, mixed or poor), feedback that teaches, the law it touches
(each citation naming its section, regulation, paragraph, rule, schedule, chapter or case),
one practice point, and the next node or an *ending*. An ending says where the story ended
up, what went well, what the law required and what to do on Monday.

:func:`parse_scenario` checks a file and raises
:class:`~dementia_housing.content.datafiles.DataError` naming the line and the field. A learner's
way through is a :class:`Walk`, an immutable record of the choices taken: :func:`choose` returns
a new walk, or raises :class:`ChoiceError` with a message the learner can act on.

Standard library only: this module also runs in the reader's browser (Pyodide).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import NamedTuple

from ..content import datafiles, evidence
from ..content.datafiles import DataError, Entry
from .spreadsheet import csv_text

SCHEMA = "dementia-housing/branching-scenario"
SCHEMA_VERSION = 1
JURISDICTION = "England"
QUALITIES = ("good", "mixed", "poor")
CHOICE_LETTERS = "abcd"
FOLDER = "scenarios"

# How the tool words a choice's quality (never colour alone) and an ending's kind.
QUALITY_WORDS = {"good": "A good choice", "mixed": "Partly right", "poor": "Not the best choice"}
ENDING_WORDS = {"good": "A good ending", "mixed": "A mixed ending", "poor": "A poor ending"}

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A citation's locator: s1(3), ss9 and 10, section 42, reg 7(16), para 2, paragraph 3, r21.2,
# rule 3, Sch 4, Schedule 1, Part 2, ch. 14, chapter 4, Art 5 (UK GDPR), or a neutral case citation.
LOCATOR = re.compile(
    r"\bss?\s?\d|\bsections?\s+\d"
    r"|\bregs?\.?\s?\d|\bregulations?\s+\d"
    r"|\bparas?\.?\s?\d|\bparagraphs?\s+\d"
    r"|\br\.?\s?\d+\.\d|\brules?\s+\d"
    r"|\bSch(?:edule)?\.?\s?\d"
    r"|\bParts?\s+\d"
    r"|\bch(?:apter)?\.?\s?\d"
    r"|\bArts?\.?\s?\d|\bArticles?\s+\d"
    r"|\[\d{4}\]\s+[A-Z][A-Za-z]*(?:\s+\([A-Za-z]+\)|\s+[A-Z][A-Za-z]*)?\s+\d+",
    re.IGNORECASE,
)
LOCATOR_HELP = (
    "a section, regulation, paragraph, rule, schedule, chapter or case citation, for example "
    "'Mental Capacity Act 2005, s1(3)', 'CPR r21.2', '[2015] UKSC 15' or "
    "'Care and support statutory guidance, ch. 14'"
)


class ChoiceError(ValueError):
    """A problem with a learner's choice, worded so that they know what to do."""


@dataclass(frozen=True)
class Citation:
    source: str  # names the provision: "Mental Capacity Act 2005, s1(3)"
    point: str  # what it says, in plain words


@dataclass(frozen=True)
class Choice:
    id: str  # "a" to "d"
    text: str
    quality: str  # good, mixed or poor
    feedback: str
    law: tuple[Citation, ...]
    practice: str
    next: str  # a node id or an ending id

    @property
    def quality_words(self) -> str:
        return QUALITY_WORDS[self.quality]


@dataclass(frozen=True)
class Node:
    """A decision point."""

    id: str
    title: str
    prompt: str
    choices: tuple[Choice, ...]

    def choice(self, choice_id: str) -> Choice:
        return next(c for c in self.choices if c.id == choice_id)

    @property
    def letters(self) -> str:
        """``a, b or c``: the letters offered here, as a message names them."""
        ids = [c.id for c in self.choices]
        return ", ".join(ids[:-1]) + " or " + ids[-1]


@dataclass(frozen=True)
class Ending:
    id: str
    title: str
    kind: str  # good, mixed or poor
    summary: str
    went_well: tuple[str, ...]
    law_required: tuple[Citation, ...]
    monday: tuple[str, ...]

    @property
    def kind_words(self) -> str:
        return ENDING_WORDS[self.kind]


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    role: str
    situation: str
    jurisdiction: str
    start: str
    nodes: tuple[Node, ...]
    endings: tuple[Ending, ...]
    to_verify: tuple[str, ...] = ()  # claims still to check; data only, never shown to learners

    def step(self, step_id: str) -> Node | Ending:
        """The node or ending with this id."""
        return next(s for s in (*self.nodes, *self.endings) if s.id == step_id)


@dataclass(frozen=True)
class Walk:
    """One learner's way through a scenario so far: the choice letters taken, in order."""

    scenario: str
    choices: tuple[str, ...] = ()


class Step(NamedTuple):
    node: Node
    choice: Choice


@dataclass(frozen=True)
class Summary:
    """Where a walk ended, the path taken, and what the ending teaches."""

    ending: Ending
    path: tuple[Step, ...]
    went_well: tuple[str, ...]
    law_required: tuple[Citation, ...]  # the ending's, then those of the choices taken, once each
    monday: tuple[str, ...]


# Loading and validating ----------------------------------------------------------------------


def _own_id(entry: Entry) -> str:
    value = entry.text("id")
    if not _ID.match(value):
        raise entry.error(f"'{value}' must be kebab-case: lower case letters and digits joined by hyphens", "id")
    return value


def _one_of(entry: Entry, key: str, allowed: tuple[str, ...]) -> str:
    value = entry[key].value
    if value not in allowed:
        raise entry.error(f"{value!r} must be one of {', '.join(allowed)}", key)
    return value


def _texts(entry: Entry, key: str, what: str, at_least: int = 1, at_most: int | None = None) -> tuple[str, ...]:
    return tuple(item.text() for item in entry[key].items(at_least, at_most, what))


def _citations(entry: Entry, key: str) -> tuple[Citation, ...]:
    found = []
    for item in entry[key].items(what="citation"):
        item.object("source", "point")
        found.append(Citation(item.text("source"), item.text("point")))
    return tuple(found)


def _parse_choice(entry: Entry, letter: str) -> Choice:
    entry.object("id", "text", "quality", "feedback", "law", "practice", "next")
    if entry["id"].value != letter:
        raise entry.error(f"{entry['id'].value!r} must be '{letter}': choices are lettered a to d in order", "id")
    law = _citations(entry, "law")
    if not any(LOCATOR.search(c.source) for c in law):
        raise entry.error(f"no citation's source names {LOCATOR_HELP}; add the locator to a source", "law")
    return Choice(
        id=letter,
        text=entry.text("text"),
        quality=_one_of(entry, "quality", QUALITIES),
        feedback=entry.text("feedback"),
        law=law,
        practice=entry.text("practice"),
        next=entry.text("next"),
    )


def _parse_node(entry: Entry) -> Node:
    entry.object("id", "title", "prompt", "choices")
    items = entry["choices"].items(3, len(CHOICE_LETTERS), "choice")
    choices = tuple(_parse_choice(item, letter) for item, letter in zip(items, CHOICE_LETTERS, strict=False))
    if not any(c.quality == "good" for c in choices):
        raise entry.error("no choice here is 'good'; every decision point needs at least one", "choices")
    return Node(_own_id(entry), entry.text("title"), entry.text("prompt"), choices)


def _parse_ending(entry: Entry) -> Ending:
    entry.object("id", "title", "kind", "summary", "went_well", "law_required", "monday")
    return Ending(
        id=_own_id(entry),
        title=entry.text("title"),
        kind=_one_of(entry, "kind", QUALITIES),
        summary=entry.text("summary"),
        went_well=_texts(entry, "went_well", "point"),
        law_required=_citations(entry, "law_required"),
        monday=_texts(entry, "monday", "action", 3, 5),
    )


def _check_graph(root: Entry, start: str, nodes: dict[str, tuple[Node, Entry]], endings: dict[str, Entry]) -> None:
    """Every next names a node or an ending; no loops; every node and ending reachable from start."""
    if start not in nodes:
        raise root.error(f"'{start}' is not the id of a decision point; start must name one", "start")
    for node, entry in nodes.values():
        for index, choice in enumerate(node.choices):
            if choice.next not in nodes and choice.next not in endings:
                raise (
                    entry.child("choices")
                    .child(index)
                    .error(
                        f"'{choice.next}' is not the id of a decision point or an ending; every path must reach an ending",
                        "next",
                    )
                )
    done: set[str] = set()
    reached: set[str] = {start}

    def visit(node_id: str, trail: tuple[str, ...]) -> None:
        node, entry = nodes[node_id]
        for index, choice in enumerate(node.choices):
            reached.add(choice.next)
            path = (*trail, node_id)
            if choice.next in path:
                loop = " → ".join((*path[path.index(choice.next) :], choice.next))
                raise (
                    entry.child("choices")
                    .child(index)
                    .error(
                        f"leads back to the decision point '{choice.next}', a loop ({loop}); "
                        "to put things right, add a new decision point further on",
                        "next",
                    )
                )
            if choice.next in nodes and choice.next not in done:
                visit(choice.next, path)
        done.add(node_id)

    visit(start, ())
    for step_id, entry in [*((k, e) for k, (_, e) in nodes.items()), *endings.items()]:
        if step_id not in reached:
            raise entry.error(f"'{step_id}' cannot be reached from the start '{start}'; link to it or remove it", "id")


def parse_scenario(data: object, file: str) -> Scenario:
    """Validate one scenario (an :class:`Entry`, or data already read) from ``file``.

    ``file`` names it in messages (``data/scenarios/<id>.json``); its id must equal the file's
    name. Raises :class:`DataError` naming the line and the field.
    """
    root = datafiles.entry_of(data, file).object(
        "schema", "schema_version", "id", "title", "role", "situation", "jurisdiction", "start", "nodes", "endings"
    )
    if root["schema"].value != SCHEMA:
        raise root.error(f"must be '{SCHEMA}'", "schema")
    version = root["schema_version"].value
    if version != SCHEMA_VERSION or isinstance(version, bool):
        raise root.error(f"{version!r} is not a version this tool reads; it reads {SCHEMA_VERSION}", "schema_version")
    scenario_id = _own_id(root)
    stem = PurePosixPath(file).stem
    if scenario_id != stem:
        raise root.error(f"'{scenario_id}' must equal the file's name, '{stem}'", "id")
    jurisdiction = root.text("jurisdiction")
    if jurisdiction != JURISDICTION:
        raise root.error(f"'{jurisdiction}': the course's law is the law in {JURISDICTION}", "jurisdiction")

    seen: dict[str, Entry] = {}

    def unique(step_id: str, entry: Entry) -> None:
        if step_id in seen:
            raise entry.error(f"'{step_id}' is already used on line {seen[step_id].line}; ids must be unique", "id")
        seen[step_id] = entry.child("id")

    nodes: dict[str, tuple[Node, Entry]] = {}
    for item in root["nodes"].items(what="decision point"):
        node = _parse_node(item)
        unique(node.id, item)
        nodes[node.id] = (node, item)
    endings: dict[str, tuple[Ending, Entry]] = {}
    for item in root["endings"].items(what="ending"):
        ending = _parse_ending(item)
        unique(ending.id, item)
        endings[ending.id] = (ending, item)
    if not any(e.kind == "good" for e, _ in endings.values()):
        raise root.error("no ending is 'good'; every scenario needs at least one", "endings")
    start = root.text("start")
    _check_graph(root, start, nodes, {k: e for k, (_, e) in endings.items()})
    to_verify = root.get("to_verify")
    return Scenario(
        id=scenario_id,
        title=root.text("title"),
        role=root.text("role"),
        situation=root.text("situation"),
        jurisdiction=jurisdiction,
        start=start,
        nodes=tuple(n for n, _ in nodes.values()),
        endings=tuple(e for e, _ in endings.values()),
        to_verify=tuple(i.text() for i in to_verify.items(0, what="claim")) if to_verify else (),
    )


@functools.lru_cache(maxsize=1)
def load_scenarios() -> tuple[Scenario, ...]:
    """Every scenario in ``data/scenarios/`` (read once), sorted by id."""
    folder = evidence.data_path(FOLDER)
    if not folder.is_dir():
        raise DataError(f"data/{FOLDER}", None, None, "no such folder; it holds one JSON file per scenario")
    names = sorted(path.name for path in folder.iterdir() if path.suffix == ".json")
    if not names:
        raise DataError(f"data/{FOLDER}", None, None, "no scenario files (<id>.json) found")
    found = [parse_scenario(datafiles.load(f"{FOLDER}/{name}"), f"data/{FOLDER}/{name}") for name in names]
    return tuple(sorted(found, key=lambda s: s.id))


def load_scenario(scenario_id: str) -> Scenario:
    for scenario in load_scenarios():
        if scenario.id == scenario_id:
            return scenario
    known = ", ".join(s.id for s in load_scenarios())
    raise ChoiceError(f"There is no scenario called '{scenario_id}'. The scenarios are: {known}.")


# Walking -------------------------------------------------------------------------------------


def start(scenario: Scenario) -> Walk:
    return Walk(scenario.id)


def _follow(scenario: Scenario, walk: Walk) -> tuple[tuple[Step, ...], Node | Ending]:
    if walk.scenario != scenario.id:
        raise ChoiceError(f"This walk is through '{walk.scenario}', not '{scenario.id}'. Start again.")
    taken: list[Step] = []
    here = scenario.step(scenario.start)
    for choice_id in walk.choices:
        if isinstance(here, Ending) or choice_id not in [c.id for c in here.choices]:
            raise ChoiceError("This path does not fit the scenario. Start again.")
        choice = here.choice(choice_id)
        taken.append(Step(here, choice))
        here = scenario.step(choice.next)
    return tuple(taken), here


def where(scenario: Scenario, walk: Walk) -> Node | Ending:
    """The decision point the walk has reached, or its ending."""
    return _follow(scenario, walk)[1]


def steps(scenario: Scenario, walk: Walk) -> tuple[Step, ...]:
    """The (node, choice) pairs taken so far, in order."""
    return _follow(scenario, walk)[0]


def choose(scenario: Scenario, walk: Walk, choice_id: object) -> Walk:
    """The walk with one more choice taken; ChoiceError says what to do if it cannot be."""
    here = where(scenario, walk)
    if isinstance(here, Ending):
        raise ChoiceError("This scenario has ended. Press Start again to try another path.")
    if choice_id is None or (isinstance(choice_id, str) and not choice_id.strip()):
        raise ChoiceError("Choose one of the options first.")
    letter = str(choice_id).strip().rstrip(".").lower()
    if letter not in [c.id for c in here.choices]:
        raise ChoiceError(f"'{str(choice_id).strip()}' is not one of the options here. Choose {here.letters}.")
    return Walk(walk.scenario, (*walk.choices, letter))


def summary(scenario: Scenario, walk: Walk) -> Summary:
    """What the ending teaches, with the path that led to it."""
    taken, here = _follow(scenario, walk)
    if not isinstance(here, Ending):
        raise ChoiceError("The scenario has not ended yet. Make the next choice.")
    law: list[Citation] = []
    for citation in (*here.law_required, *(c for step in taken for c in step.choice.law)):
        if citation not in law:
            law.append(citation)
    return Summary(here, taken, here.went_well, tuple(law), here.monday)


def all_paths(scenario: Scenario) -> tuple[tuple[str, ...], ...]:
    """Every path from the start to an ending, as choice letters."""

    def paths_from(step_id: str) -> list[tuple[str, ...]]:
        here = scenario.step(step_id)
        if isinstance(here, Ending):
            return [()]
        return [(c.id, *rest) for c in here.choices for rest in paths_from(c.next)]

    return tuple(paths_from(scenario.start))


def _law_text(citations: tuple[Citation, ...]) -> str:
    return "; ".join(f"{c.source}: {c.point}" for c in citations)


CSV_HEADER = ("step", "decision point", "your choice", "quality", "feedback", "law", "practice")


def walk_csv(scenario: Scenario, walk: Walk) -> str:
    """The path and the ending as CSV text: one row a step, then the ending's rows."""
    result = summary(scenario, walk)
    rows: list[tuple[object, ...]] = [CSV_HEADER]
    for number, (node, choice) in enumerate(result.path, start=1):
        rows.append(
            (
                number,
                node.title,
                choice.text,
                choice.quality_words,
                choice.feedback,
                _law_text(choice.law),
                choice.practice,
            )
        )
    rows.append(())
    rows.append(("ending", f"{result.ending.title} ({result.ending.kind_words.lower()})"))
    rows.append(("summary", result.ending.summary))
    rows += [("what went well", text) for text in result.went_well]
    rows += [("law required", f"{c.source}: {c.point}") for c in result.law_required]
    rows += [("monday", text) for text in result.monday]
    return csv_text(rows)


def good_path(scenario: Scenario) -> tuple[str, ...]:
    """The path that takes the first good choice at every decision point (the worked example's)."""
    taken: list[str] = []
    here = scenario.step(scenario.start)
    while isinstance(here, Node):
        choice = next(c for c in here.choices if c.quality == "good")
        taken.append(choice.id)
        here = scenario.step(choice.next)
    return tuple(taken)
