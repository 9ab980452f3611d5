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
from pygal.adapters import positive
from pygal.graph.graph import Graph
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


def _course_options(title: str, series: Sequence, value_format: str) -> dict:
    """Options every course chart shares: no scripts, course colours, values printed."""
    return {
        "js": [],
        "style": COURSE_STYLE,
        "title": title,
        "show_legend": len(series) > 1,
        "legend_at_bottom": True,
        "print_values": True,
        "value_formatter": lambda v: value_format.format(v),
        "disable_xml_declaration": True,
    }


def horizontal_bar_svg(
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    value_format: str = "{:.1f}",
) -> str:
    """A horizontal bar chart as an accessible, deterministic inline SVG string."""
    _check_chart_id(chart_id)
    chart = pygal.HorizontalBar(
        width=640, height=120 + 36 * len(labels), **_course_options(title, series, value_format)
    )
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return _accessible_svg(chart, chart_id, title, description)


class _RadarWithGaps(pygal.Radar):
    """pygal's radar, with two changes: a missing value (None) stays a gap instead of being
    drawn as 0, and the axis labels stay upright, set beside the chart rather than over it."""

    _adapters = [positive]

    def _x_axis(self, draw_axes: bool = True) -> None:
        super()._x_axis(draw_axes)
        centre_x = self.view((0, 0))[0]
        for group in self.nodes["plot"]:
            if not group.get("class", "").startswith("axis x web"):
                continue
            for label in group.iter("text"):
                label.attrib.pop("transform", None)
                x = float(label.get("x"))
                anchor = "end" if x < centre_x - 1 else "start" if x > centre_x + 1 else "middle"
                label.set("style", f"text-anchor:{anchor}")


def radar_svg(
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    maximum: float,
    value_format: str = "{:.1f}",
) -> str:
    """A radar (spider) chart from 0 to ``maximum`` as an accessible, deterministic inline SVG.

    A value of ``None`` means "no value": no point is drawn on that axis, and a series with a
    gap is drawn as points only, because an outline through the gap would suggest a value
    there. Say in ``description`` which values are missing. The rings are whole numbers from
    0 to ``maximum``.
    """
    _check_chart_id(chart_id)
    if len(labels) < 3:
        raise ValueError(f"a radar chart needs at least 3 axes, got {len(labels)}")
    chart = _RadarWithGaps(
        width=660,
        height=400,
        margin=16,
        # room for the upright labels of the left and right axes
        margin_left=150,
        margin_right=150,
        range=(0, maximum),
        y_labels=[{"value": n, "label": str(n)} for n in range(int(maximum) + 1)],
        truncate_label=-1,
        **_course_options(title, series, value_format),
    )
    chart.x_labels = list(labels)
    for name, values in series:
        values = list(values)
        if len(values) != len(labels):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(labels)} axes")
        complete = None not in values
        chart.add(name, values, fill=complete, stroke=complete)
    return _accessible_svg(chart, chart_id, title, description)


def _check_chart_id(chart_id: str) -> None:
    if not _SAFE_ID.match(chart_id):
        raise ValueError(f"chart id {chart_id!r} must be lower case letters, digits and hyphens")


def _accessible_svg(chart: Graph, chart_id: str, title: str, description: str) -> str:
    """Render a pygal chart with no script or comment, a fixed id, role=img, title and desc."""
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
