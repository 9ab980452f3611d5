"""The trainers' knowledge check: one question bank, taken before and after the workshop.

The bank is ``data/knowledge-check.json``, in the self-check format (see
:mod:`dementia_housing.content.selfcheck`, whose parser validates it) with two more fields at the
top: ``version``, which a trainer quotes in the cohort report so that responses are read against
the questions people actually saw, and ``about``, a sentence for participants. A mistake in the
file raises :class:`~dementia_housing.content.datafiles.DataError` naming
``data/knowledge-check.json``, the line and the field. Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content import datafiles
from ..content.selfcheck import Bank, Question, parse_bank

FILE = "knowledge-check.json"
NAME = "knowledge-check"


@dataclass(frozen=True)
class KnowledgeCheck:
    version: str
    about: str
    bank: Bank

    @property
    def questions(self) -> tuple[Question, ...]:
        return self.bank.questions

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.bank.questions if q.id == question_id), None)


def parse(data: object) -> KnowledgeCheck:
    """Validate a knowledge check: an entry read from its file, or data already in memory."""
    root = datafiles.entry_of(data, f"data/{FILE}").object("title", "version", "questions")
    return KnowledgeCheck(
        version=root.text("version"),
        about=root.optional_text("about"),
        bank=parse_bank(root, NAME),
    )


def load() -> KnowledgeCheck:
    """Load and validate ``data/knowledge-check.json``."""
    return parse(datafiles.load(FILE))
