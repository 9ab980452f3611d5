"""The interaction sorter's view: a form over :mod:`dementia_housing.interactions`.

The view holds no judging logic. It shows a vignette, reads the learner's verdict and kind,
asks the model, and shows the model's feedback in a live region, or the model's message next
to the field it is about. Choices made on each vignette are kept when moving between them.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from ..models import interactions
from ..models.interactions import VERDICT_LABELS, AnswerError, Catalogue, Judgement, Tally, Vignette
from .base import ToolInfo, ToolView
from .render import html_table

# The worked example on the tool's page: the first vignette, answered with its best fit.
WORKED_EXAMPLE: dict[str, str] = {"vignette": "repairs-visit", "verdict": "undermines", "kind": "outpacing"}

KIND_PROMPT = "Choose a kind"
NO_VERDICT_PROMPT = "Choose a verdict first"
QUESTION = "Does this interaction undermine or uphold personhood, and which kind fits best?"


def story_html(vignette: Vignette, position: int, total: int) -> str:
    """A vignette with its place in the list, title and setting."""
    return (
        f'<p class="dh-vignette-head"><strong>Vignette {position + 1} of {total}: {escape(vignette.title)}</strong>'
        f"<br><em>{escape(vignette.setting)}</em></p>"
        f'<p class="dh-vignette">{escape(vignette.text)}</p>'
    )


def answer_sentence(judgement: Judgement, catalogue: Catalogue) -> str:
    kind = catalogue.kind(judgement.kind)
    return f"Your answer: {VERDICT_LABELS[judgement.verdict].lower()}; {kind.label.lower()}."


def feedback_html(judgement: Judgement, catalogue: Catalogue, live: bool = True) -> str:
    """The model's feedback as HTML; in the tool it is a polite live region."""
    live_attrs = ' role="status" aria-live="polite"' if live else ""
    parts = [f'<div class="dh-feedback"{live_attrs}>']
    parts.append(
        f"<p><strong>{escape(judgement.headline)}</strong> {escape(answer_sentence(judgement, catalogue))}</p>"
    )
    parts += [f"<p>{escape(text)}</p>" for text in judgement.paragraphs]
    parts.append("</div>")
    return "".join(parts)


def tally_html(tally: Tally) -> str:
    """The learner's score; the worked example the sorter opens on is never part of it."""
    rule = "Your first answer to each vignette counts."
    if not tally.answered:
        rule = "The worked example does not count; your first answer to each vignette does."
    return f'<p class="dh-tally"><strong>Your score:</strong> {escape(tally.summary())} {rule}</p>'


def worked_example_html() -> str:
    """The worked example as static HTML (vignette, answer and feedback), for print and no-script readers."""
    catalogue = interactions.load_catalogue()
    vignette = catalogue.vignette(WORKED_EXAMPLE["vignette"])
    judgement = interactions.judge(WORKED_EXAMPLE["vignette"], WORKED_EXAMPLE["verdict"], WORKED_EXAMPLE["kind"])
    return (
        f"<h3>Worked example: {escape(vignette.title)}</h3>"
        + story_html(vignette, catalogue.position(vignette.id), len(catalogue.vignettes))
        + feedback_html(judgement, catalogue, live=False)
    )


def kinds_html(catalogue: Catalogue | None = None) -> str:
    """Both of Kitwood's lists as tables, with the course's short definitions."""
    catalogue = catalogue or interactions.load_catalogue()
    tables = []
    for verdict in interactions.VERDICTS:
        kinds = catalogue.kinds_for(verdict)
        name = interactions.LIST_NAMES[verdict]
        caption = f"{name[0].upper()}{name[1:]}: {len(kinds)} kinds that {verdict[:-1]} personhood"
        tables.append(html_table(caption, ("Kind", "In short"), [(k.label, k.definition) for k in kinds], 2))
    return "".join(tables)


def vignettes_html(catalogue: Catalogue | None = None) -> str:
    """Every vignette with its answer behind a disclosure, for print, group work and no-script readers."""
    catalogue = catalogue or interactions.load_catalogue()
    parts = []
    for number, vignette in enumerate(catalogue.vignettes, start=1):
        best = catalogue.kind(vignette.kind)
        also = "".join(f"<p>{escape(catalogue.kind(k).label)} also fits: {escape(why)}</p>" for k, why in vignette.also)
        parts.append(
            f"<h3>{number}. {escape(vignette.title)}</h3>"
            f"<p><em>{escape(vignette.setting)}</em></p>"
            f"<p>{escape(vignette.text)}</p>"
            f'<details class="dh-option"><summary>Answer and discussion: {escape(vignette.title)}</summary>'
            f"<p><strong>{escape(VERDICT_LABELS[vignette.verdict])}: {escape(best.label.lower())}.</strong> "
            f"In short: {escape(best.definition[:1].lower() + best.definition[1:])}</p>"
            f"{also}<p>{escape(vignette.explanation)}</p>"
            f"<p>{escape(interactions.needs_sentence(vignette))}</p></details>"
        )
    return "".join(parts)


class InteractionSorter(ToolView):
    """The interactive sorter. Display it in a notebook; ``view`` is the ipywidgets tree.

    Give ``vignette``, ``verdict`` and ``kind`` to open on a vignette already answered (the
    worked example); the answer is checked at once, but it is not the learner's, so it does not
    count towards the score.
    """

    TOOL = ToolInfo(page="interaction-sorter", title="Interaction sorter", chapter="ch03-personhood")

    @classmethod
    def worked_example(cls) -> InteractionSorter:
        return cls(**WORKED_EXAMPLE)

    def __init__(
        self,
        vignette: str | None = None,
        verdict: str | None = None,
        kind: str | None = None,
        catalogue: Catalogue | None = None,
    ) -> None:
        self.catalogue = catalogue or interactions.load_catalogue()
        self.index = self.catalogue.position(vignette) if vignette else 0
        self.tally = Tally()
        self.choices: dict[str, tuple[str | None, str]] = {}  # vignette id -> (verdict, kind) last chosen
        self.judgements: dict[str, Judgement] = {}  # vignette id -> last checked answer

        style = {"description_width": "11em"}
        self.story = widgets.HTML()
        question = widgets.HTML(f"<p><strong>{escape(QUESTION)}</strong></p>")
        self.verdict_field = widgets.RadioButtons(
            options=[(label, key) for key, label in VERDICT_LABELS.items()],
            value=None,
            description="Verdict",
            # side by side: the two small radio targets then sit well apart (WCAG 2.2 target size)
            orientation="horizontal",
            style=style,
            layout=widgets.Layout(width="auto"),
        )
        self.verdict_error = widgets.HTML()
        self.kind_field = widgets.Dropdown(
            options=[(NO_VERDICT_PROMPT, "")],
            value="",
            description="Kind of interaction",
            style=style,
            layout=widgets.Layout(width="30em"),
        )
        self.kind_error = widgets.HTML()
        self.kind_hint = widgets.HTML()
        self.check_button = widgets.Button(description="Check answer", tooltip="Check your verdict and kind")
        self.feedback = widgets.HTML()
        self.tally_display = widgets.HTML(tally_html(self.tally))
        self.previous_button = widgets.Button(description="Previous vignette", tooltip="Go to the previous vignette")
        self.next_button = widgets.Button(description="Next vignette", tooltip="Go to the next vignette")
        self.view = widgets.VBox(
            [
                self.story,
                question,
                widgets.HBox([self.verdict_field, self.verdict_error]),
                widgets.HBox([self.kind_field, self.kind_error]),
                self.kind_hint,
                self.check_button,
                self.feedback,
                self.tally_display,
                widgets.HBox([self.previous_button, self.next_button]),
            ]
        )

        self.verdict_field.observe(self._verdict_changed, names="value")
        self.kind_field.observe(self._kind_changed, names="value")
        self.check_button.on_click(self.check)
        self.previous_button.on_click(lambda _button: self.go(-1))
        self.next_button.on_click(lambda _button: self.go(1))

        self._show_vignette()
        if verdict is not None:
            self.verdict_field.value = interactions.read_verdict(verdict)
        if kind is not None:
            self.kind_field.value = interactions.read_kind(kind, self.verdict_field.value, self.catalogue).id
        if verdict is not None and kind is not None:
            self.check(counts=False)

    @property
    def current(self) -> Vignette:
        return self.catalogue.vignettes[self.index]

    def check(self, _button: object = None, *, counts: bool = True) -> None:
        """Ask the model about the answer; show its feedback, or its message next to the field.

        The answer counts towards the tally unless ``counts`` is false (the worked example)."""
        try:
            judgement = interactions.judge(
                self.current.id, self.verdict_field.value, self.kind_field.value, self.catalogue
            )
        except AnswerError as problem:
            target, other = (
                (self.kind_error, self.verdict_error)
                if problem.field == "kind"
                else (self.verdict_error, self.kind_error)
            )
            target.value = self.field_error(str(problem))
            other.value = ""
            return
        self.verdict_error.value = self.kind_error.value = ""
        if counts:
            self.tally = self.tally.record(judgement)
        self.judgements[self.current.id] = judgement
        self.feedback.value = feedback_html(judgement, self.catalogue)
        self.tally_display.value = tally_html(self.tally)

    def go(self, step: int) -> None:
        """Move to another vignette, keeping what was chosen on this one."""
        target = self.index + step
        if not 0 <= target < len(self.catalogue.vignettes):
            return
        self.choices[self.current.id] = (self.verdict_field.value, self.kind_field.value)
        self.index = target
        self._show_vignette()

    def _show_vignette(self) -> None:
        vignette = self.current
        self.story.value = story_html(vignette, self.index, len(self.catalogue.vignettes))
        verdict, kind = self.choices.get(vignette.id, (None, ""))
        self.verdict_field.value = verdict
        self._set_kind_options(verdict)
        self.kind_field.value = kind
        self.verdict_error.value = self.kind_error.value = ""
        self._show_hint(kind)
        checked = self.judgements.get(vignette.id)
        self.feedback.value = feedback_html(checked, self.catalogue) if checked else ""
        self.previous_button.disabled = self.index == 0
        self.next_button.disabled = self.index == len(self.catalogue.vignettes) - 1

    def _set_kind_options(self, verdict: str | None) -> None:
        if verdict is None:
            self.kind_field.options = [(NO_VERDICT_PROMPT, "")]
        else:
            kinds = self.catalogue.kinds_for(verdict)
            self.kind_field.options = [(KIND_PROMPT, ""), *((k.label, k.id) for k in kinds)]

    def _verdict_changed(self, change: dict) -> None:
        self._set_kind_options(change["new"])
        self.verdict_error.value = ""

    def _kind_changed(self, change: dict) -> None:
        self.kind_error.value = ""
        self._show_hint(change["new"])

    def _show_hint(self, kind_id: str) -> None:
        """The chosen kind's short definition, under the list."""
        if kind_id:
            kind = self.catalogue.kind(kind_id)
            self.kind_hint.value = f'<p class="dh-kind-hint">{escape(kind.label)}: {escape(kind.definition)}</p>'
        else:
            self.kind_hint.value = ""
