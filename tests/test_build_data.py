"""The built site cannot disagree with the evidence table, and a bad row is reported once."""

from __future__ import annotations

import os
import re

import pytest
from helpers import build_book, course_copy

pytestmark = pytest.mark.build
RATE_ID = "prevalence_rate_95_plus"


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if k != "DEMENTIA_HOUSING_DATA"}


def _set_value(course, fig_id: str, new_value: str) -> str:
    """Change one figure's value in the copy's evidence table; return the old value."""
    path = course / "data" / "evidence.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith(f"{fig_id},"):
            fields = line.split(",")
            old = fields[2]
            fields[2] = new_value
            lines[index] = ",".join(fields)
            path.write_text("".join(lines), encoding="utf-8")
            return old
    raise AssertionError(f"{fig_id} not in evidence.csv")


def test_a_changed_figure_reaches_the_text_and_the_tools_worked_example(tmp_path):
    course = course_copy(tmp_path)
    first = build_book(course, tmp_path / "out", _env())  # a build whose outputs could be reused
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    old = _set_value(course, RATE_ID, "51.1")  # data changes, code cells do not
    built = build_book(course, tmp_path / "out", _env())
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    page = (tmp_path / "out" / "_build" / "html" / "book" / "tools" / "prevalence-estimator.html").read_text()
    outputs = "".join(re.findall(r'<div class="cell_output.*?</div>\s*</div>', page, flags=re.DOTALL))
    assert "51.1" in outputs, "the worked example still shows the old rate"
    assert f"{old}%" not in page, f"the page still shows the old {old}% somewhere"


def test_a_bad_row_stops_the_build_with_one_error_naming_its_line(tmp_path):
    course = course_copy(tmp_path)
    _set_value(course, RATE_ID, '"41,1"')  # a decimal comma, as a spreadsheet in some locales writes it
    line = next(
        n
        for n, text in enumerate((course / "data" / "evidence.csv").read_text().splitlines(), start=1)
        if text.startswith(RATE_ID)
    )
    built = build_book(course, tmp_path / "out", _env())
    log = built.stdout + built.stderr
    assert built.returncode != 0
    errors = [text for text in log.splitlines() if "data/evidence.csv:" in text and "sphinx.errors" not in text]
    assert len(errors) == 1, errors  # once, not once per figure that uses the table (69 before)
    assert f"data/evidence.csv:{line}, field 'value'" in errors[0] and "not a thousands separator" in errors[0]
