"""Sphinx extension for the course.

- The ``{fig}`` role writes a figure from the evidence table with its year and a citation
  of its source, so that every number in the prose lives in one place (data/evidence.csv):
  ``{fig}`uk_people_with_dementia_2024``` -> "982,000 people in 2024 [Alzheimer's Society, 2024]".
- The ``self-check`` directive shows a question bank from data/self-checks/ as questions
  whose options open to give feedback; it needs no script and works in print.
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
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from dementia_housing.content import evidence
from dementia_housing.content.datafiles import DataError
from dementia_housing.content.evidence import data_path, figure
from dementia_housing.content.selfcheck import bank_html, load_bank
from dementia_housing.grading.workarea import find_work_areas

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
    value = nodes.inline(text=fig.with_year(), classes=["dh-figure"])
    cite = env.get_domain("cite").role("p")
    cite_nodes, messages = cite("p", f":cite:p:`{fig.source_key}`", fig.source_key, lineno, inliner, {}, [])
    return [value, nodes.Text(" "), *cite_nodes], messages


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


def check_evidence_once(app: Sphinx) -> None:
    try:
        evidence.load_evidence()
    except DataError as problem:
        raise ExtensionError(f"the evidence table has an error, so nothing was built: {problem}") from None


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", exclude_work_areas, priority=100)
    app.connect("config-inited", use_this_checkouts_data)
    app.connect("builder-inited", check_evidence_once)
    app.add_role("fig", fig_role)
    app.add_directive("self-check", SelfCheckDirective)
    app.connect("html-page-context", drop_remote_assets, priority=900)
    app.connect("html-page-context", accessible_citations)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
