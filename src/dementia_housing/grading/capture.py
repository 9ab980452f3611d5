"""Carry a learner's answers out of their kernel as plain values, never as code or objects.

Learner code controls its own kernel, so nothing computed there is trusted. At the place of
each question's check, the grader sends :func:`report` a list of the names that check reads.
It prints them between two copies of a one-time tag, as JSON holding only ``str``, ``int``,
``float``, ``bool``, ``None`` and lists or dicts of them (a number of another type, such as a
``Fraction``, a ``Decimal`` or a numpy number, is sent as the plain number it equals). Anything
else is reported as "not a plain value" with its type name. :func:`read_report` parses that print in the grader, strictly;
the checks then run outside the kernel on those values alone (see :mod:`.marking`).

Whatever learner code does to this module or to its own kernel, the most it can achieve is to
report some other plain values, which is no more than writing those values as answers.
This module runs inside the sandboxed kernel: standard library only.
"""

from __future__ import annotations

import decimal
import json
import math
import numbers

MAX_REPORT_CHARS = 256 * 1024  # one question's answers; far beyond any real answer
MAX_DEPTH = 8
_PLAIN = (str, int, float, bool, type(None))


class NotPlain(ValueError):
    """A value that is not a plain literal; the message names what it is."""


def _plain(value, depth: int = 0):
    kind = type(value)
    if depth > MAX_DEPTH:
        raise NotPlain("a list or dict nested too deeply")
    if kind.__module__ == "numpy" and hasattr(value, "item") and getattr(value, "shape", None) == ():
        value, kind = value.item(), type(value.item())  # a numpy number is a plain number
    if kind not in _PLAIN and isinstance(value, numbers.Integral):
        value, kind = int(value), int  # a whole number of another type is a whole number
    elif kind not in _PLAIN and isinstance(value, numbers.Real | decimal.Decimal):
        value, kind = float(value), float  # Fraction(56, 25) or Decimal("2.24") is a plain number
    if kind is float and not math.isfinite(value):
        raise NotPlain(f"{value!r}, not a finite number")
    if kind is int and value.bit_length() > 10_000:
        raise NotPlain("a whole number too long to be an answer")
    if kind in _PLAIN:
        return value
    if kind in (list, tuple):
        return [_plain(item, depth + 1) for item in value]
    if kind is dict and all(type(key) is str for key in value):
        return {key: _plain(item, depth + 1) for key, item in value.items()}
    raise NotPlain(f"a {kind.__name__} object")


def report(namespace: dict, names: list[str], tag: str) -> None:
    """Print the answers ``names`` from ``namespace`` as tagged JSON (see the module docstring)."""
    answers: dict[str, dict] = {}
    for name in names:
        if name not in namespace:
            answers[name] = {"missing": True}
            continue
        try:
            answers[name] = {"value": _plain(namespace[name])}
        except NotPlain as reason:
            answers[name] = {"not_plain": str(reason)}
        except Exception as error:  # noqa: BLE001 - an object that fails even to be inspected
            answers[name] = {"not_plain": f"an object that could not be read ({type(error).__name__})"}
    text = json.dumps(answers, allow_nan=False)
    if len(text) > MAX_REPORT_CHARS:
        text = json.dumps({name: {"not_plain": "too large to be an answer"} for name in names})
    print(f"\n{tag}{text}{tag}", end="", flush=True)


def capture_code(names: list[str], tag: str) -> str:
    """The cell the grader runs in the learner's kernel in place of a check cell."""
    return (
        "import dementia_housing.grading.capture as __dh_capture\n"
        f"__dh_capture.report(globals(), {names!r}, {tag!r})\n"
        "del __dh_capture"
    )


def _no_constants(name: str):
    raise ValueError(f"{name} is not a plain number")


def _check_plain(value, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise ValueError("nested too deeply")
    if isinstance(value, list):
        for item in value:
            _check_plain(item, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            _check_plain(item, depth + 1)
    elif type(value) not in _PLAIN:
        raise ValueError(f"unexpected {type(value).__name__}")


def read_report(text: str, tag: str, names: list[str]) -> dict[str, dict] | None:
    """The answers printed by :func:`report` with this ``tag``, checked strictly; None if there is
    no well-formed report (the check's place was never reached, or its output was tampered with)."""
    start = text.rfind(tag, 0, max(0, text.rfind(tag)))
    end = text.rfind(tag)
    if start < 0 or end <= start:
        return None
    body = text[start + len(tag) : end]
    if len(body) > MAX_REPORT_CHARS:
        return None
    try:
        data = json.loads(body, parse_constant=_no_constants)
    except ValueError:  # also int strings too long to convert
        return None
    if type(data) is not dict:
        return None
    answers: dict[str, dict] = {}
    for name in names:
        entry = data.get(name)
        if type(entry) is not dict or len(entry) != 1:
            return None
        ((key, value),) = entry.items()
        if key == "value":
            try:
                _check_plain(value)
            except ValueError:
                return None
        elif key == "missing" and value is True:
            pass
        elif key == "not_plain" and type(value) is str:
            entry = {"not_plain": value[:200]}
        else:
            return None
        answers[name] = entry
    return answers
