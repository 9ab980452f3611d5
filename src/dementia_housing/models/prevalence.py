"""Prevalence estimator: how many residents of a scheme or area may be living with dementia.

Applies published age-specific prevalence rates (Dementia UK: Update, 2014, rates for 2013)
to an age profile. The result is what a general population of that age would show on
average: it is a planning figure and a prompt for conversation, never a diagnosis of anyone.

Standard library only: this module also runs in the reader's browser (Pyodide).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..content.evidence import Figure, figure

# Age bands in order, each with the evidence-table id of its prevalence rate.
AGE_BANDS: tuple[tuple[str, str], ...] = (
    ("65-69", "prevalence_rate_65_69"),
    ("70-74", "prevalence_rate_70_74"),
    ("75-79", "prevalence_rate_75_79"),
    ("80-84", "prevalence_rate_80_84"),
    ("85-89", "prevalence_rate_85_89"),
    ("90-94", "prevalence_rate_90_94"),
    ("95+", "prevalence_rate_95_plus"),
)
BAND_LABELS = tuple(band for band, _ in AGE_BANDS)

# The most people one age band may hold: more is surely a typing slip (and would print absurd numbers).
MAX_COUNT = 100_000
_DIGITS = re.compile(r"-?[0-9]+")

# z for a two-sided 95% interval.
_Z95 = 1.96


@dataclass(frozen=True)
class BandRate:
    """The prevalence rate for one age band, with its evidence row."""

    band: str
    evidence: Figure

    @property
    def proportion(self) -> float:
        return self.evidence.number / 100


@dataclass(frozen=True)
class BandEstimate:
    band: str
    residents: int
    rate_percent: float
    expected: float


@dataclass(frozen=True)
class Estimate:
    """The expected number living with dementia, by band and in total, with its source."""

    bands: tuple[BandEstimate, ...]
    total_residents: int
    expected: float
    low: int
    high: int
    source_key: str
    rates_year: int

    @property
    def expected_whole(self) -> int:
        """The expected number rounded to a whole person, for plain-language summaries."""
        return int(math.floor(self.expected + 0.5))


@dataclass(frozen=True)
class Comparison:
    """Known diagnoses set against the estimate, with a plain-language reading."""

    known: int
    expected: float
    gap: float
    reading: str


def band_rates() -> tuple[BandRate, ...]:
    """The age-band rates from the evidence table, youngest first."""
    return tuple(BandRate(band, figure(fig_id)) for band, fig_id in AGE_BANDS)


def parse_count(label: str, raw: object) -> int:
    """Read a number of people typed into a form; raise ValueError saying how to fix it.

    A count must be a whole number from 0 to :data:`MAX_COUNT`: more than that is surely a
    typing slip for one age band of a scheme, patch or area. Commas as thousands separators are
    fine. Each message says what was typed, with thousands separators and never as ``1e+10``.
    """
    whole = f"enter a whole number from 0 to {MAX_COUNT:,}"
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        shown = raw if isinstance(raw, bool) else type(raw).__name__
        raise ValueError(f"{label}: enter a number of people, such as 12 (got {shown})")
    if isinstance(raw, str):
        shown = raw.strip()
        plain = shown.replace(",", "")
        if not plain:
            raise ValueError(f"{label}: this is blank; enter 0 if there is nobody")
        if _DIGITS.fullmatch(plain):
            if len(plain.lstrip("-0")) > 30:  # far too big to be worth converting
                raise ValueError(f"{label}: {whole} (you typed {shown})")
            number: float = int(plain)
            shown = f"{number:,}"
        else:
            try:
                number = float(plain)
            except ValueError:
                number = math.nan
    else:
        number = raw
        shown = f"{int(raw):,}" if isinstance(raw, int) or raw.is_integer() else f"{raw:,}"
    if not math.isfinite(number):
        raise ValueError(f"{label}: {whole}, such as 12 (you typed '{shown}', which is not a number)")
    if number < 0:
        raise ValueError(f"{label}: enter 0 or more (you typed {shown})")
    if number != int(number):
        raise ValueError(f"{label}: people are counted in whole numbers; {whole} (you typed {shown})")
    if number > MAX_COUNT:
        raise ValueError(f"{label}: {whole} (you typed {shown})")
    return int(number)


def estimate(residents: Mapping[str, object]) -> Estimate:
    """Expected number living with dementia for residents counted by age band.

    ``residents`` maps band labels (``"65-69"`` … ``"95+"``) to whole numbers of people;
    a band left out counts as nobody. Raises ValueError naming the band for bad input.
    """
    unknown = [band for band in residents if band not in BAND_LABELS]
    if unknown:
        raise ValueError(f"unknown age band(s) {', '.join(map(str, unknown))}; use {', '.join(BAND_LABELS)}")
    rates = band_rates()
    rows = []
    variance = 0.0
    for rate in rates:
        count = parse_count(f"age band {rate.band}", residents.get(rate.band, 0))
        expected = count * rate.proportion
        variance += count * rate.proportion * (1 - rate.proportion)
        rows.append(BandEstimate(rate.band, count, rate.evidence.number, expected))
    expected_total = sum(r.expected for r in rows)
    spread = _Z95 * math.sqrt(variance)
    source_keys = {r.evidence.source_key for r in rates}
    years = {r.evidence.year for r in rates}
    if len(source_keys) != 1 or len(years) != 1:
        raise ValueError("the age-band rates must come from one source and year; check evidence.csv")
    return Estimate(
        bands=tuple(rows),
        total_residents=sum(r.residents for r in rows),
        expected=expected_total,
        low=max(0, math.floor(expected_total - spread)),
        high=math.ceil(expected_total + spread),
        source_key=source_keys.pop(),
        rates_year=years.pop(),
    )


def compare_with_known(result: Estimate, known: object) -> Comparison:
    """Set known diagnoses against the estimate and say, carefully, what the gap may mean."""
    known_count = parse_count("known diagnoses", known)
    if known_count > result.total_residents:
        raise ValueError(
            f"known diagnoses: {known_count:,} is more than the {result.total_residents:,} residents entered; "
            "check both"
        )
    gap = result.expected - known_count
    if result.total_residents == 0:
        reading = "Enter the residents' ages to compare known diagnoses with the estimate."
    elif known_count < result.low:
        reading = (
            "Fewer people have a known diagnosis than the population rates would suggest. Some residents may be "
            "living with undiagnosed dementia, or the scheme may differ from the general population. Use it as a "
            "prompt for conversations and signposting to a GP or memory service, never as a label on anyone."
        )
    elif known_count > result.high:
        reading = (
            "More people have a known diagnosis than the population rates would suggest. Schemes that offer care "
            "on site, such as extra care, often house more people living with dementia than the general "
            "population. Check that support and the environment match the residents' needs."
        )
    else:
        reading = "Known diagnoses are in line with what the population rates would suggest for these ages."
    return Comparison(known=known_count, expected=result.expected, gap=gap, reading=reading)
