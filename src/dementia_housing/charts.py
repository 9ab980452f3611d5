"""Accessible SVG charts for the interactive tools, drawn with pygal (pure Python).

Every chart is an inline SVG with ``role="img"``, a ``<title>`` and a ``<desc>`` that says
in words what it shows; each tool also shows the same numbers as a table. The SVG is
deterministic (a fixed element id, no timestamp comment) so notebook outputs reproduce, and
it references no remote script or font.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

import pygal
from pygal.style import Style

_UUID_ID = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# pygal writes an inline config script even with js=[]; the course's charts need no script.
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_SAFE_ID = re.compile(r"^[a-z][a-z0-9-]*$")

# Colours chosen for contrast against white (WCAG AA for text and graphics).
COURSE_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#52606d",
    colors=("#1d5b79", "#b3541e", "#3b7d23", "#6b3fa0"),
    font_family="system-ui, sans-serif",
    title_font_size=16,
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=13,
    legend_font_size=13,
)


def horizontal_bar_svg(
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    value_format: str = "{:.1f}",
) -> str:
    """A horizontal bar chart as an accessible, deterministic inline SVG string."""
    if not _SAFE_ID.match(chart_id):
        raise ValueError(f"chart id {chart_id!r} must be lower case letters, digits and hyphens")
    chart = pygal.HorizontalBar(
        js=[],
        style=COURSE_STYLE,
        title=title,
        width=640,
        height=120 + 36 * len(labels),
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        print_values=True,
        value_formatter=lambda v: value_format.format(v),
        disable_xml_declaration=True,
    )
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    svg = chart.render(is_unicode=True)
    svg = _SCRIPT.sub("", _COMMENT.sub("", svg))
    svg = _UUID_ID.sub(f"chart-{chart_id}", svg)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    accessible_open = f'<svg role="img" aria-labelledby="{title_id} {desc_id}" style="max-width:100%;height:auto" '
    svg = svg.replace("<svg ", accessible_open, 1)
    head_end = svg.index(">") + 1
    return (
        svg[:head_end]
        + f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(description)}</desc>'
        + svg[head_end:]
    )
