"""The CSV copy every tool offers for download: one shape for all (standard library only)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

BOM = "\ufeff"  # so that spreadsheet programs read the file as UTF-8


def typed(text: str) -> str:
    """Text a learner typed, as a cell: text starting with = + - or @ is never run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows (the header first) as CSV text with a BOM."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return BOM + out.getvalue()
