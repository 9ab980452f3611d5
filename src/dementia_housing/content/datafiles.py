"""One loader for the course's JSON data files, and one error that says where to fix them.

Self-check banks, the interaction sorter's vignettes, the VIPS indicators, the tenancy
scenarios and every later data file are read here. A mistake raises :class:`DataError`, which
names the file, the line and the field, for example::

    data/vips.json:41, field 'elements[2].prompts[0].text': missing or empty; write it as text

The evidence table (CSV) raises the same error. Standard library only: it also runs in the
reader's browser.
"""

from __future__ import annotations

import bisect
import json
import re
from json.decoder import scanstring
from typing import Any

Path_ = tuple[str | int, ...]

_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}


class DataError(ValueError):
    """A mistake in a course data file: which file, which line, which field, and what to do."""

    def __init__(self, file: str, line: int | None, field: str | None, problem: str) -> None:
        self.file, self.line, self.field, self.problem = file, line, field, problem
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}, field '{field}': {problem}" if field else f"{where}: {problem}")


def field_name(path: Path_) -> str:
    """``("questions", 2, "text")`` -> ``questions[2].text``: how messages name a field."""
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name


class Entry:
    """A value read from a data file, with the file and the line it was written on.

    Validators walk a file through entries, so every error they raise names the place:
    ``entry["questions"][0].text("prompt")``.
    """

    def __init__(self, file: str, value: Any, path: Path_, lines: dict[Path_, int]) -> None:
        self.file, self.value, self.path, self._lines = file, value, path, lines

    @property
    def line(self) -> int | None:
        """The line the value (or, for a field, its key) is on; None for values not read from text."""
        return self._lines.get(self.path)

    @property
    def name(self) -> str:
        return field_name(self.path)

    def error(self, problem: str, key: str | int | None = None) -> DataError:
        """A DataError about this value, or about its field ``key`` (at the key's line if it exists)."""
        path = self.path if key is None else (*self.path, key)
        line = self._lines.get(path, self.line)
        return DataError(self.file, line, field_name(path) or None, problem)

    def child(self, key: str | int) -> Entry:
        return Entry(self.file, self.value[key], (*self.path, key), self._lines)

    def object(self, *required: str) -> Entry:
        """This entry, checked to be an object holding every ``required`` key."""
        if not isinstance(self.value, dict):
            names = " and ".join(f"'{key}'" for key in required)
            raise self.error(f"must be an object{' with ' + names if names else ''}")
        for key in required:
            if key not in self.value:
                raise self.error("missing; add it", key)
        return self

    def __getitem__(self, key: str) -> Entry:
        """The field ``key`` of an object; a missing field is an error naming it."""
        self.object(key)
        return self.child(key)

    def get(self, key: str) -> Entry | None:
        """The field ``key`` of an object, or None when it is absent."""
        self.object()
        return self.child(key) if key in self.value else None

    def items(self, at_least: int = 1, at_most: int | None = None, what: str = "item") -> list[Entry]:
        """The elements of a list, checked for length."""
        if not isinstance(self.value, list):
            raise self.error(f"must be a list of {what}s")
        count = len(self.value)
        if count < at_least or (at_most is not None and count > at_most):
            span = f"between {at_least} and {at_most}" if at_most is not None else f"at least {at_least}"
            raise self.error(f"give {span} {what}s (found {count})")
        return [self.child(index) for index in range(count)]

    def text(self, key: str | None = None) -> str:
        """A required text (this value, or field ``key``), runs of white space made single."""
        entry = self if key is None else self.get(key)
        if entry is None:
            raise self.error("missing; write it as text", key)
        if not isinstance(entry.value, str) or not entry.value.strip():
            raise entry.error("missing or empty; write it as text")
        return " ".join(entry.value.split())

    def optional_text(self, key: str, default: str = "") -> str:
        entry = self.get(key)
        return default if entry is None else entry.text()

    def flag(self, key: str, default: bool = False) -> bool:
        entry = self.get(key)
        if entry is None:
            return default
        if not isinstance(entry.value, bool):
            raise entry.error("must be true or false")
        return entry.value


def parse(text: str, file: str) -> Entry:
    """The root entry of JSON ``text`` from ``file``; invalid JSON or a repeated key is a DataError."""
    try:
        json.loads(text)
    except json.JSONDecodeError as problem:
        raise DataError(file, problem.lineno, None, f"not valid JSON ({problem.msg})") from None
    newlines = [index for index, char in enumerate(text) if char == "\n"]
    lines: dict[Path_, int] = {}
    value, _ = _Scanner(text, file, newlines, lines).value(0, ())
    return Entry(file, value, (), lines)


def entry_of(data: Any, file: str) -> Entry:
    """An entry for data already in memory (tests, or JSON read elsewhere): lines of its JSON form."""
    return data if isinstance(data, Entry) else parse(json.dumps(data, indent=1, ensure_ascii=False), file)


def load(name: str) -> Entry:
    """Read and parse the course data file ``data/<name>``; a missing file is a DataError too."""
    from .evidence import data_path  # data_path honours $DEMENTIA_HOUSING_DATA

    path = data_path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"data/{name}", None, None, "no such file; check the name and the data/ folder") from None
    return parse(text, f"data/{name}")


class _Scanner:
    """Reads valid JSON once more, noting the line of every value and key."""

    def __init__(self, text: str, file: str, newlines: list[int], lines: dict[Path_, int]) -> None:
        self.text, self.file, self.newlines, self.lines = text, file, newlines, lines

    def line_at(self, position: int) -> int:
        return bisect.bisect_right(self.newlines, position - 1) + 1

    def skip(self, position: int) -> int:
        return _SPACE.match(self.text, position).end()

    def value(self, position: int, path: Path_) -> tuple[Any, int]:
        text = self.text
        position = self.skip(position)
        self.lines.setdefault(path, self.line_at(position))
        char = text[position]
        if char == "{":
            return self.object(position + 1, path)
        if char == "[":
            return self.array(position + 1, path)
        if char == '"':
            return scanstring(text, position + 1)
        for word, literal in _LITERALS.items():
            if text.startswith(word, position):
                return literal, position + len(word)
        number = _NUMBER.match(text, position)
        is_float = number.group(1) or number.group(2)
        return (float if is_float else int)(number.group()), number.end()

    def object(self, position: int, path: Path_) -> tuple[dict, int]:
        result: dict[str, Any] = {}
        position = self.skip(position)
        if self.text[position] == "}":
            return result, position + 1
        while True:
            position = self.skip(position)
            key_line = self.line_at(position)
            key, position = scanstring(self.text, position + 1)
            if key in result:
                raise DataError(self.file, key_line, field_name((*path, key)), "appears twice in the same object")
            self.lines[(*path, key)] = key_line
            position = self.skip(position) + 1  # the colon
            result[key], position = self.value(position, (*path, key))
            position = self.skip(position)
            if self.text[position] == "}":
                return result, position + 1
            position += 1  # the comma

    def array(self, position: int, path: Path_) -> tuple[list, int]:
        result: list[Any] = []
        position = self.skip(position)
        if self.text[position] == "]":
            return result, position + 1
        while True:
            item, position = self.value(position, (*path, len(result)))
            result.append(item)
            position = self.skip(position)
            if self.text[position] == "]":
                return result, position + 1
            position += 1
