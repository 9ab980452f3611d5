"""The environment audit, live: score one item and wait for the model's fixes; then choose
"Needs attention now" with no reason and wait for the model's message beside the field."""

from __future__ import annotations

import pytest

from dementia_housing.models import environment_audit as model
from dementia_housing.views.environment_audit import WORKED_EXAMPLE


def as_shown(label: str) -> str:
    """An option's label as the widget writes it (spaces as no-break spaces), for select_option."""
    return label.replace(" ", "\xa0")


def check(page, area) -> None:
    audit = model.audit_of(**WORKED_EXAMPLE)
    unscored = [i for i in model.items(audit.kind, audit.mode) if audit.mark(i.id) is None]

    # "Could be better" on an item not looked at yet: the fixes are the model's, in its order.
    first = unscored[0]
    area.get_by_label(first.name, exact=True).select_option(label=as_shown(model.SCORE_WORDS[1]))
    audit = model.score(audit, first.id, 1)
    expected = model.result(audit)
    area.get_by_text(f"Prioritised fixes: {len(expected.fixes)}, most urgent first").wait_for()
    fix = expected.fix(first.id)
    row = area.locator("table.dh-table tr", has_text=f"{fix.area.name}: {first.name}")
    assert row.locator("th").inner_text() == str(fix.rank)

    # "Needs attention now" with no reason: the model's message, beside the field.
    second = unscored[1]
    area.get_by_label(second.name, exact=True).select_option(label=as_shown(model.SCORE_WORDS[0]))
    with pytest.raises(model.AuditError) as problem:
        model.score(audit, second.id, 0, "")
    area.locator(".dh-field-error").get_by_text(problem.value.message).wait_for()
