"""Exercises in the browser: the form that a released exercise notebook becomes, and the notebook
that the form's answers become.

The book's exercise pages (book/_ext/exercise_pages.py) are built from ``exercises/`` only, never
from ``solutions/``. Each answer cell gets the input its visible check cell asks for:
``check_letter(x, "ABCD")`` a choice of letters, ``check_number(x)`` a number field,
``check_number(x, whole=True)`` a whole-number field, and a manually graded markdown cell a text
area. Answers go back into the released notebook as literals only (``answer_q4 = "B"``,
``times_the_cost = 4.78``, escaped markdown), every other byte as released.

book/_static/exercise-form.js applies the same rules in the browser; both are tested against
data/exercise-form-cases.json.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from dementia_housing.grading.intake import learner_id
from dementia_housing.grading.marking import answer_forms
from dementia_housing.grading.safety import INERT_CLOSE, INERT_OPEN, inert_markdown

CASES_FILE = "exercise-form-cases.json"
MAX_INTEGER_DIGITS = 15
MAX_FRACTION_DIGITS = 20

# The page shows these messages; the browser takes them from the page, so there is one wording.
MESSAGES = {
    "not_a_number": "Type a number only, using digits, for example 4.78 or 1,234 (not a word, a sum or code).",
    "not_whole": "Type a whole number, for example 7 or 2,130, with no decimal places.",
    "too_long": f"That number is too long: use at most {MAX_INTEGER_DIGITS} digits before the decimal point "
    f"and {MAX_FRACTION_DIGITS} after it.",
    "not_a_letter": "Choose one of the letters offered.",
    "name_needed": "Type your name (or learner number) so that your assessor knows whose work it is.",
    "name_unusable": "Use letters or digits in your name, for example Sam Jones or learner 1042.",
    "not_ours": "This file is not an exercise notebook from this course, so nothing was loaded.",
    "other_assignment": "This notebook is for a different exercise, so nothing was loaded. "
    "Open that exercise's page to load it there.",
}

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
_PLAIN = re.compile(r"^(\d*)(?:\.(\d+))?$", re.ASCII)
_COMMA_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$", re.ASCII)
_SPACE_THOUSANDS = re.compile(r"^\d{1,3}(?: \d{3})+(?:\.\d+)?$", re.ASCII)
_DECIMAL_COMMA = re.compile(r"^\d+,\d+$", re.ASCII)


@dataclass(frozen=True)
class Parsed:
    """What a learner typed in a number field: a Python literal, an error, or nothing."""

    literal: str | None = None
    error: str | None = None

    @property
    def unanswered(self) -> bool:
        return self.literal is None and self.error is None


def parse_number(text: str, whole: bool = False) -> Parsed:
    """A number as a UK user types it, as a Python literal: "4.78", "1,234" (thousands), "4,78"
    (a decimal comma: it cannot be a thousands group), "£1,234.50", "1 234", "-0.5", "50%".
    Anything else (code, NaN, inf, 1e999) is refused with a message; empty is unanswered."""
    text = _SPACES.sub(" ", text).strip()
    if not text:
        return Parsed()
    sign = ""
    if text[0] in "-+\u2212":
        sign = "-" if text[0] != "+" else ""
        text = text[1:].lstrip()
    text = text.removeprefix("£").lstrip()
    text = text.removesuffix("%").rstrip()
    if _COMMA_THOUSANDS.match(text):
        text = text.replace(",", "")
    elif _SPACE_THOUSANDS.match(text):
        text = text.replace(" ", "")
    elif _DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    match = _PLAIN.match(text)
    if not text or not match or text == ".":
        return Parsed(error=MESSAGES["not_a_number"])
    integer, fraction = match.group(1).lstrip("0") or "0", match.group(2) or ""
    if len(integer) > MAX_INTEGER_DIGITS or len(fraction) > MAX_FRACTION_DIGITS:
        return Parsed(error=MESSAGES["too_long"])
    if whole:
        if fraction.strip("0"):
            return Parsed(error=MESSAGES["not_whole"])
        fraction = ""
    if sign and integer == "0" and not fraction.strip("0"):
        sign = ""
    return Parsed(literal=sign + integer + (f".{fraction}" if fraction else ""))


def safe_learner(name: str) -> str:
    """The learner part of the file name: "Siobhán O'Neill" -> "siobhan-oneill", the grader's own
    learner id (accents folded, so the file travels safely by email and learning systems)."""
    return learner_id(name)


def file_name(name: str, assignment: str) -> str:
    return f"{safe_learner(name)}_{assignment}.ipynb"


def escape_markdown(text: str) -> str:
    """A written answer as the grader's own inert markdown (grading.safety.inert_markdown): & < >
    escaped, so no tag survives; link, code and maths marks backslash-escaped, so they show as
    typed; in the block the grader recognises, so it is not escaped twice."""
    return inert_markdown(text)


def unescape_markdown(text: str) -> str:
    """The words a learner typed, back from :func:`escape_markdown` (other text as it is)."""
    if not (text.startswith(INERT_OPEN) and text.endswith(INERT_CLOSE)):
        return text
    text = re.sub(r"\\([\\\[\]$`])", r"\1", text[len(INERT_OPEN) : -len(INERT_CLOSE)])
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def inert_block() -> tuple[str, str]:
    return INERT_OPEN, INERT_CLOSE


@dataclass(frozen=True)
class Field:
    """One answer variable in a code answer cell, as its check cell asks for it."""

    name: str
    kind: str  # "letter", "number" or "whole"
    letters: str = ""
    options: dict[str, str] = field(default_factory=dict)  # letter -> its text in the question


@dataclass(frozen=True)
class Question:
    """An answer cell and what the page shows for it."""

    cell: int  # index in the notebook's cells
    grade_id: str
    kind: str  # "code" or "markdown"
    heading: str  # "Question 1", "Interaction 3", "Part 3: reflection"
    anchor: str
    fields: tuple[Field, ...] = ()
    evidence_ids: tuple[str, ...] = ()
    released_source: str = ""

    def key(self, field_: Field | None = None) -> str:
        return f"{self.grade_id}:{field_.name}" if field_ else self.grade_id

    @property
    def keys(self) -> list[str]:
        return [self.key(f) for f in self.fields] if self.kind == "code" else [self.key()]


@dataclass(frozen=True)
class Form:
    assignment: str
    notebook: str  # the released notebook's file name
    grade_ids: tuple[str, ...]
    questions: tuple[Question, ...]
    data_files: tuple[str, ...]  # data files the notebook's code reads, such as "evidence.csv"


class FormError(ValueError):
    """A released notebook the form cannot be made from (names the assignment and the cell)."""


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _nbgrader(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _checks(source: str) -> list[Field]:
    """The answer variables a check cell checks, and how: read by the marker's own rule
    (marking.answer_forms), so the page asks for exactly what the marking expects."""
    return [Field(name, form.kind, form.letters) for name, form in answer_forms(source).items()]


_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)
_MARKS = re.compile(r"\s*\(\d+ marks?\)\s*$")
_OPTION = re.compile(r"^\s*[-*]\s+\*\*([A-Z])\*\*\s+(.+?)\s*$", re.M)
_CODE_SPAN = re.compile(r"`([^`]+)`")
_NAMED_LETTER = re.compile(r"\*\*([^*\n]{1,40})\*\*[^()*\n]{0,60}\(`\"([A-Z])\"`")
_DATA_FILE = re.compile(r"data_path\(\s*[\"']([^\"']+\.csv)[\"']\s*\)")


def heading_of(markdown: str) -> str:
    """The last heading of a question cell, without its marks: "Question 1"."""
    headings = _HEADING.findall(markdown)
    return _MARKS.sub("", headings[-1][1]) if headings else ""


def _options(letters: str, question: str, context: str) -> dict[str, str]:
    """Each letter's text: the question's "- **A** ..." list, else "**word** (`"U"`)" in the notes
    before it, else nothing (the letter alone)."""
    listed = dict(_OPTION.findall(question))
    named = {letter: word for word, letter in _NAMED_LETTER.findall(context)}
    return {letter: listed.get(letter) or named.get(letter, "") for letter in letters}


def _evidence_ids(markdown: str, known: set[str]) -> tuple[str, ...]:
    """Evidence ids named in code spans: whole ids, or a prefix such as `prevalence_rate_`."""
    ids: list[str] = []
    for span in _CODE_SPAN.findall(markdown):
        for token in re.findall(r"[A-Za-z0-9_]+", span):
            matches = [token] if token in known else []
            if not matches and token.endswith("_") and len(token) > 3:
                matches = sorted(i for i in known if i.startswith(token))
            ids += [i for i in matches if i not in ids]
    return tuple(ids)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def load_form(nb: dict, assignment: str, known_evidence: set[str] = frozenset()) -> Form:
    """The form for a released notebook (its JSON, as loaded)."""
    cells = nb.get("cells", [])
    questions: list[Question] = []
    context: list[str] = []  # markdown since the last code cell: the question and its notes
    notes: list[str] = []  # all markdown so far (for the names of letters)
    for index, cell in enumerate(cells):
        meta, source = _nbgrader(cell), _source(cell)
        if cell.get("cell_type") == "markdown" and not meta.get("solution"):
            context.append(source)
            notes.append(source)
            continue
        if not meta.get("solution"):
            context = [] if cell.get("cell_type") == "code" else context
            continue
        question = context[-1] if context else ""
        heading = heading_of(question) or meta.get("grade_id", f"cell {index + 1}")
        common = {
            "cell": index,
            "grade_id": meta["grade_id"],
            "heading": heading,
            "anchor": f"answer-{_slug(meta['grade_id'])}",
            "evidence_ids": _evidence_ids("\n".join(context), set(known_evidence)),
            "released_source": source,
        }
        if cell.get("cell_type") == "markdown":
            questions.append(Question(kind="markdown", **common))
        else:
            fields = []
            for later in cells[index + 1 :]:
                if _nbgrader(later).get("solution"):
                    break
                if later.get("cell_type") == "code" and _nbgrader(later).get("grade"):
                    fields += _checks(_source(later))
            if not fields:
                raise FormError(f"{assignment}: answer cell {meta['grade_id']} has no check cell after it")
            fields = [
                Field(f.name, f.kind, f.letters, _options(f.letters, question, "\n".join(notes))) if f.letters else f
                for f in fields
            ]
            questions.append(Question(kind="code", fields=tuple(fields), **common))
        context = []
    data_files = []
    for cell in cells:
        if cell.get("cell_type") == "code":
            data_files += [f for f in _DATA_FILE.findall(_source(cell)) if f not in data_files]
    grade_ids = tuple(_nbgrader(c)["grade_id"] for c in cells if _nbgrader(c).get("grade_id"))
    return Form(assignment, f"{assignment}.ipynb", grade_ids, tuple(questions), tuple(data_files))


def answer_source(question: Question, answers: dict[str, str]) -> str | None:
    """The new source of an answer cell, or None to keep it as released (nothing valid typed)."""
    if question.kind == "markdown":
        text = answers.get(question.key(), "")
        return escape_markdown(text) if text.strip() else None
    lines = []
    for field_ in question.fields:
        typed = answers.get(question.key(field_), "")
        if field_.kind == "letter":
            letter = typed.strip().upper()
            if len(letter) == 1 and letter in field_.letters:
                lines.append(f'{field_.name} = "{letter}"')
        else:
            parsed = parse_number(typed, whole=field_.kind == "whole")
            if parsed.literal is not None:
                lines.append(f"{field_.name} = {parsed.literal}")
    return "\n".join(lines) if lines else None


def serialise(nb: dict) -> str:
    """As nbformat writes a notebook: indent 1, sorted keys, UTF-8 kept, a final newline."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def fill(released_text: str, form: Form, answers: dict[str, str]) -> str:
    """The released notebook with the answers in its answer cells, every other byte as released."""
    nb = json.loads(released_text)
    for question in form.questions:
        source = answer_source(question, answers)
        if source is not None:
            nb["cells"][question.cell]["source"] = source.splitlines(keepends=True)
    return serialise(nb)


_ASSIGNED = re.compile(r"""^\s*([A-Za-z_]\w*)\s*=\s*(?:"([A-Za-z])"|'([A-Za-z])'|(-?\d+(?:\.\d+)?))\s*$""", re.ASCII)


def read_answers(nb: object, form: Form) -> dict[str, str]:
    """The answers in a notebook the form made (or one answered with literals in Jupyter).
    Raises FormError with the page's message for a file that is not this exercise's notebook."""
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise FormError(MESSAGES["not_ours"])
    ids = tuple(_nbgrader(c).get("grade_id") for c in nb["cells"] if isinstance(c, dict) and _nbgrader(c))
    if set(ids) != set(form.grade_ids):
        raise FormError(MESSAGES["other_assignment"] if ids else MESSAGES["not_ours"])
    by_id = {_nbgrader(c).get("grade_id"): c for c in nb["cells"] if isinstance(c, dict)}
    answers: dict[str, str] = {}
    for question in form.questions:
        source = _source(by_id[question.grade_id])
        if source == question.released_source:
            continue
        if question.kind == "markdown":
            answers[question.key()] = unescape_markdown(source)
            continue
        names = {f.name: f for f in question.fields}
        for line in source.splitlines():
            match = _ASSIGNED.match(line)
            if match and match.group(1) in names:
                value = match.group(2) or match.group(3) or match.group(4)
                answers[question.key(names[match.group(1)])] = value.upper() if value.isalpha() else value
    return answers


def describe(form: Form) -> dict:
    """What the page's script needs to know about the form (no answers: there are none)."""
    return {
        "assignment": form.assignment,
        "notebook": form.notebook,
        "grade_ids": list(form.grade_ids),
        "messages": MESSAGES,
        "limits": {"integer": MAX_INTEGER_DIGITS, "fraction": MAX_FRACTION_DIGITS},
        "inert": list(inert_block()),
        "questions": [
            {
                "grade_id": q.grade_id,
                "cell": q.cell,
                "kind": q.kind,
                "heading": q.heading,
                "anchor": q.anchor,
                "released_source": q.released_source,
                "fields": [{"key": q.key(f), "name": f.name, "kind": f.kind, "letters": f.letters} for f in q.fields],
                "key": q.key() if q.kind == "markdown" else None,
            }
            for q in form.questions
        ],
    }


def script_json(data: object) -> str:
    """JSON for a <script type="application/json"> element: no "<" at all, so nothing in it can
    close the script or open a comment."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def released_notebook(root: Path, assignment: str) -> Path:
    """exercises/<assignment>/<assignment>.ipynb, never solutions/."""
    return root / "exercises" / assignment / f"{assignment}.ipynb"


def released_form(root: Path, assignment: str, known_evidence: set[str] = frozenset()) -> Form:
    """The form of exercises/<assignment>/<assignment>.ipynb."""
    text = released_notebook(root, assignment).read_text(encoding="utf-8")
    return load_form(json.loads(text), assignment, known_evidence)
