"""Self-check question banks: multiple-choice questions with feedback on every option.

Banks are JSON files in ``data/self-checks/`` (JSON, not YAML, so that this module needs only
the standard library and also runs in the reader's browser). The same banks can feed the
trainers' knowledge check. A mistake in a bank raises :class:`SelfCheckError` naming the file,
the question and the option.

Format::

    {"title": "Check your understanding",
     "questions": [{"id": "prev-1", "outcome": "LO1", "prompt": "…",
                    "options": [{"text": "…", "correct": true, "feedback": "…"}, …]}]}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from .evidence import data_path, read_json

OUTCOMES = tuple(f"LO{n}" for n in range(1, 10))
LETTERS = "ABCDEF"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class SelfCheckError(ValueError):
    """A problem in a self-check bank, with where to fix it."""


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


def _text(value: object, where: str, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SelfCheckError(f"{where}: '{field}' is missing or empty")
    return value.strip()


def parse_bank(data: object, name: str) -> Bank:
    """Validate a bank already read from JSON."""
    where = f"self-checks/{name}.json"
    if not isinstance(data, dict):
        raise SelfCheckError(f"{where}: the file must hold an object with 'title' and 'questions'")
    title = _text(data.get("title"), where, "title")
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise SelfCheckError(f"{where}: 'questions' must be a non-empty list")
    questions, seen = [], set()
    for number, raw in enumerate(raw_questions, start=1):
        q_where = f"{where} question {number}"
        if not isinstance(raw, dict):
            raise SelfCheckError(f"{q_where}: each question must be an object")
        q_id = _text(raw.get("id"), q_where, "id")
        q_where += f" ({q_id})"
        if not _ID.match(q_id):
            raise SelfCheckError(f"{q_where}: id must be lower case letters, digits and hyphens")
        if q_id in seen:
            raise SelfCheckError(f"{q_where}: duplicate id")
        seen.add(q_id)
        outcome = raw.get("outcome")
        if outcome not in OUTCOMES:
            raise SelfCheckError(f"{q_where}: outcome {outcome!r} must be one of {', '.join(OUTCOMES)}")
        prompt = _text(raw.get("prompt"), q_where, "prompt")
        raw_options = raw.get("options")
        if not isinstance(raw_options, list) or not 2 <= len(raw_options) <= len(LETTERS):
            raise SelfCheckError(f"{q_where}: give between 2 and {len(LETTERS)} options")
        options = []
        for letter, option in zip(LETTERS, raw_options, strict=False):
            o_where = f"{q_where}, option {letter}"
            if not isinstance(option, dict):
                raise SelfCheckError(f"{o_where}: each option must be an object")
            if not isinstance(option.get("correct", False), bool):
                raise SelfCheckError(f"{o_where}: 'correct' must be true or false")
            options.append(
                Option(
                    letter=letter,
                    text=_text(option.get("text"), o_where, "text"),
                    correct=option.get("correct", False),
                    feedback=_text(option.get("feedback"), o_where, "feedback (say why this answer is right or not)"),
                )
            )
        right = sum(o.correct for o in options)
        if right != 1:
            raise SelfCheckError(f"{q_where}: exactly one option must be correct, found {right}")
        questions.append(Question(q_id, outcome, prompt, tuple(options)))
    return Bank(name=name, title=title, questions=tuple(questions))


def load_bank(name: str) -> Bank:
    """Load and validate ``data/self-checks/<name>.json``."""
    path = data_path(f"self-checks/{name}.json")
    if not path.exists():
        raise SelfCheckError(f"self-checks/{name}.json: no such file in data/self-checks/")
    data = read_json(f"self-checks/{name}.json", SelfCheckError)
    return parse_bank(data, name)


def bank_html(bank: Bank) -> str:
    """The bank as HTML that needs no script: each option opens to show its feedback."""
    parts = [f'<section class="dh-self-check" aria-label="{escape(bank.title)}">']
    for number, question in enumerate(bank.questions, start=1):
        parts.append(f'<div class="dh-question" id="q-{escape(question.id)}">')
        parts.append(f'<p class="dh-prompt"><strong>Question {number}.</strong> {escape(question.prompt)}</p>')
        for option in question.options:
            verdict = "Yes, this is right." if option.correct else "Not quite."
            css = "dh-right" if option.correct else "dh-wrong"
            parts.append(
                f'<details class="dh-option"><summary>{option.letter}. {escape(option.text)}</summary>'
                f'<p class="{css}"><strong>{verdict}</strong> {escape(option.feedback)}</p></details>'
            )
        parts.append("</div>")
    parts.append("</section>")
    return "".join(parts)
