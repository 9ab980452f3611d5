"""The site's promises as checks: pure functions on HTML text, and browser-side scripts that
return what they find (an empty list when all is well).

The tests run them over the built site; tests/test_site_checks.py runs them on small broken
snippets, so each failure mode is shown without a rebuild. Each function returns a list of
short, readable findings, so a failing assert says exactly what is wrong and where.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
from link_report import external_links  # noqa: F401  (the build's own reader of outside links)

# --- figures in the prose ------------------------------------------------------------------

# Written by the {fig} role (a figure from data/evidence.csv) or the {example} role (an amount
# that is not a figure about the world, such as a sum in a worked example).
FIGURE_MARKS = {"dh-figure", "dh-example"}
# Text that is not the page's prose: code, notebook and widget outputs (computed from the
# evidence table by the tools), the bibliography and the list of the figures' sources.
NOT_PROSE_CLASSES = {
    "highlight",
    "cell_output",
    "output",
    "dh-saved-example",
    "citation",
    "citation-list",
    "dh-figure-sources-section",
}
NOT_PROSE_TAGS = {"pre", "code", "script", "style", "template", "noscript"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# A pound amount (£850, £1.4bn, £ 12,000) or a percentage (7%, 16.5 %, 40 per cent).
FIGURE = re.compile(r"£\s?\d[\d,]*(\.\d+)?(\s?(bn|billion|m|million|k)\b)?|\d+(\.\d+)?\s?(%|per\s?cent\b)")
MARKED = "\u2063"  # stands in for marked or skipped text, so that nothing around it joins up


class _ProseText(HTMLParser):
    """The text of the page's main article, with marked figures and non-prose replaced."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # for each open element: is its text hidden from the check?
        self.in_article = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "article" and "bd-article" in classes:
            self.in_article += 1
        hidden = bool(self.stack and self.stack[-1]) or tag in NOT_PROSE_TAGS or bool(classes & NOT_PROSE_CLASSES)
        if classes & FIGURE_MARKS and not hidden:
            self.parts.append(MARKED)
            hidden = True
        self.stack.append(hidden)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in VOID_TAGS or not self.stack:
            return
        self.stack.pop()
        if tag == "article" and self.in_article:
            self.in_article -= 1
        if tag in {"p", "li", "td", "th", "div", "section", "dd", "dt", "h1", "h2", "h3", "h4", "summary"}:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.in_article and not (self.stack and self.stack[-1]):
            self.parts.append(data)


def prose_text(html: str) -> str:
    """The main article's prose, with figure marks and non-prose (code, outputs, sources) left out."""
    parser = _ProseText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    if not parser.in_article and "bd-article" not in html:
        text = ""
    return text


def unglued_figures(html: str) -> list[str]:
    """£ amounts and percentages in the prose that neither {fig} nor {example} wrote, each
    with a little of the text around it."""
    found = []
    for line in prose_text(html).splitlines():
        line = " ".join(line.split())
        for match in FIGURE.finditer(line):
            before = line[max(0, match.start() - 40) : match.start()].replace(MARKED, "…")
            after = line[match.end() : match.end() + 25].replace(MARKED, "…")
            found.append(f"{before}[{match.group(0)}]{after}")
    return found


# --- words ----------------------------------------------------------------------------------

# A quotation: double quotes, or single quotes that are not apostrophes (tenant's, it's).
QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”|(?<![A-Za-z])'[^'\n]*'(?![A-Za-z])|(?<![A-Za-z])‘[^’\n]*’(?![A-Za-z])")
STIGMATISING = re.compile(
    r"\b(sufferers?|demented|senile|victims? of dementia|elderly mentally infirm|EMI)\b", re.IGNORECASE
)
QUOTED_ONLY = re.compile(r"\bwandering\b", re.IGNORECASE)


def stigmatising_words(text: str) -> list[str]:
    """Labels the course never uses, and 'wandering' outside quotation marks, each with its line."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in STIGMATISING.finditer(line):
            found.append(f"line {number}: {match.group(0)!r} in {line.strip()[:100]!r}")
        for match in QUOTED_ONLY.finditer(QUOTED.sub("", line)):
            found.append(f"line {number}: unquoted {match.group(0)!r} in {line.strip()[:100]!r}")
    return found


# --- browser-side checks (run with page.evaluate; each returns a list of findings) -----------

# Elements whose right edge passes the viewport (what makes a page scroll sideways), except
# inside boxes that scroll on their own (wide tables) and things hidden off-screen on purpose.
WIDER_THAN_VIEWPORT_JS = """(root) => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p).overflowX; if (s === 'auto' || s === 'scroll' || s === 'hidden') return true; }
    return false; };
  return [...(root || document.body).querySelectorAll('*')].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width && box.height && el.offsetParent !== null && box.right > width + 1 && !scrolls(el);
  }).map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right edge at ${Math.round(
    el.getBoundingClientRect().right)} px`).slice(0, 10);
}"""

# Visible text squeezed into a column narrower than about 8 em (a letter or word per line), or
# 4 em for a table cell (a table's columns share the width); HTML only (chart text is checked
# for its size instead).
SQUEEZED_TEXT_JS = """(root) => {
  const found = [];
  for (const el of (root || document.body).querySelectorAll('*')) {
    const own = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
    if (!(el instanceof HTMLElement) || own.length < 12 || el.offsetParent === null) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // not drawn, or a screen-reader-only text
    if (getComputedStyle(el).display === 'inline') continue;  // as wide as its words: its block is checked
    const em = parseFloat(getComputedStyle(el).fontSize);
    const least = el.matches('td, th') ? 4 : 8;  // a table's columns share the width; other text has it all
    if (box.width < least * em) {
      found.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${Math.round(box.width)} px wide: ${own.slice(0, 40)}`);
    }
  }
  return found.slice(0, 10);
}"""

# SVG text shown smaller than 12 CSS px (its rendered height, after the SVG is scaled).
SMALL_SVG_TEXT_JS = """(root) => [...(root || document).querySelectorAll('svg text')]
  .filter((t) => t.getBoundingClientRect().height > 0 && t.textContent.trim())
  .map((t) => { const svg = t.ownerSVGElement; const scale = svg.getScreenCTM() ? svg.getScreenCTM().a : 1;
    return [t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize) * scale]; })
  .filter(([, size]) => size < 12 - 0.05)
  .map(([text, size]) => `${size.toFixed(1)} px: ${text.slice(0, 30)}`).slice(0, 10)"""

# Images and charts with no text alternative: img without alt, svg that is neither hidden,
# decorative, nor an image with a name (aria-label, aria-labelledby or a <title>).
NO_TEXT_ALTERNATIVE_JS = """() => {
  const found = [];
  for (const img of document.querySelectorAll('main img, article img')) {
    if (!img.hasAttribute('alt')) found.push(`img ${img.getAttribute('src')}`);
  }
  for (const svg of document.querySelectorAll('article svg')) {
    if (svg.closest('[aria-hidden="true"]') || svg.parentElement.closest('svg')) continue;
    if (svg.getAttribute('role') === 'presentation' || svg.getAttribute('role') === 'none') continue;
    const named = svg.getAttribute('aria-label') || svg.getAttribute('aria-labelledby')
      || (svg.querySelector(':scope > title') || {}).textContent;
    const icon = svg.getBoundingClientRect().width <= 24 && !svg.querySelector('text');
    if (!(svg.getAttribute('role') === 'img' && named) && !icon) {
      found.push(`svg ${(svg.outerHTML || '').slice(0, 60)}`);
    }
  }
  return found;
}"""

# Whether the focused element shows focus: an outline or a box shadow on it (:focus-visible),
# or on a part of it the theme marks instead (the sidebar's toggle arrow inside its summary).
FOCUS_SHOWN_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return 'nothing has focus';
  const marked = (node) => { const style = getComputedStyle(node);
    return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
      || (style.boxShadow && style.boxShadow !== 'none'); };
  if (marked(el) || [...el.querySelectorAll('*')].some(marked)) return '';
  const label = el.getAttribute('aria-label') || el.textContent.trim().slice(0, 30) || el.tagName;
  return `${el.tagName.toLowerCase()} "${label}" shows no focus (outline or box shadow)`;
}"""
