"""The fictional district of chapter 6's needs assessment: read its data and compare by ward.

The files in ``data/jsna/`` describe Ashworth District, which does not exist: every number in
them is invented for teaching (see ``data/jsna/README.md``). This module reads them, checks them
(a mistake raises :class:`~.datafiles.DataError` naming the file, the line and the field), and
sets the course's prevalence estimate for each ward beside its known diagnoses and its
specialist housing. The estimate comes from :func:`dementia_housing.models.prevalence.estimate`:
the rates are never repeated here.

A ward's gap (estimate minus known diagnoses) is a prompt for partnership work, never a count
of particular people. Standard library only.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..models import prevalence
from .datafiles import DataError
from .evidence import data_path

POPULATION = "jsna/ashworth-fictional-population.csv"
HOUSING = "jsna/ashworth-fictional-housing.csv"
DIAGNOSES = "jsna/ashworth-fictional-diagnoses.csv"
FILES = (POPULATION, HOUSING, DIAGNOSES)
DISTRICT = "Ashworth District (fictional)"

# Age bands from 75 on: the base for specialist housing per 100 older people.
OLDER_BANDS = tuple(band for band in prevalence.BAND_LABELS if band not in ("65-69", "70-74"))


@dataclass(frozen=True)
class WardRow:
    """One ward's comparison for one year of population."""

    ward: str
    year: int
    people_65_plus: int
    people_75_plus: int
    expected: float
    low: int
    high: int
    known_diagnoses: int
    diagnoses_year: int
    sheltered_units: int
    extra_care_units: int

    @property
    def gap(self) -> float:
        """Estimate minus known diagnoses: a prompt for partnership work, not a count of people."""
        return self.expected - self.known_diagnoses

    @property
    def diagnosed_share(self) -> float:
        """Known diagnoses as a percentage of the estimate (0 when the estimate is 0)."""
        return 100 * self.known_diagnoses / self.expected if self.expected else 0.0

    @property
    def specialist_per_100_aged_75_plus(self) -> float:
        """Sheltered and extra care units together, per 100 people aged 75 and over."""
        units = self.sheltered_units + self.extra_care_units
        return 100 * units / self.people_75_plus if self.people_75_plus else 0.0

    @property
    def extra_care_per_100_aged_75_plus(self) -> float:
        return 100 * self.extra_care_units / self.people_75_plus if self.people_75_plus else 0.0


def _rows(name: str, text: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    filename = f"data/{name}"
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise DataError(
            filename, 1, None, f"missing column(s) {', '.join(missing)}; the header must be {','.join(columns)}"
        )
    return [(reader.line_num, row) for row in reader]


def _whole(name: str, line: int, row: dict[str, str], field: str) -> int:
    raw = (row.get(field) or "").strip()
    if not raw.isdigit():
        raise DataError(f"data/{name}", line, field, f"'{raw}' is not a whole number of 0 or more")
    return int(raw)


def _ward(name: str, line: int, row: dict[str, str]) -> str:
    ward = (row.get("ward") or "").strip()
    if not ward:
        raise DataError(f"data/{name}", line, "ward", "missing or empty; write the ward's name")
    return ward


def read_population(text: str) -> dict[tuple[str, int], dict[str, int]]:
    """People by (ward, year) and age band. Every band must appear once for each ward and year."""
    table: dict[tuple[str, int], dict[str, int]] = {}
    for line, row in _rows(POPULATION, text, ("ward", "year", "age_band", "people")):
        ward, year = _ward(POPULATION, line, row), _whole(POPULATION, line, row, "year")
        band = (row.get("age_band") or "").strip()
        if band not in prevalence.BAND_LABELS:
            raise DataError(
                f"data/{POPULATION}", line, "age_band", f"'{band}' is not one of {', '.join(prevalence.BAND_LABELS)}"
            )
        bands = table.setdefault((ward, year), {})
        if band in bands:
            raise DataError(f"data/{POPULATION}", line, "age_band", f"{ward} {year} {band} is given twice")
        bands[band] = _whole(POPULATION, line, row, "people")
    for (ward, year), bands in table.items():
        absent = [b for b in prevalence.BAND_LABELS if b not in bands]
        if absent:
            raise DataError(f"data/{POPULATION}", None, None, f"{ward} {year} has no row for {', '.join(absent)}")
    return table


def read_by_ward(name: str, text: str, fields: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """One row per ward of whole numbers (``year`` and ``fields``)."""
    table: dict[str, dict[str, int]] = {}
    for line, row in _rows(name, text, ("ward", "year", *fields)):
        ward = _ward(name, line, row)
        if ward in table:
            raise DataError(f"data/{name}", line, "ward", f"{ward} is given twice")
        table[ward] = {field: _whole(name, line, row, field) for field in ("year", *fields)}
    return table


def compare(population_text: str, housing_text: str, diagnoses_text: str, year: int) -> list[WardRow]:
    """Each ward's estimate for ``year`` beside its known diagnoses and specialist housing."""
    population = read_population(population_text)
    housing = read_by_ward(HOUSING, housing_text, ("sheltered_units", "extra_care_units"))
    diagnoses = read_by_ward(DIAGNOSES, diagnoses_text, ("known_diagnoses_65_plus",))
    wards = [ward for ward, y in population if y == year]
    if not wards:
        years = sorted({y for _, y in population})
        raise ValueError(f"no population for {year}; the years given are {', '.join(map(str, years))}")
    for name, table in ((HOUSING, housing), (DIAGNOSES, diagnoses)):
        if set(table) != set(wards):
            raise DataError(
                f"data/{name}", None, "ward", f"the wards must be those of the population file: {', '.join(wards)}"
            )
    rows = []
    for ward in wards:
        bands = population[(ward, year)]
        result = prevalence.estimate(bands)
        known = diagnoses[ward]["known_diagnoses_65_plus"]
        if known > result.total_residents:
            raise DataError(
                f"data/{DIAGNOSES}", None, "known_diagnoses_65_plus", f"{ward}: more diagnoses than residents"
            )
        rows.append(
            WardRow(
                ward=ward,
                year=year,
                people_65_plus=result.total_residents,
                people_75_plus=sum(bands[b] for b in OLDER_BANDS),
                expected=result.expected,
                low=result.low,
                high=result.high,
                known_diagnoses=known,
                diagnoses_year=diagnoses[ward]["year"],
                sheltered_units=housing[ward]["sheltered_units"],
                extra_care_units=housing[ward]["extra_care_units"],
            )
        )
    return rows


def path(name: str) -> Path:
    """Where one of the district's files is (as the evidence table is found)."""
    return data_path(name)


def load(year: int) -> list[WardRow]:
    """The comparison for ``year`` from the shipped files."""
    texts = [path(name).read_text(encoding="utf-8") for name in FILES]
    return compare(*texts, year=year)


def district_total(rows: list[WardRow]) -> WardRow:
    """The whole district as one row.

    Its estimate is the sum of the wards' (the same as estimating the summed bands). Its ``low``
    and ``high`` are 0: a rough range for the district is not the sum of the wards' ranges, and
    the page shows ranges for wards only."""
    years = {r.year for r in rows}
    return WardRow(
        ward=DISTRICT,
        year=years.pop() if len(years) == 1 else 0,
        people_65_plus=sum(r.people_65_plus for r in rows),
        people_75_plus=sum(r.people_75_plus for r in rows),
        expected=sum(r.expected for r in rows),
        low=0,
        high=0,
        known_diagnoses=sum(r.known_diagnoses for r in rows),
        diagnoses_year=max(r.diagnoses_year for r in rows),
        sheltered_units=sum(r.sheltered_units for r in rows),
        extra_care_units=sum(r.extra_care_units for r in rows),
    )
