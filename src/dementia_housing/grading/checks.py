"""The friendly format checks learners see under each question of an exercise notebook.

They say whether an answer has the right *form* (one letter in quotes, a number, a whole
number) and never whether it is right: that is decided at marking by hidden tests, which use
none of these functions. A learner who redefines them therefore gains nothing. Standard library
only, and nothing else is imported, because this module runs inside the sandboxed kernel.
"""

from __future__ import annotations

__all__ = ["check_letter", "check_number"]


def check_letter(answer: object, letters: str = "ABCD") -> None:
    """Pass if ``answer`` is one of ``letters`` in quotes (any case, spaces ignored)."""
    choices = list(letters)
    if not isinstance(answer, str) or answer.strip().upper() not in choices:
        example = choices[0]
        raise AssertionError(
            f'Write one letter from {", ".join(choices)} in quotes, for example "{example}". You wrote {answer!r}.'
        )
    print("The form is right: one letter. Whether it is the right letter is checked at marking.")


def check_number(value: object, whole: bool = False) -> None:
    """Pass if ``value`` is a plain number (a whole number, with ``whole=True``)."""
    if isinstance(value, bool):
        raise AssertionError("This answer should be a number, not True or False.")
    if whole and type(value) is not int:
        raise AssertionError(
            f"This answer should be a whole number, such as 7, with no quotes (use int(...) if you need to). "
            f"You wrote {value!r}."
        )
    if not whole and type(value) not in (int, float):
        raise AssertionError(
            f"This answer should be a plain number, such as 4.5, with no quotes (use float(...) if you need to). "
            f"You wrote {value!r}."
        )
    print("The form is right: a number. Whether it is the right number is checked at marking.")
