"""Housing VIPS self-assessment: an adaptation of Dawn Brooker's VIPS framework for learning.

VIPS (Brooker 2004; Brooker and Latham 2016) defines person-centred care in four elements:
Valuing people, treating people as Individuals, looking from the Perspective of the person
living with dementia, and a positive Social environment. The course asks 24 prompts of a
housing service, six per element, written for housing in its own words (``data/vips.json``).
It is **not** the official Care Fit for VIPS tool, which is for care homes, and says so.

How the answers are scored (the same rules are stated on the tool's page):

- each prompt is rated on the scale 0 "Not yet", 1 "Starting", 2 "Often", 3 "Consistently",
  or answered "Don't know" (:data:`DONT_KNOW`), or left unanswered (``None`` or absent);
- an element's **score** is the mean rating of its rated prompts, from 0 to 3; "Don't know"
  and unanswered prompts are counted and reported but never scored as 0;
- an element needs at least :data:`MIN_RATED` rated prompts (half of its six) for a score;
  with fewer it is reported as "not enough answers", never as 0;
- the **overall** score is the mean of the four element scores (each element counts equally,
  as in VIPS), and is given only when all four elements have a score; otherwise the summary
  says which element is short of answers, how many it has and how many it needs;
- the **weakest indicators** are the rated prompts below the top of the scale, lowest rating
  first; among equal ratings, prompts from the element with the lower mean rating come
  first, then the order of the tool (V1 … S6). At most :data:`WEAKEST_LIMIT` are listed.

Scores are exact fractions; they are shown to one decimal place, rounding halves up.
:func:`results_csv` gives the answers and scores as a spreadsheet file (CSV) to keep.
Standard library only: this module also runs in the reader's browser (Pyodide).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from ..content import datafiles
from ..content.datafiles import Entry
from .spreadsheet import csv_text, typed

DONT_KNOW = "dont-know"
ELEMENT_CODES = ("V", "I", "P", "S")
PROMPTS_PER_ELEMENT = 6
MIN_RATED = 3
WEAKEST_LIMIT = 5
MAX_TITLE_LENGTH = 32  # a prompt's title labels its rating control, so it must stay short
MAX_SHORT_NAME_LENGTH = 20  # an element's short name labels an axis of the radar chart
NOT_ENOUGH = "not enough answers"

_PROMPT_ID = re.compile(r"^[A-Z][0-9]+$")


@dataclass(frozen=True)
class ScalePoint:
    value: int
    label: str
    meaning: str


@dataclass(frozen=True)
class Prompt:
    id: str
    element: str
    title: str
    text: str
    action: str


@dataclass(frozen=True)
class Element:
    code: str
    name: str
    short_name: str
    definition: str
    prompts: tuple[Prompt, ...]


@dataclass(frozen=True)
class Tool:
    """The prompts, the rating scale and the adaptation notice, validated."""

    title: str
    notice: str
    scale: tuple[ScalePoint, ...]
    dont_know_label: str
    dont_know_meaning: str
    elements: tuple[Element, ...]

    @property
    def prompts(self) -> tuple[Prompt, ...]:
        return tuple(p for e in self.elements for p in e.prompts)

    @property
    def maximum(self) -> int:
        return self.scale[-1].value

    def prompt(self, prompt_id: str) -> Prompt:
        for prompt in self.prompts:
            if prompt.id == prompt_id:
                return prompt
        raise ValueError(f"unknown prompt '{prompt_id}': the prompts are {self.id_ranges()}")

    def element(self, code: str) -> Element:
        return next(e for e in self.elements if e.code == code)

    def label(self, value: int) -> str:
        return self.scale[value].label

    def id_ranges(self) -> str:
        ranges = [f"{e.prompts[0].id}\u2013{e.prompts[-1].id}" for e in self.elements]
        return ", ".join(ranges[:-1]) + " and " + ranges[-1]

    def scale_choices(self) -> str:
        """``0 (Not yet), 1 (Starting), … or "Don't know"`` for messages."""
        points = ", ".join(f"{p.value} ({p.label})" for p in self.scale)
        return f"{points} or {DONT_KNOW!r} ({self.dont_know_label})"


@dataclass(frozen=True)
class ElementResult:
    """One element's answers: how many rated, "Don't know", unanswered, and its score."""

    element: Element
    rated: int
    dont_know: int
    unanswered: int
    score: Fraction | None

    @property
    def score_text(self) -> str:
        """``"1.8"``, or ``"not enough answers"``."""
        return NOT_ENOUGH if self.score is None else format_score(self.score)


@dataclass(frozen=True)
class WeakIndicator:
    prompt: Prompt
    rating: int
    rating_label: str


@dataclass(frozen=True)
class Assessment:
    """The result of :func:`assess`."""

    elements: tuple[ElementResult, ...]
    overall: Fraction | None
    weakest: tuple[WeakIndicator, ...]
    dont_know: tuple[Prompt, ...]
    unanswered: tuple[Prompt, ...]
    summary: tuple[str, ...]
    maximum: int

    @property
    def overall_text(self) -> str:
        return NOT_ENOUGH if self.overall is None else format_score(self.overall)

    def element(self, code: str) -> ElementResult:
        return next(r for r in self.elements if r.element.code == code)


def format_score(score: Fraction) -> str:
    """A score to one decimal place, halves rounded up: 3/4 -> ``"0.8"``, 13/6 -> ``"2.2"``."""
    tenths = math.floor(Fraction(score) * 10 + Fraction(1, 2))
    return f"{tenths // 10}.{tenths % 10}"


# --- the data file -----------------------------------------------------------------------


def _parse_scale(entry: Entry) -> tuple[ScalePoint, ...]:
    points = []
    for position, point in enumerate(entry.items(at_least=2, what="scale point")):
        point.object("value", "label", "meaning")
        value = point["value"].value
        if type(value) is not int or value != position:
            raise point.error(f"must be {position} (the scale counts 0, 1, 2, … in order)", "value")
        points.append(ScalePoint(value, point.text("label"), point.text("meaning")))
    labels = [p.label for p in points]
    if len(set(labels)) != len(labels):
        raise entry.error(f"the scale's labels must all differ, got {', '.join(labels)}")
    return tuple(points)


def _short_text(entry: Entry, key: str, limit: int, labels: str) -> str:
    text = entry.text(key)
    if len(text) > limit:
        raise entry.error(f"has {len(text)} characters; keep it to {limit} (it labels {labels})", key)
    return text


def _parse_prompt(entry: Entry, code: str) -> Prompt:
    entry.object("id", "title", "text", "action")
    prompt_id = entry.text("id")
    if not _PROMPT_ID.match(prompt_id) or not prompt_id.startswith(code):
        raise entry.error(f"'{prompt_id}' must be the element's letter {code} and a number, such as {code}1", "id")
    return Prompt(
        id=prompt_id,
        element=code,
        title=_short_text(entry, "title", MAX_TITLE_LENGTH, "the rating control"),
        text=entry.text("text"),
        action=entry.text("action"),
    )


def parse_tool(data: object, filename: str = "data/vips.json") -> Tool:
    """Validate the tool's data (an :class:`Entry`, or data already read); DataError names line and field."""
    root = datafiles.entry_of(data, filename).object("title", "notice", "scale", "dont_know", "elements")
    dont_know = root["dont_know"].object("label", "meaning")
    codes = " ".join(ELEMENT_CODES)
    raw_elements = root["elements"]
    if not isinstance(raw_elements.value, list) or len(raw_elements.value) != len(ELEMENT_CODES):
        raise raw_elements.error(f"must list the {len(ELEMENT_CODES)} VIPS elements, {codes}, in that order")
    elements, seen = [], {}
    for code, entry in zip(ELEMENT_CODES, raw_elements.items(), strict=True):
        entry.object("code", "name", "short_name", "definition", "prompts")
        if entry["code"].value != code:
            raise entry.error(f"must be {code!r} (the elements are {codes}, in that order)", "code")
        prompts = []
        raw_prompts = entry["prompts"].items(PROMPTS_PER_ELEMENT, PROMPTS_PER_ELEMENT, what="prompt")
        for raw_prompt in raw_prompts:
            prompt = _parse_prompt(raw_prompt, code)
            if prompt.id in seen:
                raise raw_prompt.error(f"duplicate id '{prompt.id}' (first used in element {seen[prompt.id]})", "id")
            seen[prompt.id] = code
            prompts.append(prompt)
        elements.append(
            Element(
                code,
                entry.text("name"),
                _short_text(entry, "short_name", MAX_SHORT_NAME_LENGTH, "an axis of the chart"),
                entry.text("definition"),
                tuple(prompts),
            )
        )
    return Tool(
        title=root.text("title"),
        notice=root.text("notice"),
        scale=_parse_scale(root["scale"]),
        dont_know_label=dont_know.text("label"),
        dont_know_meaning=dont_know.text("meaning"),
        elements=tuple(elements),
    )


@functools.lru_cache(maxsize=1)
def load_tool() -> Tool:
    """The course's prompts and scale from ``data/vips.json``, validated (read once)."""
    return parse_tool(datafiles.load("vips.json"))


# --- scoring -----------------------------------------------------------------------------


def parse_rating(tool: Tool, prompt_id: str, value: object) -> int | str | None:
    """Check one answer: a whole number on the scale, :data:`DONT_KNOW`, or ``None`` (unanswered)."""
    prompt = tool.prompt(prompt_id)
    if value is None or value == DONT_KNOW:
        return value
    if type(value) is not int:  # bool, float and "2" are all refused
        raise ValueError(
            f"prompt {prompt.id}: the rating must be a whole number, one of {tool.scale_choices()}; got {value!r}"
        )
    if not 0 <= value <= tool.maximum:
        raise ValueError(f"prompt {prompt.id}: rating {value} is outside the scale; choose {tool.scale_choices()}")
    return value


def assess(ratings: Mapping[str, object], tool: Tool | None = None) -> Assessment:
    """Score a set of answers ``{prompt id: rating}``; see the module docstring for the rules."""
    tool = tool or load_tool()
    answers = {prompt_id: parse_rating(tool, prompt_id, value) for prompt_id, value in ratings.items()}
    results, element_means, rated_prompts = [], {}, []
    for element in tool.elements:
        values = [answers.get(p.id) for p in element.prompts]
        scored = [v for v in values if isinstance(v, int)]
        mean = Fraction(sum(scored), len(scored)) if scored else None
        element_means[element.code] = mean
        rated_prompts += [(p, v) for p, v in zip(element.prompts, values, strict=True) if isinstance(v, int)]
        results.append(
            ElementResult(
                element=element,
                rated=len(scored),
                dont_know=values.count(DONT_KNOW),
                unanswered=values.count(None),
                score=mean if len(scored) >= MIN_RATED else None,
            )
        )
    scores = [r.score for r in results]
    overall = None if None in scores else sum(scores, Fraction(0)) / len(scores)

    order = {p.id: index for index, p in enumerate(tool.prompts)}
    below_top = [(p, v) for p, v in rated_prompts if v < tool.maximum]
    below_top.sort(key=lambda pv: (pv[1], element_means[pv[0].element], order[pv[0].id]))
    weakest = tuple(WeakIndicator(p, v, tool.label(v)) for p, v in below_top[:WEAKEST_LIMIT])

    dont_know = tuple(p for p in tool.prompts if answers.get(p.id) == DONT_KNOW)
    unanswered = tuple(p for p in tool.prompts if answers.get(p.id) is None)
    results = tuple(results)
    return Assessment(
        elements=results,
        overall=overall,
        weakest=weakest,
        dont_know=dont_know,
        unanswered=unanswered,
        summary=_summary(tool, results, overall, weakest, dont_know, unanswered),
        maximum=tool.maximum,
    )


def scale_words(tool: Tool, score: Fraction) -> str:
    """Where a score sits on the scale: ``"Often"``, or ``between "Starting" and "Often"``."""
    low = math.floor(score)
    if score == low:
        return f"\u201c{tool.label(low)}\u201d"
    return f"between \u201c{tool.label(low)}\u201d and \u201c{tool.label(low + 1)}\u201d"


def _names(results: list[ElementResult]) -> str:
    names = [f"{r.element.name} ({r.element.code})" for r in results]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _prompt_list(prompts: tuple[Prompt, ...]) -> str:
    return ", ".join(f"{p.id} {p.title}" for p in prompts)


def _why_no_overall(tool: Tool, missing: list[ElementResult]) -> str:
    """Why the overall score is missing: which elements are short of rated answers, by how many."""
    other = f"answers other than \u201c{tool.dont_know_label}\u201d"
    scale = f"a rating from 0 to {tool.maximum}"
    if len(missing) == 1:
        r = missing[0]
        return (
            f"Overall score not shown: element {r.element.code} ({r.element.name}) has fewer than {MIN_RATED} "
            f"{other} (it has {r.rated}); answer at least {MIN_RATED} of its {PROMPTS_PER_ELEMENT} prompts with "
            f"{scale}. Until then it has no score, and it is not shown as 0."
        )
    counts = ", ".join(f"{r.element.code} has {r.rated}" for r in missing)
    return (
        f"Overall score not shown: the elements {_names(missing)} each have "
        f"fewer than {MIN_RATED} {other} ({counts}); answer at least {MIN_RATED} of the {PROMPTS_PER_ELEMENT} "
        f"prompts in each with {scale}. Until then they have no score, and they are not shown as 0."
    )


def _summary(tool, results, overall, weakest, dont_know, unanswered) -> tuple[str, ...]:
    """The result in plain sentences, for the summary and the chart's text alternative."""
    top = tool.maximum
    sentences = []
    scored = [r for r in results if r.score is not None]
    if overall is not None:
        sentences.append(
            f"Overall score: {format_score(overall)} out of {top}, the average of the four elements, "
            f"{scale_words(tool, overall)} on the scale."
        )
    missing = [r for r in results if r.score is None]
    if missing:
        sentences.append(_why_no_overall(tool, missing))
    among = " of the scored elements" if missing else ""
    if len(scored) > 1:
        high = max(r.score for r in scored)
        low = min(r.score for r in scored)
        if high == low:
            sentences.append(f"The scored elements are level, at {format_score(high)} out of {top}.")
        else:
            strongest = [r for r in scored if r.score == high]
            weakest_elements = [r for r in scored if r.score == low]
            sentences.append(f"Strongest{among}: {_names(strongest)}, {format_score(high)} out of {top}.")
            sentences.append(f"Weakest{among}: {_names(weakest_elements)}, {format_score(low)} out of {top}.")
    elif len(scored) == 1:
        only = scored[0]
        sentences.append(f"Only {_names([only])} has a score: {format_score(only.score)} out of {top}.")
    total = len(tool.prompts)
    if dont_know:
        sentences.append(
            f"\u201c{tool.dont_know_label}\u201d was the answer to {len(dont_know)} of the {total} prompts "
            f"({_prompt_list(dont_know)}). These are not scored; finding out is a useful next step in itself."
        )
    if unanswered:
        sentences.append(f"{len(unanswered)} of the {total} prompts are not answered yet.")
    if weakest:
        sentences.append(
            f"The lowest-rated indicators are {_prompt_list(tuple(w.prompt for w in weakest))}; "
            "the suggested actions for them are listed below."
        )
    elif any(r.rated for r in results):
        sentences.append(
            "Every rated indicator is rated \u201c"
            + tool.label(top)
            + "\u201d: look for evidence that it stays that way."
        )
    else:
        sentences.append("No prompt has a rating yet.")
    return tuple(sentences)


# --- a copy to keep ----------------------------------------------------------------------

CSV_HEADER = ("element", "prompt", "rating", "action")
NOT_ANSWERED = "Not answered"


def rating_text(tool: Tool, value: int | str | None) -> str:
    """An answer in words: ``"2 Often"``, ``"Don't know"`` or ``"Not answered"``."""
    if value is None:
        return NOT_ANSWERED
    if value == DONT_KNOW:
        return tool.dont_know_label
    return f"{value} {tool.label(value)}"


def results_csv(ratings: Mapping[str, object], name: str = "", tool: Tool | None = None) -> str:
    """The answers and the scores as CSV text: one row a prompt (element, prompt, rating and its
    suggested action), then each element's score and the overall score, with the reason when
    there is none. Checks the ratings as :func:`assess` does."""
    tool = tool or load_tool()
    result = assess(ratings, tool)
    answers = {prompt_id: parse_rating(tool, prompt_id, value) for prompt_id, value in ratings.items()}
    rows: list[tuple[object, ...]] = [CSV_HEADER]
    for element in tool.elements:
        for prompt in element.prompts:
            rows.append(
                (
                    f"{element.code} {element.name}",
                    f"{prompt.id} {prompt.title}: {prompt.text}",
                    rating_text(tool, answers.get(prompt.id)),
                    prompt.action,
                )
            )
    rows.append(())
    rows += [(f"{r.element.code} {r.element.name}", "element score", r.score_text, "") for r in result.elements]
    overall_note = next((s for s in result.summary if s.startswith("Overall score not shown")), "")
    rows.append(("Overall", "mean of the four element scores", result.overall_text, overall_note))
    if name.strip():
        rows.append(("Service or scheme", typed(name.strip()), "", ""))
    return csv_text(rows)
