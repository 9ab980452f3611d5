"""Sphinx extension: "Do this exercise here" pages (issue 17).

```{exercise-form} ch05-evidence``` reads the released notebook ``exercises/<assignment>/*.ipynb``
when the book is built (never ``solutions/``) and writes it as a page: its markdown cells as
text, each answer cell as the input its check cell asks for (dementia_housing.grading.exercise_form),
the released notebook itself as JSON in the page, and the form's description. On pages that
have the directive, book/_static/exercise-form.js saves answers in the browser, restores them,
and makes the notebook to download. The page needs no Pyodide and no widget manager.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from dementia_housing.content.evidence import data_path, load_evidence, source_label
from dementia_housing.grading import exercise_form

SCRIPT = "exercise-form.js"
# Cells that only tell a Jupyter user what to run: the page says what to do instead. A notebook
# marks any other such cell (code that loads a file, say) with the tag below.
JUPYTER_ONLY = {"setup-intro", "outro"}
JUPYTER_ONLY_TAG = "jupyter-only"
JUPYTER_HOWTO = "**How this notebook works**"
DATA_FILE_TITLES = {
    "evidence.csv": "the course's evidence table",
    "jsna/ashworth-fictional-population.csv": "the fictional district's population by ward and age band",
}


def _fence(text: str, char: str = "`") -> str:
    longest = max((len(run) for run in re.findall(f"{re.escape(char)}+", text)), default=0)
    return char * max(3, longest + 1)


def _raw(markup: str) -> str:
    return f"````{{raw}} html\n{markup}\n````\n"


def _inline(text: str) -> str:
    """An option's markdown (bold, italics, code) as safe HTML."""
    text = html.escape(text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"\*([^*]+)\*", r"<em>\1</em>", text)


def _label(question: exercise_form.Question, field: exercise_form.Field) -> str:
    if len(question.fields) == 1:
        return f"{question.heading}: your answer"
    return f"{question.heading}: {field.name.replace('_', ' ')}"


def _field_id(question, field=None) -> str:
    return question.anchor + (f"-{field.name.replace('_', '-')}" if field else "")


def letter_html(question, field) -> str:
    base = _field_id(question, field)
    options = []
    for letter in field.letters:
        text = field.options.get(letter, "")
        words = f" {_inline(text)}" if text else ""
        options.append(
            f'<div class="dh-ex-option"><input type="radio" id="{base}-{letter}" name="{question.key(field)}" '
            f'value="{letter}"><label for="{base}-{letter}"><strong>{letter}</strong>{words}</label></div>'
        )
    return (
        f'<fieldset class="dh-ex-field dh-ex-letter" id="{base}" data-key="{question.key(field)}">'
        f"<legend>{html.escape(_label(question, field))}</legend>{''.join(options)}</fieldset>"
    )


def number_html(question, field) -> str:
    base = _field_id(question, field)
    whole = field.kind == "whole"
    hint = (
        "A whole number, for example 7 or 2,130."
        if whole
        else "A number, for example 4.78 (a decimal comma, 4,78, is fine too)."
    )
    return (
        f'<div class="dh-ex-field dh-ex-number" id="{base}" data-key="{question.key(field)}">'
        f'<label for="{base}-input">{html.escape(_label(question, field))}</label>'
        f'<p class="dh-ex-hint" id="{base}-hint">{hint} It goes into the notebook as '
        f"<code>{field.name}</code>.</p>"
        f'<input type="text" id="{base}-input" inputmode="{"numeric" if whole else "decimal"}" autocomplete="off" '
        f'spellcheck="false" aria-describedby="{base}-hint {base}-error">'
        f'<p class="dh-ex-error" id="{base}-error"></p></div>'
    )


def evidence_html(question) -> str:
    if not question.evidence_ids:
        return ""
    table = load_evidence()
    rows = "".join(
        f"<tr><td><code>{html.escape(fig.id).replace('_', '_<wbr>')}</code></td><td>{html.escape(str(fig.value))}</td>"
        f"<td>{html.escape(fig.unit)}</td><td>{fig.year}</td><td>{html.escape(source_label(fig.source_key))}</td></tr>"
        for fig in (table[i] for i in question.evidence_ids)
    )
    caption = "The rows of the evidence table that this question uses"
    return (
        f'<div class="dh-ex-data" role="region" aria-label="{caption}" tabindex="0"><table>'
        f"<caption>{caption}</caption><thead><tr><th>id</th><th>value</th><th>unit</th><th>year</th>"
        f"<th>source</th></tr></thead><tbody>{rows}</tbody></table></div>"
    )


def markdown_html(question, rubric: dict | None) -> str:
    base = _field_id(question)
    described = f"{base}-hint"
    criteria = ""
    if rubric:
        items = "".join(
            f"<li>{c['points']} mark{'s' if c['points'] != 1 else ''}: {html.escape(c['descriptor'])}</li>"
            for c in rubric["criteria"]
        )
        criteria = (
            f'<div class="dh-ex-rubric" id="{base}-rubric"><p>How this answer is marked '
            f"({rubric['points']} marks): a person gives a mark for each point it shows.</p><ul>{items}</ul></div>"
        )
        described += f" {base}-rubric"
    return (
        f'<div class="dh-ex-field dh-ex-text" id="{base}" data-key="{question.key()}">'
        f'<label for="{base}-input">{html.escape(question.heading)}: your answer</label>'
        f'<p class="dh-ex-hint" id="{base}-hint">Write in your own words; plain text is fine. '
        f"Your assessor reads it as you typed it.</p>{criteria}"
        f'<textarea id="{base}-input" rows="10" aria-describedby="{described}"></textarea></div>'
    )


def _intro(source: str) -> str:
    """The notebook's introduction without its title (the page has one) or its Jupyter steps."""
    text = source.split(JUPYTER_HOWTO, 1)[0]
    return re.sub(r"\A\s*# [^\n]*\n", "", text).strip()


_LISTED_OPTION = re.compile(r"^\s*[-*]\s+\*\*([A-Z])\*\*\s.*(?:\n|$)", re.M)
_LETTER_HOWTO = re.compile(r"^Put the letter of your answer in quotes.*(?:\n|$)", re.M)
_MARKING = re.compile(r"^\*\*How this answer is marked.*", re.M | re.S)
# Paragraphs for Jupyter only: "In Jupyter: …" (which variable to store, code hints) and
# "Hint: `code`". On the page the field, and the data beside it, take their place.
_JUPYTER_NOTE = re.compile(r"^(?:In Jupyter: |Hint: [^\n]*`).*?(?:\n\s*\n|\Z)", re.M | re.S)


def _as_question(markdown: str, answer, has_rubric: bool) -> str:
    """A question cell as the page shows it: the options and the rubric go with the answer's
    inputs (not twice); "put the letter in quotes", "In Jupyter:" notes and code hints are for
    Jupyter only."""
    markdown = _JUPYTER_NOTE.sub("", markdown)
    if answer is None:
        return markdown
    if answer.kind == "markdown":
        return _MARKING.sub("", markdown).rstrip() + "\n" if has_rubric else markdown
    listed = set(_LISTED_OPTION.findall(markdown))
    letters = [f for f in answer.fields if f.kind == "letter"]
    if letters and all(set(f.letters) <= listed for f in letters if set(f.letters) & listed):
        markdown = re.sub(r"^[^\n]*to choose from:\s*$\n?", "", _LISTED_OPTION.sub("", markdown), flags=re.M)
    return _LETTER_HOWTO.sub("", markdown)


def _demoted(markdown: str) -> str:
    """A heading of level 1 in a cell becomes level 2: the page keeps one title."""
    return re.sub(r"^# ", "## ", markdown, flags=re.M)


START = """\
## Doing this exercise on this page

{intro}

Answer the questions below on this page: no Python or Jupyter is needed. Your answers are kept
in this browser as you type, and nothing is sent anywhere, so you can close the page and carry on
later on the same device. When you have finished, go to {{ref}}`send-your-work-{assignment}`: type
your name, download your notebook and send the file in. Your assessor marks it in the same way as
one made in Jupyter.

For the questions that ask for a calculation, the data you need is shown beside the question or
offered as a spreadsheet file (CSV) you can open in Excel or similar. You can work it out by hand,
in a spreadsheet or with a calculator, and type the result. If you prefer Jupyter, download the
notebook {{download}}`{notebook} </exercises/{assignment}/{notebook}>` and answer it there
(see {{ref}}`submitting-exercises`).
"""

FINISH = """\
(send-your-work-{assignment})=
## Send your work

Type your name, check what is still unanswered, then download the notebook.
"""

AFTER = """\
**What to do with the file.** Send the downloaded `.ipynb` file to your trainer or assessor, by
email or as they ask, or upload it to your learning system. Do not rename it: the name tells the
assessor whose work it is and which exercise. If you change an answer later, come back to this
page (your answers are still here), download again and send the new file.
"""


def _load_panel() -> str:
    return (
        '<div class="dh-ex-load" hidden><label for="dh-ex-load-file">Load a notebook I saved</label>'
        '<p class="dh-ex-hint" id="dh-ex-load-hint">Choose a file you downloaded from this page before: '
        "its answers replace the ones on the page.</p>"
        '<input type="file" id="dh-ex-load-file" accept=".ipynb,application/json" '
        'aria-describedby="dh-ex-load-hint">'
        '<p class="dh-ex-status" id="dh-ex-load-status" role="status"></p></div>'
    )


def _send_panel() -> str:
    return (
        '<div class="dh-ex-send" hidden>'
        '<div class="dh-ex-field"><label for="dh-ex-name">Your name or learner number</label>'
        '<p class="dh-ex-hint" id="dh-ex-name-hint">It becomes part of the file name, for example '
        "<code>sam-jones</code>.</p>"
        '<input type="text" id="dh-ex-name" autocomplete="name" aria-describedby="dh-ex-name-hint dh-ex-name-error">'
        '<p class="dh-ex-error" id="dh-ex-name-error"></p></div>'
        '<div class="dh-ex-unanswered" role="status"></div>'
        '<button type="button" class="dh-ex-download">Download my notebook</button>'
        '<p class="dh-ex-status" id="dh-ex-download-status" role="status"></p>'
        "</div>"
    )


def _clear_panel() -> str:
    return (
        '<div class="dh-ex-clear" hidden><button type="button" class="dh-ex-clear-ask">Clear my answers</button>'
        '<div class="dh-ex-confirm" role="group" aria-labelledby="dh-ex-confirm-text" hidden>'
        '<p id="dh-ex-confirm-text">Clear every answer on this page, in this browser? This cannot be undone '
        "(a notebook you downloaded is not changed).</p>"
        '<button type="button" class="dh-ex-clear-yes">Yes, clear my answers</button> '
        '<button type="button" class="dh-ex-clear-no">No, keep them</button></div>'
        '<p class="dh-ex-status" id="dh-ex-clear-status" role="status"></p></div>'
        '<noscript><p class="dh-ex-noscript">This form needs JavaScript to save your answers and make '
        "your notebook. Without it, download the notebook above and answer it in Jupyter.</p></noscript>"
    )


class ExerciseFormDirective(SphinxDirective):
    """```{exercise-form} ch05-evidence``` renders that released exercise as a form."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        assignment = self.arguments[0]
        root = Path(self.env.srcdir)
        path = exercise_form.released_notebook(root, assignment)
        if not path.is_file():
            raise self.error(f"exercise-form: no released notebook {path.relative_to(root)}")
        self.env.note_dependency(str(path))
        for code in (__file__, exercise_form.__file__):  # a change to the page's rules rebuilds it
            self.env.note_dependency(code)
        self.env.note_dependency(str(data_path("evidence.csv")))
        released_text = path.read_text(encoding="utf-8")
        notebook = json.loads(released_text)
        try:
            form = exercise_form.load_form(notebook, assignment, set(load_evidence()))
        except exercise_form.FormError as problem:
            raise self.error(str(problem)) from None
        rubrics = self._rubrics(assignment)
        text = self._page(notebook, form, rubrics)
        # The page's headings become its sections (match_titles): every part, the notebook and the
        # form's description included, goes through this one parse, so it stays in page order.
        container = nodes.container()
        self.state.nested_parse(StringList(text.splitlines(), source=str(path)), 0, container, match_titles=True)
        return list(container.children)

    def _rubrics(self, assignment: str) -> dict[str, dict]:
        name = f"rubrics/{assignment}.json"
        if not data_path(name).is_file():
            return {}
        self.env.note_dependency(str(data_path(name)))
        try:
            return {r["grade_id"]: r for r in json.loads(data_path(name).read_text(encoding="utf-8"))["reflections"]}
        except (ValueError, KeyError, TypeError) as problem:
            raise self.error(f"exercise-form: {name}: {problem}") from None

    def _page(self, notebook: dict, form: exercise_form.Form, rubrics: dict[str, dict]) -> str:
        by_cell = {q.cell: q for q in form.questions}
        intro = _intro("".join(notebook["cells"][0]["source"])) if notebook["cells"] else ""
        parts = [START.format(intro=intro, assignment=form.assignment, notebook=form.notebook), _raw(_load_panel())]
        for index, cell in enumerate(notebook["cells"][1:], start=1):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            source = "".join(cell["source"])
            if index in by_cell:
                parts.append(self._answer(by_cell[index], form, rubrics))
            elif (
                meta.get("grade_id") in JUPYTER_ONLY
                or JUPYTER_ONLY_TAG in cell.get("metadata", {}).get("tags", [])
                or meta.get("grade")
            ):
                continue
            elif cell["cell_type"] == "markdown":
                answer = by_cell.get(index + 1)
                parts.append(_demoted(_as_question(source, answer, answer and answer.grade_id in rubrics)) + "\n")
            elif meta.get("grade_id") != "setup" and source.strip():
                fence = _fence(source)
                parts += [
                    _raw('<div class="dh-ex-code">'),
                    "The notebook keeps this data in a code cell (you do not need to run it here):\n\n"
                    f"{fence}python\n{source}\n{fence}\n",
                    _raw("</div>"),
                ]
        data = (
            f'<script type="application/json" id="dh-ex-notebook">{exercise_form.script_json(notebook)}</script>\n'
            f'<script type="application/json" id="dh-ex-form">{exercise_form.script_json(exercise_form.describe(form))}'
            "</script>"
        )
        parts += [
            FINISH.format(assignment=form.assignment),
            _raw(_send_panel()),
            AFTER,
            _raw(_clear_panel()),
            _raw(data),
        ]
        return "\n".join(parts)

    def _answer(self, question, form, rubrics) -> str:
        if question.kind == "markdown":
            return _raw(markdown_html(question, rubrics.get(question.grade_id)))
        text = [_raw(f'<div class="dh-ex-question" id="{question.anchor}">')]
        for field in question.fields:
            text.append(_raw(letter_html(question, field) if field.kind == "letter" else number_html(question, field)))
        if any(f.kind != "letter" for f in question.fields):
            if question.evidence_ids:
                text.append(_raw(evidence_html(question)))
            elif form.data_files:
                links = "; ".join(
                    f"{{download}}`{Path(name).name} </data/{name}>` ({DATA_FILE_TITLES.get(name, 'a data file')})"
                    for name in form.data_files
                )
                text.append(f"The data for this question, as spreadsheet files (CSV): {links}.\n")
        text.append(_raw("</div>"))
        return "\n".join(text)


def add_form_script(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """The form's script, on exercise pages only."""
    if 'id="dh-ex-form"' in (context.get("body") or ""):
        app.add_js_file(SCRIPT)


def setup(app: Sphinx) -> dict:
    app.add_directive("exercise-form", ExerciseFormDirective)
    app.connect("html-page-context", add_form_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
