"""The course's diagrams, drawn at build time from ``data/diagrams.json`` as inline SVG.

Each diagram is data: an id, a title, a one-sentence summary (``alt``), a credit and the
citation key of its originator, an opening text and its labelled parts, each with a short line
in plain words. :func:`diagram_svg` draws it and :func:`text_equivalent_html` writes the same
content as a list, so a reader who cannot see the picture loses nothing: every word in the
picture is in the list.

The SVG is deterministic (same data, same bytes), needs no script or font from anywhere,
and is accessible: ``role="img"``, ``aria-labelledby`` naming its own ``<title>`` and
``<desc>``, ids prefixed with the diagram's id (so four diagrams can share a page), labels on
every shape (colour never tells parts apart on its own), text at least 14 px on a 390 px phone
and colours from the course palette with enough contrast (text 4.5:1, shapes 3:1).

A mistake in the data raises :class:`~.datafiles.DataError` naming ``data/diagrams.json``, the
line and the field. Standard library only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html import escape

from . import datafiles, evidence

FILE = "data/diagrams.json"

# The course palette (views.charts.COURSE_STYLE; a test keeps the two the same). Not imported
# from there: views.charts needs pygal, and this module is standard library only.
PALETTE = ("#1d5b79", "#b3541e", "#3b7d23", "#6b3fa0")
INK = "#1f2933"
SUBTLE = "#52606d"
PAPER = "#ffffff"
FONT = "system-ui, sans-serif"

WIDTH = 400  # the viewBox width; the picture is shown at most MAX_WIDTH wide, and narrower on a phone
MAX_WIDTH = "30rem"
TEXT_SIZE = 17  # SVG units: 14.4 px when the picture is 340 px wide (a 390 px phone's text column)
MARK_SIZE = 22
LINE_GAP = 21
# Width of a character, as a share of the type size, for wrapping labels: generous for wide
# sans-serif faces such as DejaVu Sans, so that a label never runs out of its shape.
CHAR_WIDTH = 0.57
BOLD_CHAR_WIDTH = 0.64

# Each layout and the number of parts it draws; "centre" says whether it has a centre part.
LAYOUTS = {
    "factors": {"parts": 5, "centre": True},  # five boxes feeding into one: the enriched model
    "flower": {"parts": 5, "centre": True},  # five petals around a centre: the psychological needs
    "boxes": {"parts": 4, "centre": False},  # lettered boxes, a meaning in each: VIPS
    "partners": {"parts": 3, "centre": True},  # three overlapping circles, the person in the middle
}
_ID = re.compile(r"^[a-z][a-z0-9-]*$")
_MARK = re.compile(r"^[A-Z]{1,3}$")
MAX_ALT = 250


@dataclass(frozen=True)
class Part:
    label: str
    line: str
    mark: str = ""


@dataclass(frozen=True)
class Diagram:
    id: str
    layout: str
    title: str
    alt: str
    credit: str
    cite: str
    text: str
    parts: tuple[Part, ...]
    centre: Part | None = None

    @property
    def prefix(self) -> str:
        """Every id in the diagram's SVG starts with this."""
        return f"{self.id}-diagram"


# --- reading and checking the data ---------------------------------------------------------


def _part(entry: datafiles.Entry, mark_required: bool) -> Part:
    entry.object("label", "line")
    mark = entry.optional_text("mark")
    if mark_required and not mark:
        raise entry.error("missing; this layout shows a letter for every part, so give each a 'mark'", "mark")
    if mark and not _MARK.match(mark):
        raise entry.error(f"'{mark}' must be one to three capital letters, such as V or NI", "mark")
    return Part(label=entry.text("label"), line=entry.text("line"), mark=mark)


def parse_diagrams(data: object, known_sources: set[str] | None = None) -> dict[str, Diagram]:
    """Validate the diagrams file: an :class:`Entry` from it, or data already read from JSON.

    ``known_sources`` are the citation keys of ``data/references.bib`` (read from it if None).
    """
    root = datafiles.entry_of(data, FILE).object("diagrams")
    sources = set(evidence._bibliography()) if known_sources is None else known_sources
    diagrams: dict[str, Diagram] = {}
    for entry in root["diagrams"].items(what="diagram"):
        entry.object("id", "layout", "title", "alt", "credit", "cite", "text", "parts")
        diagram_id = entry.text("id")
        if not _ID.match(diagram_id):
            raise entry.error(f"'{diagram_id}' must be lower case letters, digits and hyphens", "id")
        if diagram_id in diagrams:
            raise entry.error(f"duplicate id '{diagram_id}'; each diagram's id is unique", "id")
        layout = entry.text("layout")
        if layout not in LAYOUTS:
            raise entry.error(f"'{layout}' must be one of {', '.join(LAYOUTS)}", "layout")
        shape = LAYOUTS[layout]
        alt = entry.text("alt")
        if len(alt) > MAX_ALT:
            raise entry.error(f"{len(alt)} characters; keep the summary under {MAX_ALT}", "alt")
        if not alt.endswith(".") or re.search(r"[.!?] ", alt):
            raise entry.error("write the summary as one sentence ending in a full stop", "alt")
        cite = entry.text("cite")
        if cite not in sources:
            raise entry.error(f"unknown source '{cite}'; add it to data/references.bib first", "cite")
        count = shape["parts"]
        raw_parts = entry["parts"].items(at_least=count, at_most=count, what="part")
        parts = tuple(_part(part, mark_required=layout == "boxes") for part in raw_parts)
        labels = [part.label for part in parts]
        for index, label in enumerate(labels):
            if label in labels[:index]:
                raise raw_parts[index].error(f"'{label}' appears twice; each part's label is unique", "label")
        centre_entry = entry.get("centre")
        if shape["centre"] and centre_entry is None:
            raise entry.error("missing; this layout draws a centre part, so describe it", "centre")
        if not shape["centre"] and centre_entry is not None:
            raise entry.error(f"the '{layout}' layout has no centre; remove it", "centre")
        diagrams[diagram_id] = Diagram(
            id=diagram_id,
            layout=layout,
            title=entry.text("title"),
            alt=alt,
            credit=entry.text("credit"),
            cite=cite,
            text=entry.text("text"),
            parts=parts,
            centre=_part(centre_entry, mark_required=False) if centre_entry is not None else None,
        )
    return diagrams


def load_diagrams() -> dict[str, Diagram]:
    """Load and validate ``data/diagrams.json``."""
    return parse_diagrams(datafiles.load("diagrams.json"))


def load_diagram(diagram_id: str) -> Diagram:
    """One diagram by id; an unknown id is a DataError that lists the ids there are."""
    diagrams = load_diagrams()
    if diagram_id not in diagrams:
        raise datafiles.DataError(
            FILE, None, None, f"no diagram with id '{diagram_id}'; the ids are {', '.join(diagrams)}"
        )
    return diagrams[diagram_id]


# --- colour -----------------------------------------------------------------------------------


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def tint(colour: str, share: float = 0.16) -> str:
    """``colour`` mixed with white: ``share`` of the colour, the rest white."""
    return "#" + "".join(f"{round(share * c + (1 - share) * 255):02x}" for c in _rgb(colour))


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# --- drawing ------------------------------------------------------------------------------------


def wrap(text: str, width: float, size: float = TEXT_SIZE, bold: bool = False) -> list[str]:
    """``text`` broken into lines at spaces, each estimated to fit ``width`` units."""
    room = max(1, int(width / (size * (BOLD_CHAR_WIDTH if bold else CHAR_WIDTH))))
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _n(value: float) -> str:
    """A coordinate, written the same way every time (at most one decimal place)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


class _Canvas:
    """Collects the elements of one diagram, in painting order."""

    def __init__(self, diagram: Diagram) -> None:
        self.diagram = diagram
        self.shapes: list[str] = []
        self.outlines: list[str] = []
        self.labels: list[str] = []

    def shape(self, tag: str, part: str, fill: str, stroke: str, stroke_width: float = 2, **geometry) -> None:
        attrs = " ".join(f'{key.replace("_", "-")}="{value}"' for key, value in geometry.items())
        self.shapes.append(
            f'<{tag} {attrs} fill="{fill}" stroke="{stroke}" stroke-width="{_n(stroke_width)}" data-part="{part}"/>'
        )

    def text(
        self,
        x: float,
        y: float,
        words: str,
        part: str,
        size: float = TEXT_SIZE,
        bold: bool = False,
        fill: str = INK,
        anchor: str = "middle",
    ) -> None:
        weight = ' font-weight="700"' if bold else ""
        self.labels.append(
            f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}"{weight} fill="{fill}" '
            f'text-anchor="{anchor}" data-part="{part}">{escape(words)}</text>'
        )

    def lines(self, x: float, top: float, lines: list[str], part: str, **style) -> float:
        """Lines of text from ``top`` down (``top`` is the first line's middle); returns the next top."""
        size = style.get("size", TEXT_SIZE)
        for line in lines:
            self.text(x, top + 0.35 * size, line, part, **style)
            top += LINE_GAP * size / TEXT_SIZE
        return top

    def svg(self, height: float, defs: str = "") -> str:
        d, prefix = self.diagram, self.diagram.prefix
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" id="{prefix}" class="dh-diagram-svg" '
            f'viewBox="0 0 {WIDTH} {_n(height)}" width="100%" role="img" '
            f'aria-labelledby="{prefix}-title {prefix}-desc" font-family="{FONT}" '
            f'style="display:block;max-width:{MAX_WIDTH};height:auto;margin:0 auto;background:{PAPER}">'
            f'<title id="{prefix}-title">{escape(d.title)}</title>'
            f'<desc id="{prefix}-desc">{escape(d.alt)}</desc>'
        )
        defs = f"<defs>{defs}</defs>" if defs else ""
        body = "".join(self.shapes) + "".join(self.outlines) + "".join(self.labels)
        return head + defs + body + "</svg>"


def _lines_height(count: int, size: float = TEXT_SIZE) -> float:
    return count * LINE_GAP * size / TEXT_SIZE


def _factors(canvas: _Canvas) -> str:
    """Five boxes down the left, each with an arrow into one tall box on the right."""
    d = canvas.diagram
    margin, gap, left_width, right_x = 8, 10, 226, 266
    right_width = WIDTH - margin - right_x
    label_x, label_width = margin + 56, left_width - 56 - 8
    wrapped = [wrap(part.label, label_width, bold=True) for part in d.parts]
    heights = [max(58, _lines_height(len(lines)) + 22) for lines in wrapped]
    top = margin
    arrow_id = f"{d.prefix}-arrow"
    arrows = []
    for index, (part, lines, height) in enumerate(zip(d.parts, wrapped, heights, strict=True)):
        colour = PALETTE[index % len(PALETTE)]
        canvas.shape(
            "rect", str(index), tint(colour), colour, x=margin, y=_n(top), width=left_width, height=_n(height), rx=8
        )
        middle = top + height / 2
        if part.mark:
            canvas.text(margin + 28, middle + 0.35 * MARK_SIZE, part.mark, str(index), size=MARK_SIZE, bold=True)
        canvas.lines(
            label_x, middle - _lines_height(len(lines)) / 2 + LINE_GAP / 2, lines, str(index), bold=True, anchor="start"
        )
        arrows.append(
            f'<line x1="{margin + left_width + 2}" y1="{_n(middle)}" x2="{right_x - 9}" y2="{_n(middle)}" '
            f'stroke="{SUBTLE}" stroke-width="2.5" marker-end="url(#{arrow_id})"/>'
        )
        top += height + gap
    bottom = top - gap
    centre = d.centre
    canvas.shape(
        "rect",
        "centre",
        PALETTE[0],
        PALETTE[0],
        x=right_x,
        y=margin,
        width=right_width,
        height=_n(bottom - margin),
        rx=10,
    )
    lines = wrap(centre.label, right_width - 14, bold=True)
    block = _lines_height(len(lines)) + (MARK_SIZE * 1.6 if centre.mark else 0)
    y = (margin + bottom) / 2 - block / 2
    if centre.mark:
        canvas.text(
            right_x + right_width / 2, y + MARK_SIZE, centre.mark, "centre", size=MARK_SIZE, bold=True, fill=PAPER
        )
        y += MARK_SIZE * 1.6
    canvas.lines(right_x + right_width / 2, y + LINE_GAP / 2, lines, "centre", bold=True, fill=PAPER)
    canvas.outlines.extend(arrows)
    marker = (
        f'<marker id="{arrow_id}" viewBox="0 0 10 10" refX="1" refY="5" markerWidth="4" markerHeight="4" '
        f'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{SUBTLE}"/></marker>'
    )
    return canvas.svg(bottom + margin, defs=marker)


def _flower(canvas: _Canvas) -> str:
    """Five petals around a centre circle, each petal labelled upright at its middle."""
    d = canvas.diagram
    cx, cy = 200, 202
    distance, radial, across, heart = 108, 88, 62, 58
    label_distance = 122  # a little beyond each petal's middle, clear of the centre circle
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(d.parts))]
    if len(colours) > len(PALETTE):  # the fifth petal touches the first: take the colour of one it does not touch
        colours[-1] = PALETTE[1]
    for index, (part, colour) in enumerate(zip(d.parts, colours, strict=True)):
        angle = -90 + 360 * index / len(d.parts)
        px = cx + distance * math.cos(math.radians(angle))
        py = cy + distance * math.sin(math.radians(angle))
        canvas.shape(
            "ellipse",
            str(index),
            tint(colour),
            colour,
            cx=_n(px),
            cy=_n(py),
            rx=radial,
            ry=across,
            transform=f"rotate({_n(angle)} {_n(px)} {_n(py)})",
        )
        lx = cx + label_distance * math.cos(math.radians(angle))
        ly = cy + label_distance * math.sin(math.radians(angle))
        lines = wrap(part.label, 2 * across - 10, bold=True)
        canvas.lines(lx, ly - _lines_height(len(lines)) / 2 + LINE_GAP / 2, lines, str(index), bold=True)
    canvas.shape("circle", "centre", PALETTE[1], PALETTE[1], cx=cx, cy=cy, r=heart)
    lines = wrap(d.centre.label, 2 * heart - 16, size=MARK_SIZE, bold=True)
    canvas.lines(
        cx,
        cy - _lines_height(len(lines), MARK_SIZE) / 2 + LINE_GAP * MARK_SIZE / TEXT_SIZE / 2,
        lines,
        "centre",
        size=MARK_SIZE,
        bold=True,
        fill=PAPER,
    )
    return canvas.svg(cy + 178)


def _boxes(canvas: _Canvas) -> str:
    """Boxes one under another, each with its letter in a circle, its label and its line."""
    d = canvas.diagram
    margin, gap, badge = 8, 10, 24
    text_x = margin + 2 * badge + 22
    text_width = WIDTH - margin - text_x - 8
    top = margin
    for index, part in enumerate(d.parts):
        colour = PALETTE[index % len(PALETTE)]
        label = wrap(part.label, text_width, bold=True)
        line = wrap(part.line, text_width)
        height = _lines_height(len(label) + len(line)) + 24
        canvas.shape(
            "rect",
            str(index),
            tint(colour),
            colour,
            x=margin,
            y=_n(top),
            width=WIDTH - 2 * margin,
            height=_n(height),
            rx=8,
        )
        middle = top + height / 2
        canvas.shape("circle", f"{index}-mark", colour, colour, cx=margin + 10 + badge, cy=_n(middle), r=badge)
        canvas.text(
            margin + 10 + badge,
            middle + 0.35 * MARK_SIZE,
            part.mark,
            f"{index}-mark",
            size=MARK_SIZE,
            bold=True,
            fill=PAPER,
        )
        y = canvas.lines(text_x, top + 12 + LINE_GAP / 2, label, str(index), bold=True, anchor="start")
        canvas.lines(text_x, y, line, str(index), anchor="start")
        top += height + gap
    return canvas.svg(top - gap + margin)


def _partners(canvas: _Canvas) -> str:
    """Three overlapping circles, one label in the part of each that no other covers, and the
    centre part on a white label where all three meet."""
    d = canvas.diagram
    cx, cy, spread, radius = 200, 196, 74, 110
    # centre of each circle, and where its label goes (outside the other two circles)
    places = []
    for index in range(3):
        angle = math.radians(-90 + 120 * index)
        x, y = cx + spread * math.cos(angle), cy + spread * math.sin(angle)
        lx, ly = cx + (spread + 58) * math.cos(angle), cy + (spread + 52) * math.sin(angle)
        places.append((x, y, lx, ly))
    for index, (x, y, _, _) in enumerate(places):
        colour = PALETTE[index]
        canvas.shape("circle", str(index), tint(colour), "none", cx=_n(x), cy=_n(y), r=radius)
        canvas.outlines.append(
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{radius}" fill="none" stroke="{colour}" stroke-width="3" '
            f'data-part="{index}"/>'
        )
    for index, (part, (_, _, lx, ly)) in enumerate(zip(d.parts, places, strict=True)):
        lines = wrap(part.label, 92, bold=True)
        canvas.lines(lx, ly - _lines_height(len(lines)) / 2 + LINE_GAP / 2, lines, str(index), bold=True)
    lines = wrap(d.centre.label, 140, bold=True)
    width = max(len(line) for line in lines) * TEXT_SIZE * BOLD_CHAR_WIDTH + 20
    height = _lines_height(len(lines)) + 14
    canvas.outlines.append(
        f'<rect x="{_n(cx - width / 2)}" y="{_n(cy - height / 2)}" width="{_n(width)}" height="{_n(height)}" '
        f'rx="{_n(height / 2)}" fill="{PAPER}" stroke="{INK}" stroke-width="2" data-part="centre"/>'
    )
    canvas.lines(cx, cy - _lines_height(len(lines)) / 2 + LINE_GAP / 2, lines, "centre", bold=True)
    return canvas.svg(cy + spread / 2 + radius + 8)


_DRAW = {"factors": _factors, "flower": _flower, "boxes": _boxes, "partners": _partners}


def diagram_svg(diagram: Diagram) -> str:
    """The diagram as an accessible, deterministic inline SVG string."""
    return _DRAW[diagram.layout](_Canvas(diagram))


def _named(part: Part) -> str:
    return f"{part.mark}: {part.label}" if part.mark else part.label


def text_equivalent_html(diagram: Diagram) -> str:
    """The diagram in words: its opening text and a list of its parts, each with its line.

    Every word in the picture (labels and letters) is in this list.
    """
    items = [f"<li><strong>{escape(_named(part))}.</strong> {escape(part.line)}</li>" for part in diagram.parts]
    if diagram.centre is not None:
        where = "All five feed into" if diagram.layout == "factors" else "At the centre"
        items.append(
            f"<li>{where}: <strong>{escape(_named(diagram.centre))}.</strong> {escape(diagram.centre.line)}</li>"
        )
    return (
        f'<details class="dh-diagram-text" style="text-align:left;margin:0.5rem 0">'
        f"<summary>Text description</summary>"
        f"<p>{escape(diagram.text)}</p><ul>{''.join(items)}</ul></details>"
    )
