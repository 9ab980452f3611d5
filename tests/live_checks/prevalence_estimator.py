"""The prevalence estimator, live: change a band, compare with the model; a bad count, or an
implausibly large one, is refused beside its field, in the page's own text size."""

from __future__ import annotations

import pytest

from dementia_housing.models import prevalence
from dementia_housing.views.prevalence import WORKED_EXAMPLE, band_title


def check(page, area) -> None:
    field = area.get_by_label(band_title("95+"), exact=True)
    assert field.input_value() == str(WORKED_EXAMPLE["95+"])
    field.fill("40")
    field.press("Enter")
    expected = prevalence.estimate({**WORKED_EXAMPLE, "95+": 40})
    summary = area.locator(".dh-summary")
    summary.get_by_text(f"of the {expected.total_residents} people entered").wait_for()
    assert f"About {expected.expected_whole} people" in summary.inner_text()
    assert f"estimate {expected.expected:.1f}" in summary.inner_text()

    band = area.get_by_label(band_title("80-84"), exact=True)
    band.fill("2.5")
    band.press("Tab")
    with pytest.raises(ValueError) as reason:
        prevalence.parse_count(band_title("80-84"), "2.5")
    area.get_by_text(str(reason.value)).wait_for()
    assert band.input_value() == "2.5"

    # Far too many people: refused in plain words, with separators, never as 1.83e+10.
    field.fill("99,999,999,999")
    field.press("Enter")
    with pytest.raises(ValueError) as reason:
        prevalence.parse_count(band_title("95+"), "99,999,999,999")
    assert "(you typed 99,999,999,999)" in str(reason.value)
    message = area.get_by_text(str(reason.value))
    message.wait_for()
    assert "e+" not in area.inner_text()
    size, body, width = message.evaluate(
        "m => [getComputedStyle(m).fontSize, getComputedStyle(document.body).fontSize, m.getBoundingClientRect().width]"
    )
    assert size == body, "a message is in the page's own text size"
    assert width > 250, "a message is a readable line, not a squeezed column"
