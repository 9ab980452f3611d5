"""The evidence table: every figure the course states, with its year and source.

The table lives in ``data/evidence.csv`` (columns ``id, statement, value, unit, year,
source_key, locator``) and every ``source_key`` must be a key of ``data/references.bib``.
A mistake in either file raises :class:`~.datafiles.DataError` naming the file, the line and the
field, so whoever edits the data knows exactly what to fix. Every row is used by the course
(a ``{fig}`` role, a placeholder in a question bank, a tool's default) or listed, with a reason,
in ``data/evidence-reserve.csv`` (tests/test_content_integrity.py checks this).

Standard library only: this module also runs in the reader's browser (Pyodide).
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .datafiles import DataError

COLUMNS = ("id", "statement", "value", "unit", "year", "source_key", "locator")
# Optional: who the figure counts ("aged 65 and over", "all ages"), shown beside the value.
OPTIONAL_COLUMNS = ("population",)

# How each unit is written in the prose. A unit not listed here is a data error, so that
# every figure is shown the same way wherever it appears.
UNIT_FORMATS = {
    "people": "{value} people",
    "%": "{value}%",
    "£": "£{value}",
    "£bn": "£{value}bn",
    "£m": "£{value}m",
    "years": "{value} years",
    "months": "{value} months",
    "weeks": "{value} weeks",
    "hours a week": "{value} hours a week",
    # A cost or a saving per period says so with its value, before its year:
    # "£1.4bn a year in 2022", never "£1.4bn in 2022 … a year".
    "£ a week": "£{value} a week",
    "£ a year": "£{value} a year",
    "£m a year": "£{value}m a year",
    "£bn a year": "£{value}bn a year",
    "count": "{value}",
}

_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
_BIB_KEY_PATTERN = re.compile(r"^\s*@\w+\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


@dataclass(frozen=True)
class Figure:
    """One row of the evidence table."""

    id: str
    statement: str
    value: Decimal
    unit: str
    year: int
    source_key: str
    locator: str
    population: str = ""  # who is counted: "aged 65 and over", "all ages"; "" if the row says nothing

    @property
    def number(self) -> float:
        """The value as a float, for calculations."""
        return float(self.value)

    def display(self) -> str:
        """The value with its unit, as the prose shows it: ``982,000 people``, ``7.1%``."""
        return UNIT_FORMATS[self.unit].format(value=number_text(self))

    def with_year(self) -> str:
        """As the ``{fig}`` role shows it: ``982,000 people (aged 65 and over) in 2024``."""
        who = f" ({self.population})" if self.population else ""
        return f"{self.display()}{who} in {self.year}"


DATA_ENV = "DEMENTIA_HOUSING_DATA"


def data_path(name: str) -> Path:
    """Where a course data file is: ``$DEMENTIA_HOUSING_DATA`` if set (the book build sets it to
    the data/ folder of the checkout it builds, so pages and their notebooks use that data),
    else inside the installed package (wheel), else the repository."""
    chosen = os.environ.get(DATA_ENV)
    if chosen:
        return Path(chosen) / name
    packaged = Path(__file__).resolve().parents[1] / "data" / name
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parents[3] / "data" / name


def _row_error(filename: str, line: int, field: str, problem: str) -> DataError:
    return DataError(filename, line, field, problem)


def parse_evidence(csv_text: str, known_sources: set[str], filename: str = "data/evidence.csv") -> dict[str, Figure]:
    """Parse and validate the evidence table; raise DataError at the first bad row."""
    reader = csv.DictReader(io.StringIO(csv_text))
    if reader.fieldnames is None:
        raise DataError(filename, None, None, f"the file is empty; it needs a header row {','.join(COLUMNS)}")
    missing = [c for c in COLUMNS if c not in reader.fieldnames]
    if missing:
        raise DataError(
            filename, 1, None, f"missing column(s) {', '.join(missing)}; the header must be {','.join(COLUMNS)}"
        )

    figures: dict[str, Figure] = {}
    first_line: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        fail = functools.partial(_row_error, filename, line)

        if None in row or any(v is None for v in row.values()):
            raise fail(
                "id",
                f"expected {len(reader.fieldnames)} fields separated by commas; quote any text that contains a comma",
            )
        cells = {k: (v or "").strip() for k, v in row.items()}

        fig_id = cells["id"]
        if not fig_id:
            raise fail("id", "missing; give the figure a short id such as uk_people_with_dementia_2024")
        if not _ID_PATTERN.match(fig_id):
            raise fail("id", f"'{fig_id}' must be lower case letters, digits and underscores, starting with a letter")
        if fig_id in figures:
            raise fail("id", f"duplicate id '{fig_id}' (first used on line {first_line[fig_id]}); ids must be unique")
        if not cells["statement"]:
            raise fail("statement", "missing; say in words what the figure measures")

        if not cells["value"]:
            raise fail("value", "missing; every figure needs a number")
        text = cells["value"]
        if "," in text:
            if not _THOUSANDS.fullmatch(text):
                raise fail(
                    "value",
                    f"'{text}' has a comma that is not a thousands separator; write decimals with a point "
                    "(7.1, not 7,1) and thousands as 982,000 or 982000",
                )
            text = text.replace(",", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise fail("value", f"'{cells['value']}' is not a number (write 982000 or 7.1, without units)") from None
        if not value.is_finite():
            raise fail("value", f"'{cells['value']}' is not a finite number")

        if cells["unit"] not in UNIT_FORMATS:
            raise fail("unit", f"'{cells['unit']}' is not a known unit; use one of {', '.join(UNIT_FORMATS)}")

        if not cells["year"]:
            raise fail("year", "missing; every figure needs the year it refers to")
        if not cells["year"].isdigit() or not EARLIEST_YEAR <= int(cells["year"]) <= LATEST_YEAR:
            raise fail("year", f"'{cells['year']}' is not a four-digit year between {EARLIEST_YEAR} and {LATEST_YEAR}")

        if not cells["source_key"]:
            raise fail("source_key", "missing; every figure needs a source from references.bib")
        if cells["source_key"] not in known_sources:
            raise fail(
                "source_key", f"unknown source '{cells['source_key']}'; add it to data/references.bib or fix the key"
            )

        figures[fig_id] = Figure(
            id=fig_id,
            statement=cells["statement"],
            value=value,
            unit=cells["unit"],
            year=int(cells["year"]),
            source_key=cells["source_key"],
            locator=cells["locator"],
            population=cells.get("population", ""),
        )
        first_line[fig_id] = line
    return figures


def bibliography_fields(bib_text: str) -> dict[str, dict[str, str]]:
    """A light reading of a BibTeX text: key -> {field: value}, outer braces removed."""
    entries: dict[str, dict[str, str]] = {}
    for match in _BIB_KEY_PATTERN.finditer(bib_text):
        fields: dict[str, str] = {}
        pos = match.end()
        while True:
            field = re.compile(r"\s*(\w+)\s*=\s*\{").match(bib_text, pos)
            if not field:
                break
            depth, i = 1, field.end()
            while depth and i < len(bib_text):
                depth += {"{": 1, "}": -1}.get(bib_text[i], 0)
                i += 1
            value = bib_text[field.end() : i - 1].replace("{", "").replace("}", "").replace("--", "\u2013")
            fields[field.group(1).lower()] = " ".join(value.split())
            pos = i
            comma = re.compile(r"\s*,").match(bib_text, pos)
            if not comma:
                break
            pos = comma.end()
        entries[match.group(1)] = fields
    return entries


def source_label(source_key: str) -> str:
    """A short human-readable name for a source: ``Prince et al. (2014), Dementia UK: Update``."""
    entry = _bibliography().get(source_key)
    if entry is None:
        raise DataError("data/references.bib", None, None, f"unknown source '{source_key}'; add it to the file")
    authors = [a.strip() for a in entry.get("author", "").split(" and ") if a.strip()]
    first = authors[0].split(",")[0] if authors else "Anonymous"
    many = len(authors) > 2 or "others" in authors  # BibTeX's "and others" is "et al."
    who = f"{first} et al." if many else " and ".join(a.split(",")[0] for a in authors) or first
    return f"{who} ({entry.get('year', 'n.d.')}), {entry.get('title', source_key)}"


@functools.lru_cache(maxsize=1)
def _bibliography() -> dict[str, dict[str, str]]:
    return bibliography_fields(data_path("references.bib").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def load_evidence() -> dict[str, Figure]:
    """The course's evidence table, validated against its bibliography (read once)."""
    csv_path = data_path("evidence.csv")
    return parse_evidence(csv_path.read_text(encoding="utf-8"), set(_bibliography()), filename="data/evidence.csv")


def figure(fig_id: str) -> Figure:
    """One figure by id, with a helpful message for an unknown id."""
    table = load_evidence()
    try:
        return table[fig_id]
    except KeyError:
        close = [k for k in table if k.startswith(fig_id.split("_")[0])][:5]
        hint = f"; similar ids: {', '.join(close)}" if close else ""
        raise DataError("data/evidence.csv", None, None, f"no figure with id '{fig_id}'{hint}") from None


# In the question banks (data/self-checks/, data/knowledge-check.json) a figure is written as a
# placeholder, filled from the table when the bank is read: "{fig:ID}" gives the value with its
# unit ("850,000 people", "16%"), "{value:ID}" the number alone ("982,000"). "{example:TEXT}"
# marks an amount that is not a figure about the world (a cost band, a sum in a worked example).
PLACEHOLDER = re.compile(r"\{(fig|value|example):([^{}]+)\}")


def number_text(fig: Figure) -> str:
    """The value alone, as the prose writes it: ``982,000``, ``7.1``."""
    if fig.value == fig.value.to_integral_value():
        return f"{int(fig.value):,}"
    return f"{fig.value.normalize():,f}"


def fill_placeholders(text: str, mark=None) -> str:
    """``text`` with each placeholder replaced by its figure (an unknown id raises DataError).

    ``mark(kind, fig_id, shown)`` may wrap what is shown, for example in an HTML span; ``kind``
    is "fig" for a figure from the table, "example" for an example amount (``fig_id`` is "")."""

    def replace(match: re.Match) -> str:
        kind, what = match.group(1), match.group(2).strip()
        if kind == "example":
            shown, fig_id = what, ""
        else:
            fig = figure(what)
            shown, fig_id = (fig.display() if kind == "fig" else number_text(fig)), fig.id
        return mark("example" if kind == "example" else "fig", fig_id, shown) if mark else shown

    return PLACEHOLDER.sub(replace, text)


def placeholder_ids(text: str) -> set[str]:
    """The evidence ids a text's placeholders name."""
    return {what.strip() for kind, what in PLACEHOLDER.findall(text) if kind != "example"}


RESERVE_COLUMNS = ("id", "reason")


def parse_reserve(
    csv_text: str, table: dict[str, Figure], filename: str = "data/evidence-reserve.csv"
) -> dict[str, str]:
    """Rows of the evidence table kept in reserve (checked and sourced, not used on any page
    yet): id -> why it is kept. Every id must be a row of the table and have a reason."""
    reader = csv.DictReader(io.StringIO(csv_text))
    if tuple(reader.fieldnames or ()) != RESERVE_COLUMNS:
        raise DataError(filename, 1, None, f"the header must be {','.join(RESERVE_COLUMNS)}")
    reserve: dict[str, str] = {}
    for row in reader:
        fail = functools.partial(_row_error, filename, reader.line_num)
        fig_id, reason = (row.get("id") or "").strip(), (row.get("reason") or "").strip()
        if fig_id not in table:
            raise fail("id", f"'{fig_id}' is not a row of data/evidence.csv")
        if fig_id in reserve:
            raise fail("id", f"'{fig_id}' is listed twice")
        if not reason:
            raise fail("reason", "missing; say why the figure is kept though no page uses it")
        reserve[fig_id] = reason
    return reserve


def load_reserve() -> dict[str, str]:
    """The reserve list, data/evidence-reserve.csv, checked against the evidence table."""
    path = data_path("evidence-reserve.csv")
    return parse_reserve(path.read_text(encoding="utf-8"), load_evidence())
