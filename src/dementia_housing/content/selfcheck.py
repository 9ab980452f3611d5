"""Self-check question banks: multiple-choice questions with feedback on every option.

Banks are JSON files in ``data/self-checks/`` (JSON, not YAML, so that this module needs only
the standard library and also runs in the reader's browser). The same banks can feed the
trainers' knowledge check. A mistake in a bank raises :class:`~.datafiles.DataError` naming the file,
the line and the field.

Format::

    {"title": "Check your understanding",
     "questions": [{"id": "prev-1", "outcome": "LO1", "prompt": "…",
                    "options": [{"text": "…", "correct": true, "feedback": "…"}, …]}]}

A figure in a prompt, option or feedback is a placeholder filled from data/evidence.csv when the
bank is read: ``{fig:ID}`` ("850,000 people"), ``{value:ID}`` ("982,000"); ``{example:£1,000}``
marks an amount that is not a figure about the world. In the HTML each is marked as the book's
``{fig}`` and ``{example}`` roles mark theirs (tests/test_content_integrity.py checks the pages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from . import datafiles, evidence

OUTCOMES = tuple(f"LO{n}" for n in range(1, 10))
LETTERS = "ABCDEF"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Option:
    letter: str
    text: str
    correct: bool
    feedback: str
    # The same texts as HTML, each figure marked as the {fig} role marks it (see _marked).
    text_html: str = field(default="", compare=False, repr=False)
    feedback_html: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True)
class Question:
    id: str
    outcome: str
    prompt: str
    options: tuple[Option, ...]
    prompt_html: str = field(default="", compare=False, repr=False)

    @property
    def answer(self) -> str:
        return next(o.letter for o in self.options if o.correct)


@dataclass(frozen=True)
class Bank:
    name: str
    title: str
    questions: tuple[Question, ...]


def parse_bank(data: object, name: str) -> Bank:
    """Validate a bank: an :class:`Entry` from its file, or data already read from JSON."""
    root = datafiles.entry_of(data, f"data/self-checks/{name}.json").object("title", "questions")
    questions, seen = [], set()
    for entry in root["questions"].items(what="question"):
        entry.object("id", "outcome", "prompt", "options")
        q_id = entry.text("id")
        if not _ID.match(q_id):
            raise entry.error(f"'{q_id}' must be lower case letters, digits and hyphens", "id")
        if q_id in seen:
            raise entry.error(f"duplicate id '{q_id}'; each question's id is unique", "id")
        seen.add(q_id)
        outcome = entry["outcome"].value
        if outcome not in OUTCOMES:
            raise entry.error(f"{outcome!r} must be one of {', '.join(OUTCOMES)}", "outcome")
        options = []
        raw_options = entry["options"].items(at_least=2, at_most=len(LETTERS), what="option")
        for letter, option in zip(LETTERS, raw_options, strict=False):
            option.object("text", "feedback")
            text, text_html = _filled(option, "text")
            feedback, feedback_html = _filled(option, "feedback")
            options.append(
                Option(
                    letter=letter,
                    text=text,
                    correct=option.flag("correct"),
                    feedback=feedback,
                    text_html=text_html,
                    feedback_html=feedback_html,
                )
            )
        right = sum(o.correct for o in options)
        if right != 1:
            raise entry.error(f"exactly one option must be correct, found {right}", "options")
        prompt, prompt_html = _filled(entry, "prompt")
        questions.append(Question(q_id, outcome, prompt, tuple(options), prompt_html=prompt_html))
    return Bank(name=name, title=root.text("title"), questions=tuple(questions))


def _marked(kind: str, fig_id: str, shown: str) -> str:
    """A figure in a bank's HTML, marked as the book's {fig} and {example} roles mark theirs
    (``shown`` is HTML already: an example's text escaped with the rest, or a table value)."""
    if kind == "example":
        return f'<span class="dh-example">{shown}</span>'
    return f'<span class="dh-figure" data-evidence="{fig_id}">{shown}</span>'


def _filled(entry: datafiles.Entry, key: str) -> tuple[str, str]:
    """Field ``key`` as plain text and as HTML, its figure placeholders ({fig:ID}, {value:ID},
    {example:TEXT}; see evidence.fill_placeholders) filled from the evidence table. An unknown
    id is an error naming the bank's file, line and field."""
    raw = entry.text(key)
    try:
        return evidence.fill_placeholders(raw), evidence.fill_placeholders(escape(raw), mark=_marked)
    except datafiles.DataError as problem:
        raise entry.error(f"{problem.problem}; a placeholder must name a row of data/evidence.csv", key) from None


def load_bank(name: str) -> Bank:
    """Load and validate ``data/self-checks/<name>.json``."""
    return parse_bank(datafiles.load(f"self-checks/{name}.json"), name)


def bank_html(bank: Bank) -> str:
    """The bank as HTML that needs no script: each option opens to show its feedback.

    Where script runs, book/_static/self-check.js keeps a running tally in the bank's status
    line: the first option a reader opens in a question counts as their answer."""
    parts = [f'<section class="dh-self-check" aria-label="{escape(bank.title)}">']
    for number, question in enumerate(bank.questions, start=1):
        parts.append(f'<div class="dh-question" id="q-{escape(question.id)}">')
        parts.append(
            f'<p class="dh-prompt"><strong>Question {number}.</strong> {question.prompt_html or escape(question.prompt)}</p>'
        )
        for option in question.options:
            verdict = "Yes, this is right." if option.correct else "Not quite."
            css = "dh-right" if option.correct else "dh-wrong"
            parts.append(
                f'<details class="dh-option" data-correct="{str(option.correct).lower()}">'
                f"<summary>{option.letter}. {option.text_html or escape(option.text)}</summary>"
                f'<p class="{css}"><strong>{verdict}</strong> {option.feedback_html or escape(option.feedback)}</p>'
                "</details>"
            )
        parts.append("</div>")
    parts.append(f'<p class="dh-tally" role="status" data-questions="{len(bank.questions)}" hidden></p>')
    parts.append("</section>")
    return "".join(parts)
