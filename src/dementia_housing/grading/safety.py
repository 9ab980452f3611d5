"""Learners' work is untrusted: make their markup inert, keep hidden tests out of feedback.

- :class:`SanitiseLearnerCells` (after grading) turns every cell a learner could edit into
  inert text: raw HTML, links, images and maths in their markdown are escaped so the words
  show but nothing runs or loads; rich outputs (HTML, JavaScript, SVG, widgets) of every code
  cell are reduced to plain text. The formgrader, feedback and any report render from this.
- :class:`HideHiddenTests` (for feedback) removes hidden-test blocks from test cells and cuts
  tracebacks of test cells down to their one-line message, which never states an answer.
- :func:`scan_learner_code` notes code that reaches into the kernel or the checks, for a
  person to review. It changes no mark.
- :func:`check_feedback_html` is the last gate before feedback is written.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_NOTE = "# (hidden marking checks ran here)"
_HIDDEN_BLOCK = re.compile(re.escape(HIDDEN_BEGIN) + r".*?(" + re.escape(HIDDEN_END) + r"|\Z)", re.DOTALL)


def learner_editable(cell) -> bool:
    """Cells whose content comes from the learner: answers, and anything not locked by the source."""
    meta = cell.get("metadata", {}).get("nbgrader")
    if not meta:
        return True
    return bool(meta.get("solution")) or not meta.get("locked", False)


INERT_OPEN = '<div class="tex2jax_ignore mathjax_ignore">\n\n'
INERT_CLOSE = "\n\n</div>"


def _is_inert(text: str) -> bool:
    """True for text :func:`inert_markdown` produced (so applying it twice changes nothing)."""
    if not (text.startswith(INERT_OPEN) and text.endswith(INERT_CLOSE)):
        return False
    inner = text[len(INERT_OPEN) : -len(INERT_CLOSE)]
    if "<" in inner or ">" in inner:
        return False
    unescaped = re.sub(r"\\\\|\\[\[\]$`]", "", inner)
    return not re.search(r"[\[\]$`]", unescaped)


def inert_markdown(text: str) -> str:
    """Learner markdown with nothing that could run, load or link: the words still read the same.

    Raw HTML and autolinks are escaped, link, image, code and maths syntax is backslash-escaped,
    and the whole answer sits in a (trusted) block that MathJax is told to leave alone.
    """
    if _is_inert(text):
        return text
    text = html.escape(text, quote=False)
    text = re.sub(r"([\\\[\]$`])", r"\\\1", text)
    return INERT_OPEN + text + INERT_CLOSE


def plain_outputs(outputs: list) -> list:
    """Keep text; reduce rich outputs to their plain-text form so nothing renders as markup."""
    kept = []
    for output in outputs:
        kind = output.get("output_type")
        if kind in ("display_data", "execute_result"):
            data = output.get("data", {})
            text = data.get("text/plain", "[a rich output was removed for safety]")
            output["data"] = {"text/plain": text}
            output["metadata"] = {}
        kept.append(output)
    return kept


class SanitiseLearnerCells(NbGraderPreprocessor):
    """Make learners' markup inert in the notebook that people will look at."""

    def preprocess(self, nb, resources):
        for key in list(nb.metadata):
            if key not in ("kernelspec", "language_info", "nbgrader"):
                del nb.metadata[key]
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if learner_editable(cell):
            cell.pop("attachments", None)
            if cell.cell_type in ("markdown", "raw"):
                cell.cell_type = "markdown" if cell.cell_type == "raw" else cell.cell_type
                cell.source = inert_markdown(cell.source)
            nb_meta = cell.metadata.get("nbgrader")
            cell.metadata = {"nbgrader": nb_meta} if nb_meta else {}
        if cell.cell_type == "code":
            cell.outputs = plain_outputs(cell.get("outputs", []))
        return cell, resources


class HideHiddenTests(NbGraderPreprocessor):
    """Remove hidden tests (and their tracebacks) from what a learner will be shown."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if HIDDEN_BEGIN in cell.source:
            cell.source = _HIDDEN_BLOCK.sub(HIDDEN_NOTE, cell.source)
        if any(marker in cell.source for marker in SOLUTION_MARKERS):  # a source notebook sent back as-is
            cell.source = "\n".join(line for line in cell.source.splitlines() if line.strip() not in SOLUTION_MARKERS)
        if utils.is_grade(cell) and not utils.is_solution(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources


# Code a non-programmer's answer never needs; its presence is worth a person's look.
_SUSPICIOUS = [
    (r"\bget_ipython\b|\bIPython\b", "reaches into the notebook's kernel (get_ipython)"),
    (r"__\w+__", "uses Python's hidden double-underscore names"),
    (r"\b(exec|eval|compile|globals|locals|vars|setattr|delattr|getattr)\s*\(", "runs or rewrites code indirectly"),
    (r"\b(builtins|sys\.modules|gc|ctypes|inspect|importlib)\b", "reaches into Python's internals"),
    (r"\b(os|subprocess|socket|shutil|pathlib|urllib|requests|http)\b", "uses the operating system or network"),
    (r"\bopen\s*\(", "opens files"),
    (r"\b(check_letter|check_number)\s*=|def\s+(check_letter|check_number)\b", "redefines the course's checks"),
    (r"^\s*[!%]", "runs notebook shell or magic commands"),
]


def scan_learner_code(nb) -> list[str]:
    """Reasons a person should look at this submission's code (empty for ordinary answers)."""
    found: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code" or not learner_editable(cell):
            continue
        for pattern, reason in _SUSPICIOUS:
            if re.search(pattern, cell.source, flags=re.MULTILINE) and reason not in found:
                found.append(reason)
    return found


class _ActiveContent(HTMLParser):
    """Collects script tags, event-handler attributes and script URLs in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.handlers.append(f"<{tag} {name}=...>")
            if value and re.match(r"\s*(javascript|vbscript|data:text/html)", value, re.IGNORECASE):
                self.handlers.append(f"<{tag} {name}={value[:30]}>")
        if tag == "script":
            self._in_script = True
            self.scripts.append(dict(attrs).get("src") or "")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and self.scripts:
            self.scripts[-1] += data


def active_content(page: str) -> _ActiveContent:
    parser = _ActiveContent()
    parser.feed(page)
    return parser


class UnsafeFeedback(RuntimeError):
    pass


def check_feedback_html(page: str, baseline: _ActiveContent) -> None:
    """Refuse feedback that shows hidden tests or solutions, or has active markup the template lacks.

    ``baseline`` is the active content of the same template rendering the released notebook.
    """
    for marker in (HIDDEN_BEGIN, HIDDEN_END, *SOLUTION_MARKERS):
        if marker in page:
            raise UnsafeFeedback(f"feedback would show '{marker}'")
    found = active_content(page)
    extra = [h for h in found.handlers if h not in baseline.handlers]
    extra += [s[:80] for s in found.scripts if s not in baseline.scripts]
    if extra:
        raise UnsafeFeedback(f"feedback would contain active markup that is not the template's own: {extra[0]!r}")
