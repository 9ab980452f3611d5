"""A cohort's knowledge-check responses: read them, list the bad rows, and do the arithmetic.

Standard library only. The report itself (HTML, charts, PDF) is in :mod:`.cohort_report`.

The responses file
------------------
A CSV file, UTF-8 (with or without the byte-order mark that Excel's "CSV UTF-8" adds), one row
per participant per sitting::

    participant,sitting,kc-lo1-age-groups,kc-lo1-where-people-live,...
    P01,pre,B,A,...
    P01,post,B,C,...

- ``participant``: an id, which may be a pseudonym (``P01``); the same id on the pre and the post
  row. Ids are matched ignoring case and surrounding spaces.
- ``sitting``: ``pre`` (before the workshop) or ``post`` (after it).
- one column per question, headed with the question's id from ``data/knowledge-check.json``, in any
  order. A file may hold only some of the questions: the report covers the ones it has.
- each answer is a letter, ``A`` to ``D`` (upper or lower case). A blank cell means **not
  answered**: it is counted and shown as not answered, and in a share right it counts as not
  right (the person did not give the right answer), never as a wrong letter.

A row that is wholly empty (as spreadsheets sometimes leave at the end) is skipped.

Bad rows
--------
Every problem becomes a :class:`RowProblem` with the file's line number, and the row is left out
of every number; nothing bad is counted silently. The kinds: a column that is not a question in
the knowledge check (that column is left out, line 1); a row with too many or too few cells; a
missing participant id; a sitting other than pre or post; an answer that is not a letter the
question has; the same participant and sitting twice (all those rows are left out, since it is
not clear which is right); and a participant with a pre row but no post row, or a post row but
no pre row. A file that cannot be used at all (missing, not UTF-8, empty, no ``participant`` or
``sitting`` column, no question columns) raises :class:`ResponsesError`.

The paired comparison
---------------------
Only participants with a usable pre and post row are compared. Each one's change is their post
score minus their pre score (questions right). The comparison reports how many went up, down
or stayed the same, the mean and median change, and an exact two-sided **sign test**: if the
workshop made no difference, a rise and a fall would be equally likely for each participant who
changed, and the p-value is the chance of a split at least as uneven as the one seen
(participants with no change are set aside, as the sign test requires).
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from math import comb
from pathlib import Path

from ..content.selfcheck import Question
from .textfile import decode_csv, read_csv_text

SITTINGS = ("pre", "post")
_FIXED = ("participant", "sitting")


class ResponsesError(ValueError):
    """A responses file that cannot be used at all: the message names the file and what to do."""


@dataclass(frozen=True)
class RowProblem:
    line: int
    participant: str
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.problem}"


@dataclass(frozen=True)
class Sitting:
    participant: str
    sitting: str
    line: int
    answers: dict[str, str | None]  # question id -> letter, or None for not answered


@dataclass(frozen=True)
class Pair:
    participant: str
    pre: Sitting
    post: Sitting


@dataclass
class Responses:
    file: str
    questions: tuple[Question, ...]  # the questions the file has, in the bank's order
    pairs: list[Pair] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rows_read: int = 0


def read_responses(source: str | Path | bytes, questions: tuple[Question, ...], name: str | None = None) -> Responses:
    """Read a responses file (a path, or its bytes) against the knowledge check's questions."""
    if isinstance(source, bytes):
        file = name or "the responses file"
        text = decode_csv(source, ResponsesError, file)
    else:
        file = name or str(source)
        text = read_csv_text(source, ResponsesError, file)
    return _parse(text, questions, file)


def _parse(text: str, questions: tuple[Question, ...], file: str) -> Responses:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise ResponsesError(f"{file}, line 1: not readable as CSV ({error})") from None
    if header is None or not any(cell.strip() for cell in header):
        raise ResponsesError(
            f"{file} is empty; its first line should be the header: participant,sitting,<question ids>"
        )
    names = [cell.strip() for cell in header]
    lowered = [n.lower() for n in names]
    for required in _FIXED:
        if required not in lowered:
            raise ResponsesError(
                f"{file}, line 1: no '{required}' column; the header should start participant,sitting "
                "followed by the question ids"
            )
    repeated = sorted({n for n in names if n and names.count(n) > 1})
    if repeated:
        raise ResponsesError(f"{file}, line 1: the column '{repeated[0]}' appears more than once; keep one of them")

    by_id = {q.id: q for q in questions}
    problems: list[RowProblem] = []
    columns: dict[int, Question] = {}
    for index, cell in enumerate(names):
        if lowered[index] in _FIXED:
            continue
        if cell in by_id:
            columns[index] = by_id[cell]
        elif cell:
            problems.append(
                RowProblem(
                    1, "", f"the column '{cell}' is not a question in the knowledge check; its answers are left out"
                )
            )
        else:
            problems.append(RowProblem(1, "", f"column {index + 1} has no heading; its answers are left out"))
    if not columns:
        raise ResponsesError(
            f"{file}, line 1: none of the columns is a question id from data/knowledge-check.json; "
            "head each answer column with its question's id (for example kc-lo1-age-groups)"
        )
    used = {q.id for q in columns.values()}
    asked = tuple(q for q in questions if q.id in used)
    who, when = lowered.index("participant"), lowered.index("sitting")

    result = Responses(file=file, questions=asked, problems=problems)
    good: list[Sitting] = []
    line = 1
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ResponsesError(f"{file}, line {start}: not readable as CSV ({error})") from None
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        result.rows_read += 1
        participant = row[who].strip() if who < len(row) else ""
        sitting, problem = _check_row(row, names, columns, participant, who, when)
        if problem:
            problems.append(RowProblem(start, participant, problem))
        else:
            answers = {q.id: (row[i].strip().upper() or None) for i, q in columns.items()}
            good.append(Sitting(participant, sitting, start, answers))

    # The same participant and sitting twice: leave all of them out.
    groups: dict[tuple[str, str], list[Sitting]] = {}
    for s in good:
        groups.setdefault((s.participant.casefold(), s.sitting), []).append(s)
    kept: dict[tuple[str, str], Sitting] = {}
    for key, rows in groups.items():
        if len(rows) == 1:
            kept[key] = rows[0]
            continue
        lines = ", ".join(str(s.line) for s in rows[:-1]) + f" and {rows[-1].line}"
        for s in rows:
            problems.append(
                RowProblem(
                    s.line,
                    s.participant,
                    f"participant '{s.participant}' has more than one '{s.sitting}' row (lines {lines}); "
                    "all of them are left out, as it is not clear which is right",
                )
            )
    for (pid, sitting), s in kept.items():
        other = "post" if sitting == "pre" else "pre"
        if (pid, other) in kept:
            if sitting == "pre":
                result.pairs.append(Pair(s.participant, s, kept[(pid, "post")]))
            continue
        doubled = (pid, other) in groups
        why = f"its '{other}' rows were left out (see above)" if doubled else f"there is no usable '{other}' row"
        problems.append(
            RowProblem(
                s.line,
                s.participant,
                f"participant '{s.participant}' has a '{sitting}' row but {why}; "
                "left out of the before-and-after comparison",
            )
        )
    result.pairs.sort(key=lambda p: _natural(p.participant))
    problems.sort(key=lambda p: p.line)
    return result


def _check_row(row, names, columns, participant, who, when) -> tuple[str, str | None]:
    if len(row) != len(names):
        more = "more" if len(row) > len(names) else "fewer"
        return "", (
            f"has {len(row)} cells but the header has {len(names)} columns ({more}); check for a missing or extra comma"
        )
    if not participant:
        return "", "no participant id; give every row one (a pseudonym such as P07 is fine)"
    sitting = row[when].strip().lower()
    if sitting not in SITTINGS:
        shown = row[when].strip()
        what = f"'{shown}'" if shown else "blank"
        return "", f"participant '{participant}': the sitting is {what}; write pre or post"
    bad, letters = [], ""
    for index, question in columns.items():
        answer = row[index].strip().upper()
        allowed = "".join(o.letter for o in question.options)
        if answer and answer not in allowed:
            bad.append(f"'{row[index].strip()}' to question '{question.id}'")
            letters = letters or allowed
    if bad:
        return sitting, (
            f"participant '{participant}' answered {_join(bad)}; answers are {letters[0]} to {letters[-1]}, "
            "or blank for not answered"
        )
    return sitting, None


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _natural(text: str) -> tuple:
    """Sort P2 before P10."""
    digits = "".join(c for c in text if c.isdigit())
    return (text.rstrip("0123456789").casefold(), int(digits) if digits else -1, text)


# ---------------------------------------------------------------- arithmetic


@dataclass(frozen=True)
class Rate:
    """Right answers out of a number of answers due (blanks count in ``of`` and in ``blank``)."""

    right: int
    of: int
    blank: int

    @property
    def share(self) -> float | None:
        return self.right / self.of if self.of else None


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    pre: Rate
    post: Rate


@dataclass(frozen=True)
class OutcomeResult:
    outcome: str
    questions: int
    pre: Rate
    post: Rate


@dataclass(frozen=True)
class ParticipantResult:
    participant: str
    pre: int
    post: int
    pre_blank: int
    post_blank: int

    @property
    def change(self) -> int:
        return self.post - self.pre


@dataclass(frozen=True)
class Comparison:
    n: int
    up: int
    down: int
    same: int
    mean_change: float | None
    median_change: float | None
    p_value: float | None  # exact two-sided sign test; None when nobody changed


@dataclass(frozen=True)
class CohortResult:
    questions: tuple[QuestionResult, ...]
    outcomes: tuple[OutcomeResult, ...]
    participants: tuple[ParticipantResult, ...]
    comparison: Comparison
    out_of: int


def _score(sitting: Sitting, questions) -> tuple[int, int]:
    right = sum(sitting.answers[q.id] == q.answer for q in questions)
    blank = sum(sitting.answers[q.id] is None for q in questions)
    return right, blank


def _rate(pairs: list[Pair], questions, which: str) -> Rate:
    right = blank = 0
    for pair in pairs:
        sitting = getattr(pair, which)
        for q in questions:
            answer = sitting.answers[q.id]
            right += answer == q.answer
            blank += answer is None
    return Rate(right, len(pairs) * len(questions), blank)


def sign_test(up: int, down: int) -> float:
    """Exact two-sided sign test: the chance, if rises and falls were equally likely, of a split at
    least as uneven as ``up`` against ``down``. ``2 × P(X ≤ min)`` for X ~ Binomial(up + down, ½),
    capped at 1; 1.0 when nobody changed."""
    if up < 0 or down < 0:
        raise ValueError("the counts of rises and falls cannot be negative")
    n = up + down
    if n == 0:
        return 1.0
    tail = sum(comb(n, k) for k in range(min(up, down) + 1))
    return float(min(Fraction(1), Fraction(2 * tail, 2**n)))


def analyse(responses: Responses) -> CohortResult:
    """Per-question, per-outcome and per-participant results, and the paired comparison."""
    pairs, questions = responses.pairs, responses.questions
    by_question = tuple(QuestionResult(q, _rate(pairs, (q,), "pre"), _rate(pairs, (q,), "post")) for q in questions)
    outcomes = []
    for outcome in sorted({q.outcome for q in questions}, key=lambda o: int(o[2:])):
        mine = tuple(q for q in questions if q.outcome == outcome)
        outcomes.append(OutcomeResult(outcome, len(mine), _rate(pairs, mine, "pre"), _rate(pairs, mine, "post")))
    people = []
    for pair in pairs:
        pre, pre_blank = _score(pair.pre, questions)
        post, post_blank = _score(pair.post, questions)
        people.append(ParticipantResult(pair.participant, pre, post, pre_blank, post_blank))
    changes = [p.change for p in people]
    signs = Counter((c > 0) - (c < 0) for c in changes)
    up, down, same = signs[1], signs[-1], signs[0]
    comparison = Comparison(
        n=len(changes),
        up=up,
        down=down,
        same=same,
        mean_change=statistics.fmean(changes) if changes else None,
        median_change=float(statistics.median(changes)) if changes else None,
        p_value=sign_test(up, down) if up + down else None,
    )
    return CohortResult(by_question, tuple(outcomes), tuple(people), comparison, len(questions))


def reading(result: CohortResult, responses: Responses) -> list[str]:
    """The plain-English reading of the comparison: what it shows, and what it does not."""
    c, q = result.comparison, result.out_of
    if c.n == 0:
        return ["No participant has a usable pre and post row, so there is nothing to compare."]
    people = "participant" if c.n == 1 else "participants"
    paragraphs = [
        f"{c.n} {people} took both sittings and could be compared. {c.up} scored higher after the workshop, "
        f"{c.down} scored lower and {c.same} scored the same. On average, scores changed by "
        f"{_signed(c.mean_change)} of {q} questions (median {_signed(c.median_change)})."
    ]
    if c.p_value is None:
        paragraphs.append("Nobody's score changed, so the sign test has nothing to weigh.")
    else:
        changed = c.up + c.down
        lean = "rise" if c.up >= c.down else "fall"
        kept = f"the {c.same} with no change" if c.same != 1 else "the one participant with no change"
        paragraphs.append(
            f"The sign test sets aside {kept} and looks at the other {changed}. If the workshop "
            f"made no difference, a rise and a fall would be equally likely for each of them; a split at least as "
            f"uneven as {c.up} to {c.down} would then happen by chance about {_chance(c.p_value)} "
            f"(p = {c.p_value:.3f}). "
            + (
                f"Chance alone would rarely give a split like this, so the {lean} is probably not luck; "
                "but that says nothing about what caused it (see below)."
                if c.p_value < 0.05
                else "Chance alone gives a split like this often enough that the comparison cannot rule it out; "
                "it does not show that nothing changed either."
            )
        )
    paragraphs += [
        "What it does not show. This is a small group, so one or two people change the picture, and a result "
        "that is not clear-cut does not mean the workshop did nothing. There is no control group: people who "
        "did not attend were not tested, so other things that happened between the sittings could explain a "
        "change as well as the workshop. The same questions were taken twice, so some of any rise may be "
        "practice: people remember questions, and think about them between sittings. A knowledge check "
        "measures what people can recognise on the day, not what they do with tenants on Monday morning.",
        "Participants are pseudonymous, so the results cannot be linked to anything else about them, and they "
        "should not be used to judge any one person. "
        + (
            f"{_problems(len(responses.problems))}, listed below: what they hold was left out, and the "
            "people in those rows may differ from the people counted."
            if responses.problems
            else "No rows were left out."
        ),
    ]
    return paragraphs


def _signed(value: float | None) -> str:
    if value is None:
        return "n/a"
    if value == 0:
        return "0"
    text = f"{value:+.0f}" if value == int(value) else f"{value:+.2f}".rstrip("0")
    return text.replace("-", "\u2212")


def _problems(n: int) -> str:
    return "The file had one problem" if n == 1 else f"The file had {n} problems"


def _chance(p: float) -> str:
    if p >= 0.95:
        return "almost every time"
    if p >= 0.1:
        return f"{round(p * 10)} times in 10"
    if p >= 0.01:
        return f"{round(p * 100)} times in 100"
    return "less than once in 100 times"
