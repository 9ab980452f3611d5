"""Mark answers outside the learner's kernel, from plain values only.

Learner code controls its own kernel (it can rewrite later cells, turn ``assert`` into ``pass``
or fake an output), so no check runs there. Instead:

1. :meth:`MarkingPlan.kernel_copy` makes the notebook the sandboxed kernel runs: each check
   cell is replaced by a cell that reports the answers that check reads, as plain values
   (:mod:`.capture`). Hidden tests never enter the kernel.
2. :meth:`MarkingPlan.mark` runs, in this (trusted) process and in a fresh namespace, the
   course's own locked set-up cells and then each check cell, visible and hidden parts, exactly
   as written in ``solutions/``, after setting the names it reads to the reported values. The
   check cell's outputs in the marked notebook come from this run only.

Everything that is run here comes from the course (the source notebooks the gradebook was
made from); the only thing that comes from the learner is the values, which can only be
``str``, ``int``, ``float``, ``bool``, ``None`` and lists or dicts of them.
"""

from __future__ import annotations

import ast
import builtins
import copy
import io
import re
import secrets
import sys
import threading
from dataclasses import dataclass, field

import nbformat
from nbformat import NotebookNode

from .capture import capture_code, read_report
from .gradebook import CellRecord

NOT_READ = "AnswerNotRead"
NOT_PLAIN = "AnswerNotPlain"
NO_ANSWER = "NoAnswer"


class MarkingError(RuntimeError):
    """The course's own cells failed while marking: a fault in the course, not the learner's."""


def _error(ename: str, evalue: str) -> NotebookNode:
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def names_bound(source: str) -> set[str]:
    """The names a cell sets (assignments, imports, definitions, loop variables)."""
    tree = ast.parse(source)
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            bound |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            bound.add(node.name)
    return bound


def names_read(source: str, provided: set[str] = frozenset()) -> list[str]:
    """The names a check cell reads but neither sets itself nor gets from the course's set-up
    cells (``provided``): its answers, in order of use."""
    tree = ast.parse(source)
    bound = names_bound(source) | set(provided)
    loads = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    seen: list[str] = []
    for node in sorted(loads, key=lambda n: (n.lineno, n.col_offset)):
        if node.id not in bound and not hasattr(builtins, node.id) and node.id not in seen:
            seen.append(node.id)
    return seen


class _ThreadStdout(io.TextIOBase):
    """sys.stdout that sends one thread's writes to a buffer and everyone else's to the real one."""

    def __init__(self, real) -> None:
        self.real = real
        self.local = threading.local()

    def write(self, text: str) -> int:
        buffer = getattr(self.local, "buffer", None)
        return (buffer if buffer is not None else self.real).write(text)

    def flush(self) -> None:
        if getattr(self.local, "buffer", None) is None:
            self.real.flush()


_stdout_lock = threading.Lock()


def _run_captured(code, namespace: dict) -> tuple[str, BaseException | None]:
    """exec ``code`` in ``namespace``; what it printed (this thread only) and the exception, if any."""
    with _stdout_lock:
        if not isinstance(sys.stdout, _ThreadStdout):
            sys.stdout = _ThreadStdout(sys.stdout)
        proxy = sys.stdout
    proxy.local.buffer = io.StringIO()
    try:
        exec(code, namespace)  # course code from solutions/, on values checked as plain
        error = None
    except Exception as caught:  # noqa: BLE001 - a failing check is a result, not a crash
        error = caught
    finally:
        printed = proxy.local.buffer.getvalue()
        proxy.local.buffer = None
    return printed, error


@dataclass(frozen=True)
class Form:
    """The form a check's visible part asks for: ``letter`` (with its choices), ``number`` or ``whole``."""

    kind: str
    letters: str = ""


def answer_forms(source: str) -> dict[str, Form]:
    """name -> form, from the check cell's visible calls ``check_letter(name, "ABCD")`` and
    ``check_number(name)`` / ``check_number(name, whole=True)``."""
    forms: dict[str, Form] = {}
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
            continue
        target = node.args[0]
        if not isinstance(target, ast.Name):
            continue
        if node.func.id == "check_letter":
            letters = "ABCD"
            if len(node.args) > 1 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                letters = node.args[1].value
            forms[target.id] = Form("letter", letters.upper())
        elif node.func.id == "check_number":
            whole = any(k.arg == "whole" and isinstance(k.value, ast.Constant) and k.value.value for k in node.keywords)
            forms[target.id] = Form("whole" if whole else "number")
    return forms


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d{1,2}|[+-]?\d+,\d{4,}")
_LETTER = re.compile(r"\s*[(\[]?\s*([A-Za-z])\s*(?:[).\]:,;]|\s+-+|-+)?(?:\s.*)?", re.DOTALL)


def number_from_text(text: str) -> int | float | None:
    """A number written as text the way people write one ("0.75", "1,234", "4,78"), else None."""
    text = text.strip().replace("\u2212", "-")
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    elif _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def normalise(value, form: Form | None):
    """An answer in an everyday form turned into the form its question asks for, when that is
    unambiguous: a number written as text, a whole number written as 3.0, a letter with
    punctuation or its option's text after it ("D.", "c - self-assessment"). Else unchanged."""
    if form is None:
        return value
    if form.kind == "letter" and type(value) is str:
        match = _LETTER.fullmatch(value)
        if match and match.group(1).upper() in form.letters:
            rest = value[match.end(1) :]
            if any(re.search(rf"\b{letter}\b", rest) for letter in form.letters):
                return value  # "A or B": two answers, not one
            return match.group(1).upper()
        return value
    if form.kind in ("number", "whole") and type(value) is str:
        number = number_from_text(value)
        value = value if number is None else number
    if form.kind == "whole" and type(value) is float and value.is_integer():
        return int(value)
    return value


@dataclass
class Check:
    grade_id: str
    record: CellRecord
    names: list[str]
    forms: dict[str, Form] = field(default_factory=dict)
    code: object = None  # the cell compiled once, for every submission


@dataclass
class MarkedCheck:
    grade_id: str
    outputs: list = field(default_factory=list)
    problem: str | None = None  # for the assessor (grades.csv, summary)
    review: str | None = None  # for a person to check: the marks are held
    for_review: bool = False  # the answers went missing after their report cell ran


def bare_letters(ran: NotebookNode) -> dict[str, str]:
    """name -> letter for answers written without quotes (``answer_q4 = D``), which Python read
    as a name that does not exist, so the answer never reached the kernel."""
    found: dict[str, str] = {}
    for cell in ran.cells:
        if cell.cell_type != "code":
            continue
        missing = {
            m.group(1)
            for o in cell.get("outputs", [])
            if o.get("output_type") == "error" and o.get("ename") == "NameError"
            for m in [re.search(r"name '([A-Za-z])' is not defined", o.get("evalue", ""))]
            if m
        }
        if not missing:
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id in missing:
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        found[target.id] = node.value.id
    return found


@dataclass
class MarkingPlan:
    """How one notebook of an assignment is marked, built from its trusted source cells."""

    cells: dict[str, CellRecord]  # grade id -> record, in the source notebook's order
    checks: dict[str, Check]
    setup: dict[str, object] = field(default_factory=dict)  # grade id -> compiled set-up cell

    @classmethod
    def from_cells(cls, cells: dict[str, CellRecord]) -> MarkingPlan:
        provided: set[str] = set()
        checks: dict[str, Check] = {}
        setup: dict[str, object] = {}
        for grade_id, record in cells.items():
            if record.is_setup:
                provided |= names_bound(record.source)
                setup[grade_id] = compile(record.source, f"<{grade_id}>", "exec")
            elif record.is_check:
                names = names_read(record.source, provided)
                code = compile(record.source, f"<{grade_id}>", "exec")
                checks[grade_id] = Check(grade_id, record, names, answer_forms(record.source), code)
        return cls(cells=cells, checks=checks, setup=setup)

    def kernel_copy(self, prepared: NotebookNode) -> tuple[NotebookNode, dict[int, tuple[str, str]]]:
        """The notebook for the learner's kernel, and cell index -> (check id, one-time tag)."""
        run = copy.deepcopy(prepared)
        places: dict[int, tuple[str, str]] = {}
        for index, cell in enumerate(run.cells):
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if cell.cell_type == "code" and grade_id in self.checks:
                tag = f"@@dh-{secrets.token_hex(16)}@@"
                cell.source = capture_code(self.checks[grade_id].names, tag)
                places[index] = (grade_id, tag)
        return run, places

    def mark(
        self, prepared: NotebookNode, ran: NotebookNode, places: dict[int, tuple[str, str]], executed: set[int]
    ) -> tuple[NotebookNode, list[str]]:
        """The marked notebook (sources as released, check outputs from the trusted run) and problems."""
        reports: dict[str, tuple[str, bool]] = {}  # check id -> (printed text, did its cell run)
        for index, (grade_id, _tag) in places.items():
            text = "".join(
                o.get("text", "") for o in ran.cells[index].get("outputs", []) if o.get("output_type") == "stream"
            )
            reports[grade_id] = (text, index in executed)
        tags = {grade_id: tag for grade_id, tag in places.values()}
        results = self._run_checks(reports, tags, bare_letters(ran))
        marked = copy.deepcopy(prepared)
        problems: list[str] = []
        for index, cell in enumerate(marked.cells):
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id in self.cells:
                record = self.cells[grade_id]
                meta = cell.metadata.nbgrader
                meta.update(grade=record.points is not None, solution=record.solution, locked=record.locked)
                if record.points is not None:
                    meta["points"] = record.points
            if cell.cell_type != "code":
                continue
            if index in places:
                result = results[places[index][0]]
                cell.outputs = result.outputs
            else:
                cell.outputs = copy.deepcopy(ran.cells[index].get("outputs", []))
        unread = [r.grade_id for r in results.values() if r.for_review]
        if unread:
            problems.append(
                f"for review: the answers for {', '.join(unread)} could not be read, because the notebook's code "
                "interfered with the cells that report them; no marks for those"
            )
        problems += [f"for review: {r.review}" for r in results.values() if r.review]
        problems += [r.problem for r in results.values() if r.problem and not r.for_review]
        return marked, problems

    def _run_checks(
        self, reports: dict[str, tuple[str, bool]], tags: dict[str, str], bare: dict[str, str] | None = None
    ) -> dict[str, MarkedCheck]:
        namespace: dict = {"__name__": "__course_marking__", "__builtins__": builtins}
        results: dict[str, MarkedCheck] = {}
        for grade_id in self.cells:
            if grade_id in self.setup:
                _, error = _run_captured(self.setup[grade_id], namespace)
                if error is not None:
                    raise MarkingError(f"the course's cell {grade_id} failed while marking: {error!r}")
            elif grade_id in self.checks:
                check = self.checks[grade_id]
                results[grade_id] = self._run_check(check, reports.get(grade_id), tags, namespace, bare or {})
        return results

    def _run_check(self, check: Check, report, tags: dict[str, str], namespace: dict, bare: dict) -> MarkedCheck:
        result = MarkedCheck(check.grade_id)
        text, ran = report if report else ("", False)
        answers = read_report(text, tags[check.grade_id], check.names) if check.grade_id in tags else None
        if answers is None:
            result.for_review = ran  # never ran: the reason is reported already; ran: interference
            result.outputs = [
                _error(
                    NOT_READ,
                    "the answer to this question could not be read: the notebook stopped before this point, "
                    "or its code interfered with the marking",
                )
            ]
            return result
        for name in check.names:
            entry = answers[name]
            form = check.forms.get(name)
            if "missing" in entry and name in bare and form and form.kind == "letter":
                letter = bare[name]
                result.review = (
                    f"{check.grade_id}: {name} looks like the letter {letter} written without quotes, so Python "
                    "lost the answer; scored 0 until a person checks it"
                )
                result.outputs = [
                    _error(
                        NO_ANSWER, f'{name} = {letter} has no quotes, so the answer was lost: write {name} = "{letter}"'
                    )
                ]
                return result
            if "missing" in entry:
                result.outputs = [
                    _error(
                        NO_ANSWER,
                        f"{name} was not set when this question was checked (not answered, or its cell was not run)",
                    )
                ]
                return result
            if "not_plain" in entry:
                result.problem = f"{check.grade_id}: {name} is not a plain answer ({entry['not_plain']}); no marks"
                result.outputs = [
                    _error(NOT_PLAIN, f'{name} is {entry["not_plain"]}, not a plain answer such as "B" or 4.5')
                ]
                return result
            namespace[name] = normalise(entry["value"], form)
        printed, error = _run_captured(check.code, namespace)
        if printed:
            result.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=printed))
        if error is not None:
            result.outputs.append(_error(type(error).__name__, str(error)))
        return result
