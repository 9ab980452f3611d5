"""Sphinx extension for the page's head: a meta description, and scripts that never hold up the text.

Every page gets a meta description, for search engines and link previews.

The description is the page's ``description`` front matter if it has one, else its first
paragraph of body text (not a note, sidebar, table, figure caption or bibliography entry),
as plain text on one line, cut at a word to about 155 characters with an ellipsis. A page with
no body text (the search page, the index) gets its title and the book's title. A page that
already sets one (a ``{meta}`` directive or ``html_meta`` front matter) keeps its own.

Every script file the extensions and the theme put in the head is loaded with ``defer``: fetched
while the page is read and run, in the same order, once it is parsed, so none of them holds up the
first paint (Lighthouse counted about 1.2 s of them). All of them start their work on
DOMContentLoaded, which comes after deferred scripts. Left as they were: inline scripts,
``async`` and module scripts, documentation_options.js, whose global the page's inline scripts
set at once (``DOCUMENTATION_OPTIONS.pagename = …``), and doctools.js, whose ``_ready`` the
search page's searchtools.js calls at once (both are small).
"""

from __future__ import annotations

import re
from html import escape, unescape

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript  # Sphinx 7.4's script entry (pinned)

LONGEST = 155
SHORTEST = 40  # a paragraph shorter than this ("Last updated…", a label) does not describe the page
NOT_BODY = (
    nodes.Admonition,
    nodes.sidebar,
    nodes.topic,
    nodes.table,
    nodes.figure,
    nodes.caption,
    nodes.footnote,
    nodes.citation,
    nodes.field_list,
    nodes.list_item,
    nodes.block_quote,
)
NOTE_MARKS = (nodes.footnote_reference, nodes.citation_reference, nodes.substitution_reference)
RUN_AT_ONCE = {"documentation_options.js", "doctools.js"}


def trimmed(text: str, longest: int = LONGEST) -> str:
    """``text`` on one line, cut at a word to at most ``longest`` characters (with "…" if cut)."""
    text = " ".join(text.split())
    if len(text) <= longest:
        return text
    cut = text[: longest - 1].rsplit(" ", 1)[0].rstrip(" ,;:.–—-")
    return cut + "…"


def first_paragraph(doctree: nodes.document) -> str:
    """The plain text of the first paragraph of body text, without note marks; "" if none."""
    for paragraph in doctree.findall(nodes.paragraph):
        if any(isinstance(parent, NOT_BODY) for parent in _ancestors(paragraph)):
            continue
        copy = paragraph.deepcopy()
        for mark in list(copy.findall(lambda node: isinstance(node, NOTE_MARKS))):
            mark.parent.remove(mark)
        text = " ".join(copy.astext().split())
        if len(text) >= SHORTEST:
            return text
    return ""


def _ancestors(node: nodes.Node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def description_of(app: Sphinx, pagename: str, context: dict, doctree: nodes.document | None) -> str:
    front_matter = app.env.metadata.get(pagename, {}) if pagename in app.env.found_docs else {}
    text = str(front_matter.get("description", "")).strip()
    if not text and doctree is not None:
        text = first_paragraph(doctree)
    if not text:
        title = unescape(re.sub(r"<[^>]+>", "", context.get("title") or ""))
        book = context.get("docstitle") or app.config.html_title or app.config.project
        text = f"{title} – {book}" if title and title != book else book
    return trimmed(text)


def add_description(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    metatags = context.get("metatags", "")
    if 'name="description"' in metatags:
        return
    content = escape(description_of(app, pagename, context, doctree), quote=True)
    context["metatags"] = f'{metatags}\n<meta name="description" content="{content}" />'


def deferred(script):
    """The same script entry, loaded with defer, unless it must run where it stands."""
    if not isinstance(script, _JavaScript) or not script.filename or "://" in str(script.filename):
        return script
    attributes = script.attributes
    if {"defer", "async"} & attributes.keys() or attributes.get("type", "text/javascript") != "text/javascript":
        return script
    if str(script.filename).rsplit("/", 1)[-1] in RUN_AT_ONCE:
        return script
    return _JavaScript(script.filename, priority=script.priority, **attributes, defer="defer")


def defer_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if "script_files" in context:
        context["script_files"] = [deferred(script) for script in context["script_files"]]


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", add_description)
    app.connect("html-page-context", defer_scripts, priority=950)  # after every extension has added its own
    return {"parallel_read_safe": True, "parallel_write_safe": True}
