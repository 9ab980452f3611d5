"""The course's diagrams (data/diagrams.json): they say what the chapters teach, draw as
accessible, well-formed SVG, say everything they show in words too, and bad data is named."""

from __future__ import annotations

import copy
import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import assert_data_error

from dementia_housing.content import diagrams
from dementia_housing.content.datafiles import DataError
from dementia_housing.content.diagrams import (
    contrast,
    diagram_svg,
    load_diagram,
    load_diagrams,
    parse_diagrams,
    text_equivalent_html,
)

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
FILE = "data/diagrams.json"
IDS = list(json.loads((ROOT / "data" / "diagrams.json").read_text(encoding="utf-8"))["diagrams"])
IDS = [d["id"] for d in IDS]
# The width of the text column on a 390 px phone, measured in Chromium on the built book
# (pydata-sphinx-theme's margins): every label must be at least 14 px there.
PHONE_COLUMN = 342
MIN_TEXT_PX = 14


def chapter_section(chapter: str, words: str) -> str:
    """The first section of a chapter whose heading contains ``words`` (headings are reworded
    from time to time; the diagram's content must still match what the section teaches)."""
    text = (ROOT / "book" / f"{chapter}.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    found = [s for s in sections if words.lower() in s.split("\n", 1)[0].lower()]
    assert found, f"{chapter}: no section whose heading names '{words}' (the diagram's content is checked there)"
    return found[0].split("\n", 1)[1]


def parsed(diagram_id: str) -> ET.Element:
    return ET.fromstring(diagram_svg(load_diagram(diagram_id)))


def words_of(html: str) -> str:
    return " ".join(" ".join(ET.fromstring(html).itertext()).split())


# --- the content is what the chapters teach ------------------------------------------------


def test_the_four_diagrams_are_there():
    assert set(load_diagrams()) == {"enriched-model", "psychological-needs", "vips", "three-partners"}


def test_the_enriched_model_names_the_five_factors_as_chapter_3_does():
    section = chapter_section("ch03-personhood", "enriched model")
    taught = re.findall(r"^\*\*([A-Z][a-z ]+)\*\* (?:means|covers|is)", section, flags=re.M)
    model = load_diagram("enriched-model")
    assert [part.label for part in model.parts] == taught
    formula = re.search(r"D = ((?:[A-Z]+ \+ )+[A-Z]+)", section).group(1)
    assert [part.mark for part in model.parts] == [m.strip() for m in formula.split("+")]
    assert model.centre.mark == "D" and model.cite == "kitwood1997"


def test_the_needs_are_chapter_3s_five_around_love():
    section = chapter_section("ch03-personhood", "psychological needs")
    taught = re.findall(r"^- \*\*([A-Z][a-z]+)\*\*:", section, flags=re.M)
    needs = load_diagram("psychological-needs")
    assert [part.label for part in needs.parts] == taught
    assert needs.centre.label == "Love" and "**love**" in section
    assert needs.cite == "kitwood1997"


def test_vips_is_brookers_four_elements_as_chapter_4_gives_them():
    vips = load_diagram("vips")
    assert [part.mark for part in vips.parts] == ["V", "I", "P", "S"]
    assert vips.cite.startswith("brooker") and "Brooker" in vips.credit and "Kitwood" not in vips.credit
    text = (ROOT / "book" / "ch04-vips.md").read_text(encoding="utf-8")
    for part in vips.parts:
        heading = re.search(rf"^## {part.mark}: (.+)$", text, flags=re.M)
        assert heading, f"ch04 has no section for {part.mark}"
        # the diagram's label shares the chapter heading's key word (valuing, individuals, perspective, social)
        key = {"V": "valuing", "I": "individual", "P": "perspective", "S": "social environment"}[part.mark]
        assert key in heading.group(1).lower() and key in part.label.lower(), (part.label, heading.group(1))


def test_the_three_partners_are_housing_health_and_social_care_around_the_person():
    partners = load_diagram("three-partners")
    assert [part.label for part in partners.parts] == ["Housing", "Health", "Social care"]
    assert partners.centre.label == "The person"
    source = (ROOT.parent / "shared" / "sources" / "003_f2248dbd47087d8a.txt").resolve()
    if source.exists():  # the source file lives beside the checkout, on the course team's machines
        text = source.read_text(encoding="utf-8")
        assert "three legged stool" in text and "with the individual at the centre" in text


def test_every_diagram_names_its_originator_in_a_citation_the_bibliography_has():
    bib = (ROOT / "data" / "references.bib").read_text(encoding="utf-8")
    for diagram in load_diagrams().values():
        assert re.search(rf"@\w+\{{{diagram.cite},", bib), diagram.cite
        assert diagram.credit.startswith("After ")


# --- the pictures ------------------------------------------------------------------------


@pytest.mark.parametrize("diagram_id", IDS)
def test_svg_is_well_formed_and_labelled_for_assistive_technology(diagram_id):
    diagram = load_diagram(diagram_id)
    root = parsed(diagram_id)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    ids = {element.get("id"): element for element in root.iter() if element.get("id")}
    named = root.get("aria-labelledby").split()
    assert len(named) == 2 and all(name in ids for name in named), named
    title, desc = (ids[name] for name in named)
    assert title.tag == f"{SVG}title" and desc.tag == f"{SVG}desc"
    assert title.text.strip() == diagram.title and desc.text.strip() == diagram.alt
    assert root[0] is title  # the title is the svg's first child, as SVG 2 asks
    # scales down to a phone and up to a capped width, keeping its shape
    assert root.get("width") == "100%" and re.fullmatch(r"0 0 \d+(\.\d)? \d+(\.\d)?", root.get("viewBox"))
    assert "max-width:" in root.get("style") and "height:auto" in root.get("style")
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter(f"{SVG}image"))


def _texts(root: ET.Element) -> list[ET.Element]:
    return [t for t in root.iter(f"{SVG}text") if t.text and t.text.strip()]


@pytest.mark.parametrize("diagram_id", IDS)
def test_every_word_in_the_picture_is_in_the_text_description(diagram_id):
    diagram = load_diagram(diagram_id)
    described = words_of(text_equivalent_html(diagram))
    shown = [t.text.strip() for t in _texts(parsed(diagram_id))]
    assert shown, "the picture has no labels"
    # as whole words: the letter V must be there on its own, not only inside "VIPS"
    assert [line for line in shown if not re.search(rf"(?<!\w){re.escape(line)}(?!\w)", described)] == []
    # and every part, with its line, is in the description
    for part in (*diagram.parts, *([diagram.centre] if diagram.centre else [])):
        assert part.label in described and part.line in described


@pytest.mark.parametrize("diagram_id", IDS)
def test_every_part_is_labelled_on_the_picture(diagram_id):
    """Colour never tells the parts apart on its own: each label (and letter) is drawn."""
    diagram = load_diagram(diagram_id)
    shown = " ".join(t.text.strip() for t in _texts(parsed(diagram_id)))
    for part in (*diagram.parts, *([diagram.centre] if diagram.centre else [])):
        assert all(word in shown.split() for word in part.label.split()), part.label
        assert not part.mark or part.mark in shown.split()


def test_ids_are_unique_across_all_four_diagrams_on_one_page():
    seen: list[str] = []
    for diagram_id in IDS:
        ids = [e.get("id") for e in parsed(diagram_id).iter() if e.get("id")]
        assert all(i.startswith(f"{diagram_id}-") for i in ids), ids
        seen += ids
        html = text_equivalent_html(load_diagram(diagram_id))
        seen += re.findall(r'\bid="([^"]+)"', html)
    assert len(seen) == len(set(seen)), sorted(i for i in seen if seen.count(i) > 1)


@pytest.mark.parametrize("diagram_id", IDS)
def test_same_data_same_bytes(diagram_id):
    fresh = parse_diagrams(json.loads((ROOT / "data" / "diagrams.json").read_text(encoding="utf-8")))[diagram_id]
    assert diagram_svg(fresh) == diagram_svg(load_diagram(diagram_id))
    assert text_equivalent_html(fresh) == text_equivalent_html(load_diagram(diagram_id))


@pytest.mark.parametrize("diagram_id", IDS)
def test_text_is_at_least_14px_on_a_phone(diagram_id):
    root = parsed(diagram_id)
    width = float(root.get("viewBox").split()[2])
    smallest = min(float(t.get("font-size")) for t in _texts(root))
    assert smallest * PHONE_COLUMN / width >= MIN_TEXT_PX, f"{smallest} units in a {width}-unit-wide picture"


def test_the_palette_is_the_courses():
    from dementia_housing.views.charts import COURSE_STYLE

    assert tuple(COURSE_STYLE.colors) == diagrams.PALETTE
    assert COURSE_STYLE.foreground == diagrams.INK and COURSE_STYLE.background == diagrams.PAPER


def test_contrast_is_the_wcag_formula():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-failing grey
    assert contrast("#ffffff", "#ffffff") == 1


# Geometry, to find which shape lies under each label and so what colour it is drawn on.


def _inside(shape: ET.Element, x: float, y: float) -> bool:
    tag = shape.tag.removeprefix(SVG)
    transform = shape.get("transform", "")
    rotation = re.fullmatch(r"rotate\((-?[\d.]+) (-?[\d.]+) (-?[\d.]+)\)", transform)
    if transform and not rotation:
        raise AssertionError(f"the test cannot read transform {transform!r}; teach it")
    if rotation:  # turn the point back by the shape's rotation
        angle, ox, oy = (float(v) for v in rotation.groups())
        a = math.radians(-angle)
        x, y = (
            ox + (x - ox) * math.cos(a) - (y - oy) * math.sin(a),
            oy + (x - ox) * math.sin(a) + (y - oy) * math.cos(a),
        )
    number = lambda name: float(shape.get(name))  # noqa: E731
    if tag == "rect":
        return number("x") <= x <= number("x") + number("width") and number("y") <= y <= number("y") + number("height")
    if tag == "circle":
        return (x - number("cx")) ** 2 + (y - number("cy")) ** 2 <= number("r") ** 2
    if tag == "ellipse":
        return ((x - number("cx")) / number("rx")) ** 2 + ((y - number("cy")) / number("ry")) ** 2 <= 1
    raise AssertionError(f"the test cannot read a <{tag}> shape; teach it")


def _label_points(text: ET.Element) -> list[tuple[float, float]]:
    """Points across a label's likely extent (about half an em a character), at mid-height."""
    size, x, y = float(text.get("font-size")), float(text.get("x")), float(text.get("y"))
    width = len(text.text.strip()) * size * (0.58 if text.get("font-weight") else 0.53)
    start = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor", "start")]
    return [(start + width * share, y - size * dy) for share in (0, 0.5, 1) for dy in (0.05, 0.6)]


@pytest.mark.parametrize("diagram_id", IDS)
def test_each_label_sits_on_its_own_shape_with_enough_contrast(diagram_id):
    root = parsed(diagram_id)
    shapes = [e for e in root.iter() if e.get("data-part") is not None and e.tag != f"{SVG}text"]
    filled = [s for s in shapes if s.get("fill") not in (None, "none")]
    for text in _texts(root):
        for x, y in _label_points(text):
            under = [s for s in filled if _inside(s, x, y)]
            assert under, f"'{text.text}' runs off its shape at ({x:.0f}, {y:.0f})"
            top = under[-1]  # painted last, so seen on top
            assert top.get("data-part") == text.get("data-part"), f"'{text.text}' runs onto another part"
            ratio = contrast(text.get("fill"), top.get("fill"))
            assert ratio >= 4.5, f"'{text.text}': {ratio:.2f}:1 on {top.get('fill')}"


@pytest.mark.parametrize("diagram_id", IDS)
def test_every_shape_stands_out_from_the_page(diagram_id):
    """Each part's outline (or its solid fill) has at least 3:1 against the white page; so do arrows."""
    root = parsed(diagram_id)
    by_part: dict[str, list[str]] = {}
    for element in root.iter():
        if element.get("data-part") is not None and element.tag != f"{SVG}text":
            colours = [element.get(k) for k in ("stroke", "fill") if element.get(k) not in (None, "none")]
            by_part.setdefault(element.get("data-part"), []).extend(colours)
    assert by_part
    for part, colours in by_part.items():
        assert max(contrast(c, diagrams.PAPER) for c in colours) >= 3, (part, colours)
    for line in root.iter(f"{SVG}line"):
        assert contrast(line.get("stroke"), diagrams.PAPER) >= 3


def test_the_text_description_is_a_list_that_opens():
    html = text_equivalent_html(load_diagram("vips"))
    element = ET.fromstring(html)
    assert element.tag == "details" and element[0].tag == "summary" and element[0].text == "Text description"
    items = element.findall("./ul/li")
    assert len(items) == 4 and "".join(items[0].itertext()).startswith("V: Valuing people.")


# --- bad data is named ------------------------------------------------------------------------

GOOD = {
    "diagrams": [
        {
            "id": "partners",
            "layout": "partners",
            "title": "Three partners",
            "alt": "Three circles meeting in the middle.",
            "credit": "After Sitra",
            "cite": "sitra2014",
            "text": "Three partners work together.",
            "parts": [
                {"label": "Housing", "line": "Homes."},
                {"label": "Health", "line": "The NHS."},
                {"label": "Care", "line": "Care."},
            ],
            "centre": {"label": "The person", "line": "At the centre."},
        }
    ]
}


def _broken(change):
    data = copy.deepcopy(GOOD)
    change(data)
    return data


def test_good_data_parses():
    parsed_data = parse_diagrams(GOOD)
    assert parsed_data["partners"].centre.label == "The person"
    assert ET.fromstring(diagram_svg(parsed_data["partners"]))


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: d["diagrams"][0].pop("alt"), "diagrams[0].alt", "missing"),
        (lambda d: d["diagrams"][0]["parts"][1].update(label="  "), "diagrams[0].parts[1].label", "missing or empty"),
        (lambda d: d["diagrams"][0]["parts"][2].pop("line"), "diagrams[0].parts[2].line", "missing"),
        (lambda d: d["diagrams"][0].update(layout="pie"), "diagrams[0].layout", "must be one of"),
        (lambda d: d["diagrams"][0]["parts"].pop(), "diagrams[0].parts", "give between 3 and 3 parts"),
        (lambda d: d["diagrams"][0].update(cite="nobody2099"), "diagrams[0].cite", "unknown source"),
        (lambda d: d["diagrams"][0].update(alt="One. Two."), "diagrams[0].alt", "one sentence"),
        (lambda d: d["diagrams"][0].update(alt="No full stop"), "diagrams[0].alt", "one sentence"),
        (lambda d: d["diagrams"][0].update(id="Three Partners"), "diagrams[0].id", "lower case"),
        (lambda d: d["diagrams"][0].pop("centre"), "diagrams[0].centre", "draws a centre part"),
        (lambda d: d["diagrams"][0]["parts"][1].update(label="Housing"), "diagrams[0].parts[1].label", "twice"),
        (lambda d: d["diagrams"][0]["parts"][0].update(mark="v"), "diagrams[0].parts[0].mark", "capital letters"),
        (lambda d: d["diagrams"].append(copy.deepcopy(d["diagrams"][0])), "diagrams[1].id", "duplicate id"),
        (
            lambda d: d["diagrams"][0].update(
                layout="boxes", parts=[{"label": f"L{n}", "line": "x"} for n in range(4)]
            ),
            "diagrams[0].parts[0].mark",
            "give each a 'mark'",
        ),
        (
            lambda d: d["diagrams"][0].update(
                layout="boxes", parts=[{"mark": m, "label": m, "line": "x"} for m in "VIPS"]
            ),
            "diagrams[0].centre",
            "has no centre",
        ),
    ],
)
def test_bad_data_is_named_by_line_and_field(change, field, words):
    data = _broken(change)
    with pytest.raises(DataError) as caught:
        parse_diagrams(data)
    assert_data_error(caught.value, data, FILE, field, words)


def test_a_mistake_in_the_file_names_its_line(tmp_path, monkeypatch):
    text = (ROOT / "data" / "diagrams.json").read_text(encoding="utf-8")
    broken = text.replace('"label": "Biography"', '"label": ""', 1)
    assert broken != text
    (tmp_path / "diagrams.json").write_text(broken, encoding="utf-8")
    (tmp_path / "references.bib").write_text((ROOT / "data" / "references.bib").read_text(encoding="utf-8"))
    monkeypatch.setenv("DEMENTIA_HOUSING_DATA", str(tmp_path))
    line = next(n for n, row in enumerate(broken.splitlines(), start=1) if '"label": ""' in row)
    with pytest.raises(DataError) as caught:
        load_diagrams()
    assert str(caught.value).startswith(f"{FILE}:{line}, field 'diagrams[0].parts[2].label'"), str(caught.value)


def test_an_unknown_diagram_lists_the_ids():
    with pytest.raises(DataError, match="no diagram with id 'flower'; the ids are enriched-model, "):
        load_diagram("flower")


# --- the built book (uses the session's one build) ---------------------------------------------

# Where each diagram belongs. The lead inserts the directives; until then this part is skipped.
PLACEMENT = {
    "enriched-model": "book/ch03-personhood",
    "psychological-needs": "book/ch03-personhood",
    "vips": "book/ch04-vips",
    "three-partners": "book/ch01-why-housing",
}
WIRED_IN = any("```{diagram}" in (ROOT / f"{page}.md").read_text(encoding="utf-8") for page in set(PLACEMENT.values()))


@pytest.mark.build
@pytest.mark.skipif(not WIRED_IN, reason="no chapter shows a diagram yet (the lead inserts the directives)")
@pytest.mark.parametrize("diagram_id", IDS)
def test_each_diagram_is_a_figure_in_its_chapter(built_site: Path, diagram_id):
    html = (built_site / f"{PLACEMENT[diagram_id]}.html").read_text(encoding="utf-8")
    figure = re.search(rf'<figure class="dh-diagram[^"]*" id="{diagram_id}-figure">(.*?)</figure>', html, re.S)
    assert figure, f"{PLACEMENT[diagram_id]}: no {diagram_id} figure"
    body = figure.group(1)
    diagram = load_diagram(diagram_id)
    assert diagram_svg(diagram) in body and text_equivalent_html(diagram) in body
    # the caption comes last (a <figcaption> must be the first or last child), names the
    # originator with a citation, and carries no tiny "#" link beside that citation
    caption = body.rsplit("<figcaption>", 1)[1]
    assert body.rstrip().endswith("</figcaption>") and "</svg>" not in caption and "<details" not in caption
    assert 'class="bibtex-citation"' in caption and "Link to this image" not in caption
