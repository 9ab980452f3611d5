"""The one shape of a learner's bad entry in every tool: which field, and what to do.

Each tool names its own kind (``AuditError``, ``PlanError``, ``AnswerError``, ``FieldProblem``)
so that its messages read naturally, but they are all a ``FieldError``: a view shows
``message`` beside the control called ``field``. Standard library only.
"""

from __future__ import annotations


class FieldError(ValueError):
    """A problem with one entry: the field it is about, and a message the learner can act on."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(message)
