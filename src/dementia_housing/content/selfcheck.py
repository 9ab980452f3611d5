"""Self-check question banks: multiple-choice questions with feedback on every option.

Banks are JSON files in ``data/self-checks/`` (JSON, not YAML, so that this module needs only
the standard library and also runs in the reader's browser). The same banks can feed the
trainers' knowledge check. A mistake in a bank raises :class:`~.datafiles.DataError` naming the file,
the line and the field.

Format::

    {"title": "Check your understanding",
     "questions": [{"id": "prev-1", "outcome": "LO1", "prompt": "…",
                    "options": [{"text": "…", "correct": true, "feedback": "…"}, …]}]}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from . import datafiles

OUTCOMES = tuple(f"LO{n}" for n in range(1, 10))
LETTERS = "ABCDEF"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Option:
    letter: str
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    id: str
    outcome: str
    prompt: str
    options: tuple[Option, ...]

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
            options.append(
                Option(
                    letter=letter,
                    text=option.text("text"),
                    correct=option.flag("correct"),
                    feedback=option.text("feedback"),
                )
            )
        right = sum(o.correct for o in options)
        if right != 1:
            raise entry.error(f"exactly one option must be correct, found {right}", "options")
        questions.append(Question(q_id, outcome, entry.text("prompt"), tuple(options)))
    return Bank(name=name, title=root.text("title"), questions=tuple(questions))


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
        parts.append(f'<p class="dh-prompt"><strong>Question {number}.</strong> {escape(question.prompt)}</p>')
        for option in question.options:
            verdict = "Yes, this is right." if option.correct else "Not quite."
            css = "dh-right" if option.correct else "dh-wrong"
            parts.append(
                f'<details class="dh-option" data-correct="{str(option.correct).lower()}">'
                f"<summary>{option.letter}. {escape(option.text)}</summary>"
                f'<p class="{css}"><strong>{verdict}</strong> {escape(option.feedback)}</p></details>'
            )
        parts.append("</div>")
    parts.append(f'<p class="dh-tally" role="status" data-questions="{len(bank.questions)}" hidden></p>')
    parts.append("</section>")
    return "".join(parts)
