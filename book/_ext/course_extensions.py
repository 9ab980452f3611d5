"""Sphinx extension for the course.

- The ``{fig}`` role writes a figure from the evidence table with its year and a short
  numbered note, so that every number in the prose lives in one place (data/evidence.csv):
  ``{fig}`uk_people_with_dementia_2024``` -> "982,000 people (aged 65 and over) in 2024 [1]";
  the page ends with "Sources of the figures on this page", each source once, linked to the
  list of references (number_figure_notes). The value is marked
  ``<span class="dh-figure" data-evidence="ID">``, so a check can tell a figure from the table
  from a number typed into the prose (tests/test_content_integrity.py).
- The ``{example}`` role marks an amount that is not a figure about the world (a cost band, a
  sum in a worked example): ``{example}`£100``` shows "£100" in ``<span class="dh-example">``.
- The ``self-check`` directive shows a question bank from data/self-checks/ as questions
  whose options open to give feedback; it needs no script and works in print.
- The ``knowledge-check`` directive shows the trainers' knowledge check (data/knowledge-check.json)
  as a form to answer on screen or on paper, with no feedback; where script runs,
  book/_static/knowledge-check.js makes the participant's hand-in (a CSV row). It needs no
  script to read or print.
- The ``diagram`` directive draws a diagram from data/diagrams.json as a figure: a caption
  (title, credit and a citation of the originator), an inline SVG with its own title and
  description, and a text description listing every part. The SVG and the text description
  are raw HTML, so LaTeX/PDF builds keep only the caption.
- Keeps the site self-contained: any stylesheet or script that an extension asks to load
  from another host is dropped from the page (the course makes no outside request), and so
  is sphinx-thebe, which Jupyter Book 1 always loads: the course does not use it, it names a
  remote script, and it declares the same constant twice (a console error on every page).
- Gives bibliography entries a list-item role, so the references list is announced properly.
- Uses the data of the checkout it builds (``$DEMENTIA_HOUSING_DATA`` is set to its data/
  folder, for the pages and for the notebooks' kernels alike) and checks the evidence table
  once, when the build starts: a bad row stops the build with one error naming
  ``data/evidence.csv:LINE`` and the field, not one error per figure that uses the table.
- Never reads a grading work area: every folder that holds the work-area marker (see
  ``dementia_housing.grading.workarea``), whatever its name, and every hidden folder (``.*``:
  Jupyter Book's ``only_build_toc_files`` lists the files to leave out with ``glob``, which
  skips hidden folders, so their notebooks were still read and executed) is excluded before
  Sphinx looks for source files.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from dementia_housing.content import course_map, evidence
from dementia_housing.content.datafiles import DataError, load
from dementia_housing.content.diagrams import diagram_svg, load_diagram, text_equivalent_html
from dementia_housing.content.evidence import data_path, figure
from dementia_housing.content.selfcheck import bank_html, load_bank
from dementia_housing.grading.workarea import find_work_areas
from dementia_housing.trainers import knowledge_check

logger = logging.getLogger(__name__)


def fig_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    env = inliner.document.settings.env
    env.note_dependency(str(data_path("evidence.csv")))
    env.note_dependency(str(data_path("references.bib")))
    try:
        fig = figure(text.strip())
    except DataError as problem:
        message = inliner.reporter.error(str(problem), line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    value = FigureValue(text=fig.with_year(), classes=["dh-figure"], evidence=fig.id)
    cite = env.get_domain("cite").role("p")
    cite_nodes, messages = cite("p", f":cite:p:`{fig.source_key}`", fig.source_key, lineno, inliner, {}, [])
    return [value, FigureNote("", *cite_nodes, key=fig.source_key)], messages


class FigureValue(nodes.inline):
    """A figure's value from the evidence table; in HTML it names its row (data-evidence)."""


def visit_figure_value_html(translator, node: FigureValue) -> None:
    translator.body.append(translator.starttag(node, "span", "", **{"data-evidence": node["evidence"]}))


def depart_figure_value_html(translator, node: FigureValue) -> None:
    translator.body.append("</span>")


def visit_as_inline(translator, node) -> None:
    translator.visit_inline(node)


def depart_as_inline(translator, node) -> None:
    translator.depart_inline(node)


def example_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{example}`£100```: an amount that is not a figure about the world, marked as such."""
    return [nodes.inline(text=text, classes=["dh-example"])], []


class FigureNote(nodes.Inline, nodes.Element):
    """Where a figure's source goes; number_figure_notes turns it into a numbered note."""


FIGURE_SOURCES_TITLE = "Sources of the figures on this page"


def number_figure_notes(app: Sphinx, doctree: nodes.document) -> None:
    """Give each figure a short numbered note instead of "[Author, year]" after every number.

    Each source is numbered once per page, in the order the page first uses it, and the page
    ends with a list of those sources, each a citation linked to the list of references."""
    notes = list(doctree.findall(FigureNote))
    if not notes:
        return
    numbers: dict[str, int] = {}
    sources = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["dh-figure-sources"])
    for note in notes:
        if note["key"] not in numbers:
            numbers[note["key"]] = number = len(numbers) + 1
            item = nodes.list_item(ids=[f"figure-source-{number}"])
            item += nodes.paragraph("", "", *note.children)
            sources += item
        number = numbers[note["key"]]
        link = nodes.reference(
            "", "", refid=f"figure-source-{number}", classes=["dh-note"], reftitle="Source of this figure"
        )
        link += nodes.superscript(text=f"[{number}]")
        note.replace_self(link)
    section = nodes.section(ids=["sources-of-the-figures-on-this-page"], classes=["dh-figure-sources-section"])
    section += nodes.title(text=FIGURE_SOURCES_TITLE)
    section += nodes.paragraph(
        text="A number in square brackets after a figure points to its source in this list; "
        "each source links to its full entry in the list of references."
    )
    section += sources
    page = doctree.next_node(nodes.section) or doctree
    page += section


class SelfCheckDirective(SphinxDirective):
    """```{self-check} prevalence``` renders data/self-checks/prevalence.json."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        self.env.note_dependency(str(data_path(f"self-checks/{name}.json")))
        try:
            bank = load_bank(name)
        except DataError as problem:
            raise self.error(str(problem)) from None
        return [nodes.raw("", bank_html(bank), format="html")]


class KnowledgeCheckDirective(SphinxDirective):
    """```{knowledge-check}``` renders data/knowledge-check.json as a form (no answers shown)."""

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(data_path(knowledge_check.FILE)))
        try:
            check = knowledge_check.load()
        except DataError as problem:
            raise self.error(str(problem)) from None
        return [nodes.raw("", knowledge_check.form_html(check), format="html")]


class DiagramDirective(SphinxDirective):
    """```{diagram} enriched-model``` draws that diagram from data/diagrams.json as a figure."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        self.env.note_dependency(str(data_path("diagrams.json")))
        self.env.note_dependency(str(data_path("references.bib")))
        try:
            diagram = load_diagram(name)
        except DataError as problem:
            raise self.error(str(problem)) from None
        cite = self.env.get_domain("cite").role("p")
        cite_nodes, messages = cite(
            "p", f":cite:p:`{diagram.cite}`", diagram.cite, self.lineno, self.state.inliner, {}, []
        )
        caption = nodes.caption(
            "",
            "",
            nodes.strong(text=f"{diagram.title}."),
            nodes.Text(f" {diagram.credit} "),
            *cite_nodes,
            nodes.Text("."),
        )
        self.set_source_info(caption)
        # The caption comes last: docutils closes <figcaption> only at the end of the figure.
        picture = nodes.raw("", diagram_svg(diagram) + text_equivalent_html(diagram), format="html")
        figure = nodes.figure("", picture, caption, classes=["dh-diagram"])
        self.set_source_info(figure)
        # A stable anchor, and a label chapters can refer to: {numref}`enriched-model-figure`.
        # The same diagram twice on one page would repeat the SVG's ids: the build then warns.
        figure["names"].append(f"{diagram.id}-figure")
        self.state.document.note_explicit_target(figure, figure)
        return [figure, *messages]


_DIAGRAM_FIGURE = re.compile(r'<figure class="dh-diagram[^"]*" id="([^"]+)">')
_IMAGE_PERMALINK = re.compile(r'<a class="headerlink" href="#([^"]+)" title="Link to this image">#</a>')


def drop_diagram_permalinks(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Sphinx ends a figure's caption with a small "#" link to the figure. A diagram's caption
    ends with a citation link, and on a phone the two can land side by side, too close to tap
    apart (axe: target-size). The figure keeps its id, so {numref} and links to it still work."""
    body = context.get("body")
    if not body or "dh-diagram" not in body:
        return
    diagrams = set(_DIAGRAM_FIGURE.findall(body))
    context["body"] = _IMAGE_PERMALINK.sub(lambda link: "" if link.group(1) in diagrams else link.group(0), body)


def _is_unwanted(asset) -> bool:
    filename = getattr(asset, "filename", asset)
    if isinstance(filename, str) and (filename.startswith(("http://", "https://", "//")) or "sphinx-thebe" in filename):
        return True
    body = getattr(asset, "attributes", {}).get("body", "")
    return "THEBE_JS_URL" in body


def drop_remote_assets(app: Sphinx, pagename, templatename, context, doctree) -> None:
    for key in ("css_files", "script_files"):
        assets = context.get(key)
        if not assets:
            continue
        kept = [asset for asset in assets if not _is_unwanted(asset)]
        if len(kept) != len(assets):
            dropped = [getattr(a, "filename", None) or "inline script" for a in assets if _is_unwanted(a)]
            logger.debug("course_extensions: dropped from %s: %s", pagename, ", ".join(dropped))
            context[key] = kept


def accessible_citations(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Sphinx marks bibliography entries role="doc-biblioentry" inside role="list", which
    assistive technology (and axe-core) reject: a list must contain list items."""
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


HIDDEN_PATTERNS = [".*", "**/.*"]


def exclude_work_areas(app: Sphinx, config) -> None:
    """Leave hidden folders and every grading work area under the source folder out of the build."""
    patterns = list(HIDDEN_PATTERNS)
    for area in find_work_areas(app.srcdir):
        relative = area.relative_to(app.srcdir).as_posix()
        patterns += [relative, f"{relative}/**"]
    config.exclude_patterns = [*config.exclude_patterns, *(p for p in patterns if p not in config.exclude_patterns)]


def use_this_checkouts_data(app: Sphinx, config) -> None:
    data = Path(app.srcdir) / "data"
    if data.is_dir() and evidence.DATA_ENV not in os.environ:
        os.environ[evidence.DATA_ENV] = str(data)  # inherited by the kernels that run the notebooks
    evidence.load_evidence.cache_clear()
    evidence._bibliography.cache_clear()


def publish_course_status(app: Sphinx, config) -> None:
    """The welcome page's chapter count and "coming" marks, from the toc being built."""
    toc = Path(app.srcdir) / (getattr(config, "external_toc_path", None) or "_toc.yml")
    if not toc.is_file():
        return
    try:
        values = course_map.substitutions(toc.read_text(encoding="utf-8"))
        with open(Path(app.srcdir) / "pyproject.toml", "rb") as project:
            version = tomllib.load(project)["project"]["version"]
        values |= course_map.about_substitutions(load("evidence-review.json"), version)
    except DataError as problem:  # names the file, the line and the field
        raise ExtensionError(str(problem)) from None
    config.myst_substitutions = {**(config.myst_substitutions or {}), **values}


def hide_markdown_source_download(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """A chapter's Markdown source is no use to a reader: offer the notebook (tool pages) and
    print/PDF, not the .md file."""
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"] = [
                button
                for button in group["buttons"]
                if not (button.get("label") == "download-source-button" and button.get("text") == ".md")
            ]


def check_evidence_once(app: Sphinx) -> None:
    try:
        evidence.load_evidence()
    except DataError as problem:
        raise ExtensionError(f"the evidence table has an error, so nothing was built: {problem}") from None


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", exclude_work_areas, priority=100)
    app.connect("config-inited", use_this_checkouts_data)
    app.connect("config-inited", publish_course_status)
    app.connect("builder-inited", check_evidence_once)
    app.add_role("fig", fig_role)
    app.add_role("example", example_role)
    as_inline = (visit_as_inline, depart_as_inline)
    app.add_node(
        FigureValue,
        html=(visit_figure_value_html, depart_figure_value_html),
        latex=as_inline,
        text=as_inline,
        man=as_inline,
        texinfo=as_inline,
    )
    app.connect("doctree-read", number_figure_notes, priority=400)
    app.add_directive("self-check", SelfCheckDirective)
    app.add_directive("diagram", DiagramDirective)
    app.add_directive("knowledge-check", KnowledgeCheckDirective)
    app.connect("html-page-context", drop_remote_assets, priority=900)
    app.connect("html-page-context", accessible_citations)
    app.connect("html-page-context", drop_diagram_permalinks)
    app.connect("html-page-context", hide_markdown_source_download, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
