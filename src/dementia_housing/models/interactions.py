"""Interaction sorter: does an everyday moment in housing undermine or uphold personhood?

Tom Kitwood named seventeen kinds of interaction that undermine personhood (malignant social
psychology) and twelve that uphold it (positive person work). The sorter gives the learner a
short housing vignette, asks for a verdict (``"undermines"`` or ``"upholds"``) and the kind that
fits best, and answers with feedback that teaches. Some vignettes accept a second kind that
also fits; the feedback says so and names the best fit.

The kinds and vignettes live in ``data/interactions.json``. :func:`parse_catalogue` checks them
and raises :class:`~dementia_housing.content.datafiles.DataError` naming the line and the field. :func:`judge` raises
:class:`AnswerError`, a ``ValueError`` that also says which field of the form it is about
(``"vignette"``, ``"verdict"`` or ``"kind"``), so a view can show it next to that field.
:class:`Tally` keeps a running score without any global state.

Standard library only: this module also runs in the reader's browser (Pyodide).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..content import datafiles
from ..content.datafiles import Entry
from .field_error import FieldError

VERDICTS = ("undermines", "upholds")
VERDICT_LABELS = {"undermines": "Undermines personhood", "upholds": "Upholds personhood"}
LIST_NAMES = {"undermines": "malignant social psychology", "upholds": "positive person work"}
# Kitwood's psychological needs, which overlap in a central need for love.
NEEDS = ("comfort", "attachment", "inclusion", "occupation", "identity")

RIGHT, ALSO_FITS, WRONG = "right", "also fits", "wrong"

_ID = re.compile(r"^[a-z][a-z0-9-]*$")


class AnswerError(FieldError):
    """A problem with a learner's answer, naming the form field it is about."""


@dataclass(frozen=True)
class Kind:
    """One of Kitwood's kinds of interaction, with a short plain-language definition."""

    id: str
    label: str
    verdict: str
    definition: str

    @property
    def list_name(self) -> str:
        return LIST_NAMES[self.verdict]


@dataclass(frozen=True)
class Vignette:
    """A short housing story with its answer and an explanation that teaches."""

    id: str
    title: str
    setting: str
    text: str
    verdict: str
    kind: str
    also: tuple[tuple[str, str], ...]  # (kind id, why it also fits), in the data's order
    needs: tuple[str, ...]
    explanation: str

    @property
    def also_fits(self) -> dict[str, str]:
        return dict(self.also)


@dataclass(frozen=True)
class Catalogue:
    """The two lists of kinds and the vignettes, validated."""

    title: str
    kinds: tuple[Kind, ...]
    vignettes: tuple[Vignette, ...]

    def kinds_for(self, verdict: str) -> tuple[Kind, ...]:
        """The kinds that go with a verdict, in the data's order."""
        return tuple(k for k in self.kinds if k.verdict == verdict)

    def kind(self, kind_id: str) -> Kind:
        return next(k for k in self.kinds if k.id == kind_id)

    def vignette(self, vignette_id: str) -> Vignette:
        for vignette in self.vignettes:
            if vignette.id == vignette_id:
                return vignette
        raise AnswerError(
            "vignette",
            f"There is no vignette called '{vignette_id}'. The vignettes are: "
            + ", ".join(v.id for v in self.vignettes)
            + ".",
        )

    def position(self, vignette_id: str) -> int:
        """The 0-based place of a vignette in the list."""
        return self.vignettes.index(self.vignette(vignette_id))


@dataclass(frozen=True)
class Judgement:
    """What the sorter says about one answer."""

    vignette_id: str
    verdict: str
    kind: str
    verdict_right: bool
    kind_result: str  # RIGHT, ALSO_FITS or WRONG
    best_kind: str
    headline: str
    paragraphs: tuple[str, ...]

    @property
    def correct(self) -> bool:
        """Right verdict, and a kind that is the best fit or also fits."""
        return self.verdict_right and self.kind_result != WRONG

    @property
    def feedback(self) -> str:
        return "\n\n".join((self.headline, *self.paragraphs))


@dataclass(frozen=True)
class Tally:
    """A running score over a session. The first answer checked for each vignette counts.

    Pure: :meth:`record` returns a new tally and leaves this one unchanged.
    """

    first_answers: tuple[tuple[str, bool], ...] = field(default=())

    @property
    def answered(self) -> int:
        return len(self.first_answers)

    @property
    def right(self) -> int:
        return sum(correct for _, correct in self.first_answers)

    def has_answered(self, vignette_id: str) -> bool:
        return any(v == vignette_id for v, _ in self.first_answers)

    def record(self, judgement: Judgement) -> Tally:
        if self.has_answered(judgement.vignette_id):
            return self
        return Tally((*self.first_answers, (judgement.vignette_id, judgement.correct)))

    def summary(self) -> str:
        if not self.answered:
            return "No answers checked yet."
        return f"{self.right} of {self.answered} right so far."


# Loading and validating the data --------------------------------------------------------------


def _parse_kinds(entry: Entry) -> tuple[Kind, ...]:
    if not isinstance(entry.value, dict) or set(entry.value) != set(VERDICTS):
        raise entry.error(f"must be an object with exactly the lists {' and '.join(VERDICTS)}")
    kinds: list[Kind] = []
    seen: set[str] = set()
    for verdict in VERDICTS:
        for item in entry[verdict].items(what="kind"):
            item.object("id", "label", "definition")
            kind_id = item.text("id")
            if not _ID.match(kind_id):
                raise item.error(f"'{kind_id}' must be lower case letters, digits and hyphens", "id")
            if kind_id in seen:
                raise item.error(f"duplicate kind '{kind_id}'; each kind appears once", "id")
            seen.add(kind_id)
            kinds.append(Kind(kind_id, item.text("label"), verdict, item.text("definition")))
    return tuple(kinds)


def _parse_vignette(entry: Entry, kinds: Mapping[str, Kind]) -> Vignette:
    entry.object("id", "title", "setting", "text", "verdict", "kind", "needs", "explanation")
    vignette_id = entry.text("id")
    if not _ID.match(vignette_id):
        raise entry.error(f"'{vignette_id}' must be lower case letters, digits and hyphens", "id")
    verdict = entry["verdict"].value
    if verdict not in VERDICTS:
        raise entry.error(f"{verdict!r} must be one of {', '.join(VERDICTS)}", "verdict")

    def kind_in_list(field: Entry, kind_id: object) -> str:
        if kind_id not in kinds:
            raise field.error(f"{kind_id!r} is not a kind listed under 'kinds'")
        if kinds[kind_id].verdict != verdict:
            raise field.error(
                f"'{kind_id}' is {kinds[kind_id].list_name}, which {kinds[kind_id].verdict} personhood, "
                f"but the verdict is '{verdict}'"
            )
        return kind_id

    best = kind_in_list(entry["kind"], entry["kind"].value)
    also = []
    also_entry = entry.get("also")
    if also_entry is not None:
        if not isinstance(also_entry.value, dict):
            raise also_entry.error("must be an object of kind id -> why it also fits")
        for kind_id in also_entry.value:
            why = also_entry.child(kind_id)
            kind_in_list(why, kind_id)
            if kind_id == best:
                raise why.error("the best-fitting kind cannot also be listed under 'also'")
            also.append((kind_id, why.text()))
    needs = entry["needs"]
    for need in needs.items(what="need"):
        if need.value not in NEEDS:
            raise need.error(f"{need.value!r} is not one of {', '.join(NEEDS)}")
    return Vignette(
        id=vignette_id,
        title=entry.text("title"),
        setting=entry.text("setting"),
        text=entry.text("text"),
        verdict=verdict,
        kind=best,
        also=tuple(also),
        needs=tuple(needs.value),
        explanation=entry.text("explanation"),
    )


def parse_catalogue(data: object, filename: str = "data/interactions.json") -> Catalogue:
    """Validate the sorter's data (an :class:`Entry`, or data already read); DataError names line and field."""
    root = datafiles.entry_of(data, filename).object("title", "kinds", "vignettes")
    kinds = _parse_kinds(root["kinds"])
    by_id = {k.id: k for k in kinds}
    vignettes: list[Vignette] = []
    for item in root["vignettes"].items(what="vignette"):
        vignette = _parse_vignette(item, by_id)
        if any(v.id == vignette.id for v in vignettes):
            raise item.error(f"duplicate id '{vignette.id}'; each vignette needs its own", "id")
        vignettes.append(vignette)
    return Catalogue(title=root.text("title"), kinds=kinds, vignettes=tuple(vignettes))


@functools.lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """The course's kinds and vignettes from ``data/interactions.json`` (read once)."""
    return parse_catalogue(datafiles.load("interactions.json"))


# Judging an answer ----------------------------------------------------------------------------


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _and_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def needs_sentence(vignette: Vignette) -> str:
    """``Psychological needs at stake: comfort and attachment.`` (``met`` for upholding moments)."""
    needs_word = "at stake" if vignette.verdict == "undermines" else "met"
    return f"Psychological needs {needs_word}: {_and_list(list(vignette.needs))}."


def read_verdict(verdict: object) -> str:
    """A verdict from a form; AnswerError (field ``verdict``) if blank or not recognised."""
    if verdict is None or (isinstance(verdict, str) and not verdict.strip()):
        raise AnswerError("verdict", "Choose a verdict first: does this interaction undermine or uphold personhood?")
    if not isinstance(verdict, str):
        raise AnswerError("verdict", f"The verdict must be 'undermines' or 'upholds', got {verdict!r}.")
    text = verdict.strip().lower()
    for key, label in VERDICT_LABELS.items():
        if text in (key, label.lower()):
            return key
    raise AnswerError("verdict", f"'{verdict.strip()}' is not a verdict; choose 'undermines' or 'upholds'.")


def read_kind(kind: object, verdict: str, catalogue: Catalogue) -> Kind:
    """A kind from a form (its id or label), checked against the verdict's list."""
    if kind is None or (isinstance(kind, str) and not kind.strip()):
        raise AnswerError("kind", "Choose a kind first: the kind of interaction that fits best.")
    if not isinstance(kind, str):
        raise AnswerError("kind", f"The kind must be one of Kitwood's kinds, given as text; got {kind!r}.")
    text = kind.strip().lower()
    found = next((k for k in catalogue.kinds if text in (k.id, k.label.lower())), None)
    if found is None:
        raise AnswerError(
            "kind", f"'{kind.strip()}' is not one of Kitwood's kinds of interaction; choose one from the list."
        )
    if found.verdict != verdict:
        wanted = LIST_NAMES[verdict]
        raise AnswerError(
            "kind",
            f"{found.label} is a kind of {found.list_name}, which {found.verdict} personhood, but your verdict is "
            f"'{verdict}'. Choose a kind of {wanted}, or change your verdict.",
        )
    return found


def judge(vignette_id: object, verdict: object, kind: object, catalogue: Catalogue | None = None) -> Judgement:
    """Judge one answer: the verdict, the kind, and feedback that teaches.

    ``verdict`` is ``"undermines"`` or ``"upholds"``; ``kind`` is a kind's id or label from the
    list that goes with that verdict. Raises :class:`AnswerError` naming the field for bad input.
    """
    catalogue = catalogue or load_catalogue()
    if not isinstance(vignette_id, str) or not vignette_id.strip():
        raise AnswerError("vignette", "Choose a vignette first.")
    vignette = catalogue.vignette(vignette_id.strip())
    chosen_verdict = read_verdict(verdict)
    chosen = read_kind(kind, chosen_verdict, catalogue)
    best = catalogue.kind(vignette.kind)
    also = vignette.also_fits

    verdict_right = chosen_verdict == vignette.verdict
    if chosen.id == best.id:
        kind_result = RIGHT
    elif chosen.id in also:
        kind_result = ALSO_FITS
    else:
        kind_result = WRONG

    best_line = f"The best fit is {best.label.lower()}, a kind of {best.list_name}: {_lower_first(best.definition)}"
    paragraphs: list[str] = []
    if not verdict_right:
        headline = "Not this time."
        paragraphs.append(
            f"This interaction {vignette.verdict} personhood; you said it {chosen_verdict} it. {best_line}"
        )
    elif kind_result == RIGHT:
        headline = "Right on both counts."
        paragraphs.append(
            f"This interaction {vignette.verdict} personhood, and {best.label.lower()} is the best fit: "
            f"{_lower_first(best.definition)}"
        )
    elif kind_result == ALSO_FITS:
        headline = f"Right, and {chosen.label.lower()} also fits."
        paragraphs.append(
            f"This interaction {vignette.verdict} personhood. {chosen.label} also fits: {also[chosen.id]} {best_line}"
        )
    else:
        headline = "Right verdict; another kind fits better."
        paragraphs.append(
            f"This interaction {vignette.verdict} personhood, as you said. You chose {chosen.label.lower()}: "
            f"{_lower_first(chosen.definition)} It is not the best fit here. {best_line}"
        )
    others = [(k, why) for k, why in vignette.also if k != chosen.id]
    for kind_id, why in others:
        paragraphs.append(f"{catalogue.kind(kind_id).label} also fits: {why}")
    paragraphs.append(vignette.explanation)
    paragraphs.append(needs_sentence(vignette))

    return Judgement(
        vignette_id=vignette.id,
        verdict=chosen_verdict,
        kind=chosen.id,
        verdict_right=verdict_right,
        kind_result=kind_result,
        best_kind=best.id,
        headline=headline,
        paragraphs=tuple(paragraphs),
    )
