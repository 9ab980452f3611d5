"""The trainers' knowledge check: one question bank, taken before and after the workshop.

The bank is ``data/knowledge-check.json``, in the self-check format (see
:mod:`dementia_housing.content.selfcheck`, whose parser validates it) with two more fields at the
top: ``version``, which a trainer quotes in the cohort report so that responses are read against
the questions people actually saw, and ``about``, a sentence for participants. A mistake in the
file raises :class:`~dementia_housing.content.datafiles.DataError` naming
``data/knowledge-check.json``, the line and the field. Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ..content import datafiles
from ..content.selfcheck import Bank, Question, parse_bank

FILE = "knowledge-check.json"
NAME = "knowledge-check"


@dataclass(frozen=True)
class KnowledgeCheck:
    version: str
    about: str
    bank: Bank

    @property
    def questions(self) -> tuple[Question, ...]:
        return self.bank.questions

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.bank.questions if q.id == question_id), None)


def parse(data: object) -> KnowledgeCheck:
    """Validate a knowledge check: an entry read from its file, or data already in memory."""
    root = datafiles.entry_of(data, f"data/{FILE}").object("title", "version", "questions")
    return KnowledgeCheck(
        version=root.text("version"),
        about=root.optional_text("about"),
        bank=parse_bank(root, NAME),
    )


def load() -> KnowledgeCheck:
    """Load and validate ``data/knowledge-check.json``."""
    return parse(datafiles.load(FILE))


PARTICIPANT_HINT = (
    "Use the pseudonym or learner number your trainer gives you, not your full name: the trainer "
    "only needs to match your two sittings, and a name would make your answers personal data."
)


def _id(text: str) -> str:
    """An HTML id made from a question id: letters, digits and hyphens only."""
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)


def form_html(check: KnowledgeCheck) -> str:
    """The knowledge check as an HTML form that needs no script to read, answer on screen or print.

    A participant field, the sitting (``pre`` or ``post``) and one fieldset per question, its
    legend the prompt and four labelled radio buttons whose ``name`` is the question id and
    ``value`` the letter. No right answers and no feedback: it is a test, not a self-check.
    Where script runs, book/_static/knowledge-check.js shows the hand-in part (hidden until then)
    and makes the participant's CSV row from the form, in the format
    :mod:`dementia_housing.trainers.cohort` reads; nothing is sent or stored.
    """
    ids = " ".join(escape(q.id) for q in check.questions)
    h = [
        f'<form class="dh-knowledge-check" id="dh-kc" data-version="{escape(check.version)}" '
        f'data-questions="{ids}" aria-label="{escape(check.bank.title)}" novalidate>',
        '<fieldset class="dh-kc-about"><legend>About you</legend>',
        '<div class="dh-kc-field">',
        '<label for="dh-kc-participant">Your pseudonym or learner number</label>',
        f'<p class="dh-kc-hint" id="dh-kc-participant-hint">{escape(PARTICIPANT_HINT)}</p>',
        '<input type="text" id="dh-kc-participant" name="participant" autocomplete="off" spellcheck="false" '
        'aria-describedby="dh-kc-participant-hint dh-kc-participant-error">',
        '<span class="dh-field-error dh-kc-error" id="dh-kc-participant-error"></span>',
        "</div>",
        '<fieldset class="dh-kc-sitting" aria-describedby="dh-kc-sitting-error">'
        "<legend>When are you taking the check?</legend>",
    ]
    for value, text in (("pre", "Before the workshop"), ("post", "After the workshop")):
        h.append(
            f'<div class="dh-kc-option"><input type="radio" id="dh-kc-sitting-{value}" name="sitting" '
            f'value="{value}"><label for="dh-kc-sitting-{value}">{text}</label></div>'
        )
    h += [
        '<span class="dh-field-error dh-kc-error" id="dh-kc-sitting-error"></span>',
        "</fieldset></fieldset>",
    ]
    for number, question in enumerate(check.questions, start=1):
        qid = _id(question.id)
        h.append(
            f'<fieldset class="dh-kc-question" id="kc-{qid}" data-number="{number}">'
            f"<legend><strong>Question {number}.</strong> {escape(question.prompt)}</legend>"
        )
        for option in question.options:
            box = f"kc-{qid}-{option.letter}"
            h.append(
                f'<div class="dh-kc-option"><input type="radio" id="{box}" name="{escape(question.id)}" '
                f'value="{option.letter}"><label for="{box}">{option.letter}. {escape(option.text)}</label></div>'
            )
        h.append("</fieldset>")
    h += [
        '<div class="dh-kc-handin dh-print-hide" hidden>',
        '<h3 class="dh-kc-handin-title">Your hand-in</h3>',
        "<p>When you have finished, press the button. It writes your answers as a short text for your "
        "trainer. Nothing leaves this page and nothing is saved: copy the text, or download it as a "
        "file, before you close the page.</p>",
        '<p><button type="button" class="dh-live-button dh-kc-make">Make my hand-in</button></p>',
        '<p class="dh-kc-status" role="status"></p>',
        '<div class="dh-kc-result" hidden>',
        '<label for="dh-kc-output">Your hand-in, to copy</label>',
        '<textarea id="dh-kc-output" class="dh-kc-output" readonly rows="3" spellcheck="false"></textarea>',
        '<p><a class="dh-kc-download" href="#" download="knowledge-check.csv">Download your hand-in</a></p>',
        "</div>",
        "</div>",
        "</form>",
    ]
    return "\n".join(h) + "\n"
